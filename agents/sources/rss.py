"""RSS and Atom: bytes fetched by agents.fetch, parsed with feedparser."""

from __future__ import annotations

import calendar
import hashlib
from datetime import UTC, datetime

import logging

import feedparser

from dataclasses import dataclass, field

from agents.sources.base import SourceError, SourceItem
from marsad.nlp.normalize import arabic_ratio
from marsad.records import Article

log = logging.getLogger("marsad.agents")

# Encodings tried, in order, when a feed's bytes do not decode as declared. Windows-1256
# is the Arabic code page still served by older sites, often without a declaration.
_FALLBACK_ENCODINGS = ("utf-8", "windows-1256")


def _decode_arabic(body: bytes) -> str | None:
    """The body decoded in the first encoding under which its non-ASCII letters are Arabic."""
    for enc in _FALLBACK_ENCODINGS:
        try:
            text = body.decode(enc)
        except UnicodeDecodeError:
            continue
        wide = "".join(ch for ch in text if ord(ch) > 127)
        if wide and arabic_ratio(wide) >= 0.8:
            return text
    return None


def _entry_time(entry) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        st = entry.get(name)
        if st:
            try:
                return datetime.fromtimestamp(calendar.timegm(st), tz=UTC)
            except (OverflowError, ValueError):
                return None
    return None


def _entry_body(entry) -> str:
    for c in entry.get("content") or []:
        if c.get("value"):
            return c["value"]
    return entry.get("summary") or entry.get("description") or ""


def _item_key(entry, title: str, body: str) -> str:
    """What the agent remembers an item by: its GUID (or link) plus a hash of its text, so that an
    item re-sent unchanged is skipped while one corrected under the same GUID is published again."""
    digest = hashlib.sha1(f"{title}\n{body}".encode()).hexdigest()[:16]
    key = entry.get("id") or entry.get("guid") or entry.get("link")
    return f"{key}#{digest}" if key else f"sha1:{digest}"


@dataclass
class FeedDocument:
    """The items of one feed document, and what was wrong with it when it parsed only in part."""

    items: list[SourceItem] = field(default_factory=list)
    problem: str | None = None


def parse_feed(body: bytes, *, feed: str, outlet: str, fetched_at: datetime | None = None) -> list[SourceItem]:
    """Items of one feed document. Raises SourceError when the document is not a usable feed."""
    return parse_feed_document(body, feed=feed, outlet=outlet, fetched_at=fetched_at).items


def parse_feed_document(body: bytes, *, feed: str, outlet: str, fetched_at: datetime | None = None) -> FeedDocument:
    """Like parse_feed, and says when a malformed document still gave items (`problem`)."""
    if not body.strip():
        raise SourceError("feed body is empty", body)
    parsed = feedparser.parse(body)
    problem = parsed.get("bozo_exception")
    encoding_trouble = problem is not None and "encoding" in type(problem).__name__.lower()
    if encoding_trouble or (problem is not None and not parsed.entries):
        text = _decode_arabic(body)
        if encoding_trouble and text is not None:
            log.warning("feed %s: bytes are not in the declared encoding; decoded as Windows-1256", feed)
            parsed = feedparser.parse(text)
            problem = parsed.get("bozo_exception")
        elif encoding_trouble:
            raise SourceError(f"feed bytes are not valid in any Arabic encoding tried ({problem})", body)
    if not parsed.entries:
        if problem is not None:
            raise SourceError(f"malformed feed: {type(problem).__name__}: {problem}", body)
        if not parsed.get("version"):
            raise SourceError("not an RSS or Atom document", body)
        return FeedDocument()
    items: list[SourceItem] = []
    for entry in parsed.entries:
        title = (entry.get("title") or "").strip()
        text = _entry_body(entry)
        summary = entry.get("summary") if entry.get("content") else None
        key = _item_key(entry, title, text)
        if not title and not text:
            items.append(SourceItem(key, error="feed item has neither title nor text", original=str(dict(entry)).encode()))
            continue
        article = Article.new(
            source=outlet,
            feed=feed,
            title=title,
            body=text,
            summary=summary,
            url=entry.get("link"),
            published_at=_entry_time(entry),
            fetched_at=fetched_at,
        )
        items.append(SourceItem(key, article))
    recovered = f"malformed feed, {len(items)} items recovered: {type(problem).__name__}: {problem}" if problem else None
    return FeedDocument(items, recovered)
