"""Train and cross-validate the CRF entity tagger on ANERcorp and NewsFANE: `python -m marsad.nlp.train`."""

from __future__ import annotations

import argparse
import logging
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

from marsad.nlp import features, lexicon
from marsad.nlp.clitics import candidates, split
from marsad.nlp.conll import Sentence, evaluate, read_conll
from marsad.nlp.normalize import fold

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
NER_DATA = REPO.parent / "shared" / "data" / "ner"
MODEL = lexicon.DATA / "ner_crf.model"
NAME_WORDS = lexicon.DATA / "name_words.txt"
COMMON_WORDS = lexicon.DATA / "common_words.txt"
NAME_TYPES = lexicon.DATA / "name_types.tsv"
WORD_FREQ = lexicon.DATA / "word_freq.tsv"
# Words rarer than this (Zipf, log10 of uses per billion) are left out of word_freq.tsv and read as
# absent: cross-validation found the cut costs nothing, and it keeps the file and its dict small.
WORD_FREQ_MIN_ZIPF = 2.5

# NewsFANE's fine classes onto ANERcorp's four.
_FANE_PERS = {
    "Politician",
    "Athlete",
    "Artist",
    "Other_PER",
    "Religious_PER",
    "Scientist",
    "Businessperson",
    "Lawyer",
    "Engineer",
    "Police_PER",
    "Military_PER",
    "Police",  # police officers by name (حالوتس، هنري شيلتون): ANERcorp tags them PERS
}
_FANE_LOC = {
    "Nation",
    "Population-Center",
    "State-or-Province",
    "GPE-Cluster",
    "Continent",
    "Water-Body",
    "County-or-District",
    "Land",
    "Land-Region-Natural",
    "Path",
    "Airport",
    "Subarea-Facility",
    "Celestial",
    "Special",
    "Address",
}
# Classes ANERcorp leaves untagged where both corpora annotate the same text: peoples and
# nationalities in the plural (الفلسطينيين، الروس) and buildings (المسجد الحرام، مبنى الكونغرس).
_FANE_NONE = {"Group", "Building-Grounds"}
_FANE_ORG = {
    "Government",
    "Non-Governmental",
    "Sports",
    "Media",
    "Commercial",
    "Educational",
    "Police",
    "Religious_ORG",
    "Medical-Science",
    "Entertainment",
}
_PROCLITICS = {"و", "ف", "ب", "ل", "ك"}
_ENCLITICS = {"ه", "ها", "هم", "هما", "هن", "كم", "نا"}


def map_fane(tag: str) -> str:
    if tag == "O" or "-" not in tag:
        return "O"
    bio, cls = tag.split("-", 1)
    if cls in _FANE_NONE:
        return "O"
    if cls in _FANE_PERS or cls.endswith("_PER"):
        return f"{bio}-PERS"
    if cls in _FANE_LOC:
        return f"{bio}-LOC"
    if cls in _FANE_ORG or cls.endswith("_ORG"):
        return f"{bio}-ORG"
    return f"{bio}-MISC"


def read_newsfane(path: Path) -> list[Sentence]:
    """NewsFANE sentences re-glued to ANERcorp's tokenization (و/ب/ل/ف/ك and pronoun suffixes attached)."""
    out: list[Sentence] = []
    for words, tags in read_conll(path, sep="\t"):
        ws: list[str] = []
        ts: list[str] = []
        carry = ""
        for w, t in zip(words, tags, strict=True):
            t = map_fane(t)
            if w in _PROCLITICS and t == "O":
                carry += w
                continue
            if w in _ENCLITICS and ws and t == "O" and not carry:
                ws[-1] += w
                continue
            ws.append(carry + w)
            ts.append(t)
            carry = ""
        if carry:
            ws.append(carry)
            ts.append("O")
        if ws:
            out.append((ws, ts))
    return out


def _key(words: list[str]) -> str:
    return "".join(fold(w) for w in words)


def drop_overlap(extra: list[Sentence], against: list[Sentence]) -> list[Sentence]:
    """Sentences of `extra` whose text does not also appear in `against` (NewsFANE re-annotates
    much of ANERcorp: one annotation per text, and no test text leaking into a CV training fold)."""
    hay = "|".join(_key(w) for w, _ in against)
    kept = []
    for words, tags in extra:
        k = _key(words)
        probes = [k[i : i + 24] for i in range(0, max(len(k) - 24, 1), 24)] or [k]
        hits = sum(p in hay for p in probes)
        if hits / len(probes) < 0.3:
            kept.append((words, tags))
    return kept


def name_words(sents: list[Sentence]) -> frozenset[str]:
    """Folded words seen inside entities (their clitic-free cores): the 'known name' list."""
    counts: Counter[str] = Counter()
    for words, tags in sents:
        for w, t in zip(words, tags, strict=True):
            if t != "O" and w.isalpha():
                counts[split(fold(w))[1]] += 1
    seen = {w for w, c in counts.items() if c >= 2 and len(w) >= 3}
    places = lexicon.place_tokens()
    # A form that is a clitic plus another known name (ومصر) is not itself a name word.
    return frozenset(
        w for w in seen if not any(core in seen or core in places for _, core in candidates(w)[1:])
    )


def name_types(sents: list[Sentence]) -> dict[str, str]:
    """Folded word cores seen at least twice in entities → the type they had in at least two
    thirds of their entity occurrences (a word split between types gets none)."""
    counts: dict[str, Counter[str]] = {}
    for words, tags in sents:
        for w, t in zip(words, tags, strict=True):
            if t != "O" and w.isalpha():
                counts.setdefault(split(fold(w))[1], Counter())[t[2:]] += 1
    out = {}
    for w, c in counts.items():
        typ, n = c.most_common(1)[0]
        if n >= 2 and len(w) >= 2 and n >= 2 * sum(c.values()) / 3:
            out[w] = typ
    return out


def folded_frequencies() -> dict[str, float]:
    """wordfreq's Arabic list (Robyn Speer; data CC BY-SA 4.0) keyed by folded word, the frequencies
    of keys that fold alike (أحمد، احمد) summed. ImportError when wordfreq is not installed."""
    import wordfreq

    summed: dict[str, float] = {}
    for key, f in wordfreq.get_frequency_dict("ar").items():
        key = fold(key)
        summed[key] = summed.get(key, 0.0) + f
    return summed


def word_freq(min_zipf: float = WORD_FREQ_MIN_ZIPF) -> dict[str, int] | None:
    """Folded word → rounded Zipf frequency, for words of letters at least `min_zipf` common. None
    when wordfreq is not installed (it is a training-time dependency)."""
    try:
        summed = folded_frequencies()
    except ImportError:
        return None
    out = {}
    for key, f in summed.items():
        z = math.log10(f) + 9
        if z >= min_zipf and key.isalpha():
            out[key] = round(z)
    return out


def use_training_lexicon(sents: list[Sentence] | None) -> None:
    """Make the word lists that features read come from `sents` (None: the shipped files)."""
    lexicon.use_name_words(None if sents is None else name_words(sents))
    lexicon.use_name_types(None if sents is None else name_types(sents))
    features._CACHE.clear()


def common_words(sents: list[Sentence]) -> frozenset[str]:
    """Folded words mostly outside entities (مدينة، الصور): a gazetteer match on one of them alone is
    not trusted."""
    ent: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for words, tags in sents:
        for w, t in zip(words, tags, strict=True):
            (other if t == "O" else ent)[split(fold(w))[1]] += 1
    return frozenset(w for w, c in other.items() if c >= 3 and ent[w] < 0.25 * c and w.isalpha())


# L-BFGS with L1 and L2 penalties. 5-fold cross-validation on ANERcorp's training portion found no
# c1/c2 pair or iteration count better than these by more than noise (marsad/nlp/data/README.md).
PARAMS = {"c1": 0.1, "c2": 0.02, "feature.possible_transitions": True, "feature.minfreq": 1}


