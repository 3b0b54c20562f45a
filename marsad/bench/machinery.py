"""The Faust machinery ceiling: Marsad's topology with every step emptied.

A Faust app of its own, run as a worker subprocess in a bench session of its own, with the stages,
topics, partitioning, tables and Faust calls of streams/ and the same app options, but steps that
only pass bytes on:

    raw -> clean -> dedup topic (one key) -> dedup (two table writes) -> articles
        -> extract (batches as MARSAD_EXTRACT_BATCH/_LINGER; the article to the enriched topic,
           and as many mentions as the real run produced per article)
        -> merge (two table writes per mention) -> events -> alerts (reads every event)
    indexer: enriched and events read in batches as MARSAD_BULK_SIZE/_LINGER, acknowledged
             after a "write" that does nothing (no Elasticsearch).

Whatever the steps cost, the pipeline cannot go faster than this on the same machine with the same
Faust: its throughput is the ceiling the e2e figure is divided by, measured in the same run.

Worker: `python -m marsad.bench.machinery worker -l info` (the bench starts it); the web page
`/machinery/` tells how many articles and events its indexer stages have acknowledged.
"""

from __future__ import annotations

import sys
import time
import urllib.request

from marsad import jsonio


def build_app(
    settings, mentions_per_article: float, extra_options: dict | None = None, *, metrics: bool = True
):
    import faust

    from marsad import faust_app

    datadir = settings.var_dir / "faust" / f"machinery-{settings.web_port}"
    datadir.parent.mkdir(parents=True, exist_ok=True)
    # The metrics page and the rebalance guard come with faust_app.app, as the worker's do.
    app = faust_app.app(settings, settings.app_id, str(datadir), metrics=metrics, **(extra_options or {}))

    t = settings.topics
    raw = app.topic(t.articles_raw, key_type=bytes, value_type=bytes)
    articles = app.topic(t.articles, key_type=bytes, value_type=bytes)
    mentions = app.topic(t.mentions, key_type=bytes, value_type=bytes)
    events = app.topic(t.events, key_type=bytes, value_type=bytes)
    enriched = app.topic(settings.enriched_topic, key_type=bytes, value_type=bytes, internal=True,
                         partitions=settings.partitions)
    for_dedup = app.topic(settings.dedup_topic, key_type=bytes, value_type=bytes, internal=True,
                          partitions=settings.partitions)
    schema = faust.Schema(key_serializer="json", value_serializer="json")
    tables = {name: app.Table(name, default=None, schema=schema, partitions=settings.partitions)
              for name in ("dedup-exact", "dedup-near", "open-events", "event-bodies")}
    acked = {"articles": 0, "events": 0}
    seen = {"clean": 0, "dedup": 0, "extract": 0, "merge": 0, "alerts": 0}
    spread = {"made": 0.0, "sent": 0}  # mentions per article as a running quota, so fractions add up

    @app.agent(raw)
    async def clean(stream):
        async for event in stream.events():
            await for_dedup.send(key=b"dedup", value=event.value)
            seen["clean"] += 1

    @app.agent(for_dedup)
    async def dedup(stream):
        async for event in stream.events():
            rec = jsonio.loads(event.value)
            entry = {"id": rec["id"], "seen_at": time.time()}
            tables["dedup-exact"][rec.get("fingerprint") or rec["id"]] = entry
            tables["dedup-near"][f"article:{rec['id']}"] = [rec.get("source"), time.time(), rec["id"]]
            await articles.send(key=rec["id"].encode(), value=event.value)
            seen["dedup"] += 1

    @app.agent(articles)
    async def extract(stream):
        async for batch in stream.take_events(settings.extract_batch, within=settings.extract_linger):
            for event in batch:
                spread["made"] += mentions_per_article
                while spread["sent"] < int(spread["made"]):
                    spread["sent"] += 1
                    n = spread["sent"]
                    mention = {"mention_id": f"m{n}", "article_id": event.key.decode(), "type": "x"}
                    await mentions.send(key=f"x|{n % 50}".encode(), value=jsonio.dumps(mention))
                await enriched.send(key=event.key, value=event.value)
                seen["extract"] += 1

    @app.agent(mentions)
    async def merge(stream):
        async for event in stream.events():
            mention = jsonio.loads(event.value)
            key = event.key.decode()
            tables["open-events"][key] = [{"event_id": mention["mention_id"], "at": time.time()}]
            tables["event-bodies"][mention["mention_id"]] = mention
            await events.send(key=mention["mention_id"].encode(), value=event.value)
            seen["merge"] += 1

    @app.agent(events)
    async def alerts(stream):
        async for event in stream.events():
            jsonio.loads(event.value)
            seen["alerts"] += 1

    async def index(stream, what: str) -> None:
        async for batch in stream.noack_take(settings.bulk_size, within=settings.bulk_linger):
            docs = [jsonio.loads(event.value) for event in batch]
            for event in batch:
                await stream.ack(event)
            acked[what] += len(docs)

    @app.agent(enriched)
    async def index_articles(stream):
        await index(stream, "articles")

    @app.agent(events)
    async def index_events(stream):
        await index(stream, "events")

    @app.page("/machinery/")
    async def progress(web, request):  # noqa: ARG001 - Faust's view signature
        return web.json({**acked, "stages": seen})

    return app


