"""Figures for level 2 and level 3 deduplication: accuracy on synthetic and real copies, memory and rate.

Run from the repository root:

    .venv/bin/python benchmarks/bench_dedup.py            # everything
    .venv/bin/python benchmarks/bench_dedup.py synthetic  # one part: synthetic | real | scale | events
    .venv/bin/python benchmarks/bench_dedup.py candidates # print unlabelled real pairs to judge by hand

It prints figures; it asserts nothing.  Parts that read the ANT corpus from ``../shared`` say so and
skip when the folder is absent (a user's clone has no ``../shared``).
"""

from __future__ import annotations

import gc
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marsad.bench.corpus import records_by_url  # noqa: E402
from marsad.dedup.near import (  # noqa: E402
    BITS,
    NUM_PERM,
    NearDuplicateIndex,
    band_keys,
    signature,
    similarity,
    words,
)

CORPUS = ROOT.parent / "shared" / "data" / "news" / "ant_multisource.jsonl.gz"
REAL_PAIRS = ROOT / "benchmarks" / "data" / "real_pairs.jsonl"
SEED = 4
DAY = 86400.0


# -- corpus ------------------------------------------------------------------------------------


def load_corpus() -> list[dict] | None:
    """ANT articles, one per canonical URL, with `ts` (epoch seconds); None when ../shared is absent."""
    if not CORPUS.exists():
        print(f"SKIP: {CORPUS.relative_to(ROOT.parent)} not found (../shared is not beside this clone)")
        return None
    rows = []
    for r, _line, ts in records_by_url(CORPUS):
        r["ts"] = ts
        rows.append(r)
    rows.sort(key=lambda r: (r["ts"], r["docno"]))
    return rows


# -- synthetic copies --------------------------------------------------------------------------

_SENT = re.compile(r"(?<=[.!؟?])\s+|\n+")
INTROS = [
    "أفادت مصادر متطابقة اليوم بأن",
    "ذكرت وكالات أنباء عالمية في تقرير لها أن",
    "في تطور جديد للأحداث، أعلن مسؤولون أن",
    "نقلت وسائل إعلام محلية عن مصادر مطلعة قولها إن",
    "قالت تقارير صحفية صدرت صباح اليوم إن",
]
PREFIXES = [
    "(وكالات) – ",
    "(سانا) – ",
    "القاهرة (أ ف ب) - ",
    "دبي، الإمارات العربية المتحدة (CNN)— ",
    "(رويترز) - ",
]
SIGNOFFS = [
    "\nتابعونا على تويتر وفيسبوك لمزيد من الأخبار العاجلة",
    "\nالمصدر: وكالات",
    " (وكالات)",
    "\nفرانس24/ أ ف ب",
    "\nيمكنكم استلام إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من تطبيق بي بي سي عربي على هاتفكم.",
]
# Spelling variants that writers (not only OCR or keyboards) produce for the same word.
_VARIANTS = [("أ", "ا"), ("إ", "ا"), ("ة ", "ه "), ("ى ", "ي "), ("ئ", "ى"), ("ؤ", "ئ"), ("آ", "ا")]
_DIACRITICS = ["\u064e", "\u064f", "\u0650", "\u0651", "\u064b", "\u0652"]
_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_FILLERS = ["أيضا", "كذلك", "بدوره", "من جهته", "في الوقت نفسه", "حسبما أفيد"]


def sentences(text: str) -> list[str]:
    return [s for s in _SENT.split(text) if s.strip()]


