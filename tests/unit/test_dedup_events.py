"""Level 3 deduplication: mentions from many outlets merged into one event, idempotently."""

from __future__ import annotations

import itertools
import json
import random

import pytest

from marsad.dedup.events import (
    assign,
    candidates_match,
    event_id,
    expire,
    merge,
    merge_all,
    partition_key,
)

BENGHAZI = {
    "text": "بنغازي",
    "canonical": "بنغازي",
    "country": "LY",
    "admin1": "بنغازي",
    "lat": 32.11,
    "lon": 20.07,
    "geonameid": 88319,
}
GANFUDA = {"text": "قنفودة", "canonical": "قنفودة", "country": "LY", "admin1": "بنغازي", "geonameid": None}
TRIPOLI = {"text": "طرابلس", "canonical": "طرابلس", "country": "LY", "admin1": "طرابلس", "geonameid": 2210247}
ARMY = {"role": "actor1", "text": "الجيش الليبي", "canonical": "الجيش الوطني الليبي", "kind": "ORG"}
MILITIA = {
    "role": "actor2",
    "text": "مجلس شورى ثوار بنغازي",
    "canonical": "مجلس شورى ثوار بنغازي",
    "kind": "GROUP",
}


def mention(mid: str, article: str, source: str, fatalities: int | None, published: str, **extra) -> dict:
    m = {
        "mention_id": mid,
        "article_id": article,
        "source": source,
        "type": "battle.clash",
        "trigger": {"text": "اشتباكات", "start": 0, "end": 8},
        "sentence": "",
        "actors": [ARMY, MILITIA],
        "location": BENGHAZI,
        "event_date": "2026-03-04",
        "date_text": "أمس",
        "date_precision": "day",
        "fatalities": fatalities,
        "injured": None,
        "abducted": None,
        "arrested": None,
        "freed": None,
        "confidence": 0.8,
        "published_at": published,
    }
    m.update(extra)
    return m


@pytest.fixture
def clash_reports() -> list[dict]:
    """Five reports of one clash from four outlets; the toll rises 3, 5, 5, 7, 7."""
    return [
        mention("m1", "a1", "libya-observer", 3, "2026-03-04T20:00:00+00:00"),
        mention("m2", "a2", "alwasat", 5, "2026-03-04T22:00:00+00:00", location=GANFUDA),
        mention("m3", "a3", "skynews", 5, "2026-03-05T06:00:00+00:00", event_date="2026-03-04"),
        mention("m4", "a4", "alarabiya", 7, "2026-03-05T09:00:00+00:00"),
        mention("m5", "a5", "alwasat", 7, "2026-03-05T10:00:00+00:00", event_date="2026-03-05"),
    ]


def test_five_reports_from_four_outlets_make_one_event_with_the_toll_history(clash_reports):
    events: list[dict] = []
    for m in clash_reports:
        events, _, changed = assign(events, m)
        assert changed
    assert len(events) == 1
    event = events[0]
    assert event["mentions"] == 5
    assert event["sources"] == ["alarabiya", "alwasat", "libya-observer", "skynews"]
    assert event["fatalities"] == 7
    rises = [
        (h["value"], h["previous"], h["mention_id"])
        for h in event["casualty_history"]
        if h["field"] == "fatalities"
    ]
    assert rises == [(3, None, "m1"), (5, 3, "m2"), (7, 5, "m4")]
    assert event["article_ids"] == ["a1", "a2", "a3", "a4", "a5"]
    assert event["event_date"] == "2026-03-04" and event["event_date_last"] == "2026-03-05"
    assert event["first_seen"] == "2026-03-04T20:00:00+00:00"
    assert event["last_seen"] == "2026-03-05T10:00:00+00:00"
    assert event["location"]["canonical"] == "بنغازي"  # named by four reports of five
    assert event["revision"] == 5
    assert {a["canonical"] for a in event["actors"]} == {ARMY["canonical"], MILITIA["canonical"]}


def test_replaying_merged_mentions_in_any_order_changes_nothing(clash_reports):
    event = merge_all(clash_reports)
    rng = random.Random(7)
    for _ in range(20):
        replay = clash_reports * 3
        rng.shuffle(replay)
        assert merge_all(replay, event) == event


def test_any_order_of_the_same_mentions_gives_the_same_event_apart_from_its_name(clash_reports):
    # The id is fixed when the event starts (it is the Kafka key and the Elasticsearch id), from the
    # first report's type, place and day; everything else is a function of the set of reports.
    first = merge_all(clash_reports)
    agree_with_m1 = {"m1", "m3", "m4"}  # same place and day as m1
    for order in itertools.permutations(clash_reports):
        event = merge_all(order)
        assert {**event, "event_id": None} == {**first, "event_id": None}
        if order[0]["mention_id"] in agree_with_m1:
            assert event["event_id"] == first["event_id"]


