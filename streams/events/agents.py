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
from streams.dlq import dead_letter
from streams.events.pool import Extractor

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


def _mention_for(article: dict, mention: dict) -> dict:
    """A mention as the merge step wants it: with the article's copy mark when it has one."""
    out = dict(mention)
    if article.get("duplicate_of"):
        out["duplicate_of"] = article["duplicate_of"]
    return out


extractor = Extractor(settings.extract_process).attach(app)


@app.agent(topics.articles)
async def extract_events(stream):
    async for batch in stream.take_events(settings.extract_batch, within=settings.extract_linger):
        articles = []
        for event in batch:
            try:
                article = jsonio.loads(event.value)
                if not isinstance(article, dict) or not article.get("id"):
                    raise ValueError("article record has no id")
            except (ValueError, UnicodeDecodeError) as exc:
                await dead_letter("extract", f"not an article: {exc}", event.value, event)
                continue
            articles.append((event, article))
        try:
            # Off the event loop, so the other processors and Kafka heartbeats go on meanwhile.
            results = await extractor.many([a for _, a in articles])
        except Exception as exc:  # noqa: BLE001 - the pool failed twice: pass the articles on bare
            log.exception("extraction failed for a batch of %d articles", len(articles))
            results = [f"{type(exc).__name__}: {exc}"] * len(articles)
        for (event, article), result in zip(articles, results, strict=True):
            if isinstance(result, str):
                log.error("extract failed for %s: %s", article["id"], result)
                await dead_letter("extract", result, event.value, event)
                result = {"entities": [], "mentions": [], "warnings": []}
            await _pass_on(article, result)


async def _pass_on(article: dict, result: dict) -> None:
    """The article's mentions to the merge step, and the article with its entities to the indexer."""
    for w in result.get("warnings") or []:
        log.debug("extract warning for %s: %s", article["id"], w)
    mention_ids = []
    for m in result.get("mentions") or []:
        mention = _mention_for(article, m)
        mention_ids.append(mention["mention_id"])
        await topics.mentions.send(key=partition_key(mention).encode("utf-8"), value=jsonio.dumps(mention))
    article["entities"] = [
        {k: e.get(k) for k in ("text", "type", "canonical", "start", "end", "field")}
        for e in result.get("entities") or []
    ]
    article["mention_ids"] = mention_ids
    await topics.articles_enriched.send(key=article["id"].encode("utf-8"), value=jsonio.dumps(article))
    if mention_ids:
        log.debug("extracted %d event mentions from %s", len(mention_ids), article["id"])


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
