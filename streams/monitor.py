"""Read-only looks at the running system: topic sizes, consumer lag, index counts."""

from __future__ import annotations

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

from marsad.kafka_config import kafka_python_config
from marsad.settings import Settings, get_settings
from streams.index.client import es_client


def topic_sizes(topics: list[str], settings: Settings | None = None) -> dict[str, int]:
    """Records ever written to each topic (sum of end offsets minus beginnings)."""
    s = settings or get_settings()
    consumer = KafkaConsumer(**kafka_python_config(s), request_timeout_ms=15000)
    try:
        out: dict[str, int] = {}
        for t in topics:
            parts = consumer.partitions_for_topic(t) or set()
            tps = [TopicPartition(t, p) for p in parts]
            if not tps:
                out[t] = 0
                continue
            end = consumer.end_offsets(tps)
            begin = consumer.beginning_offsets(tps)
            out[t] = sum(end[tp] - begin[tp] for tp in tps)
        return out
    finally:
        consumer.close()


def consumer_lag(group: str, settings: Settings | None = None) -> dict[str, int]:
    """Per topic, how many records the group has not committed yet."""
    s = settings or get_settings()
    admin = KafkaAdminClient(**kafka_python_config(s), request_timeout_ms=15000)
    consumer = KafkaConsumer(**kafka_python_config(s), request_timeout_ms=15000)
    try:
        committed = admin.list_group_offsets({group: None}).get(group, {})
        end = consumer.end_offsets(list(committed)) if committed else {}
        lag: dict[str, int] = {}
        for tp, meta in committed.items():
            lag[tp.topic] = lag.get(tp.topic, 0) + max(0, end.get(tp, 0) - meta.offset)
        return lag
    finally:
        consumer.close()
        admin.close()


def index_count(index: str, settings: Settings | None = None) -> int:
    es = es_client(settings)
    try:
        es.indices.refresh(index=index)
        return int(es.count(index=index)["count"])
    finally:
        es.close()
