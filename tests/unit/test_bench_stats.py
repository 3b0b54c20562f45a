"""The pure parts of `marsad bench`: percentiles, summaries, ratio rows, goals, lag analysis, JSON shape.
No clocks, no services."""

from __future__ import annotations

import json
import math

import pytest

from marsad.bench import stats


def test_percentile_interpolates_like_numpy():
    xs = [1, 2, 3, 4]
    assert stats.percentile(xs, 0) == 1
    assert stats.percentile(xs, 100) == 4
    assert stats.percentile(xs, 50) == pytest.approx(2.5)
    assert stats.percentile(list(range(1, 101)), 99) == pytest.approx(99.01)
    assert stats.percentile([7.0], 99) == 7.0
    assert math.isnan(stats.percentile([], 50))
    assert stats.percentile([3, 1, 2], 50) == 2  # unsorted input
    with pytest.raises(ValueError):
        stats.percentile([1], 101)


def test_summarize_counts_missing_and_handles_empty():
    s = stats.summarize([0.5, 1.0, 1.5, 2.0], expected=5)
    assert s["count"] == 4 and s["missing"] == 1
    assert s["min"] == 0.5 and s["max"] == 2.0 and s["p50"] == pytest.approx(1.25)
    assert s["mean"] == pytest.approx(1.25)
    empty = stats.summarize([], expected=3)
    assert empty["count"] == 0 and empty["missing"] == 3 and empty["p99"] is None


def test_rate():
    assert stats.rate(100, 4.0) == 25.0
    assert stats.rate(100, 0) is None
    assert stats.rate(100, None) is None


def test_ratio_rows_skip_unknown_and_format():
    figures = {"indexer": 85.0, "bulk": 100.0, "e2e": None, "zero": 0.0}
    rows = stats.ratio_rows(
        figures, [("indexer", "bulk"), ("e2e", "bulk"), ("indexer", "zero"), ("x", "bulk")]
    )
    assert rows == [{"what": "indexer", "value": 85.0, "of": "bulk", "ceiling": 100.0, "ratio": 0.85}]
    assert stats.ratio_lines(rows) == ["indexer = 0.85 × bulk (85.0 vs 100.0 articles/s)"]


def test_goals_are_reported_not_asserted():
    assert stats.goal("p99", 2.5, 3.0, at_least=False)["met"] is True
    assert stats.goal("p99", 3.5, 3.0, at_least=False)["met"] is False
    assert stats.goal("rate", 150, 200, at_least=True) == {
        "goal": "rate",
        "target": "≥ 200",
        "measured": 150,
        "met": False,
    }
    assert stats.goal("rate", None, 200, at_least=True)["met"] is None


def test_lag_bottleneck_names_the_stage_with_the_longest_queue():
    samples = [
        {"t": 0, "lag": {"raw": 10, "art": 0}},
        {"t": 1, "lag": {"raw": 0, "art": 50}},
        {"t": 2, "lag": {"raw": 0, "art": 30}},
    ]
    out = stats.lag_bottleneck(samples, {"raw": "clean", "art": "extract"})
    assert out["slowest"] == "extract"
    assert out["peak"] == {"clean": 10, "extract": 50}
    assert out["mean"]["extract"] == pytest.approx(80 / 3, abs=0.1)
    assert stats.lag_bottleneck([], {"raw": "clean"})["slowest"] is None


def test_table_aligns_columns():
    text = stats.table([["a", 1.5, None], ["bbb", 1234.0, 7]], ["name", "rate", "n"])
    lines = text.splitlines()
    assert lines[0].startswith("name") and set(lines[1].replace(" ", "")) == {"-"}
    assert "1,234.00" in lines[3] and lines[2].endswith("-")
    assert len({len(x) for x in lines[1:2]}) == 1


def _doc():
    return {
        "name": "e2e",
        "run": "benche2e0",
        "started_at": "2026-01-01T00:00:00+00:00",
        "command": "marsad bench e2e",
        "host": {"cores": 2},
        "params": {},
        "results": {"saturation": {"throughput": 10.0}},
        "ratios": stats.ratio_rows({"a": 1.0, "b": 2.0}, [("a", "b")]),
        "goals": [stats.goal("x", 1.0, 2.0, at_least=True)],
    }


def test_result_shape_round_trips_through_json():
    doc = json.loads(json.dumps(_doc(), ensure_ascii=False))
    assert stats.check_result(doc) == []


def test_result_shape_problems_are_named():
    doc = _doc()
    del doc["host"]
    assert stats.check_result(doc) == ["missing key 'host'"]
    doc = _doc()
    doc["ratios"] = [{"what": "a"}]
    doc["goals"] = [{"goal": "g"}]
    problems = stats.check_result(doc)
    assert "ratios[0] has no 'ratio'" in problems and "goals[0] has no 'met'" in problems


