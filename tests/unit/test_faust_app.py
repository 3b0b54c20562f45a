"""The worker's consumer waits at most MARSAD_FETCH_MAX_WAIT_MS for a fetch (marsad/faust_app.py)."""

import asyncio
import inspect

import aiokafka
import pytest

from marsad import faust_app
from marsad.settings import Settings


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSAD_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MARSAD_FETCH_MAX_WAIT_MS", "75")
    monkeypatch.setenv("MARSAD_CONSUMER_FETCH_BYTES", str(3 * 1024 * 1024))
    return Settings()


def test_the_worker_consumer_gets_the_configured_fetch_wait_and_size(settings, tmp_path):
    app = faust_app.app(settings, "test-faust-app", str(tmp_path / "data"), metrics=False)

    async def build():
        thread = app.consumer._thread
        consumer = thread._create_worker_consumer(app.transport)
        try:
            return consumer._fetch_max_wait_ms
        finally:
            await consumer.stop()

    wait_ms = asyncio.run(build())
    assert wait_ms == 75  # Faust's driver alone would give 1500
    assert app.conf.consumer_max_fetch_size == 3 * 1024 * 1024


def test_options_given_by_the_caller_win(settings, tmp_path):
    app = faust_app.app(
        settings, "test-faust-app", str(tmp_path / "data"), metrics=False, broker_commit_interval=5.0
    )
    assert app.conf.broker_commit_interval == 5.0
    assert app.conf.producer_linger_ms == settings.producer_linger_ms
    assert app.conf.producer_max_batch_size == settings.producer_batch_bytes == 1024 * 1024


def test_aiokafka_still_reads_the_wait_from_the_attribute_we_set():
    # The override sets a private attribute after Faust's driver built the consumer; it works only
    # while aiokafka passes that attribute to its Fetcher when the consumer starts.
    assert "fetch_max_wait_ms=self._fetch_max_wait_ms" in inspect.getsource(aiokafka.AIOKafkaConsumer.start)
    init = inspect.getsource(aiokafka.AIOKafkaConsumer.__init__)
    assert "self._fetch_max_wait_ms = fetch_max_wait_ms" in init


def test_metrics_page_reads_faust_monitor_counts_when_scraped(settings, tmp_path):
    from faust.types import TP
    from prometheus_client import REGISTRY, generate_latest

    app = faust_app.app(settings, "test-faust-metrics", str(tmp_path / "data"), metrics=True)
    monitor = app.monitor
    assert type(monitor).__name__ == "Monitor"  # Faust's plain sensor: no prometheus call per message
    monitor.on_send_initiated(None, "marsad.articles", None, 3, 10)
    monitor.on_send_initiated(None, "marsad.articles", None, 3, 10)
    tp = TP("marsad.articles.raw", 2)
    monitor.track_tp_end_offset(tp, 40)
    monitor.on_tp_commit({tp: 25})

    page = generate_latest(REGISTRY).decode()
    assert 'faust_messages_sent_total{topic="marsad.articles"} 2.0' in page
    assert 'faust_consumer_lag{partition="2",topic="marsad.articles.raw"} 15.0' in page
