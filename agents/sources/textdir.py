"""Plain-text articles in files: first short line is the title, or the first sentence when there is none."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from agents.sources.base import SourceItem
from marsad.records import Article

_SENTENCE_END = re.compile(r"[.!؟?](?:\s|$)")


def split_title(text: str) -> tuple[str, str]:
    """(title, body) of a text article."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if not lines:
        return "", ""
    if len(lines) > 1 and len(lines[0]) <= 200:
        return lines[0], "\n".join(lines[1:])
    body = "\n".join(lines)
    m = _SENTENCE_END.search(body, 0, 300)
    if m:
        title = body[: m.start()].strip()
    else:
        cut = body[:150]
        title = cut.rsplit(" ", 1)[0] if " " in cut else cut
    # A sentence is a headline of sorts, but one of 300 characters is not: keep about 20 words.
    words = title.split()
    if len(words) > 20:
        title = " ".join(words[:20]) + " …"
    return title, body


def read_text_file(path: Path, *, source: str, published_at: datetime | None = None) -> SourceItem:
    raw = path.read_bytes()
    key = f"file:{path.resolve()}"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return SourceItem(key, error=f"{path.name} is not UTF-8 ({exc.reason} at byte {exc.start})", original=raw)
    title, body = split_title(text)
    if not title and not body:
        return SourceItem(key, error=f"{path.name} is empty", original=raw)
    article = Article.new(source=source, feed=f"files:{path.parent.name}", title=title, body=body, published_at=published_at)
    return SourceItem(key, article)


def text_files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.txt") if q.is_file()))
        else:
            out.append(p)
    return out
