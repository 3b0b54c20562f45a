"""`marsad alerts`: manage and test alert rules."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import click

from marsad.settings import get_settings


def _file(path: Path | None) -> Path:
    return path or get_settings().alerts_file


def _load(path: Path):
    from marsad.alerts.matcher import compile_rules
    from marsad.alerts.rules import RuleError, load

    try:
        rules = load(path)
        compile_rules(rules.rules)
    except RuleError as exc:
        raise click.ClickException(str(exc)) from exc
    return rules


file_option = click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Rules file (default MARSAD_ALERTS_FILE, deploy/alerts.yaml).",
)


@click.group("alerts")
def alerts_group() -> None:
    """Alert rules: webhooks fired the moment a matching event arrives."""


@alerts_group.command("list")
@file_option
@click.option("--json", "as_json", is_flag=True, help="Print the rules file as JSON.")
def list_rules(path: Path | None, as_json: bool) -> None:
    """The rules and hooks in the rules file (hook secrets are shown only by their variable's name)."""
    rules = _load(_file(path))
    if as_json:
        click.echo(json.dumps(rules.to_dict(), ensure_ascii=False, indent=2))
        return
    if not rules.rules:
        click.echo(f"no rules in {_file(path)}")
    for r in rules.rules:
        parts = [f"types={','.join(r.types)}" if r.types else ""]
        if r.place.names:
            parts.append(f"places={','.join(r.place.names)}")
        if r.place.countries:
            parts.append(f"countries={','.join(r.place.countries)}")
        if r.place.near:
            n = r.place.near
            parts.append(f"near=({n.lat},{n.lon}) {n.radius_km:g} km")
        if r.actors:
            parts.append(f"actors={','.join(r.actors)}")
        if r.query:
            parts.append(f"query={r.query}")
        parts += [f"{k}>={','.join(map(str, v))}" for k, v in r.thresholds.items()]
        state = "" if r.enabled else " (disabled)"
        click.echo(
            f"{r.id}{state}: {r.name or ''}\n    {' '.join(p for p in parts if p)} -> {', '.join(r.hooks)}"
        )
    for name, h in rules.hooks.items():
        signed = f", signed with ${h.secret_env}" if h.secret_env else ", unsigned"
        click.echo(f"hook {name}: {h.format} to {h.url}{signed}")


def _bounds(value: str | None) -> list[int] | None:
    if not value:
        return None
    try:
        return [int(v) for v in value.split(",") if v.strip()]
    except ValueError as exc:
        raise click.BadParameter(f"{value!r}: whole numbers separated by commas, e.g. 5,20,100") from exc


@alerts_group.command("add")
@file_option
@click.option(
    "--id", "rule_id", required=True, help="Rule id (letters, digits, - _ .); replaces a rule with that id."
)
@click.option("--name", default="", help="What the rule is for, shown in alerts.")
@click.option("--type", "types", multiple=True, help="Event type or wildcard (battle.*); repeat for several.")
@click.option(
    "--place", "places", multiple=True, help="Place name (analyzed like search); repeat for several."
)
@click.option("--country", "countries", multiple=True, help="Country code of the event's location (LY, SY…).")
@click.option("--near", default=None, help="LAT,LON,KM: within KM kilometres of the point.")
@click.option(
    "--actor", "actors", multiple=True, help="Actor name (any actor of the event); repeat for several."
)
@click.option(
    "--query", default="", help='Arabic full-text query: words all required, "phrases" word for word.'
)
@click.option(
    "--fatalities", default=None, help="Bound(s): 5 or 5,20,100 (a new alert each time a bound is passed)."
)
@click.option("--injured", default=None)
@click.option("--abducted", default=None)
@click.option("--arrested", default=None)
@click.option("--freed", default=None)
@click.option("--sources", default=None, help="Distinct outlets reporting the event, e.g. 2.")
@click.option("--mentions", default=None, help="Reports of the event.")
@click.option("--hook", "hooks", multiple=True, required=True, help="Hook name; repeat for several.")
@click.option("--hook-url", default=None, help="Define (or redefine) the single --hook with this URL.")
@click.option("--secret-env", default=None, help="With --hook-url: env var holding the HMAC secret.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "slack"]),
    default="json",
    show_default=True,
    help="With --hook-url: payload format.",
)
@click.option("--disabled", is_flag=True, help="Add the rule switched off.")
def add_rule(
    path: Path | None,
    rule_id: str,
    name: str,
    types,
    places,
    countries,
    near,
    actors,
    query,
    fatalities,
    injured,
    abducted,
    arrested,
    freed,
    sources,
    mentions,
    hooks,
    hook_url,
    secret_env,
    fmt,
    disabled,
) -> None:
    """Add or replace a rule (workers pick it up without a restart)."""
    from marsad.alerts.matcher import compile_rule
    from marsad.alerts.rules import RuleError, RuleSet, parse_hook, parse_rule, save

    target = _file(path)
    rules = _load(target)
    hook_defs = dict(rules.hooks)
    if hook_url:
        if len(hooks) != 1:
            raise click.UsageError("--hook-url defines one hook: give exactly one --hook NAME")
        spec: dict[str, Any] = {"url": hook_url, "format": fmt}
        if secret_env:
            spec["secret_env"] = secret_env
        try:
            hook_defs[hooks[0]] = parse_hook(hooks[0], spec)
        except RuleError as exc:
            raise click.ClickException(str(exc)) from exc
    data: dict[str, Any] = {"id": rule_id, "hooks": list(hooks)}
    if name:
        data["name"] = name
    if disabled:
        data["enabled"] = False
    if types:
        data["types"] = list(types)
    place: dict[str, Any] = {}
    if places:
        place["names"] = list(places)
    if countries:
        place["countries"] = list(countries)
    if near:
        try:
            lat, lon, km = (float(x) for x in near.split(","))
        except ValueError as exc:
            raise click.BadParameter("--near wants LAT,LON,KM, e.g. 32.1,20.1,50") from exc
        place["near"] = {"lat": lat, "lon": lon, "radius_km": km}
    if place:
        data["place"] = place
    if actors:
        data["actors"] = list(actors)
    if query:
        data["query"] = query
    for key, value in {
        "fatalities": fatalities,
        "injured": injured,
        "abducted": abducted,
        "arrested": arrested,
        "freed": freed,
        "sources": sources,
        "mentions": mentions,
    }.items():
        b = _bounds(value)
        if b is not None:
            data[key] = b
    try:
        rule = parse_rule(data, hook_defs)
        compile_rule(rule)
    except RuleError as exc:
        raise click.ClickException(str(exc)) from exc
    replaced = rules.get(rule_id) is not None
    new_rules = (
        tuple(rule if r.id == rule_id else r for r in rules.rules) if replaced else (*rules.rules, rule)
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    save(target, RuleSet(hooks=hook_defs, rules=new_rules))
    click.echo(f"{'replaced' if replaced else 'added'} rule {rule_id} in {target}")


@alerts_group.command("remove")
@file_option
@click.argument("rule_ids", nargs=-1, required=True)
def remove_rule(path: Path | None, rule_ids: tuple[str, ...]) -> None:
    """Remove rules by id (hooks stay; alerts already sent stay in the index)."""
    from marsad.alerts.rules import RuleSet, save

    target = _file(path)
    rules = _load(target)
    missing = [r for r in rule_ids if rules.get(r) is None]
    if missing:
        raise click.ClickException(f"no rule {', '.join(missing)} in {target}")
    save(target, RuleSet(hooks=rules.hooks, rules=tuple(r for r in rules.rules if r.id not in rule_ids)))
    click.echo(f"removed {', '.join(rule_ids)} from {target}")


def _events_from(source: str | None, event_id: str | None) -> list[dict]:
    if event_id:
        from streams.index.client import es_client

        s = get_settings()
        es = es_client(s)
        try:
            hits = es.search(index=s.events_index, query={"term": {"event_id": event_id}}, size=1)["hits"][
                "hits"
            ]
        finally:
            es.close()
        if not hits:
            raise click.ClickException(f"no event {event_id} in {s.events_index}")
        return [hits[0]["_source"]]
    text = sys.stdin.read() if source in (None, "-") else Path(source).read_text(encoding="utf-8")
    text = text.strip()
    if not text:
        raise click.ClickException(
            "no event given: pass --event FILE (JSON or JSONL), - for stdin, or --event-id"
        )
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        try:
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"event is not JSON or JSONL: {exc}") from exc
    return list(doc) if isinstance(doc, list) else [doc]


@alerts_group.command("test")
@file_option
@click.argument("rule_ids", nargs=-1)
@click.option("--event", "event_file", default=None, help="Event JSON/JSONL file, or - for stdin.")
@click.option("--event-id", default=None, help="Take the event from the events index.")
@click.option("--send", is_flag=True, help="Also post a test alert to each matching rule's hooks.")
@click.option("--json", "as_json", is_flag=True, help="Print the alert payloads as JSON.")
def test_rules(path: Path | None, rule_ids, event_file, event_id, send, as_json) -> None:
    """Which rules an event matches, and why; with --send, deliver it as a real webhook would."""
    from marsad.alerts.matcher import compile_rules, match
    from marsad.alerts.payload import build_alert
    from marsad.alerts.state import decide
    from marsad.records import isoformat, utcnow

    s = get_settings()
    rules = _load(_file(path))
    chosen = [r for r in rules.rules if not rule_ids or r.id in rule_ids]
    unknown = set(rule_ids) - {r.id for r in rules.rules}
    if unknown:
        raise click.ClickException(f"no rule {', '.join(sorted(unknown))} in {_file(path)}")
    compiled = compile_rules(chosen)
    alerts = []
    for ev in _events_from(event_file, event_id):
        ev.setdefault("event_id", "ev-test")
        for c in compiled:
            m = match(c, ev)
            if m is None:
                if not as_json:
                    click.echo(f"{ev['event_id']}  {c.rule.id}: no match")
                continue
            at = isoformat(utcnow())
            d = decide(c.rule, ev, None, at=at)
            alert = build_alert(
                c.rule, ev, m, d, kibana_url=s.kibana_url, index_pattern=f"{s.events_index}*", at=at
            )
            alerts.append(alert)
            if not as_json:
                off = "" if c.rule.enabled else " (rule disabled)"
                click.echo(
                    f"{ev['event_id']}  {c.rule.id}: MATCH{off}: {'; '.join(m.reasons) or 'no conditions'}; "
                    f"sources {', '.join(m.matched_sources)}"
                )
    if as_json:
        click.echo(json.dumps([a["payload"] for a in alerts], ensure_ascii=False, indent=2))
    if send and alerts:
        asyncio.run(_send(alerts, rules.hooks, s))


async def _send(alerts: list[dict], hooks, s) -> None:
    import httpx

    from streams.alerts.delivery import Deliverer

    async def attempt(rec: dict) -> None:
        click.echo(
            f"  {rec['hook']} attempt {rec['attempt']}: {rec['status']}"
            + (f" HTTP {rec['http_status']}" if rec.get("http_status") else "")
            + (f" ({rec['error']})" if rec.get("error") else "")
        )

    async def dead(rec: dict) -> None:
        click.echo(f"  {rec['hook']}: not delivered: {rec['reason']}")

    async with httpx.AsyncClient() as client:
        d = Deliverer(
            client,
            hooks=lambda: dict(hooks),
            on_attempt=attempt,
            on_dead=dead,
            timeout=s.alert_timeout,
            retries=min(s.alert_retries, 2),
            backoff_base=s.alert_backoff,
            backoff_max=5.0,
        )
        for a in alerts:
            click.echo(f"sending {a['alert_id']} ({a['rule_id']})")
            await d.deliver(a)
