"""Where extraction runs: in a child process of the worker (MARSAD_EXTRACT_PROCESS=1, the default) or
in a thread (0), a batch of articles at a time.

Extraction is CPU-bound pure Python. In a thread it shares the worker's interpreter lock with the
event loop that runs every other processor, the Kafka client and the indexer, so a Faust worker
never used more than one core, and the thread hand-offs themselves showed in its profile. A child
process runs it beside the loop: the loop sends a batch of records as they came from Kafka and
awaits what to send on (streams/events/step.py), serving the other processors meanwhile. Batches,
because one round trip per article left the child waiting on the loop on a busy machine; and two
batches in flight (streams/batches.py), so the next is queued while the loop sends the last. One
child per worker is all a processor uses; more cores are used by more workers (see the README's
scale-out).

A pool that breaks (the child killed, out of memory) is replaced and the batch tried once more
there; a second failure is the caller's to report, like any extraction error.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from marsad.nlp.extract import extract
from streams.events.step import extract_records

log = logging.getLogger("marsad.events")


def warm_extract() -> None:
    """Load the NLP tables before the first batch."""
    extract({"id": "warm-up", "title": "", "body": "", "published_at": None})


def _child_start(parent: int, warm: Callable[[], None] | None = warm_extract, nice: int = 0) -> None:
    """In the child, before its first batch: leave when the worker is gone, lower its priority by
    `nice`, then warm up.

    A worker killed with SIGKILL cannot shut its pool down, and the child (about 150 MB) would
    otherwise stay, waiting on a queue nobody writes to any more."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    if nice > 0:
        os.nice(nice)
    if warm is not None:
        warm()
    # The NLP tables just loaded live as long as the child: out of the collector's sight, its full
    # collections stop walking them (extraction 2.65 -> 2.61 ms per article, 3,000 corpus articles).
    gc.collect()
    gc.freeze()


def _ready() -> None:
    """Nothing: a task whose only effect is that the child exists and has run its start-up."""


class Extractor:
    """`work` (a picklable function from a list to a list of results in the same order) on batches,
    in a child process of its own or in a thread: extraction's step (streams/events/step.py) unless
    told otherwise. The clean processor runs its step through a second one
    (streams/articles/agents.py)."""

    def __init__(
        self,
        in_process: bool,
        work: Callable[[list], list] = extract_records,
        warm: Callable[[], None] | None = warm_extract,
        what: str = "extraction",
        nice: int = 0,
    ) -> None:
        self.in_process = in_process
        self.work, self.warm, self.what, self.nice = work, warm, what, nice
        self._pool: Executor | None = None

    def _executor(self) -> Executor:
        if self._pool is None:
            # spawn, not fork: the worker already runs threads (Kafka client, RocksDB), and a
            # forked child would inherit their locks in whatever state they were.
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_child_start,
                initargs=(os.getpid(), self.warm, self.nice),
            )
            log.info("%s runs in a process of its own", self.what)
        return self._pool

    def attach(self, app) -> Extractor:
        """Start the child when `app`'s worker starts (a Faust task) and stop it when it stops."""

        @app.task
        async def _start() -> None:
            await self.warm_up()

        @app.on_before_shutdown.connect
        async def _stop(app, **kwargs) -> None:  # noqa: ARG001 - Faust's signal signature
            self.close()

        return self

    async def warm_up(self) -> None:
        """Start the child and its warm-up now (at the worker's start), not under the first batch:
        spawning it and loading the NLP tables takes seconds that the first articles would wait."""
        if not self.in_process:
            return
        try:
            await asyncio.get_running_loop().run_in_executor(self._executor(), _ready)
        except Exception as exc:  # noqa: BLE001 - the first batch starts a fresh child anyway
            log.warning("the %s process did not start ahead of the first batch: %s", self.what, exc)
            self.close()

    async def many(self, articles: list) -> list:
        """Results in the order of `articles` (for extraction: a dict per article, error text per failure)."""
        if not articles:
            return []
        if not self.in_process:
            return await asyncio.to_thread(self.work, articles)
        loop = asyncio.get_running_loop()
        pool = self._executor()
        try:
            return await loop.run_in_executor(pool, self.work, articles)
        except BrokenProcessPool:
            # With two batches in flight both fail; the first to get here replaces the pool, and
            # the second must not shut down the replacement its neighbour is already using.
            if self._pool is pool:
                log.warning("the %s process died; starting a new one and trying its batch again", self.what)
                self.close()
            return await loop.run_in_executor(self._executor(), self.work, articles)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
