"""Versioned indices on the real node: a newer template version rolls the alias to a new index
and keeps every document, without _reindex."""

from __future__ import annotations

import uuid

import pytest
from elasticsearch import helpers

from marsad.settings import Settings
from streams.index import setup

pytestmark = pytest.mark.integration


@pytest.fixture
def prefixed(es, it_settings, monkeypatch):
    """Settings with an index prefix of this test's own; its indices and templates go afterwards."""
    prefix = f"itver{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("MARSAD_INDEX_PREFIX", prefix)
    s = Settings()
    yield s
    es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True, allow_no_indices=True)
    for kind in setup.KINDS:
        es.options(ignore_status=404).indices.delete_index_template(name=f"{prefix}-{kind}")


def _with_version(monkeypatch, version: int) -> None:
    """Make every template say `version`, as if the repository had been at that version."""
    real = setup._load

    def load(name: str) -> dict:
        body = real(name)
        if name in setup.KINDS:
            body["_meta"] = {**body["_meta"], "marsad_version": version}
        return body

    monkeypatch.setattr(setup, "_load", load)


def _behind(es, alias: str) -> list[str]:
    return sorted(setup.alias_indices(es, alias))


def test_new_template_version_rolls_alias_and_keeps_every_document(es, prefixed, monkeypatch):
    _with_version(monkeypatch, 1)
    first = setup.ensure_indices(prefixed, es)
    alias = prefixed.articles_index
    assert first[alias] == f"{alias}-v1"
    docs = [{"id": f"a{i}", "title": f"اشتباكات في بنغازي رقم {i}", "body": "قتل ثلاثة مسلحين",
             "published_at": "2018-02-18T10:00:00Z", "source": "الوسط"} for i in range(1200)]
    helpers.bulk(es, ({"_index": alias, "_id": d["id"], "_source": d} for d in docs), refresh=True)

    # A document written after the new index exists is newer than its copy and must survive.
    es.indices.create(index=f"{alias}-v2")
    es.index(index=f"{alias}-v2", id="a0", document={**docs[0], "title": "نسخة احدث"}, refresh=True)

    _with_version(monkeypatch, 2)
    second = setup.ensure_indices(prefixed, es)
    assert second[alias] == f"{alias}-v2"
    assert _behind(es, alias) == [f"{alias}-v2"]
    assert es.count(index=alias)["count"] == 1200
    assert es.get(index=alias, id="a0")["_source"]["title"] == "نسخة احدث"
    assert es.get(index=alias, id="a1199")["_source"]["title"].endswith("1199")
    # The old index stays, unaliased, for a manual roll-back.
    assert es.count(index=f"{alias}-v1")["count"] == 1200
    assert setup.index_version(es, f"{alias}-v2") == 2
    # The new index has the template's analysis: a search-time name variant finds the other spelling.
    es.index(index=alias, id="q", document={"id": "q", "title": "تحرير قنفودة", "body": ""}, refresh=True)
    hits = es.search(index=alias, query={"match": {"title": "قنفوذة"}})["hits"]["hits"]
    assert [h["_id"] for h in hits] == ["q"]

    # Idempotent: the same version again changes nothing.
    assert setup.ensure_indices(prefixed, es)[alias] == f"{alias}-v2"
    assert _behind(es, alias) == [f"{alias}-v2"]


def test_roll_that_stopped_half_way_is_finished_by_the_next_call(es, prefixed, monkeypatch):
    _with_version(monkeypatch, 3)
    setup.ensure_indices(prefixed, es)
    alias = prefixed.events_index
    es.index(index=alias, id="e1", document={"event_id": "e1", "type": "battle.clash"}, refresh=True)
    # As if a roll to v4 crashed after step 2: both indices behind the alias, v4 the write index.
    es.indices.create(index=f"{alias}-v4")
    es.indices.update_aliases(actions=[
        {"add": {"index": f"{alias}-v4", "alias": alias, "is_write_index": True}},
        {"add": {"index": f"{alias}-v3", "alias": alias, "is_write_index": False}},
    ])
    _with_version(monkeypatch, 4)
    assert setup.ensure_indices(prefixed, es)[alias] == f"{alias}-v4"
    assert _behind(es, alias) == [f"{alias}-v4"]
    assert es.get(index=alias, id="e1")["_source"]["type"] == "battle.clash"


def test_events_mapping_has_dates_and_geo_point(es, prefixed):
    setup.ensure_indices(prefixed, es)
    index = next(iter(setup.alias_indices(es, prefixed.events_index)))
    props = es.indices.get_mapping(index=index)[index]["mappings"]["properties"]
    assert props["event_date"]["type"] == "date"
    assert props["location"]["properties"]["point"]["type"] == "geo_point"
    assert props["sources"]["normalizer"] == "marsad_keyword"
