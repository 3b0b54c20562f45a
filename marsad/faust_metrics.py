"""Faust's own figures on the worker's /metrics page, read from Faust's Monitor when it is scraped.

Every Faust app has a Monitor sensor that counts messages, events, sends and table operations in
plain dicts. `faust.sensors.prometheus` replaces it with a subclass that also updates
prometheus_client metrics on each of those calls: a label lookup and a lock per message, per event,
per send and per table operation. At saturation that was about a tenth of the worker's main
process (py-spy, `marsad bench e2e`). Here the hot path keeps only the Monitor's plain counts, and
`MonitorCollector` turns them into metric families when Prometheus asks, a few times a minute.

Served beside Marsad's own metrics (streams/metrics.py), on the default registry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from statistics import fmean

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric


def _counter(name: str, doc: str, label: str, counts: dict) -> CounterMetricFamily:
    family = CounterMetricFamily(name, doc, labels=[label])
    for value, n in sorted(counts.items()):
        family.add_metric([str(value)], n)
    return family


def _per_partition(name: str, doc: str, offsets: dict) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=["topic", "partition"])
    for tp, offset in sorted(offsets.items()):
        family.add_metric([tp.topic, str(tp.partition)], offset)
    return family


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return fmean(values) if values else 0.0


class MonitorCollector:
    """The figures of `app.monitor` (a faust.Sensors Monitor) as Prometheus metric families."""

    def __init__(self, app=None) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        if self.app is None:
            return
        m = self.app.monitor
        yield _counter("faust_messages_received", "Records the consumer handed to streams", "topic",
                       m.messages_received_by_topic)
        yield _counter("faust_messages_sent", "Records the worker produced (changelogs included)", "topic",
                       m.messages_sent_by_topic)
        yield _counter("faust_stream_events", "Events processed", "stream", m.events_by_stream)
        ops = CounterMetricFamily("faust_table_operations", "Table reads, writes and deletes",
                                  labels=["table", "operation"])
        for name, state in sorted(m.tables.items()):
            ops.add_metric([name, "get"], state.keys_retrieved)
            ops.add_metric([name, "set"], state.keys_updated)
            ops.add_metric([name, "del"], state.keys_deleted)
        yield ops
        for kind, name, doc, value in (
            (CounterMetricFamily, "faust_send_errors", "Records the producer failed to send", m.send_errors),
            (CounterMetricFamily, "faust_assignments_completed", "Partition assignments completed",
             m.assignments_completed),
            (CounterMetricFamily, "faust_assignments_failed", "Partition assignments failed",
             m.assignments_failed),
            (GaugeMetricFamily, "faust_rebalances", "Rebalances since the worker started", m.rebalances),
            (GaugeMetricFamily, "faust_messages_active", "Records received, not yet acknowledged",
             m.messages_active),
            (GaugeMetricFamily, "faust_messages_per_second", "Records received per second (Faust's sampler)",
             m.messages_s),
            (GaugeMetricFamily, "faust_events_per_second", "Events processed per second (Faust's sampler)",
             m.events_s),
            (GaugeMetricFamily, "faust_event_runtime_seconds",
             "Mean time an event spent in its stream, over the last events", _mean(m.events_runtime)),
            (GaugeMetricFamily, "faust_send_latency_seconds",
             "Mean time from send to broker acknowledgement, over the last sends", _mean(m.send_latency)),
            (GaugeMetricFamily, "faust_commit_latency_seconds",
             "Mean time an offset commit took, over the last commits", _mean(m.commit_latency)),
        ):
            yield kind(name, doc, value=value)
        yield _per_partition("faust_read_offset", "Last offset read", m.tp_read_offsets)
        yield _per_partition("faust_committed_offset", "Last offset committed", m.tp_committed_offsets)
        yield _per_partition("faust_end_offset", "Partition end offset (high watermark) at the last fetch",
                             m.tp_end_offsets)
        lag = {tp: max(0, end - m.tp_committed_offsets[tp])
               for tp, end in m.tp_end_offsets.items() if tp in m.tp_committed_offsets}
        yield _per_partition("faust_consumer_lag", "End offset minus committed offset", lag)


_COLLECTOR = MonitorCollector()


def serve_metrics(app, pattern: str = "/metrics") -> None:
    """Serve the default registry (Marsad's metrics and `app`'s Monitor) at `pattern` on the
    worker's web port. The collector is registered once per process and follows the latest app."""
    if _COLLECTOR.app is None:
        REGISTRY.register(_COLLECTOR)
    _COLLECTOR.app = app

    @app.page(pattern)
    async def metrics(self, request):  # noqa: ARG001 - Faust's view signature
        # In the headers: aiohttp refuses a content_type argument that carries a charset.
        return self.bytes(generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST})