def t_intro(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    """A rewritten lead: the first sentence is replaced by a new one that restates the title."""
    sents = sentences(body)
    lead = f"{rng.choice(INTROS)} {title}."
    return title, "\n".join([lead] + sents[1:])


def t_boilerplate(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    return title, rng.choice(PREFIXES) + body + rng.choice(SIGNOFFS)


def t_reorder(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    sents = sentences(body)
    if len(sents) > 2:
        head, rest = sents[:1], sents[1:]
        rng.shuffle(rest)
        sents = head + rest
    return title, " ".join(sents)


def t_edits(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    """Light editing: about 3 % of words dropped or replaced, a filler inserted, a number changed,
    the last sentence cut, and a new title."""
    ws = body.split(" ")
    out = []
    for w in ws:
        roll = rng.random()
        if roll < 0.015:
            continue
        if roll < 0.03:
            out.append(rng.choice(_FILLERS))
        elif roll < 0.035:
            out.extend([w, rng.choice(_FILLERS)])
        else:
            out.append(w)
    body = " ".join(out)
    body = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), body, count=1)
    sents = sentences(body)
    if len(sents) > 4:
        body = "\n".join(sents[:-1])
    return f"{title} - {rng.choice(['بالفيديو', 'عاجل', 'تفاصيل'])}", body


def t_spelling(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    """Hamza seats, ta marbuta, alef maqsura written the other way in some words; Indic digits."""

    def vary(text: str) -> str:
        out = []
        for w in text.split(" "):
            if rng.random() < 0.3:
                for a, b in _VARIANTS:
                    if a in w + " ":
                        w = (w + " ").replace(a, b).rstrip(" ")
            out.append(w)
        return " ".join(out).translate(_INDIC) if rng.random() < 0.5 else " ".join(out)

    return vary(title), vary(body)


def t_diacritics(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    def marks(text: str) -> str:
        out = []
        for ch in text:
            out.append(ch)
            if "\u0621" <= ch <= "\u064a":
                r = rng.random()
                if r < 0.15:
                    out.append(rng.choice(_DIACRITICS))
                elif r < 0.17:
                    out.append("\u0640")  # tatweel
        return "".join(out)

    return marks(title), marks(body)


def t_truncate(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    """The outlet keeps the first two thirds of the wire story."""
    sents = sentences(body)
    keep = max(1, round(len(sents) * 0.67))
    return title, "\n".join(sents[:keep])


TRANSFORMS = {
    "intro": t_intro,
    "boilerplate": t_boilerplate,
    "reorder": t_reorder,
    "edits": t_edits,
    "spelling": t_spelling,
    "diacritics": t_diacritics,
    "truncate": t_truncate,
}
# Mixed copies: what a wire story looks like after a second outlet has handled it.
MIXES = [
    ("boilerplate", "spelling", "diacritics"),
    ("intro", "boilerplate", "edits"),
    ("intro", "reorder", "spelling"),
    ("boilerplate", "reorder", "edits", "diacritics"),
    ("intro", "boilerplate", "reorder", "edits", "spelling", "diacritics"),
]


def make_copy(title: str, body: str, kinds: tuple[str, ...], rng: random.Random) -> tuple[str, str]:
    for kind in kinds:
        title, body = TRANSFORMS[kind](title, body, rng)
    return title, body


# -- negatives ---------------------------------------------------------------------------------

_STOP = set("في من على إلى الى عن أن ان إن مع بعد قبل هذا هذه التي الذي كان قد ما لا و".split())


def title_terms(title: str) -> set[str]:
    return {w for w in words(title, "") if w not in _STOP and len(w) > 2}


def same_topic_negatives(rows: list[dict], picks: list[int], rng: random.Random) -> list[tuple[int, int]]:
    """For each pick, the article of the same category, at least 5 days apart, whose title shares the
    most words: another story on the same subject (a team's next match, Trump's next tweet)."""
    by_cat: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_cat[r["cat"]].append(i)
    terms = [title_terms(r["title"]) for r in rows]
    pairs = []
    for i in picks:
        best, best_j = 0, None
        pool = by_cat[rows[i]["cat"]]
        for j in rng.sample(pool, min(3000, len(pool))):
            if abs(rows[j]["ts"] - rows[i]["ts"]) < 5 * DAY:
                continue
            shared = len(terms[i] & terms[j])
            if shared > best:
                best, best_j = shared, j
        if best_j is not None and best >= 2:
            pairs.append((i, best_j))
    return pairs


def would_match(sig_a: int, sig_b: int, index: NearDuplicateIndex) -> tuple[bool, float]:
    """The index's decision for one pair: a shared LSH band, then similarity >= threshold."""
    sim = similarity(sig_a, sig_b)
    banded = bool(
        set(band_keys(sig_a, index.bands, index.rows)) & set(band_keys(sig_b, index.bands, index.rows))
    )
    return banded and sim >= index.threshold, sim


# -- parts -------------------------------------------------------------------------------------


def part_synthetic(rows: list[dict] | None, n: int = 1200) -> None:
    print("\n== Level 2 on synthetic copies (ANT corpus) ==")
    if rows is None:
        return
    rng = random.Random(SEED)
    probe = NearDuplicateIndex(3 * DAY)
    eligible = [i for i, r in enumerate(rows) if len(words(r["title"], r["text"])) >= 40]
    picks = rng.sample(eligible, n)
    sig_cache: dict[int, int] = {}

    def sig_of(i: int) -> int:
        if i not in sig_cache:
            sig_cache[i] = signature(rows[i]["title"], rows[i]["text"])
        return sig_cache[i]

    results: dict[str, list[tuple[bool, float]]] = defaultdict(list)
    t0 = time.perf_counter()
    for i in picks:
        r = rows[i]
        for kind in TRANSFORMS:
            results[kind].append(
                would_match(sig_of(i), signature(*make_copy(r["title"], r["text"], (kind,), rng)), probe)
            )
        mix = rng.choice(MIXES)
        results["mix:" + "+".join(mix)].append(
            would_match(sig_of(i), signature(*make_copy(r["title"], r["text"], mix, rng)), probe)
        )
    negatives: dict[str, list[tuple[bool, float]]] = defaultdict(list)
    for i in picks:
        j = rng.choice(eligible)
        if j != i:
            negatives["random pair"].append(would_match(sig_of(i), sig_of(j), probe))
    for i, j in same_topic_negatives(rows, picks, rng):
        negatives["same topic, >=5 days apart"].append(would_match(sig_of(i), sig_of(j), probe))
    elapsed = time.perf_counter() - t0

    print(f"index parameters: {probe.params()}  ({NUM_PERM} x {BITS}-bit MinHash over 3-word shingles)")
    print(f"originals: {len(picks)} articles of >= 40 words, seed {SEED}")
    print(f"{'copy kind':58} {'n':>5} {'recall':>7} {'sim p5':>7} {'median':>7}")
    tp = fn = 0
    for kind, res in results.items():
        hits = sum(1 for ok, _ in res if ok)
        sims = sorted(s for _, s in res)
        tp += hits
        fn += len(res) - hits
        print(
            f"{kind:58} {len(res):5d} {hits / len(res):7.3f} "
            f"{sims[len(sims) // 20]:7.3f} {sims[len(sims) // 2]:7.3f}"
        )
    fp = tn = 0
    print(f"{'negative kind':58} {'n':>5} {'FP rate':>7} {'sim p95':>7} {'max':>7}")
    for kind, res in negatives.items():
        hits = sum(1 for ok, _ in res if ok)
        sims = sorted(s for _, s in res)
        fp += hits
        tn += len(res) - hits
        print(
            f"{kind:58} {len(res):5d} {hits / len(res):7.3f} "
            f"{sims[len(sims) * 19 // 20]:7.3f} {sims[-1]:7.3f}"
        )
    print(
        f"overall: TP {tp} FN {fn} FP {fp} TN {tn}  "
        f"precision {tp / max(1, tp + fp):.4f}  recall {tp / (tp + fn):.4f}"
        f"  ({elapsed:.1f}s)"
    )


def real_pairs(rows: list[dict], window: float = 3 * DAY, floor: float = 0.15) -> tuple[dict, list[dict]]:
    """Stream the corpus in time order through an index; return its decisions and every cross-outlet
    pair within the window that LSH made candidates with similarity >= ``floor``."""
    index = NearDuplicateIndex(window)
    decisions: dict[str, str | None] = {}
    pairs = []
    t0 = time.perf_counter()
    for r in rows:
        sig = signature(r["title"], r["text"])
        for entry in index.candidates(sig):
            if abs(entry.seen_at - r["ts"]) > window:
                continue
            sim = similarity(sig, entry.sig)
            if sim >= floor:
                same = entry.source == r["src"]
                pairs.append(
                    {"a": entry.article_id, "b": r["docno"], "sim": round(sim, 3), "same_outlet": same}
                )
        decisions[r["docno"]] = index.check_and_add(r["docno"], r["src"], r["ts"], sig)
    elapsed = time.perf_counter() - t0
    flagged = sum(1 for v in decisions.values() if v)
    print(
        f"streamed {len(rows)} articles in {elapsed:.1f}s ({len(rows) / elapsed:.0f}/s incl. signatures); "
        f"{flagged} marked duplicate_of; index holds {len(index)} at the end (window {window / DAY:.0f} days)"
    )
    return decisions, pairs


def load_labels() -> list[dict]:
    if not REAL_PAIRS.exists():
        return []
    return [json.loads(line) for line in REAL_PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]


def part_real(rows: list[dict] | None) -> None:
    print("\n== Level 2 on real pairs (ANT corpus, judged by hand) ==")
    if rows is None:
        return
    decisions, pairs = real_pairs(rows)
    threshold = NearDuplicateIndex(1).threshold
    cross = [p for p in pairs if not p["same_outlet"]]
    by_band = Counter(f"flagged (>= {threshold:.2f})" if p["sim"] >= threshold else "below" for p in cross)
    print(f"cross-outlet candidate pairs with similarity >= 0.15: {len(cross)} {dict(by_band)}")
    outlets = Counter()
    by_id = {r["docno"]: r for r in rows}
    for copy, original in decisions.items():
        if original:
            outlets[(by_id[original]["src"], by_id[copy]["src"])] += 1
    print("duplicate_of by (original outlet, copy outlet):", dict(outlets.most_common(8)))
    labels = load_labels()
    if not labels:
        print(f"no judgements in {REAL_PAIRS.relative_to(ROOT)}; run `candidates` and label some")
        return
    sims = {(p["a"], p["b"]): p["sim"] for p in pairs}
    src = {r["docno"]: r["src"] for r in rows}
    for title, same in (("cross-outlet", False), ("same-outlet", True)):
        group = [lab for lab in labels if (src.get(lab["a"]) == src.get(lab["b"])) == same]
        if not group:
            continue
        tp = fp = fn = tn = 0
        if same:
            loose = sum(1 for lab in group if sims.get((lab["a"], lab["b"]), 0.0) >= threshold)
            right = sum(
                1
                for lab in group
                if sims.get((lab["a"], lab["b"]), 0.0) >= threshold and lab["label"] == "copy"
            )
            print(f"  same-outlet pairs at the cross-outlet threshold {threshold}: precision {right}/{loose}")
        needed = NearDuplicateIndex(1).same_source_threshold if same else threshold
        for lab in group:
            predicted = sims.get((lab["a"], lab["b"]), 0.0) >= needed
            actual = lab["label"] == "copy"
            tp += predicted and actual
            fp += predicted and not actual
            fn += actual and not predicted
            tn += not actual and not predicted
        print(
            f"{title} judged pairs: {len(group)}  {dict(Counter(lab['label'] for lab in group))}, "
            f"threshold {needed}\n"
            f"  predicted copy: TP {tp} FP {fp}  precision {tp / max(1, tp + fp):.3f};  "
            f"below threshold: copies missed {fn}, correctly left {tn}"
        )


def part_candidates(rows: list[dict] | None, n_high: int = 30, n_low: int = 20, same: bool = False) -> None:
    """Print unlabelled real pairs, flagged and below the threshold, to judge by hand."""
    if rows is None:
        return
    _, pairs = real_pairs(rows)
    pairs = [p for p in pairs if p["same_outlet"] == same]
    threshold = NearDuplicateIndex(1).threshold
    done = {(lab["a"], lab["b"]) for lab in load_labels()}
    rng = random.Random(SEED)
    high = [p for p in pairs if p["sim"] >= threshold and (p["a"], p["b"]) not in done]
    low = [p for p in pairs if p["sim"] < threshold and (p["a"], p["b"]) not in done]
    by_id = {r["docno"]: r for r in rows}
    for p in rng.sample(high, min(n_high, len(high))) + rng.sample(low, min(n_low, len(low))):
        print(json.dumps(p))
        for k in ("a", "b"):
            r = by_id[p[k]]
            print(f"  [{r['src']} {r['time']}] {r['title']}\n    {r['text'][:400]!r}")


def _rss_mb() -> float:
    """Resident memory of this process (Linux); what the operating system actually gives us."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _perturb(sig: int, share: float, rng: random.Random) -> int:
    """A signature with ``share`` of its slots replaced: what a copy with that much new text gives."""
    raw = bytearray(sig.to_bytes(NUM_PERM * BITS // 8, "big"))
    width = BITS // 8
    for slot in rng.sample(range(NUM_PERM), int(NUM_PERM * share)):
        raw[slot * width : (slot + 1) * width] = rng.randbytes(width)
    return int.from_bytes(bytes(raw), "big")


def part_scale(n: int = 1_000_000, queries: int = 100_000) -> None:
    print(f"\n== Memory and lookup rate at {n:,} fingerprints (synthetic signatures) ==")
    rng = random.Random(SEED)
    ids = [f"article-{i:07d}" for i in range(n)]
    sigs = [int.from_bytes(rng.randbytes(NUM_PERM * BITS // 8), "big") for _ in range(n)]
    gc.collect()

    # Baseline: level 1's structure, a plain dict of exact content hashes -> article id.
    base0 = _rss_mb()
    t0 = time.perf_counter()
    exact = {hashlib.sha1(i.encode()).hexdigest(): i for i in ids}
    t_build = time.perf_counter() - t0
    base_mb = _rss_mb() - base0
    probes = [hashlib.sha1(ids[rng.randrange(n)].encode()).hexdigest() for _ in range(queries)]
    t0 = time.perf_counter()
    hits = sum(1 for h in probes if h in exact)
    t_look = time.perf_counter() - t0
    print(
        f"baseline dict of SHA-1 hex -> id: {base_mb:8.0f} MB ({base_mb * 2**20 / n:5.0f} B/entry), "
        f"insert {n / t_build:9.0f}/s, lookup {queries / t_look:9.0f}/s ({hits} hits)"
    )
    del exact, probes
    gc.collect()

    index = NearDuplicateIndex(window_seconds=float(n + 1))
    gc.collect()
    idx0 = _rss_mb()
    t0 = time.perf_counter()
    for i in range(n):
        index.check_and_add(ids[i], "s", float(i), sigs[i])
    t_build = time.perf_counter() - t0
    idx_mb = _rss_mb() - idx0
    print(
        f"NearDuplicateIndex ({index.bands}x{index.rows} bands): {idx_mb:8.0f} MB "
        f"({idx_mb * 2**20 / n:5.0f} B/entry, "
        f"signatures alone {n * (NUM_PERM * BITS // 8 + 28) / 2**20:.0f} MB), "
        f"check_and_add {n / t_build:7.0f}/s, {index.bucket_count:,} buckets"
    )
    misses = [int.from_bytes(rng.randbytes(NUM_PERM * BITS // 8), "big") for _ in range(queries // 10)]
    t0 = time.perf_counter()
    false_hits = sum(1 for s_ in misses if index.find(s_, float(n)))
    t_miss = time.perf_counter() - t0
    near = [(rng.randrange(n), 0.0) for _ in range(queries // 10)]
    near_sigs = [(i, _perturb(sigs[i], 0.4, rng)) for i, _ in near]
    t0 = time.perf_counter()
    found = sum(1 for i, s_ in near_sigs if (m := index.find(s_, float(n))) and m.original_id == ids[i])
    t_hit = time.perf_counter() - t0
    print(
        f"lookup of unrelated signatures: {len(misses) / t_miss:7.0f}/s ({false_hits} false matches); "
        f"of copies with 40% of slots changed: {len(near_sigs) / t_hit:7.0f}/s "
        f"({found}/{len(near_sigs)} found)"
    )
    print(
        f"memory ratio index/baseline: {idx_mb / max(base_mb, 1e-9):.1f}x.  "
        f"A 3-day window of a busy deployment "
        f"(~20,000 articles/day) holds ~60,000 entries: ~{idx_mb * 60_000 / n:.0f} MB."
    )


def part_events(n_events: int = 5000, reports: int = 6) -> None:
    print(
        f"\n== Level 3 on generated mentions ({n_events} events x {reports} reports, shuffled within days) =="
    )
    for unlocated in (0.0, 0.1):
        _events_run(n_events, reports, unlocated)


def _events_run(n_events: int, reports: int, unlocated: float) -> None:
    """Throughput and grouping quality of event merging on generated mentions (no corpus needed)."""
    from marsad.dedup.events import assign, expire, partition_key

    rng = random.Random(SEED)
    start = date(2026, 1, 1)
    countries = ["LY", "SY", "YE", "IQ", "SD", "ML"]
    kinds = ["battle.clash", "remote.airstrike", "protest", "diplomacy.meeting", "strategic.arrest"]
    outlets = [f"outlet{i}" for i in range(12)]
    mentions = []
    for e in range(n_events):
        kind, country = rng.choice(kinds), rng.choice(countries)
        place = f"place{rng.randrange(150)}"
        loc = {"text": place, "canonical": place, "country": country, "admin1": f"{country}-{place[-1]}"}
        actor = {"role": "actor1", "canonical": f"actor{rng.randrange(400)}", "kind": "ORG"}
        day = e * 60 // n_events  # 60 days of news
        toll = rng.randrange(1, 20)
        for r in range(reports):
            mentions.append(
                {
                    "mention_id": f"e{e}r{r}",
                    "article_id": f"e{e}a{r}",
                    "source": rng.choice(outlets),
                    "type": kind,
                    "actors": [actor],
                    "location": None if rng.random() < unlocated else loc,
                    "event_date": (start + timedelta(days=day)).isoformat(),
                    "published_at": f"{start + timedelta(days=day)}T{r + 8:02d}:00:00+00:00",
                    "fatalities": toll + r // 2,
                    "_truth": e,
                }
            )
    mentions.sort(key=lambda m: (m["event_date"], rng.random()))
    tables: dict[str, list[dict]] = defaultdict(list)
    assigned: dict[str, str] = {}
    t0 = time.perf_counter()
    for m in mentions:
        key = partition_key(m)
        events = expire(tables[key], m["event_date"])
        events, event, _ = assign(events, m)
        tables[key] = events
        assigned[m["mention_id"]] = event["event_id"]
    elapsed = time.perf_counter() - t0
    truth_of: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        truth_of[assigned[m["mention_id"]]][m["_truth"]] += 1
    pure = sum(c.most_common(1)[0][1] for c in truth_of.values())
    split = Counter(m["_truth"] for m in mentions)
    pieces = Counter()
    for c in truth_of.values():
        for t in c:
            pieces[t] += 1
    print(
        f"{unlocated:.0%} of mentions without a place: "
        f"{len(mentions)} mentions in {elapsed:.1f}s ({len(mentions) / elapsed:.0f}/s); "
        f"{len(truth_of)} events formed "
        f"for {n_events} true ones; purity {pure / len(mentions):.3f}; "
        f"true events split in more than one: {sum(1 for t in split if pieces[t] > 1)}; "
        f"largest open-event list under one key: {max(len(v) for v in tables.values())}"
    )


def main(argv: list[str]) -> None:
    parts = argv[1:] or ["synthetic", "real", "events", "scale"]
    rows = (
        load_corpus()
        if any(p in {"synthetic", "real", "candidates", "candidates-same-outlet"} for p in parts)
        else None
    )
    for p in parts:
        {
            "synthetic": lambda: part_synthetic(rows),
            "real": lambda: part_real(rows),
            "candidates": lambda: part_candidates(rows),
            "candidates-same-outlet": lambda: part_candidates(rows, 20, 0, same=True),
            "events": part_events,
            "scale": part_scale,
        }[p]()


if __name__ == "__main__":
    main(sys.argv)
