"""JSONL archives (optionally gzip): the ANT corpus layout or Marsad's own article contract."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

from agents.sources.base import SourceItem, parse_date
from marsad.records import Article, ContractError


def _open(path: Path):
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def record_to_item(raw: bytes, *, feed: str, where: str) -> SourceItem:
    """One JSONL line -> an item. ANT lines have docno/src/text; Marsad lines have schema_version."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return SourceItem(f"{where}", error=f"{where}: not JSON ({exc})", original=raw)
    if not isinstance(data, dict):
        return SourceItem(f"{where}", error=f"{where}: a JSON object was expected", original=raw)
    if "schema_version" in data:
        try:
            article = Article.from_dict(data)
        except ContractError as exc:
            return SourceItem(str(data.get("id") or where), error=f"{where}: {exc}", original=raw)
        return SourceItem(article.id, article)
    title = data.get("title")
    text = data.get("text") if data.get("text") is not None else data.get("body")
    source = data.get("src") or data.get("source")
    if not isinstance(title, str) or not isinstance(text, str) or not isinstance(source, str):
        return SourceItem(str(data.get("docno") or where), error=f"{where}: needs string fields title, text and src", original=raw)
    article = Article.new(
        source=source,
        feed=feed,
        title=title,
        body=text,
        summary=data.get("abstract") or None,
        url=data.get("url") or None,
        published_at=parse_date(data.get("time") or data.get("published_at")),
    )
    return SourceItem(str(data.get("docno") or article.id), article)


def read_jsonl(path: Path, *, feed: str | None = None, limit: int | None = None, skip: int = 0) -> Iterator[SourceItem]:
    feed = feed or f"jsonl:{path.name}"
    n = 0
    with _open(path) as fh:
        for lineno, line in enumerate(fh, 1):
            if lineno <= skip:
                continue
            if not line.strip():
                continue
            yield record_to_item(line, feed=feed, where=f"{path.name}:{lineno}")
            n += 1
            if limit is not None and n >= limit:
                return
