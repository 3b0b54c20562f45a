"""Per-article event errors of the extractor on chosen development batches (issue 3 cause table).

Prints, for every article of the named batches, each predicted mention (OK or --, its trigger,
place, sentence) and each gold event left unmatched (type + location), so that every wrong and
missed mention can be put down to a cause by hand. Development batches only: never run it on a
held-out set.

    PYTHONPATH=. python benchmarks/data/event_errors.py 1 2 3 4 5
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE.parents[1] / "benchmarks"))

from bench_nlp import _ant, _article, match_gold  # noqa: E402

from marsad.nlp.extract import extract  # noqa: E402

batches = {int(b) for b in sys.argv[1:]}
dev = [json.loads(x) for x in open(HERE / "events_dev.jsonl") if x.strip()]
dev = [d for d in dev if d.get("batch", 1) in batches]
want = {d["docno"] for d in dev}
docs = {d["docno"]: d for d in _ant(lambda d: d["docno"] in want)}
for item in dev:
    art = _article(docs[item["docno"]])
    preds = extract(art)["mentions"]
    gold = item["events"]
    matched: set[int] = set()
    lines = []
    for p in preds:
        hit = match_gold(gold, p, matched)
        if hit is not None:
            matched.add(hit)
        loc = p["location"]
        where = f"{loc['text']}|{loc['canonical']}" if loc else None
        same = [g["location"] for g in gold if g["type"] == p["type"]]
        lines.append(
            f"  {'OK' if hit is not None else '--'} {p['type']} {p['trigger']['text']!r} @ {where}"
            f" date={p.get('event_date')} gold-same-type={same if hit is None else ''}"
            f"\n     | {p['sentence'][:160]}"
        )
    misses = [g for i, g in enumerate(gold) if i not in matched]
    if any(x.startswith("  --") for x in lines) or misses:
        print(f"== {item['docno']} batch {item.get('batch', 1)}")
        print("\n".join(lines))
        for g in misses:
            print(f"  MISS {g['type']} @ {g['location']} ({g['note']})")
