package io.marsad.analysis;

import java.util.Set;

/**
 * A clitic-aware light stemmer for news Arabic. Input must already be folded
 * ({@link ArabicFolder}): teh marbuta is {@code ه}, alef variants are {@code ا},
 * alef maqsura is {@code ي}, hamza seats are gone.
 *
 * <h2>Why it looks like this</h2>
 *
 * A stemmer used on both sides of a search is only as good as its consistency:
 * what hurts is not an ugly stem but a word whose bare form and prefixed form
 * stem differently (bare {@code برلمان} to {@code رلمان} while {@code البرلمان}
 * gives {@code برلمان} makes the two miss each other). Lucene's ArabicStemmer
 * strips a lone {@code و} from any word of four letters or more, which breaks
 * {@code وليد}, {@code وزير}, {@code وزاره}; a greedy stemmer that also strips
 * {@code ب ل ك ف} breaks {@code بنغازي}, {@code بغداد}, {@code لبنان},
 * {@code ليبيا}, {@code كركوك}, {@code فلسطين}. So the rules strip only where
 * the letters are almost never part of the word, and a list of known words
 * (shipped as {@code protected_words.txt}, extendable per index) decides the
 * rest.
 *
 * <h2>The rules, in the order they run</h2>
 *
 * <ol>
 *   <li><b>Leave alone</b> anything with a non-Arabic letter or digit, anything
 *       shorter than three letters, and anything in the known-word list.
 *       Names and words that begin with clitic letters live in that list.</li>
 *   <li><b>Known word under suffixes</b>: if stripping suffixes (rules 5-7)
 *       leaves a known word, that is the stem ({@code وزيرا} to {@code وزير});
 *       for a feminine plural, the singular with {@code ه} is tried too
 *       ({@code وزارات} to {@code وزاره}).</li>
 *   <li><b>Known word under proclitics</b>: for every proclitic stack the word
 *       starts with (longest first: {@code وبال فبال وكال فكال ولل فلل وال فال
 *       بال كال لل ال وب ول وك فب فل فك و ف ب ل ك}), if what remains (or what
 *       remains after suffixes) is a known word, that is the stem. This is the
 *       only way {@code ب ل ك ف} on their own are stripped: {@code لسوريا} to
 *       {@code سوريا}, {@code ببغداد} to {@code بغداد}, and {@code لليبيا} to
 *       {@code ليبيا} (not {@code يبيا}, which the longer {@code لل} would give).
 *       Single prepositions before unknown words stay ({@code بقصف}): stripping
 *       them blindly is what breaks {@code برلمان} and {@code بريطانيا}.</li>
 *   <li><b>Article stacks</b>: {@code ال} with whatever conjunction and
 *       preposition sits in front of it ({@code وال فال بال كال وبال فبال وكال
 *       فكال}) and {@code لل ولل فلل} (where {@code ل} + {@code ال} lost its
 *       alef) are stripped when at least three letters remain; the article is
 *       the one clitic that is nearly always a clitic. Words whose own letters
 *       start with {@code ال} ({@code التزام الغاء المانيا}) are in the known-word
 *       list, so {@code الالتزام} and {@code التزام} agree. Otherwise a lone
 *       conjunction {@code و} is stripped when at least three letters remain
 *       (four when the next letter is {@code ا}, because radical-{@code و} words
 *       such as {@code واحد واضح واقع} have that shape while {@code واكد} does
 *       not need stemming). A lone {@code ف} is not stripped: it begins more
 *       nouns in news ({@code فريق فصيل فرنسا}) than it joins.</li>
 *   <li><b>Possessive pronouns</b> {@code هما ها} (at least three letters must
 *       remain) and {@code هم} (at least four, because {@code تفاهم مساهم} end
 *       in it). A single {@code ه} is never stripped: after folding it is
 *       mostly teh marbuta ({@code قاهره}). {@code ك كم نا ي} are left: rare in
 *       reporting and too often part of the word ({@code محاكم}, {@code كورونا},
 *       nisba adjectives).</li>
 *   <li><b>Teh marbuta restored</b>: a noun in {@code ة} writes it {@code ت}
 *       before a pronoun, so after a pronoun a final {@code ت} (not the plural
 *       {@code ات}) becomes {@code ه} when at least three letters precede it
 *       ({@code حكومتها} to {@code حكومه}, while {@code بيتها} stays {@code بيت}).
 *       Bare {@code ته} ("his") is treated the same only when at least four
 *       letters precede it ({@code قيادته} to {@code قياده}), because shorter
 *       words in {@code ته} are usually feminine adjectives ({@code ثابته}).</li>
 *   <li><b>One plural or case ending</b>: {@code ات} and {@code ون}/{@code ين}
 *       when at least four letters remain ({@code اشتباكات} to {@code اشتباك},
 *       {@code مسلحين} to {@code مسلح}, while {@code قوات حسين بوتين} stay);
 *       the dual {@code ان} is never stripped ({@code لبنان ايران طيران}); after a
 *       pronoun only {@code ات} can occur. An accusative (tanween) alef is
 *       stripped when at least three letters remain and it does not follow
 *       {@code ا ي و ه} ({@code قتيلا} to {@code قتيل}, {@code عاما} to
 *       {@code عام}), which keeps {@code سوريا ليبيا قالوا}; names ending in a
 *       real alef ({@code امريكا كندا روما درعا}) are in the known-word list.
 *       The feminine singular in {@code ه} and its plural in {@code ات} are not
 *       merged: that would need to know the word.</li>
 * </ol>
 *
 * At most one proclitic stack and one suffix chain are removed, never
 * recursively, so the stemmer cannot eat a word from both ends.
 */
