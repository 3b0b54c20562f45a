"""Stream functions for articles: marsad.articles.raw -> clean -> exact dedup -> marsad.articles."""

from __future__ import annotations

import logging
import time
from dataclasses import replace

import faust

from marsad.clean import Rejected, clean_article
from marsad.dedup.exact import decide
from marsad.records import Article, ContractError
from streams import topics
from streams.app import app, settings
from streams.dlq import dead_letter
from streams.metrics import ARTICLES

log = logging.getLogger("marsad.articles")

# fingerprint -> {"id": first article id, "seen_at": epoch seconds}; changelog-backed.
seen_content = app.Table(
    "dedup-exact",
    default=None,
    schema=faust.Schema(key_serializer="json", value_serializer="json"),
    partitions=settings.partitions,
)


@app.agent(topics.articles_raw)
async def clean(stream):
    async for event in stream.events():
        raw = event.value
        try:
            article = clean_article(
                Article.from_json(raw),
                max_chars=settings.max_article_chars,
                arabic_min_ratio=settings.arabic_min_ratio,
            )
        except (ContractError, Rejected) as exc:
            ARTICLES.labels("clean", "rejected").inc()
            await dead_letter("clean", str(exc), raw, event)
            continue
        except Exception as exc:  # a bug must not stop the stream: keep the record and say why
            log.exception("clean failed")
            await dead_letter("clean", f"unexpected {type(exc).__name__}: {exc}", raw, event)
            continue
        ARTICLES.labels("clean", "passed").inc()
        await topics.articles_by_fingerprint.send(key=article.fingerprint.encode(), value=article.to_json())


@app.agent(topics.articles_by_fingerprint)
async def dedup_exact(stream):
    async for event in stream.events():
        try:
            article = Article.from_json(event.value)
            if not article.fingerprint:
                raise ContractError("article reached dedup without a fingerprint")
        except ContractError as exc:
            await dead_letter("dedup", str(exc), event.value, event)
            continue
        decision = decide(seen_content.get(article.fingerprint), article.id, time.time(), settings.dedup_window)
        if decision.drop:
            ARTICLES.labels("dedup", "dropped").inc()
            log.info("duplicate dropped: %s from %s (already passed on)", article.id, article.source)
            continue
        if decision.entry is not None:
            seen_content[article.fingerprint] = decision.entry
        ARTICLES.labels("dedup", "copy" if decision.duplicate_of else "new").inc()
        if decision.duplicate_of:
            article = replace(article, duplicate_of=decision.duplicate_of)
            log.info("exact copy kept: %s from %s is a copy of %s", article.id, article.source, decision.duplicate_of)
        else:
            log.info("new article: %s from %s: %s", article.id, article.source, article.title[:80])
        await topics.articles.send(key=article.id.encode(), value=article.to_json())
