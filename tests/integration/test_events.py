"""Articles become event mentions and merged events in Elasticsearch, on the real stack."""

from __future__ import annotations

import pytest

from marsad.records import Article
from tests.integration.conftest import recent, settled, wait_for

pytestmark = pytest.mark.integration

# Five reports of one clash in Sirte from four outlets, the toll rising 3, 5, 5, 7, 7 (texts ours).
CLASH = [
    ("libya-herald", "اشتباكات في سرت", "اندلعت اشتباكات عنيفة اليوم في مدينة سرت الليبية بين قوات حكومية ومسلحين، ما أسفر عن مقتل 3 أشخاص."),
    ("wire-a", "مقتل خمسة في اشتباكات سرت", "ارتفعت حصيلة الاشتباكات في مدينة سرت الليبية إلى 5 قتلى، بحسب مصدر طبي."),
    ("wire-b", "اشتباكات سرت: 5 قتلى", "قال مصدر أمني إن 5 أشخاص قتلوا في اشتباكات مدينة سرت الليبية اليوم."),
    ("daily-c", "حصيلة اشتباكات سرت ترتفع إلى 7", "ارتفعت حصيلة ضحايا الاشتباكات في مدينة سرت الليبية إلى 7 قتلى."),
    ("libya-herald", "7 قتلى في اشتباكات سرت", "أكد مسؤول محلي مقتل 7 أشخاص في اشتباكات مدينة سرت الليبية."),
]


def _ids() -> list[str]:
    return [a.id for a in _articles()]


def _articles() -> list[Article]:
    return [
        Article.new(source=src, title=t, body=b, url=f"https://{src}.example/sirte/{i}",
                    published_at=recent(i))
        for i, (src, t, b) in enumerate(CLASH)
    ]


def _clash_events(es, s):
    """Clash events in Libya that these reports went into (other tests add their own events)."""
    es.indices.refresh(index=s.events_index)
    q = {"bool": {"filter": [{"term": {"type": "battle.clash"}}, {"term": {"location.country": "LY"}},
                             {"terms": {"article_ids": _ids()}}]}}
    return [h["_source"] for h in es.search(index=s.events_index, query=q, size=10)["hits"]["hits"]]


def test_five_reports_from_four_outlets_are_one_event_with_its_toll_history(worker, es, it_settings, publisher):
    s = it_settings
    articles = _articles()
    for a in articles:  # one at a time, in publication order, as outlets would publish them
        assert publisher.publish([a]) == []
    wait_for(lambda: (ev := _clash_events(es, s)) and ev[0]["mentions"] == 5 and settled(s),
             timeout=90, what="the Sirte clash event with five mentions")
    (event,) = _clash_events(es, s)
    assert sorted(event["sources"]) == ["daily-c", "libya-herald", "wire-a", "wire-b"]
    assert event["fatalities"] == 7
    rises = [(h["previous"], h["value"]) for h in event["casualty_history"] if h["field"] == "fatalities"]
    assert rises == [(None, 3), (3, 5), (5, 7)]
    assert sorted(event["article_ids"]) == sorted(a.id for a in articles)


def test_replaying_the_same_reports_changes_no_event(worker, es, it_settings, publisher):
    s = it_settings
    wait_for(lambda: _clash_events(es, s), timeout=60, what="the clash event from the previous test")
    before = _clash_events(es, s)
    articles = _articles()
    # A fresh agent would publish them again; the processors must absorb it.
    publisher.publish(articles)
    wait_for(lambda: settled(s), timeout=60, what="the replay to be consumed")
    after = _clash_events(es, s)
    assert [(e["event_id"], e["mentions"], e["revision"]) for e in after] == [
        (e["event_id"], e["mentions"], e["revision"]) for e in before
    ]


def test_seed_article_gives_the_qanfouda_recapture_event(worker, es, it_settings, publisher, shared_dir):
    s = it_settings
    text = (shared_dir / "samples" / "seeds" / "000_950bee4ec3e15a18.txt").read_text(encoding="utf-8")
    seed = Article.new(source="seeds", title="الجيش الليبي يستعيد قنفودة", body=text,
                       published_at="2017-01-26T08:00:00+00:00", url="https://seeds.example/000")
    assert publisher.publish([seed]) == []

    def territory():
        es.indices.refresh(index=s.events_index)
        q = {"bool": {"filter": [{"term": {"type": "battle.territory"}}, {"term": {"article_ids": seed.id}}]}}
        return [h["_source"] for h in es.search(index=s.events_index, query=q)["hits"]["hits"]]

    events = wait_for(territory, timeout=90, what="a battle.territory event from the seed")
    assert any("قنفود" in (e["location"].get("text") or "") or "قنفوذ" in (e["location"].get("text") or "") for e in events)
    wait_for(lambda: es.exists(index=s.articles_index, id=seed.id), timeout=60, what="the seed article in the index")
    doc = es.get(index=s.articles_index, id=seed.id)["_source"]
    assert doc["mention_ids"] and any(e["type"] in ("PER", "PERS") for e in doc["entities"])
