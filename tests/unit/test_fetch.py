"""Conditional GET, caps and refusals, against a real HTTP server on loopback."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from agents.fetch import Fetcher, FetchError, conditional_headers

ETAG = '"v1"'
LAST_MODIFIED = "Fri, 20 Nov 2026 06:00:00 GMT"
BODY = "<rss version='2.0'><channel><title>x</title></channel></rss>".encode()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/feed":
            if self.headers.get("If-None-Match") == ETAG or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", ETAG)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)
        elif self.path == "/big":
            self.send_response(200)
            self.end_headers()  # no Content-Length: the cap must hold while streaming
            for _ in range(64):
                self.wfile.write(b"x" * 16384)
        elif self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/gone":
            self.send_response(404)
            self.end_headers()


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


@pytest.fixture
def fetcher():
    f = Fetcher(timeout=5, max_bytes=100_000, max_redirects=3)
    yield f
    f.close()


def test_conditional_headers_carry_validators():
    assert conditional_headers(ETAG, LAST_MODIFIED) == {"If-None-Match": ETAG, "If-Modified-Since": LAST_MODIFIED}
    assert conditional_headers(None, None) == {}


def test_first_fetch_returns_body_and_validators(server, fetcher):
    r = fetcher.fetch(f"{server}/feed")
    assert r.status == 200 and r.body == BODY
    assert r.etag == ETAG and r.last_modified == LAST_MODIFIED


def test_fetch_with_etag_is_not_modified(server, fetcher):
    r = fetcher.fetch(f"{server}/feed", etag=ETAG)
    assert r.not_modified and r.body == b""


def test_fetch_with_last_modified_is_not_modified(server, fetcher):
    assert fetcher.fetch(f"{server}/feed", last_modified=LAST_MODIFIED).not_modified


def test_body_over_the_cap_is_abandoned(server, fetcher):
    with pytest.raises(FetchError, match="cap"):
        fetcher.fetch(f"{server}/big")


def test_redirect_loop_stops_at_the_limit(server, fetcher):
    with pytest.raises(FetchError, match="redirected too many times"):
        fetcher.fetch(f"{server}/loop")


def test_http_error_is_one_line(server, fetcher):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher.fetch(f"{server}/gone")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed", "gopher://x"])
def test_non_http_schemes_are_refused(fetcher, url):
    with pytest.raises(FetchError, match="only http and https"):
        fetcher.fetch(url)


def test_private_addresses_can_be_refused(server):
    f = Fetcher(allow_private=False)
    with pytest.raises(FetchError, match="private address"):
        f.fetch(f"{server}/feed")
    f.close()
