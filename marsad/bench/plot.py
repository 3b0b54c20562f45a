"""PNG plots of benchmark results (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _bars(ax, figures: dict, title: str) -> None:
    names = [k for k, v in figures.items() if v]
    vals = [figures[k] for k in names]
    colors = [
        "tab:gray" if k.startswith("raw") else ("tab:green" if "NLP" in k else "tab:blue") for k in names
    ]
    ax.barh(names, vals, color=colors)
    for i, v in enumerate(vals):
        ax.text(v, i, f" {v:,.0f}", va="center", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("articles/s (log scale); grey = ceilings")
    ax.set_title(title, fontsize=10)
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=8)


def _cdf(ax, phases: dict[str, list[float]], goal: float | None) -> None:
    for label, xs in phases.items():
        if not xs:
            continue
        xs = sorted(xs)
        ys = [(i + 1) / len(xs) for i in range(len(xs))]
        ax.plot(xs, ys, label=f"{label} (n={len(xs)})")
    if goal:
        ax.axvline(goal, color="red", ls="--", lw=1, label=f"goal p99 ≤ {goal:g} s")
    ax.axhline(0.99, color="gray", ls=":", lw=0.8)
    ax.axhline(0.5, color="gray", ls=":", lw=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("publish → searchable, seconds (log)")
    ax.set_ylabel("share of articles")
    ax.set_title("latency distribution", fontsize=10)
    ax.legend(fontsize=7)


def _series(ax, ts: dict, key: str, title: str, ylabel: str, names: dict | None = None) -> None:
    samples = ts.get("samples") or []
    t = [s["t"] for s in samples]
    keys: list[str] = []
    for s in samples:
        for k in s.get(key) or {}:
            if k not in keys:
                keys.append(k)
    for k in keys:
        ax.plot(t, [(s.get(key) or {}).get(k, 0) for s in samples], label=(names or {}).get(k, k), lw=1)
    for m in ts.get("marks") or []:
        ax.axvline(m["t"], color="gray", ls=":", lw=0.8)
        ax.text(m["t"], ax.get_ylim()[1], m["label"], rotation=90, va="top", fontsize=6, color="gray")
    ax.set_xlabel("seconds since sampling started (dotted: phase starts)")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper right")


def plot_e2e(doc: dict, path: Path) -> Path:
    plt = _plt()
    r = doc["results"]
    fig, axes = plt.subplots(2, 2, figsize=(14, 9))
    _bars(axes[0][0], doc.get("figures") or {}, "throughput and ceilings (same articles, same run)")
    _cdf(
        axes[0][1],
        {
            f"{(r.get('offered_rate') or {}).get('offered_rate', 0):g}/s offered": (
                r.get("offered_rate") or {}
            ).get("latencies"),
            "saturation": (r.get("saturation") or {}).get("latencies"),
        },
        3.0,
    )
    ts = doc.get("timeseries") or {}
    stages = ts.get("stage_topics") or {}
    _series(
        axes[1][0],
        ts,
        "lag",
        "consumer lag in front of each stage",
        "records waiting",
        {
            t: f"{st} ({t.rsplit('.', 1)[-1] if t.count('.') else t.split('-', 1)[-1]})"
            for t, st in stages.items()
        },
    )
    _series(axes[1][1], ts, "cpu", "CPU per process", "cores in use")
    fig.suptitle(f"marsad bench e2e {doc.get('run', '')} ({doc.get('started_at', '')})", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_scale(doc: dict, path: Path) -> Path:
    plt = _plt()
    runs = doc["results"]["runs"]
    fig, axes = plt.subplots(1, 1 + len(runs), figsize=(5 + 5 * len(runs), 4.5))
    ax = axes[0]
    labels = [f"{r['workers']} worker(s)" for r in runs]
    vals = [(r.get("saturation") or {}).get("throughput") or 0 for r in runs]
    ax.bar(labels, vals, color="tab:blue")
    for i, v in enumerate(vals):
        ax.text(i, v, f"{v:,.1f}", ha="center", va="bottom")
    ax.set_ylabel("articles/s, publish → searchable")
    ax.set_title("sustained throughput", fontsize=10)
    for ax, r in zip(axes[1:], runs, strict=True):
        _series(ax, r.get("timeseries") or {}, "cpu", f"CPU, {r['workers']} worker(s)", "cores in use")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_nlp(doc: dict, path: Path) -> Path:
    plt = _plt()
    r = doc["results"]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.hist(r.get("per_article") or [], bins=50, color="tab:green")
    ax.set_xlabel("seconds per article (extract)")
    ax.set_ylabel("articles")
    ax.set_title(
        f"extract: {r.get('articles_per_cpu_s')} articles/s per core over {r.get('articles')} articles",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
