"""Draw an event development batch (README: batches 4, 5 and 6): 30 ANT articles across the outlets
and categories, with the batch's own seed.

    python benchmarks/data/select_batch.py 6 [OUT.jsonl]

Writes the chosen articles (text included, for reading while annotating) to a file outside the
repository and prints their docnos. Excluded: the docnos of the earlier development batches (those
numbered below this one; later batches were drawn after it and must not change its draw), of the
held-out sets and of the event identity and pair sets.

Per outlet (sorted), each of its categories (sorted) is shuffled with the batch's generator; the
outlet gives 4 news articles (its `middleEast` and `internationalNews` lists taken in turn) and 2 of
the first articles of its other categories, shuffled with the same generator. Candidates: 400-1,600
characters of text, one per URL.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from collections import defaultdict
from itertools import zip_longest
from pathlib import Path

SEEDS = {4: 4404, 5: 5505, 6: 6606}
NEWS = ("middleEast", "internationalNews")

HERE = Path(__file__).resolve().parent
ANT = HERE.parents[2] / "shared" / "data" / "news" / "ant_multisource.jsonl.gz"


def _lines(name: str):
    with open(HERE / name, encoding="utf-8") as fh:
        yield from (json.loads(line) for line in fh if line.strip())


def excluded(batch: int | None = None) -> set[str]:
    """Docnos a new draw must not take: development batches numbered below `batch` (every batch
    when None), the held-out sets and the event identity and pair sets."""
    out = {r["docno"] for r in _lines("events_dev.jsonl") if batch is None or r.get("batch", 1) < batch}
    for name in ("events_test.jsonl", "events_test2.jsonl", "event_identity.jsonl"):
        out.update(r["docno"] for r in _lines(name))
    for r in _lines("real_pairs.jsonl"):
        out.update([r["a"], r["b"]])
    return out


def candidates(excl: set[str], skip_cats: tuple[str, ...] = ()) -> dict[tuple[str, str], list[dict]]:
    """ANT articles of 400-1,600 characters, one per URL (its first), none of `excl` and none of the
    categories in `skip_cats`, grouped by (outlet, category) in corpus order."""
    seen: set[str] = set()
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d["url"] in seen:
                continue
            seen.add(d["url"])
            if d["cat"] in skip_cats or d["docno"] in excl:
                continue
            if 400 <= len(d.get("text") or "") <= 1600:
                groups[(d["src"], d["cat"])].append(d)
    return groups


def draw(batch: int) -> list[dict]:
    groups = candidates(excluded(batch))
    rng = random.Random(SEEDS[batch])
    picked: list[dict] = []
    for src in sorted({s for s, _ in groups}):
        news, other = [], []
        for cat in sorted(c for s, c in groups if s == src):
            g = sorted(groups[(src, cat)], key=lambda d: d["docno"])
            rng.shuffle(g)
            (news if cat in NEWS else other).append(g)
        firsts = [g[0] for g in other]
        rng.shuffle(firsts)
        picked += [d for row in zip_longest(*news) for d in row if d][:4] + firsts[:2]
    return picked


def main(argv: list[str]) -> None:
    batch = int(argv[1])
    picked = draw(batch)
    with open(argv[2] if len(argv) > 2 else f"/tmp/dev{batch}_articles.jsonl", "w", encoding="utf-8") as out:
        for d in picked:
            keep = {k: d[k] for k in ("docno", "url", "src", "cat", "time", "title", "text")}
            out.write(json.dumps(keep, ensure_ascii=False) + "\n")
    print(len(picked), file=sys.stderr)
    for d in picked:
        print(d["docno"], len(d["text"]))


if __name__ == "__main__":
    main(sys.argv)