public final class ArabicLightStemmer {

    /** Fewest letters the article rule and the conjunction rule may leave. */
    static final int MIN_STEM = 3;
    /** Fewest letters a plural ending ({@code ات ون ين}) may leave. */
    static final int MIN_PLURAL_STEM = 4;

    private static final String[] ARTICLE_STACKS = {
        "وبال", "فبال", "وكال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال" };

    /** Every stack, longest first, for the known-word lookup (rule 3). */
    private static final String[] ALL_PROCLITICS = {
        "وبال", "فبال", "وكال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال",
        "لل", "ال", "وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك" };

    private final Set<String> known;

    /** @param known folded words that are never stripped and that anchor proclitic stripping */
    public ArabicLightStemmer(Set<String> known) {
        this.known = known;
    }

    public String stem(String word) {
        if (word.length() < MIN_STEM || isArabicLetters(word) == false || known.contains(word)) {
            return word;
        }
        String hit = knownUnderSuffixes(word);
        if (hit != null) {
            return hit;
        }
        for (String p : ALL_PROCLITICS) {
            if (word.startsWith(p) && word.length() - p.length() >= 2) {
                String rest = word.substring(p.length());
                if (known.contains(rest)) {
                    return rest;
                }
                hit = knownUnderSuffixes(rest);
                if (hit != null) {
                    return hit;
                }
            }
        }
        return stripSuffixes(stripProclitics(word));
    }

    private String knownUnderSuffixes(String word) {
        String s = stripSuffixes(word);
        if (s.equals(word)) {
            return null;
        }
        if (known.contains(s)) {
            return s;
        }
        if (word.endsWith("ات") && known.contains(s + "ه")) {
            return s + "ه";
        }
        return null;
    }

    static String stripProclitics(String word) {
        for (String p : ARTICLE_STACKS) {
            if (word.startsWith(p) && word.length() - p.length() >= MIN_STEM) {
                return word.substring(p.length());
            }
        }
        if (word.charAt(0) == 'و') {
            int min = word.charAt(1) == 'ا' ? MIN_STEM + 1 : MIN_STEM;
            if (word.length() - 1 >= min) {
                return word.substring(1);
            }
        }
        return word;
    }

    static String stripSuffixes(String word) {
        String s = word;
        boolean pronoun = false;
        if (endsWithLeaving(s, "هما", MIN_STEM)) {
            s = cut(s, 3);
            pronoun = true;
        } else if (endsWithLeaving(s, "هم", MIN_PLURAL_STEM)) {
            s = cut(s, 2);
            pronoun = true;
        } else if (endsWithLeaving(s, "ها", MIN_STEM)) {
            s = cut(s, 2);
            pronoun = true;
        } else if (endsWithLeaving(s, "ته", 4) && s.charAt(s.length() - 3) != 'ا') {
            // "his" on a teh marbuta noun, with at least four letters before ت.
            return cut(s, 2) + "ه";
        }
        if (pronoun && s.endsWith("ت") && s.length() - 1 >= MIN_STEM && s.charAt(s.length() - 2) != 'ا') {
            return cut(s, 1) + "ه";
        }
        if (endsWithLeaving(s, "ات", MIN_PLURAL_STEM)) {
            return cut(s, 2);
        }
        if (pronoun) {
            return s;
        }
        if (endsWithLeaving(s, "ون", MIN_PLURAL_STEM) || endsWithLeaving(s, "ين", MIN_PLURAL_STEM)) {
            return cut(s, 2);
        }
        if (endsWithLeaving(s, "ا", MIN_STEM)) {
            char before = s.charAt(s.length() - 2);
            if (before != 'ا' && before != 'ي' && before != 'و' && before != 'ه') {
                return cut(s, 1);
            }
        }
        return s;
    }

    private static boolean endsWithLeaving(String s, String suffix, int minLeft) {
        return s.endsWith(suffix) && s.length() - suffix.length() >= minLeft;
    }

    private static String cut(String s, int n) {
        return s.substring(0, s.length() - n);
    }

    /** Arabic letters only (hamza to yeh, plus the extended letters Persian and Urdu add). */
    static boolean isArabicLetters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = (c >= '\u0621' && c <= '\u063A') || (c >= '\u0641' && c <= '\u064A')
                || (c >= '\u0671' && c <= '\u06D3');
            if (letter == false) {
                return false;
            }
        }
        return true;
    }
}
