"""Two-stage (stacked) CRF for label consistency across neighbouring sentences, Krishnan & Manning
2006 style, measured with the same 5-fold cross-validation as `marsad.nlp.train.cross_validate`.

Stage 1 is the shipped CRF (same features, same parameters). Stage 2 is a CRF with the same features
plus features read off stage-1 tags in a window of ±W sentences: how the same word was tagged
elsewhere in the window, whether the word sits in a word sequence tagged as an entity elsewhere,
and (in some variants) the word's own stage-1 tag and marginal.

Stage 2 trains on out-of-fold stage-1 tags: for outer test fold k, the tags of ANERcorp fold j come
from a stage-1 model trained without folds j and k (and without NewsFANE chunks j and k), so
stage 2 never sees in-sample stage-1 output. The model "without j and k" serves both outer folds,
so ten such models cover all five outer folds. Word lists (name_words, name_types) are rebuilt from
each model's own training side, as in cross_validate.

    nice -n 19 .venv/bin/python benchmarks/data/ner_stacking.py            # baseline + all variants
    nice -n 19 .venv/bin/python benchmarks/data/ner_stacking.py --variants word10 full10

Stage-1 tags are cached in --cache (a pickle) so variants can be rerun without retraining stage 1.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import pickle
import sys
import tempfile
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from marsad.nlp import clitics, features, lexicon  # noqa: E402
from marsad.nlp.conll import Sentence, evaluate, spans  # noqa: E402
from marsad.nlp.normalize import fold  # noqa: E402
from marsad.nlp.train import PARAMS, drop_overlap, load, use_training_lexicon  # noqa: E402

FOLDS = 5
ITER = 120
TMP = Path(tempfile.mkdtemp(prefix="ner_stack_"))

# set in main before the pool forks, read by the workers
ANER: list[Sentence] = []
EXTRA: list[Sentence] = []


def afold(i: int) -> int:
    return i * FOLDS // len(ANER)


def efold(i: int) -> int:
    return i * FOLDS // len(EXTRA)


def chunk(k: int) -> tuple[list[Sentence], list[Sentence]]:
    """ANERcorp fold k and NewsFANE chunk k, each in document order."""
    return (
        [s for i, s in enumerate(ANER) if afold(i) == k],
        [s for i, s in enumerate(EXTRA) if efold(i) == k],
    )


def fit(feats: list[list[list[str]]], tags: list[list[str]], path: Path) -> None:
    import pycrfsuite

    tr = pycrfsuite.Trainer(verbose=False)
    for f, t in zip(feats, tags, strict=True):
        tr.append(f, t)
    tr.set_params({**PARAMS, "max_iterations": ITER})
    tr.train(str(path))


def run_tagger(path: Path, feats: list[list[list[str]]]) -> list[tuple[list[str], list[float]]]:
    """Tags and each token's stage-1 probability of not being O."""
    import pycrfsuite

    tg = pycrfsuite.Tagger()
    tg.open(str(path))
    out = []
    for f in feats:
        tags = tg.tag(f)
        pent = [1.0 - tg.marginal("O", i) for i in range(len(tags))]
        out.append((tags, pent))
    return out


def stage1_job(args: tuple[str, tuple[int, ...]]) -> tuple[str, tuple[int, ...], dict]:
    """Train stage 1 without ANERcorp folds `held` (and NewsFANE chunks `held` when it is a pair);
    tag the held-out ANERcorp folds and NewsFANE chunks."""
    kind, held = args
    train_s = [s for i, s in enumerate(ANER) if afold(i) not in held]
    if kind == "pair":
        train_s += [s for i, s in enumerate(EXTRA) if efold(i) not in held]
    else:  # outer: the baseline model, all NewsFANE in training
        train_s += EXTRA
    use_training_lexicon(train_s)
    path = TMP / f"s1_{kind}_{'_'.join(map(str, held))}.crf"
    fit([features.sentence_features(w) for w, _ in train_s], [t for _, t in train_s], path)
    out = {}
    for k in held:
        a, e = chunk(k)
        out[("a", k)] = run_tagger(path, [features.sentence_features(w) for w, _ in a])
        if kind == "pair":
            out[("e", k)] = run_tagger(path, [features.sentence_features(w) for w, _ in e])
    path.unlink()
    return kind, held, out


