"""Alert rules and webhooks: the YAML file's model, loading, validation and saving.

The file (``MARSAD_ALERTS_FILE``, default ``deploy/alerts.yaml``) has two sections::

    hooks:
      ops-room:                       # a name rules refer to
        url: https://hooks.example.org/marsad
        secret_env: MARSAD_HOOK_OPS_ROOM_SECRET   # the env var holding the HMAC key (never the key)
        format: json                  # or slack
        timeout: 5                    # seconds, optional (MARSAD_ALERT_TIMEOUT)
        retries: 5                    # optional (MARSAD_ALERT_RETRIES)
    rules:
      - id: libya-deadly-clashes
        name: Deadly clashes in Libya
        types: ["battle.*", "remote.*"]
        place: {countries: [LY]}
        fatalities: [5, 20, 100]
        hooks: [ops-room]

Every problem is reported as one ``RuleError`` line naming the file, the rule and the field.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

# Numeric thresholds a rule may set, each an int or an ascending list of bounds (see state.py).
FIGURE_FIELDS = ("fatalities", "injured", "abducted", "arrested", "freed")
COUNT_FIELDS = ("sources", "mentions")
THRESHOLD_FIELDS = FIGURE_FIELDS + COUNT_FIELDS

FORMATS = ("json", "slack")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_ENV = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_TYPE = re.compile(r"^[a-z*?][a-z.*?_\[\]-]*$")


class RuleError(ValueError):
    """A rules file or rule that cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Hook:
    name: str
    url: str
    secret_env: str | None = None
    format: str = "json"
    timeout: float | None = None
    retries: int | None = None

    def secret(self) -> bytes | None:
        """The signing key from the environment (None when the hook signs nothing or it is unset)."""
        if not self.secret_env:
            return None
        value = os.environ.get(self.secret_env)
        return value.encode("utf-8") if value else None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None and k != "name"}


@dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    radius_km: float


@dataclass(frozen=True)
class Place:
    """Where: any of the listed names, any of the countries, or within a radius of a point."""

    names: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    near: Near | None = None

    def empty(self) -> bool:
        return not self.names and not self.countries and self.near is None


