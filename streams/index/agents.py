"""The indexer: marsad.articles (and later events, alerts) -> Elasticsearch, in bulk."""

from __future__ import annotations

import json
import logging

from elasticsearch import AsyncElasticsearch

from marsad.records import isoformat, utcnow
from streams import topics
from streams.app import app, settings
from streams.dlq import dead_letter
from streams.index.elasticsearch import ElasticsearchSink
from streams.index.sink import SinkRecord

log = logging.getLogger("marsad.index")

# Fields kept out of the index: the normalized copies are for matching inside the stream.
_ARTICLE_DROP = ("title_norm", "body_norm")

_sink: ElasticsearchSink | None = None


def sink() -> ElasticsearchSink:
    global _sink
    if _sink is None:
        es = AsyncElasticsearch(settings.es_hosts, request_timeout=60)
        _sink = ElasticsearchSink(es, max_retries=settings.bulk_retries)
    return _sink


def article_record(event) -> SinkRecord | str:
    """A sink record for one article event, or the reason it cannot be one."""
    try:
        doc = json.loads(event.value)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return f"record is not JSON: {exc}"
    if not isinstance(doc, dict) or not doc.get("id"):
        return "article has no id"
    for name in _ARTICLE_DROP:
        doc.pop(name, None)
    doc["indexed_at"] = isoformat(utcnow())
    msg = event.message
    return SinkRecord(
        doc_id=str(doc["id"]), index=settings.articles_index, document=doc, original=event.value,
        topic=msg.topic, partition=msg.partition, offset=msg.offset,
    )


@app.agent(topics.articles)
async def index_articles(stream):
    async for batch in stream.take_events(settings.bulk_size, within=settings.bulk_linger):
        records = []
        for event in batch:
            rec = article_record(event)
            if isinstance(rec, str):
                await dead_letter("index", rec, event.value, event)
            else:
                records.append(rec)
        if not records:
            continue
        rejected = await sink().write(records)
        for r in rejected:
            await dead_letter(
                "index", r.reason, r.record.original,
                topic=r.record.topic, partition=r.record.partition, offset=r.record.offset, key=r.record.doc_id,
            )
        log.info("indexed %d articles (%d refused)", len(records) - len(rejected), len(rejected))
