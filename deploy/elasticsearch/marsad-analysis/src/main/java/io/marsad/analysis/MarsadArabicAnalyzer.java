package io.marsad.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * {@code marsad_arabic}: standard tokenizer, lower case, fold, stop words, light stem.
 * Without a stemmer it is {@code marsad_arabic_exact}: standard tokenizer, lower case, fold.
 */
final class MarsadArabicAnalyzer extends Analyzer {

    private final CharArraySet stopWords;
    private final ArabicLightStemmer stemmer;

    /** @param stopWords null for none; @param stemmer null for no stemming */
    MarsadArabicAnalyzer(CharArraySet stopWords, ArabicLightStemmer stemmer) {
        this.stopWords = stopWords;
        this.stemmer = stemmer;
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new StandardTokenizer();
        TokenStream stream = new ArabicFoldFilter(new LowerCaseFilter(source));
        if (stopWords != null) {
            stream = new StopFilter(stream, stopWords);
        }
        if (stemmer != null) {
            stream = new ArabicLightStemFilter(stream, stemmer);
        }
        return new TokenStreamComponents(source, stream);
    }

    /** Wildcard, prefix and fuzzy query terms get the per-character steps, not the stemmer. */
    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new ArabicFoldFilter(new LowerCaseFilter(in));
    }
}
