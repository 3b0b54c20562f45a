"""Every setting in one place: environment variables with a MARSAD_ prefix, each with a documented default."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# The source checkout: deploy/, the sample feeds and var/ live beside the package.
REPO_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(f"MARSAD_{name}", default)


def _env_number(name: str, default, kind):
    raw = os.environ.get(f"MARSAD_{name}")
    if raw is None or raw == "":
        return default
    try:
        return kind(raw)
    except ValueError as exc:
        what = "a whole number" if kind is int else "a number"
        raise SystemExit(f"MARSAD_{name}={raw!r} is not {what}") from exc


def _env_int(name: str, default: int) -> int:
    return _env_number(name, default, int)


def _env_float(name: str, default: float) -> float:
    return _env_number(name, default, float)


@dataclass(frozen=True)
class Topics:
    """Kafka topic names (DESIGN.md), prefixed by MARSAD_TOPIC_PREFIX (default "marsad")."""

    prefix: str = field(default_factory=lambda: _env("TOPIC_PREFIX", "marsad"))

    @property
    def articles_raw(self) -> str:
        return f"{self.prefix}.articles.raw"

    @property
    def articles(self) -> str:
        return f"{self.prefix}.articles"

    @property
    def mentions(self) -> str:
        return f"{self.prefix}.mentions"

    @property
    def events(self) -> str:
        return f"{self.prefix}.events"

    @property
    def alerts(self) -> str:
        return f"{self.prefix}.alerts"

    @property
    def alerts_dlq(self) -> str:
        return f"{self.prefix}.alerts.dlq"

    @property
    def dlq(self) -> str:
        return f"{self.prefix}.dlq"

    def all(self) -> list[str]:
        return [
            self.articles_raw,
            self.articles,
            self.mentions,
            self.events,
            self.alerts,
            self.alerts_dlq,
            self.dlq,
        ]


@dataclass(frozen=True)
class Settings:
    # Where the local stack keeps artifacts, data, logs and agent state (git-ignored).
    var_dir: Path = field(default_factory=lambda: Path(_env("VAR_DIR", str(REPO_ROOT / "var"))))
    # Kafka bootstrap servers, comma separated.
    kafka_bootstrap: str = field(default_factory=lambda: _env("KAFKA_BOOTSTRAP", "127.0.0.1:9092"))
    # Kafka security: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL; SASL mechanism (SCRAM-SHA-256,
    # SCRAM-SHA-512 or PLAIN) with user and password; CA, client certificate and key files for TLS.
    kafka_security_protocol: str = field(default_factory=lambda: _env("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"))
    kafka_sasl_mechanism: str = field(default_factory=lambda: _env("KAFKA_SASL_MECHANISM", "SCRAM-SHA-256"))
    kafka_username: str = field(default_factory=lambda: _env("KAFKA_USERNAME", ""))
    kafka_password: str = field(default_factory=lambda: _env("KAFKA_PASSWORD", ""), repr=False)
    kafka_ca_file: str = field(default_factory=lambda: _env("KAFKA_CA_FILE", ""))
    kafka_cert_file: str = field(default_factory=lambda: _env("KAFKA_CERT_FILE", ""))
    kafka_key_file: str = field(default_factory=lambda: _env("KAFKA_KEY_FILE", ""))
    # Partitions for each Marsad topic when `marsad stack up` creates them.
    partitions: int = field(default_factory=lambda: _env_int("PARTITIONS", 6))
    # Elasticsearch URL(s), comma separated.
    es_url: str = field(default_factory=lambda: _env("ES_URL", "http://127.0.0.1:9200"))
    # Index name prefix: indices are <prefix>-articles, <prefix>-events, <prefix>-alerts.
    index_prefix: str = field(default_factory=lambda: _env("INDEX_PREFIX", "marsad"))
    # Faust application id (consumer group and changelog topic prefix).
    app_id: str = field(default_factory=lambda: _env("APP_ID", "marsad"))
    # Faust web port for the worker (status pages, metrics); each extra worker needs its own.
    web_port: int = field(default_factory=lambda: _env_int("WEB_PORT", 6066))
    # Seconds before Kafka gives a silent worker's partitions to the others (Faust's default is 60).
    session_timeout: float = field(default_factory=lambda: _env_float("SESSION_TIMEOUT", 20.0))
    # Milliseconds a worker's producer waits to fill a batch: every article crosses several topics and
    # its tables' changelogs, and one produce request per record cost more CPU than the processing.
    producer_linger_ms: int = field(default_factory=lambda: _env_int("PRODUCER_LINGER_MS", 10))
    # Consumer fetches (marsad/faust_app.py): the longest the broker may hold a fetch that finds
    # nothing new, and the bytes one fetch may bring per partition.
    fetch_max_wait_ms: int = field(default_factory=lambda: _env_int("FETCH_MAX_WAIT_MS", 50))
    consumer_fetch_bytes: int = field(default_factory=lambda: _env_int("CONSUMER_FETCH_BYTES", 8 * 1024 * 1024))
    # The producer's batch per partition (aiokafka's default 16 KB holds three articles; a send to a
    # full batch waits until the one produce request in flight to the broker has returned).
    producer_batch_bytes: int = field(default_factory=lambda: _env_int("PRODUCER_BATCH_BYTES", 1024 * 1024))
    # Extraction in a child process of each worker (1) rather than in a thread sharing the event
    # loop's interpreter lock (0); see streams/events/pool.py.
    extract_process: bool = field(
        default_factory=lambda: _env("EXTRACT_PROCESS", "1").lower() not in {"0", "false", "no"}
    )
    # The worker's event loop: "uvloop" (libuv, as Faust's `--loop uvloop`) or "aio" (asyncio's own).
    # The loop runs every processor, the Kafka clients and the indexer of a worker in one thread.
    event_loop: str = field(default_factory=lambda: _env("EVENT_LOOP", "uvloop"))
    # Batches that clean and extraction keep in flight to their child process: 2 queues the next
    # batch while the loop sends the last one's results (streams/batches.py); 1 is one at a time.
    batches_in_flight: int = field(default_factory=lambda: _env_int("BATCHES_IN_FLIGHT", 2))
    # Articles per extraction batch, and seconds to wait for a fuller one.
    extract_batch: int = field(default_factory=lambda: _env_int("EXTRACT_BATCH", 32))
    extract_linger: float = field(default_factory=lambda: _env_float("EXTRACT_LINGER", 0.05))
    # How much lower the cleaning child runs than the rest of the worker (streams/articles/agents.py).
    clean_nice: int = field(default_factory=lambda: _env_int("CLEAN_NICE", 10))
    # Largest record a worker may write (events, table changelogs); the local broker accepts it.
    max_record_bytes: int = field(default_factory=lambda: _env_int("MAX_RECORD_BYTES", 16 * 1024 * 1024))
    # Size to which the open-event summaries under one partition key are held (oldest activity leaves first).
    max_open_events_bytes: int = field(default_factory=lambda: _env_int("MAX_OPEN_EVENTS_BYTES", 4 * 1024 * 1024))
    # Faust table store: "memory://" or "rocksdb://" (rocksdict).
    store: str = field(default_factory=lambda: _env("STORE", "rocksdb://"))
    # Feed configuration file.
    feeds_file: Path = field(default_factory=lambda: Path(_env("FEEDS", str(REPO_ROOT / "deploy" / "feeds.yaml"))))
    # Largest body a feed fetch or article may have, in bytes.
    max_body_bytes: int = field(default_factory=lambda: _env_int("MAX_BODY_BYTES", 10 * 1024 * 1024))
    # Largest article text (title + body) the processors accept, in characters.
    max_article_chars: int = field(default_factory=lambda: _env_int("MAX_ARTICLE_CHARS", 1_000_000))
    # HTTP fetch timeout (seconds) and redirect limit for feed agents.
    fetch_timeout: float = field(default_factory=lambda: _env_float("FETCH_TIMEOUT", 20.0))
    max_redirects: int = field(default_factory=lambda: _env_int("MAX_REDIRECTS", 5))
    # Indexer: documents per bulk request, seconds to wait for a fuller batch, retry attempts.
    bulk_size: int = field(default_factory=lambda: _env_int("BULK_SIZE", 500))
    bulk_linger: float = field(default_factory=lambda: _env_float("BULK_LINGER", 0.5))
    bulk_retries: int = field(default_factory=lambda: _env_int("BULK_RETRIES", 8))
    # Share of Arabic letters below which an article is labelled non-Arabic.
    arabic_min_ratio: float = field(default_factory=lambda: _env_float("ARABIC_MIN_RATIO", 0.5))
    # Exact-dedup memory: how long a URL or content hash is remembered (seconds).
    dedup_window: int = field(default_factory=lambda: _env_int("DEDUP_WINDOW", 14 * 24 * 3600))
    # Near-duplicate memory: how far back (publication time, seconds) a copy is looked for.
    near_window: int = field(default_factory=lambda: _env_int("NEAR_WINDOW", 3 * 24 * 3600))
    # Alert rules and webhooks (YAML, see marsad/alerts/README.md); reloaded when it changes.
    alerts_file: Path = field(default_factory=lambda: Path(_env("ALERTS_FILE", str(REPO_ROOT / "deploy" / "alerts.yaml"))))
    # Kibana base URL for the links in alert payloads.
    kibana_url: str = field(default_factory=lambda: _env("KIBANA_URL", "http://127.0.0.1:5601"))
    # Webhook delivery: seconds per request, retries after the first attempt, backoff base and cap
    # (seconds, doubling per retry), and deliveries in flight at once per worker.
    alert_timeout: float = field(default_factory=lambda: _env_float("ALERT_TIMEOUT", 5.0))
    alert_retries: int = field(default_factory=lambda: _env_int("ALERT_RETRIES", 5))
    alert_backoff: float = field(default_factory=lambda: _env_float("ALERT_BACKOFF", 1.0))
    alert_backoff_max: float = field(default_factory=lambda: _env_float("ALERT_BACKOFF_MAX", 60.0))
    alert_concurrency: int = field(default_factory=lambda: _env_int("ALERT_CONCURRENCY", 16))
    topics: Topics = field(default_factory=Topics)

    @property
    def dedup_topic(self) -> str:
        """Internal: cleaned articles on their way to dedup, all under one key (see streams/articles)."""
        return f"{self.app_id}-articles-dedup"

    @property
    def enriched_topic(self) -> str:
        """Internal: articles with entities and mention ids, on their way to the index."""
        return f"{self.app_id}-articles-enriched"

    # Faust names a table's changelog "<app id>-<table>-changelog".
    TABLES = ("dedup-exact", "dedup-near", "open-events", "event-bodies", "alert-state")

    def internal_topics(self) -> list[tuple[str, dict[str, str]]]:
        """Topics the worker makes for itself, with their configs. Created up front so that a first
        worker subscribes to them at once instead of after its next metadata refresh."""
        out = [(self.dedup_topic, {}), (self.enriched_topic, {})]
        out += [(f"{self.app_id}-{t}-changelog", {"cleanup.policy": "compact"}) for t in self.TABLES]
        return out

    @property
    def articles_index(self) -> str:
        return f"{self.index_prefix}-articles"

    @property
    def events_index(self) -> str:
        return f"{self.index_prefix}-events"

    @property
    def alerts_index(self) -> str:
        return f"{self.index_prefix}-alerts"

    @property
    def state_dir(self) -> Path:
        return self.var_dir / "state"

    @property
    def es_hosts(self) -> list[str]:
        return [u.strip() for u in self.es_url.split(",") if u.strip()]


def get_settings() -> Settings:
    """Settings as the environment says now (read at call time, so tests can change it)."""
    return Settings()
