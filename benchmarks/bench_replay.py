"""Does memory stay flat on an endless stream?  Replays the ANT corpus cyclically through the dedup state.

Run from the repository root (the full hour; be gentle on a shared machine):

    nice -n 10 .venv/bin/python benchmarks/bench_replay.py                 # 3600 s, a sample every 60 s
    .venv/bin/python benchmarks/bench_replay.py --duration 300 --every 20  # a short look

What it keeps is the state of the three dedup levels exactly as the stream processors keep it:

* level 1 (``streams/articles/agents.py``): the ``dedup-exact`` table as a dict fingerprint ->
  entry, decided by :func:`marsad.dedup.exact.decide`, and the same heap-based forgetting as
  ``_forget_expired_fingerprints`` (window ``MARSAD_DEDUP_WINDOW``, default 14 days);
* level 2: one :class:`NearDuplicateIndex` with the default ``MARSAD_NEAR_WINDOW`` (3 days),
  ``track_changes`` on, its ``article:`` changes mirrored into a dict standing for the
  ``dedup-near`` table;
* level 3 (``streams/events/agents.py``): the ``open-events`` table (partition key -> event
  summaries) and the ``event-bodies`` table (event id -> whole event) as dicts, each mention
  running the processor's own :func:`marsad.dedup.open_events.merge_mention` (expiry by its
  publication day, join, the per-key bound ``MARSAD_MAX_OPEN_EVENTS_BYTES``) and the same table
  writes; keys are never deleted (as the processor does).  Expiry runs only for the key of the
  incoming mention, which is what the ``stale_ev`` column measures.

How the replay works:

* The corpus is read once (one article per canonical URL, as ``bench_dedup.py`` does), sorted by
  publication time; each article's raw record is kept zlib-compressed until it is first processed.
* Cycle 0 runs each article through what the stream computes: :func:`clean_article` (fingerprint),
  :func:`signature` (MinHash) and :func:`extract` (mentions), as the processors do.  Those results
  are cached per article (fingerprint, signature, zlib-compressed mention JSON) so later cycles
  cost only the state operations; the cache grows during cycle 0 and then stays fixed, and its
  size is printed beside RSS so it is not mistaken for state.
* Cycle ``c`` shifts every publication time (and every mention's ``event_date``) by ``c`` times the
  corpus span rounded up to whole days, so each cycle is new days on a synthetic clock that only
  moves forward.  The synthetic clock is also level 1's ``now`` (the processor uses wall time;
  in a replay the two coincide only if the replay runs in real time).
* Re-played articles get new ids (``<docno>~<cycle>``) and their mentions new ``mention_id``s
  (``<id>~<cycle>``): with the old ids, level 1 would drop them as the very same article (within
  its window) and level 3 would treat their mentions as replays.  The content is unchanged, so
  the fingerprints and signatures repeat -- but a whole corpus span later, long after both windows
  forgot them, which is what a stream of new articles looks like to the state.

Every ``--every`` seconds it samples RSS and VmHWM from ``/proc/self/status`` and the state sizes,
then prints a table and a verdict: the least-squares slope of RSS over the second half of the run
(or over the part after cycle 0, if cycle 0 ran into the second half), "flat" when under
``--flat-mb-per-hour``.  It asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import heapq
import json
import logging
import sys
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marsad.bench.corpus import records_by_url  # noqa: E402
from marsad.clean import Rejected, clean_article  # noqa: E402
from marsad.dedup.events import expire, partition_key  # noqa: E402
from marsad.dedup.exact import decide  # noqa: E402
from marsad.dedup.near import NearDuplicateIndex, signature  # noqa: E402
from marsad.dedup.open_events import merge_mention  # noqa: E402
from marsad.nlp.extract import extract  # noqa: E402
from marsad.records import Article, ContractError  # noqa: E402
from marsad.settings import Settings  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "news" / "ant_multisource.jsonl.gz"
DAY = 86400.0


def proc_status() -> dict[str, float]:
    """VmRSS and VmHWM in MB, from /proc/self/status."""
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                out[name] = int(rest.split()[0]) / 1024.0
    return out


@dataclass(slots=True)
class Item:
    """One corpus article: raw record until cycle 0 processed it, then what the stream computed."""

    ts: float
    docno: str
    source: str
    raw: bytes | None  # zlib-compressed JSON line, dropped after cycle 0
    rejected: bool = False
    fingerprint: str = ""
    sig: int = 0
    mentions: bytes | None = None  # zlib-compressed JSON list of the extracted mentions


# The corpus is 2018 news; 83 items carry RSS dates from 2012-2017 (archive pages), which would
# stretch one cycle's span from ~300 days to ~2,100.  They are left out (counted in the header).
YEAR_START = datetime(2018, 1, 1).timestamp()
YEAR_END = datetime(2019, 1, 1).timestamp()


def load(limit: int | None) -> tuple[list[Item], int]:
    items: list[Item] = []
    outside = 0
    for r, line, ts in records_by_url(CORPUS):
        if not YEAR_START <= ts < YEAR_END:
            outside += 1
            continue
        items.append(Item(ts, r["docno"], r["src"], zlib.compress(line.encode("utf-8"), 1)))
        if limit and len(items) >= limit:
            break
    items.sort(key=lambda it: (it.ts, it.docno))
    return items, outside


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


class Replay:
    def __init__(self, items: list[Item], settings: Settings) -> None:
        self.items = items
        self.settings = settings
        first, last = items[0].ts, items[-1].ts
        self.span_days = int((last - first) // DAY) + 2  # whole days, so a cycle never overlaps the last
        # Level 1: the dedup-exact table and the processor's expiry heap.
        self.seen_content: dict[str, dict] = {}
        self.exact_expiry: list[tuple[float, str]] = []
        # Level 2: the in-memory index and the dedup-near table it is mirrored into.
        self.near = NearDuplicateIndex(settings.near_window)
        self.near.track_changes = True
        self.near_entries: dict[str, list] = {}
        # Level 3: the open-events and event-bodies tables.
        self.open_events: dict[str, list[dict]] = {}
        self.event_bodies: dict[str, dict] = {}
        self.cycle = 0
        self.pos = 0
        self.articles = 0
        self.mentions = 0
        self.copies = 0
        self.dropped = 0
        self.events_changed = 0
        self.cache_bytes = 0
        self.cycle0_done_at: float | None = None
        self.clock = first

    # -- level 1, as streams/articles/agents.py -------------------------------------------------

    def _forget_expired_fingerprints(self, now: float) -> None:
        horizon = now - self.settings.dedup_window
        while self.exact_expiry and self.exact_expiry[0][0] < horizon:
            seen_at, fp = heapq.heappop(self.exact_expiry)
            current = self.seen_content.get(fp)
            if current is not None and float(current.get("seen_at", 0)) <= seen_at:
                self.seen_content.pop(fp, None)

    # -- cycle 0: what the processors compute ---------------------------------------------------

    def _compute(self, it: Item) -> None:
        r = json.loads(zlib.decompress(it.raw))
        it.raw = None
        published = parsedate_to_datetime(r["time"]).isoformat()
        try:
            article = clean_article(
                Article(
                    id=it.docno,
                    source=it.source,
                    title=r.get("title") or "",
                    body=r.get("text") or "",
                    url=r.get("url"),
                    summary=r.get("abstract"),
                    published_at=published,
                ),
                max_chars=self.settings.max_article_chars,
                arabic_min_ratio=self.settings.arabic_min_ratio,
            )
        except (ContractError, Rejected):
            it.rejected = True
            return
        it.fingerprint = article.fingerprint or ""
        it.sig = signature(article.title, article.body)
        result = extract(
            {
                "id": it.docno,
                "source": it.source,
                "title": article.title,
                "body": article.body,
                "url": article.url,
                "published_at": article.published_at,
            }
        )
        if result.get("mentions"):
            it.mentions = zlib.compress(json.dumps(result["mentions"], ensure_ascii=False).encode("utf-8"), 1)
            self.cache_bytes += len(it.mentions)
        self.cache_bytes += 40 + 256 + 64  # fingerprint, signature, slots

    # -- one article through the three levels ---------------------------------------------------

    def step(self) -> None:
        it = self.items[self.pos]
        c = self.cycle
        if it.raw is not None:
            self._compute(it)
        if not it.rejected:
            shift = c * self.span_days * DAY
            now = it.ts + shift
            self.clock = now
            aid = it.docno if c == 0 else f"{it.docno}~{c}"
            # Level 1.
            self._forget_expired_fingerprints(now)
            decision = decide(self.seen_content.get(it.fingerprint), aid, now, self.settings.dedup_window)
            if decision.drop:
                self.dropped += 1
            else:
                if decision.entry is not None:
                    self.seen_content[it.fingerprint] = decision.entry
                    heapq.heappush(self.exact_expiry, (decision.entry["seen_at"], it.fingerprint))
                # Level 2.
                near_original = self.near.check_and_add(aid, it.source, now, it.sig)
                for key, value in self.near.pop_changes().items():
                    if not key.startswith("article:"):
                        continue
                    if value is None:
                        self.near_entries.pop(key, None)
                    else:
                        self.near_entries[key] = value
                original = decision.duplicate_of or near_original
                self.copies += bool(original)
                self.articles += 1
                # Level 3: mentions arrive as JSON, as they do from the mentions topic.
                if it.mentions is not None:
                    for m in json.loads(zlib.decompress(it.mentions)):
                        if c:
                            m["mention_id"] = f"{m['mention_id']}~{c}"
                            m["article_id"] = aid
                            m["published_at"] = iso(now)
                            if m.get("event_date"):
                                try:
                                    d = datetime.fromisoformat(m["event_date"][:10]).date()
                                    m["event_date"] = (d + timedelta(days=c * self.span_days)).isoformat()
                                except ValueError:
                                    pass
                        if original:
                            m["duplicate_of"] = original
                        key = partition_key(m)
                        step = merge_mention(self.open_events.get(key), m, self.event_bodies.get,
                                             self.settings.max_open_events_bytes)
                        step.apply(key, self.open_events, self.event_bodies)
                        self.mentions += 1
                        self.events_changed += step.changed
        self.pos += 1
        if self.pos == len(self.items):
            self.pos = 0
            self.cycle += 1

    # -- sizes -----------------------------------------------------------------------------------

    def sizes(self) -> dict[str, int]:
        open_events = sum(len(v) for v in self.open_events.values())
        # Events the processor would drop if their key got a mention now: it expires a key's list only
        # when that key is next used, so events under a key that goes quiet stay in the table.
        today = datetime.fromtimestamp(self.clock).date()
        stale = sum(len(v) - len(expire(v, today)) for v in self.open_events.values())
        reports = sum(len(e["reports"]) for e in self.event_bodies.values())
        return {
            "exact": len(self.seen_content),
            "exact_heap": len(self.exact_expiry),
            "near": len(self.near),
            "buckets": self.near.bucket_count,
            "near_table": len(self.near_entries),
            "ev_keys": len(self.open_events),
            "open_ev": open_events,
            "stale_ev": stale,
            "bodies": len(self.event_bodies),
            "reports": reports,
        }


def slope_per_hour(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, value) points, per hour."""
    n = len(points)
    if n < 2:
        return float("nan")
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    if sxx == 0:
        return float("nan")
    return sum((p[0] - mx) * (p[1] - my) for p in points) / sxx * 3600.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=float, default=3600.0, help="seconds of replay (default 3600)")
    ap.add_argument("--every", type=float, default=60.0, help="seconds between samples (default 60)")
    ap.add_argument("--limit", type=int, default=None, help="use only the first N corpus lines (quick tries)")
    ap.add_argument(
        "--flat-mb-per-hour",
        type=float,
        default=5.0,
        help="second-half RSS slope under which memory counts as flat (default 5 MB/h)",
    )
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"SKIP: {CORPUS} not found (../shared is not beside this clone)")
        return
    logging.disable(logging.WARNING)  # extraction warns per odd article; the figures are the output
    settings = Settings()
    t_load = time.monotonic()
    items, outside = load(args.limit)
    rep = Replay(items, settings)
    gc.collect()
    print(
        f"# replay of {len(items):,} ANT articles (one per canonical URL, 2018; {outside} dated "
        f"outside 2018 left out), loaded in "
        f"{time.monotonic() - t_load:.0f} s; corpus span {rep.span_days} days per cycle; "
        f"windows: exact {settings.dedup_window / DAY:g} d, near {settings.near_window / DAY:g} d"
    )
    print(
        f"# duration {args.duration:g} s, a sample every {args.every:g} s; cycle 0 extracts, "
        "later cycles replay cached results with new ids and shifted days\n",
        flush=True,
    )
    cols = (
        "t_s",
        "cycle",
        "articles",
        "mentions",
        "stream_day",
        "rss_mb",
        "hwm_mb",
        "cache_mb",
        "exact",
        "exact_heap",
        "near",
        "buckets",
        "near_table",
        "ev_keys",
        "open_ev",
        "stale_ev",
        "bodies",
        "reports",
    )
    header = " ".join(f"{c:>10}" for c in cols)
    print(header, flush=True)
    rows: list[dict] = []

    def sample(t: float) -> None:
        st = proc_status()
        row = {
            "t_s": round(t),
            "cycle": rep.cycle,
            "articles": rep.articles,
            "mentions": rep.mentions,
            "stream_day": datetime.fromtimestamp(rep.clock).date().isoformat(),
            "rss_mb": round(st["VmRSS"], 1),
            "hwm_mb": round(st["VmHWM"], 1),
            "cache_mb": round(rep.cache_bytes / 1e6, 1),
            **rep.sizes(),
        }
        rows.append(row)
        print(" ".join(f"{row[c]!s:>10}" for c in cols), flush=True)

    t0 = time.monotonic()
    sample(0.0)
    next_sample = args.every
    while True:
        for _ in range(50):
            rep.step()
            if rep.cycle0_done_at is None and rep.cycle >= 1:
                rep.cycle0_done_at = time.monotonic() - t0
        t = time.monotonic() - t0
        if t >= next_sample:
            sample(t)
            next_sample += args.every
        if t >= args.duration:
            if rows[-1]["t_s"] != round(t):
                sample(t)
            break

    print(
        f"\n# {rep.articles:,} articles ({rep.copies:,} marked copies, {rep.dropped:,} dropped), "
        f"{rep.mentions:,} mentions ({rep.events_changed:,} event updates), {rep.cycle} full cycles; "
        f"cycle 0 (extraction) ended at "
        + (f"{rep.cycle0_done_at:.0f} s" if rep.cycle0_done_at is not None else "-- (not within the run)")
    )
    half = args.duration / 2
    start = half
    if rep.cycle0_done_at is not None and rep.cycle0_done_at > half:
        start = rep.cycle0_done_at
        print(f"# cycle 0 ran into the second half: the verdict uses samples after {start:.0f} s")
    elif rep.cycle0_done_at is None:
        print("# cycle 0 did not finish: the cache was still growing; run longer for a verdict")
    tail = [r for r in rows if r["t_s"] >= start]
    rss_slope = slope_per_hour([(r["t_s"], r["rss_mb"]) for r in tail])
    print(
        f"# second half ({len(tail)} samples from {start:.0f} s): RSS slope {rss_slope:+.2f} MB/hour; "
        f"RSS {min(r['rss_mb'] for r in tail):.1f}..{max(r['rss_mb'] for r in tail):.1f} MB"
    )
    for name in ("exact", "near", "near_table", "ev_keys", "open_ev", "stale_ev", "bodies", "reports"):
        vals = [r[name] for r in tail]
        slope = slope_per_hour([(r["t_s"], r[name]) for r in tail])
        print(f"#   {name:>10}: {min(vals):,}..{max(vals):,}  slope {slope:+,.0f}/hour")
    if rep.cycle0_done_at is None or len(tail) < 3:
        verdict = "NO VERDICT (too few samples after the cache was complete)"
    elif abs(rss_slope) < args.flat_mb_per_hour:
        verdict = f"FLAT (|slope| < {args.flat_mb_per_hour:g} MB/hour)"
    else:
        verdict = f"GROWING ({rss_slope:+.1f} MB/hour >= {args.flat_mb_per_hour:g})"
    print(f"# verdict: {verdict}")


if __name__ == "__main__":
    main()
