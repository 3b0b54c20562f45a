"""Dates resolved from the publication day, and counts from digits and number words."""

from datetime import date

from marsad.nlp.dates import find_dates, hijri_to_gregorian
from marsad.nlp.numbers import counts

PUB = date(2016, 3, 3)  # a Thursday


def _one(text, pub=PUB):
    found = find_dates(text.split(), pub)
    assert found, text
    return found[0]


def test_yesterday_with_weekday_resolves_to_the_day_before_publication():
    assert _one("أعلن الجيش أمس الأربعاء").day == date(2016, 3, 2)


def test_dawn_today_is_the_publication_day():
    d = _one("قصفت الطائرات فجر اليوم")
    assert d.day == PUB and d.precision == "day"


def test_month_names_in_every_regional_series_agree():
    for month in ("يناير", "كانون الثاني", "جانفي"):
        assert _one(f"في 25 {month} 2016").day == date(2016, 1, 25)


def test_month_without_year_is_the_latest_past_one():
    assert _one("في 17 ديسمبر الماضي").day == date(2015, 12, 17)


def test_hijri_date_converts_to_gregorian():
    assert _one("في 1 رمضان 1439 هـ").day == hijri_to_gregorian(1439, 9, 1) == date(2018, 5, 16)


def test_next_weekday_is_in_the_future():
    d = _one("يوم الأحد المقبل")
    assert d.day == date(2016, 3, 6) and d.future


def test_counts_from_digits_words_vague_and_ranges():
    assert counts("نحو 30 قتيلا".split())[0].value == 30
    assert counts("قتل ثلاثة أشخاص".split())[0].value == 3
    assert counts("خمسة وعشرين جريحا".split())[0].value == 25
    vague = counts("عشرات القتلى".split())[0]
    assert vague.value is None and vague.minimum == 20
    rng = counts("ما بين 4000 و6000 مسلح".split())[0]
    assert (rng.minimum, rng.maximum) == (4000, 6000)
    assert counts("أكثر من مئة".split())[0].minimum == 100
    assert counts("٤٥ قتيلا".split())[0].value == 45


def test_a_season_with_its_year_is_dated_to_that_season():
    pub = date(2018, 7, 23)
    spaced = find_dates("شارك في مظاهرة في صيف 2012 في دمشق".split(), pub)
    glued = find_dates("اعتقل أياما في شتاء2011 ثم أفرج عنه".split(), pub)
    assert [(d.day, d.precision) for d in spaced] == [(date(2012, 7, 1), "month")]
    assert [(d.day, d.precision) for d in glued] == [(date(2011, 1, 1), "month")]
    # "ربيع" without a year is a Hijri month or the Arab Spring, not a date
    assert find_dates("منذ الربيع العربي".split(), pub) == []
