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
