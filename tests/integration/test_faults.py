"""Faults on the real stack, each bounded in time: a worker killed with SIGKILL, Elasticsearch down for
60 s, the Kafka broker restarted. Afterwards every article and event is in Elasticsearch exactly once."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from tests.integration.conftest import all_indexed, distinct_articles, settled, wait_for

pytestmark = pytest.mark.integration


def publish_slowly(publisher, articles, per_second: float, stop: threading.Event | None = None) -> None:
    for i in range(0, len(articles), 10):
        if stop is not None and stop.is_set():
            return
        batch = articles[i : i + 10]
        for _ in range(5):  # what the broker did not acknowledge is sent again, as an agent would
            batch = [a for a, _reason in publisher.publish(batch)]
            if not batch:
                break
        assert not batch, f"{len(batch)} articles never acknowledged by Kafka"
        time.sleep(10 / per_second)


def test_elasticsearch_down_for_a_minute_loses_nothing_and_indexing_resumes(worker, es, it_settings, publisher, stack):
    s = it_settings
    wait_for(lambda: settled(s), timeout=90, what="a quiet pipeline")
    first = distinct_articles(30, "es-before")
    publisher.publish(first)
    wait_for(lambda: all_indexed(es, s, first), timeout=60, what="articles before the outage")
    pid = stack.es.pid()
    os.kill(pid, signal.SIGTERM)
    wait_for(lambda: stack.es.pid() is None, timeout=60, what="Elasticsearch to stop")
    down_at = time.monotonic()
    during = distinct_articles(60, "es-during")
    publish_slowly(publisher, during, 6.0)  # ten seconds of new articles while it is down
    wait_for(lambda: time.monotonic() - down_at >= 60, timeout=70, every=1, what="a minute of outage")
    assert worker.proc.poll() is None, "the worker must wait for Elasticsearch, not exit"
    stack.up(timeout=240)
    wait_for(lambda: all_indexed(es, s, first + during) and settled(s), timeout=180,
             what="indexing to resume by itself")
    log = worker.log()
    assert "elasticsearch unavailable" in log and "available again" in log
    assert log.count("[^Worker]: Ready") == 1, "no restart loop"


def test_kafka_restart_during_ingest_loses_nothing(worker, es, it_settings, publisher, stack):
    s = it_settings
    wait_for(lambda: settled(s), timeout=90, what="a quiet pipeline")
    first = distinct_articles(30, "kafka-before")
    publisher.publish(first)
    wait_for(lambda: all_indexed(es, s, first), timeout=60, what="articles before the restart")
    later = distinct_articles(60, "kafka-during")
    sender = threading.Thread(target=publish_slowly, args=(publisher, later, 6.0))
    sender.start()
    wait_for(lambda: all_indexed(es, s, later[:10]), timeout=60, what="the first of them before the broker goes away")
    os.kill(stack.kafka.pid(), signal.SIGTERM)
    wait_for(lambda: stack.kafka.pid() is None, timeout=90, what="Kafka to stop")
    stack.up(timeout=240)
    sender.join(timeout=240)
    assert not sender.is_alive(), "the agent's producer must get through after the restart"
    wait_for(lambda: all_indexed(es, s, first + later) and settled(s), timeout=240,
             what="everything published around the restart to be indexed")
    assert worker.proc.poll() is None, "the worker must reconnect, not exit"
