"""Event mentions: the seed article, reported speech, planned events, counts, background, the contract."""

from pathlib import Path

import pytest

from marsad.nlp.extract import extract

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "samples" / "seeds" / "000_950bee4ec3e15a18.txt"
PUB = "2016-03-03T09:00:00+02:00"

MENTION_FIELDS = {
    "mention_id",
    "article_id",
    "source",
    "type",
    "trigger",
    "sentence",
    "actors",
    "location",
    "event_date",
    "date_text",
    "date_precision",
    "fatalities",
    "fatalities_min",
    "injured",
    "abducted",
    "arrested",
    "freed",
    "confidence",
    "published_at",
    "schema_version",
}


def _article(body, pub=PUB):
    return {"id": "a1", "source": "test", "title": "", "body": body, "published_at": pub}


def _mentions(body, pub=PUB):
    return extract(_article(body, pub))["mentions"]


@pytest.fixture(scope="module")
def seed_mentions():
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED} (../shared is not part of a clone)")
    return _mentions(SEED.read_text(encoding="utf-8"))


def test_seed_recapture_of_ganfouda_is_territory_by_the_army(seed_mentions):
    terr = [
        m
        for m in seed_mentions
        if m["type"] == "battle.territory" and m["location"] and m["location"]["canonical"] == "Ganfouda"
    ]
    assert terr
    first = terr[0]
    assert first["actors"][0]["role"] == "actor1" and "الجيش" in first["actors"][0]["text"]
    assert first["location"]["country"] == "LY"
    assert first["event_date"] == "2016-03-02" and first["date_precision"] == "day"


def test_seed_counts_army_dead_and_wounded(seed_mentions):
    hit = [m for m in seed_mentions if m["fatalities"] == 30 and m["injured"] == 25]
    assert hit and hit[0]["location"]["canonical"] == "Ganfouda"


def test_seed_prisoners_freed_is_a_release(seed_mentions):
    rel = [m for m in seed_mentions if m["type"] == "strategic.release"]
    assert rel and rel[0]["freed"] == 62


def test_seed_planned_meeting_in_cairo(seed_mentions):
    meet = [m for m in seed_mentions if m["type"] == "diplomacy.meeting" and m["date_precision"] == "planned"]
    assert meet
    m = meet[0]
    assert m["location"]["canonical"] == "Cairo"
    names = {a["text"] for a in m["actors"]}
    assert any("السراج" in n for n in names) and any("حفتر" in n for n in names)
    assert m["event_date"] is None  # "قريباً": no day to resolve


def test_seed_background_is_not_reported_as_news(seed_mentions):
    triggers = {m["trigger"]["text"] for m in seed_mentions}
    assert "الخطف" not in triggers  # "أغلب عمليات الخطف ..." is a pattern, not an event
    assert "ومجازر" not in triggers and "مجازر" not in triggers  # a warning of what may come


def test_seed_mentions_follow_the_contract(seed_mentions):
    body = SEED.read_text(encoding="utf-8")
    for m in seed_mentions:
        assert set(m) == MENTION_FIELDS
        t = m["trigger"]
        assert body[t["start"] : t["end"]] == t["text"]
        assert 0 <= m["confidence"] <= 1
        assert m["schema_version"] == 1


def test_spokesman_is_not_actor1_of_reported_event():
    ms = _mentions(
        "وقال المتحدث باسم الجيش الوطني العقيد أحمد المسماري، أمس، إنه تم تحرير منطقة قنفودة بالكامل."
    )
    terr = [m for m in ms if m["type"] == "battle.territory"]
    assert terr
    actor1 = [a for a in terr[0]["actors"] if a["role"] == "actor1"]
    assert actor1 and "الجيش" in actor1[0]["text"]
    assert all("المسماري" not in a["text"] for a in terr[0]["actors"])


def test_future_tense_makes_a_planned_event():
    ms = _mentions("أكد وزير الخارجية أنه سيلتقي نظيره المصري سامح شكري في القاهرة الأسبوع المقبل.")
    meet = [m for m in ms if m["type"] == "diplomacy.meeting"]
    assert meet and meet[0]["date_precision"] == "planned"


def test_vague_and_range_casualties():
    ms = _mentions("قتل عشرات المدنيين في غارات جوية على مدينة إدلب أمس.")
    strike = [m for m in ms if m["type"] == "remote.airstrike"]
    assert strike and strike[0]["fatalities"] is None and strike[0]["fatalities_min"] == 20
    assert strike[0]["location"]["country"] == "SY"


def test_arrests_and_abductions_are_counted():
    ms = _mentions("أعلنت الشرطة العراقية اعتقال 12 مشتبها به في بغداد أمس الأحد.")
    arr = [m for m in ms if m["type"] == "strategic.arrest"]
    assert arr and arr[0]["arrested"] == 12 and arr[0]["location"]["canonical"] == "Baghdad"


def test_old_background_dates_are_dropped():
    ms = _mentions("وكان تنظيم داعش قد سيطر على مدينة سرت في يونيو 2015.", pub="2016-03-03T09:00:00+00:00")
    assert ms == []


def test_dateline_city_is_not_the_event_place():
    ms = _mentions("دبي، الإمارات العربية المتحدة (CNN)— أعلنت الشرطة اعتقال 5 أشخاص في بغداد أمس.")
    arr = [m for m in ms if m["type"] == "strategic.arrest"]
    assert arr and arr[0]["location"]["canonical"] == "Baghdad"


def test_charges_and_conditionals_are_not_events():
    assert not _mentions("وجهت النيابة للمتهم تهمة الخطف والتحريض على العنف.")
    assert not [
        m
        for m in _mentions("وإذا واصل الحوثيون سيطرتهم على الحديدة فإن الحرب ستستمر.")
        if m["type"] == "battle.territory"
    ]


def test_restatement_of_an_event_merges_into_one_mention():
    body = (
        "اعتقلت قوات الأمن العراقية 12 مشتبها به في بغداد أمس. "
        "وقال مصدر أمني إن عملية الاعتقال تمت بعد تحقيقات استمرت أسابيع."
    )
    arr = [m for m in _mentions(body) if m["type"] == "strategic.arrest"]
    assert len(arr) == 1 and arr[0]["arrested"] == 12
