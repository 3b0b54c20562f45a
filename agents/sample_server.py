"""A local HTTP server for the bundled sample feed, so the demo exercises the real fetch path offline."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "samples"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


def serve_samples(host: str = "127.0.0.1", port: int = 8765, directory: Path = SAMPLES) -> ThreadingHTTPServer:
    """Serve `directory` in a daemon thread (Last-Modified and If-Modified-Since included); returns the server."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, name="sample-feed-server", daemon=True).start()
    return server
