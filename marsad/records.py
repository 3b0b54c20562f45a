"""Record contracts shared by agents, processors and the indexer: articles, dead letters, ids."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from marsad import jsonio

SCHEMA_VERSION = 1
# The normalized copies clean adds for matching inside the stream (dedup, extraction): they travel on
# marsad.articles, and neither the indexer's input record nor the index carries them.
NORMALIZED_FIELDS = ("title_norm", "body_norm")

# Query parameters that track a click rather than name a page.
_TRACKING_PARAMS = {"fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "ref", "cmpid", "xtor", "at_medium", "at_campaign"}


class ContractError(ValueError):
    """A record does not match its contract; the message says which field and why."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def isoformat(ts: datetime) -> str:
    """ISO 8601 with an explicit zone, second precision."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    return ts.isoformat(timespec="seconds")


def canonical_url(url: str | None) -> str | None:
    """A URL reduced to what names the page: lower-case scheme and host, no fragment,
    no tracking parameters (utm_* and friends), sorted query, no trailing slash, no default port."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port is None or (scheme, port) in {("http", 80), ("https", 443)} else f"{host}:{port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING_PARAMS
    )
    path = parts.path.rstrip("/") or "/"
    # http and https name the same article on news sites; keep one form for the id.
    return urlunsplit(("https" if scheme in {"http", "https"} else scheme, netloc, path, urlencode(query), ""))


def _digest(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=12)
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x1f")
    return base64.b32encode(h.digest()).decode("ascii").lower().rstrip("=")


def article_id(url: str | None, source: str = "", title: str = "", body: str = "") -> str:
    """Stable id: a hash of the canonical URL, or of source+title+body when there is no URL."""
    canon = canonical_url(url)
    if canon:
        return _digest("url", canon)
    return _digest("text", source, title, body)


def content_fingerprint(title_norm: str, body_norm: str) -> str:
    """Exact-duplicate fingerprint over normalized, boilerplate-free text (level 1 of dedup)."""
    return hashlib.sha1(f"{title_norm}\n{body_norm}".encode()).hexdigest()


@dataclass
class Article:
    """One news article. Fields before `title_norm` come from a feed agent; the rest from processors."""

    id: str
    source: str
    title: str
    body: str
    url: str | None = None
    canonical_url: str | None = None
    feed: str | None = None
    summary: str | None = None
    published_at: str | None = None
    published_at_estimated: bool = False
    fetched_at: str | None = None
    language: str | None = None
    title_norm: str | None = None
    body_norm: str | None = None
    fingerprint: str | None = None
    simhash: str | None = None
    duplicate_of: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    mention_ids: list[str] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    @classmethod
    def new(
        cls,
        *,
        source: str,
        title: str,
        body: str,
        url: str | None = None,
        feed: str | None = None,
        summary: str | None = None,
        published_at: datetime | str | None = None,
        fetched_at: datetime | None = None,
    ) -> Article:
        """Build a raw article as an agent publishes it; a missing publication time falls back
        to the fetch time and says so in `published_at_estimated`."""
        fetched = fetched_at or utcnow()
        estimated = published_at is None
        if isinstance(published_at, datetime):
            published = isoformat(published_at)
        else:
            published = published_at or isoformat(fetched)
        return cls(
            id=article_id(url, source, title, body),
            source=source,
            title=title,
            body=body,
            url=url,
            canonical_url=canonical_url(url),
            feed=feed,
            summary=summary,
            published_at=published,
            published_at_estimated=estimated,
            fetched_at=isoformat(fetched),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> bytes:
        # orjson writes a dataclass field by field, in order, as asdict would, without its deep copy.
        return jsonio.dumps(self)

    @classmethod
    def from_dict(cls, data: Any) -> Article:
        """Validate a decoded record against the article contract."""
        if not isinstance(data, dict):
            raise ContractError(f"article must be a JSON object, got {type(data).__name__}")
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ContractError(f"unsupported schema_version {version!r} (expected {SCHEMA_VERSION})")
        for name in ("id", "source", "title", "body"):
            if not isinstance(data.get(name), str):
                raise ContractError(f"field {name!r} must be a string")
        if not data["id"]:
            raise ContractError("field 'id' is empty")
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def from_json(cls, raw: bytes) -> Article:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ContractError(f"record is not UTF-8 ({exc.reason} at byte {exc.start})") from exc
        try:
            data = jsonio.loads(text)
        except jsonio.JSONDecodeError as exc:
            raise ContractError(f"record is not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from exc
        return cls.from_dict(data)


@dataclass
class DeadLetter:
    """What could not be processed, why, where, and the bytes as they arrived."""

    stage: str
    reason: str
    original: str  # base64 of the original bytes, so any encoding survives the JSON trip
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    key: str | None = None
    source: str | None = None
    at: str = field(default_factory=lambda: isoformat(utcnow()))
    schema_version: int = SCHEMA_VERSION

    @classmethod
    def of(cls, stage: str, reason: str, original: bytes | str | None, **where: Any) -> DeadLetter:
        raw = original.encode("utf-8") if isinstance(original, str) else (original or b"")
        return cls(stage=stage, reason=reason, original=base64.b64encode(raw).decode("ascii"), **where)

    def original_bytes(self) -> bytes:
        return base64.b64decode(self.original)

    def to_json(self) -> bytes:
        return jsonio.dumps(self)
