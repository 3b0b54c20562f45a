"""Pure helpers for the benchmarks: percentiles, latency summaries, ratio tables, goal checks and
the result document's shape. No I/O, no clocks: unit-tested in tests/unit/test_bench_stats.py."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

RESULT_KEYS = ("name", "run", "started_at", "command", "host", "params", "results", "ratios", "goals")


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation between closest ranks (numpy's default).

    NaN for no values; q outside 0..100 is an error."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0..100")
    xs = sorted(float(v) for v in values)
    if not xs:
        return math.nan
    if len(xs) == 1:
        return xs[0]
    pos = (len(xs) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def summarize(latencies: Sequence[float], *, expected: int | None = None) -> dict[str, Any]:
    """count, missing (expected but never seen), min/p50/p90/p99/max/mean of latencies in seconds."""
    n = len(latencies)
    out: dict[str, Any] = {"count": n}
    if expected is not None:
        out["missing"] = max(0, expected - n)
    if not n:
        out.update({k: None for k in ("min", "p50", "p90", "p99", "max", "mean")})
        return out
    out.update(
        {
            "min": round(min(latencies), 4),
            "p50": round(percentile(latencies, 50), 4),
            "p90": round(percentile(latencies, 90), 4),
            "p99": round(percentile(latencies, 99), 4),
            "max": round(max(latencies), 4),
            "mean": round(sum(latencies) / n, 4),
        }
    )
    return out


def latency_by_part(latencies: Sequence[float], parts: int = 10) -> list[float]:
    """Median latency of each of `parts` consecutive slices of a phase's articles, in publish order.

    At an offered rate, first-publish-to-last-searchable throughput is below the offered rate
    whenever the last article waits longer than the first, even when the pipeline keeps up; whether
    it keeps up shows here: a flat or swinging series does, one that climbs to the end does not."""
    n = len(latencies)
    if n < parts:
        return []
    bounds = [round(k * n / parts) for k in range(parts + 1)]
    return [round(percentile(latencies[a:b], 50), 2) for a, b in zip(bounds, bounds[1:], strict=False)]


def rate(count: int, seconds: float | None) -> float | None:
    """count / seconds, or None when there is no positive duration."""
    if not seconds or seconds <= 0:
        return None
    return round(count / seconds, 2)


def middle_rate(times: Sequence[float], share: float = 0.8) -> float | None:
    """Articles per second over the middle `share` of a phase: between the times the first and the
    last of the central `share` of articles became searchable. Leaves out the start (the pipeline
    filling while the burst is published) and the end (the last refresh), so it reads the rate the
    pipeline keeps up once it runs, beside the whole phase's first-publish-to-last-searchable rate."""
    n = len(times)
    edge = round(n * (1 - share) / 2)
    if n - 2 * edge < 2:
        return None
    ordered = sorted(times)
    first, last = ordered[edge], ordered[n - edge - 1]
    return rate(n - 2 * edge - 1, last - first)


def ratio_rows(figures: dict[str, float | None], pairs: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """For each (figure, ceiling) pair whose both values are known: {what, value, of, ceiling, ratio}."""
    rows = []
    for what, of in pairs:
        v, c = figures.get(what), figures.get(of)
        if v is None or c is None or c <= 0:
            continue
        rows.append({"what": what, "value": v, "of": of, "ceiling": c, "ratio": round(v / c, 3)})
    return rows


def ratio_lines(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Rows as `e2e sustained = 0.12 × raw ES bulk (41.0 vs 340.0 articles/s)`."""
    return [
        f"{r['what']} = {r['ratio']:.2f} × {r['of']} ({r['value']:,.1f} vs {r['ceiling']:,.1f} articles/s)"
        for r in rows
    ]


def goal(name: str, measured: float | None, target: float, *, at_least: bool) -> dict[str, Any]:
    """A goal and whether the measurement meets it (None: not measured). Reported, not asserted."""
    met = None if measured is None else (measured >= target if at_least else measured <= target)
    return {
        "goal": name,
        "target": ("≥ " if at_least else "≤ ") + f"{target:g}",
        "measured": measured,
        "met": met,
    }


def table(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    """A plain text table, columns padded to their widest cell, numbers right-aligned."""

    def cell(v: Any) -> str:
        if v is None:
            return "-"
        if isinstance(v, float):
            return f"{v:,.2f}" if abs(v) >= 1 or v == 0 else f"{v:.3g}"
        return str(v)

    cells = [[cell(v) for v in header]] + [[cell(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    numeric = [
        all(isinstance(r[i], int | float) or r[i] is None for r in rows) and rows for i in range(len(header))
    ]
    lines = []
    for j, r in enumerate(cells):
        parts = [
            c.rjust(w) if numeric[i] and j else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def check_result(doc: dict[str, Any]) -> list[str]:
    """Problems with a result document's shape (empty list when it is well formed)."""
    problems = [f"missing key {k!r}" for k in RESULT_KEYS if k not in doc]
    if problems:
        return problems
    if not isinstance(doc["results"], dict):
        problems.append("results is not an object")
    for i, r in enumerate(doc["ratios"]):
        for k in ("what", "value", "of", "ceiling", "ratio"):
            if k not in r:
                problems.append(f"ratios[{i}] has no {k!r}")
    for i, g in enumerate(doc["goals"]):
        for k in ("goal", "target", "measured", "met"):
            if k not in g:
                problems.append(f"goals[{i}] has no {k!r}")
    return problems


def lag_bottleneck(samples: Sequence[dict[str, Any]], stages: dict[str, str]) -> dict[str, Any]:
    """Which stage's input queue held the most records, from lag samples {"t", "lag": {topic: n}}.

    `stages` maps input topic -> stage name. Returns the peak and the time-averaged lag per stage and
    the stage with the largest average: records pile up in front of the slowest stage."""
    peak: dict[str, int] = {s: 0 for s in stages.values()}
    total: dict[str, float] = {s: 0.0 for s in stages.values()}
    for smp in samples:
        for topic, stage in stages.items():
            n = int((smp.get("lag") or {}).get(topic, 0))
            peak[stage] = max(peak[stage], n)
            total[stage] += n
    k = max(1, len(samples))
    mean = {s: round(v / k, 1) for s, v in total.items()}
    worst = max(mean, key=lambda s: mean[s]) if any(mean.values()) else None
    return {"peak": peak, "mean": mean, "slowest": worst}