# ---------------------------------------------------------------- stage-2 context features


def _key(word: str) -> str | None:
    w = fold(word)
    if not w.isalpha():
        return None
    core = clitics.split(w, lexicon.known_names())[1]
    return core if len(core) >= 2 else None


def _sent_stats(keys: list[str | None], tags: list[str]):
    """What one sentence contributes to a window: word → label counts, entity word-sequence →
    type counts, word → type counts as part of a multi-word entity."""
    words: dict[str, Counter] = {}
    for k, t in zip(keys, tags, strict=True):
        if k is not None:
            words.setdefault(k, Counter())[t[2:] if t != "O" else "O"] += 1
    seqs: dict[tuple, Counter] = {}
    parts: dict[str, Counter] = {}
    for a, b, typ in spans(tags):
        if b - a >= 2 and all(keys[a:b]):
            seqs.setdefault(tuple(keys[a:b]), Counter())[typ] += 1
            for k in keys[a:b]:
                parts.setdefault(k, Counter())[typ] += 1
    return words, seqs, parts


def _add(acc: dict, d: dict, sign: int) -> None:
    for k, c in d.items():
        tgt = acc.setdefault(k, Counter())
        for lab, n in c.items():
            tgt[lab] += sign * n
            if tgt[lab] == 0:
                del tgt[lab]
        if not tgt:
            del acc[k]


def context_features(
    sents: list[list[str]], s1: list[tuple[list[str], list[float]]], window: int, opts: frozenset[str]
) -> list[list[list[str]]]:
    """Stage-2 extra features per token of `sents` (one document-ordered chunk) from stage-1 tags."""
    keys = [[_key(w) for w in ws] for ws in sents]
    stats = [_sent_stats(k, t) for k, (t, _) in zip(keys, s1, strict=True)]
    acc_w: dict = {}
    acc_s: dict = {}
    acc_p: dict = {}
    n = len(sents)
    lo, hi = 0, 0  # acc holds sentences [lo, hi)
    out = []
    for s in range(n):
        want_lo, want_hi = max(0, s - window), min(n, s + window + 1)
        while hi < want_hi:
            _add(acc_w, stats[hi][0], 1)
            _add(acc_s, stats[hi][1], 1)
            _add(acc_p, stats[hi][2], 1)
            hi += 1
        while lo < want_lo:
            _add(acc_w, stats[lo][0], -1)
            _add(acc_s, stats[lo][1], -1)
            _add(acc_p, stats[lo][2], -1)
            lo += 1
        ks = keys[s]
        tags, pent = s1[s]
        own_spans = spans(tags)
        own_seq = {(a, b) for a, b, _ in own_spans}
        own_type_at = {}
        for a, b, typ in own_spans:
            for i in range(a, b):
                own_type_at[i] = (typ, b - a >= 2)
        fs: list[list[str]] = [[] for _ in ks]
        for i, k in enumerate(ks):
            f = fs[i]
            if "own" in opts:
                f.append("s1=" + tags[i])
            if "marg" in opts:
                f.append(f"pm={min(int(pent[i] * 5), 4)}")
            if k is None:
                continue
            c = Counter(acc_w.get(k, {}))
            # this token's own stage-1 label is not "elsewhere"
            c[tags[i][2:] if tags[i] != "O" else "O"] -= 1
            ents = {lab: m for lab, m in c.items() if lab != "O" and m > 0}
            n_o = max(c.get("O", 0), 0)
            if ents:
                typ, m = max(ents.items(), key=lambda x: x[1])
                f.append("cw=" + typ)
                if m >= n_o:
                    f.append("cwm=" + typ)
            elif n_o:
                f.append("cwO")
            if "part" in opts:
                p = Counter(acc_p.get(k, {}))
                if i in own_type_at and own_type_at[i][1]:
                    p[own_type_at[i][0]] -= 1
                p = {lab: m for lab, m in p.items() if m > 0}
                if p:
                    f.append("cp=" + max(p.items(), key=lambda x: x[1])[0])
        if "seq" in opts:
            for i in range(len(ks)):
                for L in (4, 3, 2):
                    seq = tuple(ks[i : i + L])
                    if len(seq) < L or not all(seq):
                        continue
                    c = Counter(acc_s.get(seq, {}))
                    if (i, i + L) in own_seq:
                        c[own_type_at[i][0]] -= 1
                    c = {lab: m for lab, m in c.items() if m > 0}
                    if c:
                        typ = max(c.items(), key=lambda x: x[1])[0]
                        fs[i].append("csB=" + typ)
                        for j in range(i + 1, i + L):
                            fs[j].append("csI=" + typ)
                        break
        if "near" in opts:  # the neighbours' word-consistency labels
            base = [[x for x in f if x.startswith(("cw=", "cwO"))] for f in fs]
            for i in range(len(ks)):
                if i > 0:
                    fs[i] += ["-1" + x for x in base[i - 1]]
                if i + 1 < len(ks):
                    fs[i] += ["+1" + x for x in base[i + 1]]
        out.append(fs)
    return out


