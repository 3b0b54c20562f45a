"""End to end: corpus articles -> agents' Publisher (kafka-python) -> Kafka -> Faust worker(s) ->
Elasticsearch, on the real local stack, in an isolated session; plus the ceilings in the same run.

Phases of `run_e2e` (one session, one worker, nothing overlapping):
1. NLP sample: extract() on a few of the same articles in this process (articles/s per core);
2. Kafka ceiling: the same raw records through a scratch topic with a plain producer + consumer;
3. warm-up: a few articles through the pipeline (models load, partitions settle), not measured;
4. offered rate: articles published one by one at a fixed rate (default 50/s);
5. saturation: the next articles published as fast as the Publisher goes (batches of 500);
6. indexer alone: the worker stopped, the enriched records of phases 3-5 queued with new ids on the
   indexer's input topic, a fresh worker started on that backlog, so only the indexer works;
7. Elasticsearch ceiling: the same documents with helpers.bulk into a fresh index from the same template;
8. Faust machinery ceiling: the saturation articles through our topology with every step emptied, in a
   worker and session of its own (marsad/bench/machinery.py), with as many mentions per article as
   phases 3-5 produced.
Each pipeline phase waits until every article it published is searchable (or a timeout) before the next.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from marsad.bench.ceilings import (
    as_indexed,
    es_bulk_ceiling,
    indexer_alone,
    kafka_ceiling,
    read_topic,
    renamed,
)
from marsad.bench.corpus import load_articles
from marsad.bench.session import (
    Sampler,
    SearchableTracker,
    Session,
    partition_sizes,
    stack_uptimes,
    uptime_note,
    wait_until,
)
from marsad.bench.stats import goal, lag_bottleneck, latency_by_part, middle_rate, rate, ratio_rows, summarize


def _chunks(xs, n):
    for i in range(0, len(xs), n):
        yield xs[i : i + n]


def run_phase(
    publisher,
    tracker: SearchableTracker,
    articles,
    *,
    offered: float | None,
    t0: float,
    batch: int = 500,
    drain_timeout: float | None = None,
    cpu_pids: list[int] | None = None,
    tick: float = 0.02,
) -> dict:
    """Publish `articles` (at `offered` per second, or as fast as possible) and wait until each is
    searchable. Latency per article = first search hit time - the time it was due (at an offered
    rate) or the time its batch was handed to the Publisher (at saturation)."""
    from marsad.bench.session import cpu_seconds

    pub: dict[str, float] = {}
    failed = 0
    cpu0 = sum(cpu_seconds(p) or 0.0 for p in cpu_pids or [])
    start = time.time()
    if offered:
        # Article i is due at start + i/offered. Once a tick, whatever is due is published in one
        # call, as a feed agent publishes a poll's new items. Each call waits for the broker's
        # acknowledgement: one call per article made the bench's own publisher fall behind at 200/s,
        # and waking as soon as the next article fell due still meant a call per article or two
        # (0.21 core at 200/s, against 0.10 on 20 ms ticks). Latency counts from the time an article
        # was due, so the wait for the tick and a late publisher both show in it.
        i, n = 0, len(articles)
        while i < n:
            due = min(n, int((time.time() - start) * offered) + 1)
            if due > i:
                chunk = articles[i:due]
                tracker.expect([a.id for a in chunk])
                for j, a in enumerate(chunk, i):
                    pub[a.id] = start + j / offered
                failed += len(publisher.publish(chunk))
                i = due
            if i < n:
                next_tick = start + tick * (int((time.time() - start) / tick) + 1)
                time.sleep(max(0.0, max(next_tick, start + i / offered) - time.time()))
    else:
        for chunk in _chunks(articles, batch):
            tracker.expect([a.id for a in chunk])
            t = time.time()
            for a in chunk:
                pub[a.id] = t
            failed += len(publisher.publish(chunk))
    published = time.time()
    n = len(articles)
    timeout = drain_timeout if drain_timeout is not None else 120 + n / 5
    wait_until(lambda: tracker.waiting(pub) == 0, timeout, every=0.25)
    cpu = sum(cpu_seconds(p) or 0.0 for p in cpu_pids or []) - cpu0
    seen = {i: tracker.seen[i] for i in pub if i in tracker.seen}
    lat = [seen[i] - pub[i] for i in seen]
    last = max(seen.values()) if seen else None
    return {
        "articles": n,
        "offered_rate": offered,
        "publish_failed": failed,
        "publish_seconds": round(published - start, 3),
        "publish_rate": rate(n, published - start),
        "searchable": len(seen),
        "first_publish_t": round(start - t0, 2),
        "last_searchable_t": round(last - t0, 2) if last else None,
        "seconds": round(last - start, 3) if last else None,
        "throughput": rate(len(seen), last - start) if last else None,
        "middle_rate": middle_rate(list(seen.values())),
        "latency": summarize(lat, expected=n),
        "latency_by_tenth": latency_by_part(lat),
        "worker_cpu_seconds": round(cpu, 2) if cpu_pids else None,
        "worker_cpu_ms_per_article": round(cpu / max(1, len(seen)) * 1000, 2) if cpu_pids else None,
        "latencies": [round(x, 3) for x in lat],
    }


def _window(samples, a: float | None, b: float | None) -> list[dict]:
    if a is None or b is None:
        return []
    return [s for s in samples if a <= s["t"] <= b]


def cpu_means(samples: list[dict]) -> dict[str, float]:
    """Mean cores in use per process over the samples."""
    tot: dict[str, list[float]] = {}
    for s in samples:
        for k, v in (s.get("cpu") or {}).items():
            tot.setdefault(k, []).append(v)
    return {k: round(sum(v) / len(v), 2) for k, v in tot.items() if v}


def run_e2e(
    *,
    n_rate: int = 1500,
    offered: float = 50.0,
    n_sat: int = 3000,
    warmup: int = 30,
    nlp_sample: int = 100,
    machinery: bool = True,
    corpus: Path | None = None,
    mixed: bool = False,
    log_dir: Path,
    log=print,
) -> dict:
    from agents.publisher import Publisher
    from marsad.bench.machinery import run_ceiling
    from marsad.bench.nlp import bench_extract, cleaned_dicts, stage_costs

    arts = load_articles(warmup + n_rate + n_sat, path=corpus, mixed=mixed)
    warm, at_rate, sat = arts[:warmup], arts[warmup : warmup + n_rate], arts[warmup + n_rate :]
    results: dict = {}
    session = Session("e2e", log_dir, log=log)
    s = session.settings
    log(
        f"session {session.run}: {len(arts)} articles ({warmup} warm-up, {len(at_rate)} at {offered:g}/s, "
        f"{len(sat)} at saturation); logs in {log_dir}"
    )
    sampler = tracker = None
    try:
        session.setup()
        results["stack_uptime_s"] = stack_uptimes()
        note = uptime_note(results["stack_uptime_s"])
        if note:
            log(note)
        if nlp_sample:
            log(f"NLP stage alone and per-step CPU costs on {nlp_sample} articles ...")
            results["nlp"] = bench_extract(cleaned_dicts(sat[:nlp_sample]))
            results["nlp"].pop("per_article", None)
            results["stage_costs"] = stage_costs(sat[:nlp_sample])
        log(f"Kafka ceiling on {len(arts)} records ...")
        results["kafka_ceiling"] = kafka_ceiling(
            s, [(a.id.encode(), a.to_json()) for a in arts], f"{s.topics.prefix}.bench.kafka"
        )
        log("starting the worker ...")
        session.start_workers(1)
        es = session.es()
        tracker = SearchableTracker(es, s.articles_index)
        tracker.start()
        sampler = Sampler(session, tracker)
        sampler.start()
        publisher = Publisher(s)
        pids = [w.pid for w in session.workers]
        try:
            sampler.mark("warm-up")
            results["warmup"] = run_phase(publisher, tracker, warm, offered=None, t0=sampler.t0)
            results["warmup"].pop("latencies")
            if at_rate:
                log(f"publishing {len(at_rate)} articles at {offered:g}/s ...")
                sampler.mark(f"{offered:g}/s")
                results["offered_rate"] = run_phase(
                    publisher, tracker, at_rate, offered=offered, t0=sampler.t0, cpu_pids=pids
                )
            if sat:
                log(f"publishing {len(sat)} articles as fast as possible ...")
                sampler.mark("saturation")
                results["saturation"] = run_phase(
                    publisher, tracker, sat, offered=None, t0=sampler.t0, cpu_pids=pids
                )
        finally:
            publisher.close()
        tracker.stop()
        settled = wait_until(lambda: _settled(session), 120, every=1.0)
        enriched = read_topic(s, s.enriched_topic)
        # The raw bulk runs right before and right after the indexer phase: on a shared machine the
        # background load moves, and bracketing shows how much.
        log(f"Elasticsearch bulk ceiling (before) on {len(enriched)} documents ...")
        sampler.mark("raw bulk")
        docs = [(i, as_indexed(d)) for i, d in renamed(enriched, "~bulk0")]
        results["es_bulk_ceiling_before"] = es_bulk_ceiling(
            session.es(), docs, f"{s.index_prefix}-articles-vceiling0"
        )
        log(f"indexer alone on {len(enriched)} enriched records ...")
        sampler.mark("indexer alone")
        results["indexer_alone"] = indexer_alone(session, renamed(enriched, "~idx"))
        results["indexer_alone"]["settled_before"] = settled
        log(f"Elasticsearch bulk ceiling on {len(enriched)} documents ...")
        sampler.mark("raw bulk")
        docs = [(i, as_indexed(d)) for i, d in renamed(enriched, "~bulk")]
        results["es_bulk_ceiling_after"] = es_bulk_ceiling(es, docs, f"{s.index_prefix}-articles-vceiling")
        results["es_bulk_ceiling"] = _mean_bulk(
            results["es_bulk_ceiling_before"], results["es_bulk_ceiling_after"]
        )
        time.sleep(1.5)
        sampler.stop()
        results["worker_errors"] = sum(
            1
            for w in session.workers
            for line in w.log().splitlines()
            if " ERROR " in line or "Traceback" in line
        )
        if machinery and sat:
            session.stop_workers()
            per_article = sum(partition_sizes(s, s.topics.mentions).values()) / len(arts)
            log(f"Faust machinery ceiling on {len(sat)} articles ({per_article:.2f} mentions each) ...")
            results["faust_ceiling"] = run_ceiling(sat, warm, mentions_per_article=per_article,
                                                   log_dir=log_dir, log=log)
    finally:
        if tracker is not None and tracker.is_alive():
            tracker.stop()
        if sampler is not None and sampler.is_alive():
            sampler.stop()
        session.cleanup()

    samples = sampler.samples if sampler else []
    satr = results.get("saturation") or {}
    win = _window(samples, satr.get("first_publish_t"), satr.get("last_searchable_t"))
    results["saturation_window"] = {
        "cpu_cores_mean": cpu_means(win),
        "lag": lag_bottleneck(win, session.stage_topics()),
    }
    rr = results.get("offered_rate") or {}
    results["offered_rate_window"] = {
        "cpu_cores_mean": cpu_means(_window(samples, rr.get("first_publish_t"), rr.get("last_searchable_t"))),
        "lag": lag_bottleneck(
            _window(samples, rr.get("first_publish_t"), rr.get("last_searchable_t")), session.stage_topics()
        ),
    }
    figures = figures_of(results)
    return {
        "name": "e2e",
        "run": session.run,
        "params": {
            "articles": len(arts),
            "warmup": warmup,
            "n_rate": len(at_rate),
            "offered_rate": offered,
            "n_saturation": len(sat),
            "nlp_sample": nlp_sample,
            "corpus_order": "outlets dealt in turn" if mixed else "corpus order",
            "partitions": s.partitions,
            "fetch_max_wait_ms": s.fetch_max_wait_ms,
            "consumer_fetch_bytes": s.consumer_fetch_bytes,
            "bulk_size": s.bulk_size,
            "bulk_linger": s.bulk_linger,
            "store": s.store,
            "refresh_interval": os.environ.get("MARSAD_REFRESH_INTERVAL", "1s"),
            "searchable_poll_seconds": 0.1,
            "workers": 1,
        },
        "results": results,
        "figures": figures,
        "ratios": ratio_rows(figures, RATIO_PAIRS),
        "goals": goals_of(figures, results),
        "timeseries": {
            "samples": samples,
            "marks": sampler.marks if sampler else [],
            "stage_topics": session.stage_topics(),
        },
    }


RATIO_PAIRS = [
    ("e2e sustained", "raw Kafka produce+consume"),
    ("e2e sustained", "raw ES bulk"),
    ("e2e sustained", "NLP extract per core"),
    ("e2e sustained", "Faust machinery ceiling"),
    ("indexer alone", "raw ES bulk"),
]


def figures_of(results: dict) -> dict[str, float | None]:
    g = lambda *ks: _dig(results, *ks)  # noqa: E731
    return {
        "e2e sustained": g("saturation", "throughput"),
        "e2e saturation, middle 80%": g("saturation", "middle_rate"),
        "e2e at offered rate": g("offered_rate", "throughput"),
        "indexer alone": g("indexer_alone", "acknowledged_rate"),
        "raw ES bulk": g("es_bulk_ceiling", "bulk_rate"),
        "raw ES bulk (until searchable)": g("es_bulk_ceiling", "searchable_rate"),
        "raw Kafka produce+consume": g("kafka_ceiling", "produce_consume_rate"),
        "raw Kafka produce": g("kafka_ceiling", "produce_rate"),
        "NLP extract per core": g("nlp", "articles_per_cpu_s"),
        "Faust machinery ceiling": g("faust_ceiling", "throughput"),
    }


def goals_of(figures: dict, results: dict) -> list[dict]:
    idx, bulk = figures.get("indexer alone"), figures.get("raw ES bulk")
    return [
        goal("sustained end to end, articles/s", figures.get("e2e sustained"), 200, at_least=True),
        goal(
            f"p99 publish->searchable at {_dig(results, 'offered_rate', 'offered_rate') or 50:g}/s, seconds",
            _dig(results, "offered_rate", "latency", "p99"),
            3.0,
            at_least=False,
        ),
        goal("indexer / raw bulk", round(idx / bulk, 3) if idx and bulk else None, 0.8, at_least=True),
    ]


def _dig(d, *ks):
    for k in ks:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


# ------------------------------------------------------------------------- scale
def run_scale(
    *,
    n: int = 2000,
    workers: tuple[int, ...] = (1, 2),
    warmup: int = 30,
    corpus: Path | None = None,
    log_dir: Path,
    log=print,
) -> dict:
    """The same articles through 1, then 2 workers (same app id within a session, a web port each)
    on the session's partitions, each worker count in a fresh session; saturation throughput,
    latency, CPU and which partitions each worker was given."""
    from agents.publisher import Publisher

    arts = load_articles(warmup + n, path=corpus)
    warm, sat = arts[:warmup], arts[warmup:]
    runs = []
    for k in workers:
        session = Session(f"scale{k}w", log_dir, log=log)
        s = session.settings
        log(f"{k} worker(s), session {session.run}: {len(sat)} articles at saturation")
        sampler = tracker = None
        out: dict = {"workers": k, "partitions": s.partitions}
        try:
            session.setup()
            for _ in range(k):  # one at a time, so each joins a settled group
                session.start_workers(1)
            stable = wait_until(lambda s_=session, k_=k: _assigned(s_, k_), 180, every=1.0)
            out["group_stable_before_publish"] = stable
            es = session.es()
            tracker = SearchableTracker(es, s.articles_index)
            tracker.start()
            sampler = Sampler(session, tracker)
            sampler.start()
            publisher = Publisher(s)
            try:
                sampler.mark("warm-up")
                w = run_phase(publisher, tracker, warm, offered=None, t0=sampler.t0)
                out["warmup_searchable"] = w["searchable"]
                sampler.mark("saturation")
                out["saturation"] = run_phase(
                    publisher,
                    tracker,
                    sat,
                    offered=None,
                    t0=sampler.t0,
                    cpu_pids=[w.pid for w in session.workers],
                )
            finally:
                publisher.close()
            out["assignment"] = _named_assignment(session)
            out["records_per_partition"] = {
                stage: partition_sizes(s, topic) for topic, stage in session.stage_topics().items()
            }
            out["assignment_from_logs"] = {
                f"worker{i + 1}": assignment_from_log(w.log()) for i, w in enumerate(session.workers)
            }
            sampler.stop()
            tracker.stop()
        finally:
            if tracker is not None and tracker.is_alive():
                tracker.stop()
            if sampler is not None and sampler.is_alive():
                sampler.stop()
            session.cleanup()
        satr = out.get("saturation") or {}
        win = _window(
            sampler.samples if sampler else [], satr.get("first_publish_t"), satr.get("last_searchable_t")
        )
        out["cpu_cores_mean"] = cpu_means(win)
        out["lag"] = lag_bottleneck(win, session.stage_topics())
        out["timeseries"] = {
            "samples": sampler.samples if sampler else [],
            "marks": sampler.marks if sampler else [],
            "stage_topics": session.stage_topics(),
        }
        runs.append(out)
    figures = {f"{r['workers']} worker(s)": _dig(r, "saturation", "throughput") for r in runs}
    pairs = [(f"{r['workers']} worker(s)", f"{runs[0]['workers']} worker(s)") for r in runs[1:]]
    return {
        "name": "scale",
        "run": ",".join(str(r["workers"]) for r in runs),
        "params": {"articles": len(sat), "warmup": warmup, "workers": list(workers)},
        "results": {"runs": runs},
        "figures": figures,
        "ratios": ratio_rows(figures, pairs),
        "goals": [
            goal(
                "sustained end to end, articles/s (best worker count)",
                max((v for v in figures.values() if v), default=None),
                200,
                at_least=True,
            )
        ],
    }


def _mean_bulk(a: dict, b: dict) -> dict:
    """The two raw-bulk runs as one ceiling: rates averaged, each run kept beside it."""
    out = {"runs": 2}
    for k in ("bulk_rate", "searchable_rate"):
        xs = [x[k] for x in (a, b) if x.get(k)]
        out[k] = round(sum(xs) / len(xs), 2) if xs else None
        out[k + "_range"] = [min(xs), max(xs)] if xs else None
    return out


def _settled(session: Session) -> bool:
    """Every record on the session's topics consumed and committed by the worker group."""
    from streams.monitor import consumer_lag

    try:
        lag = consumer_lag(session.settings.app_id, session.settings)
    except Exception:  # noqa: BLE001
        return False
    return bool(lag) and sum(lag.values()) == 0


def _assigned(session: Session, k: int) -> bool:
    try:
        a = session.group_assignment()
    except Exception:  # noqa: BLE001
        return False
    raw = session.settings.topics.articles_raw
    return len(a) == k and all(raw in parts for parts in a.values())


def _named_assignment(session: Session) -> dict:
    """Kafka's group description, topics shortened to the stage they feed."""
    stages = session.stage_topics()
    try:
        a = session.group_assignment()
    except Exception as exc:  # noqa: BLE001
        return {"error": str(exc)}
    return {
        member: {stages.get(t, t.split(session.run, 1)[-1].strip(".-") or t): ps for t, ps in parts.items()}
        for member, parts in a.items()
    }


def assignment_from_log(text: str) -> list[str]:
    """The last 'Assigned/Revoked partitions' lines Faust's consumer logged (kept as text)."""
    lines = [ln for ln in text.splitlines() if "partitions" in ln.lower() and ("assign" in ln.lower())]
    return lines[-4:]
