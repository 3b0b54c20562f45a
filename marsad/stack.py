"""The local stack without Docker: Kafka (KRaft) and Elasticsearch from Maven Central, started as processes."""

from __future__ import annotations

import hashlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from string import Template

from marsad.settings import REPO_ROOT, Settings, get_settings

DEPLOY = REPO_ROOT / "deploy"
KAFKA_POM = DEPLOY / "local" / "kafka" / "pom.xml"
ES_POM = DEPLOY / "local" / "elasticsearch" / "pom.xml"
PLUGIN_DIR = DEPLOY / "elasticsearch" / "marsad-analysis"
ES_USER = "marsad"


class StackError(RuntimeError):
    """Something the user must fix before the stack can run; the message says what."""


@dataclass
class Service:
    name: str
    host: str
    port: int
    pid_file: Path

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        return pid


def _port_open(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def _hostport(url: str) -> tuple[str, int]:
    m = re.match(r"^(?:\w+://)?([^:/]+):(\d+)", url.split(",")[0].strip())
    if not m:
        raise StackError(f"cannot read host:port from {url!r}")
    return m.group(1), int(m.group(2))


def _pom_property(pom: Path, name: str) -> str:
    m = re.search(rf"<{re.escape(name)}>([^<]+)</{re.escape(name)}>", pom.read_text())
    if not m:
        raise StackError(f"{pom} has no <{name}> property")
    return m.group(1).strip()


def _tree_hash(root: Path) -> str:
    h = hashlib.sha1()
    for p in sorted(root.rglob("*")):
        if p.is_file() and "target" not in p.relative_to(root).parts:
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


class Stack:
    def __init__(self, settings: Settings | None = None, log=print):
        self.s = settings or get_settings()
        self.log = log
        self.var = self.s.var_dir
        self.artifacts = self.var / "artifacts"
        self.kafka_version = _pom_property(KAFKA_POM, "kafka.version")
        self.es_version = _pom_property(ES_POM, "es.version")
        self.kafka_libs = self.artifacts / f"kafka-{self.kafka_version}"
        self.es_home = self.artifacts / f"elasticsearch-{self.es_version}"
        k_host, k_port = _hostport(self.s.kafka_bootstrap)
        e_host, e_port = _hostport(self.s.es_url)
        self.kafka = Service("kafka", k_host, k_port, self.var / "kafka" / "kafka.pid")
        self.es = Service("elasticsearch", e_host, e_port, self.var / "elasticsearch" / "es.pid")

    # ---------------------------------------------------------------- tools
    def _require_tools(self) -> None:
        java = shutil.which("java")
        if not java:
            raise StackError("java not found: install a Java 17+ runtime (e.g. apt-get install openjdk-17-jre-headless)")
        out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
        m = re.search(r'version "(\d+)', out)
        if not m or int(m.group(1)) < 17:
            raise StackError(f"Java 17 or newer is needed, found: {out.splitlines()[0] if out else 'unknown'}")
        if not shutil.which("mvn"):
            raise StackError("mvn (Maven) not found: install it (e.g. apt-get install maven); it fetches Kafka and Elasticsearch")

    def _mvn(self, *args: str) -> None:
        cmd = ["mvn", "-q", "-B", *args]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            tail = "\n".join((r.stdout + r.stderr).strip().splitlines()[-15:])
            raise StackError(f"maven failed: {' '.join(cmd)}\n{tail}")

    # ------------------------------------------------------------ artifacts
    def fetch(self) -> None:
        """Download Kafka and Elasticsearch once (Maven's local repository caches them), build our plugin."""
        self._require_tools()
        self.artifacts.mkdir(parents=True, exist_ok=True)
        if not (self.kafka_libs / ".complete").exists():
            self.log(f"fetching Apache Kafka {self.kafka_version} from Maven Central ...")
            tmp = self.kafka_libs.with_suffix(".tmp")
            shutil.rmtree(tmp, ignore_errors=True)
            self._mvn("-f", str(KAFKA_POM), "dependency:copy-dependencies", "-DincludeScope=runtime",
                      f"-DoutputDirectory={tmp}")
            shutil.rmtree(self.kafka_libs, ignore_errors=True)
            tmp.rename(self.kafka_libs)
            (self.kafka_libs / ".complete").touch()
        if not (self.es_home / ".complete").exists():
            self.log(f"fetching Elasticsearch {self.es_version} from Maven Central ...")
            dl = self.artifacts / "es-download"
            shutil.rmtree(dl, ignore_errors=True)
            self._mvn("-f", str(ES_POM), "dependency:copy-dependencies", "-DincludeTypes=zip",
                      f"-DoutputDirectory={dl}")
            zips = list(dl.glob("elasticsearch-*.zip"))
            if not zips:
                raise StackError(f"maven did not leave an Elasticsearch zip in {dl}")
            shutil.rmtree(self.es_home, ignore_errors=True)
            with zipfile.ZipFile(zips[0]) as z:
                z.extractall(self.artifacts)
                for info in z.infolist():  # zipfile drops the executable bits
                    mode = (info.external_attr >> 16) & 0o777
                    if mode:
                        os.chmod(self.artifacts / info.filename, mode)
            shutil.rmtree(dl, ignore_errors=True)
            (self.es_home / ".complete").touch()
        self._install_plugin()

    def _install_plugin(self) -> None:
        if not PLUGIN_DIR.exists():
            return
        digest = _tree_hash(PLUGIN_DIR) + self.es_version
        target = self.es_home / "plugins" / "marsad-analysis"
        marker = self.es_home / ".marsad-analysis.sha1"
        if target.exists() and marker.exists() and marker.read_text() == digest:
            return
        self.log("building the marsad-analysis Elasticsearch plugin ...")
        self._mvn("-f", str(PLUGIN_DIR / "pom.xml"), f"-Des.version={self.es_version}", "package")
        built = PLUGIN_DIR / "target" / "plugin"
        if not (built / "plugin-descriptor.properties").exists():
            raise StackError(f"plugin build left no plugin-descriptor.properties in {built}")
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(built, target)
        marker.write_text(digest)

    # ---------------------------------------------------------------- kafka
    def _start_kafka(self) -> None:
        svc = self.kafka
        if svc.pid():
            self.log(f"kafka already running (pid {svc.pid()}) on {svc.host}:{svc.port}")
            return
        for port in (svc.port, svc.port + 1, svc.port + 2):
            if _port_open(svc.host, port):
                raise StackError(f"port {port} on {svc.host} is taken by another process; stop it or set MARSAD_KAFKA_BOOTSTRAP")
        home = self.var / "kafka"
        data = home / "data"
        logs = self.var / "logs" / "kafka"
        logs.mkdir(parents=True, exist_ok=True)
        data.mkdir(parents=True, exist_ok=True)
        props = Template((DEPLOY / "local" / "kafka" / "server.properties").read_text()).substitute(
            host=svc.host, port=svc.port, controller_port=svc.port + 1, sasl_port=svc.port + 2, data_dir=data,
            partitions=self.s.partitions,
        )
        (home / "server.properties").write_text(props)
        cp = f"{self.kafka_libs}/*"
        java = shutil.which("java") or "java"
        if not (data / "meta.properties").exists():
            cluster_id = subprocess.run(
                [java, "-cp", cp, "kafka.tools.StorageTool", "random-uuid"], capture_output=True, text=True, check=True
            ).stdout.strip().splitlines()[-1]
            r = subprocess.run(
                [java, "-cp", cp, "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(home / "server.properties")],
                capture_output=True, text=True,
            )
            if r.returncode != 0:
                raise StackError(f"kafka storage format failed: {r.stdout}{r.stderr}".strip())
        cmd = [
            java, "-Xms256m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true",
            f"-Dkafka.logs.dir={logs}",
            f"-Dlog4j2.configurationFile={DEPLOY / 'local' / 'kafka' / 'log4j2.properties'}",
            "-cp", cp, "kafka.Kafka", str(home / "server.properties"),
        ]
        with open(logs / "kafka.out", "ab") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        svc.pid_file.write_text(str(proc.pid))
        self.log(f"kafka starting (pid {proc.pid}), logs in {logs}")

    def _wait_kafka(self, timeout: float) -> None:
        from kafka import KafkaAdminClient
        from kafka.errors import KafkaError

        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if not self.kafka.pid():
                raise StackError(f"kafka exited while starting; see {self.var / 'logs' / 'kafka' / 'kafka.out'}")
            if _port_open(self.kafka.host, self.kafka.port):
                try:
                    admin = KafkaAdminClient(bootstrap_servers=self.s.kafka_bootstrap, request_timeout_ms=5000)
                    try:
                        admin.list_topics()
                        return
                    finally:
                        admin.close()
                except KafkaError as exc:
                    last = str(exc)
            time.sleep(0.5)
        raise StackError(f"kafka did not become ready within {timeout:.0f}s ({last})")

    def ensure_scram_user(self) -> tuple[str, str]:
        """Create or update the local SASL/SCRAM user; returns (user, password)."""
        from kafka import KafkaAdminClient
        from kafka.admin import ScramMechanism, UserScramCredentialUpsertion

        user = os.environ.get("MARSAD_LOCAL_SCRAM_USER", "marsad")
        password = os.environ.get("MARSAD_LOCAL_SCRAM_PASSWORD", "marsad-local")
        admin = KafkaAdminClient(bootstrap_servers=f"{self.kafka.host}:{self.kafka.port}", request_timeout_ms=10000)
        failed: dict = {}
        try:
            # One mechanism per request: the broker refuses two alterations of one user at once.
            for mech in (ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512):
                errors = admin.alter_user_scram_credentials([UserScramCredentialUpsertion(user, mech, password, iterations=4096)])
                failed.update({u: e for u, e in (errors or {}).items() if e})
        finally:
            admin.close()
        if failed:
            raise StackError(f"could not create the local SCRAM user: {failed}")
        return user, password

    def create_topics(self) -> list[str]:
        """Create Marsad's topics (and the worker's internal ones) with the configured partition count;
        existing ones are left alone."""
        from kafka import KafkaAdminClient
        from kafka.admin import NewTopic
        from kafka.errors import TopicAlreadyExistsError

        from marsad.kafka_config import kafka_python_config

        admin = KafkaAdminClient(**kafka_python_config(self.s), request_timeout_ms=10000)
        try:
            existing = set(admin.list_topics())
            wanted = [(t, {}) for t in self.s.topics.all()] + self.s.internal_topics()
            missing = [(t, cfg) for t, cfg in wanted if t not in existing]
            if missing:
                try:
                    admin.create_topics([NewTopic(t, self.s.partitions, 1, topic_configs=cfg) for t, cfg in missing])
                except TopicAlreadyExistsError:
                    pass
            return [t for t, _ in missing]
        finally:
            admin.close()

    # -------------------------------------------------------- elasticsearch
    def _run_as_es_user(self) -> list[str]:
        if os.geteuid() != 0:
            return []
        try:
            pwd.getpwnam(ES_USER)
        except KeyError:
            r = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ES_USER],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise StackError(f"Elasticsearch refuses to run as root and user {ES_USER!r} could not be created: {r.stderr.strip()}")
        return ["setpriv", f"--reuid={ES_USER}", f"--regid={ES_USER}", "--init-groups"]

    def _start_es(self) -> None:
        svc = self.es
        if svc.pid():
            self.log(f"elasticsearch already running (pid {svc.pid()}) on {svc.host}:{svc.port}")
            return
        for port in (svc.port, svc.port + 100):
            if _port_open(svc.host, port):
                raise StackError(f"port {port} on {svc.host} is taken by another process; stop it or set MARSAD_ES_URL")
        home = self.var / "elasticsearch"
        conf = home / "config"
        data = home / "data"
        logs = self.var / "logs" / "elasticsearch"
        for d in (conf, data, logs):
            d.mkdir(parents=True, exist_ok=True)
        for name in ("jvm.options", "log4j2.properties"):
            shutil.copy(self.es_home / "config" / name, conf / name)
        (conf / "jvm.options.d").mkdir(exist_ok=True)
        yml = Template((DEPLOY / "local" / "elasticsearch" / "elasticsearch.yml").read_text()).substitute(
            host=svc.host, port=svc.port, transport_port=svc.port + 100, data_dir=data, logs_dir=logs
        )
        (conf / "elasticsearch.yml").write_text(yml)
        prefix = self._run_as_es_user()
        if prefix:
            for p in (home, logs, self.es_home):
                subprocess.run(["chown", "-R", f"{ES_USER}:{ES_USER}", str(p)], check=True)
            # the node must be able to reach its folders through var/
            for p in (self.var, self.var / "logs", self.artifacts):
                p.chmod(p.stat().st_mode | 0o755)
        env = dict(os.environ)
        java_home = Path(os.path.realpath(shutil.which("java") or "java")).parent.parent
        env.update(
            ES_JAVA_HOME=env.get("ES_JAVA_HOME", str(java_home)),
            ES_PATH_CONF=str(conf),
            ES_JAVA_OPTS=env.get("MARSAD_ES_JAVA_OPTS", "-Xms1g -Xmx1g"),
        )
        env.pop("JAVA_HOME", None)
        cmd = [*prefix, str(self.es_home / "bin" / "elasticsearch"), "-d", "-p", str(svc.pid_file)]
        with open(logs / "elasticsearch.out", "ab") as out:
            r = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        if r.returncode != 0:
            raise StackError(f"elasticsearch failed to start (exit {r.returncode}); see {logs / 'elasticsearch.out'} and {logs}")
        self.log(f"elasticsearch starting (pid {svc.pid()}), logs in {logs}")

    def _wait_es(self, timeout: float) -> None:
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + timeout
        url = f"http://{self.es.host}:{self.es.port}/_cluster/health?wait_for_status=yellow&timeout=2s"
        while time.monotonic() < deadline:
            if not self.es.pid():
                raise StackError(f"elasticsearch exited while starting; see {self.var / 'logs' / 'elasticsearch'}")
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1)
        raise StackError(f"elasticsearch did not become healthy within {timeout:.0f}s")

    # ------------------------------------------------------------------ api
    def up(self, timeout: float = 180.0) -> None:
        self.fetch()
        self._start_kafka()
        self._start_es()
        self._wait_kafka(timeout)
        self.ensure_scram_user()
        created = self.create_topics()
        if created:
            self.log(f"created topics ({self.s.partitions} partitions): {', '.join(created)}")
        self._wait_es(timeout)
        from streams.index.setup import ensure_indices

        ensure_indices(self.s)
        self.log(f"stack up: kafka {self.s.kafka_bootstrap}, elasticsearch {self.s.es_url}")

    def status(self) -> dict[str, dict[str, object]]:
        out: dict[str, dict[str, object]] = {}
        for svc in (self.kafka, self.es):
            out[svc.name] = {
                "pid": svc.pid(),
                "address": f"{svc.host}:{svc.port}",
                "listening": _port_open(svc.host, svc.port),
                "rss_mb": _rss_mb(svc.pid()),
            }
        return out

    def down(self, timeout: float = 60.0) -> None:
        for svc in (self.es, self.kafka):
            pid = svc.pid()
            if not pid:
                self.log(f"{svc.name} not running")
                svc.pid_file.unlink(missing_ok=True)
                continue
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and svc.pid():
                time.sleep(0.3)
            if svc.pid():
                self.log(f"{svc.name} (pid {pid}) did not stop in {timeout:.0f}s; killing it")
                os.kill(pid, signal.SIGKILL)
                time.sleep(0.5)
            svc.pid_file.unlink(missing_ok=True)
            self.log(f"{svc.name} stopped")


def _rss_mb(pid: int | None) -> float | None:
    if not pid:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None
