"""The indexer: articles (after extraction), events and alerts -> Elasticsearch, in bulk, ids from the records."""

from __future__ import annotations

import asyncio
import logging

from marsad import jsonio
from marsad.records import NORMALIZED_FIELDS, isoformat, utcnow
from streams import topics
from streams.app import app, settings
from streams.dlq import dead_letter
from streams.index.client import async_es_client
from streams.index.elasticsearch import ElasticsearchSink
from streams.index.sink import SinkRecord, latest_versions

log = logging.getLogger("marsad.index")

_sink: ElasticsearchSink | None = None


def sink() -> ElasticsearchSink:
    global _sink
    if _sink is None:
        es = async_es_client(settings)
        _sink = ElasticsearchSink(es, max_retries=settings.bulk_retries)
    return _sink


def _record(event, id_field: str, index: str, prepare) -> SinkRecord | str:
    """A sink record for one event, or the reason it cannot be one."""
    try:
        doc = jsonio.loads(event.value)
    except jsonio.JSONDecodeError as exc:
        return f"record is not JSON: {exc}"
    if not isinstance(doc, dict) or not doc.get(id_field):
        return f"record has no {id_field}"
    prepare(doc)
    doc["indexed_at"] = isoformat(utcnow())
    msg = event.message
    return SinkRecord(
        doc_id=str(doc[id_field]), index=index, document=doc, original=event.value,
        topic=msg.topic, partition=msg.partition, offset=msg.offset,
    )


def _prepare_article(doc: dict) -> None:
    # extraction no longer sends them; records written before it did may still hold them
    for name in NORMALIZED_FIELDS:
        doc.pop(name, None)


def _prepare_event(doc: dict) -> None:
    loc = doc.get("location") or {}
    if loc.get("lat") is not None and loc.get("lon") is not None:
        loc["point"] = {"lat": loc["lat"], "lon": loc["lon"]}
    # The per-report details stay in _source for Kibana's document view, not in the mapping.
    doc.setdefault("revisions", doc.get("casualty_history"))


def _prepare_alert(doc: dict) -> None:
    if doc.get("kind") == "alert":
        doc["hook"] = doc.get("hooks")


def alert_record(event) -> SinkRecord | str:
    """An alert (id = alert id) or one delivery attempt (id = "<alert id>.<hook>.<attempt>")."""
    rec = _record(event, "alert_id", settings.alerts_index, _prepare_alert)
    if isinstance(rec, SinkRecord) and rec.document.get("kind") == "delivery":
        rec.doc_id = str(rec.document.get("delivery_id") or rec.doc_id)
    return rec


@app.on_before_shutdown.connect
async def _close_elasticsearch(app, **kwargs) -> None:  # noqa: ARG001 - Faust's signal signature
    if _sink is not None:
        await _sink.es.close()


def article_record(event) -> SinkRecord | str:
    return _record(event, "id", settings.articles_index, _prepare_article)


def event_record(event) -> SinkRecord | str:
    return _record(event, "event_id", settings.events_index, _prepare_event)


async def _index(stream, make, what: str) -> None:
    """Batches of `MARSAD_BULK_SIZE` (or what `MARSAD_BULK_LINGER` gathers), one bulk request each.

    One batch is written while the next is gathered and decoded: without that, consuming and
    decoding 500 records through Faust sat between every two bulk requests. Still one request in
    flight at a time, and a batch's records are acknowledged only once it is written (or its
    refused documents dead-lettered), in order, so offsets never pass an unwritten record."""
    writing: asyncio.Task | None = None
    try:
        async for events in stream.noack_take(settings.bulk_size, within=settings.bulk_linger):
            batch = []
            for event in events:
                rec = make(event)
                if isinstance(rec, str):
                    await dead_letter("index", rec, event.value, event)
                batch.append((event, rec))
            if writing is not None:
                await writing
            writing = asyncio.create_task(_write_and_ack(stream, batch, what))
    finally:
        # Stopping (shutdown, or a crash): a batch still being written is not acknowledged, so it
        # is written again after the restart; waiting here could hang on an unreachable cluster.
        if writing is not None and not writing.done():
            writing.cancel()


async def _write_and_ack(stream, batch: list, what: str) -> None:
    received = [rec for _, rec in batch if isinstance(rec, SinkRecord)]
    records = latest_versions(received)
    if records:
        rejected = await sink().write(records)
        for r in rejected:
            await dead_letter(
                "index", r.reason, r.record.original,
                topic=r.record.topic, partition=r.record.partition, offset=r.record.offset, key=r.record.doc_id,
            )
        log.info("indexed %d %s (%d refused, %d older versions in the batch skipped)",
                 len(records) - len(rejected), what, len(rejected), len(received) - len(records))
    for event, _ in batch:
        await stream.ack(event)


@app.agent(topics.articles_enriched)
async def index_articles(stream):
    await _index(stream, article_record, "articles")


@app.agent(topics.events)
async def index_events(stream):
    await _index(stream, event_record, "events")


@app.agent(topics.alerts)
async def index_alerts(stream):
    await _index(stream, alert_record, "alerts")
