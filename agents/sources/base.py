"""What every source yields: an item key for "already published?", and the article or the reason it is unusable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from marsad.records import Article


@dataclass
class SourceItem:
    """One item from a source. `article` is None when the item is unusable; `error` then says why
    and `original` keeps its bytes for the dead-letter topic."""

    key: str
    article: Article | None = None
    error: str | None = None
    original: bytes = b""


class SourceError(Exception):
    """A whole source (a feed document, a file) is unusable; the message says why in one line."""

    def __init__(self, message: str, original: bytes = b"") -> None:
        super().__init__(message)
        self.original = original


def parse_date(value: str | None) -> datetime | None:
    """RFC 822 (RSS pubDate) or ISO 8601; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        dt = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt
