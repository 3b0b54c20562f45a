"""Ceilings measured on the same articles in the same run: what Kafka (kafka-python producer and
consumer, no processing) and Elasticsearch (helpers.bulk into a fresh index with the same template)
do on their own, and the Faust indexer stage alone (pre-made enriched records -> Elasticsearch)."""

from __future__ import annotations

import json
import time

from marsad.bench.stats import rate


def kafka_ceiling(settings, records: list[tuple[bytes, bytes]], topic: str, timeout: float = 300.0) -> dict:
    """Produce `records` (key, value) as fast as possible with the agents' producer configuration
    (acks=all, idempotent, gzip) to a fresh topic with the session's partition count; then read them
    all back with a plain kafka-python consumer. The two are timed apart (run together in this one
    Python process they would share its GIL); as separate processes on separate cores the pair moves
    min(produce, consume) records per second, which is the produce+consume ceiling reported."""
    from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.admin import NewTopic

    from agents.publisher import producer_config

    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=15000)
    admin.create_topics([NewTopic(topic, settings.partitions, 1)])
    admin.close()
    producer = KafkaProducer(**{**producer_config(settings), "client_id": "marsad-bench"})
    t0 = time.time()
    for k, v in records:
        producer.send(topic, key=k, value=v)
    producer.flush()
    produce_s = time.time() - t0
    producer.close()
    consumer = KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    tps = [TopicPartition(topic, p) for p in range(settings.partitions)]
    consumer.assign(tps)
    consumer.seek_to_beginning(*tps)
    n, got = len(records), 0
    t1 = time.time()
    deadline = time.monotonic() + timeout
    while got < n and time.monotonic() < deadline:
        for batch in consumer.poll(timeout_ms=200).values():
            got += len(batch)
    consume_s = time.time() - t1
    consumer.close()
    nbytes = sum(len(v) for _, v in records)
    p, c = rate(n, produce_s), rate(got, consume_s)
    return {
        "records": n,
        "consumed": got,
        "megabytes": round(nbytes / 1e6, 2),
        "produce_seconds": round(produce_s, 3),
        "consume_seconds": round(consume_s, 3),
        "produce_rate": p,
        "consume_rate": c,
        "produce_consume_rate": min(p, c) if p and c else None,
        "sequential_rate": rate(got, produce_s + consume_s),
    }


