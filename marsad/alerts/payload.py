"""What an alert says and how it is signed: the alert record, webhook bodies (JSON, Slack), HMAC headers,
delivery-attempt records and the retry schedule. Pure: no I/O, no clock unless passed in."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from typing import Any
from urllib.parse import quote

from marsad.alerts.matcher import Match
from marsad.alerts.rules import Rule
from marsad.alerts.state import Decision
from marsad.records import SCHEMA_VERSION

SIGNATURE_HEADER = "X-Marsad-Signature"
TIMESTAMP_HEADER = "X-Marsad-Timestamp"
ALERT_ID_HEADER = "X-Marsad-Alert-Id"
ATTEMPT_HEADER = "X-Marsad-Attempt"

# Event fields left out of a webhook: the per-report details are for the index, not a chat message.
_EVENT_DROP = ("reports",)


def kibana_link(kibana_url: str, event_id: str, index_pattern: str) -> str:
    """Discover, filtered to the one event, over the last year."""
    query = quote(f'event_id:"{event_id}"', safe="")
    return (
        f"{kibana_url.rstrip('/')}/app/discover#/?_g=(time:(from:now-1y,to:now))"
        f"&_a=(index:'{quote(index_pattern, safe='')}',query:(language:kuery,query:'{query}'))"
    )


def build_alert(
    rule: Rule,
    event: dict,
    found: Match,
    decision: Decision,
    *,
    kibana_url: str,
    index_pattern: str,
    at: str,
) -> dict[str, Any]:
    """The record sent to the alerts topic: the webhook body under ``payload`` and the names of the hooks
    to post it to. Hook URLs and secrets stay in the rules file and the environment (a Slack URL is a
    secret too), so nothing sensitive reaches Kafka or the index."""
    eid = str(event["event_id"])
    body = {
        "alert_id": decision.alert_id,
        "fired_at": at,
        "rule": {k: v for k, v in rule.to_dict().items() if k != "hooks"},
        "event": {k: v for k, v in event.items() if k not in _EVENT_DROP},
        "matched": {
            "sources": found.matched_sources,
            "reasons": found.reasons,
            "crossed": decision.crossed,
            "previous": decision.previous,
            "why": decision.reason,
        },
        "kibana_url": kibana_link(kibana_url, eid, index_pattern),
        "schema_version": SCHEMA_VERSION,
    }
    return {
        "kind": "alert",
        "alert_id": decision.alert_id,
        "rule_id": rule.id,
        "rule_name": rule.name or rule.id,
        "event_id": eid,
        "event_type": event.get("type"),
        "event_revision": event.get("revision"),
        "status": "fired",
        "at": at,
        "hooks": list(rule.hooks),
        "payload": body,
        "schema_version": SCHEMA_VERSION,
    }


def slack_body(payload: dict[str, Any]) -> dict[str, Any]:
    """A Slack incoming-webhook message (also read by Mattermost, Rocket.Chat and Discord's /slack)."""
    ev, rule, matched = payload["event"], payload["rule"], payload["matched"]
    loc = (ev.get("location") or {}).get("text") or (ev.get("location") or {}).get("canonical") or "?"
    figures = ", ".join(
        f"{k} {ev[k]}"
        for k in ("fatalities", "injured", "abducted", "arrested", "freed")
        if isinstance(ev.get(k), int)
    )
    actors = "، ".join(a.get("text") or a.get("canonical") or "" for a in ev.get("actors") or [])
    lines = [
        f"*{rule.get('name') or rule['id']}*: {ev.get('type')} in {loc} ({ev.get('event_date') or '?'})",
        f"{figures or 'no figures'}; {len(ev.get('sources') or [])} sources: {', '.join(matched['sources'])}",
    ]
    if actors:
        lines.append(f"actors: {actors}")
    if matched.get("why") and matched["why"] != "first match":
        lines.append(f"update: {matched['why']}")
    lines.append(f"<{payload['kibana_url']}|Open in Kibana>")
    text = "\n".join(lines)
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def body_bytes(alert: dict[str, Any], fmt: str) -> bytes:
    doc = slack_body(alert["payload"]) if fmt == "slack" else alert["payload"]
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(secret: bytes, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, "<timestamp>.<body>"): the timestamp is signed too, so a
    receiver can refuse old captures replayed at it."""
    mac = hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: bytes, timestamp: str, body: bytes, header: str) -> bool:
    """The receiver's side (and the recipe in the README)."""
    return hmac.compare_digest(signature(secret, timestamp, body), header)


def headers(alert_id: str, attempt: int, timestamp: str, body: bytes, secret: bytes | None) -> dict[str, str]:
    out = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "marsad-alerts/1",
        ALERT_ID_HEADER: alert_id,
        ATTEMPT_HEADER: str(attempt),
        TIMESTAMP_HEADER: timestamp,
    }
    if secret:
        out[SIGNATURE_HEADER] = signature(secret, timestamp, body)
    return out


def backoff(
    attempt: int, base: float, cap: float, jitter: float = 0.25, rnd: random.Random | None = None
) -> float:
    """Seconds to wait after failed attempt ``attempt`` (1-based): base·2^(attempt-1), capped, ±jitter."""
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    r = (rnd or random).random()
    return max(0.0, delay * (1 - jitter + 2 * jitter * r))


def delivery_record(
    alert: dict[str, Any],
    hook: str,
    attempt: int,
    status: str,
    *,
    at: str,
    http_status: int | None = None,
    error: str | None = None,
    latency_ms: float | None = None,
) -> dict[str, Any]:
    """One delivery attempt, for the index: ``status`` is delivered, failed (will retry) or dead."""
    return {
        "kind": "delivery",
        "delivery_id": f"{alert['alert_id']}.{hook}.{attempt}",
        "alert_id": alert["alert_id"],
        "rule_id": alert["rule_id"],
        "rule_name": alert.get("rule_name"),
        "event_id": alert["event_id"],
        "event_type": alert.get("event_type"),
        "hook": hook,
        "attempt": attempt,
        "status": status,
        "http_status": http_status,
        "error": error,
        "latency_ms": latency_ms,
        "at": at,
        "schema_version": SCHEMA_VERSION,
    }


def dead_alert(alert: dict[str, Any], hook: str, reason: str, attempts: int, at: str) -> dict[str, Any]:
    """What goes to the alerts dead-letter topic: the alert (for a replay), the hook, and why."""
    return {
        "alert_id": alert["alert_id"],
        "rule_id": alert["rule_id"],
        "event_id": alert["event_id"],
        "hook": hook,
        "reason": reason,
        "attempts": attempts,
        "at": at,
        "alert": alert,
        "schema_version": SCHEMA_VERSION,
    }