def train(sents: list[Sentence], model: Path, iterations: int = 120, params: dict | None = None) -> None:
    """Fit the CRF on `sents` and write it to `model`; `params` override PARAMS (crfsuite names)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for words, tags in sents:
        trainer.append(features.sentence_features(words), tags)
    trainer.set_params({**PARAMS, **(params or {}), "max_iterations": iterations})
    trainer.train(str(model))


def tag_all(sents: list[Sentence], model: Path) -> list[list[str]]:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    return [tagger.tag(features.sentence_features(words)) for words, _ in sents]


def load(data: Path = NER_DATA) -> tuple[list[Sentence], list[Sentence]]:
    if not (data / "anercorp_train.txt").exists():
        sys.exit(
            f"training data not found in {data} (expected anercorp_train.txt and newsfane_gold_filtered.tsv)"
        )
    aner = list(read_conll(data / "anercorp_train.txt", sep=" "))
    fane = read_newsfane(data / "newsfane_gold_filtered.tsv")
    return aner, fane


def cross_validate(
    folds: int = 5, iterations: int = 120, data: Path = NER_DATA, tmp: Path | None = None
) -> dict:
    """k-fold CV over ANERcorp's training portion; NewsFANE joins every training fold minus text
    that overlaps the test fold. Returns the pooled conlleval scores and tagging speed."""
    import tempfile

    aner, fane = load(data)
    extra = drop_overlap(fane, aner)
    gold: list[list[str]] = []
    pred: list[list[str]] = []
    words_all: list[list[str]] = []
    n_tok = 0
    t_tag = 0.0
    tmpdir = Path(tmp or tempfile.mkdtemp())
    for k in range(folds):
        test = [s for i, s in enumerate(aner) if i * folds // len(aner) == k]
        train_part = [s for i, s in enumerate(aner) if i * folds // len(aner) != k]
        use_training_lexicon(train_part + extra)
        model = tmpdir / f"fold{k}.crf"
        t0 = time.time()
        train(train_part + extra, model, iterations)
        t1 = time.time()
        out = tag_all(test, model)
        t_tag += time.time() - t1
        n_tok += sum(len(w) for w, _ in test)
        log.info("fold %d: trained on %d sentences in %.0fs", k, len(train_part) + len(extra), t1 - t0)
        for (w, g), p in zip(test, out, strict=True):
            words_all.append(w)
            gold.append(g)
            pred.append(p)
    use_training_lexicon(None)
    scores = evaluate(gold, pred)
    scores["tokens_per_second_cold_cache"] = n_tok / t_tag if t_tag else 0.0
    return scores


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--data",
        type=Path,
        default=NER_DATA,
        help="folder with anercorp_train.txt and newsfane_gold_filtered.tsv",
    )
    ap.add_argument("--model", type=Path, default=MODEL)
    ap.add_argument("--iterations", type=int, default=120)
    ap.add_argument("--no-newsfane", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    aner, fane = load(args.data)
    extra = [] if args.no_newsfane else drop_overlap(fane, aner)
    sents = aner + extra
    random.Random(0).shuffle(sents)
    words = name_words(sents)
    NAME_WORDS.write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
    COMMON_WORDS.write_text("\n".join(sorted(common_words(sents))) + "\n", encoding="utf-8")
    types = name_types(sents)
    NAME_TYPES.write_text("".join(f"{w}\t{t}\n" for w, t in sorted(types.items())), encoding="utf-8")
    freq = word_freq()
    if freq is not None:
        WORD_FREQ.write_text("".join(f"{w}\t{z}\n" for w, z in sorted(freq.items())), encoding="utf-8")
        lexicon.word_freq.cache_clear()
    elif WORD_FREQ.exists():
        log.warning("wordfreq is not installed: keeping the existing %s", WORD_FREQ)
    else:
        sys.exit(
            "wordfreq is needed to write word_freq.tsv: pip install wordfreq==3.1.1 (the dev extra has it)"
        )
    use_training_lexicon(None)
    log.info(
        "training on %d ANERcorp + %d NewsFANE sentences (%d NewsFANE overlap ANERcorp, dropped)",
        len(aner),
        len(extra),
        len(fane) - len(extra),
    )
    t0 = time.time()
    train(sents, args.model, args.iterations)
    log.info(
        "wrote %s (%.1f MB), %s, %s, %s and %s in %.0fs",
        args.model,
        args.model.stat().st_size / 1e6,
        NAME_WORDS,
        NAME_TYPES,
        COMMON_WORDS,
        WORD_FREQ,
        time.time() - t0,
    )


if __name__ == "__main__":
    main()
