"""CPU-bound steps off the event loop: in a child process of the worker (MARSAD_OFFLOAD_PROCESS=1, the
default) or in a thread (0), a batch of records at a time.

Cleaning (with the MinHash signature) and extraction are pure Python. In a thread they share the
worker's interpreter lock with the event loop that runs every other processor, the Kafka client and
the indexer, so a Faust worker never used more than one core, and the thread hand-offs themselves
showed in its profile. A child process runs them beside the loop: the loop sends a batch (a few kB
per record, pickled) and awaits the results, serving the other processors meanwhile. Batches,
because one round trip per record left the child waiting on the loop on a busy machine. The clean
and extract processors each have one batch in flight, so one child per worker is all they use; more
cores are used by more workers (see the README's scale-out).

A child that dies (killed, out of memory) is replaced and the batch tried once more; a second
failure is the caller's to report. A record whose step raises comes back as error text, so one bad
record never fails its batch.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import traceback
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Any

from marsad.clean import Rejected, clean_article
from marsad.dedup.near import signature, signature_to_str
from marsad.nlp.extract import extract
from marsad.records import Article, ContractError

log = logging.getLogger("marsad.offload")


def _error_text(exc: BaseException) -> str:
    where = "".join(traceback.format_exception(exc)[-3:]).strip().replace("\n", " | ")
    return f"unexpected {type(exc).__name__}: {exc} ({where})"


def extract_each(articles: list[dict]) -> list[dict[str, Any] | str]:
    """extract() for each article; an article that raises gets its error as text instead of a result."""
    out: list[dict[str, Any] | str] = []
    for article in articles:
        try:
            out.append(extract(article))
        except Exception as exc:  # noqa: BLE001 - reported per article by the processor
            out.append(_error_text(exc))
    return out


def clean_each(raws: list[bytes], max_chars: int, arabic_min_ratio: float) -> list[tuple[bool, bytes | str]]:
    """For each raw record: (True, the cleaned article's JSON with its signature) or (False, why not)."""
    out: list[tuple[bool, bytes | str]] = []
    for raw in raws:
        try:
            article = clean_article(Article.from_json(raw), max_chars=max_chars, arabic_min_ratio=arabic_min_ratio)
            article = replace(article, simhash=signature_to_str(signature(article.title, article.body)))
            out.append((True, article.to_json()))
        except (ContractError, Rejected) as exc:
            out.append((False, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the stream: the record is kept
            out.append((False, _error_text(exc)))
    return out


def _warm() -> None:
    """Load the NLP tables and the tagger once in the child, before its first batch."""
    extract({"id": "warm-up", "title": "", "body": "", "published_at": None})


class Offload:
    def __init__(self, in_process: bool) -> None:
        self.in_process = in_process
        self._pool: Executor | None = None

    def _executor(self) -> Executor:
        if self._pool is None:
            # spawn, not fork: the worker already runs threads (Kafka client, RocksDB), and a
            # forked child would inherit their locks in whatever state they were.
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_warm
            )
            log.info("cleaning and extraction run in a process of their own")
        return self._pool

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """`fn(*args)` in the child (or a thread); `fn` must be a module-level function."""
        if not self.in_process:
            return await asyncio.to_thread(fn, *args)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor(), fn, *args)
        except BrokenProcessPool:
            log.warning("the offload process died; starting a new one and trying its batch again")
            self.close()
            return await loop.run_in_executor(self._executor(), fn, *args)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