VARIANTS = {
    # name: (window in sentences, options)
    "word5": (5, frozenset()),
    "word10": (10, frozenset()),
    "word20": (20, frozenset()),
    "word+seq10": (10, frozenset({"seq", "part"})),
    "full5": (5, frozenset({"seq", "part", "own", "near"})),
    "full10": (10, frozenset({"seq", "part", "own", "near"})),
    "full20": (20, frozenset({"seq", "part", "own", "near"})),
    "full10+marg": (10, frozenset({"seq", "part", "own", "near", "marg"})),
}


def merge(base: list[list[str]], extra: list[list[str]]) -> list[list[str]]:
    return [b + e for b, e in zip(base, extra, strict=True)]


def stage2_job(args: tuple[str, int, dict]) -> tuple[str, int, list[list[str]]]:
    """Outer fold k, one variant: train stage 2 on the out-of-fold stage-1 tags of the training
    side, tag fold k from the outer stage-1 tags."""
    name, k, s1 = args
    window, opts = VARIANTS[name]
    a_k, _ = chunk(k)
    train_s = [s for i, s in enumerate(ANER) if afold(i) != k] + EXTRA
    use_training_lexicon(train_s)
    feats, tags = [], []
    for j in range(FOLDS):
        a_j, e_j = chunk(j)
        parts = [(e_j, s1[("e", j, k)])] if j == k else [(a_j, s1[("a", j, k)]), (e_j, s1[("e", j, k)])]
        for sents, pred in parts:
            ctx = context_features([w for w, _ in sents], pred, window, opts)
            for (w, t), c in zip(sents, ctx, strict=True):
                feats.append(merge(features.sentence_features(w), c))
                tags.append(t)
    path = TMP / f"s2_{name}_{k}.crf"
    fit(feats, tags, path)
    ctx = context_features([w for w, _ in a_k], s1[("a", k, "outer")], window, opts)
    test_feats = [merge(features.sentence_features(w), c) for (w, _), c in zip(a_k, ctx, strict=True)]
    out = [t for t, _ in run_tagger(path, test_feats)]
    path.unlink()
    return name, k, out


def line(name: str, sc: dict) -> str:
    o = sc["overall"]
    per = " ".join(
        f"{t} {100 * sc['per_type'][t]['f1']:5.2f}"
        for t in ("LOC", "ORG", "PERS", "MISC")
        if t in sc["per_type"]
    )
    return (
        f"{name:<14} F1 {100 * o['f1']:5.2f}  P {100 * o['precision']:5.2f}  R {100 * o['recall']:5.2f}"
        f"   {per}"
    )


