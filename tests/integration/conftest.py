"""Integration fixtures: the real local Kafka and Elasticsearch, a real Faust worker, isolated names per run.

The stack itself is started by `make test` (marsad stack up). Each test session works under its own
topic prefix, index prefix and consumer group, and removes them at the end.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from marsad.records import isoformat, utcnow
from marsad.settings import REPO_ROOT, Settings

pytestmark = pytest.mark.integration

# Where the running stack keeps its pid files, read before any fixture points MARSAD_VAR_DIR elsewhere.
STACK_VAR = Settings().var_dir


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def recent(minute: int = 0) -> str:
    """A publication time a little before now, `minute` minutes after an anchor shared by the test's
    articles, all on today's UTC date. Dedup compares an article only with those published within
    MARSAD_NEAR_WINDOW of the stream's latest, and the other tests publish at the current time, so
    fixed dates in tests stop matching once they are a few days old."""
    now = utcnow()
    anchor = max(now.replace(hour=0, minute=0, second=0, microsecond=0), now - timedelta(minutes=30))
    return isoformat(anchor + timedelta(minutes=minute))


def wait_for(condition: Callable[[], object], *, timeout: float = 60.0, what: str = "condition", every: float = 0.5):
    """Poll `condition` until it returns something truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_exc: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as exc:  # noqa: BLE001 - the service may be catching up
            last_exc = exc
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}" + (f" (last error: {last_exc})" if last_exc else ""))


@pytest.fixture(scope="session")
def it_settings(tmp_path_factory) -> Settings:
    """Settings for this test session: unique names, the real local services."""
    base = Settings()
    require = os.environ.get("MARSAD_REQUIRE_STACK") == "1"
    for what, (host, port) in {
        "Kafka": (base.kafka_bootstrap.split(":")[0], int(base.kafka_bootstrap.split(":")[1].split(",")[0])),
        "Elasticsearch": ("127.0.0.1", int(base.es_url.rsplit(":", 1)[1].strip("/"))),
    }.items():
        with socket.socket() as s:
            s.settimeout(1)
            if s.connect_ex((host, port)) != 0:
                msg = f"{what} is not running on {host}:{port}: start the local stack with `marsad stack up` (make test does)"
                if require:
                    pytest.fail(msg)
                pytest.skip(msg)
    run = f"it{uuid.uuid4().hex[:8]}"
    env = {
        "MARSAD_TOPIC_PREFIX": run,
        "MARSAD_INDEX_PREFIX": run,
        "MARSAD_APP_ID": run,
        "MARSAD_VAR_DIR": str(tmp_path_factory.mktemp("var")),
        "MARSAD_WEB_PORT": str(_free_port()),
        "MARSAD_BULK_LINGER": "0.2",
    }
    mp = pytest.MonkeyPatch()
    for k, v in env.items():
        mp.setenv(k, v)
    settings = Settings()
    from marsad.stack import Stack
    from streams.index.setup import ensure_indices

    Stack(settings, log=lambda *_: None).create_topics()
    ensure_indices(settings)
    yield settings
    mp.undo()
    _cleanup(settings)


def _cleanup(s: Settings) -> None:
    from kafka import KafkaAdminClient

    from streams.index.client import es_client

    try:
        es = es_client(s)
        es.indices.delete(index=f"{s.index_prefix}-*", ignore_unavailable=True, allow_no_indices=True)
        for kind in ("articles", "events", "alerts"):
            es.options(ignore_status=404).indices.delete_index_template(name=f"{s.index_prefix}-{kind}")
        es.close()
    except Exception as exc:  # noqa: BLE001
        print(f"cleanup of test indices failed: {exc}")
    try:
        admin = KafkaAdminClient(bootstrap_servers=s.kafka_bootstrap)
        mine = [t for t in admin.list_topics() if t.startswith(s.topics.prefix + ".") or t.startswith(s.app_id + "-")]
        if mine:
            admin.delete_topics(mine)
        admin.close()
    except Exception as exc:  # noqa: BLE001
        print(f"cleanup of test topics failed: {exc}")


class Worker:
    """A real `marsad worker` process with its log in a file."""

    def __init__(self, settings: Settings, log_path: Path) -> None:
        self.settings = settings
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90.0) -> None:
        self._mark = self.log_path.stat().st_size if self.log_path.exists() else 0
        fh = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "marsad.cli", "worker", "-l", "info"],
            stdout=fh, stderr=subprocess.STDOUT, env=dict(os.environ), cwd=str(REPO_ROOT),
        )
        wait_for(lambda: "[^Worker]: Ready" in self.log(), timeout=timeout, what="the Faust worker to be ready")

    def log(self) -> str:
        if not self.log_path.exists():
            return ""
        # _mark is a size in bytes: slice the bytes, then decode (the log holds Arabic titles, so
        # slicing the decoded text by a byte count started past the new worker's "Ready").
        return self.log_path.read_bytes()[self._mark:].decode("utf-8", errors="replace")

    def stop(self, kill: bool = False) -> None:
        if self.proc and self.proc.poll() is None:
            if kill:
                self.proc.kill()
            else:
                self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="session")
