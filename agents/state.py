"""What the agents remember across restarts, in SQLite under var/state/agents.sqlite:
which items were published, and each feed's validators and health."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS published (
    feed TEXT NOT NULL,
    item TEXT NOT NULL,
    article_id TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (feed, item)
);
CREATE TABLE IF NOT EXISTS feeds (
    feed TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    last_fetch REAL,
    last_ok REAL,
    last_status TEXT,
    new_items INTEGER DEFAULT 0,
    total_items INTEGER DEFAULT 0,
    errors INTEGER DEFAULT 0,
    last_error TEXT
);
"""


@dataclass
class FeedHealth:
    feed: str
    last_fetch: float | None
    last_ok: float | None
    last_status: str | None
    new_items: int
    total_items: int
    errors: int
    last_error: str | None


class AgentState:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), timeout=30)
        self.db.executescript(_SCHEMA)
        self.db.commit()

    def close(self) -> None:
        self.db.close()

    def unpublished(self, feed: str, items: list[str]) -> set[str]:
        """The item keys of `items` not yet published for `feed`."""
        if not items:
            return set()
        seen: set[str] = set()
        for i in range(0, len(items), 500):
            chunk = items[i : i + 500]
            rows = self.db.execute(
                f"SELECT item FROM published WHERE feed = ? AND item IN ({','.join('?' * len(chunk))})",
                [feed, *chunk],
            )
            seen.update(r[0] for r in rows)
        return set(items) - seen

    def mark_published(self, feed: str, pairs: list[tuple[str, str]]) -> None:
        """Remember (item key, article id) pairs; call only after Kafka acknowledged them."""
        now = time.time()
        self.db.executemany(
            "INSERT OR IGNORE INTO published (feed, item, article_id, at) VALUES (?, ?, ?, ?)",
            [(feed, item, aid, now) for item, aid in pairs],
        )
        self.db.commit()

    def validators(self, feed: str) -> tuple[str | None, str | None]:
        row = self.db.execute("SELECT etag, last_modified FROM feeds WHERE feed = ?", (feed,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def record_fetch(
        self,
        feed: str,
        *,
        status: str,
        new_items: int = 0,
        etag: str | None = None,
        last_modified: str | None = None,
        error: str | None = None,
    ) -> None:
        now = time.time()
        self.db.execute("INSERT OR IGNORE INTO feeds (feed) VALUES (?)", (feed,))
        if error:
            self.db.execute(
                "UPDATE feeds SET last_fetch=?, last_status=?, errors=errors+1, last_error=?, new_items=0 WHERE feed=?",
                (now, status, error, feed),
            )
        else:
            self.db.execute(
                "UPDATE feeds SET last_fetch=?, last_ok=?, last_status=?, new_items=?, total_items=total_items+?,"
                " etag=COALESCE(?, etag), last_modified=COALESCE(?, last_modified) WHERE feed=?",
                (now, now, status, new_items, new_items, etag, last_modified, feed),
            )
        self.db.commit()

    def health(self) -> list[FeedHealth]:
        rows = self.db.execute(
            "SELECT feed, last_fetch, last_ok, last_status, new_items, total_items, errors, last_error FROM feeds ORDER BY feed"
        )
        return [FeedHealth(*r) for r in rows]
