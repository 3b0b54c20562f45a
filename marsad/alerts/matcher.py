"""Does an event match a rule? The in-process stand-in for Elasticsearch's percolator.

The local Elasticsearch (the integ-test distribution, see the README's "The local stack") has no
percolator module, and a percolate request per event update would put a network round trip between
every event and its webhook anyway. Rules are therefore compiled once per rules-file load and
evaluated here, with the semantics a percolated query on ``marsad-events`` would have:

* ``types``: any pattern matches the event's ``type`` (shell wildcards: ``battle.*``, ``remote.?*``);
* ``place``: any of ``names`` (analyzed like ``location.text``, the name's words in a row in the
  location's text, canonical name or admin1), ``countries`` (``location.country``), or ``near``
  (great-circle distance of ``location.lat/lon`` from the point within ``radius_km``);
* ``actors``: any listed name's words in a row in one actor's ``text`` or ``canonical``;
* thresholds: each figure (and ``sources``, the number of distinct outlets, and ``mentions``) at
  least the rule's lowest bound;
* ``query``: every word (``marsad_text``: folded, stop words out, stemmed) somewhere in the event's
  text fields, every "phrase" (``marsad_text_exact``) word for word inside one field: a
  ``multi_match`` with ``operator: and`` over the fields ``marsad-events`` maps as text
  (``actors.text``, ``location.text``, ``trigger``, ``sentence``), as ``marsad search`` does.

Every part given must hold (AND); an absent part does not constrain.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from marsad.alerts.analysis import analyze, analyze_exact
from marsad.alerts.rules import Rule, RuleError

_PHRASE = re.compile(r'"([^"]+)"|«([^»]+)»')
EARTH_RADIUS_KM = 6371.0088


def split_query(text: str) -> tuple[list[str], str]:
    """(phrases, remaining words); phrases are written in "..." or «...», as in ``marsad search``."""
    phrases = [(a or b).strip() for a, b in _PHRASE.findall(text)]
    return [p for p in phrases if p], _PHRASE.sub(" ", text).strip()


@dataclass(frozen=True)
class Compiled:
    """A rule with its text parts analyzed once."""

    rule: Rule
    place_names: tuple[tuple[str, ...], ...] = ()
    actors: tuple[tuple[str, ...], ...] = ()
    words: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()


@dataclass
class Match:
    rule_id: str
    reasons: list[str] = field(default_factory=list)
    matched_sources: list[str] = field(default_factory=list)


def compile_rule(rule: Rule) -> Compiled:
    place_names = tuple(t for t in (tuple(analyze(n)) for n in rule.place.names) if t)
    if len(place_names) < len(rule.place.names):
        raise RuleError(f"rule {rule.id!r}.place.names: a name has no searchable words")
    actors = tuple(t for t in (tuple(analyze(a)) for a in rule.actors) if t)
    if len(actors) < len(rule.actors):
        raise RuleError(f"rule {rule.id!r}.actors: a name has no searchable words")
    phrases, rest = split_query(rule.query)
    words = frozenset(analyze(rest))
    exact = tuple(t for t in (tuple(analyze_exact(p)) for p in phrases) if t)
    if rule.query and not words and not exact:
        raise RuleError(f"rule {rule.id!r}.query: {rule.query!r} has no searchable words (only stop words?)")
    return Compiled(rule=rule, place_names=place_names, actors=actors, words=words, phrases=exact)


def compile_rules(rules: Iterable[Rule]) -> list[Compiled]:
    return [compile_rule(r) for r in rules]


def _contains(seq: list[str], sub: tuple[str, ...]) -> bool:
    n = len(sub)
    return any(tuple(seq[i : i + n]) == sub for i in range(len(seq) - n + 1))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def figure(event: dict, name: str) -> int | None:
    """A threshold field's value on an event: a casualty figure, or the count of sources/mentions."""
    if name == "sources":
        return len(event.get("sources") or [])
    if name == "mentions":
        value = event.get("mentions")
    else:
        value = event.get(name)
        if name == "fatalities" and not isinstance(value, int):
            value = event.get("fatalities_min")  # "عشرات القتلى" still counts as at least its floor
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _place_reason(c: Compiled, location: dict | None) -> str | None:
    if not location:
        return None
    place = c.rule.place
    country = str(location.get("country") or "").upper()
    if country and country in place.countries:
        return f"country {country}"
    if place.names:
        texts = [location.get(k) for k in ("text", "canonical", "admin1")]
        tokens = [analyze(t) for t in texts if isinstance(t, str) and t]
        for name, words in zip(place.names, c.place_names, strict=True):
            if any(_contains(t, words) for t in tokens):
                return f"place {name}"
    if place.near is not None:
        lat, lon = location.get("lat"), location.get("lon")
        if isinstance(lat, int | float) and isinstance(lon, int | float):
            d = distance_km(place.near.lat, place.near.lon, float(lat), float(lon))
            if d <= place.near.radius_km:
                return f"{d:.0f} km from ({place.near.lat}, {place.near.lon})"
    return None


