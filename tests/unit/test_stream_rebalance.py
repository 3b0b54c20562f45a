"""After a rebalance the worker fetches nothing for its streams until Faust has seeked them to the
committed offsets (marsad/faust_app.py, hold_streams_until_seeked, on every app it builds)."""

import asyncio
import inspect

from faust.tables.recovery import Recovery

import streams.app as app_module


class _Consumer:
    flow_stopped = False

    def stop_flow(self) -> None:
        self.flow_stopped = True


def test_the_end_of_a_rebalance_stops_the_flow(monkeypatch):
    consumer = _Consumer()
    monkeypatch.setattr(app_module.app, "_consumer", consumer)
    asyncio.run(app_module.app.on_rebalance_complete.send())
    assert consumer.flow_stopped


def test_faust_sends_the_signal_before_it_resumes_seeks_and_restarts_the_streams():
    # The fix relies on this order inside Faust: a Faust upgrade that changes it needs a new look.
    source = inspect.getsource(Recovery.on_recovery_completed)
    steps = ["on_rebalance_complete.send()", "resume_partitions(", "perform_seek()", "resume_flow()"]
    positions = [source.index(step) for step in steps]
    assert positions == sorted(positions)
