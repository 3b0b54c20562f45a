"""The clean processor's step for a batch of raw records, run in a child process of the worker.

Importable without the Faust app (the child imports it by name). Per record: the cleaned article
with its MinHash signature as JSON, or why it was refused. Cleaning and the signature are about a
quarter of the worker's own CPU per article; in the worker they held its interpreter lock, which
every processor, the Kafka client and the indexer share.
"""

from __future__ import annotations

from dataclasses import replace

from marsad.clean import Rejected, clean_article
from marsad.dedup.near import signature, signature_to_str
from marsad.records import Article, ContractError

PASSED, REFUSED, FAILED = "passed", "refused", "failed"


def clean_each(
    raws: list[bytes], *, max_chars: int, arabic_min_ratio: float
) -> list[tuple[str, bytes | str]]:
    """(PASSED, article JSON) or (REFUSED | FAILED, reason) for each raw record, in order."""
    out: list[tuple[str, bytes | str]] = []
    for raw in raws:
        try:
            article = Article.from_json(raw)
            article = clean_article(article, max_chars=max_chars, arabic_min_ratio=arabic_min_ratio)
            article = replace(article, simhash=signature_to_str(signature(article.title, article.body)))
            out.append((PASSED, article.to_json()))
        except (ContractError, Rejected) as exc:
            out.append((REFUSED, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the stream: keep it, say why
            out.append((FAILED, f"unexpected {type(exc).__name__}: {exc}"))
    return out
