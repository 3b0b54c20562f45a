"""Alerts on the real stack: articles -> event -> rule -> a signed webhook on a real local receiver.

This module runs its own worker under its own topic prefix, index prefix and consumer group (alert
settings are read when a worker starts, and it is stopped and restarted here), so it neither
depends on nor disturbs the session's shared worker.
"""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from marsad.alerts.payload import verify
from marsad.records import Article
from marsad.settings import Settings
from tests.integration.conftest import Worker, _cleanup, _free_port, read_topic, recent, settled, wait_for

pytestmark = pytest.mark.integration

SECRET = "it-secret-" + uuid.uuid4().hex[:6]

# One clash in Sirte, the toll rising 3 -> 5 -> 7 -> 8 (texts ours, as in test_events.py).
REPORTS = [
    (
        "libya-herald",
        "اشتباكات في سرت",
        "اندلعت اشتباكات عنيفة اليوم في مدينة سرت الليبية بين قوات حكومية ومسلحين، ما أسفر عن مقتل 3 أشخاص.",
    ),
    (
        "wire-a",
        "مقتل خمسة في اشتباكات سرت",
        "ارتفعت حصيلة الاشتباكات في مدينة سرت الليبية إلى 5 قتلى، بحسب مصدر طبي.",
    ),
    (
        "daily-c",
        "حصيلة اشتباكات سرت ترتفع إلى 7",
        "ارتفعت حصيلة ضحايا الاشتباكات في مدينة سرت الليبية إلى 7 قتلى.",
    ),
    (
        "wire-b",
        "8 قتلى في اشتباكات سرت",
        "قال مصدر أمني إن 8 أشخاص قتلوا في اشتباكات مدينة سرت الليبية اليوم.",
    ),
]


class Receiver:
    """A webhook receiver on 127.0.0.1 that keeps every POST."""

    def __init__(self) -> None:
        received: list[dict] = []
        self.received = received

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.append({"path": self.path, "headers": dict(self.headers), "body": body})
                self.send_response(204)
                self.end_headers()

        self.srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.srv.server_address[1]}"

    def alerts(self, path: str = "/hook") -> list[dict]:
        return [json.loads(r["body"]) for r in self.received if r["path"] == path]


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    yield r
    r.srv.shutdown()


@pytest.fixture(scope="module")
def alert_env(it_settings, tmp_path_factory, receiver):
    """Settings and a worker of this module's own, with small retry settings and a rules file."""
    run = f"ita{uuid.uuid4().hex[:8]}"
    tmp = tmp_path_factory.mktemp("alerts")
    rules_file = tmp / "alerts.yaml"
    env = {
        "MARSAD_TOPIC_PREFIX": run,
        "MARSAD_INDEX_PREFIX": run,
        "MARSAD_APP_ID": run,
        "MARSAD_VAR_DIR": str(tmp / "var"),
        "MARSAD_WEB_PORT": str(_free_port()),
        "MARSAD_ALERTS_FILE": str(rules_file),
        "MARSAD_ALERT_RETRIES": "2",
        "MARSAD_ALERT_BACKOFF": "0.2",
        "MARSAD_ALERT_BACKOFF_MAX": "1",
        "MARSAD_ALERT_TIMEOUT": "2",
        "MARSAD_IT_HOOK_SECRET": SECRET,
        "MARSAD_KIBANA_URL": "http://kibana.example:5601",
    }
    mp = pytest.MonkeyPatch()
    for k, v in env.items():
        mp.setenv(k, v)
    s = Settings()
    from marsad.stack import Stack
    from streams.index.setup import ensure_indices

    Stack(s, log=lambda *_: None).create_topics()
    ensure_indices(s)
    worker = Worker(s, tmp / "worker.log")
    worker.start()
    yield s, worker, rules_file
    worker.stop()
    mp.undo()
    _cleanup(s)


def _write_rules(path, receiver: Receiver, closed_port: int) -> None:
    doc = {
        "hooks": {
            "receiver": {"url": f"{receiver.url}/hook", "secret_env": "MARSAD_IT_HOOK_SECRET"},
            "nobody-home": {"url": f"http://127.0.0.1:{closed_port}/hook"},
        },
        "rules": [
            {
                "id": "sirte-deaths",
                "types": ["battle.*"],
                "place": {"names": ["سرت"]},
                "fatalities": [3, 6],
                "hooks": ["receiver"],
            },
            {
                "id": "to-a-dead-hook",
                "types": ["battle.clash"],
                "place": {"countries": ["LY"]},
                "hooks": ["nobody-home"],
            },
            {"id": "elsewhere", "types": ["protest"], "hooks": ["receiver"]},
        ],
    }
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def _publish(publisher, i: int) -> None:
    src, title, body = REPORTS[i]
    a = Article.new(
        source=src,
        title=title,
        body=body,
        url=f"https://{src}.example/alerts-sirte/{i}",
        published_at=recent(i),
    )
    assert publisher.publish([a]) == []