def wait_count(es, index: str, n: int, timeout: float, poll: float = 0.05) -> float | None:
    """Time at which a refresh-free `_count` first reports at least n documents (None on timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if int(es.count(index=index)["count"]) >= n:
            return time.time()
        time.sleep(poll)
    return None


def es_bulk_ceiling(
    es, docs: list[tuple[str, dict]], index: str, *, chunk_size: int = 500, timeout: float = 300.0
) -> dict:
    """elasticsearch.helpers.bulk of (id, doc) into a fresh `index` (created first, so the matching
    index template gives it the same mapping and analysis as the articles index). Rates: bulk
    (first request -> last response) and searchable (first request -> a refresh-free count sees all)."""
    from elasticsearch import helpers

    es.indices.create(index=index)
    es.cluster.health(index=index, wait_for_status="yellow", timeout="30s")
    actions = ({"_index": index, "_id": i, "_source": d} for i, d in docs)
    t0 = time.time()
    ok, errors = helpers.bulk(
        es,
        actions,
        chunk_size=chunk_size,
        refresh=False,
        raise_on_error=False,
        max_retries=3,
        request_timeout=120,
    )
    t_bulk = time.time()
    t_vis = wait_count(es, index, ok, timeout)
    return {
        "documents": len(docs),
        "indexed": ok,
        "errors": len(errors) if isinstance(errors, list) else errors,
        "chunk_size": chunk_size,
        "bulk_seconds": round(t_bulk - t0, 3),
        "searchable_seconds": round(t_vis - t0, 3) if t_vis else None,
        "bulk_rate": rate(ok, t_bulk - t0),
        "searchable_rate": rate(ok, t_vis - t0) if t_vis else None,
    }


def read_topic(settings, topic: str, timeout: float = 60.0) -> list[tuple[bytes | None, bytes]]:
    """Every record of a topic from the beginning up to its current end (no consumer group)."""
    from kafka import KafkaConsumer, TopicPartition

    c = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, enable_auto_commit=False)
    try:
        tps = [TopicPartition(topic, p) for p in (c.partitions_for_topic(topic) or [])]
        c.assign(tps)
        c.seek_to_beginning(*tps)
        end = c.end_offsets(tps)
        out: list[tuple[bytes | None, bytes]] = []
        deadline = time.monotonic() + timeout
        while any(c.position(tp) < end[tp] for tp in tps) and time.monotonic() < deadline:
            for batch in c.poll(timeout_ms=500).values():
                out += [(m.key, m.value) for m in batch]
        return out
    finally:
        c.close()


def renamed(records: list[tuple[bytes | None, bytes]], suffix: str) -> list[tuple[str, dict]]:
    """(new id, document) for enriched article records; the suffixed id makes each copy a new document."""
    out = []
    for _, v in records:
        d = json.loads(v)
        d["id"] = f"{d['id']}{suffix}"
        out.append((d["id"], d))
    return out


def as_indexed(doc: dict) -> dict:
    """An enriched record as the indexer writes it: without the normalized copies, with indexed_at."""
    from marsad.records import NORMALIZED_FIELDS, isoformat, utcnow

    d = {k: v for k, v in doc.items() if k not in NORMALIZED_FIELDS}
    d["indexed_at"] = isoformat(utcnow())
    return d


def produce_enriched(session, docs: list[tuple[str, dict]]) -> float:
    """Put ready-made enriched records on the indexer's input topic; returns the seconds it took.
    Uncompressed, as the worker's own producer (aiokafka, Faust's defaults) writes that topic; the
    records are encoded before the clock starts."""
    from kafka import KafkaProducer

    s = session.settings
    payload = [(i.encode(), json.dumps(d, ensure_ascii=False).encode()) for i, d in docs]
    producer = KafkaProducer(
        bootstrap_servers=s.kafka_bootstrap,
        acks=1,
        linger_ms=20,
        batch_size=256 * 1024,
        max_request_size=4_000_000,
    )
    t0 = time.time()
    for k, v in payload:
        producer.send(s.enriched_topic, key=k, value=v)
    producer.flush()
    took = time.time() - t0
    producer.close()
    return took


def indexer_alone(session, docs: list[tuple[str, dict]], timeout: float = 300.0) -> dict:
    """The Faust indexer stage on its own, on a ready backlog, as the raw bulk has its documents ready:
    the pipeline is idle, the worker is stopped (its offsets committed), the enriched records (what
    extraction emits, ids renamed so they are new documents) are queued on the indexer's input
    topic, and a fresh worker of the same group is started: the backlog is then its only work.
    Timed from the first to the last document it reports written (`marsad_sink_written_total` on its
    /metrics: bulk responses, free of the refresh interval); the first batch is not counted, as its
    start time is unknown.

    (Until the rebalance fix in marsad/faust_app.py, a worker started on such a backlog could stop
    consuming part way; the earlier version of this phase fed a running worker instead, which timed
    the bench's producer as much as the indexer.)"""
    from marsad.bench.session import worker_written

    s = session.settings
    es = session.es()
    base = int(es.count(index=s.articles_index)["count"])
    session.stop_workers()
    produce_s = produce_enriched(session, docs)
    # Without the cleaning and extraction child processes: they have nothing to do here, and their
    # start-up (spawning, loading the NLP tables: about a core for a second or two) overlapped the
    # first seconds of this phase, swinging it between 0.78 and 0.95 of the raw bulk.
    (w,) = session.start_workers(1, env={"MARSAD_EXTRACT_PROCESS": "0"})
    n = len(docs)
    first: tuple[float, float] | None = None
    last: float | None = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = worker_written(w.web_port)
        t = time.time()
        if v is not None and v > 0:
            if first is None:
                first = (t, v)
            if v >= n:
                last = t
                break
        time.sleep(0.05)
    t_vis = wait_count(es, s.articles_index, base + n, 60)
    out = {
        "documents": n,
        "method": "backlog",
        "produce_seconds": round(produce_s, 3),
        "bulk_size": s.bulk_size,
        "bulk_linger": s.bulk_linger,
        "all_written": last is not None,
        "all_searchable": t_vis is not None,
        "acknowledged_rate": None,
    }
    if first and last and last > first[0]:
        out["first_batch_documents"] = int(first[1])
        out["acknowledged_seconds"] = round(last - first[0], 3)
        out["acknowledged_rate"] = rate(n - int(first[1]), last - first[0])
    return out
