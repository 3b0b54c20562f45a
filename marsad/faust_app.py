"""How Marsad runs Faust: the app options every worker uses, the consumer setting Faust does not
expose, the rebalance guard and the /metrics page. The worker (streams/app.py) and the
machinery ceiling (marsad/bench/machinery.py) both build their app here.

Faust's aiokafka driver creates the worker's consumer with `fetch_max_wait_ms=1500`, fixed. aiokafka
keeps one fetch request in flight per broker, and a request for partitions that have nothing new is
held by the broker until that wait runs out; every other partition's next fetch waits behind it. With
one broker and a topology of several hops, a stage that drained its records could sit idle for up to
1.5 s. `MARSAD_FETCH_MAX_WAIT_MS` (default 50) shortens that hold: the Faust machinery ceiling
(`marsad/bench/machinery.py`, our topology with empty steps) went from 163-188 to 210-227 articles/s
with it, and from there to 285 with 8 MB per-partition fetches.

The producer has a like limit: one produce request in flight per broker, and a send to a partition
whose batch is full waits for it. aiokafka's 16 KB batches hold about three articles, so the
clean stage, which sends every article to the one dedup partition, waited on nearly every third.
`MARSAD_PRODUCER_BATCH_BYTES` (default 1 MB): 151-159 against 138-143 articles/s end to end.
"""

from __future__ import annotations

import sys
from typing import Any

import faust
from faust.transport.drivers import aiokafka as driver
from mode.utils.logging import DEFAULT_FORMAT

from marsad.kafka_config import faust_credentials
from marsad.settings import Settings


def faust_app_options(s: Settings, datadir: str) -> dict[str, Any]:
    """Keyword arguments for `faust.App` besides its id: the worker's (streams/app.py) and the
    machinery ceiling's, which must run Faust exactly as the worker does."""
    return dict(
        broker=";".join(f"kafka://{b.strip()}" for b in s.kafka_bootstrap.split(",")),
        broker_credentials=faust_credentials(s),
        store=s.store,
        key_serializer="raw",
        value_serializer="raw",
        topic_partitions=s.partitions,
        topic_replication_factor=1,
        topic_allow_declare=True,
        consumer_auto_offset_reset="earliest",
        consumer_max_fetch_size=s.consumer_fetch_bytes,
        processing_guarantee="at_least_once",
        broker_commit_interval=1.0,
        producer_max_request_size=s.max_record_bytes,
        producer_linger_ms=s.producer_linger_ms,
        producer_max_batch_size=s.producer_batch_bytes,
        # A worker killed without goodbye holds its partitions until this runs out.
        broker_session_timeout=s.session_timeout,
        web_host="127.0.0.1",
        web_port=s.web_port,
        datadir=datadir,
        autodiscover=False,
        logging_config=plain_logging(),
    )


def use_event_loop(s: Settings) -> None:
    """Select the worker's event loop (MARSAD_EVENT_LOOP) before Faust creates it.

    uvloop by default, as Faust's `--loop uvloop`: one thread carries every processor's stream, both
    Kafka clients and the indexer, and the loop's own bookkeeping was about a fifth of that thread's
    samples under asyncio's loop (py-spy at saturation)."""
    if s.event_loop not in ("uvloop", "aio"):
        raise ValueError(f"MARSAD_EVENT_LOOP must be uvloop or aio, not {s.event_loop!r}")
    if s.event_loop == "uvloop":
        import mode.loop

        mode.loop.use("uvloop")


def plain_logging() -> dict | None:
    """The worker's log lines without colorlog when they go to a file or a pipe (None: Faust's
    default, colours on a terminal). Faust formats every record with colorlog's TTY formatter,
    which rebuilds its escape-code table per record even when it then strips the colours; at a few
    hundred "new article" lines a second that was a few per cent of the worker's CPU. Same line
    format, and a `--logfile` keeps its file handler."""
    if sys.stdout.isatty():
        return None
    return {
        "merge": True,
        "formatters": {"colored": {"()": "mode.utils.logging.DefaultFormatter", "format": DEFAULT_FORMAT}},
    }


async def hold_streams_until_seeked(app, **kwargs) -> None:  # noqa: ARG001 - Faust's signal signature
    """Fetch nothing for the streams until Faust has seeked them to the committed offsets.

    After a rebalance Faust's Recovery.on_recovery_completed resumes the stream partitions first
    and seeks them to the committed offsets second, with the fetcher already running. Records
    fetched in between reach the agents' queues, and `flow_control.resume()` right after the seek
    empties those queues; meanwhile the consumer's read offsets have moved past the records, so
    their second fetch is dropped as already read and the gap bookkeeping counts them as acked.
    They were never processed, yet their offsets get committed: articles went missing after a
    SIGKILL with lag 0 everywhere (or, when a read offset was reset under a running batch, a
    partition never committed again). This signal comes just before that resume-then-seek; with
    the flow stopped, the seek happens first and the `resume_flow()` that follows it starts
    every stream from its committed offset.
    """
    app.consumer.stop_flow()


class _ConsumerThread(driver.AIOKafkaConsumerThread):
    fetch_max_wait_ms = 1500

    def _create_worker_consumer(self, transport):
        consumer = super()._create_worker_consumer(transport)
        # aiokafka hands this to its Fetcher when the consumer starts (tests/unit/test_faust_app.py
        # checks that the attribute is still where aiokafka reads it).
        consumer._fetch_max_wait_ms = self.fetch_max_wait_ms
        return consumer


def app(
    settings: Settings, app_id: str, datadir: str, *, metrics: bool = True, **overrides: Any
) -> faust.App:
    """A Faust app with Marsad's options whose worker consumer waits at most
    `settings.fetch_max_wait_ms` for a fetch, with the rebalance guard above and, with `metrics`,
    a /metrics page with Marsad's metrics and Faust's Monitor figures (marsad/faust_metrics.py)."""

    class ConsumerThread(_ConsumerThread):
        fetch_max_wait_ms = settings.fetch_max_wait_ms

    class Consumer(driver.Consumer):
        def _new_consumer_thread(self):
            return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    class App(faust.App):
        def _new_transport(self):
            transport = super()._new_transport()
            transport.Consumer = Consumer
            return transport

    made = App(app_id, **{**faust_app_options(settings, datadir), **overrides})
    made.on_rebalance_complete.connect(hold_streams_until_seeked)
    if metrics:
        from marsad.faust_metrics import serve_metrics

        serve_metrics(made)
    return made
