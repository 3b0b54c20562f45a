package io.marsad.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;

/** Lucene's Arabic stop set, folded like the terms it will meet after marsad_arabic_fold. */
final class ArabicStopWords {

    private static final CharArraySet FOLDED = build();

    private ArabicStopWords() {}

    /** Unmodifiable; copy it before adding words. */
    static CharArraySet folded() {
        return FOLDED;
    }

    /** The folded default set plus {@code extra} words, folded too. */
    static CharArraySet foldedWith(Iterable<String> extra) {
        CharArraySet set = new CharArraySet(FOLDED, false);
        for (String w : extra) {
            set.add(ArabicFolder.fold(w));
        }
        return CharArraySet.unmodifiableSet(set);
    }

    private static CharArraySet build() {
        CharArraySet set = new CharArraySet(64, false);
        for (Object w : ArabicAnalyzer.getDefaultStopSet()) {
            set.add(ArabicFolder.fold(new String((char[]) w)));
        }
        return CharArraySet.unmodifiableSet(set);
    }
}