def main() -> None:
    global ANER, EXTRA
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", nargs="*", default=list(VARIANTS), choices=list(VARIANTS))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "ner_stacking_s1.pkl")
    ap.add_argument("--fresh", action="store_true", help="retrain stage 1 even when --cache exists")
    args = ap.parse_args()
    aner, fane = load()
    ANER, EXTRA = aner, drop_overlap(fane, aner)
    t0 = time.time()
    ctx = mp.get_context("fork")
    with ctx.Pool(args.workers) as pool:
        if args.cache.exists() and not args.fresh:
            res = pickle.loads(args.cache.read_bytes())
            print(f"stage-1 tags read from {args.cache}")
        else:
            jobs = [("outer", (k,)) for k in range(FOLDS)]
            jobs += [("pair", p) for p in combinations(range(FOLDS), 2)]
            res = {}
            for kind, held, out in pool.imap_unordered(stage1_job, jobs):
                res[(kind, held)] = out
                print(f"  stage 1 {kind} {held} done at {time.time() - t0:.0f}s", flush=True)
            args.cache.write_bytes(pickle.dumps(res))
        # s1[(part, j, k)]: out-of-fold stage-1 output on chunk j for outer fold k;
        # s1[("a", k, "outer")]: the baseline model's output on test fold k
        s1: dict = {}
        for k in range(FOLDS):
            s1[("a", k, "outer")] = res[("outer", (k,))][("a", k)]
            for j in range(FOLDS):
                if j != k:
                    pair = res[("pair", tuple(sorted((j, k))))]
                    s1[("a", j, k)] = pair[("a", j)]
                    s1[("e", j, k)] = pair[("e", j)]
                else:  # NewsFANE chunk k is training data for outer fold k: any model without it
                    other = (k + 1) % FOLDS
                    s1[("e", k, k)] = res[("pair", tuple(sorted((k, other))))][("e", k)]
        gold = []
        base = []
        for k in range(FOLDS):
            a_k, _ = chunk(k)
            gold += [t for _, t in a_k]
            base += [t for t, _ in s1[("a", k, "outer")]]
        results = {"baseline": evaluate(gold, base)}
        print(line("baseline", results["baseline"]), flush=True)
        preds = {"baseline": base}
        jobs2 = [(v, k, s1) for v in args.variants for k in range(FOLDS)]
        got: dict = {}
        for name, k, out in pool.imap_unordered(stage2_job, jobs2):
            got[(name, k)] = out
            if all((name, j) in got for j in range(FOLDS)):
                pred = [t for j in range(FOLDS) for t in got[(name, j)]]
                results[name] = evaluate(gold, pred)
                preds[name] = pred
                print(line(name, results[name]) + f"   ({time.time() - t0:.0f}s)", flush=True)
    print("\nsame run, same folds, exact-span conlleval scores:")
    for name, sc in results.items():
        print(line(name, sc))
    # F1 per outer fold: is a gain spread over the folds or carried by one?
    bounds = [0]
    for k in range(FOLDS):
        bounds.append(bounds[-1] + len(chunk(k)[0]))
    print("\nF1 per outer fold (" + " / ".join(f"fold {k}" for k in range(FOLDS)) + "):")
    for name, pred in preds.items():
        spans = zip(bounds, bounds[1:], strict=False)
        f1s = [evaluate(gold[a:b], pred[a:b])["overall"]["f1"] for a, b in spans]
        print(f"{name:<14} " + " ".join(f"{100 * f:5.2f}" for f in f1s))
    # cost of the context features themselves (the runtime would add them to a second CRF pass)
    window, opts = VARIANTS[args.variants[0]] if args.variants else (10, frozenset())
    use_training_lexicon(None)
    sents = [w for w, _ in ANER]
    s1all = [x for k in range(FOLDS) for x in s1[("a", k, "outer")]]
    t1 = time.perf_counter()
    context_features(sents, s1all, window, opts)
    dt = time.perf_counter() - t1
    n = sum(len(w) for w in sents)
    print(f"\ncontext features ({args.variants[0] if args.variants else 'word10'}): {n / dt:,.0f} tokens/s")


if __name__ == "__main__":
    main()
