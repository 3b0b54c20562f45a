"""Prometheus metrics of the worker, served with Faust's own at /metrics on the worker's web port."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

ARTICLES = Counter("marsad_articles_total", "Articles through a stage, by outcome", ["stage", "outcome"])
DEAD_LETTERS = Counter("marsad_dead_letters_total", "Records sent to the dead-letter topic", ["stage"])
WRITTEN = Counter("marsad_sink_written_total", "Documents a sink wrote", ["sink"])
REFUSED = Counter("marsad_sink_refused_total", "Documents a sink refused for good", ["sink"])
UNAVAILABLE = Gauge("marsad_sink_unavailable", "1 while a sink's destination is unreachable", ["sink"])
BATCH_SECONDS = Histogram("marsad_sink_batch_seconds", "Time to write one batch, retries included", ["sink"],
                          buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300))
EVENTS = Counter("marsad_events_total", "Event updates emitted by the merge step", ["type"])
