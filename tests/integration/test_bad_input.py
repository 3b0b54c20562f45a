"""A corpus of bad input, each kind fed through the real agents and stream: every input is accounted for
(indexed, or a dead letter with its reason), and good input keeps flowing after all of it."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import pytest

from agents.feeds import Feed
from agents.fetch import Fetcher
from agents.publisher import Publisher
from agents.runner import poll_feed
from agents.sources.rss import parse_feed
from agents.state import AgentState
from marsad.records import Article
from tests.integration.conftest import article_count, dead_letters, settled, wait_for

pytestmark = pytest.mark.integration

AR = "أعلنت السلطات المحلية اليوم فتح الطريق الساحلي أمام حركة المرور بعد إغلاقه ثلاثة أيام بسبب الأمطار."


def rss(*items: tuple[str, str, str, str | None], encoding: str = "utf-8", declare: str | None = "utf-8") -> bytes:
    """A small RSS document; items are (guid, title, description, pubDate or None)."""
    head = f'<?xml version="1.0" encoding="{declare}"?>' if declare else '<?xml version="1.0"?>'
    body = "".join(
        f"<item><guid>{escape(g)}</guid><link>https://bad.example/{escape(g)}</link><title>{escape(t)}</title>"
        f"<description>{escape(d)}</description>" + (f"<pubDate>{p}</pubDate>" if p else "") + "</item>"
        for g, t, d, p in items
    )
    return f'{head}<rss version="2.0"><channel><title>t</title>{body}</channel></rss>'.encode(encoding)


@dataclass
class Case:
    name: str
    body: object = b""  # bytes, or a callable writing to the response
    status: int = 200
    headers: dict = field(default_factory=lambda: {"Content-Type": "application/rss+xml"})
    dlq: list[tuple[str, str]] = field(default_factory=list)  # (stage, reason fragment)
    indexed: int = 0  # how many of its items end in the index


def _entities(levels: int) -> bytes:
    """An XML entity bomb: each entity is ten of the one before, `levels` deep."""
    ents = '<!ENTITY e0 "aaaaaaaaaa">' + "".join(f'<!ENTITY e{i} "{("&e%d;" % (i - 1)) * 10}">' for i in range(1, levels))
    top = f"&e{levels - 1};"
    return (f'<?xml version="1.0"?><!DOCTYPE z [{ents}]><rss version="2.0"><channel><item><guid>bomb-{levels}</guid>'
            f"<title>{top}</title><description>{top}</description></item></channel></rss>").encode()


def _huge(out) -> None:
    for _ in range(50):  # 50 MB, more than the 10 MB cap
        out.write(b"<" * (1 << 20))


FEED_CASES = [
    Case("malformed-xml", b"<rss version='2.0'><channel><<<title>x</ti", dlq=[("fetch", "malformed feed")]),
    # a billion laughs: expat refuses the amplification, the loose parser keeps the item unexpanded
    Case("entity-bomb", _entities(9), dlq=[("fetch", "amplification"), ("clean", "not Arabic")]),
    # a smaller one expands to a megabyte per field: too large for a Kafka record
    Case("entity-megabytes", _entities(6), dlq=[("publish", "too large for Kafka")]),
    Case("cp1256-declared-utf8", rss(("cp-1", "خبر بترميز ويندوز", AR, None), encoding="windows-1256"), indexed=1),
    Case("no-arabic-encoding", b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><item>'
         b"<title>\xe0\xe2\xe7\xe8 \xe9\xe0</title></item></channel></rss>", dlq=[("fetch", "Arabic encoding")]),
    Case("empty-body", b"", dlq=[("fetch", "empty")]),
    Case("fifty-megabytes", _huge, dlq=[("fetch", "cap")]),
    Case("html-not-feed", b"<html><body><p>not a feed</p></body></html>", dlq=[("fetch", "not an RSS or Atom")]),
    Case("http-500", b"oops", status=500, dlq=[("fetch", "HTTP 500")]),
    Case("redirect-loop", b"", status=302, headers={"Location": "/bad/redirect-loop"}, dlq=[("fetch", "redirected too many times")]),
    Case("script-in-fields", rss(("script-1", "<b>عنوان</b> مع وسوم", f"<script>alert('x')</script><p>{AR}</p>", None)), indexed=1),
    Case("date-far-future", rss(("future-1", "خبر من المستقبل", AR + " المستقبل", "Mon, 01 Jan 2999 00:00:00 GMT")), indexed=1),
    Case("date-far-past", rss(("past-1", "خبر قديم جدا", AR + " الماضي", "Mon, 01 Jan 1900 00:00:00 GMT")), indexed=1),
    Case("not-arabic", rss(("en-1", "Ministers meet in Geneva", "Talks continued on Tuesday in Geneva.", None)),
         dlq=[("clean", "not Arabic")]),
    Case("item-without-text", rss(("empty-1", "", "", None)), dlq=[("source", "neither title nor text")]),
    Case("item-two-megabytes", rss(("big-1", "خبر طويل جدا", "ن " * 1_000_000, None)), dlq=[("publish", "too large for Kafka")]),
    Case("diacritics-and-tatweel", rss(("diac-1", "خَبَـــرٌ مُشَكَّــلٌ", "أَعْلَنَـــتِ السُّلُطَـــاتُ فَتْحَ الطَّرِيقِ السَّاحِلِيِّ.", None)), indexed=1),
    Case("no-link-no-guid", b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><item><title>'
         + "خبر بلا رابط".encode() + b"</title><description>" + (AR + " بلا رابط").encode() + b"</description></item></channel></rss>",
         indexed=1),
]

RAW_CASES = {
    "raw-not-utf8": (b"\xff\xfe\xfd not utf-8", "not UTF-8"),
    "raw-not-json": (b"{\"id\": ", "not JSON"),
    "raw-json-array": (b"[1, 2, 3]", "JSON object"),
    "raw-wrong-schema": (json.dumps({"schema_version": 7, "id": "a", "source": "s", "title": "t", "body": "b"}).encode(), "schema_version"),
    "raw-title-not-string": (json.dumps({"schema_version": 1, "id": "a", "source": "s", "title": 42, "body": "b"}).encode(), "must be a string"),
}


def _poll(http_server, settings, case: Case, tmp_path) -> None:
    path = f"/bad/{case.name}"
    http_server.routes[path] = (case.status, case.headers, case.body)
    pub = Publisher(settings)
    state = AgentState(tmp_path / "agents.sqlite")
    fetcher = Fetcher(timeout=10, max_bytes=settings.max_body_bytes, max_redirects=3)
    try:
        poll_feed(Feed(case.name, f"{http_server.base}{path}", "bad-input", 30), fetcher, pub, state)
    finally:
        fetcher.close()
        state.close()
        pub.close()


def test_every_bad_input_is_accounted_for_and_the_pipeline_keeps_flowing(worker, es, it_settings, http_server, tmp_path):
    s = it_settings
    wait_for(lambda: settled(s), timeout=60, what="a quiet pipeline before the corpus")
    before = article_count(es, s)
    for case in FEED_CASES:
        _poll(http_server, s, case, tmp_path)
    pub = Publisher(s)
    for name, (value, _) in RAW_CASES.items():
        pub.producer.send(s.topics.articles_raw, key=name.encode(), value=value)
    # Elasticsearch refuses this one (fetched_at is no date); the processors before it cannot tell.
    refused = Article.new(source="bad-input", title="خبر يرفضه الفهرس", body=AR + " الفهرس", url="https://bad.example/refused")
    refused.fetched_at = "yesterday"
    pub.publish([refused])
    # Good input after all the bad: it must flow.
    after = Article.new(source="bad-input", title="خبر سليم بعد المدخلات الفاسدة", body=AR + " سليم", url="https://bad.example/after")
    pub.publish([after])
    pub.close()

    wait_for(lambda: es.exists(index=s.articles_index, id=after.id) and settled(s), timeout=120,
             what="the good article after the bad corpus")
    letters = dead_letters(s)
    by_source: dict[str, list[dict]] = {}
    for d in letters:
        by_source.setdefault(d.get("source") or "", []).append(d)

    accounted = 0
    expected_indexed = 0
    for case in FEED_CASES:
        body = case.body if isinstance(case.body, bytes) else b""
        try:
            items = parse_feed(body, feed=case.name, outlet="bad-input") if case.status == 200 and body else []
        except Exception:  # noqa: BLE001 - a document that does not parse has no items to look for
            items = []
        for stage, fragment in case.dlq:
            if stage in ("fetch", "source", "publish"):
                mine = [d for d in by_source.get(case.name, []) if d["stage"] == stage]
            else:  # the processors key dead letters by article id
                ids = {i.article.id for i in items if i.article}
                mine = [d for d in letters if d["stage"] == stage and d.get("key") in ids]
            assert any(fragment in d["reason"] for d in mine), (case.name, stage, [d["reason"] for d in mine])
            accounted += 1
        found = [i.article.id for i in items if i.article and es.exists(index=s.articles_index, id=i.article.id)]
        assert len(found) == case.indexed, (case.name, found)
        accounted += len(found)
        expected_indexed += case.indexed

    raw_letters = {d.get("key"): d for d in letters if d["stage"] == "clean"}
    for name, (value, fragment) in RAW_CASES.items():
        assert name in raw_letters and fragment in raw_letters[name]["reason"], name
        assert base64.b64decode(raw_letters[name]["original"]) == value
        accounted += 1

    index_letters = [d for d in letters if d["stage"] == "index" and d.get("key") == refused.id]
    assert index_letters and "fetched_at" in index_letters[0]["reason"]
    accounted += 1

    total_inputs = sum(len(c.dlq) + c.indexed for c in FEED_CASES) + len(RAW_CASES) + 1
    assert accounted == total_inputs >= 20
    assert article_count(es, s) == before + expected_indexed + 1

    # What the index holds for the odd but usable inputs.
    def doc(guid: str) -> dict:
        case = next(c for c in FEED_CASES if guid in (c.body if isinstance(c.body, bytes) else b"").decode("utf-8", "replace"))
        item = next(i for i in parse_feed(case.body, feed=case.name, outlet="bad-input") if i.article)
        return es.get(index=s.articles_index, id=item.article.id)["_source"]

    assert "<script" not in doc("script-1")["body"] and "alert" not in doc("script-1")["body"]
    assert doc("future-1")["published_at_estimated"] is True
    assert doc("past-1")["published_at_estimated"] is True
    hits = es.search(index=s.articles_index, query={"match": {"title": "خبر مشكل"}})["hits"]["hits"]
    assert any("مُشَكَّــلٌ" in h["_source"]["title"] for h in hits)


def test_corrected_item_under_the_same_guid_replaces_the_indexed_text(worker, es, it_settings, http_server, tmp_path):
    s = it_settings
    first = Case("guid-first", rss(("same-guid", "خبر أولي عن الطريق", AR, None)))
    corrected = Case("guid-first", rss(("same-guid", "خبر مصحح عن الطريق", AR + " وتم تصحيح الخبر", None)))
    _poll(http_server, s, first, tmp_path)
    (item,) = parse_feed(first.body, feed="guid-first", outlet="bad-input")
    wait_for(lambda: es.exists(index=s.articles_index, id=item.article.id), timeout=60, what="the first version")
    _poll(http_server, s, corrected, tmp_path)
    wait_for(lambda: es.get(index=s.articles_index, id=item.article.id)["_source"]["title"] == "خبر مصحح عن الطريق",
             timeout=60, what="the corrected version to replace the first")
