"""`marsad search` and `marsad eval search` on the real node, with the production templates."""

from __future__ import annotations

import json
import uuid

import pytest
from click.testing import CliRunner
from elasticsearch import helpers

from marsad.settings import Settings
from streams.index import setup

pytestmark = pytest.mark.integration

ARTICLES = [
    ("a1", "الوسط", "2026-11-03T08:00:00Z", "الجيش يستعيد قنفودة", "أعلن مسؤول عسكري استعادة قنفودة غرب بنغازي."),
    ("a2", "بوابة الوسط", "2026-11-10T08:00:00Z", "وزير الخارجية في بغداد", "وصل وزير الخارجية إلى بغداد لبحث الوضع في سوريا."),
    ("a3", "سكاي نيوز", "2026-11-25T08:00:00Z", "مقتل 12 شخصاً", "قتل اثنا عشر قتيلاً وجرح آخرون في قصف على قواتهم قرب درنة."),
    ("a4", "الوسط", "2026-11-12T08:00:00Z", "وليد يفوز", "فاز اللاعب وليد بالجائزة."),
]
EVENTS = [
    {"event_id": "e1", "type": "battle.territory", "event_date": "2026-11-03", "sources": ["الوسط", "ليبيا الأحرار"],
     "actors": [{"role": "actor1", "text": "الجيش الوطني الليبي", "canonical": "الجيش الوطني الليبي", "kind": "ORG"}],
     "location": {"text": "قنفودة", "canonical": "قنفودة", "country": "LY", "point": {"lat": 32.1, "lon": 19.98}},
     "sentence": "أعلن الجيش استعادة قنفودة غرب بنغازي", "trigger": "استعادة", "mentions": 2, "fatalities": None},
    {"event_id": "e2", "type": "protest", "event_date": "2026-11-15", "sources": ["الوسط"],
     "actors": [{"role": "actor1", "text": "محتجون", "canonical": "محتجون", "kind": "GROUP"}],
     "location": {"text": "طرابلس", "canonical": "طرابلس", "country": "LY", "point": {"lat": 32.9, "lon": 13.18}},
     "sentence": "تظاهر محتجون في طرابلس", "trigger": "تظاهر", "mentions": 1},
]


@pytest.fixture(scope="module")
def indexed(es, it_settings):
    """A private prefix with the production templates, a few articles and events."""
    prefix = f"itsearch{uuid.uuid4().hex[:8]}"
    mp = pytest.MonkeyPatch()
    mp.setenv("MARSAD_INDEX_PREFIX", prefix)
    s = Settings()
    setup.ensure_indices(s, es)
    docs = [{"_index": s.articles_index, "_id": i, "_source": {"id": i, "source": src, "published_at": at,
                                                              "title": t, "body": b}}
            for i, src, at, t, b in ARTICLES]
    docs += [{"_index": s.events_index, "_id": e["event_id"], "_source": e} for e in EVENTS]
    helpers.bulk(es, docs, refresh=True)
    yield s
    mp.undo()
    es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True, allow_no_indices=True)
    for kind in setup.KINDS:
        es.options(ignore_status=404).indices.delete_index_template(name=f"{prefix}-{kind}")


def search(*args: str) -> dict:
    from marsad.cli import main

    result = CliRunner().invoke(main, ["search", "--json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def ids(out: dict) -> set[str]:
    return {h.get("id") or h.get("event_id") for h in out["hits"]}


@pytest.mark.parametrize(("query", "expected"), [
    ("لسوريا", {"a2"}),            # clitic on a name
    ("ببغداد", {"a2"}),
    ("مسئول", {"a1"}),             # the other hamza seat
    ("قنفوذة", {"a1"}),            # a name variant, search-time synonym
    ("قتيل", {"a3"}),              # accusative alef in the document
    ("قوات", {"a3"}),              # pronoun suffix in the document
    ("وزير", {"a2"}),              # a word that starts with و keeps it
    ("وليد", {"a4"}),
])
def test_search_finds_arabic_variants(indexed, query, expected):
    assert ids(search(query)) == expected


def test_phrase_filters_and_dates(indexed):
    assert ids(search('"وزير الخارجية"')) == {"a2"}
    assert ids(search('"الخارجية وزير"')) == set()
    assert ids(search("source:الوسط")) == {"a1", "a4"}
    assert ids(search("published:2026-11-01..2026-11-10")) == {"a1", "a2"}
    assert ids(search("published:2026-11-12")) == {"a4"}
    assert ids(search("source:الوسط -وليد")) == {"a1"}


def test_snippets_are_highlighted(indexed):
    hit = search("بغداد")["hits"][0]
    assert "«بغداد»" in " ".join(hit["highlight"]["body"])


def test_event_search_by_type_place_and_date(indexed):
    assert ids(search("--events", "type:battle.*")) == {"e1"}
    assert ids(search("--events", "place:قنفودة")) == {"e1"}
    assert ids(search("--events", "place:LY", "published:2026-11-10..")) == {"e2"}
    assert ids(search("--events", "source:الوسط")) == {"e1", "e2"}
    out = search("--events", "استعادة قنفوذة")
    assert ids(out) == {"e1"} and out["hits"][0]["type"] == "battle.territory"


def test_type_on_articles_is_a_usage_error(indexed):
    from marsad.cli import main

    result = CliRunner().invoke(main, ["search", "type:protest"])
    assert result.exit_code == 2 and "--events" in result.output


def test_eval_search_runs_on_a_small_sample(es, it_settings):
    from marsad import search_eval

    if not search_eval.DEFAULT_CORPUS.exists():
        pytest.skip(f"ANT corpus not found at {search_eval.DEFAULT_CORPUS}")
    docs = search_eval.load_docs(search_eval.DEFAULT_CORPUS, 300)
    queries = tuple(q for q in search_eval.QUERIES if q.kind in ("clitic", "hamza"))
    out = search_eval.evaluate(es, docs, queries, prefix=f"evalsearch-it{uuid.uuid4().hex[:6]}")
    assert set(out["systems"]) == {"standard", "builtin_arabic", "marsad"}
    ours, builtin = out["systems"]["marsad"]["mean"], out["systems"]["builtin_arabic"]["mean"]
    assert ours["recall@10"] >= builtin["recall@10"]
