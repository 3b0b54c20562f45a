"""The walking skeleton end to end: agents -> Kafka -> Faust -> Elasticsearch, on the real local stack."""

from __future__ import annotations

import base64
import email.utils
import json
import logging
import re
from datetime import timedelta

import pytest
from click.testing import CliRunner

from agents.feeds import Feed
from agents.fetch import Fetcher
from agents.runner import poll_feed
from agents.sources.rss import parse_feed
from agents.state import AgentState
from marsad.cli import main as cli
from marsad.query import build_article_query
from marsad.records import Article, utcnow
from marsad.settings import REPO_ROOT
from tests.integration.conftest import article_count, dead_letters, settled, wait_for

pytestmark = pytest.mark.integration

_PUB_DATE = re.compile(rb"<pubDate>([^<]+)</pubDate>")


def _dated_recently(feed: bytes) -> bytes:
    """The feed with its items' dates moved to just before now, their spacing kept. Dedup compares
    an article only with those published within MARSAD_NEAR_WINDOW of the stream's latest, and the
    session's other tests publish at the current time: with the file's own dates (2026-11-20) its
    copies stopped being found three days later."""
    def when(raw: bytes):
        return email.utils.parsedate_to_datetime(raw.decode("ascii"))

    shift = utcnow() - timedelta(minutes=1) - max(when(m.group(1)) for m in _PUB_DATE.finditer(feed))
    def moved(m: re.Match) -> bytes:
        date = email.utils.format_datetime(when(m.group(1)) + shift).encode("ascii")
        return b"<pubDate>" + date + b"</pubDate>"

    return _PUB_DATE.sub(moved, feed)


SAMPLE = _dated_recently((REPO_ROOT / "agents" / "samples" / "sample_ar.rss").read_bytes())
# 25 items: one is the same link again (dropped), one is English (dead letter).
SAMPLE_INDEXED = 23


def _search(es, settings, text: str) -> list[dict]:
    body = build_article_query(text, size=20)
    return es.search(index=settings.articles_index, **body)["hits"]["hits"]


def _poll(http_server, settings, path: str, body: bytes, tmp_path, name: str, headers=None) -> int:
    http_server.routes[path] = (200, headers or {"Content-Type": "application/rss+xml"}, body)
    from agents.publisher import Publisher

    pub = Publisher(settings)
    state = AgentState(tmp_path / f"{name}.sqlite")
    fetcher = Fetcher(timeout=10, max_bytes=settings.max_body_bytes)
    try:
        return poll_feed(Feed(name, f"{http_server.base}{path}", "marsad-sample", 30), fetcher, pub, state)
    finally:
        fetcher.close()
        state.close()
        pub.close()


# Other test modules share the session's index, so counts here are taken relative to this one.
BASE: dict[str, int] = {}


@pytest.fixture(scope="module")
def sample_indexed(worker, es, it_settings, http_server, tmp_path_factory):
    wait_for(lambda: settled(it_settings), timeout=90, what="a quiet pipeline before the sample feed")
    BASE["articles"] = article_count(es, it_settings)
    new = _poll(http_server, it_settings, "/sample.rss", SAMPLE, tmp_path_factory.mktemp("agents"), "sample-ar")
    assert new == 25
    wait_for(lambda: article_count(es, it_settings) >= BASE["articles"] + SAMPLE_INDEXED and settled(it_settings),
             timeout=90, what="the sample feed to be indexed")
    return it_settings


def test_sample_feed_is_searchable_with_arabic_variants(sample_indexed, es):
    s = sample_indexed
    assert article_count(es, s) == BASE["articles"] + SAMPLE_INDEXED
    titles = [h["_source"]["title"] for h in _search(es, s, "قنفودة")]
    assert any("قنفودة" in t for t in titles)
    sarraj = {h["_source"]["title"] for h in _search(es, s, "فائز السراج")}
    assert any("فائز" in t for t in sarraj) and any("فايز" in t for t in sarraj), sarraj
    official = {h["_source"]["title"] for h in _search(es, s, "مسؤول")}
    assert any("مسئول" in t for t in official) and any("مسؤول" in t for t in official), official


def test_search_highlights_the_matched_words(sample_indexed, es):
    hits = _search(es, sample_indexed, "بغداد")
    assert hits
    fragments = " ".join(f for h in hits for f in h.get("highlight", {}).get("body", []))
    assert "«بغداد»" in fragments


def test_same_link_again_is_dropped_and_copy_from_other_outlet_is_marked(sample_indexed, es):
    s = sample_indexed
    items = {i.key.split("#")[0]: i.article for i in parse_feed(SAMPLE, feed="f", outlet="o")}
    a, b = items["marsad-sample-iraq-1"].id, items["marsad-sample-iraq-1-wire"].id
    marks = {i: es.get(index=s.articles_index, id=i)["_source"].get("duplicate_of") for i in (a, b)}
    # Whichever of the two the worker saw first is the original; the other points at it.
    assert (marks[a], marks[b]) in {(None, a), (b, None)}


def test_english_item_goes_to_dead_letters_with_reason(sample_indexed):
    letters = [d for d in dead_letters(sample_indexed) if d["stage"] == "clean"]
    english = [d for d in letters if b"Regional markets" in base64.b64decode(d["original"])]
    assert english and english[0]["reason"].startswith("not Arabic")


def test_same_items_published_twice_are_indexed_once(sample_indexed, es, http_server, tmp_path):
    s = sample_indexed
    before = article_count(es, s)
    # A fresh agent memory publishes all 25 items again.
    assert _poll(http_server, s, "/sample-again.rss", SAMPLE, tmp_path, "sample-again") == 25
    wait_for(lambda: settled(s), timeout=60, what="the worker to consume the second copy")
    assert article_count(es, s) == before


