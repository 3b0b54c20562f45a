package io.marsad.analysis;

import java.io.IOException;

import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.KeywordAttribute;

/** Runs {@link ArabicLightStemmer} over each term, except terms an earlier filter marked as keywords. */
public final class ArabicLightStemFilter extends TokenFilter {

    private final ArabicLightStemmer stemmer;
    private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
    private final KeywordAttribute keywordAtt = addAttribute(KeywordAttribute.class);

    public ArabicLightStemFilter(TokenStream input, ArabicLightStemmer stemmer) {
        super(input);
        this.stemmer = stemmer;
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (input.incrementToken() == false) {
            return false;
        }
        if (keywordAtt.isKeyword() == false) {
            String term = termAtt.toString();
            String stem = stemmer.stem(term);
            if (stem != term) {
                termAtt.setEmpty().append(stem);
            }
        }
        return true;
    }
}
