"""Feed configuration: a YAML file listing feeds (name, url, interval, outlet)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml


class FeedConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Feed:
    name: str
    url: str
    outlet: str
    interval: float = 300.0


def load_feeds(path: Path) -> list[Feed]:
    """Read and check the feeds file; errors name the file and the entry."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise FeedConfigError(f"feeds file not found: {path}") from exc
    except yaml.YAMLError as exc:
        raise FeedConfigError(f"{path} is not valid YAML: {exc}") from exc
    entries = data.get("feeds") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise FeedConfigError(f"{path}: expected a top-level 'feeds:' list")
    feeds: list[Feed] = []
    names: set[str] = set()
    for i, e in enumerate(entries, 1):
        if not isinstance(e, dict):
            raise FeedConfigError(f"{path}: feed #{i} must be a mapping")
        missing = [k for k in ("name", "url", "outlet") if not e.get(k)]
        if missing:
            raise FeedConfigError(f"{path}: feed #{i} lacks {', '.join(missing)}")
        if urlsplit(str(e["url"])).scheme not in {"http", "https"}:
            raise FeedConfigError(f"{path}: feed {e['name']!r} url must be http or https")
        if e["name"] in names:
            raise FeedConfigError(f"{path}: feed name {e['name']!r} appears twice")
        names.add(e["name"])
        try:
            interval = float(e.get("interval", 300))
        except (TypeError, ValueError) as exc:
            raise FeedConfigError(f"{path}: feed {e['name']!r} interval must be seconds") from exc
        feeds.append(Feed(str(e["name"]), str(e["url"]), str(e["outlet"]), max(5.0, interval)))
    return feeds
