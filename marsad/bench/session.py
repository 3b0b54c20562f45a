"""An isolated benchmark session on the real local stack, the way the integration tests isolate one:
its own topic prefix, index prefix, app id (consumer group), var dir and web ports; its own worker
subprocesses; and everything it created deleted at the end.

Also the two observers every pipeline benchmark uses:
- `SearchableTracker`: when each published article first comes back from an Elasticsearch *search*
  (not a realtime GET, not a forced refresh), so "searchable" includes the index's refresh interval;
- `Sampler`: once a second, the consumer group's lag per topic (records waiting in front of each
  stage), the number of searchable articles, and the CPU use of the workers, Kafka and Elasticsearch.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from marsad.settings import REPO_ROOT, Settings

CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat_fields(pid: int) -> list[str] | None:
    """/proc/<pid>/stat after the command name (field 3 onwards), None when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _own_cpu_seconds(pid: int) -> float | None:
    fields = _stat_fields(pid)
    try:
        return (int(fields[11]) + int(fields[12])) / CLK_TCK if fields else None
    except (IndexError, ValueError):
        return None


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
    except (OSError, ValueError):
        pass
    return out


def cpu_seconds(pid: int | None, *, children: bool = True) -> float | None:
    """User + system CPU seconds a process (and, with `children`, its live descendants) has used
    (Linux /proc), None when it is gone. A worker's extraction runs in a child process of its own."""
    if not pid:
        return None
    own = _own_cpu_seconds(pid)
    if own is None or not children:
        return own
    return own + sum(cpu_seconds(c) or 0.0 for c in _children(pid))


def process_uptime(pid: int | None) -> float | None:
    """Seconds since a process started (Linux /proc), None when it is not there."""
    fields = _stat_fields(pid) if pid else None
    if not fields:
        return None
    try:
        started = int(fields[19]) / CLK_TCK
        with open("/proc/uptime") as fh:
            return float(fh.read().split()[0]) - started
    except (OSError, IndexError, ValueError):
        return None


def service_pids() -> dict[str, int | None]:
    """The local Kafka's and Elasticsearch's process ids. Their pid files live in the default var
    dir, not in a bench session's."""
    from marsad.stack import Stack

    st = Stack(Settings(), log=lambda *_: None).status()
    return {name: v.get("pid") for name, v in st.items()}  # type: ignore[misc]


def stack_uptimes() -> dict[str, float | None]:
    """How long the local Kafka and Elasticsearch have been running, in seconds."""
    return {name: process_uptime(pid) for name, pid in service_pids().items()}


# Kafka's and Elasticsearch's JVMs work for some minutes after a start before the figures settle
# (marsad/bench/README.md, "Measuring").
SETTLE_SECONDS = 600.0


def uptime_note(uptimes: dict[str, float | None], settle: float = SETTLE_SECONDS) -> str | None:
    """One line warning that the services started too recently for settled figures, or None."""
    young = {k: v for k, v in uptimes.items() if v is not None and v < settle}
    if not young:
        return None
    ages = ", ".join(f"{k} {v / 60:.1f} min" for k, v in sorted(young.items()))
    return (
        f"note: started recently ({ages}); the first minutes of work after a start measure low "
        f"(marsad/bench/README.md, Measuring): run a short bench first to warm them"
    )


