"""The clean step: tidy an article's text, label its language, add the normalized fields and the fingerprint."""

from __future__ import annotations

import re
from dataclasses import replace

from marsad.nlp.boilerplate import strip_boilerplate
from marsad.nlp.normalize import arabic_ratio, clean_text, normalize
from marsad.records import Article, content_fingerprint

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
    title_norm = normalize(strip_boilerplate(title))
    body_norm = normalize(strip_boilerplate(body))
    return replace(
        article,
        title=title,
        body=body,
        summary=summary,
        language="ar",
        title_norm=title_norm,
        body_norm=body_norm,
        fingerprint=content_fingerprint(title_norm, body_norm),
    )
