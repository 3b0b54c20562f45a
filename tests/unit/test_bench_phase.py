"""marsad/bench/e2e.py's run_phase at an offered rate, with stand-ins for the Publisher and the
searchable tracker (no Kafka or Elasticsearch: this checks the bench's own schedule and arithmetic)."""

from __future__ import annotations

import time
from types import SimpleNamespace

from marsad.bench.e2e import run_phase


class Publisher:
    def __init__(self, tracker) -> None:
        self.tracker, self.calls = tracker, []

    def publish(self, articles):
        time.sleep(0.01)  # each call waits for the broker's acknowledgement
        now = time.time()
        self.calls.append((now, [a.id for a in articles]))
        for a in articles:
            self.tracker.seen[a.id] = now + 0.05  # searchable 50 ms after it was handed over
        return []


class Tracker:
    def __init__(self) -> None:
        self.seen: dict[str, float] = {}
        self.expected: list[str] = []

    def expect(self, ids) -> None:
        self.expected.extend(ids)

    def waiting(self, pub) -> int:
        return sum(1 for i in pub if i not in self.seen)


def test_an_offered_rate_is_kept_by_publishing_what_is_due_in_one_call():
    tracker = Tracker()
    publisher = Publisher(tracker)
    articles = [SimpleNamespace(id=f"a{i}") for i in range(120)]
    out = run_phase(publisher, tracker, articles, offered=400.0, t0=time.time(), tick=0.02)
    assert out["searchable"] == 120 and tracker.expected == [a.id for a in articles]
    # In order, each article once, and several per call: with 10 ms per call, a call per article
    # could not keep 400/s.
    assert [i for _, ids in publisher.calls for i in ids] == [a.id for a in articles]
    assert len(publisher.calls) < 60
    # On ticks: a call each 20 ms (the stand-in's 10 ms ack included), not one each time an article
    # falls due.
    gaps = [b[0] - a[0] for a, b in zip(publisher.calls, publisher.calls[1:], strict=False)]
    assert min(gaps) >= 0.015
    # Article i is not handed over before it is due, and the phase lasts about n / rate.
    start = publisher.calls[0][0]
    for when, ids in publisher.calls:
        last = int(ids[-1][1:])
        assert when >= start - 0.01 + last / 400.0 - 0.005
    assert 0.25 <= out["publish_seconds"] <= 1.5
    # Latency counts from when an article was due, so it is at least the stand-in's 50 ms.
    assert min(out["latencies"]) >= 0.049


def test_a_recently_started_stack_is_named_in_one_line():
    from marsad.bench.session import uptime_note

    note = uptime_note({"kafka": 95.0, "elasticsearch": 4000.0})
    assert note is not None and "kafka 1.6 min" in note and "elasticsearch" not in note
    assert "\n" not in note
    assert uptime_note({"kafka": 4000.0, "elasticsearch": None}) is None


def test_a_process_uptime_is_read_from_proc():
    import os

    from marsad.bench.session import process_uptime

    mine = process_uptime(os.getpid())
    assert mine is not None and 0 <= mine < 24 * 3600
    assert process_uptime(None) is None
