"""A sample of the ANT news corpus as the agents publish it: Article objects from the JSONL reader,
one per article id, each one the clean step accepts (so every article published is expected in the
index). The corpus is read at run time from the shared data folder and never copied."""

from __future__ import annotations

import os
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


def load_articles(n: int, *, path: Path | None = None, skip: int = 0) -> list:
    """The first `n` distinct, usable articles after `skip` usable ones, in corpus order."""
    from agents.sources.jsonl import read_jsonl
    from marsad.clean import Rejected, clean_article

    seen: set[str] = set()
    out = []
    usable = 0
    for item in read_jsonl(corpus_path(path)):
        a = item.article
        if a is None or a.id in seen:
            continue
        seen.add(a.id)
        try:
            clean_article(a, max_chars=1_000_000, arabic_min_ratio=0.5)
        except Rejected:
            continue
        usable += 1
        if usable <= skip:
            continue
        out.append(a)
        if len(out) >= n:
            break
    return out
