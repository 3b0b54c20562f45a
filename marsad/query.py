"""Turning what a user types into an Elasticsearch query: words, "phrases", -exclusions, field:filters.

Syntax (articles and events alike):

    قصف "طرابلس الغربية" -تدريب type:battle.* source:الوسط actor:"فائز السراج" place:بنغازي
    published:2026-11-01..2026-11-20      (also published:2026-11-01.. , ..2026-11-20, 2026-11-01)

Words must all match (stemmed, normalized: لسوريا finds سوريا); "…" or «…» is a phrase on the
exact (folded, unstemmed) sub-fields; -word or -"…" excludes; `key:value` filters where the key is
one of FILTER_KEYS, with "…" for values with spaces and a trailing * for a prefix (type:battle.*).
Anything else with a colon stays a word. Pure: no I/O, so every rule is unit-tested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

# Highlight marks that read well in a terminal and survive JSON.
PRE, POST = "«", "»"

_TOKEN = re.compile(
    r'(?P<neg>-)?(?:(?P<key>[a-zA-Z_]+):)?(?:"(?P<q1>[^"]*)"|«(?P<q2>[^»]*)»|(?P<bare>[^\s"«»]*))'
)
_PHRASE = re.compile(r'"([^"]+)"|«([^»]+)»')
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{4}-\d{2}$|^\d{4}$")

# User-facing key -> canonical filter name. Dates accept a few names people reach for.
FILTER_KEYS = {
    "type": "type", "source": "source", "actor": "actor", "place": "place",
    "published": "date", "date": "date", "event_date": "date", "published_at": "date",
}


class QuerySyntaxError(ValueError):
    """A filter the user wrote that cannot be turned into a query (bad date, empty value)."""


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)  # type/source/actor/place -> values
    not_filters: dict[str, list[str]] = field(default_factory=dict)  # -source:x and kin
    date_from: str | None = None
    date_to: str | None = None

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases)


def _check_day(value: str, raw: str) -> str:
    if not _DAY.match(value):
        raise QuerySyntaxError(f"not a date in {raw!r}: write YYYY-MM-DD (or YYYY-MM, YYYY)")
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise QuerySyntaxError(f"not a date in {raw!r}: {exc}") from exc
    return value


def _date_range(value: str, raw: str) -> tuple[str | None, str | None]:
    if ".." in value:
        lo, hi = value.split("..", 1)
    else:
        lo = hi = value  # one day (or month, or year): the whole of it
    return (_check_day(lo, raw) if lo else None), (_check_day(hi, raw) if hi else None)


def parse_query(text: str) -> ParsedQuery:
    """Split what a user typed into words, phrases, exclusions, filters and a date range."""
    out = ParsedQuery()
    for m in _TOKEN.finditer(text):
        neg, key = m.group("neg"), m.group("key")
        quoted = m.group("q1") if m.group("q1") is not None else m.group("q2")
        value = (quoted if quoted is not None else m.group("bare") or "").strip()
        name = FILTER_KEYS.get(key.lower()) if key else None
        if key and name is None:  # not one of ours (a URL, a time "10:30"): keep it as text
            value = f"{key}:{value}"
        if name and not value:
            raise QuerySyntaxError(f"{key}: needs a value, e.g. {key}:بنغازي")
        if name == "date":
            out.date_from, out.date_to = _date_range(value, m.group(0))
        elif name:
            (out.not_filters if neg else out.filters).setdefault(name, []).append(value)
        elif not any(ch.isalnum() for ch in value):  # stray punctuation, a lone "-"
            continue
        elif neg:
            out.excluded.append(value)
        elif quoted is not None:
            out.phrases.append(value)
        else:
            out.words.append(value)
    return out


def split_query(text: str) -> tuple[list[str], str]:
    """(phrases, remaining words) of a query; phrases are written in "..." or «...»."""
    phrases = [a or b for a, b in _PHRASE.findall(text)]
    rest = _PHRASE.sub(" ", text).strip()
    return [p.strip() for p in phrases if p.strip()], rest


# ------------------------------------------------------------------ per index

@dataclass(frozen=True)
class Target:
    """Where a parsed query goes: which fields hold text, which hold each filter."""

    text_fields: tuple[str, ...]  # stemmed fields, with boosts
    exact_fields: tuple[str, ...]  # folded, unstemmed: phrases and the "whole words" bonus
    keyword: dict[str, tuple[str, ...]]  # filter -> keyword fields (normalized with marsad_keyword)
    matched: dict[str, tuple[str, ...]]  # filter -> text fields for a phrase match (names in running text)
    date_field: str
    highlight: dict


ARTICLES = Target(
    text_fields=("title^3", "title.exact^2", "body", "body.exact^1.5", "summary"),
    exact_fields=("title.exact^2", "body.exact"),
    keyword={"source": ("source",), "actor": ("entities.canonical", "entities.text"),
             "place": ("entities.canonical", "entities.text")},
    matched={"actor": ("title.exact", "body.exact"), "place": ("title.exact", "body.exact")},
    date_field="published_at",
    # The unified highlighter reads the body's offsets from the postings (index_options: offsets);
    # the fast vector highlighter needed term vectors on body and body.exact, which cost a fifth
    # more Elasticsearch CPU per indexed article (deploy/elasticsearch/templates/articles.json v3).
    highlight={
        "title": {"number_of_fragments": 0},
        "body": {"type": "unified", "matched_fields": ["body", "body.exact"], "fragment_size": 160,
                 "number_of_fragments": 2},
    },
)

EVENTS = Target(
    text_fields=("sentence", "sentence.exact^1.5", "trigger^2", "actors.text^2", "location.text^2"),
    exact_fields=("sentence.exact", "actors.text.exact", "location.text.exact"),
    keyword={"type": ("type",), "source": ("sources",), "actor": ("actors.canonical", "actors.text.keyword"),
             "place": ("location.canonical", "location.text.keyword", "location.country", "location.admin1")},
    matched={"actor": ("actors.text",), "place": ("location.text",)},
    date_field="event_date",
    highlight={
        "sentence": {"number_of_fragments": 0},
        "actors.text": {"number_of_fragments": 0},
        "location.text": {"number_of_fragments": 0},
    },
)


def _filter_clause(target: Target, name: str, value: str) -> dict:
    """One filter value: a keyword match (normalized, so فائز = فايز), a prefix for `x*`, and for
    names in running text a phrase match on the analyzed fields."""
    if name not in target.keyword:
        hint = " (event types are searched with --events)" if name == "type" else ""
        raise QuerySyntaxError(f"{name}: is not a filter here{hint}")
    fields = target.keyword[name]
    if value.endswith("*"):
        stem = value.rstrip("*")
        return {"bool": {"should": [{"prefix": {f: {"value": stem}}} for f in fields], "minimum_should_match": 1}}
    should: list[dict] = [{"term": {f: {"value": value}}} for f in fields]
    should += [{"match_phrase": {f: value}} for f in target.matched.get(name, ())]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _date_clause(target: Target, lo: str | None, hi: str | None) -> dict:
    rng: dict = {"format": "strict_date_optional_time||yyyy-MM||yyyy"}
    if lo:
        rng["gte"] = f"{lo}||/d" if len(lo) == 10 else lo
    if hi:
        # Rounding up to the end of the day/month/year makes `..2026-11-20` include that day.
        rng["lte"] = f"{hi}||/d" if len(hi) == 10 else (f"{hi}||/M" if len(hi) == 7 else f"{hi}||/y")
    return {"range": {target.date_field: rng}}


def build_query(parsed: ParsedQuery, target: Target) -> dict:
    """The bool query for a parsed query on one kind of index."""
    must: list[dict] = []
    should: list[dict] = []
    if parsed.words:
        must.append({"multi_match": {"query": parsed.text, "fields": list(target.text_fields),
                                     "type": "most_fields", "operator": "and"}})
        # Words written side by side in the document rank first.
        should.append({"multi_match": {"query": parsed.text, "fields": list(target.exact_fields),
                                       "type": "phrase", "boost": 2}})
    for p in parsed.phrases:
        must.append({"multi_match": {"query": p, "fields": list(target.exact_fields), "type": "phrase"}})
    must_not = [{"multi_match": {"query": x, "fields": list(target.text_fields),
                                 "type": "phrase" if " " in x else "best_fields"}} for x in parsed.excluded]
    filters = [_filter_clause(target, name, v) for name, values in parsed.filters.items() for v in values]
    must_not += [_filter_clause(target, name, v) for name, values in parsed.not_filters.items() for v in values]
    if parsed.date_from or parsed.date_to:
        filters.append(_date_clause(target, parsed.date_from, parsed.date_to))
    bool_q: dict = {"must": must or [{"match_all": {}}]}
    if should:
        bool_q["should"] = should
    if filters:
        bool_q["filter"] = filters
    if must_not:
        bool_q["must_not"] = must_not
    return {"bool": bool_q}


def _highlight(target: Target) -> dict:
    return {"pre_tags": [PRE], "post_tags": [POST], "fields": target.highlight}


def build_article_query(text: str, *, size: int = 10, include_copies: bool = False) -> dict:
    """Search body for articles; copies of a story (duplicate_of set) are hidden unless asked for."""
    parsed = parse_query(text)
    query = build_query(parsed, ARTICLES)
    if not include_copies:
        query["bool"].setdefault("must_not", []).append({"exists": {"field": "duplicate_of"}})
    body: dict = {"query": query, "size": size, "_source": {"excludes": ["body"]}, "highlight": _highlight(ARTICLES)}
    if not parsed.has_text:
        body["sort"] = [{"published_at": {"order": "desc", "missing": "_last"}}]
    return body


def build_event_query(text: str, *, size: int = 10) -> dict:
    """Search body for merged events (newest first when there is no text to rank by)."""
    parsed = parse_query(text)
    body: dict = {"query": build_query(parsed, EVENTS), "size": size,
                  "_source": {"excludes": ["revisions", "article_ids"]}, "highlight": _highlight(EVENTS)}
    if not parsed.has_text:
        body["sort"] = [{"event_date": {"order": "desc", "missing": "_last"}}]
    return body
