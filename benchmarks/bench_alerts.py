"""Alert latency on the real local stack: article published -> webhook received, at a steady rate.

    .venv/bin/marsad stack up
    .venv/bin/python benchmarks/bench_alerts.py --rate 50 --seconds 30

Starts its own `marsad worker` under a throwaway topic prefix, index prefix and consumer group, with
one rule (battle.* in Libya) posting to a receiver on 127.0.0.1. Each article reports a clash in a
different town or on a different day, so each makes a new event and one webhook. Prints p50/p90/p99
of (a) publish -> webhook (the whole pipeline: clean, dedup, extract, merge, rules, delivery) and
(b) event record on marsad.events -> webhook (the alerting stage alone), then removes what it made.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Towns the extractor places in Libya (الزاوية، الخمس، الكفرة، ترهونة come out without a country and
# بني وليد as "بني" in Pakistan at the time of writing, so they would not match the rule).
TOWNS = [
    "سرت",
    "بنغازي",
    "طرابلس",
    "مصراتة",
    "درنة",
    "سبها",
    "أجدابيا",
    "البيضاء",
    "طبرق",
    "زليتن",
    "غريان",
    "صبراتة",
    "المرج",
    "زوارة",
    "أوباري",
]


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q / 100 * len(xs)) - 1))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rate", type=float, default=50.0, help="articles per second")
    ap.add_argument("--seconds", type=float, default=30.0, help="how long to publish")
    ap.add_argument("--drain", type=float, default=120.0, help="seconds to wait for the last webhooks")
    args = ap.parse_args()

    run = f"bench{uuid.uuid4().hex[:8]}"
    base = Path(os.environ.get("TMPDIR", "/tmp")) / run
    base.mkdir(parents=True)
    received: dict[str, float] = {}  # event id -> receive time (first webhook)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            now = time.time()
            ev = json.loads(body)["event"]
            with lock:
                received.setdefault(ev["event_id"], now)
                received.setdefault("article:" + sorted(ev["article_ids"])[0], now)
            self.send_response(204)
            self.end_headers()

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        web_port = s.getsockname()[1]
    rules = base / "alerts.yaml"
    rules.write_text(
        "hooks:\n  bench:\n    url: http://127.0.0.1:%d/hook\n    secret_env: BENCH_SECRET\n"
        "rules:\n  - id: libya-fighting\n    types: [battle.*]\n    place: {countries: [LY]}\n"
        "    hooks: [bench]\n" % srv.server_address[1],
        encoding="utf-8",
    )
    os.environ.update(
        {
            "MARSAD_TOPIC_PREFIX": run,
            "MARSAD_INDEX_PREFIX": run,
            "MARSAD_APP_ID": run,
            "MARSAD_VAR_DIR": str(base / "var"),
            "MARSAD_WEB_PORT": str(web_port),
            "MARSAD_ALERTS_FILE": str(rules),
            "BENCH_SECRET": "bench",
            "MARSAD_BULK_LINGER": "0.2",
        }
    )
    from kafka import KafkaConsumer

    from agents.publisher import Publisher
    from marsad.records import Article
    from marsad.settings import Settings
    from marsad.stack import Stack
    from streams.index.setup import ensure_indices
    from tests.integration.conftest import Worker, _cleanup, settled

    settings = Settings()
    Stack(settings, log=lambda *_: None).create_topics()
    ensure_indices(settings)
    worker = Worker(settings, base / "worker.log")
    event_seen: dict[str, float] = {}  # event id -> timestamp of its first record on marsad.events
    stop = threading.Event()

    def watch_events():
        c = KafkaConsumer(
            settings.topics.events,
            bootstrap_servers=settings.kafka_bootstrap,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            consumer_timeout_ms=500,
        )
        while not stop.is_set():
            for m in c:
                eid = m.key.decode()
                event_seen.setdefault(eid, m.timestamp / 1000)
                if stop.is_set():
                    break
        c.close()

    published: dict[str, float] = {}
    try:
        worker.start()
        threading.Thread(target=watch_events, daemon=True).start()
        pub = Publisher(settings)
        n = int(args.rate * args.seconds)
        t0 = time.time()
        print(f"publishing {n} articles at {args.rate:g}/s; worker log {base / 'worker.log'}", flush=True)
        for i in range(n):
            due = t0 + i / args.rate
            time.sleep(max(0.0, due - time.time()))
            town = TOWNS[i % len(TOWNS)]
            day = 1 + (i // len(TOWNS)) * 4  # 4 days apart: beyond the clash window, so a new event
            y, rest = divmod(day - 1, 336)
            published_at = f"{2020 + y}-{rest // 28 + 1:02d}-{rest % 28 + 1:02d}T08:00:00+00:00"
            a = Article.new(
                source=f"outlet-{i % 7}",
                title=f"اشتباكات في {town}",
                body=f"اندلعت اشتباكات عنيفة في مدينة {town} الليبية بين قوات حكومية ومسلحين، "
                f"ما أسفر عن مقتل {i % 9 + 2} أشخاص.",
                url=f"https://bench.example/{run}/{i}",
                published_at=published_at,
            )
            published[a.id] = time.time()
            pub.publish([a])
        pub.close()
        late = time.time() - t0 - args.seconds
        print(f"published in {time.time() - t0:.1f}s (behind schedule by {max(0.0, late):.1f}s)", flush=True)
        deadline = time.time() + args.drain
        while time.time() < deadline:
            if settled(settings):
                break
            time.sleep(1)
        time.sleep(1)
    finally:
        stop.set()
        worker.stop()
        srv.shutdown()
        _cleanup(settings)

    e2e = [received["article:" + aid] - t for aid, t in published.items() if "article:" + aid in received]
    stage = [received[eid] - t for eid, t in event_seen.items() if eid in received]
    print(
        f"articles published: {len(published)}; events: {len(event_seen)}; webhooks (events alerted): "
        f"{sum(1 for k in received if not k.startswith('article:'))}"
    )
    warm = [
        received["article:" + aid] - t
        for aid, t in published.items()
        if "article:" + aid in received and t - t0 >= 5
    ]
    for name, xs in (
        ("publish -> webhook", e2e),
        ("  after the first 5 s", warm),
        ("event record -> webhook", stage),
    ):
        if xs:
            print(
                f"{name:24} n={len(xs):5d}  p50 {statistics.median(xs) * 1000:7.0f} ms  "
                f"p90 {percentile(xs, 90) * 1000:7.0f} ms  p99 {percentile(xs, 99) * 1000:7.0f} ms  "
                f"max {max(xs) * 1000:7.0f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
