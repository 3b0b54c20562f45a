"""The clean step: tidy an article's text, label its language, add the normalized fields and the fingerprint."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from marsad.nlp.boilerplate import strip_boilerplate
from marsad.nlp.normalize import arabic_ratio, clean_text, normalize
from marsad.records import Article, content_fingerprint, isoformat

log = logging.getLogger("marsad.clean")

# Publication times outside these bounds are feed errors (epoch zero, year 2999, clocks set wrong);
# archives from the 1980s on are real, so the floor is low.
EARLIEST = datetime(1980, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)

_TAGS = re.compile(r"<[^>]{0,500}>")
_SCRIPTS = re.compile(r"<(script|style)[^>]*>.*?</\1\s*>", re.S | re.I)


class Rejected(ValueError):
    """An article the pipeline cannot use; the message is the reason the dead-letter record carries."""


def strip_html(text: str) -> str:
    """Remove markup remnants (tags, scripts, styles) and decode the common entities."""
    import html

    if "<" not in text and "&" not in text:
        return text
    text = _SCRIPTS.sub(" ", text)
    text = _TAGS.sub(" ", text)
    return html.unescape(text)


def plausible_published_at(article: Article, now: datetime | None = None) -> tuple[str | None, bool, str | None]:
    """(published_at, estimated, warning): a time that cannot be a publication time is replaced by
    the fetch time, marked estimated, with a warning saying why."""
    now = now or datetime.now(UTC)
    raw = article.published_at
    try:
        ts = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        if ts.tzinfo is None:
            ts = ts.replace(tzinfo=UTC)
    except ValueError:
        ts = None
    if ts is not None and EARLIEST <= ts <= now + FUTURE_SLACK:
        return raw, article.published_at_estimated, None
    fallback = article.fetched_at or isoformat(now)
    what = "not a time" if ts is None else ("in the future" if ts > now else "too early")
    return fallback, True, f"published_at {raw!r} is {what}; using the fetch time {fallback}"


def clean_article(article: Article, *, max_chars: int, arabic_min_ratio: float) -> Article:
    """Return the article with cleaned display text and its `*_norm`, `language` and `fingerprint` fields.

    Raises Rejected for articles that cannot be used: empty, too large, or not Arabic.
    """
    size = len(article.title) + len(article.body) + len(article.summary or "")
    if size > max_chars:
        raise Rejected(f"article too large: {size:,} characters (limit {max_chars:,})")
    title = clean_text(strip_html(article.title))
    body = clean_text(strip_html(article.body))
    summary = clean_text(strip_html(article.summary)) if article.summary else None
    if not body and summary:
        body = summary
    if not title and not body:
        raise Rejected("empty article: no title, body or summary text")
    ratio = arabic_ratio(f"{title} {body}")
    if ratio < arabic_min_ratio:
        raise Rejected(f"not Arabic: {ratio:.0%} of its letters are Arabic (minimum {arabic_min_ratio:.0%})")
    published_at, estimated, warning = plausible_published_at(article)
    if warning:
        log.warning("article %s from %s: %s", article.id, article.source, warning)
    title_norm = normalize(strip_boilerplate(title))
    body_norm = normalize(strip_boilerplate(body))
    return replace(
        article,
        title=title,
        body=body,
        summary=summary,
        language="ar",
        published_at=published_at,
        published_at_estimated=estimated,
        title_norm=title_norm,
        body_norm=body_norm,
        fingerprint=content_fingerprint(title_norm, body_norm),
    )