@dataclass(frozen=True)
class Rule:
    id: str
    name: str = ""
    enabled: bool = True
    types: tuple[str, ...] = ()
    place: Place = field(default_factory=Place)
    actors: tuple[str, ...] = ()
    query: str = ""
    thresholds: dict[str, tuple[int, ...]] = field(default_factory=dict)
    hooks: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The rule as written in YAML (defaults left out)."""
        out: dict[str, Any] = {"id": self.id}
        if self.name:
            out["name"] = self.name
        if not self.enabled:
            out["enabled"] = False
        if self.types:
            out["types"] = list(self.types)
        if not self.place.empty():
            place: dict[str, Any] = {}
            if self.place.names:
                place["names"] = list(self.place.names)
            if self.place.countries:
                place["countries"] = list(self.place.countries)
            if self.place.near:
                place["near"] = asdict(self.place.near)
            out["place"] = place
        if self.actors:
            out["actors"] = list(self.actors)
        if self.query:
            out["query"] = self.query
        for name in THRESHOLD_FIELDS:
            if name in self.thresholds:
                bounds = self.thresholds[name]
                out[name] = bounds[0] if len(bounds) == 1 else list(bounds)
        out["hooks"] = list(self.hooks)
        return out


@dataclass(frozen=True)
class RuleSet:
    hooks: dict[str, Hook]
    rules: tuple[Rule, ...]

    def enabled(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.enabled)

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "hooks": {n: h.to_dict() for n, h in self.hooks.items()},
            "rules": [r.to_dict() for r in self.rules],
        }


EMPTY = RuleSet(hooks={}, rules=())


# -- parsing ---------------------------------------------------------------------------------------


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RuleError(f"{where}: expected a string or a list of non-empty strings, got {value!r}")
    return tuple(v.strip() for v in value)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise RuleError(f"{where}: expected a number, got {value!r}")
    return float(value)


def _bounds(value: Any, where: str) -> tuple[int, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in items):
        raise RuleError(f"{where}: expected a whole number >= 0 or a list of them, got {value!r}")
    if list(items) != sorted(set(items)):
        raise RuleError(f"{where}: bounds must be strictly ascending, got {value!r}")
    return tuple(items)


def _place(value: Any, where: str) -> Place:
    if value is None:
        return Place()
    if not isinstance(value, dict):
        raise RuleError(f"{where}: expected a mapping with names, countries and/or near")
    unknown = set(value) - {"names", "countries", "near"}
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)} (expected names, countries, near)")
    near = None
    if value.get("near") is not None:
        n = value["near"]
        if not isinstance(n, dict) or set(n) != {"lat", "lon", "radius_km"}:
            raise RuleError(f"{where}.near: expected {{lat, lon, radius_km}}, got {n!r}")
        lat, lon = _number(n["lat"], f"{where}.near.lat"), _number(n["lon"], f"{where}.near.lon")
        radius = _number(n["radius_km"], f"{where}.near.radius_km")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or radius <= 0:
            raise RuleError(f"{where}.near: lat in [-90, 90], lon in [-180, 180], radius_km > 0")
        near = Near(lat, lon, radius)
    countries = tuple(c.upper() for c in _strings(value.get("countries"), f"{where}.countries"))
    return Place(names=_strings(value.get("names"), f"{where}.names"), countries=countries, near=near)


_RULE_KEYS = {"id", "name", "enabled", "types", "place", "actors", "query", "hooks", *THRESHOLD_FIELDS}


def parse_rule(data: Any, hooks: dict[str, Hook], where: str = "rule") -> Rule:
    if not isinstance(data, dict):
        raise RuleError(f"{where}: expected a mapping, got {type(data).__name__}")
    rid = data.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        raise RuleError(f"{where}: 'id' must be letters, digits, '_', '-', '.' (got {rid!r})")
    where = f"{where} {rid!r}"
    unknown = set(data) - _RULE_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)}")
    types = _strings(data.get("types"), f"{where}.types")
    for t in types:
        if not _TYPE.match(t):
            raise RuleError(f"{where}.types: {t!r} is not an event type or a wildcard such as 'battle.*'")
    query = data.get("query") or ""
    if not isinstance(query, str):
        raise RuleError(f"{where}.query: expected a string")
    thresholds = {n: _bounds(data[n], f"{where}.{n}") for n in THRESHOLD_FIELDS if data.get(n) is not None}
    rule_hooks = _strings(data.get("hooks"), f"{where}.hooks")
    if not rule_hooks:
        raise RuleError(f"{where}: 'hooks' must name at least one hook")
    missing = [h for h in rule_hooks if h not in hooks]
    if missing:
        raise RuleError(
            f"{where}.hooks: no hook named {', '.join(missing)} (defined: {', '.join(hooks) or 'none'})"
        )
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RuleError(f"{where}.enabled: expected true or false")
    rule = Rule(
        id=rid,
        name=str(data.get("name") or ""),
        enabled=enabled,
        types=types,
        place=_place(data.get("place"), f"{where}.place"),
        actors=_strings(data.get("actors"), f"{where}.actors"),
        query=query.strip(),
        thresholds=thresholds,
        hooks=rule_hooks,
    )
    if not (rule.types or not rule.place.empty() or rule.actors or rule.query or rule.thresholds):
        raise RuleError(
            f"{where}: matches every event; give at least one of types, place, actors, query or a threshold"
        )
    return rule


def parse_hook(name: Any, data: Any) -> Hook:
    where = f"hook {name!r}"
    if not isinstance(name, str) or not _ID.match(name):
        raise RuleError(f"{where}: names are letters, digits, '_', '-', '.'")
    if not isinstance(data, dict):
        raise RuleError(f"{where}: expected a mapping with url")
    unknown = set(data) - {"url", "secret_env", "format", "timeout", "retries"}
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)}")
    url = data.get("url")
    if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+", url):
        raise RuleError(f"{where}.url: expected an http(s) URL, got {url!r}")
    secret_env = data.get("secret_env")
    if secret_env is not None and (not isinstance(secret_env, str) or not _ENV.match(secret_env)):
        raise RuleError(
            f"{where}.secret_env: the NAME of an environment variable (A-Z, 0-9, _), not the secret"
        )
    fmt = data.get("format", "json")
    if fmt not in FORMATS:
        raise RuleError(f"{where}.format: one of {', '.join(FORMATS)}, got {fmt!r}")
    timeout = data.get("timeout")
    if timeout is not None and _number(timeout, f"{where}.timeout") <= 0:
        raise RuleError(f"{where}.timeout: must be > 0")
    retries = data.get("retries")
    if retries is not None and (not isinstance(retries, int) or isinstance(retries, bool) or retries < 0):
        raise RuleError(f"{where}.retries: a whole number >= 0")
    return Hook(
        name=name,
        url=url,
        secret_env=secret_env,
        format=fmt,
        timeout=float(timeout) if timeout is not None else None,
        retries=retries,
    )


def parse(data: Any, source: str = "rules") -> RuleSet:
    if data is None:
        return EMPTY
    if not isinstance(data, dict):
        raise RuleError(f"{source}: expected a mapping with 'hooks' and 'rules'")
    unknown = set(data) - {"hooks", "rules"}
    if unknown:
        raise RuleError(f"{source}: unknown top-level keys {sorted(unknown)} (expected hooks, rules)")
    raw_hooks = data.get("hooks") or {}
    if not isinstance(raw_hooks, dict):
        raise RuleError(f"{source}: 'hooks' must be a mapping of name -> hook")
    try:
        hooks = {name: parse_hook(name, h) for name, h in raw_hooks.items()}
        raw_rules = data.get("rules") or []
        if not isinstance(raw_rules, list):
            raise RuleError("'rules' must be a list")
        rules = tuple(parse_rule(r, hooks, f"rule #{i + 1}") for i, r in enumerate(raw_rules))
    except RuleError as exc:
        raise RuleError(f"{source}: {exc}") from None
    seen: set[str] = set()
    for r in rules:
        if r.id in seen:
            raise RuleError(f"{source}: rule id {r.id!r} is used twice")
        seen.add(r.id)
    return RuleSet(hooks=hooks, rules=rules)


def load(path: Path) -> RuleSet:
    """The rules in ``path``; a missing file is an empty rule set (alerting off), not an error."""
    if not path.exists():
        return EMPTY
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: not valid YAML: {exc}") from None
    return parse(data, str(path))


def dump(rules: RuleSet) -> str:
    return yaml.safe_dump(rules.to_dict(), allow_unicode=True, sort_keys=False, width=110)


def save(path: Path, rules: RuleSet) -> None:
    """Write atomically (a worker reloading mid-write must see the old file or the new one)."""
    parse(yaml.safe_load(dump(rules)), str(path))  # never write what could not be read back
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(dump(rules), encoding="utf-8")
    os.replace(tmp, path)


_NEVER = object()


class RuleFile:
    """Rules from a file, reloaded when its modification time (or size) changes.

    A file that turns invalid keeps the last good rules in force and reports the error once, so a
    typo in an edit never silences alerting.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rules: RuleSet = EMPTY
        self.error: str | None = None
        self._stamp: object = _NEVER

    def current(self) -> tuple[RuleSet, bool]:
        """(rules, reloaded now). One stat() per call: cheap enough to ask on every event."""
        try:
            st = self.path.stat()
            # The inode changes on an atomic replace (save() and most editors), mtime_ns on an
            # in-place write; size guards against a coarse clock.
            stamp: object = (st.st_mtime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            stamp = None
        if stamp == self._stamp:
            return self.rules, False
        self._stamp = stamp
        try:
            self.rules = load(self.path)
            self.error = None
        except RuleError as exc:
            self.error = str(exc)
            return self.rules, False
        return self.rules, True