@contextlib.contextmanager
def _env(overrides: dict[str, str]):
    old = {k: os.environ.get(k) for k in overrides}
    os.environ.update(overrides)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class Worker:
    """One `python -m marsad.cli worker -l info` subprocess with its log in a file (or another
    module's Faust worker: marsad.bench.machinery)."""

    def __init__(self, env: dict[str, str], log_path: Path, web_port: int, module: str = "marsad.cli") -> None:
        self.env = env
        self.module = module
        self.log_path = log_path
        self.web_port = web_port
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        fh = open(self.log_path, "ab")
        env = dict(os.environ)
        env.update(self.env)
        env["MARSAD_WEB_PORT"] = str(self.web_port)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", self.module, "worker", "-l", "info"],
            stdout=fh,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=str(REPO_ROOT),
        )
        fh.close()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def ready(self) -> bool:
        return "[^Worker]: Ready" in self.log()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def alive(self) -> bool:
        return bool(self.proc and self.proc.poll() is None)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Session:
    """Unique names for one benchmark run, the topics and indices made for it, and its workers."""

    def __init__(
        self, name: str, log_dir: Path, *, extra_env: dict[str, str] | None = None, log=print
    ) -> None:
        self.run = f"bench{name}{uuid.uuid4().hex[:6]}"
        self.log_dir = log_dir
        self.var_dir = Path(tempfile.mkdtemp(prefix=f"{self.run}-"))
        self.env = {
            "MARSAD_TOPIC_PREFIX": self.run,
            "MARSAD_INDEX_PREFIX": self.run,
            "MARSAD_APP_ID": self.run,
            "MARSAD_VAR_DIR": str(self.var_dir),
            **(extra_env or {}),
        }
        with _env(self.env):
            self.settings = Settings()
        self.workers: list[Worker] = []
        self.log = log
        self._es = None

    # ------------------------------------------------------------ lifecycle
    def setup(self) -> None:
        from marsad.stack import Stack
        from streams.index.setup import ensure_indices

        with _env(self.env):
            Stack(self.settings, log=lambda *_: None).create_topics()
            ensure_indices(self.settings)

    def es(self):
        if self._es is None:
            from streams.index.client import es_client

            self._es = es_client(self.settings, request_timeout=60)
        return self._es

    def start_workers(
        self, n: int, timeout: float = 180.0, module: str = "marsad.cli", env: dict[str, str] | None = None
    ) -> list[Worker]:
        """`n` workers of this session (`env` on top of its settings), once every one is ready."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        new = []
        for _ in range(n):
            port = free_port()
            log_path = self.log_dir / f"{self.run}-worker-{port}.log"
            w = Worker({**self.env, **(env or {})}, log_path, port, module)
            w.start()
            self.workers.append(w)
            new.append(w)
        deadline = time.monotonic() + timeout
        while not all(w.ready() for w in new):
            dead = [w for w in new if not w.alive()]
            if dead:
                raise RuntimeError(f"worker exited before it was ready; see {dead[0].log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"workers not ready within {timeout:.0f}s; see {self.log_dir}")
            time.sleep(0.3)
        return new

    def stop_workers(self) -> None:
        for w in self.workers:
            w.stop()

    def cleanup(self) -> None:
        """Stop the workers; delete this run's indices, templates, topics and table stores."""
        from kafka import KafkaAdminClient

        self.stop_workers()
        s = self.settings
        try:
            es = self.es()
            es.indices.delete(index=f"{s.index_prefix}-*", ignore_unavailable=True, allow_no_indices=True)
            for kind in ("articles", "events", "alerts"):
                es.options(ignore_status=404).indices.delete_index_template(name=f"{s.index_prefix}-{kind}")
            es.close()
        except Exception as exc:  # noqa: BLE001 - report, go on with the topics
            self.log(f"cleanup of indices failed: {exc}")
        try:
            admin = KafkaAdminClient(bootstrap_servers=s.kafka_bootstrap, request_timeout_ms=15000)
            mine = [
                t
                for t in admin.list_topics()
                if t.startswith(s.topics.prefix + ".") or t.startswith(s.app_id + "-")
            ]
            if mine:
                admin.delete_topics(mine)
            with contextlib.suppress(Exception):
                admin.delete_consumer_groups([s.app_id])
            admin.close()
        except Exception as exc:  # noqa: BLE001
            self.log(f"cleanup of topics failed: {exc}")
        shutil.rmtree(self.var_dir, ignore_errors=True)

    # -------------------------------------------------------------- helpers
    def stage_topics(self) -> dict[str, str]:
        """Input topic -> the stage that consumes it."""
        s = self.settings
        return {
            s.topics.articles_raw: "clean",
            s.dedup_topic: "dedup",
            s.topics.articles: "extract",
            s.enriched_topic: "index",
            s.topics.mentions: "merge",
        }

    def group_assignment(self) -> dict[str, dict[str, list[int]]]:
        """Member (host/member id tail) -> topic -> partitions, from Kafka's description of the group."""
        from kafka import KafkaAdminClient

        admin = KafkaAdminClient(bootstrap_servers=self.settings.kafka_bootstrap, request_timeout_ms=15000)
        try:
            desc = admin.describe_groups([self.settings.app_id]).get(self.settings.app_id) or {}
            out: dict[str, dict[str, list[int]]] = {}
            for m in desc.get("members") or []:
                a = m.get("member_assignment") or {}
                parts = {x["topic"]: sorted(x["partitions"]) for x in a.get("assigned_partitions") or []}
                out[f"{m.get('client_host', '').strip('/')}/{m['member_id'][-8:]}"] = parts
            return out
        finally:
            admin.close()


def partition_sizes(settings, topic: str) -> dict[int, int]:
    """Records per partition of a topic (end offset minus beginning)."""
    from kafka import KafkaConsumer, TopicPartition

    c = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=15000)
    try:
        tps = [TopicPartition(topic, p) for p in sorted(c.partitions_for_topic(topic) or [])]
        end, begin = c.end_offsets(tps), c.beginning_offsets(tps)
        return {tp.partition: end[tp] - begin[tp] for tp in tps}
    finally:
        c.close()


