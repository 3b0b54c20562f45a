"""Stream functions for articles: marsad.articles.raw -> clean -> dedup (exact, near) -> marsad.articles.

Clean runs its step a batch at a time in a child process of the worker (streams/articles/step.py).

Dedup runs on one partition of its input topic (every record has the key DEDUP_KEY). Level 1 needs
only the fingerprint, but level 2 compares an article with every signature in the window through
LSH buckets that no single key can route, so both tables live in that one partition. The pure-Python
index handles about 900 articles/s (benchmarks/bench_dedup.py), well above a news stream's rate;
clean, extraction and indexing stay parallel across all partitions.
"""

from __future__ import annotations

import heapq
import logging
import time
from datetime import datetime
from functools import partial

import faust

from marsad import jsonio
from marsad.dedup import discard
from marsad.dedup.exact import decide
from marsad.dedup.near import NearDuplicateIndex, signature_from_str
from marsad.records import Article, ContractError
from streams import topics
from streams.app import app, settings
from streams.articles.step import FAILED, PASSED, clean_each
from streams.batches import pipelined
from streams.dlq import dead_letter
from streams.events.pool import Extractor
from streams.metrics import ARTICLES

log = logging.getLogger("marsad.articles")

DEDUP_KEY = b"dedup"

_json = faust.Schema(key_serializer="json", value_serializer="json")
# fingerprint -> {"id": first article id, "seen_at": epoch seconds}; changelog-backed.
seen_content = app.Table("dedup-exact", default=None, schema=_json, partitions=settings.partitions)
# "article:<id>" -> [source, seen_at, signature, root]: the near-duplicate index's entries, from
# which the in-memory index (buckets included) is rebuilt after a restart or a rebalance.
near_entries = app.Table("dedup-near", default=None, schema=_json, partitions=settings.partitions)

_near: NearDuplicateIndex | None = None
# (seen_at, fingerprint) of the exact table's entries, oldest first, to forget them after the window.
_exact_expiry: list[tuple[float, str]] | None = None


def _near_index() -> NearDuplicateIndex:
    global _near
    if _near is None:
        params = NearDuplicateIndex(settings.near_window).params()
        state = {"params": params, **{k: v for k, v in near_entries.items() if k.startswith("article:")}}
        _near = NearDuplicateIndex.from_state(state)
        _near.track_changes = True
        log.info("near-duplicate index loaded: %d articles in the window", len(_near))
    return _near


def _forget_expired_fingerprints(now: float) -> None:
    """Delete exact-table entries older than the window, so the table follows the window, not the stream."""
    global _exact_expiry
    if _exact_expiry is None:
        _exact_expiry = [(float(v.get("seen_at", 0)), k) for k, v in seen_content.items() if isinstance(v, dict)]
        heapq.heapify(_exact_expiry)
    horizon = now - settings.dedup_window
    while _exact_expiry and _exact_expiry[0][0] < horizon:
        seen_at, fp = heapq.heappop(_exact_expiry)
        current = seen_content.get(fp)
        if current is not None and float(current.get("seen_at", 0)) <= seen_at:
            discard(seen_content, fp)


@app.on_partitions_revoked.connect
async def _forget_in_memory_state(app, revoked, **kwargs) -> None:  # noqa: ARG001 - Faust's signal signature
    # Another worker may take the dedup partition; rebuild from the tables when it comes back.
    global _near, _exact_expiry
    _near = None
    _exact_expiry = None


def _epoch(iso: str | None) -> float:
    try:
        return datetime.fromisoformat(str(iso).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return time.time()


# At a lower CPU priority (MARSAD_CLEAN_NICE): when the machine is saturated, cleaning raced ahead
# of extraction, which then worked alone through the whole backlog at the end on one core. With the
# stages after it first, the backlog waits on the raw topic and every stage keeps flowing: a burst
# of 3,000 articles went from 164 to 188 articles/s (`marsad bench e2e`), 6,000 unchanged at ~205.
cleaner = Extractor(
    settings.extract_process,
    work=partial(
        clean_each, max_chars=settings.max_article_chars, arabic_min_ratio=settings.arabic_min_ratio
    ),
    warm=None,
    what="cleaning",
    nice=settings.clean_nice,
).attach(app)


@app.agent(topics.articles_raw)
async def clean(stream):
    # Batches, in a child process of its own (streams/articles/step.py), beside the event loop,
    # the next one queued for the child while the loop sends the last (streams/batches.py).
    await pipelined(stream, size=settings.extract_batch, within=settings.extract_linger,
                    start=_clean, finish=_send_cleaned, depth=settings.batches_in_flight)


async def _clean(values: list[bytes]) -> list:
    try:
        return await cleaner.many(values)
    except Exception as exc:  # noqa: BLE001 - the pool failed twice: keep the records and say why
        log.exception("cleaning failed for a batch of %d records", len(values))
        return [(FAILED, f"unexpected {type(exc).__name__}: {exc}")] * len(values)


async def _send_cleaned(batch, results: list) -> None:
    for event, (status, out) in zip(batch, results, strict=True):
        if status == PASSED:
            ARTICLES.labels("clean", "passed").inc()
            await topics.articles_for_dedup.send(key=DEDUP_KEY, value=out)
            continue
        if status == FAILED:
            log.error("clean failed: %s", out)
        ARTICLES.labels("clean", "rejected").inc()
        await dead_letter("clean", out, event.value, event)


@app.agent(topics.articles_for_dedup)
async def dedup(stream):
    async for event in stream.events():
        # The record is clean's output: checked against the contract here, and passed on as it came
        # unless it is marked as a copy (decoding and re-encoding every article cost more than the
        # dedup decision itself).
        try:
            record = jsonio.loads(event.value)
            article = Article.from_dict(record)
            if not article.fingerprint or not article.simhash:
                raise ContractError("article reached dedup without its fingerprint and signature")
            sig = signature_from_str(article.simhash)
        except (ContractError, ValueError) as exc:
            await dead_letter("dedup", str(exc), event.value, event)
            continue
        now = time.time()
        _forget_expired_fingerprints(now)
        decision = decide(seen_content.get(article.fingerprint), article.id, now, settings.dedup_window,
                          offset=event.message.offset)
        if decision.drop:
            ARTICLES.labels("dedup", "dropped").inc()
            log.info("duplicate dropped: %s from %s (already passed on)", article.id, article.source)
            continue
        if decision.entry is not None:
            seen_content[article.fingerprint] = decision.entry
            if _exact_expiry is not None:
                heapq.heappush(_exact_expiry, (decision.entry["seen_at"], article.fingerprint))
        original = decision.duplicate_of
        index = _near_index()
        near_original = index.check_and_add(article.id, article.source, _epoch(article.published_at), sig)
        # Buckets are derived from the entries on rebuild, so only the entries go to the table.
        for key, value in index.pop_changes(buckets=False).items():
            if value is None:
                discard(near_entries, key)
            else:
                near_entries[key] = value
        # An exact copy is also a near-copy (same signature), and the near index names the story's
        # first original however the copies arrived; the exact table's "first seen" may be a copy.
        original = near_original or original
        ARTICLES.labels("dedup", "copy" if original else "new").inc()
        value = event.value
        if original:
            record["duplicate_of"] = original
            value = jsonio.dumps(record)
            kind = "exact" if decision.duplicate_of else "near"  # for the log line only
            log.info("%s copy kept: %s from %s is a copy of %s", kind, article.id, article.source, original)
        else:
            log.debug("new article: %s from %s: %s", article.id, article.source, article.title[:80])
        await topics.articles.send(key=article.id.encode(), value=value)
