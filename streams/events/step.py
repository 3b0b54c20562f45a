"""The extract processor's step for a batch of article records, run in a child process of the worker.

Importable without the Faust app (the child imports it by name). Per record, everything up to the
bytes the processor sends: the article decoded, extracted, its mentions keyed for the merge step and
the article with its entities and mention ids, both encoded. Decoding and encoding in the child
keeps them off the worker's event loop, which every processor, the Kafka client and the indexer share.
"""

from __future__ import annotations

import traceback
from typing import Any, NamedTuple

from marsad import jsonio
from marsad.dedup.events import partition_key
from marsad.nlp.extract import extract
from marsad.records import NORMALIZED_FIELDS

ENTITY_FIELDS = ("text", "type", "canonical", "start", "end", "field")


class Extracted(NamedTuple):
    """What the processor sends for one article. `error` is set when extraction failed: the article
    then goes on without entities (search never loses an article to an NLP bug) and the record is
    dead-lettered with the error."""

    article_id: str
    enriched: bytes
    mentions: list[tuple[bytes, bytes]]  # (merge key, mention record)
    error: str | None = None


def mention_for(article: dict, mention: dict) -> dict:
    """A mention as the merge step wants it: with the article's copy mark when it has one."""
    out = dict(mention)
    if article.get("duplicate_of"):
        out["duplicate_of"] = article["duplicate_of"]
    return out


def enriched(article: dict, result: dict[str, Any]) -> Extracted:
    """The records for one article and its extraction result."""
    mentions = [mention_for(article, m) for m in result.get("mentions") or []]
    article = {k: v for k, v in article.items() if k not in NORMALIZED_FIELDS}
    article["entities"] = [{k: e.get(k) for k in ENTITY_FIELDS} for e in result.get("entities") or []]
    article["mention_ids"] = [m["mention_id"] for m in mentions]
    return Extracted(
        article_id=article["id"],
        enriched=jsonio.dumps(article),
        mentions=[(partition_key(m).encode("utf-8"), jsonio.dumps(m)) for m in mentions],
    )


def bare(article: dict, error: str) -> Extracted:
    """The article passed on without entities, with the error that stopped its extraction."""
    return enriched(article, {})._replace(error=error)


def decode(raw: bytes) -> dict:
    """An article record, or ValueError saying why it is not one."""
    article = jsonio.loads(raw)
    if not isinstance(article, dict) or not article.get("id"):
        raise ValueError("article record has no id")
    return article


def extract_records(raws: list[bytes]) -> list[Extracted | str]:
    """For each raw record in order: what to send, or why it is not an article (a dead letter)."""
    out: list[Extracted | str] = []
    for raw in raws:
        try:
            article = decode(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            out.append(f"not an article: {exc}")
            continue
        try:
            out.append(enriched(article, extract(article)))
        except Exception as exc:  # noqa: BLE001 - reported per article by the processor
            where = "".join(traceback.format_exception(exc)[-3:]).strip().replace("\n", " | ")
            out.append(bare(article, f"{type(exc).__name__}: {exc} ({where})"))
    return out
