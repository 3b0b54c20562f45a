"""`marsad bench nlp | e2e | scale`: results as var/bench/<name>-<timestamp>.json plus a .png plot."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import click

from marsad.bench import stats


def _git() -> dict:
    import subprocess

    from marsad.settings import REPO_ROOT

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return ""

    dirty = [ln[3:] for ln in git("status", "--porcelain").splitlines() if ln[:2].strip() == "M"]
    return {"commit": git("rev-parse", "HEAD").strip(), "modified": dirty}


def _host() -> dict:
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = None
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem, 1) if mem else None,
        "python": platform.python_version(),
        "loadavg_before": list(os.getloadavg()),
    }


def _out_dir(out: Path | None) -> Path:
    from marsad.settings import get_settings

    d = out or (get_settings().var_dir / "bench")
    d.mkdir(parents=True, exist_ok=True)
    return d


def _finish(doc: dict, out_dir: Path, stamp: str, started: datetime, plot, host: dict | None = None) -> Path:
    doc = {
        "loadavg_after": list(os.getloadavg()),
        "started_at": started.isoformat(timespec="seconds"),
        "command": "marsad " + " ".join(sys.argv[1:])
        if sys.argv[0].endswith("marsad")
        else " ".join(sys.argv),
        "host": host or _host(),
        "git": _git(),
        **doc,
    }
    doc.setdefault("ratios", [])
    doc.setdefault("goals", [])
    problems = stats.check_result(doc)
    if problems:
        click.echo(f"warning: result document: {'; '.join(problems)}", err=True)
    path = out_dir / f"{doc['name']}-{stamp}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    click.echo(f"\nresults: {path}")
    if plot is not None:
        try:
            click.echo(f"plot:    {plot(doc, path.with_suffix('.png'))}")
        except Exception as exc:  # noqa: BLE001 - the numbers matter more than the picture
            click.echo(f"plot failed: {exc}", err=True)
    return path


def _corpus_or_skip(corpus: Path | None) -> Path:
    from marsad.bench.corpus import CorpusMissing, corpus_path

    try:
        return corpus_path(corpus)
    except CorpusMissing as exc:
        click.echo(f"skipped: {exc}")
        raise SystemExit(0) from exc


def _stack_or_fail() -> None:
    import socket

    from marsad.settings import get_settings

    s = get_settings()
    for what, hp in (
        ("Kafka", s.kafka_bootstrap.split(",")[0]),
        ("Elasticsearch", s.es_hosts[0].split("//")[-1]),
    ):
        host, port = hp.rstrip("/").rsplit(":", 1)
        with socket.socket() as sock:
            sock.settimeout(1)
            if sock.connect_ex((host, int(port))) != 0:
                raise click.ClickException(
                    f"{what} is not running on {host}:{port}: start it with `marsad stack up`"
                )


_common = [
    click.option(
        "--corpus",
        type=click.Path(path_type=Path),
        default=None,
        help="JSONL(.gz) corpus (default: MARSAD_BENCH_CORPUS, else the shared ant_multisource.jsonl.gz).",
    ),
    click.option(
        "--out", type=click.Path(path_type=Path), default=None, help="Output folder (default: var/bench)."
    ),
    click.option("--no-plot", is_flag=True, help="Skip the PNG."),
]


def common(f):
    for opt in reversed(_common):
        f = opt(f)
    return f


@click.group("bench")
def bench_group() -> None:
    """Benchmarks: the NLP stage alone, the whole pipeline with its ceilings, 1 vs 2 workers."""


@bench_group.command("nlp")
@click.option("-n", "--articles", "n", default=300, show_default=True, help="Articles to extract.")
@click.option("--skip", default=0, show_default=True, help="Start after this many usable corpus articles.")
@common
def bench_nlp(n: int, skip: int, corpus: Path | None, out: Path | None, no_plot: bool) -> None:
    """marsad.nlp.extract.extract alone on N corpus articles: articles/s per core."""
    from marsad.bench.corpus import load_articles
    from marsad.bench.nlp import bench_extract, cleaned_dicts
    from marsad.bench.plot import plot_nlp

    path = _corpus_or_skip(corpus)
    started, stamp, host = datetime.now(UTC), time.strftime("%Y%m%d-%H%M%S"), _host()
    docs = cleaned_dicts(load_articles(n + 5, path=path, skip=skip))
    r = bench_extract(docs[5:], warmup=5) if len(docs) > 5 else bench_extract(docs, warmup=0)
    click.echo(
        stats.table(
            [
                ["articles", r["articles"]],
                ["articles/s per core (CPU time)", r["articles_per_cpu_s"]],
                ["articles/s (wall)", r["articles_per_s"]],
                ["k chars/s per core", r["kchars_per_cpu_s"]],
                ["p50 s/article", r["per_article_seconds"]["p50"]],
                ["p99 s/article", r["per_article_seconds"]["p99"]],
            ],
            ["NLP stage (extract)", "value"],
        )
    )
    doc = {
        "name": "nlp",
        "run": f"nlp-{stamp}",
        "params": {"articles": n, "skip": skip, "corpus": str(path)},
        "results": r,
        "figures": {"NLP extract per core": r["articles_per_cpu_s"]},
        "goals": [],
        "ratios": [],
    }
    _finish(doc, _out_dir(out), stamp, started, None if no_plot else plot_nlp, host)


def print_e2e(doc: dict) -> None:
    r = doc["results"]
    rows = []
    for key, label in (
        ("offered_rate", f"{doc['params']['offered_rate']:g}/s offered"),
        ("saturation", "saturation"),
    ):
        p = r.get(key)
        if not p:
            continue
        lat = p["latency"]
        rows.append(
            [
                label,
                p["articles"],
                p["searchable"],
                p["publish_rate"],
                p["throughput"],
                lat["p50"],
                lat["p99"],
                lat["max"],
            ]
        )
    click.echo(
        stats.table(
            rows, ["phase", "published", "searchable", "publish/s", "e2e art/s", "p50 s", "p99 s", "max s"]
        )
    )
    for key in ("offered_rate", "saturation"):
        tenths = (r.get(key) or {}).get("latency_by_tenth")
        if tenths:
            click.echo(f"{key.replace('_', ' ')}: median latency by tenth of its articles, in publish order "
                       "(s): " + " ".join(f"{x:g}" for x in tenths))
    click.echo("")
    click.echo(stats.table([[k, v] for k, v in doc["figures"].items()], ["figure", "articles/s"]))
    click.echo("")
    for line in stats.ratio_lines(doc["ratios"]):
        click.echo(line)
    bulk = r.get("es_bulk_ceiling") or {}
    if bulk.get("bulk_rate_range"):
        lo, hi = bulk["bulk_rate_range"]
        click.echo(
            f"raw ES bulk before / after the indexer phase: {lo:,.0f} .. {hi:,.0f} articles/s (mean used)"
        )
    sc = r.get("stage_costs")
    if sc:
        ms = sc["cpu_ms_per_article"]
        worker_ms = (r.get("saturation") or {}).get("worker_cpu_ms_per_article")
        click.echo(
            "CPU ms per article, pure step code in one process: "
            + ", ".join(f"{k} {v:.2f}" for k, v in ms.items())
            + (f"; the worker spent {worker_ms:.2f} ms per article at saturation" if worker_ms else "")
        )
    fc = r.get("faust_ceiling")
    if fc:
        click.echo(
            f"Faust machinery ceiling (our topology, steps emptied, {fc['mentions_per_article']:.2f} mentions "
            f"per article): {fc['throughput']} articles/s, worker {fc['worker_cpu_ms_per_article']} ms CPU per article"
        )
    for w in ("offered_rate_window", "saturation_window"):
        if r.get(w):
            lag = r[w]["lag"]
            click.echo(
                f"{w.replace('_', ' ')}: mean lag per stage {lag['mean']} (slowest: {lag['slowest']}); "
                f"CPU cores {r[w]['cpu_cores_mean']}"
            )
    click.echo("goals (reported, not asserted):")
    for g in doc["goals"]:
        met = {True: "met", False: "NOT met", None: "not measured"}[g["met"]]
        click.echo(f"  {g['goal']}: {g['target']}, measured {g['measured']} -> {met}")
    from marsad.bench.session import uptime_note

    note = uptime_note(r.get("stack_uptime_s") or {})
    if note:
        click.echo(note)


@bench_group.command("e2e")
@click.option("--n-rate", default=1500, show_default=True, help="Articles published at the offered rate.")
@click.option("--rate", "offered", default=50.0, show_default=True, help="Offered rate, articles/s.")
@click.option("--n-sat", default=3000, show_default=True, help="Articles published as fast as possible.")
@click.option(
    "--warmup", default=30, show_default=True, help="Articles through the pipeline before measuring."
)
@click.option(
    "--nlp-sample", default=100, show_default=True, help="Articles for the in-run NLP figure (0: skip)."
)
@click.option(
    "--machinery/--no-machinery", default=True, show_default=True,
    help="Also measure the Faust machinery ceiling (our topology with empty steps).",
)
@click.option(
    "--mixed", is_flag=True,
    help="Deal the outlets' articles in turn instead of corpus order (which is outlet by outlet).",
)
@common
def bench_e2e(
    n_rate: int,
    offered: float,
    n_sat: int,
    warmup: int,
    nlp_sample: int,
    machinery: bool,
    mixed: bool,
    corpus: Path | None,
    out: Path | None,
    no_plot: bool,
) -> None:
    """Corpus -> Publisher -> Kafka -> a Faust worker -> Elasticsearch, with Kafka and bulk ceilings."""
    from marsad.bench.e2e import run_e2e
    from marsad.bench.plot import plot_e2e

    path = _corpus_or_skip(corpus)
    _stack_or_fail()
    started, stamp, host = datetime.now(UTC), time.strftime("%Y%m%d-%H%M%S"), _host()
    out_dir = _out_dir(out)
    doc = run_e2e(
        n_rate=n_rate,
        offered=offered,
        n_sat=n_sat,
        warmup=warmup,
        nlp_sample=nlp_sample,
        machinery=machinery,
        corpus=path,
        mixed=mixed,
        log_dir=out_dir / f"e2e-{stamp}-logs",
        log=lambda m: click.echo(m, err=True),
    )
    click.echo("")
    print_e2e(doc)
    _finish(doc, out_dir, stamp, started, None if no_plot else plot_e2e, host)


@bench_group.command("scale")
@click.option(
    "-n", "--articles", "n", default=2000, show_default=True, help="Articles published as fast as possible."
)
@click.option(
    "--workers", default="1,2", show_default=True, help="Worker counts to compare, comma separated."
)
@click.option("--warmup", default=30, show_default=True)
@common
def bench_scale(
    n: int, workers: str, warmup: int, corpus: Path | None, out: Path | None, no_plot: bool
) -> None:
    """The same articles through 1 and 2 workers (same app id, a web port each) on 6 partitions."""
    from marsad.bench.e2e import run_scale
    from marsad.bench.plot import plot_scale

    path = _corpus_or_skip(corpus)
    _stack_or_fail()
    started, stamp, host = datetime.now(UTC), time.strftime("%Y%m%d-%H%M%S"), _host()
    out_dir = _out_dir(out)
    counts = tuple(int(x) for x in workers.split(",") if x.strip())
    doc = run_scale(
        n=n,
        workers=counts,
        warmup=warmup,
        corpus=path,
        log_dir=out_dir / f"scale-{stamp}-logs",
        log=lambda m: click.echo(m, err=True),
    )
    rows = []
    for r in doc["results"]["runs"]:
        p = r.get("saturation") or {}
        lat = p.get("latency") or {}
        rows.append(
            [
                r["workers"],
                p.get("searchable"),
                p.get("throughput"),
                lat.get("p50"),
                lat.get("p99"),
                r["lag"]["slowest"],
                json.dumps(r["cpu_cores_mean"]),
            ]
        )
    click.echo("")
    click.echo(
        stats.table(
            rows,
            ["workers", "searchable", "e2e art/s", "p50 s", "p99 s", "slowest stage", "CPU cores (mean)"],
        )
    )
    for line in stats.ratio_lines(doc["ratios"]):
        click.echo(line)
    for r in doc["results"]["runs"]:
        click.echo(f"{r['workers']} worker(s): partitions per member (Kafka group description):")
        stages = ("clean", "dedup", "extract", "index", "merge")
        for member, parts in (r.get("assignment") or {}).items():
            click.echo(f"  {member}: " + ", ".join(f"{k} {parts[k]}" for k in stages if k in parts))
        sizes = r.get("records_per_partition") or {}
        if sizes.get("dedup"):
            click.echo(f"  records per partition of dedup's input: {sizes['dedup']}")
    _finish(doc, out_dir, stamp, started, None if no_plot else plot_scale, host)