def _event(es, s: Settings) -> dict | None:
    es.indices.refresh(index=s.events_index)
    hits = es.search(index=s.events_index, query={"term": {"type": "battle.clash"}}, size=5)["hits"]["hits"]
    return hits[0]["_source"] if hits else None


def _sirte(receiver: Receiver) -> list[dict]:
    return [a for a in receiver.alerts() if a["rule"]["id"] == "sirte-deaths"]


def test_alerts_fire_once_per_bound_go_to_the_dlq_when_undeliverable_and_survive_a_restart(
    alert_env, receiver, es
):
    from agents.publisher import Publisher

    s, worker, rules_file = alert_env
    # Rules written while the worker runs: it must pick them up without a restart.
    _write_rules(rules_file, receiver, _free_port())
    publisher = Publisher(s)
    try:
        # 1. A matching event fires once (toll 3 reaches the first bound).
        _publish(publisher, 0)
        first = wait_for(lambda: _sirte(receiver), timeout=120, what="the first webhook")
        assert len(first) == 1 and first[0]["event"]["fatalities"] == 3
        assert first[0]["matched"]["crossed"] == {"fatalities": 3}
        assert first[0]["kibana_url"].startswith("http://kibana.example:5601/app/discover")
        raw = next(r for r in receiver.received if json.loads(r["body"])["rule"]["id"] == "sirte-deaths")
        h = {k.lower(): v for k, v in raw["headers"].items()}
        assert verify(SECRET.encode(), h["x-marsad-timestamp"], raw["body"], h["x-marsad-signature"])
        assert SECRET not in (worker.log() or "")

        # 2. An update that stays in the band (5 dead) does not fire...
        _publish(publisher, 1)
        wait_for(
            lambda: (ev := _event(es, s)) and ev["mentions"] == 2 and settled(s),
            timeout=120,
            what="the event's second report to be processed",
        )
        assert len(_sirte(receiver)) == 1
        # ...one that crosses the next bound (7 > 6) fires once more.
        _publish(publisher, 2)
        wait_for(lambda: len(_sirte(receiver)) == 2, timeout=120, what="the webhook for the crossed bound")
        second = _sirte(receiver)[1]
        assert second["event"]["fatalities"] == 7 and second["matched"]["crossed"] == {"fatalities": 6}
        assert (
            second["matched"]["previous"] == {"fatalities": 3} and second["alert_id"] != first[0]["alert_id"]
        )

        # 3. The hook nobody answers: retries (2 after the first try), then the alerts DLQ with the reason.
        def dead():
            return [json.loads(v) for _, v in read_topic(s, s.topics.alerts_dlq)]

        dlq = wait_for(dead, timeout=60, what="the undeliverable alert on the alerts DLQ")
        assert dlq[0]["rule_id"] == "to-a-dead-hook" and dlq[0]["attempts"] == 3
        assert "ConnectError" in dlq[0]["reason"] and "after 3 attempts" in dlq[0]["reason"]

        # Every alert and attempt is in marsad-alerts, with deterministic ids.
        def indexed():
            es.indices.refresh(index=s.alerts_index)
            docs = [h["_source"] for h in es.search(index=s.alerts_index, size=100)["hits"]["hits"]]
            return docs if sum(d.get("status") == "dead" for d in docs) >= 1 and len(docs) >= 7 else None

        docs = wait_for(indexed, timeout=60, what="alerts and delivery attempts in the index")
        assert {
            d["alert_id"] for d in docs if d.get("kind") == "alert" and d["rule_id"] == "sirte-deaths"
        } == {first[0]["alert_id"], second["alert_id"]}
        assert [
            d["status"] for d in docs if d.get("rule_id") == "to-a-dead-hook" and d.get("kind") == "delivery"
        ].count("failed") == 2
        assert SECRET not in json.dumps(docs)

        # 4. Restart the worker: nothing is sent again, and the dedup state is still there (8 dead: no bound).
        wait_for(lambda: settled(s), timeout=60, what="everything to be consumed before the restart")
        before = len(receiver.received)
        worker.stop()
        worker.start()
        _publish(publisher, 3)
        wait_for(
            lambda: (ev := _event(es, s)) and ev["mentions"] == 4 and settled(s),
            timeout=120,
            what="the fourth report after the restart",
        )
        assert len(receiver.received) == before
        assert len(dead()) == len(dlq)
    finally:
        publisher.close()
