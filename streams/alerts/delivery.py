"""Webhook delivery: signed POSTs with a timeout, retries with exponential backoff, then the dead-letter topic.

One ``Deliverer`` per worker, shared by the delivery agent's concurrent actors; the hooks of one alert
are posted concurrently. Every attempt is reported through ``on_attempt`` (the agent indexes it);
an alert that exhausts its retries on a hook goes through ``on_dead`` with the reason.

What counts as what:

* 2xx: delivered;
* connection errors, timeouts, 408, 425, 429 and 5xx: retried, waiting ``backoff`` between tries
  (``Retry-After`` on a 429/503 is honoured up to the cap);
* any other status (400, 401, 404 …): the receiver refuses this alert and will refuse it again,
  so it is dead at once rather than retried.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from marsad.alerts.payload import backoff, body_bytes, dead_alert, delivery_record, headers
from marsad.alerts.rules import Hook
from marsad.records import isoformat, utcnow

log = logging.getLogger("marsad.alerts.delivery")

RETRYABLE = {408, 425, 429, 500, 502, 503, 504}


@dataclass
class Outcome:
    hook: str
    delivered: bool
    attempts: int
    reason: str = ""


class Deliverer:
    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        hooks: Callable[[], dict[str, Hook]],
        on_attempt: Callable[[dict[str, Any]], Awaitable[None]],
        on_dead: Callable[[dict[str, Any]], Awaitable[None]],
        timeout: float = 5.0,
        retries: int = 5,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.client = client
        self.hooks = hooks
        self.on_attempt = on_attempt
        self.on_dead = on_dead
        self.timeout = timeout
        self.retries = retries
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self._sleep = sleep

    async def deliver(self, alert: dict[str, Any]) -> list[Outcome]:
        names = list(alert.get("hooks") or [])
        return list(await asyncio.gather(*(self._one(alert, n) for n in names)))

    async def _one(self, alert: dict[str, Any], name: str) -> Outcome:
        # The hook as the rules file says now: a URL or secret fixed after the alert fired is used.
        hook = self.hooks().get(name)
        if hook is None:
            return await self._dead(alert, name, 0, f"hook {name!r} is no longer defined in the rules file")
        retries = hook.retries if hook.retries is not None else self.retries
        timeout = hook.timeout or self.timeout
        body = body_bytes(alert, hook.format)
        secret = hook.secret()
        if hook.secret_env and secret is None:
            log.warning(
                "hook %s: %s is unset; sending alert %s unsigned", name, hook.secret_env, alert["alert_id"]
            )
        attempt = 0
        while True:
            attempt += 1
            stamp = str(int(time.time()))
            started = time.monotonic()
            status: int | None = None
            retry_after: float | None = None
            try:
                resp = await self.client.post(
                    hook.url,
                    content=body,
                    headers=headers(alert["alert_id"], attempt, stamp, body, secret),
                    timeout=timeout,
                )
                status = resp.status_code
                error = None if 200 <= status < 300 else f"HTTP {status}"
                retryable = status in RETRYABLE
                retry_after = _retry_after(resp.headers.get("Retry-After"))
            except httpx.TimeoutException:
                error, retryable = f"no answer within {timeout:g}s", True
            except httpx.HTTPError as exc:
                error, retryable = f"{type(exc).__name__}: {exc}", True
            latency = round((time.monotonic() - started) * 1000, 1)
            at = isoformat(utcnow())
            if error is None:
                await self.on_attempt(
                    delivery_record(
                        alert, name, attempt, "delivered", at=at, http_status=status, latency_ms=latency
                    )
                )
                log.info(
                    "alert %s delivered to %s (attempt %d, %.0f ms)",
                    alert["alert_id"],
                    name,
                    attempt,
                    latency,
                )
                return Outcome(name, True, attempt)
            last = attempt > retries or not retryable
            await self.on_attempt(
                delivery_record(
                    alert,
                    name,
                    attempt,
                    "dead" if last else "failed",
                    at=at,
                    http_status=status,
                    error=error,
                    latency_ms=latency,
                )
            )
            if last:
                why = error if retryable else f"receiver refused it: {error}"
                reason = f"{why} (after {attempt} attempt{'s' if attempt > 1 else ''})"
                return await self._dead(alert, name, attempt, reason)
            delay = backoff(attempt, self.backoff_base, self.backoff_max)
            if retry_after is not None:
                delay = min(self.backoff_max, max(delay, retry_after))
            log.info(
                "alert %s to %s failed (%s); attempt %d of %d in %.1fs",
                alert["alert_id"],
                name,
                error,
                attempt + 1,
                retries + 1,
                delay,
            )
            await self._sleep(delay)

    async def _dead(self, alert: dict[str, Any], name: str, attempts: int, reason: str) -> Outcome:
        log.warning("alert %s to hook %s dead-lettered: %s", alert["alert_id"], name, reason)
        await self.on_dead(dead_alert(alert, name, reason, attempts, isoformat(utcnow())))
        return Outcome(name, False, attempts, reason)


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: the backoff schedule is good enough
