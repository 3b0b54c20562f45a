"""Webhook delivery (httpx mock transport, no network) and the `marsad alerts` commands."""

from __future__ import annotations

import asyncio
import json

import httpx
from click.testing import CliRunner

from marsad.alerts.payload import verify
from marsad.alerts.rules import Hook
from marsad.cli import main
from streams.alerts.delivery import Deliverer

ALERT = {
    "alert_id": "al-1",
    "rule_id": "r1",
    "event_id": "ev-1",
    "event_type": "protest",
    "hooks": ["h"],
    "payload": {"alert_id": "al-1", "event": {"event_id": "ev-1"}},
}


def _run(statuses, *, secret_env=None, retries=3):
    seen, attempts, dead, sleeps = [], [], [], []
    answers = iter(statuses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        status = next(answers)
        if status == "timeout":
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(status)

    async def go():
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            d = Deliverer(
                client,
                hooks=lambda: {"h": Hook("h", "http://receiver/x", secret_env=secret_env)},
                on_attempt=_append(attempts),
                on_dead=_append(dead),
                retries=retries,
                backoff_base=1.0,
                backoff_max=3.0,
                sleep=_append(sleeps),
            )
            return await d.deliver(ALERT)

    outcomes = asyncio.run(go())
    return outcomes, seen, attempts, dead, sleeps


def _append(into):
    async def f(x):
        into.append(x)

    return f


def test_delivered_first_time_with_a_verifiable_signature(monkeypatch):
    monkeypatch.setenv("HOOK_SECRET", "k3y")
    (out,), seen, attempts, dead, _ = _run([200], secret_env="HOOK_SECRET")
    assert out.delivered and out.attempts == 1 and not dead
    req = seen[0]
    assert verify(b"k3y", req.headers["X-Marsad-Timestamp"], req.content, req.headers["X-Marsad-Signature"])
    assert req.headers["X-Marsad-Alert-Id"] == "al-1" and json.loads(req.content)["alert_id"] == "al-1"
    assert [a["status"] for a in attempts] == ["delivered"]


def test_transient_failures_are_retried_with_growing_waits_then_delivered():
    (out,), _, attempts, dead, sleeps = _run([503, "timeout", 200])
    assert out.delivered and out.attempts == 3 and not dead
    assert [a["status"] for a in attempts] == ["failed", "failed", "delivered"]
    assert 0.75 <= sleeps[0] <= 1.25 and 1.5 <= sleeps[1] <= 2.5


def test_after_the_last_retry_the_alert_is_dead_lettered_with_the_reason():
    (out,), _, attempts, dead, _ = _run([500, 500, 500], retries=2)
    assert not out.delivered and [a["status"] for a in attempts] == ["failed", "failed", "dead"]
    assert dead[0]["reason"] == "HTTP 500 (after 3 attempts)" and dead[0]["alert"]["alert_id"] == "al-1"


def test_a_refusal_is_not_retried():
    (out,), _, attempts, dead, sleeps = _run([404])
    assert not out.delivered and not sleeps and "receiver refused it: HTTP 404" in dead[0]["reason"]


def test_cli_add_list_test_remove(tmp_path):
    f = tmp_path / "alerts.yaml"
    r = CliRunner()
    res = r.invoke(
        main,
        [
            "alerts",
            "add",
            "--file",
            str(f),
            "--id",
            "sirte",
            "--type",
            "battle.*",
            "--place",
            "سرت",
            "--fatalities",
            "5,20",
            "--hook",
            "ops",
            "--hook-url",
            "http://127.0.0.1:9/hook",
            "--secret-env",
            "OPS_SECRET",
        ],
    )
    assert res.exit_code == 0, res.output
    res = r.invoke(main, ["alerts", "list", "--file", str(f)])
    assert "sirte" in res.output and "fatalities>=5,20" in res.output and "$OPS_SECRET" in res.output
    ev = {
        "event_id": "ev-9",
        "type": "battle.clash",
        "location": {"text": "مدينة سرت"},
        "fatalities": 6,
        "sources": ["a"],
    }
    (tmp_path / "ev.json").write_text(json.dumps(ev, ensure_ascii=False), encoding="utf-8")
    res = r.invoke(main, ["alerts", "test", "--file", str(f), "--event", str(tmp_path / "ev.json")])
    assert res.exit_code == 0 and "ev-9  sirte: MATCH" in res.output, res.output
    res = r.invoke(main, ["alerts", "add", "--file", str(f), "--id", "bad", "--type", "x", "--hook", "nope"])
    assert res.exit_code != 0 and "no hook named nope" in res.output
    res = r.invoke(main, ["alerts", "remove", "--file", str(f), "sirte"])
    assert res.exit_code == 0 and "no rules" in r.invoke(main, ["alerts", "list", "--file", str(f)]).output


def test_the_shipped_rules_file_is_valid():
    res = CliRunner().invoke(main, ["alerts", "list"])
    assert res.exit_code == 0, res.output
