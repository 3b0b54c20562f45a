"""The Faust application: one app, its topics, and the processors registered on it."""

from __future__ import annotations

import logging
import os

from marsad import faust_app
from marsad.settings import get_settings

settings = get_settings()
# Each worker on a machine keeps its table stores in a folder of its own (RocksDB locks them).
datadir = settings.var_dir / "faust" / f"worker-{settings.web_port}"
datadir.parent.mkdir(parents=True, exist_ok=True)

app = faust_app.app(settings, settings.app_id, str(datadir))

log = logging.getLogger("marsad")

# Faust's sensors plus ours (streams/metrics.py) at http://<web_host>:<web_port>/metrics.
from faust.sensors.prometheus import setup_prometheus_sensors  # noqa: E402

setup_prometheus_sensors(app, name_prefix="faust")


@app.on_rebalance_complete.connect
async def _hold_streams_until_seeked(app, **kwargs) -> None:  # noqa: ARG001 - Faust's signal signature
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


@app.timer(5.0)
async def _exit_if_producer_crashed() -> None:
    """Faust's producer buffer does not restart after a crash, and the worker would then sit still
    with its partitions assigned. Exit instead, loudly, so a supervisor (or the operator) restarts
    it; uncommitted records are processed again, which the processors are built to absorb."""
    buffer = getattr(app.producer, "buffer", None)
    if buffer is not None and buffer.crashed:
        log.critical("the Kafka producer crashed (%r); exiting so the worker can be restarted", buffer.crash_reason)
        os._exit(70)


# Processors register themselves on `app` when imported.
from streams import topics  # noqa: E402,F401
from streams.articles import agents as _articles  # noqa: E402,F401
from streams.events import agents as _events  # noqa: E402,F401
from streams.index import agents as _index  # noqa: E402,F401
from streams.alerts import agents as _alerts  # noqa: E402,F401


def main() -> None:
    app.main()
