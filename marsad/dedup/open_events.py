"""The merge step's state (level 3), as pure functions over two tables the stream keeps:

- open events: partition key ("<type>|<country>") -> summaries of the events that can still take
  reports under it, what matching and expiry read. A busy key holds many events; rewriting every
  event's reports on every mention made each write grow with the key (and overflowed Kafka's
  record limit), so a summary carries only the ids of its reports;
- event bodies: event id -> the whole event, read only for events a mention could join, and
  written only for the event it joins.

`streams/events/agents.py` runs one `merge_mention` (and `MergeStep.apply`) per mention against its
Faust tables; `benchmarks/bench_replay.py` runs the same against dicts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass

from marsad import jsonio
from marsad.dedup import discard
from marsad.dedup.events import assign, candidates_match, expire

log = logging.getLogger("marsad.events")

_HEAVY = ("reports", "casualty_history", "article_ids", "copied_reports")


def summary(event: dict) -> dict:
    """What the open-events list keeps of an event: everything but the reports, plus their ids."""
    out = {k: v for k, v in event.items() if k not in _HEAVY}
    if "reports" in event:
        out["mention_ids"] = sorted(event.get("reports") or {})
    else:
        out["mention_ids"] = list(event.get("mention_ids") or [])
    return out


def join(summaries: list[dict], mention: dict, body: Callable[[str], dict | None]) -> tuple[dict, bool]:
    """The event `mention` joins among `summaries` (or a new one), and whether it changed.

    Only events the mention could join are read whole (`body(event_id)`); the others take part as
    summaries without reports, which is all `assign` needs to pick a match and keep ids apart."""
    mid = mention.get("mention_id")
    hydrated = []
    for x in summaries:
        if mid in (x.get("mention_ids") or ()) or candidates_match(x, mention):
            full = body(x["event_id"])
            hydrated.append(full if full is not None else {**x, "reports": {}})
        else:
            hydrated.append({**x, "reports": {}})
    _, merged, changed = assign(hydrated, mention)
    return merged, changed


def bound_open_events(events: list[dict], max_bytes: int) -> list[dict]:
    """The open events of one key, held under `max_bytes` of JSON: when a key runs hot (an unlocated
    type, a war's busiest country), the events whose last report is oldest stop taking reports first.
    Keeps the table value, and so its changelog record, within what Kafka accepts."""
    size = len(jsonio.dumps(events))
    if size <= max_bytes:
        return events
    kept = sorted(events, key=lambda e: str(e.get("last_seen") or ""), reverse=True)
    while kept and size > max_bytes:
        gone = kept.pop()
        size -= len(jsonio.dumps(gone))
        log.warning("open events under one key over %d bytes: %s (%s, last seen %s) takes no more reports",
                    max_bytes, gone.get("event_id"), gone.get("type"), gone.get("last_seen"))
    return kept


@dataclass
class MergeStep:
    """One mention merged: the key's new summaries, the event it joined, whether that event changed,
    and the ids of events that left the key (expired or bounded out), whose bodies go too."""

    kept: list[dict]
    merged: dict
    changed: bool
    gone: set[str]

    def apply(self, key: str, open_events: MutableMapping, bodies: MutableMapping) -> None:
        """Write the step into the two tables (Faust tables in the stream, dicts in the benchmark):
        the joined event's body when it changed, the bodies of events that left dropped with them,
        and the key's new summaries."""
        if self.changed:
            bodies[self.merged["event_id"]] = self.merged
        for gone in self.gone:
            discard(bodies, gone)
        open_events[key] = self.kept


def merge_mention(
    stored: list[dict] | None, mention: dict, body: Callable[[str], dict | None], max_bytes: int
) -> MergeStep:
    """Expire the key's events by the mention's publication day (stream time), join the mention,
    and bound what stays. `stored` is the key's open-events value as the table holds it."""
    loaded = [summary(x) for x in (stored or [])]
    day = (mention.get("published_at") or "")[:10] or None
    live = expire(loaded, day) if day else loaded
    merged, changed = join(live, mention, body)
    kept = bound_open_events(
        [x for x in live if x["event_id"] != merged["event_id"]] + [summary(merged)], max_bytes
    )
    gone = ({x["event_id"] for x in loaded} | {merged["event_id"]}) - {x["event_id"] for x in kept}
    return MergeStep(kept=kept, merged=merged, changed=changed, gone=gone)
