"""Draw the dev6 event batch (README: batch 6): 30 ANT articles, outlets and categories, Random(6606).

Writes the chosen articles (text included, for reading while annotating) to a file outside the
repository and prints their docnos; the docnos of every earlier event and pair set are excluded.
"""

import gzip
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANT = HERE.parents[2] / "shared" / "data" / "news" / "ant_multisource.jsonl.gz"
D = str(HERE) + "/"
excl = set()
for f in ["events_dev.jsonl", "events_test.jsonl", "events_test2.jsonl", "event_identity.jsonl"]:
    for line in open(D + f):
        # batch 6 itself is in events_dev.jsonl once annotated; it must not exclude itself
        if line.strip() and json.loads(line).get("batch") != 6:
            excl.add(json.loads(line)["docno"])
for line in open(D + "real_pairs.jsonl"):
    if line.strip():
        r = json.loads(line)
        excl.update([r["a"], r["b"]])
seen = set()
groups = defaultdict(list)
with gzip.open(ANT, "rt") as fh:
    for line in fh:
        d = json.loads(line)
        if d["url"] in seen:
            continue
        seen.add(d["url"])
        n = len(d.get("text") or "")
        if not (400 <= n <= 1600) or d["docno"] in excl:
            continue
        groups[(d["src"], d["cat"])].append(d)
rng = random.Random(6606)
picked = []
for src in sorted({s for s, _ in groups}):
    news, other = [], []
    for cat in sorted(c for s, c in groups if s == src):
        g = sorted(groups[(src, cat)], key=lambda d: d["docno"])
        rng.shuffle(g)
        (news if cat in ("middleEast", "internationalNews") else other).append(g)
    # per outlet: 4 news articles (news categories taken in turn), 2 of the other categories' first articles
    take_news = [d for row in __import__("itertools").zip_longest(*news) for d in row if d][:4]
    others = [g[0] for g in other]
    rng.shuffle(others)
    picked += take_news + others[:2]
print(len(picked), file=sys.stderr)
with open(sys.argv[1] if len(sys.argv) > 1 else "/tmp/dev6_articles.jsonl", "w") as out:
    for d in picked:
        out.write(
            json.dumps(
                {k: d[k] for k in ("docno", "url", "src", "cat", "time", "title", "text")}, ensure_ascii=False
            )
            + "\n"
        )
for d in picked:
    print(d["docno"], len(d["text"]))
