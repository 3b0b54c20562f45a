"""HTTP fetching for feeds: conditional GET, timeouts, a body size cap, a redirect limit, http(s) only."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

USER_AGENT = "Marsad/0.1 (+https://github.com/marsad-news/marsad; Arabic news observatory)"


class FetchError(Exception):
    """A fetch that produced no usable body; the message is one line a user can act on."""


@dataclass
class FetchResult:
    status: int
    body: bytes
    etag: str | None
    last_modified: str | None
    url: str  # after redirects
    content_type: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """Request headers that let the server answer 304 Not Modified."""
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _refuse_private(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host}: {exc.strerror}") from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved:
            raise FetchError(f"refusing {url}: {host} resolves to a private address ({addr})")


class Fetcher:
    def __init__(
        self,
        *,
        timeout: float = 20.0,
        max_bytes: int = 10 * 1024 * 1024,
        max_redirects: int = 5,
        allow_private: bool = True,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self.allow_private = allow_private
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True,
            max_redirects=max_redirects,
            headers={"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, application/xml, text/xml;q=0.9, */*;q=0.5"},
            transport=transport,
        )

    @classmethod
    def from_settings(cls, settings, *, allow_private: bool = True) -> Fetcher:
        """A fetcher with the timeout, size cap and redirect limit of MARSAD_ settings."""
        return cls(timeout=settings.fetch_timeout, max_bytes=settings.max_body_bytes,
                   max_redirects=settings.max_redirects, allow_private=allow_private)

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        scheme = urlsplit(url).scheme.lower()
        if scheme not in {"http", "https"}:
            raise FetchError(f"refusing {url}: only http and https feeds are fetched (got {scheme or 'no scheme'})")
        if not self.allow_private:
            _refuse_private(url)
        try:
            with self.client.stream("GET", url, headers=conditional_headers(etag, last_modified)) as resp:
                if resp.status_code == 304:
                    return FetchResult(304, b"", etag, last_modified, str(resp.url))
                if resp.status_code >= 400:
                    raise FetchError(f"{url} answered HTTP {resp.status_code}")
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(f"{url} body is {int(declared):,} bytes, over the {self.max_bytes:,}-byte cap")
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(f"{url} body passed the {self.max_bytes:,}-byte cap; fetch abandoned")
                    chunks.append(chunk)
                return FetchResult(
                    resp.status_code,
                    b"".join(chunks),
                    resp.headers.get("etag"),
                    resp.headers.get("last-modified"),
                    str(resp.url),
                    resp.headers.get("content-type"),
                )
        except httpx.TooManyRedirects as exc:
            raise FetchError(f"{url} redirected too many times") from exc
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url} timed out ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"{url} could not be fetched: {type(exc).__name__}: {exc}") from exc
