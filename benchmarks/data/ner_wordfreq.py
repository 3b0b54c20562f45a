"""Word-frequency features for the CRF tagger from the `wordfreq` package (Arabic list, Robyn Speer;
data CC BY-SA 4.0), measured with the same 5-fold cross-validation as
`marsad.nlp.train.cross_validate`, with per-fold F1.

wordfreq's Arabic keys keep hamza seats, alef forms and teh marbuta; they are folded once with
`marsad.nlp.normalize.fold` and the frequencies of keys that fold alike are summed. A word's Zipf
value is log10 of its frequency per billion words; 0 when the folded list lacks it.

    .venv/bin/pip install wordfreq==3.1.1
    nice -n 19 .venv/bin/python benchmarks/data/ner_wordfreq.py                 # every variant
    nice -n 19 .venv/bin/python benchmarks/data/ner_wordfreq.py --variants base own core

Each variant adds features to a word's own list (and with "near" to the lists it gives its
neighbours one before and after); everything else is the tagger's features before word_freq.tsv
(run it on a checkout of those features: on later ones "base" already holds the shipped zf= feature).
Options: the surface word's Zipf in six bins or rounded ("round"; "min2"/"min3": rounded, with
words under 1.5/2.5 counted as absent), the clitic-free core's and article-less stem's ("core"),
a flag when the core is far commoner than the word ("gap"), and how often the stem is seen with the
article ("art") or with pronoun and plural suffixes ("suf") rather than bare.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from marsad.nlp import clitics, features, lexicon  # noqa: E402
from marsad.nlp.conll import evaluate  # noqa: E402
from marsad.nlp.normalize import fold  # noqa: E402
from marsad.nlp.train import drop_overlap, folded_frequencies, load, train, use_training_lexicon  # noqa: E402

FOLDS = 5
TMP = Path(tempfile.mkdtemp(prefix="ner_wordfreq_"))
ANER: list = []
EXTRA: list = []
FREQ: dict[str, float] = {}


def zipf(w: str) -> float:
    f = FREQ.get(w)
    return math.log10(f) + 9 if f else 0.0


def zbin(z: float) -> str:
    """0 (absent), then <1.5, <2.5, <3.5, <4.5, ≥4.5."""
    if z == 0:
        return "0"
    for i, edge in enumerate((1.5, 2.5, 3.5, 4.5), 1):
        if z < edge:
            return str(i)
    return "5"


def rbin(r: float) -> str:
    """A share in [0, 1] (-1: neither form known) in bins that separate the near-zero shares."""
    if r < 0:
        return "none"
    return str(sum(r >= e for e in (0.01, 0.05, 0.2, 0.5)))


def zround(z: float) -> str:
    return str(round(z))


def zround_from(low: float):
    """Rounded Zipf, with everything below `low` counted as absent (what a word list cut at `low` gives)."""
    return lambda z: str(round(z)) if z >= low else "0"


# suffixes common nouns and adjectives take and names seldom do (a folded teh marbuta, ه, turns
# back into ت before a pronoun and gives way to ات in the plural)
_SUFFIXES = ("ه", "ها", "هم", "ات", "ين", "ون")
_SUFFIXES_TM = ("ته", "تها", "تهم", "ات", "تين", "تان")


def suffixed(bare: str) -> list[str]:
    if bare.endswith("ه"):
        return [bare[:-1] + s for s in _SUFFIXES_TM]
    return [bare + s for s in _SUFFIXES]


def extras(word: str, opts: frozenset[str]) -> tuple[list[str], list[str]]:
    """(features for the word itself, features it gives its neighbours) for variant options."""
    w = fold(word)
    if not w.isalpha():
        return [], []
    n, core = clitics.split(w, lexicon.known_names())
    bare = core[2:] if core.startswith("ال") and len(core) >= 4 else core
    b = zround if "round" in opts else zbin
    if "min2" in opts:
        b = zround_from(1.5)
    elif "min3" in opts:
        b = zround_from(2.5)
    zw, zc = zipf(w), zipf(core)
    own: list[str] = [f"zw={b(zw)}"]
    near: list[str] = []
    if "core" in opts:
        own.append(f"zc={b(zc)}")
        if bare != core:
            own.append(f"zb={b(zipf(bare))}")
    if "near" in opts:
        near.append(f"zw={b(zw)}")
        if "core" in opts:
            near.append(f"zc={b(zc)}")
    if "gap" in opts and n and zc - zw >= 1.5:
        own.append("zgap")  # the core is far commoner than the word with its clitics
    if "art" in opts and not bare.startswith("ال") and len(bare) >= 2:
        # how often the stem takes the article: common nouns do, foreign names hardly ever
        fb, fa = FREQ.get(bare, 0.0), FREQ.get("ال" + bare, 0.0)
        r = fa / (fa + fb) if fa + fb else -1
        own.append("zart=" + rbin(r))
    if "suf" in opts and len(bare) >= 3:
        fb = FREQ.get(bare, 0.0)
        fs = sum(FREQ.get(x, 0.0) for x in suffixed(bare))
        r = fs / (fs + fb) if fs + fb else -1
        own.append("zsuf=" + rbin(r))
    return own, near


VARIANTS: dict[str, frozenset[str]] = {
    "base": frozenset({"off"}),
    "own": frozenset(),
    "own-round": frozenset({"round"}),
    "core": frozenset({"core"}),
    "core-near": frozenset({"core", "near"}),
    "core-near-gap": frozenset({"core", "near", "gap"}),
    "core-near-art-suf": frozenset({"core", "near", "art", "suf"}),
    "all": frozenset({"core", "near", "gap", "art", "suf"}),
    "round-core": frozenset({"round", "core"}),
    "round-art-suf": frozenset({"round", "art", "suf"}),
    "round-core-art-suf": frozenset({"round", "core", "art", "suf"}),
    "round-near": frozenset({"round", "near"}),
    "round-min2": frozenset({"min2"}),
    "round-min3": frozenset({"min3"}),
}


def install(opts: frozenset[str]) -> None:
    """Make features._word_features add the variant's features (the trainer and tagger call it)."""
    plain = (
        features._word_features.__wrapped__
        if hasattr(features._word_features, "__wrapped__")
        else features._word_features
    )
    if "off" in opts:
        features._word_features = plain
        features._CACHE.clear()
        return

    def wrapped(word: str) -> features.Parts:
        parts = plain(word)
        own, near = extras(word, opts)
        return (
            parts[0] + own,
            parts[1] + ["-1" + f for f in near],
            parts[2] + ["+1" + f for f in near],
            *parts[3:],
        )

    wrapped.__wrapped__ = plain  # type: ignore[attr-defined]
    features._word_features = wrapped
    features._CACHE.clear()


