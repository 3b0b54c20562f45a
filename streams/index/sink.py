"""Batched writes with bounded retries and backpressure; a concrete sink only says how to write one batch."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("marsad.sink")


@dataclass
class SinkRecord:
    """One document to write, with where it came from (for the dead-letter topic)."""

    doc_id: str
    index: str
    document: dict[str, Any]
    original: bytes = b""
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None


def latest_versions(records: list[SinkRecord]) -> list[SinkRecord]:
    """One record per document: the last of the batch. An event is re-sent whole on every mention
    that joins it, so at a busy moment a batch holds several versions of one event, and writing the
    earlier ones only made Elasticsearch index documents that the same request then replaced."""
    latest: dict[tuple[str, str], SinkRecord] = {}
    for rec in records:
        latest[(rec.index, rec.doc_id)] = rec
    return list(latest.values())


@dataclass
class Rejected:
    record: SinkRecord
    reason: str


@dataclass
class BatchResult:
    """What happened to one attempt: records to try again, records refused for good."""

    retry: list[tuple[SinkRecord, str]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


class SinkUnavailable(Exception):
    """The whole destination cannot be reached (down, overloaded); nothing in the batch was written."""


class BatchSink(ABC):
    """Writes batches; the caller awaits `write`, so a slow or absent destination slows the consumer.

    - records the destination refuses (bad mapping, bad value) come back as `Rejected` at once;
    - records it asks to retry (429, shard busy) are retried `max_retries` times with exponential
      backoff, then come back as `Rejected` with the last reason;
    - when the destination is unavailable as a whole, the batch is held and retried with capped
      backoff for as long as it takes: nothing is dropped and the worker does not crash, it waits.
    """

    def __init__(
        self,
        name: str,
        *,
        max_retries: int = 8,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.name = name
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self._sleep = sleep
        self.written = 0
        self.rejected = 0
        self.unavailable_since: float | None = None

    def _delay(self, attempt: int) -> float:
        base = min(self.backoff_max, self.backoff_base * (2 ** max(0, attempt - 1)))
        return base * (0.75 + random.random() * 0.5)

    @abstractmethod
    async def write_batch(self, records: Sequence[SinkRecord]) -> BatchResult:
        """Write once; raise SinkUnavailable when nothing could be written."""

    async def write(self, records: Sequence[SinkRecord]) -> list[Rejected]:
        from streams.metrics import BATCH_SECONDS, REFUSED, UNAVAILABLE, WRITTEN

        started = time.monotonic()
        rejected = await self._write(records, UNAVAILABLE.labels(self.name))
        BATCH_SECONDS.labels(self.name).observe(time.monotonic() - started)
        WRITTEN.labels(self.name).inc(len(records) - len(rejected))
        REFUSED.labels(self.name).inc(len(rejected))
        return rejected

    async def _write(self, records: Sequence[SinkRecord], unavailable_gauge) -> list[Rejected]:
        pending = list(records)
        rejected: list[Rejected] = []
        attempt = 0
        outage = 0
        last_report = 0.0
        while pending:
            try:
                result = await self.write_batch(pending)
            except SinkUnavailable as exc:
                outage += 1
                now = time.monotonic()
                if self.unavailable_since is None:
                    self.unavailable_since = now
                    unavailable_gauge.set(1)
                if now - last_report > 30 or outage == 1:
                    log.warning(
                        "%s unavailable (%s); holding %d records, retrying (down %.0fs)",
                        self.name, exc, len(pending), now - self.unavailable_since,
                    )
                    last_report = now
                await self._sleep(self._delay(outage))
                continue
            if self.unavailable_since is not None:
                log.warning("%s available again after %.0fs", self.name, time.monotonic() - self.unavailable_since)
                self.unavailable_since = None
                unavailable_gauge.set(0)
                outage = 0
            self.written += len(pending) - len(result.retry) - len(result.rejected)
            rejected.extend(result.rejected)
            if not result.retry:
                break
            attempt += 1
            if attempt > self.max_retries:
                rejected.extend(
                    Rejected(r, f"still failing after {self.max_retries} retries: {reason}") for r, reason in result.retry
                )
                break
            await self._sleep(self._delay(attempt))
            pending = [r for r, _ in result.retry]
        self.rejected += len(rejected)
        return rejected