def test_a_replayed_mention_is_not_emitted_again(clash_reports):
    events: list[dict] = []
    for m in clash_reports:
        events, _, _ = assign(events, m)
    again, event, changed = assign(events, clash_reports[2])
    assert not changed and again == events and event["revision"] == 5


def test_same_outlet_copy_does_not_raise_the_source_count(clash_reports):
    event = merge_all(clash_reports[:2])
    copy = mention("m6", "a6", "libya-observer", 3, "2026-03-04T21:00:00+00:00", duplicate_of="a1")
    after = merge(event, copy)
    assert after["sources"] == event["sources"]
    assert after["mentions"] == 3 and "a6" in after["article_ids"]
    assert after["copied_reports"] == [
        {
            "article_id": "a6",
            "source": "libya-observer",
            "duplicate_of": "a1",
            "duplicate_of_source": "libya-observer",
            "same_outlet": True,
        }
    ]


def test_same_outlet_copy_is_recognised_before_its_original_arrives(clash_reports):
    copy = mention("m6", "a6", "libya-observer", 3, "2026-03-04T21:00:00+00:00", duplicate_of="a1")
    copy_first = merge_all([copy, clash_reports[1], clash_reports[0]])
    original_first = merge_all([clash_reports[0], clash_reports[1], copy])
    assert copy_first == original_first
    assert copy_first["sources"] == ["alwasat", "libya-observer"]


def test_same_outlet_copy_whose_original_reported_something_else_still_counts_its_outlet(clash_reports):
    # Level 2 can be wrong (an outlet's next story reusing its background), and the original may
    # belong to another event: the outlet must not vanish from this event's sources.
    copy = mention(
        "m8",
        "a8",
        "alarabiya",
        4,
        "2026-03-04T21:00:00+00:00",
        duplicate_of="z9",
        duplicate_of_source="alarabiya",
    )
    event = merge_all([clash_reports[0], copy])
    assert event["sources"] == ["alarabiya", "libya-observer"]
    assert event["independent_sources"] == ["libya-observer"]


def test_cross_outlet_copy_counts_as_a_report_and_is_noted(clash_reports):
    event = merge_all(clash_reports[:1])
    copy = mention(
        "m7",
        "a7",
        "aljazeera",
        3,
        "2026-03-04T23:00:00+00:00",
        duplicate_of="a1",
        duplicate_of_source="libya-observer",
    )
    after = merge(event, copy)
    assert after["sources"] == ["aljazeera", "libya-observer"]
    assert after["independent_sources"] == ["libya-observer"]
    assert after["copied_reports"][0]["same_outlet"] is False


def test_a_meeting_two_days_later_is_another_event():
    meeting = {
        "type": "diplomacy.meeting",
        "actors": [{"role": "actor1", "canonical": "فائز السراج", "kind": "PER"}],
        "location": TRIPOLI,
        "published_at": "2026-03-04T10:00:00+00:00",
    }
    event = merge(
        None, {**meeting, "mention_id": "d1", "article_id": "x1", "source": "s1", "event_date": "2026-03-04"}
    )
    same_day_spelling = {
        **meeting,
        "mention_id": "d2",
        "actors": [{"role": "actor1", "canonical": "فايز السراج", "kind": "PER"}],
        "location": None,
        "event_date": "2026-03-05",
    }
    assert candidates_match(event, same_day_spelling)
    assert not candidates_match(event, {**meeting, "mention_id": "d3", "event_date": "2026-03-06"})


def test_a_clash_in_another_city_is_another_event(clash_reports):
    event = merge_all(clash_reports[:2])
    elsewhere = mention("m9", "a9", "skynews", 2, "2026-03-04T21:00:00+00:00", location=TRIPOLI)
    assert not candidates_match(event, elsewhere)
    airstrike = mention("m10", "a10", "skynews", 2, "2026-03-04T21:00:00+00:00", type="remote.airstrike")
    assert not candidates_match(event, airstrike)


def test_a_clash_over_three_days_does_not_stretch_one_event(clash_reports):
    event = merge_all(clash_reports)
    assert not candidates_match(
        event, mention("m11", "a11", "s", 1, "2026-03-07T09:00:00+00:00", event_date="2026-03-07")
    )


def test_reports_of_one_event_share_a_partition_key(clash_reports):
    keys = {partition_key(m) for m in clash_reports}
    assert keys == {"battle.clash|LY"}
    unlocated = mention("m12", "a12", "s", None, "2026-03-04T21:00:00+00:00", location=None)
    assert partition_key(unlocated).startswith("battle.clash|@")


