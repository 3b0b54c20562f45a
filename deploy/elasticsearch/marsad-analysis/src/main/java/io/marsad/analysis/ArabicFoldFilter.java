package io.marsad.analysis;

import java.io.IOException;

import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/** Applies {@link ArabicFolder#fold} to every term; positions and offsets are left as they were. */
public final class ArabicFoldFilter extends TokenFilter {

    private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);

    public ArabicFoldFilter(TokenStream input) {
        super(input);
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (input.incrementToken() == false) {
            return false;
        }
        String term = termAtt.toString();
        String folded = ArabicFolder.fold(term);
        if (folded != term) {
            termAtt.setEmpty().append(folded);
        }
        return true;
    }
}
