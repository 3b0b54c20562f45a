"""The merge step's two tables (open-event summaries per key, event bodies) driven as the stream does."""

from __future__ import annotations

from marsad.dedup.events import partition_key
from marsad.dedup.open_events import merge_mention
from tests.unit.test_dedup_events import mention


def _run(mentions, max_bytes=4 * 1024 * 1024):
    open_events: dict[str, list[dict]] = {}
    bodies: dict[str, dict] = {}
    steps = []
    for m in mentions:
        key = partition_key(m)
        step = merge_mention(open_events.get(key), m, bodies.get, max_bytes)
        step.apply(key, open_events, bodies)
        steps.append(step)
    return open_events, bodies, steps


def test_rising_tolls_make_one_event_whose_summary_keeps_no_reports():
    reports = [
        mention("m1", "a1", "outlet-a", 3, "2026-03-05T08:00:00Z"),
        mention("m2", "a2", "outlet-b", 5, "2026-03-05T09:00:00Z"),
        mention("m3", "a3", "outlet-c", 7, "2026-03-05T12:00:00Z"),
    ]
    open_events, bodies, steps = _run(reports)
    (summaries,) = open_events.values()
    (summary,) = summaries
    assert "reports" not in summary and summary["mention_ids"] == ["m1", "m2", "m3"]
    (body,) = bodies.values()
    assert body["fatalities"] == 7 and len(body["sources"]) == 3 and set(body["reports"]) == {"m1", "m2", "m3"}
    assert all(s.changed for s in steps)
    # the same mention again (a record processed again after a crash) changes nothing
    again = merge_mention(summaries, reports[1], bodies.get, 4 * 1024 * 1024)
    assert not again.changed and again.merged["event_id"] == summary["event_id"] and not again.gone


def test_a_mention_weeks_later_expires_the_old_event_and_its_body():
    first = mention("m1", "a1", "outlet-a", 3, "2026-03-05T08:00:00Z")
    later = mention("m9", "a9", "outlet-a", 1, "2026-04-20T08:00:00Z", event_date="2026-04-19")
    open_events, bodies, steps = _run([first, later])
    old_id = steps[0].merged["event_id"]
    assert steps[1].gone == {old_id} and old_id not in bodies
    (summaries,) = open_events.values()
    assert [s["event_id"] for s in summaries] == [steps[1].merged["event_id"]]


def test_a_key_over_its_byte_bound_drops_the_events_seen_longest_ago_with_their_bodies():
    days = [f"2026-03-{d:02d}" for d in range(1, 11)]
    reports = [mention(f"m{i}", f"a{i}", "outlet-a", 1, f"{d}T08:00:00Z", event_date=d) for i, d in enumerate(days)]
    open_events, bodies, steps = _run(reports, max_bytes=2500)
    (summaries,) = open_events.values()
    assert 0 < len(summaries) < len(reports)
    assert set(bodies) == {s["event_id"] for s in summaries}