def test_seed_articles_are_ingested_and_searchable(sample_indexed, es, shared_dir):
    s = sample_indexed
    seeds = shared_dir / "samples" / "seeds"
    result = CliRunner().invoke(cli, ["ingest", str(seeds), "--source", "seeds", "--published-at", "2017-01-26T08:00:00+00:00"])
    assert result.exit_code == 0, result.output
    assert "published 2 new articles" in result.output
    wait_for(lambda: any(h["_source"]["source"] == "seeds" for h in _search(es, s, "قنفودة")),
             timeout=60, what="the seed article to be searchable")
    seed_hits = [h for h in _search(es, s, "حفتر") if h["_source"]["source"] == "seeds"]
    assert seed_hits


def test_bad_feeds_each_leave_one_line_and_one_dead_letter_and_the_rest_flows(
    sample_indexed, es, http_server, tmp_path, caplog
):
    s = sample_indexed
    wait_for(lambda: settled(s), timeout=60, what="a quiet pipeline")
    before = article_count(es, s)
    caplog.set_level(logging.WARNING, logger="marsad")
    huge = lambda out: [out.write(b"<rss>" + b"x" * (1 << 20)) for _ in range(20)]  # noqa: E731 - 20 MB
    bad = {
        "malformed": ("/malformed.rss", b"<rss version='2.0'><channel><<<title>x</ti", "malformed feed"),
        "not-utf8": ("/latin.rss", b"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><item>"
                     b"<title>\xe0\xe2\xe7\xe8 \xe9\xe0</title></item></channel></rss>", "not valid in any Arabic encoding"),
        "empty": ("/empty.rss", b"", "feed body is empty"),
        "huge": ("/huge.rss", huge, "cap"),
    }
    for name, (path, body, _) in bad.items():
        assert _poll(http_server, s, path, body, tmp_path, name) == 0
    good = SAMPLE.replace(b"marsad-sample-sport-1", b"marsad-sample-sport-1-after-bad").replace(
        b"https://daily.example.com/sport/cup", b"https://daily.example.com/sport/cup-after-bad")
    assert _poll(http_server, s, "/good.rss", good, tmp_path, "after-bad") == 25
    letters = {d["source"]: d for d in dead_letters(s) if d["stage"] == "fetch"}
    for name, (_, _, reason) in bad.items():
        assert name in letters, f"no dead letter for {name}"
        assert reason in letters[name]["reason"]
        lines = [r for r in caplog.records if "dead letter" in r.getMessage() and f"source={name} " in r.getMessage()]
        assert len(lines) == 1, [r.getMessage() for r in caplog.records]
    assert len(base64.b64decode(letters["malformed"]["original"])) > 0
    wait_for(lambda: settled(s) and article_count(es, s) == before + 1, timeout=60, what="the good feed to flow")


def test_broken_records_on_the_raw_topic_become_dead_letters(sample_indexed, publisher):
    s = sample_indexed
    raw = [b"\xff\xfe not utf-8", b"{not json", json.dumps({"schema_version": 1, "id": "x"}).encode()]
    for i, value in enumerate(raw):
        publisher.producer.send(s.topics.articles_raw, key=f"broken-{i}".encode(), value=value)
    publisher.producer.flush()

    def found():
        got = {base64.b64decode(d["original"]) for d in dead_letters(s) if d["stage"] == "clean"}
        return all(v in got for v in raw)

    wait_for(found, timeout=60, what="dead letters for the broken records")
    reasons = [d["reason"] for d in dead_letters(s) if d["stage"] == "clean"]
    assert any("not UTF-8" in r for r in reasons)
    assert any("not JSON" in r for r in reasons)
    assert any("must be a string" in r for r in reasons)


def test_documents_elasticsearch_refuses_become_dead_letters(sample_indexed, es, publisher):
    s = sample_indexed
    bad = Article.new(source="test", title="خبر بتاريخ غير صالح", body="نص عربي قصير عن خبر ما", url="https://e.org/bad-date")
    bad.fetched_at = "not a date"  # clean repairs published_at, not fetched_at: the index refuses it
    good = Article.new(source="test", title="خبر بعده يمر", body="نص عربي آخر عن حدث مختلف تماما", url="https://e.org/after")
    publisher.publish([bad, good])
    wait_for(lambda: es.exists(index=s.articles_index, id=good.id), timeout=60, what="the good article after the bad one")
    letters = [d for d in dead_letters(s) if d["stage"] == "index"]
    refused = [d for d in letters if d.get("key") == bad.id]
    assert refused and "fetched_at" in refused[0]["reason"]
    assert json.loads(base64.b64decode(refused[0]["original"]))["id"] == bad.id
    assert not es.exists(index=s.articles_index, id=bad.id)


def test_worker_metrics_page_has_stage_counts_and_faust_figures(sample_indexed, it_settings):
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{it_settings.web_port}/metrics", timeout=10) as resp:
        assert resp.headers["Content-Type"].startswith("text/plain")
        page = resp.read().decode("utf-8")
    values = {}
    for line in page.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    new = values.get('marsad_articles_total{outcome="new",stage="dedup"}', 0.0)
    assert new >= 1, "no article counted as new by dedup"
    raw = it_settings.topics.articles_raw
    assert values.get(f'faust_messages_received_total{{topic="{raw}"}}', 0.0) >= new
    assert any(k.startswith("faust_committed_offset{") for k in values)
