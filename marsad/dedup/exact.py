"""Level 1 of dedup: the same article again (same content fingerprint over normalized text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Copies remembered per fingerprint: a wire story can run under many ids; the entry stays small.
MAX_COPIES = 64


@dataclass(frozen=True)
class ExactDecision:
    """What to do with an article given what the fingerprint table holds.

    drop: the very same article (same id, same content) was already passed on by an earlier record.
    duplicate_of: the same content arrived under another id (another URL or outlet): keep it, marked.
    entry: the table value to store (None when nothing changes). Besides the first id, it remembers
    the ids seen since with the same content ("copies", id -> offset of its record), so a copy that
    comes again is dropped too, whatever order the copies arrived in.
    """

    drop: bool
    duplicate_of: str | None
    entry: dict[str, Any] | None


def decide(seen: dict[str, Any] | None, article_id: str, now: float, window: float, offset: int | None = None) -> ExactDecision:
    """Decide for one article whose fingerprint maps to `seen` in the table (or to nothing).

    `offset` is the position of the record being processed. When the table entry was written by this
    very record, the record is being processed again after a crash: its table write survived but its
    output may not have (both leave through one producer, in no fixed order), so it is passed on
    again rather than dropped; downstream writes are idempotent. A later record with the same id and
    content is a real repeat and is dropped, whether that id came first or as a copy.

    An entry older than `window` seconds counts as unseen: a story that returns after the
    window is news again, and forgetting keeps the table bounded.
    """
    if seen is None or now - float(seen.get("seen_at", 0)) > window:
        return ExactDecision(drop=False, duplicate_of=None, entry={"id": article_id, "seen_at": now, "offset": offset})
    if seen.get("id") == article_id:
        replay = offset is not None and seen.get("offset") == offset
        return ExactDecision(drop=not replay, duplicate_of=None, entry=None)
    copies: dict[str, Any] = dict(seen.get("copies") or {})
    if article_id in copies:
        replay = offset is not None and copies[article_id] == offset
        return ExactDecision(drop=not replay, duplicate_of=str(seen["id"]), entry=None)
    copies[article_id] = offset
    while len(copies) > MAX_COPIES:  # oldest first: dicts keep insertion order through JSON
        del copies[next(iter(copies))]
    return ExactDecision(drop=False, duplicate_of=str(seen["id"]), entry={**seen, "copies": copies})
