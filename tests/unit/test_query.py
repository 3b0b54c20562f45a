"""The query language of `marsad search`: parsing and the Elasticsearch bodies it builds (no services)."""

from __future__ import annotations

import json

import pytest

from marsad.query import (
    ARTICLES,
    EVENTS,
    QuerySyntaxError,
    build_article_query,
    build_event_query,
    build_query,
    parse_query,
)


def test_words_phrases_and_exclusions_are_told_apart():
    p = parse_query('قصف "طرابلس الغربية" «فائز السراج» -تدريب -"مناورات عسكرية"')
    assert p.words == ["قصف"]
    assert p.phrases == ["طرابلس الغربية", "فائز السراج"]
    assert p.excluded == ["تدريب", "مناورات عسكرية"]


def test_field_filters_with_quoted_values_and_prefixes():
    p = parse_query('type:battle.* source:الوسط actor:"فائز السراج" place:بنغازي -source:"سكاي نيوز"')
    assert p.filters == {"type": ["battle.*"], "source": ["الوسط"], "actor": ["فائز السراج"], "place": ["بنغازي"]}
    assert p.not_filters == {"source": ["سكاي نيوز"]}
    assert not p.has_text


@pytest.mark.parametrize(("text", "lo", "hi"), [
    ("published:2026-11-01..2026-11-20", "2026-11-01", "2026-11-20"),
    ("published:2026-11-01..", "2026-11-01", None),
    ("date:..2026-11-20", None, "2026-11-20"),
    ("published:2026-11-05", "2026-11-05", "2026-11-05"),
    ("event_date:2026-11", "2026-11", "2026-11"),
])
def test_date_ranges(text, lo, hi):
    p = parse_query(text)
    assert (p.date_from, p.date_to) == (lo, hi)


@pytest.mark.parametrize("text", ["published:2026-13-01", "published:yesterday", "published:2026-02-30..", "source:"])
def test_bad_filters_say_what_is_wrong(text):
    with pytest.raises(QuerySyntaxError):
        parse_query(text)


def test_colons_that_are_not_our_keys_stay_words():
    assert parse_query("http://example.com 10:30 foo:bar").words == ["http://example.com", "10:30", "foo:bar"]


def test_stray_punctuation_is_not_a_word():
    assert parse_query("بغداد - ..").words == ["بغداد"]


def test_article_words_must_all_match_on_stemmed_and_exact_fields():
    body = build_article_query("قصف بنغازي")
    must = body["query"]["bool"]["must"][0]["multi_match"]
    assert must["operator"] == "and" and must["query"] == "قصف بنغازي"
    assert "body" in must["fields"] and "body.exact^1.5" in must["fields"]
    # copies hidden unless asked for
    assert {"exists": {"field": "duplicate_of"}} in body["query"]["bool"]["must_not"]
    assert {"exists": {"field": "duplicate_of"}} not in build_article_query("x", include_copies=True)["query"]["bool"].get("must_not", [])


def test_phrases_go_to_exact_fields():
    must = build_article_query('"فائز السراج"')["query"]["bool"]["must"]
    assert must == [{"multi_match": {"query": "فائز السراج", "fields": ["title.exact^2", "body.exact"], "type": "phrase"}}]


def test_highlight_marks_are_arabic_quotes():
    hl = build_article_query("بغداد")["highlight"]
    assert hl["pre_tags"] == ["«"] and hl["post_tags"] == ["»"]
    assert hl["fields"]["body"]["matched_fields"] == ["body", "body.exact"]


def test_date_range_is_inclusive_of_the_last_day():
    q = build_query(parse_query("published:2026-11-01..2026-11-20"), ARTICLES)
    rng = q["bool"]["filter"][0]["range"]["published_at"]
    assert rng["gte"] == "2026-11-01||/d" and rng["lte"] == "2026-11-20||/d"
    rng = build_query(parse_query("published:..2026-11"), EVENTS)["bool"]["filter"][0]["range"]["event_date"]
    assert rng["lte"] == "2026-11||/M" and "gte" not in rng


def test_event_filters_use_keyword_fields_and_names_in_text():
    q = build_event_query('type:battle.* actor:"فائز السراج" place:بنغازي source:الوسط')["query"]["bool"]
    text = json.dumps(q, ensure_ascii=False)
    assert '{"prefix": {"type": {"value": "battle."}}}' in text
    assert '"actors.canonical"' in text and '"match_phrase": {"actors.text": "فائز السراج"}' in text
    assert '"location.country"' in text and '"sources"' in text
    assert q["must"] == [{"match_all": {}}]


def test_event_search_without_words_is_newest_first():
    assert build_event_query("type:protest")["sort"][0]["event_date"]["order"] == "desc"
    assert "sort" not in build_event_query("مظاهرات type:protest")


def test_type_filter_on_articles_points_to_events():
    with pytest.raises(QuerySyntaxError, match="--events"):
        build_article_query("type:battle.clash")


def test_excluded_filter_lands_in_must_not():
    q = build_article_query("بغداد -source:الوسط", include_copies=True)["query"]["bool"]
    assert q["must_not"][0]["bool"]["should"][0] == {"term": {"source": {"value": "الوسط"}}}
