"""Publishing to Kafka with kafka-python: key = article id, acks=all, idempotent, compressed."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from kafka import KafkaProducer
from kafka.errors import KafkaError

from marsad.records import Article, DeadLetter
from marsad.settings import Settings, get_settings

log = logging.getLogger("marsad.agents")

# Kafka's default message.max.bytes is about 1 MB; stay under it with room for headers.
MAX_MESSAGE_BYTES = 1_000_000
# How much of an oversized original a dead letter keeps.
DLQ_ORIGINAL_CAP = 256 * 1024


def producer_config(settings: Settings) -> dict:
    from marsad.kafka_config import kafka_python_config

    return {
        **kafka_python_config(settings),
        "acks": "all",
        "enable_idempotence": True,
        "compression_type": "gzip",
        "linger_ms": 20,
        "max_request_size": MAX_MESSAGE_BYTES + 48_000,
        "retries": 2_147_483_647,
        "delivery_timeout_ms": 120_000,
        "client_id": "marsad-agent",
    }


class Publisher:
    def __init__(self, settings: Settings | None = None, producer: KafkaProducer | None = None) -> None:
        self.s = settings or get_settings()
        self.producer = producer or KafkaProducer(**producer_config(self.s))
        self.sent = 0
        self.dead = 0

    def publish(self, articles: Sequence[Article]) -> list[tuple[Article, str]]:
        """Send and wait for the broker's acknowledgement; returns (article, reason) for those not published."""
        futures = []
        failed: list[tuple[Article, str]] = []
        for a in articles:
            value = a.to_json()
            if len(value) > MAX_MESSAGE_BYTES:
                reason = f"article too large for Kafka: {len(value):,} bytes (limit {MAX_MESSAGE_BYTES:,})"
                self.dead_letter("publish", reason, value, key=a.id, source=a.feed or a.source)
                failed.append((a, reason))
                continue
            ts = None
            futures.append((a, self.producer.send(self.s.topics.articles_raw, key=a.id.encode(), value=value, timestamp_ms=ts)))
        self.producer.flush()
        for a, fut in futures:
            try:
                fut.get(timeout=30)
                self.sent += 1
            except KafkaError as exc:
                failed.append((a, f"kafka did not acknowledge: {exc}"))
        return failed

    def dead_letter(self, stage: str, reason: str, original: bytes | str | None, **where) -> None:
        raw = original.encode("utf-8") if isinstance(original, str) else (original or b"")
        if len(raw) > DLQ_ORIGINAL_CAP:
            reason = f"{reason} [original truncated to {DLQ_ORIGINAL_CAP:,} of {len(raw):,} bytes]"
            raw = raw[:DLQ_ORIGINAL_CAP]
        letter = DeadLetter.of(stage, reason, raw, **where)
        key = (where.get("key") or where.get("source") or stage).encode("utf-8")
        log.warning("dead letter: stage=%s source=%s key=%s: %s", stage, where.get("source"), where.get("key"), reason)
        self.producer.send(self.s.topics.dlq, key=key, value=letter.to_json())
        self.dead += 1

    def close(self) -> None:
        try:
            self.producer.flush(timeout=30)
        finally:
            self.producer.close(timeout=30)
