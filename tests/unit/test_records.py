import json

import pytest

from marsad.records import SCHEMA_VERSION, Article, ContractError, DeadLetter, article_id, canonical_url


def test_canonical_url_drops_tracking_fragment_and_www():
    assert canonical_url("HTTP://www.Example.com:80/a/b/?utm_source=rss&b=2&a=1#top") == "https://example.com/a/b?a=1&b=2"


def test_same_page_with_tracking_parameters_gets_same_id():
    a = article_id("https://news.example.org/x?utm_source=rss&utm_medium=feed")
    b = article_id("http://news.example.org/x/")
    assert a == b


def test_id_without_url_hashes_source_title_and_body():
    assert article_id(None, "s", "t", "b") == article_id(None, "s", "t", "b")
    assert article_id(None, "s", "t", "b") != article_id(None, "s", "t", "c")


def test_missing_publication_time_falls_back_to_fetch_time_and_says_so():
    a = Article.new(source="x", title="t", body="b")
    assert a.published_at_estimated is True
    assert a.published_at == a.fetched_at


def test_article_round_trips_through_json():
    a = Article.new(source="x", title="عنوان", body="نص", url="https://e.org/1")
    b = Article.from_json(a.to_json())
    assert b == a
    assert json.loads(a.to_json())["schema_version"] == SCHEMA_VERSION


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"{not json", "not JSON"),
        (b"[1, 2]", "JSON object"),
        (json.dumps({"schema_version": 99, "id": "a", "source": "s", "title": "t", "body": "b"}).encode(), "schema_version"),
        (json.dumps({"schema_version": SCHEMA_VERSION, "id": "a", "source": "s", "title": 5, "body": "b"}).encode(), "'title'"),
    ],
)
def test_contract_errors_say_what_is_wrong(raw, message):
    with pytest.raises(ContractError, match=message):
        Article.from_json(raw)


def test_dead_letter_keeps_original_bytes_exactly():
    raw = b"\x81\x82 not utf-8"
    letter = DeadLetter.of("clean", "why", raw, topic="t", partition=0, offset=3)
    decoded = json.loads(letter.to_json())
    assert decoded["reason"] == "why" and decoded["stage"] == "clean"
    assert DeadLetter(**decoded).original_bytes() == raw