def test_event_id_is_deterministic_and_follows_type_place_and_day(clash_reports):
    a = merge_all(clash_reports)
    m1, m2, m3, m4, m5 = clash_reports
    b = merge_all([m4, m3, m1, m5, m2])
    assert a["event_id"] == b["event_id"] == event_id("battle.clash", BENGHAZI, "2026-03-04")
    assert event_id("battle.clash", BENGHAZI, "2026-03-05") != a["event_id"]


def test_two_distinct_events_on_one_key_and_day_get_distinct_ids(clash_reports):
    events, first, _ = assign([], clash_reports[0])
    other = mention(
        "x1",
        "b1",
        "s",
        1,
        "2026-03-04T20:30:00+00:00",
        type="battle.clash",
        actors=[{"role": "actor1", "canonical": "قوة حماية", "kind": "GROUP"}],
        location=None,
    )
    other["location"] = {"text": "مرسى", "canonical": "مرسى", "country": "LY", "admin1": "مرسى"}
    events, second, _ = assign(events, other)
    assert len(events) == 2 and first["event_id"] != second["event_id"]


def test_unlocated_events_of_one_type_and_day_under_different_actors_get_distinct_ids():
    # Two condemnations of one attack on one day, neither naming a place: different partition keys
    # (by actor), so assign() cannot see the other's id; the ids themselves must differ, or the
    # events topic and the index (keyed by event id) overwrite one event with the other.
    def condemnation(mid: str, who: str) -> dict:
        return mention(
            mid,
            f"a-{mid}",
            "s",
            None,
            "2026-03-04T10:00:00+00:00",
            type="diplomacy.accuse",
            location=None,
            actors=[{"role": "actor1", "text": who, "canonical": who, "kind": "GPE"}],
        )

    saudi, turkey = condemnation("c1", "السعودية"), condemnation("c2", "تركيا")
    assert partition_key(saudi) != partition_key(turkey)
    _, first, _ = assign([], saudi)
    _, second, _ = assign([], turkey)
    assert first["event_id"] != second["event_id"]
    # Located events keep the ids they had: the actor only enters the id when there is no place.
    assert event_id("battle.clash", BENGHAZI, "2026-03-04", actors=[ARMY]) == event_id(
        "battle.clash", BENGHAZI, "2026-03-04"
    )


SYRIA = {"text": "سوريا", "canonical": "Syria", "country": "SY", "admin1": None, "geonameid": 163843}
DAMASCUS = {"text": "دمشق", "canonical": "Damascus", "country": "SY", "admin1": "SY.13", "geonameid": 170654}
ALEPPO = {"text": "حلب", "canonical": "Aleppo", "country": "SY", "admin1": "SY.09", "geonameid": 170063}
USA = {"role": "actor1", "text": "الولايات المتحدة", "canonical": "United States", "kind": "GPE"}


def test_a_report_naming_only_the_country_meets_one_naming_a_city_in_it_through_a_shared_actor():
    # Real pair (ANT, 14 April 2018): CNN wrote "strikes on Syria", Sky News "explosions in Damascus".
    def strike(mid: str, location: dict, actors: list[dict]) -> dict:
        return mention(
            mid,
            f"a-{mid}",
            "s",
            None,
            "2026-03-04T03:00:00+00:00",
            type="remote.airstrike",
            location=location,
            actors=actors,
        )

    events, first, _ = assign([], strike("s1", DAMASCUS, [USA]))
    assert partition_key(strike("s2", SYRIA, [USA])) == partition_key(strike("s1", DAMASCUS, [USA]))
    events, second, _ = assign(events, strike("s2", SYRIA, [USA]))
    assert second["event_id"] == first["event_id"] and second["mentions"] == 2
    # Without a shared actor the country-level report stays apart, and two cities stay apart anyway.
    assert not candidates_match(first, strike("s3", SYRIA, [ARMY]))
    assert not candidates_match(first, strike("s4", ALEPPO, [USA]))


def test_old_events_leave_the_state(clash_reports):
    events: list[dict] = []
    for m in clash_reports:
        events, _, _ = assign(events, m)
    assert expire(events, "2026-03-07") == events
    assert expire(events, "2026-03-10") == []


def test_event_state_round_trips_through_json(clash_reports):
    events: list[dict] = []
    for m in clash_reports:
        events, _, _ = assign(events, m)
    restored = json.loads(json.dumps(events, ensure_ascii=False))
    assert restored == events
    assert assign(restored, clash_reports[0])[2] is False


def test_mention_without_id_is_refused():
    with pytest.raises(ValueError):
        merge(None, {"type": "protest"})
