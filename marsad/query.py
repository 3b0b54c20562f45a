"""Turning what a user types into an Elasticsearch query: words, "phrases", highlighting."""

from __future__ import annotations

import re

_PHRASE = re.compile(r'"([^"]+)"|«([^»]+)»')

# Highlight marks that read well in a terminal and survive JSON.
PRE, POST = "«", "»"


def split_query(text: str) -> tuple[list[str], str]:
    """(phrases, remaining words) of a query; phrases are written in "..." or «...»."""
    phrases = [a or b for a, b in _PHRASE.findall(text)]
    rest = _PHRASE.sub(" ", text).strip()
    return [p.strip() for p in phrases if p.strip()], rest


def build_article_query(text: str, *, size: int = 10, include_copies: bool = False) -> dict:
    phrases, words = split_query(text)
    must: list[dict] = []
    should: list[dict] = []
    if words:
        must.append(
            {
                "multi_match": {
                    "query": words,
                    "fields": ["title^3", "title.exact^2", "body", "body.exact^1.5", "summary"],
                    "type": "most_fields",
                    "operator": "and",
                }
            }
        )
    for p in phrases:
        must.append({"multi_match": {"query": p, "fields": ["title.exact^2", "body.exact"], "type": "phrase"}})
    if words:
        should.append({"multi_match": {"query": words, "fields": ["title.exact^2", "body.exact"], "type": "phrase", "boost": 2}})
    query: dict = {"bool": {"must": must or [{"match_all": {}}], "should": should}}
    if not include_copies:
        query["bool"]["must_not"] = [{"exists": {"field": "duplicate_of"}}]
    return {
        "query": query,
        "size": size,
        "_source": {"excludes": ["body"]},
        "highlight": {
            "pre_tags": [PRE],
            "post_tags": [POST],
            "fields": {
                "title": {"number_of_fragments": 0},
                "body": {"type": "fvh", "matched_fields": ["body", "body.exact"], "fragment_size": 160,
                         "number_of_fragments": 2},
            },
        },
    }
