package io.marsad.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Fast checks of the stemmer and the folder without a node; the integration test repeats the key ones on a real node. */
class ArabicLightStemmerTest {

    private final ArabicLightStemmer stemmer = new ArabicLightStemmer(KnownWords.defaults());

    private String stem(String raw) {
        return stemmer.stem(ArabicFolder.fold(raw));
    }

    @Test
    void stripsCliticStacksBeforeNouns() {
        assertEquals("قوات", stem("وللقوات"));
        assertEquals("سوريا", stem("لسوريا"));
        assertEquals("بغداد", stem("ببغداد"));
        assertEquals("قاهره", stem("وبالقاهرة"));
        assertEquals("جيش", stem("فالجيش"));
        assertEquals("ليبيا", stem("لليبيا"));
        assertEquals("الله", stem("والله"));
    }

    @Test
    void stripsSuffixesWhereEnoughStemRemains() {
        assertEquals("قوات", stem("قواتهم"));
        assertEquals("قتيل", stem("قتيلاً"));
        assertEquals("مسلح", stem("مسلحين"));
        assertEquals("مسلح", stem("مسلحون"));
        assertEquals("اشتباك", stem("اشتباكات"));
        assertEquals("حكومه", stem("حكومتها"));
        assertEquals("قياده", stem("قيادته"));
        assertEquals("بيت", stem("بيتها"));
        assertEquals("تفاهم", stem("تفاهم"));
        assertEquals("حسين", stem("حسين"));
        assertEquals("بوتين", stem("بوتين"));
    }

    @Test
    void keepsNamesAndWordsThatBeginWithCliticLetters() {
        for (String w : new String[] {"وليد", "وزير", "وزاره", "بنغازي", "بغداد", "كركوك", "فلسطين", "لبنان", "ليبيا", "الله",
            "سوريا", "امريكا", "برلمان", "بريطانيا"}) {
            assertEquals(ArabicFolder.fold(w), stem(w), w);
        }
    }

    @Test
    void prefixedAndBareFormsOfListedWordsAgree() {
        assertEquals(stem("التزام"), stem("الالتزام"));
        assertEquals(stem("وزير"), stem("الوزير"));
        assertEquals(stem("وزير"), stem("ووزير"));
        assertEquals(stem("وزاره"), stem("وزارات"));
    }

    @Test
    void foldMatchesPythonFold() {
        assertEquals("مسيول", ArabicFolder.fold("مسؤول"));
        assertEquals("مسيول", ArabicFolder.fold("مسئول"));
        assertEquals("اسراييلي", ArabicFolder.fold("إســرائيلي"));
        assertEquals("قتل 34 شخصا", ArabicFolder.fold("قُتِلَ ٣۴ شخصاً"));
        assertEquals("مستشفي", ArabicFolder.fold("مستشفى"));
        assertEquals("abc", ArabicFolder.fold("ABC\u200f"));
    }
}
