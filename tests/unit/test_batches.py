"""streams/batches.py: batches in flight, finished in order, acked only once finished.

The stream is a stand-in for Faust's: `noack_take` yields batches of events and acks nothing, and
`ack` records what the agent acked."""

from __future__ import annotations

import asyncio

import pytest

from streams.batches import pipelined


class Event:
    def __init__(self, offset: int) -> None:
        self.value = offset


class Stream:
    def __init__(self, batches: list[list[int]], gap: float = 0.0) -> None:
        self.batches = [[Event(o) for o in b] for b in batches]
        self.gap = gap
        self.acked: list[int] = []

    async def noack_take(self, size, within):  # noqa: ARG002 - Faust's signature
        for batch in self.batches:
            await asyncio.sleep(self.gap)
            yield batch

    async def ack(self, event) -> bool:
        self.acked.append(event.value)
        return True


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 10))


def test_batches_finish_in_order_and_are_acked_only_after_their_finish():
    stream = Stream([[1, 2], [3], [4, 5, 6]])
    started: list[list[int]] = []
    finished: list[list[int]] = []
    acked_when_finished: list[bool] = []

    async def start(values):
        started.append(values)
        # The first batch is the slowest: later ones complete first but must wait their turn.
        await asyncio.sleep(0.05 if values[0] == 1 else 0.0)
        return [v * 10 for v in values]

    async def finish(events, results):
        acked_when_finished.append(any(e.value in stream.acked for e in events))
        finished.append(results)

    async def main():
        task = asyncio.ensure_future(pipelined(stream, size=3, within=0.01, start=start, finish=finish))
        for _ in range(200):
            await asyncio.sleep(0.01)
            if len(finished) == 3:
                break
        task.cancel()

    run(main())
    assert finished == [[10, 20], [30], [40, 50, 60]]
    assert acked_when_finished == [False, False, False]
    # Every event acked once, in order, after its batch's finish.
    assert stream.acked == [1, 2, 3, 4, 5, 6]


def test_no_more_than_depth_batches_are_started_before_the_oldest_finishes():
    stream = Stream([[i] for i in range(6)])
    release = asyncio.Event
    gate: dict[str, asyncio.Event] = {}
    in_flight_max = 0
    running = 0

    async def start(values):
        nonlocal running, in_flight_max
        running += 1
        in_flight_max = max(in_flight_max, running)
        return values

    async def finish(events, results):  # noqa: ARG001
        nonlocal running
        await gate["open"].wait()
        running -= 1

    async def main():
        gate["open"] = release()
        task = asyncio.ensure_future(
            pipelined(stream, size=1, within=0.01, start=start, finish=finish, depth=2)
        )
        await asyncio.sleep(0.1)
        held = in_flight_max
        gate["open"].set()
        await asyncio.sleep(0.1)
        task.cancel()
        return held

    assert run(main()) == 2


def test_a_failed_finish_leaves_its_batch_unacked_and_stops_the_agent():
    stream = Stream([[1], [2], [3]], gap=0.02)

    async def start(values):
        return values

    async def finish(events, results):  # noqa: ARG001
        if results == [2]:
            raise RuntimeError("the broker refused the send")

    with pytest.raises(RuntimeError, match="broker refused"):
        run(pipelined(stream, size=1, within=0.01, start=start, finish=finish))
    assert stream.acked == [1]
