import pytest

from marsad.nlp.boilerplate import strip_boilerplate


@pytest.mark.parametrize(
    "text, expected",
    [
        ("خبر عن ليبيا. (وكالات)", "خبر عن ليبيا."),
        ("دمشق (سانا) – قال مصدر إن الطريق فتح", "قال مصدر إن الطريق فتح"),
        ("بيروت - (أ ف ب) - اندلعت اشتباكات", "اندلعت اشتباكات"),
        ("نص عادي (بين قوسين) هنا", "نص عادي (بين قوسين) هنا"),
    ],
)
def test_agency_credits_are_trimmed_at_the_edges(text, expected):
    assert strip_boilerplate(text) == expected


def _whole_text_search(text: str) -> str:
    """strip_boilerplate as it was before the end-anchored patterns got a starting point: every
    pattern searched over the whole text."""
    from marsad.nlp import boilerplate as b

    previous = None
    while previous != text:
        previous = text
        for p in (b._LEADING, b._SOURCE_LINE, b._TRAILING, b._TRAILING_BARE, b._SIGNOFFS, b._OUTLET_CREDIT):
            text = p.sub("", text, count=1)
    return text.strip()


_BODY = "قالت الحكومة إن الوفد وصل إلى طرابلس: المحادثات تبدأ غدا (الأحد) في القصر.\nوأضاف المتحدث أن اللقاء مهم"
_ENDINGS = [
    "", " (رويترز)", " - أ ف ب.", "\n\nاقرأ أيضا: شيء آخر", "\n***\nجميع المقالات المنشورة تمثل رأي كتابها",
    " فرانس 24 / أ ف ب", "\nالمصدر: سكاي نيوز\n", "  —  الأناضول  ", " (وكالات)\n", ":  CNN", "\n", " \t\n ",
    " ((سانا))", " فرانس برس/ رويترز.", " (أ ف ب) (رويترز)", "\n\n", " -", " (", "/",
]


@pytest.mark.parametrize("ending", _ENDINGS)
@pytest.mark.parametrize("start", ["", "بيروت - (أ ف ب) - ", "(وكالات) "])
def test_searching_from_the_earliest_start_strips_exactly_what_a_whole_text_search_did(start, ending):
    for text in (start + _BODY + ending, start + _BODY.replace("\n", " ") + ending, start + ending):
        assert strip_boilerplate(text) == _whole_text_search(text)
