"""Entities through clitics, with offsets into the original text, and canonical forms."""

from marsad.nlp import clitics
from marsad.nlp.ner import entities, loose, resolve_place
from marsad.nlp.normalize import fold


def _by_text(text):
    return {e.text: e for e in entities(text)}


def test_entities_found_through_clitic_stack():
    text = "ووصل الوفد وبالقاهرة التقى الرئيس، ثم توجه إلى بنغازي وللجيش الوطني الليبي ممثلون هناك."
    ents = entities(text)
    cairo = next(e for e in ents if e.canonical == "Cairo")
    assert cairo.text == "القاهرة"
    assert text[cairo.start : cairo.end] == "القاهرة"
    army = next(e for e in ents if "جيش" in e.text)
    assert text[army.start - 2 : army.start] == "لل"  # the stack stays outside the span
    assert army.canonical == fold("الجيش الوطني الليبي")


def test_names_that_begin_with_clitic_letters_stay_whole():
    known = frozenset({fold("بنغازي"), fold("وليد"), fold("لبنان")})
    assert clitics.split(fold("بنغازي"), known) == (0, fold("بنغازي"))
    assert clitics.split(fold("وليد"), known) == (0, fold("وليد"))
    assert clitics.split(fold("وزير")) == (0, fold("وزير"))
    assert clitics.split(fold("ولبنان"), known) == (1, fold("لبنان"))
    assert clitics.split(fold("وبالقاهرة")) == (2, fold("القاهرة"))


def test_offsets_point_into_text_with_diacritics_and_tatweel():
    text = "وَصَلَ الرَّئِيسُ إلى بَنْغـــازِي أَمْسِ."
    ben = next(e for e in entities(text) if e.canonical == "Benghazi")
    assert text[ben.start : ben.end] == ben.text
    assert fold(ben.text) == fold("بنغازي")


def test_spelling_variants_share_one_canonical():
    text = (
        "سيطر الجيش على قنفوذة غربي بنغازي. وقال رئيس الحكومة فائز السراج إن قنفودة تحررت. "
        "ورحب فايز السراج بذلك."
    )
    ents = entities(text)
    places = {e.canonical for e in ents if fold(e.text) in (fold("قنفوذة"), fold("قنفودة"))}
    assert places == {"Ganfouda"}
    people = {e.canonical for e in ents if e.type == "PER" and "السراج" in e.text}
    assert len(people) == 1
    assert loose("قنفوذة") == loose("قنفودة")
    assert loose("فائز") == loose("فايز")


def test_places_resolve_to_coordinates_country_and_admin1():
    p = resolve_place("بنغازي")
    assert p.country == "LY" and p.admin1 and abs(p.lat - 32.1) < 0.5
    assert resolve_place("القاهرة").country == "EG"
    assert resolve_place("ليبيه").kind == "country"  # ta marbuta / final heh variant
    assert resolve_place("المدينة") is None or resolve_place("المدينة").kind != "city"