def fold_job(args: tuple[str, int]) -> tuple[str, int, list, list]:
    name, k = args
    install(VARIANTS[name])
    test = [s for i, s in enumerate(ANER) if i * FOLDS // len(ANER) == k]
    train_part = [s for i, s in enumerate(ANER) if i * FOLDS // len(ANER) != k]
    use_training_lexicon(train_part + EXTRA)
    model = TMP / f"{name}_{k}.crf"
    train(train_part + EXTRA, model)
    import pycrfsuite

    tg = pycrfsuite.Tagger()
    tg.open(str(model))
    pred = [tg.tag(features.sentence_features(w)) for w, _ in test]
    model.unlink()
    return name, k, [t for _, t in test], pred


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", nargs="*", default=list(VARIANTS), choices=list(VARIANTS))
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    global ANER, EXTRA, FREQ
    aner, fane = load()
    ANER, EXTRA = aner, drop_overlap(fane, aner)
    if any("off" not in VARIANTS[v] for v in args.variants):
        FREQ = folded_frequencies()
    jobs = [(v, k) for v in args.variants for k in range(FOLDS)]
    t0 = time.time()
    got: dict[str, dict[int, tuple[list, list]]] = {}
    print("| variant | F1 | P | R | LOC | ORG | PERS | MISC | per fold F1 |")
    print("|---|---|---|---|---|---|---|---|---|", flush=True)
    with mp.get_context("fork").Pool(args.jobs) as pool:
        for name, k, gold, pred in pool.imap_unordered(fold_job, jobs):
            got.setdefault(name, {})[k] = (gold, pred)
            print(f"# {name} fold {k} done at {time.time() - t0:.0f}s", file=sys.stderr, flush=True)
            if len(got[name]) == FOLDS:
                row(name, got[name])


def row(name: str, folds: dict[int, tuple[list, list]]) -> None:
    """The variant's pooled scores, per type, and each fold's F1, as a table row."""
    gold = [g for k in range(FOLDS) for g in folds[k][0]]
    pred = [p for k in range(FOLDS) for p in folds[k][1]]
    s = evaluate(gold, pred)
    o, per = s["overall"], s["per_type"]
    per_fold = [100 * evaluate(*folds[k])["overall"]["f1"] for k in range(FOLDS)]
    print(
        f"| {name} | {100 * o['f1']:.2f} | {100 * o['precision']:.1f} | {100 * o['recall']:.1f} | "
        + " | ".join(f"{100 * per[t]['f1']:.1f}" for t in ("LOC", "ORG", "PERS", "MISC"))
        + " | "
        + " ".join(f"{f:.2f}" for f in per_fold)
        + " |",
        flush=True,
    )


if __name__ == "__main__":
    main()
