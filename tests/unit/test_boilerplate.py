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
