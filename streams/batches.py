"""Batches of a stream worked on off the event loop with more than one batch in flight.

Clean and extraction hand a batch to a child process and send what comes back. With one batch at
a time the child waited, after every batch, for the loop to send the results, ack, gather the next
batch and pickle it over; on a busy worker that was a fifth to a half of its time. `pipelined`
starts batch n+1 as soon as it is gathered, so it waits in the child's queue while batch n is
worked on, and finishes the batches (sends their results) strictly in the order they came.

An event is acked only after its batch is finished: batches come from Faust's `noack_take` (as
the indexer's do), which leaves acking to the agent. A crash with batches in flight leaves their
offsets uncommitted, and they are processed again after the restart, as a batch in progress
always was.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

log = logging.getLogger("marsad.streams")

Start = Callable[[list], Awaitable[list]]
Finish = Callable[[Sequence[Any], list], Awaitable[None]]


def _say_why(task: asyncio.Future) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("finishing a batch failed; the agent stops at its next batch: %r", task.exception())


async def pipelined(
    stream,
    *,
    size: int,
    within: float,
    start: Start,
    finish: Finish,
    depth: int = 2,
) -> None:
    """For each batch of `stream`'s events (at most `size`, waiting at most `within` seconds for
    it to fill): `start(values)` begins at once, up to `depth` batches at a time; `finish(events,
    results)` runs batch after batch in arrival order, and then the batch's events are acked.

    `start` should not raise (turn a failure into per-record results); an exception from `finish`
    stops the agent, with that batch and those after it not acked."""
    depth = max(1, depth)
    slots = asyncio.Semaphore(depth)
    queue: asyncio.Queue = asyncio.Queue()

    async def finisher() -> None:
        while True:
            item = await queue.get()
            if item is None:
                return
            events, work = item
            try:
                results = await work
                await finish(events, results)
                for event in events:
                    await stream.ack(event)
            finally:
                slots.release()

    done = asyncio.ensure_future(finisher())
    done.add_done_callback(_say_why)
    try:
        async for events in stream.noack_take(size, within=within):
            await slots.acquire()
            if done.done():
                done.result()  # the finisher failed: raise its error here, in the agent
            queue.put_nowait((events, asyncio.ensure_future(start([e.value for e in events]))))
        # The stream ended (it does not while the worker runs): finish what is in flight.
        queue.put_nowait(None)
        await done
    finally:
        done.cancel()