class SearchableTracker(threading.Thread):
    """Records when each expected article id is first returned by a search on the articles alias.

    Every `poll` seconds it asks `_count` (cheap, never refreshes). Documents become visible only at
    a refresh (index.refresh_interval, 1 s here), so when the count changes it searches for the ids
    still outstanding (`ids` query, no _source) and stamps those found with the time of that count
    poll. Resolution is therefore the poll interval; the refresh interval is part of what is measured.
    """

    def __init__(self, es, index: str, poll: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.es = es
        self.index = index
        self.poll = poll
        self.outstanding: set[str] = set()
        self.seen: dict[str, float] = {}
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.count = 0
        self.errors = 0

    def expect(self, ids) -> None:
        with self.lock:
            self.outstanding.update(i for i in ids if i not in self.seen)

    def waiting(self, ids) -> int:
        with self.lock:
            return sum(1 for i in ids if i not in self.seen)

    def run(self) -> None:
        last_check = 0.0
        while not self.stop_event.is_set():
            t = time.time()
            try:
                n = int(self.es.count(index=self.index)["count"])
            except Exception:  # noqa: BLE001 - Elasticsearch busy; try again
                self.errors += 1
                time.sleep(self.poll)
                continue
            with self.lock:
                pending = list(self.outstanding)
            if pending and (n != self.count or t - last_check > 2.0):
                self.count = n
                last_check = t
                found = []
                for i in range(0, len(pending), 2000):
                    chunk = pending[i : i + 2000]
                    try:
                        resp = self.es.search(
                            index=self.index,
                            query={"ids": {"values": chunk}},
                            source=False,
                            size=len(chunk),
                            track_total_hits=False,
                        )
                    except Exception:  # noqa: BLE001
                        self.errors += 1
                        continue
                    found += [h["_id"] for h in resp["hits"]["hits"]]
                with self.lock:
                    for i in found:
                        if i not in self.seen:
                            self.seen[i] = t
                    self.outstanding.difference_update(found)
            else:
                self.count = n
            time.sleep(max(0.0, self.poll - (time.time() - t)))

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=10)


class Sampler(threading.Thread):
    """Once every `every` seconds: lag per topic of the group, searchable count, CPU per process."""

    def __init__(self, session: Session, tracker: SearchableTracker | None, every: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.session = session
        self.tracker = tracker
        self.every = every
        self.samples: list[dict] = []
        self.marks: list[dict] = []
        self.stop_event = threading.Event()
        self.t0 = time.time()
        self.service_pids = service_pids()

    def mark(self, label: str) -> None:
        self.marks.append({"t": round(time.time() - self.t0, 2), "label": label})

    def _pids(self) -> dict[str, int | None]:
        pids = {f"worker{i + 1}": w.pid for i, w in enumerate(self.session.workers)}
        pids.update(self.service_pids)
        pids["bench"] = os.getpid()
        return pids

    def run(self) -> None:
        from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

        s = self.session.settings
        topics = list(self.session.stage_topics()) + [s.topics.events]
        admin = KafkaAdminClient(bootstrap_servers=s.kafka_bootstrap, request_timeout_ms=15000)
        consumer = KafkaConsumer(bootstrap_servers=s.kafka_bootstrap, request_timeout_ms=15000)
        tps = [TopicPartition(t, p) for t in topics for p in range(s.partitions)]
        prev_cpu: dict[str, float] = {}
        prev_t = time.time()
        try:
            while not self.stop_event.is_set():
                t = time.time()
                smp: dict = {"t": round(t - self.t0, 2), "lag": {}, "written": {}, "cpu": {}}
                try:
                    end = consumer.end_offsets(tps)
                    committed = admin.list_group_offsets({s.app_id: None}).get(s.app_id, {})
                    for tp in tps:
                        c = committed.get(tp)
                        off = c.offset if c is not None and c.offset >= 0 else 0
                        smp["lag"][tp.topic] = smp["lag"].get(tp.topic, 0) + max(0, end.get(tp, 0) - off)
                        smp["written"][tp.topic] = smp["written"].get(tp.topic, 0) + end.get(tp, 0)
                except Exception as exc:  # noqa: BLE001
                    smp["error"] = str(exc)
                if self.tracker is not None:
                    smp["searchable"] = self.tracker.count
                dt = t - prev_t
                for name, pid in self._pids().items():
                    # the bench's own children are the workers, counted on their own
                    c = cpu_seconds(pid, children=name != "bench")
                    if c is None:
                        continue
                    if name in prev_cpu and dt > 0:
                        smp["cpu"][name] = round((c - prev_cpu[name]) / dt, 3)  # cores in use
                    prev_cpu[name] = c
                prev_t = t
                self.samples.append(smp)
                self.stop_event.wait(max(0.0, self.every - (time.time() - t)))
        finally:
            consumer.close()
            admin.close()

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=20)


def worker_written(port: int, sink: str = "elasticsearch") -> float | None:
    """marsad_sink_written_total for a sink, from the worker's Prometheus page (None when unreachable)."""
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as resp:
            text = resp.read().decode("utf-8", "replace")
    except OSError:
        return None
    total = 0.0
    for line in text.splitlines():
        if line.startswith("marsad_sink_written_total{") and f'sink="{sink}"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def wait_until(cond, timeout: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(every)
    return False
