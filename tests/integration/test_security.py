"""SASL/SCRAM against the local broker's SCRAM listener (port of MARSAD_KAFKA_BOOTSTRAP + 2)."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError

from marsad.kafka_config import KafkaConfigError, faust_credentials, kafka_python_config
from marsad.records import Article
from tests.integration.conftest import Worker, wait_for

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def scram(it_settings, stack):
    user, password = stack.ensure_scram_user()
    host, port = stack.kafka.host, stack.kafka.port + 2
    return replace(it_settings, kafka_bootstrap=f"{host}:{port}", kafka_security_protocol="SASL_PLAINTEXT",
                   kafka_sasl_mechanism="SCRAM-SHA-256", kafka_username=user, kafka_password=password)


def test_scram_client_round_trips_a_record(scram):
    topic = scram.topics.articles_raw
    producer = KafkaProducer(**kafka_python_config(scram), acks="all")
    meta = producer.send(topic, key=b"scram-test", value=b"over SCRAM").get(timeout=30)
    producer.close()
    consumer = KafkaConsumer(**kafka_python_config(scram), enable_auto_commit=False, consumer_timeout_ms=10000)
    tp = TopicPartition(topic, meta.partition)
    consumer.assign([tp])
    consumer.seek(tp, meta.offset)
    got = next(iter(consumer))
    consumer.close()
    assert got.value == b"over SCRAM"


def test_wrong_password_is_refused(scram):
    bad = replace(scram, kafka_password="not-the-password")
    with pytest.raises(KafkaError):
        producer = KafkaProducer(**kafka_python_config(bad), max_block_ms=10000)
        producer.send(scram.topics.articles_raw, value=b"x").get(timeout=15)


def test_incomplete_sasl_settings_are_named():
    from marsad.settings import Settings

    s = replace(Settings(), kafka_security_protocol="SASL_SSL", kafka_username="")
    with pytest.raises(KafkaConfigError, match="MARSAD_KAFKA_USERNAME"):
        kafka_python_config(s)
    assert faust_credentials(replace(s, kafka_security_protocol="PLAINTEXT")) is None


def test_agents_and_a_worker_run_end_to_end_over_scram(scram, es, tmp_path, monkeypatch):
    env = {
        "MARSAD_KAFKA_BOOTSTRAP": scram.kafka_bootstrap,
        "MARSAD_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
        "MARSAD_KAFKA_SASL_MECHANISM": "SCRAM-SHA-256",
        "MARSAD_KAFKA_USERNAME": scram.kafka_username,
        "MARSAD_KAFKA_PASSWORD": scram.kafka_password,
        "MARSAD_APP_ID": scram.app_id + "-scram",
        "MARSAD_WEB_PORT": str(int(os.environ["MARSAD_WEB_PORT"]) + 1),
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    s = replace(scram, app_id=env["MARSAD_APP_ID"])
    from marsad.stack import Stack

    Stack(s, log=lambda *_: None).create_topics()  # the worker's internal topics, over SCRAM too
    w = Worker(s, tmp_path / "worker.log")
    w.start()
    try:
        from agents.publisher import Publisher

        pub = Publisher(s)
        article = Article.new(source="scram", title="خبر عبر اتصال موثق", body="نص عربي نشر عبر مستمع مصادق عليه.",
                              url="https://scram.example/1")
        assert pub.publish([article]) == []
        pub.close()
        wait_for(lambda: es.exists(index=s.articles_index, id=article.id), timeout=90,
                 what="the article published over SCRAM to be indexed")
    finally:
        w.stop()
