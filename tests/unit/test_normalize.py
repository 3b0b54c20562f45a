from marsad.nlp.normalize import arabic_ratio, clean_text, fold, fold_with_offsets, normalize, word_spans


def test_hamza_seats_fold_together():
    assert fold("مسؤول") == fold("مسئول") == "مسيول"
    assert fold("شؤون") == fold("شئون")


def test_alef_variants_fold_to_bare_alef():
    assert fold("أحمد إبراهيم آمال ٱلله") == "احمد ابراهيم امال الله"


def test_teh_marbuta_and_alef_maqsura_fold():
    assert fold("قنفودة مستشفى") == "قنفوده مستشفي"


def test_diacritics_and_tatweel_are_removed():
    assert fold("قَتِيلاً") == "قتيلا"
    assert fold("الجـــيش") == "الجيش"


def test_arabic_indic_and_persian_digits_become_ascii():
    assert fold("٣٠ قتيلا و۲۵ جريحا") == "30 قتيلا و25 جريحا"


def test_presentation_forms_are_unfolded():
    assert fold("ﻻ") == "لا"


def test_spelling_variant_of_name_matches_after_fold():
    assert fold("فائز السراج") == fold("فايز السراج")


def test_normalize_collapses_space_and_control_characters():
    assert normalize("  الجيش\t\x07 الليبي \n") == "الجيش الليبي"


def test_fold_with_offsets_points_back_into_original():
    text = "قُتِلَ الجُنود في بنغازي"
    folded, origin = fold_with_offsets(text)
    assert folded == fold(text)
    start = folded.index("بنغازي")
    assert text[origin[start]: origin[start + len("بنغازي") - 1] + 1] == "بنغازي"


def test_clean_text_keeps_hamza_for_display():
    assert clean_text("مسؤول   في\r\nالوزارة") == "مسؤول في\nالوزارة"


def test_word_spans_skip_punctuation():
    spans = word_spans("قال، إنه 30 قتيلاً.")
    assert [w for w, _, _ in spans] == ["قال", "إنه", "30", "قتيلاً"]
    text = "قال، إنه"
    for w, s, e in word_spans(text):
        assert text[s:e] == w


def test_arabic_ratio_separates_arabic_from_english():
    assert arabic_ratio("الجيش الليبي") == 1.0
    assert arabic_ratio("Stock markets closed higher") == 0.0
    assert arabic_ratio("12345") == 0.0


def test_normalize_collapses_exactly_the_white_space_a_regex_would():
    import re

    from marsad.nlp.normalize import _CONTROL, fold, normalize

    spaces = re.compile(r"\s+")
    for text in ["\x00a\x01  b\x7f\u00a0c\u2028d\x1ce  ", "", "   ", "\tمرحبا\x0b\x0cبكم\r\n\x85x",
                 "ـــقَالَ\u200f  الرئيس", "\u3000\u2009x\u202fy\u205f"]:
        assert normalize(text) == spaces.sub(" ", _CONTROL.sub(" ", fold(text))).strip()
