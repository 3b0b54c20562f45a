"""marsad.articles -> extract -> marsad.mentions (keyed by type|country) -> merge -> marsad.events.

Extraction also passes each article on, with its entities and mention ids, to the indexer; an
article whose extraction fails is passed on without them (and the failure is dead-lettered), so
search never loses an article to an NLP bug.
"""

from __future__ import annotations

import logging

import faust

from marsad import jsonio
from marsad.dedup.events import assign, candidates_match, expire, partition_key
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

_HEAVY = ("reports", "casualty_history", "article_ids", "copied_reports")


def summary(event: dict) -> dict:
    """What the open-events list keeps of an event: everything but the reports, plus their ids."""
    out = {k: v for k, v in event.items() if k not in _HEAVY}
    out["mention_ids"] = sorted(event.get("reports") or {}) if "reports" in event else list(event.get("mention_ids") or [])
    return out


def join(summaries: list[dict], mention: dict, body) -> tuple[dict, bool]:
    """The event `mention` joins among `summaries` (or a new one), and whether it changed.

    Only events the mention could join are read whole (`body(event_id)`); the others take part as
    summaries without reports, which is all `assign` needs to pick a match and keep ids apart."""
    mid = mention.get("mention_id")
    hydrated = []
    for x in summaries:
        if mid in (x.get("mention_ids") or ()) or candidates_match(x, mention):
            full = body(x["event_id"])
            hydrated.append(full if full is not None else {**x, "reports": {}})
        else:
            hydrated.append({**x, "reports": {}})
    _, merged, changed = assign(hydrated, mention)
    return merged, changed


def _mention_for(article: dict, mention: dict) -> dict:
    """A mention as the merge step wants it: with the article's copy mark when it has one."""
    out = dict(mention)
    if article.get("duplicate_of"):
        out["duplicate_of"] = article["duplicate_of"]
    return out


extractor = Extractor(settings.extract_process)


@app.on_before_shutdown.connect
async def _stop_extractor(app, **kwargs) -> None:  # noqa: ARG001 - Faust's signal signature
    extractor.close()


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


def bound_open_events(events: list[dict], max_bytes: int) -> list[dict]:
    """The open events of one key, held under `max_bytes` of JSON: when a key runs hot (an unlocated
    type, a war's busiest country), the events whose last report is oldest stop taking reports first.
    Keeps the table value, and so its changelog record, within what Kafka accepts."""
    size = len(jsonio.dumps(events))
    if size <= max_bytes:
        return events
    kept = sorted(events, key=lambda e: str(e.get("last_seen") or ""), reverse=True)
    while kept and size > max_bytes:
        gone = kept.pop()
        size -= len(jsonio.dumps(gone))
        log.warning("open events under one key over %d bytes: %s (%s, last seen %s) takes no more reports",
                    max_bytes, gone.get("event_id"), gone.get("type"), gone.get("last_seen"))
    return kept


@app.agent(topics.mentions)
async def merge_events(stream):
    async for event in stream.events():
        try:
            mention = jsonio.loads(event.value)
            key = partition_key(mention)
        except Exception as exc:  # noqa: BLE001
            await dead_letter("merge", f"mention is not usable: {exc}", event.value, event)
            continue
        loaded = [summary(x) for x in (open_events.get(key) or [])]
        day = (mention.get("published_at") or "")[:10] or None
        live = expire(loaded, day) if day else loaded
        merged, changed = join(live, mention, event_bodies.get)
        if changed:
            event_bodies[merged["event_id"]] = merged
        kept = bound_open_events(
            [x for x in live if x["event_id"] != merged["event_id"]] + [summary(merged)],
            settings.max_open_events_bytes,
        )
        # Bodies of events that expired or were bounded out leave with their summaries.
        for gone in ({x["event_id"] for x in loaded} | {merged["event_id"]}) - {x["event_id"] for x in kept}:
            event_bodies.pop(gone, None)
        open_events[key] = kept
        # Sent even when the mention was merged before: a mention seen again is a record processed
        # again after a crash, whose table write may have survived its event update; the indexer
        # and the alert state make a repeat harmless.
        await topics.events.send(key=merged["event_id"].encode("utf-8"),
                                 value=jsonio.dumps(merged))
        if changed:
            log.debug("event %s (%s) now has %d mentions from %d sources", merged["event_id"], merged["type"],
                     merged.get("mentions", 0), len(merged.get("sources") or []))