def worker(it_settings, tmp_path_factory) -> Worker:
    w = Worker(it_settings, tmp_path_factory.mktemp("logs") / "worker.log")
    w.start()
    yield w
    w.stop()


@pytest.fixture(scope="session")
def es(it_settings):
    from streams.index.client import es_client

    client = es_client(it_settings)
    yield client
    client.close()


@pytest.fixture
def publisher(it_settings):
    from agents.publisher import Publisher

    p = Publisher(it_settings)
    yield p
    p.close()


@pytest.fixture(scope="session")
def http_server():
    """A loopback HTTP server whose routes a test sets: {path: (status, headers, body or callable)}."""
    from http.server import BaseHTTPRequestHandler

    routes: dict[str, tuple[int, dict, object]] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            status, headers, body = routes.get(self.path, (404, {}, b""))
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if callable(body):
                body(self.wfile)
            else:
                self.wfile.write(body)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    srv.routes = routes  # type: ignore[attr-defined]
    srv.base = f"http://127.0.0.1:{srv.server_address[1]}"  # type: ignore[attr-defined]
    yield srv
    srv.shutdown()


def read_topic(settings: Settings, topic: str, timeout_ms: int = 3000) -> list[tuple[bytes | None, bytes]]:
    """Every record of `topic` from the beginning (no consumer group)."""
    from kafka import KafkaConsumer, TopicPartition

    c = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, enable_auto_commit=False, consumer_timeout_ms=timeout_ms)
    try:
        parts = [TopicPartition(topic, p) for p in (c.partitions_for_topic(topic) or [])]
        c.assign(parts)
        c.seek_to_beginning(*parts)
        return [(m.key, m.value) for m in c]
    finally:
        c.close()


def dead_letters(settings: Settings) -> list[dict]:
    return [json.loads(v) for _, v in read_topic(settings, settings.topics.dlq)]


def settled(settings: Settings) -> bool:
    """True when the worker's group has consumed everything on its topics."""
    from streams.monitor import consumer_lag, topic_sizes

    lag = consumer_lag(settings.app_id, settings)
    if not lag:  # nothing committed yet: settled only if nothing was ever written
        return topic_sizes([settings.topics.articles_raw], settings)[settings.topics.articles_raw] == 0
    return sum(lag.values()) == 0


def article_count(es, settings: Settings) -> int:
    es.indices.refresh(index=settings.articles_index)
    return int(es.count(index=settings.articles_index)["count"])


@pytest.fixture(scope="session")
def stack(it_settings):
    """The running local stack, for tests that stop and start its services."""
    from dataclasses import replace

    from marsad.stack import Stack

    return Stack(replace(it_settings, var_dir=STACK_VAR), log=lambda *_: None)


WORDS = (
    "الحكومة البرلمان الوزير الرئيس المدينة القرية الجيش الشرطة المحكمة السوق المدرسة المستشفى الطريق الميناء "
    "المطار النفط الغاز الكهرباء الماء القمح الاقتصاد الميزانية الضرائب التجارة الصادرات الواردات البنك العملة "
    "الأسعار الأجور العمال الطلاب المعلمون الأطباء المزارعون الصيادون التجار السكان اللاجئون المتطوعون المجلس "
    "اللجنة الحزب النقابة الجمعية الشركة المصنع المشروع الخطة الاتفاقية القانون القرار الاجتماع المؤتمر الزيارة "
    "الانتخابات الاستفتاء الدستور الحدود المعبر الجسر النهر البحر الصحراء الجبل الوادي الساحل الشتاء الصيف المطر "
    "الرياح الحرارة الزراعة الصناعة السياحة الثقافة الرياضة الصحة التعليم السكن النقل الاتصالات الإعلام الصحافة"
).split()


def distinct_articles(n: int, tag: str, source: str = "fault-test") -> list:
    """`n` Arabic articles whose texts share too little to be near-copies of each other."""
    import random

    from marsad.records import Article

    rng = random.Random(tag)
    out = []
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(60)]
        body = " ".join(words[:30]) + ". " + " ".join(words[30:]) + "."
        out.append(Article.new(source=source, title=f"{tag} {i}: " + " ".join(words[:6]), body=body,
                               url=f"https://{source}.example/{tag}/{i}", published_at=recent()))
    return out


def all_indexed(es, settings, articles) -> bool:
    ids = [a.id for a in articles]
    found = 0
    for i in range(0, len(ids), 500):
        docs = es.mget(index=settings.articles_index, ids=ids[i : i + 500], source=False)["docs"]
        found += sum(1 for d in docs if d.get("found"))
    return found == len(ids)