def test_e2e_figures_ratios_and_goals_from_results():
    from marsad.bench.e2e import RATIO_PAIRS, figures_of, goals_of

    results = {
        "saturation": {"throughput": 60.0},
        "offered_rate": {"offered_rate": 50.0, "throughput": 48.0, "latency": {"p99": 2.5}},
        "indexer_alone": {"acknowledged_rate": 850.0},
        "es_bulk_ceiling": {"bulk_rate": 1000.0, "searchable_rate": 900.0},
        "kafka_ceiling": {"produce_consume_rate": 3000.0, "produce_rate": 4000.0},
        "nlp": {"articles_per_cpu_s": 120.0},
    }
    figures = figures_of(results)
    rows = {(r["what"], r["of"]): r["ratio"] for r in stats.ratio_rows(figures, RATIO_PAIRS)}
    assert rows[("indexer alone", "raw ES bulk")] == 0.85
    assert rows[("e2e sustained", "NLP extract per core")] == 0.5
    goals = {g["goal"].split(",")[0]: g["met"] for g in goals_of(figures, results)}
    assert goals == {
        "sustained end to end": False,
        "p99 publish->searchable at 50/s": True,
        "indexer / raw bulk": True,
    }


def test_cpu_means_and_log_assignment_lines():
    from marsad.bench.e2e import assignment_from_log, cpu_means

    assert cpu_means([{"cpu": {"w": 1.0}}, {"cpu": {"w": 0.5, "es": 0.2}}]) == {"w": 0.75, "es": 0.2}
    log = "x\n[^--Consumer]: Assigned partitions: a\nother\n"
    assert assignment_from_log(log) == ["[^--Consumer]: Assigned partitions: a"]


def test_bench_commands_skip_cleanly_without_the_corpus(tmp_path):
    from click.testing import CliRunner

    from marsad.cli import main

    for args in (["nlp"], ["e2e"], ["scale"]):
        res = CliRunner().invoke(
            main, ["bench", *args, "--corpus", str(tmp_path / "absent.jsonl.gz"), "--out", str(tmp_path)]
        )
        assert res.exit_code == 0, res.output
        assert res.output.startswith("skipped:")
    assert not list(tmp_path.iterdir())


def test_plots_render_from_a_result_document(tmp_path):
    pytest.importorskip("matplotlib")
    from marsad.bench.plot import plot_e2e, plot_nlp, plot_scale

    samples = [{"t": float(t), "lag": {"raw": 10 - t}, "cpu": {"worker1": 0.5}} for t in range(5)]
    ts = {"samples": samples, "marks": [{"t": 1.0, "label": "saturation"}], "stage_topics": {"raw": "clean"}}
    e2e = {
        "run": "x",
        "started_at": "now",
        "figures": {"e2e sustained": 60.0, "raw ES bulk": 700.0, "none": None},
        "results": {
            "offered_rate": {"offered_rate": 50.0, "latencies": [0.5, 1.0, 2.0]},
            "saturation": {"latencies": [10.0, 20.0]},
        },
        "timeseries": ts,
    }
    scale = {
        "results": {
            "runs": [
                {"workers": 1, "saturation": {"throughput": 60.0}, "timeseries": ts},
                {"workers": 2, "saturation": {"throughput": 70.0}, "timeseries": ts},
            ]
        }
    }
    nlp = {"results": {"per_article": [0.001, 0.002], "articles_per_cpu_s": 300.0, "articles": 2}}
    for fn, doc in ((plot_e2e, e2e), (plot_scale, scale), (plot_nlp, nlp)):
        out = fn(doc, tmp_path / f"{fn.__name__}.png")
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_middle_rate_reads_the_central_share_of_a_phase():
    from marsad.bench.stats import middle_rate

    # 10 slow articles while the pipeline fills, 80 at 100/s, 10 in a late tail.
    times = [i * 1.0 for i in range(10)] + [10 + i / 100 for i in range(80)] + [20 + i for i in range(10)]
    assert middle_rate(times) == 100.0  # the 79 intervals between the 11th and the 90th article
    assert middle_rate([1.0]) is None  # one article has no rate


def test_latency_by_part_follows_publish_order():
    # a pipeline falling behind: each slice of the phase waits longer than the one before
    climbing = [0.1 * i for i in range(100)]
    assert stats.latency_by_part(climbing, parts=4) == [1.2, 3.7, 6.2, 8.7]
    # one that keeps up: the series stays flat however long the phase
    assert stats.latency_by_part([1.0] * 1000) == [1.0] * 10
    # too few articles to cut into parts
    assert stats.latency_by_part([1.0, 2.0], parts=10) == []
