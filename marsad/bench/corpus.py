"""A sample of the ANT news corpus as the agents publish it: Article objects from the JSONL reader,
one per article id, each one the clean step accepts (so every article published is expected in the
index). The corpus is read at run time from the shared data folder and never copied."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from itertools import zip_longest
from pathlib import Path

from marsad.settings import REPO_ROOT

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "data" / "news" / "ant_multisource.jsonl.gz"


class CorpusMissing(RuntimeError):
    pass


def corpus_path(path: Path | None = None) -> Path:
    p = Path(path or os.environ.get("MARSAD_BENCH_CORPUS") or DEFAULT_CORPUS)
    if not p.exists():
        raise CorpusMissing(
            f"news corpus not found at {p} (set --corpus or MARSAD_BENCH_CORPUS); nothing to benchmark"
        )
    return p


def load_articles(n: int, *, path: Path | None = None, skip: int = 0, mixed: bool = False) -> list:
    """The first `n` distinct, usable articles after `skip` usable ones, in corpus order.

    The shared corpus is stored outlet by outlet (Al Arabiya's first, then BBC's, whose bodies are
    65 % longer, ...), so a long replay in corpus order changes outlet, and cost per article, part
    way through. `mixed` deals the outlets' articles in turn instead (each outlet in corpus order,
    outlets by name), reading the whole corpus first."""
    from agents.sources.jsonl import read_jsonl
    from marsad.clean import Rejected, clean_article

    seen: set[str] = set()
    out = []
    usable = 0
    by_source: dict[str, list] = {}
    for item in read_jsonl(corpus_path(path)):
        a = item.article
        if a is None or a.id in seen:
            continue
        seen.add(a.id)
        try:
            clean_article(a, max_chars=1_000_000, arabic_min_ratio=0.5)
        except Rejected:
            continue
        if mixed:
            by_source.setdefault(a.source, []).append(a)
            continue
        usable += 1
        if usable <= skip:
            continue
        out.append(a)
        if len(out) >= n:
            break
    if mixed:
        dealt = [a for group in zip_longest(*(by_source[k] for k in sorted(by_source))) for a in group if a]
        out = dealt[skip : skip + n]
    return out


def records_by_url(path: Path) -> Iterator[tuple[dict, str, float]]:
    """The corpus's raw records, the first one per canonical URL, each with its JSON line and its
    publication time (epoch seconds); a record whose time does not parse is left out (after its
    URL counts as seen). For the dedup benchmarks, which compare texts, not articles."""
    from marsad.records import canonical_url

    seen: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            url = canonical_url(r["url"]) or r["docno"]
            if url in seen:
                continue
            seen.add(url)
            try:
                ts = parsedate_to_datetime(r["time"]).timestamp()
            except (TypeError, ValueError):
                continue
            yield r, line, ts
