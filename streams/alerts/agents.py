"""marsad.events -> rules -> marsad.alerts -> webhooks; every alert and attempt goes back on marsad.alerts
for the indexer, alerts that cannot be delivered go to marsad.alerts.dlq.

Two agents, so a slow webhook never holds up rule evaluation: ``evaluate_alerts`` decides and
records (state in the ``alert-state`` table, changelog-backed, keyed by event id like its input, so
a restarted or rebalanced worker knows what was sent); ``deliver_alerts`` posts, with
``MARSAD_ALERT_CONCURRENCY`` deliveries in flight. An alert's offset is committed only once its
delivery finished (delivered or dead-lettered), so a stopped worker resumes pending deliveries.
"""

from __future__ import annotations

import logging

import faust
import httpx

from marsad import jsonio
from marsad.alerts.live import LiveRules
from marsad.alerts.matcher import matches
from marsad.alerts.payload import build_alert
from marsad.alerts.state import decide
from marsad.records import isoformat, utcnow
from streams import topics
from streams.alerts.delivery import Deliverer
from streams.app import app, settings
from streams.dlq import dead_letter

log = logging.getLogger("marsad.alerts")

alerts_dlq = app.topic(settings.topics.alerts_dlq, key_type=bytes, value_type=bytes)

# event id -> {rule id -> state (marsad.alerts.state.decide)}; only events that matched a rule.
alert_state = app.Table(
    "alert-state",
    default=None,
    schema=faust.Schema(key_serializer="json", value_serializer="json"),
    partitions=settings.partitions,
)

live_rules = LiveRules(settings.alerts_file)


@app.agent(topics.events)
async def evaluate_alerts(stream):
    async for event in stream.events():
        compiled = live_rules.compiled()
        if not compiled:
            continue
        try:
            ev = jsonio.loads(event.value)
            eid = ev["event_id"]
        except (ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
            await dead_letter("alerts", f"not an event: {exc}", event.value, event)
            continue
        found = matches(compiled, ev)
        if not found:
            continue
        states = dict(alert_state.get(eid) or {})
        at = isoformat(utcnow())
        offset = event.message.offset
        fired = 0
        for c, m in found:
            stored = states.get(c.rule.id)
            if stored and stored.get("offset") == offset:
                # This record is processed again after a crash: its state write may have survived
                # the alert it produced, so decide again from the state before it (same alert id).
                stored = stored.get("prior")
            d = decide(c.rule, ev, stored, at=at)
            if not d.fire:
                continue
            alert = build_alert(
                c.rule,
                ev,
                m,
                d,
                kibana_url=settings.kibana_url,
                index_pattern=f"{settings.events_index}*",
                at=at,
            )
            await topics.alerts.send(key=d.alert_id.encode(), value=jsonio.dumps(alert))
            prior = {k: v for k, v in (stored or {}).items() if k not in ("prior", "offset")} or None
            states[c.rule.id] = {**d.state, "offset": offset, "prior": prior}
            fired += 1
            log.info("alert %s: rule %s on event %s (%s)", d.alert_id, c.rule.id, eid, d.reason)
        if fired:
            alert_state[eid] = states


_deliverer: Deliverer | None = None


def deliverer() -> Deliverer:
    global _deliverer
    if _deliverer is None:

        async def attempt(record: dict) -> None:
            await topics.alerts.send(key=record["alert_id"].encode(), value=jsonio.dumps(record))

        async def dead(record: dict) -> None:
            await alerts_dlq.send(key=record["alert_id"].encode(), value=jsonio.dumps(record))

        client = httpx.AsyncClient(follow_redirects=False, limits=httpx.Limits(max_connections=100))
        _deliverer = Deliverer(
            client,
            hooks=live_rules.hooks,
            on_attempt=attempt,
            on_dead=dead,
            timeout=settings.alert_timeout,
            retries=settings.alert_retries,
            backoff_base=settings.alert_backoff,
            backoff_max=settings.alert_backoff_max,
        )
    return _deliverer


@app.agent(topics.alerts, concurrency=max(1, settings.alert_concurrency))
async def deliver_alerts(stream):
    async for event in stream.events():
        try:
            alert = jsonio.loads(event.value)
        except (ValueError, UnicodeDecodeError) as exc:
            await dead_letter("alerts", f"alert record is not JSON: {exc}", event.value, event)
            continue
        if not isinstance(alert, dict) or alert.get("kind") != "alert":
            continue  # delivery attempts share the topic (for the indexer)
        await deliverer().deliver(alert)