def acked(port: int) -> dict | None:
    """What a machinery worker's indexer stages have acknowledged (None while it is unreachable)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/machinery/", timeout=2) as resp:
            return jsonio.loads(resp.read())
    except (OSError, ValueError):
        return None


def run_ceiling(
    articles, warm, *, mentions_per_article: float, log_dir, log=print, timeout: float = 600.0
) -> dict:
    """Publish `warm`, wait, then `articles` at once through the emptied topology; articles/s until
    every article and every mention's event has been acknowledged by the indexer stages."""
    from agents.publisher import Publisher
    from marsad.bench.session import Session, cpu_seconds, wait_until
    from marsad.bench.stats import rate

    session = Session("mach", log_dir, extra_env={"MARSAD_MACHINERY_MENTIONS": f"{mentions_per_article:.4f}"},
                      log=log)
    try:
        session.setup()
        (w,) = session.start_workers(1, module="marsad.bench.machinery")
        publisher = Publisher(session.settings)
        try:
            def done(n_articles: int) -> bool:
                got = acked(w.web_port) or {}
                return (got.get("articles", 0) >= n_articles
                        and got.get("events", 0) >= int(n_articles * mentions_per_article))

            publisher.publish(warm)
            wait_until(lambda: done(len(warm)), 120, every=0.1)
            cpu0, start = cpu_seconds(w.pid) or 0.0, time.time()
            failed = len(publisher.publish(articles))
            finished = wait_until(lambda: done(len(warm) + len(articles)), timeout, every=0.05)
            seconds = time.time() - start
            cpu = (cpu_seconds(w.pid) or 0.0) - cpu0
        finally:
            publisher.close()
        return {
            "articles": len(articles),
            "mentions_per_article": mentions_per_article,
            "publish_failed": failed,
            "finished": finished,
            "seconds": round(seconds, 3),
            "throughput": rate(len(articles), seconds) if finished else None,
            "worker_cpu_ms_per_article": round(cpu / max(1, len(articles)) * 1000, 2),
            "acked": acked(w.web_port),
        }
    finally:
        session.cleanup()


def main() -> None:
    import os

    from marsad.faust_app import use_event_loop
    from marsad.settings import get_settings

    use_event_loop(get_settings())  # the worker's loop, so the ceiling runs Faust as the worker does
    # MARSAD_MACHINERY_FAUST: a JSON object of faust.App options to try over the worker's own.
    extra = jsonio.loads(os.environ.get("MARSAD_MACHINERY_FAUST") or "{}")
    app = build_app(get_settings(), float(os.environ.get("MARSAD_MACHINERY_MENTIONS", "1")), extra)
    sys.argv = ["marsad-machinery", *sys.argv[1:]]
    app.main()


if __name__ == "__main__":
    main()