def _actor_reason(c: Compiled, actors: Iterable[dict] | None) -> str | None:
    for a in actors or ():
        tokens = [analyze(a[k]) for k in ("text", "canonical") if isinstance(a.get(k), str) and a[k]]
        for name, words in zip(c.rule.actors, c.actors, strict=True):
            if any(_contains(t, words) for t in tokens):
                return f"actor {name}"
    return None


def _text_fields(event: dict) -> list[str]:
    out = [a.get("text") for a in event.get("actors") or ()]
    out.append((event.get("location") or {}).get("text"))
    for name in ("trigger", "sentence"):
        value = event.get(name)
        out.extend(value if isinstance(value, list) else [value])
    return [t for t in out if isinstance(t, str) and t]


def _query_holds(c: Compiled, event: dict) -> bool:
    fields = _text_fields(event)
    if c.words:
        terms = {t for f in fields for t in analyze(f)}
        if not c.words <= terms:
            return False
    if c.phrases:
        exact = [analyze_exact(f) for f in fields]
        if not all(any(_contains(e, p) for e in exact) for p in c.phrases):
            return False
    return True


def match(c: Compiled, event: dict) -> Match | None:
    """A Match with the reasons when every part of the rule holds for the event, else None."""
    rule = c.rule
    reasons: list[str] = []
    kind = str(event.get("type") or "")
    if rule.types:
        pattern = next((p for p in rule.types if fnmatchcase(kind, p)), None)
        if pattern is None:
            return None
        reasons.append(f"type {kind} ~ {pattern}")
    for name, bounds in rule.thresholds.items():
        value = figure(event, name)
        if value is None or value < bounds[0]:
            return None
        reasons.append(f"{name} {value} >= {bounds[0]}")
    if not rule.place.empty():
        why = _place_reason(c, event.get("location"))
        if why is None:
            return None
        reasons.append(why)
    if rule.actors:
        why = _actor_reason(c, event.get("actors"))
        if why is None:
            return None
        reasons.append(why)
    if rule.query:
        if not _query_holds(c, event):
            return None
        reasons.append(f"query {rule.query}")
    return Match(rule_id=rule.id, reasons=reasons, matched_sources=matched_sources(c, event))


def matched_sources(c: Compiled, event: dict) -> list[str]:
    """The outlets whose own reports satisfy the rule's place and actor parts (all of the event's
    sources when the rule has neither, or when no single report carries them on its own)."""
    rule = c.rule
    if rule.place.empty() and not rule.actors:
        return sorted(event.get("sources") or [])
    out = set()
    for r in (event.get("reports") or {}).values():
        if not rule.place.empty() and _place_reason(c, r.get("location")) is None:
            continue
        if rule.actors and _actor_reason(c, r.get("actors")) is None:
            continue
        if r.get("source"):
            out.add(r["source"])
    return sorted(out) or sorted(event.get("sources") or [])


def matches(compiled: Iterable[Compiled], event: dict) -> list[tuple[Compiled, Match]]:
    out = []
    for c in compiled:
        m = match(c, event)
        if m is not None:
            out.append((c, m))
    return out
