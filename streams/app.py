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

# Faust's Monitor figures (marsad/faust_metrics.py, served by faust_app.app) plus ours
# (streams/metrics.py) at http://<web_host>:<web_port>/metrics; the rebalance guard is
# faust_app.hold_streams_until_seeked.


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
