"""Kafka topics as Faust sees them; names come from marsad.settings.Topics."""

from __future__ import annotations

from streams.app import app, settings

t = settings.topics

articles_raw = app.topic(t.articles_raw, key_type=bytes, value_type=bytes)
articles = app.topic(t.articles, key_type=bytes, value_type=bytes)
mentions = app.topic(t.mentions, key_type=bytes, value_type=bytes)
events = app.topic(t.events, key_type=bytes, value_type=bytes)
alerts = app.topic(t.alerts, key_type=bytes, value_type=bytes)
dlq = app.topic(t.dlq, key_type=bytes, value_type=bytes)

# Articles with their entities and mention ids, on their way to the index; keyed by article id.
articles_enriched = app.topic(
    settings.enriched_topic, key_type=bytes, value_type=bytes, internal=True, partitions=settings.partitions
)

# Cleaned articles on their way to dedup, all under one key: a near-copy can share any of an
# article's LSH buckets, so the whole window of signatures must live in one table partition.
articles_for_dedup = app.topic(
    settings.dedup_topic,
    key_type=bytes,
    value_type=bytes,
    internal=True,
    partitions=settings.partitions,
)
