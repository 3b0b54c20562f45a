"""marsad.articles -> extract -> marsad.mentions (keyed by type|country) -> merge -> marsad.events.

Extraction also passes each article on, with its entities and mention ids, to the indexer; an
article whose extraction fails is passed on without them (and the failure is dead-lettered), so
search never loses an article to an NLP bug.
"""

from __future__ import annotations

import logging

import faust

from marsad import jsonio
from marsad.dedup.events import partition_key
from marsad.dedup.open_events import merge_mention
from streams import topics
from streams.app import app, settings
from streams.batches import pipelined
from streams.dlq import dead_letter
from streams.events.pool import Extractor
from streams.events.step import Extracted, bare, decode

log = logging.getLogger("marsad.events")

_json = faust.Schema(key_serializer="json", value_serializer="json")
# partition key ("<type>|<country>") -> summaries of the open events under it: what matching and
# expiry read, without the reports. A busy key holds many events; rewriting every event's reports
# on every mention made each write grow with the key (and overflowed Kafka's record limit).
open_events = app.Table("open-events", default=None, schema=_json, partitions=settings.partitions)
# event id -> the whole event; written only for the event a mention joins. Its mentions all share
# one partition key, so the body lives in the same partition as its summary.
event_bodies = app.Table("event-bodies", default=None, schema=_json, partitions=settings.partitions)
# (What a mention does to both tables: marsad/dedup/open_events.py.)


extractor = Extractor(settings.extract_process).attach(app)


@app.agent(topics.articles)
async def extract_events(stream):
    # Off the event loop, so the other processors and Kafka heartbeats go on meanwhile: the child
    # decodes, extracts and encodes (streams/events/step.py), with the next batch already queued
    # for it while the loop sends the last one's results (streams/batches.py).
    await pipelined(stream, size=settings.extract_batch, within=settings.extract_linger,
                    start=_extract, finish=_send_extracted, depth=settings.batches_in_flight)


async def _extract(values: list[bytes]) -> list:
    try:
        return await extractor.many(values)
    except Exception as exc:  # noqa: BLE001 - the pool failed twice: pass the articles on bare
        log.exception("extraction failed for a batch of %d articles", len(values))
        return [_bare_or_reason(value, f"{type(exc).__name__}: {exc}") for value in values]


async def _send_extracted(batch, results: list) -> None:
    for event, result in zip(batch, results, strict=True):
        if isinstance(result, str):
            await dead_letter("extract", result, event.value, event)
            continue
        if result.error is not None:
            log.error("extract failed for %s: %s", result.article_id, result.error)
            await dead_letter("extract", result.error, event.value, event)
        for key, mention in result.mentions:
            await topics.mentions.send(key=key, value=mention)
        await topics.articles_enriched.send(key=result.article_id.encode("utf-8"), value=result.enriched)


def _bare_or_reason(raw: bytes, error: str) -> Extracted | str:
    try:
        return bare(decode(raw), error)
    except (ValueError, UnicodeDecodeError) as exc:
        return f"not an article: {exc}"


@app.agent(topics.mentions)
async def merge_events(stream):
    async for event in stream.events():
        try:
            mention = jsonio.loads(event.value)
            key = partition_key(mention)
        except Exception as exc:  # noqa: BLE001
            await dead_letter("merge", f"mention is not usable: {exc}", event.value, event)
            continue
        step = merge_mention(open_events.get(key), mention, event_bodies.get, settings.max_open_events_bytes)
        step.apply(key, open_events, event_bodies)
        merged = step.merged
        # Sent even when the mention was merged before: a mention seen again is a record processed
        # again after a crash, whose table write may have survived its event update; the indexer
        # and the alert state make a repeat harmless.
        await topics.events.send(key=merged["event_id"].encode("utf-8"),
                                 value=jsonio.dumps(merged))
        if step.changed:
            log.debug("event %s (%s) now has %d mentions from %d sources", merged["event_id"], merged["type"],
                     merged.get("mentions", 0), len(merged.get("sources") or []))
