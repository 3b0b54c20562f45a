import pytest

from marsad.clean import Rejected, clean_article, strip_html
from marsad.records import Article

LIMITS = {"max_chars": 100_000, "arabic_min_ratio": 0.5}


def _article(title="", body="", summary=None):
    return Article.new(source="test", title=title, body=body, summary=summary)


def test_clean_adds_normalized_fields_and_keeps_originals():
    a = clean_article(_article("مسؤول ليبي", "قُتِلَ ٣ جنود في قنفودة."), **LIMITS)
    assert a.title == "مسؤول ليبي"
    assert a.title_norm == "مسيول ليبي"
    assert a.body_norm == "قتل 3 جنود في قنفوده."
    assert a.language == "ar"
    assert a.fingerprint


def test_agency_tag_does_not_change_the_fingerprint():
    a = clean_article(_article("انفجار في بغداد", "قتل خمسة أشخاص في انفجار."), **LIMITS)
    b = clean_article(_article("انفجار في بغداد", "قتل خمسة أشخاص في انفجار. (وكالات)"), **LIMITS)
    assert a.fingerprint == b.fingerprint
    assert b.body.endswith("(وكالات)"), "the displayed body keeps what the outlet wrote"


def test_empty_article_is_rejected_with_reason():
    with pytest.raises(Rejected, match="empty article"):
        clean_article(_article("  ", "\n"), **LIMITS)


def test_summary_stands_in_for_a_missing_body():
    a = clean_article(_article("عنوان الخبر", "", summary="ملخص الخبر هنا"), **LIMITS)
    assert a.body == "ملخص الخبر هنا"


def test_non_arabic_article_is_rejected_with_share():
    with pytest.raises(Rejected, match="not Arabic: 0%"):
        clean_article(_article("Markets close higher", "Stocks rose on Thursday."), **LIMITS)


def test_enormous_article_is_rejected_with_size():
    with pytest.raises(Rejected, match="too large"):
        clean_article(_article("عنوان", "ن" * 200_000), **LIMITS)


def test_html_remnants_are_removed_from_display_text():
    a = clean_article(_article("<b>عنوان</b>", "<p>نص &amp; خبر</p><script>alert(1)</script>"), **LIMITS)
    assert a.title == "عنوان"
    assert a.body == "نص & خبر"


def test_strip_html_leaves_plain_text_alone():
    assert strip_html("نص عادي") == "نص عادي"


def test_publication_time_in_the_future_falls_back_to_fetch_time():
    a = _article("عنوان", "نص عربي")
    a.published_at = "2999-01-01T00:00:00+00:00"
    out = clean_article(a, **LIMITS)
    assert out.published_at == a.fetched_at and out.published_at_estimated


def test_old_archive_dates_are_kept():
    a = Article.new(source="test", title="عنوان", body="نص عربي", published_at="2018-02-18T21:35:43+04:00")
    out = clean_article(a, **LIMITS)
    assert out.published_at == "2018-02-18T21:35:43+04:00" and not out.published_at_estimated


def test_unreadable_publication_time_falls_back_and_is_marked():
    a = _article("عنوان", "نص عربي")
    a.published_at = "not a date"
    out = clean_article(a, **LIMITS)
    assert out.published_at == a.fetched_at and out.published_at_estimated
