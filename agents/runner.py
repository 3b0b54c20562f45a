"""The agent loop: poll each feed when due, publish what is new, remember it, report health."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from agents.feeds import Feed
from agents.fetch import FetchError, Fetcher
from agents.publisher import Publisher
from agents.sources.base import SourceError, SourceItem
from agents.sources.rss import parse_feed_document
from agents.state import AgentState
from marsad.records import utcnow

log = logging.getLogger("marsad.agents")


def publish_items(feed: str, items: Iterable[SourceItem], publisher: Publisher, state: AgentState) -> int:
    """Publish the items not published before; dead-letter the unusable ones. Returns how many were new."""
    items = list(items)
    fresh = state.unpublished(feed, [i.key for i in items])
    new_articles = []
    done: list[tuple[str, str]] = []
    for item in items:
        if item.key not in fresh:
            continue
        fresh.discard(item.key)  # the same key twice in one batch is published once
        if item.article is None:
            publisher.dead_letter("source", item.error or "unusable item", item.original, key=item.key, source=feed)
            done.append((item.key, ""))
        else:
            new_articles.append(item)
    failed = publisher.publish([i.article for i in new_articles])
    failed_ids = {a.id for a, _ in failed}
    for a, reason in failed:
        log.warning("not published: %s from %s: %s", a.id, feed, reason)
    done.extend((i.key, i.article.id) for i in new_articles if i.article.id not in failed_ids)
    publisher.producer.flush()
    state.mark_published(feed, done)
    return len(new_articles) - len(failed)


def poll_feed(feed: Feed, fetcher: Fetcher, publisher: Publisher, state: AgentState) -> int:
    etag, last_modified = state.validators(feed.name)
    previous_error = next((h.last_error for h in state.health() if h.feed == feed.name), None)
    try:
        result = fetcher.fetch(feed.url, etag, last_modified)
        if result.not_modified:
            state.record_fetch(feed.name, status="304 not modified")
            log.info("feed %s: not modified", feed.name)
            return 0
        doc = parse_feed_document(result.body, feed=feed.name, outlet=feed.outlet, fetched_at=utcnow())
    except (FetchError, SourceError) as exc:
        reason = str(exc)
        state.record_fetch(feed.name, status="error", error=reason)
        if reason != previous_error:  # a feed that stays broken is reported once, not every poll
            original = exc.original if isinstance(exc, SourceError) else b""
            publisher.dead_letter("fetch", reason, original, source=feed.name, key=feed.url)
        else:
            log.warning("feed %s still failing: %s", feed.name, reason)
        return 0
    items = doc.items
    if doc.problem:
        # The items that parsed go on; the document itself is kept with the reason.
        publisher.dead_letter("fetch", doc.problem, result.body, source=feed.name, key=feed.url)
    new = publish_items(feed.name, items, publisher, state)
    state.record_fetch(
        feed.name, status=f"{result.status} ok", new_items=new, etag=result.etag, last_modified=result.last_modified
    )
    log.info("feed %s: %d items, %d new", feed.name, len(items), new)
    return new


def run_feeds(
    feeds: list[Feed],
    *,
    publisher: Publisher,
    state_path: Path,
    fetcher: Fetcher,
    stop: threading.Event | None = None,
    once: bool = False,
) -> None:
    stop = stop or threading.Event()
    state = AgentState(state_path)
    due = {f.name: 0.0 for f in feeds}
    try:
        while not stop.is_set():
            now = time.monotonic()
            for f in feeds:
                if due[f.name] <= now:
                    poll_feed(f, fetcher, publisher, state)
                    due[f.name] = time.monotonic() + f.interval
            if once:
                return
            stop.wait(max(0.5, min(due.values()) - time.monotonic()))
    finally:
        state.close()
