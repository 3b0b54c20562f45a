"""Entities and event mentions for one article: the pure function the stream processor calls."""

from __future__ import annotations

import logging
import os
import re
from typing import Any

from marsad.nlp import events, ner
from marsad.nlp.dates import parse_published
from marsad.nlp.normalize import arabic_ratio

log = logging.getLogger(__name__)

# Past this size an article is cut: nothing newsworthy needs more, and one huge record must not
# stall a stream partition.
MAX_CHARS = 100_000
# Which body sentences the CRF tags: "events" (default) = the lead and the sentences holding an
# event trigger that passed the checks needing no entities, where actors and places feed mentions;
# elsewhere the gazetteer and pattern layers alone give entities (see benchmarks/data/README.md).
# "all" tags every sentence (slower; more entities outside event sentences).
CRF_SCOPE = os.environ.get("MARSAD_CRF_SCOPE", "events").lower()
_WARM: list[bool] = []  # becomes [True] once the NLP tables are loaded
_TAG = re.compile(r"<[^>]{0,400}>")
_HTML_HINT = re.compile(
    r"</?(?:p|div|span|br|a|img|script|style|li|ul|td|tr|table|h\d|strong|em)\b[^>]*>", re.I
)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.I | re.S)


def _scrub_html(text: str) -> str:
    """Replace markup by spaces of the same length, so offsets still point into the text as given."""

    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group())

    text = _SCRIPT.sub(blank, text)
    return _TAG.sub(blank, text)


def _prepare(name: str, text: Any, warnings: list[str]) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        warnings.append(f"{name} is {type(text).__name__}, not text; ignored")
        return ""
    if len(text) > MAX_CHARS:
        warnings.append(f"{name} has {len(text)} characters; only the first {MAX_CHARS} were read")
        text = text[:MAX_CHARS]
    if _HTML_HINT.search(text):
        warnings.append(f"{name} contains HTML markup; tags were blanked before extraction")
        text = _scrub_html(text)
    if "&" in text and re.search(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", text, re.I):
        warnings.append(f"{name} contains HTML entities; they were read as they are")
    return text


def extract(article: dict) -> dict:
    """`{"entities": [...], "mentions": [...], "warnings": [...]}` for an Article-contract dict.

    Entities carry `field` ("title" or "body") and offsets into that field; event mentions follow
    the Event-mention contract with trigger offsets into the body (the title when the body is empty).
    Never raises on bad text: problems become warnings and whatever can be extracted is returned.
    """
    if not _WARM:
        ner.warm()
        _WARM.append(True)
    warnings: list[str] = []
    if not isinstance(article, dict):
        msg = f"article is {type(article).__name__}, not an object"
        log.warning("%s", msg)
        return {"entities": [], "mentions": [], "warnings": [msg]}
    title = _prepare("title", article.get("title"), warnings)
    body = _prepare("body", article.get("body"), warnings)
    if not title.strip() and not body.strip():
        warnings.append("article has no text")
    elif arabic_ratio(title + " " + body) < 0.5:
        warnings.append(
            f"article is mostly not Arabic (Arabic share of letters {arabic_ratio(title + body):.2f})"
        )
    pub = parse_published(article.get("published_at"))
    if pub is None:
        warnings.append(
            f"published_at {article.get('published_at')!r} is missing or not a date; "
            "relative dates are left unresolved"
        )
    out_entities: list[dict] = []
    mentions: list[dict] = []
    try:
        title_ents = ner.entities(title) if title.strip() else []
        prep = events.prepare(body, pub) if body.strip() else None
        spans = None if CRF_SCOPE == "all" or prep is None else events.tagging_spans(prep)
        body_ents = ner.entities(body, spans) if body.strip() else []
        for fld, ents in (("title", title_ents), ("body", body_ents)):
            for e in ents:
                d = e.to_dict()
                d["field"] = fld
                out_entities.append(d)
        text, ents = (body, body_ents) if body.strip() else (title, title_ents)
        if text is title and title.strip():
            warnings.append("body is empty; events were read from the title (offsets refer to the title)")
        mentions = events.extract_mentions(text, ents, article, pub, prep if text is body else None)
    except Exception as exc:  # a bug on one odd article must not stop the stream; say what happened
        log.exception("extraction failed for article %s", article.get("id"))
        warnings.append(f"extraction failed: {type(exc).__name__}: {exc}")
    for w in warnings:
        log.warning("article %s: %s", article.get("id"), w)
    return {"entities": out_entities, "mentions": mentions, "warnings": warnings}
