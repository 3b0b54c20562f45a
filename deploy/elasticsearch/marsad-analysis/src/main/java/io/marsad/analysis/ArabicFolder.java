package io.marsad.analysis;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Folds Arabic text for matching, character for character the same as
 * {@code marsad/nlp/normalize.py::fold} on the Python side, so that a term
 * folded in a stream processor and a term folded by Elasticsearch are equal.
 *
 * <p>Order (as in Python): NFKC, then per-character folds, then lower case.
 * Keep the two implementations in step: a fold added in one place and not in
 * the other makes the {@code *_norm} fields disagree with the index.
 */
public final class ArabicFolder {

    private ArabicFolder() {}

    /** Returns the folded form of {@code text}; the same instance when nothing changes. */
    public static String fold(String text) {
        if (isPlainAsciiLower(text)) {
            return text;
        }
        String s = text;
        // camel-tools expands these two presentation forms before NFKC; NFKC would leave them alone.
        if (s.indexOf('\uFDFC') >= 0 || s.indexOf('\uFDFD') >= 0) {
            s = s.replace("\uFDFC", "ريال").replace("\uFDFD", "بسم الله الرحمن الرحيم");
        }
        if (Normalizer.isNormalized(s, Normalizer.Form.NFKC) == false) {
            s = Normalizer.normalize(s, Normalizer.Form.NFKC);
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char f = foldChar(c);
            if (f != DROP) {
                out.append(f);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** Marks a character that folding removes. U+FFFF is a noncharacter, never in real text. */
    static final char DROP = '\uFFFF';

    static char foldChar(char c) {
        if (c < 0x0600) {
            return c;
        }
        // Diacritics (fathatan .. sukun) and the superscript (dagger) alef.
        if ((c >= '\u064B' && c <= '\u0652') || c == '\u0670') {
            return DROP;
        }
        switch (c) {
            case '\u0623': // أ
            case '\u0625': // إ
            case '\u0622': // آ
            case '\u0671': // ٱ (wasla)
                return '\u0627'; // ا
            case '\u0649': // ى alef maqsura
                return '\u064A'; // ي
            case '\u0629': // ة teh marbuta
                return '\u0647'; // ه
            // Both hamza seats fold to ya (for matching only, never for display): writers
            // disagree on the seat (مسؤول / مسئول, شؤون / شئون) and drop the hamza of a
            // ya seat (فائز / فايز). Mirrors normalize.py since commit e854f43.
            case '\u0624': // ؤ
            case '\u0626': // ئ
                return '\u064A'; // ي
            case '\u0640': // tatweel
            case '\u0654': // combining hamza above
            case '\u0655': // combining hamza below
            case '\u200C': // zero width non-joiner
            case '\u200D': // zero width joiner
            case '\u200E': // left-to-right mark
            case '\u200F': // right-to-left mark
            case '\uFEFF': // byte order mark / zero width no-break space
                return DROP;
            default:
                break;
        }
        if (c >= '\u0660' && c <= '\u0669') { // Arabic-Indic digits
            return (char) ('0' + (c - '\u0660'));
        }
        if (c >= '\u06F0' && c <= '\u06F9') { // Extended (Persian/Urdu) digits
            return (char) ('0' + (c - '\u06F0'));
        }
        return c;
    }

    private static boolean isPlainAsciiLower(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }
}
