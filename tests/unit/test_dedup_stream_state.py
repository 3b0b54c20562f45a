"""The dedup processor's bounded state, exercised with plain dicts in place of its Faust tables."""

from dataclasses import replace

import streams.app  # noqa: F401 - the app module imports the processors in order
import streams.articles.agents as agents


def test_exact_fingerprints_are_forgotten_after_the_window(monkeypatch):
    table = {"old": {"id": "a", "seen_at": 100.0}, "new": {"id": "b", "seen_at": 1000.0}}
    monkeypatch.setattr(agents, "seen_content", table)
    monkeypatch.setattr(agents, "settings", replace(agents.settings, dedup_window=500))
    monkeypatch.setattr(agents, "_exact_expiry", None)
    agents._forget_expired_fingerprints(now=1200.0)
    assert table == {"new": {"id": "b", "seen_at": 1000.0}}


def test_a_refreshed_fingerprint_is_not_forgotten_by_its_old_heap_entry(monkeypatch):
    table = {"fp": {"id": "a", "seen_at": 100.0}}
    monkeypatch.setattr(agents, "seen_content", table)
    monkeypatch.setattr(agents, "settings", replace(agents.settings, dedup_window=500))
    monkeypatch.setattr(agents, "_exact_expiry", None)
    agents._forget_expired_fingerprints(now=200.0)  # loads the heap with (100, fp)
    table["fp"] = {"id": "a", "seen_at": 900.0}  # seen again after its window ran out
    agents._forget_expired_fingerprints(now=1000.0)
    assert "fp" in table


def test_open_events_of_a_hot_key_are_held_under_the_byte_bound():
    from marsad.dedup.open_events import bound_open_events

    events = [{"event_id": f"ev-{i}", "type": "battle.clash", "last_seen": f"2026-11-{i + 1:02d}", "pad": "x" * 1000}
              for i in range(20)]
    kept = bound_open_events(events, max_bytes=5000)
    assert 0 < len(kept) < 20
    assert {e["event_id"] for e in kept} == {f"ev-{i}" for i in range(20 - len(kept), 20)}, "the newest stay"
    assert bound_open_events(events[:2], max_bytes=5000) == events[:2]
