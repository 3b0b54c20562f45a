"""When a matching event alerts: once per (rule, event), and again only when it crosses a higher bound.

**Bound crossing, precisely.** A rule's threshold on a field (a casualty figure, ``sources`` or
``mentions``) is an ascending list of bounds ``b1 < b2 < … < bn`` (one number is a list of one).
The event's *band* on that field is the highest bound its value has reached: ``max{b : value >= b}``
(no band below ``b1``, where the rule does not match at all). An update of an event *crosses a
bound* when, on some thresholded field, its band is higher than the highest band that field was in
at any alert already sent for this (rule, event).

So, for ``fatalities: [5, 20]``: 3 dead, no alert; 7 dead, alert (band 5); 9 and 15, nothing;
22, alert (band 20); 40, nothing. New mentions, sources or text never re-alert by themselves; a
rule with no thresholds alerts once per event. Bands never go down (figures are maxima of reports),
and if they did, or the rule's bounds were edited, a band at or below one already alerted stays
silent: no alert twice for one level. A rule is known by its ``id``: to alert again on everything,
give the rule a new id.

The per-(rule, event) state is the small dict returned here; the stream keeps it in a Faust table
with a changelog, so a restarted worker knows what it has already sent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from marsad.alerts.matcher import figure
from marsad.alerts.rules import Rule


def bands(rule: Rule, event: dict) -> dict[str, int]:
    """The event's band on each of the rule's thresholded fields (fields below their lowest bound left out)."""
    out = {}
    for name, bounds in rule.thresholds.items():
        value = figure(event, name)
        if value is None:
            continue
        reached = [b for b in bounds if value >= b]
        if reached:
            out[name] = reached[-1]
    return out


def alert_id(rule_id: str, event_id: str, bands_after: dict[str, int]) -> str:
    """Deterministic: the same (rule, event, bands) is the same alert, so replays overwrite its documents
    and a receiver can drop a redelivery by this id."""
    levels = ",".join(f"{k}={v}" for k, v in sorted(bands_after.items()))
    return "al-" + hashlib.blake2b(f"{rule_id}|{event_id}|{levels}".encode(), digest_size=10).hexdigest()


@dataclass
class Decision:
    fire: bool
    state: dict
    crossed: dict[str, int] = field(default_factory=dict)  # fields whose band rose: name -> new band
    previous: dict[str, int] = field(default_factory=dict)  # their band at the last alert (absent: none)
    reason: str = ""
    alert_id: str = ""


def decide(rule: Rule, event: dict, state: dict | None, at: str = "") -> Decision:
    """Whether a *matching* event alerts now, given the stored state of (rule, event).

    ``state`` is what the last call stored (None before the first alert): ``{"bands": {...},
    "alerts": n, "last_alert_id": ..., "at": ...}``. Returns the state to store (unchanged when
    nothing fires).
    """
    now = bands(rule, event)
    eid = str(event.get("event_id") or "")
    if not state:
        aid = alert_id(rule.id, eid, now)
        new = {"bands": now, "alerts": 1, "last_alert_id": aid, "at": at}
        return Decision(True, new, crossed=now, reason="first match", alert_id=aid)
    before = state.get("bands") or {}
    crossed = {k: v for k, v in now.items() if v > before.get(k, -1)}
    if not crossed:
        return Decision(False, state, reason="no new bound crossed")
    merged = dict(before)
    merged.update(crossed)
    aid = alert_id(rule.id, eid, merged)
    new = {"bands": merged, "alerts": int(state.get("alerts") or 0) + 1, "last_alert_id": aid, "at": at}
    previous = {k: before[k] for k in crossed if k in before}
    why = ", ".join(
        f"{k} reached {v}" + (f" (was {before[k]})" if k in before else "") for k, v in crossed.items()
    )
    return Decision(True, new, crossed=crossed, previous=previous, reason=why, alert_id=aid)
