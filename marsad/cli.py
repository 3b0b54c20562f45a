"""The `marsad` command line: the local stack, workers, feed agents, ingest and search."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from pathlib import Path

import click

from marsad.settings import get_settings


def _setup_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    for noisy in ("elastic_transport", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # kafka-python warns about its own defaults (no group id for offset look-ups); errors still show.
    logging.getLogger("kafka").setLevel(logging.ERROR)


@click.group()
@click.version_option(package_name="marsad")
def main() -> None:
    """Marsad (مرصد): an observatory for Arabic news on Kafka, Faust and Elasticsearch."""


# ---------------------------------------------------------------- stack
@main.group()
def stack() -> None:
    """Start, check and stop the local Kafka and Elasticsearch (no Docker)."""


@stack.command("up")
@click.option("--timeout", default=240.0, show_default=True, help="Seconds to wait for both to be healthy.")
def stack_up(timeout: float) -> None:
    """Download (once), start and wait for Kafka and Elasticsearch; create topics and indices."""
    from marsad.stack import Stack, StackError

    try:
        Stack().up(timeout=timeout)
    except StackError as exc:
        raise click.ClickException(str(exc)) from exc


@stack.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stack_status(as_json: bool) -> None:
    """Is each service running, listening, and how much memory it uses."""
    from marsad.stack import Stack

    st = Stack().status()
    if as_json:
        click.echo(json.dumps(st, indent=2))
        return
    for name, s in st.items():
        state = "running" if s["pid"] and s["listening"] else ("starting" if s["pid"] else "stopped")
        rss = f", {s['rss_mb']} MB resident" if s["rss_mb"] else ""
        click.echo(f"{name:14} {state:8} {s['address']}  pid {s['pid'] or '-'}{rss}")


@stack.command("down")
def stack_down() -> None:
    """Stop Elasticsearch and Kafka (data is kept under var/)."""
    from marsad.stack import Stack

    Stack().down()


@stack.command("fetch")
def stack_fetch() -> None:
    """Only download Kafka and Elasticsearch and build the analysis plugin."""
    from marsad.stack import Stack, StackError

    try:
        Stack().fetch()
    except StackError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
def setup() -> None:
    """Create the topics and install the index templates on existing Kafka and Elasticsearch
    (what `stack up` does after starting the local ones; for a cluster run it once)."""
    from marsad.stack import Stack
    from streams.index.setup import ensure_indices

    s = get_settings()
    created = Stack(s).create_topics()
    click.echo(f"topics: {len(created)} created ({s.partitions} partitions)" + (f": {', '.join(created)}" if created else ""))
    for alias, index in ensure_indices(s).items():
        click.echo(f"index alias {alias} -> {index}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status(as_json: bool) -> None:
    """The whole system at a glance: feed health, topic sizes, consumer lag, index counts, DLQ size."""
    from elasticsearch import ApiError, TransportError
    from kafka.errors import KafkaError

    from agents.state import AgentState
    from streams.index.client import es_client
    from streams.monitor import consumer_lag, topic_sizes

    s = get_settings()
    out: dict = {"feeds": [], "topics": {}, "lag": {}, "indices": {}, "errors": []}
    state_path = s.state_dir / "agents.sqlite"
    if state_path.exists():
        st = AgentState(state_path)
        out["feeds"] = [h.__dict__ for h in st.health()]
        st.close()
    try:
        out["topics"] = topic_sizes(s.topics.all(), s)
        out["lag"] = consumer_lag(s.app_id, s)
    except KafkaError as exc:
        out["errors"].append(f"kafka at {s.kafka_bootstrap}: {exc}")
    try:
        es = es_client(s, request_timeout=10)
        for alias in (s.articles_index, s.events_index, s.alerts_index):
            out["indices"][alias] = int(es.count(index=alias)["count"]) if es.indices.exists_alias(name=alias) else None
        es.close()
    except (ApiError, TransportError) as exc:
        out["errors"].append(f"elasticsearch at {s.es_url}: {exc}")
    out["dlq"] = out["topics"].get(s.topics.dlq)
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    click.echo("feeds:")
    for f in out["feeds"] or [{"feed": "(none yet)"}]:
        if "last_status" in f:
            click.echo(f"  {f['feed']:24} {f['last_status'] or '-':16} new {f['new_items']:4}  total {f['total_items']:6}"
                       f"  errors {f['errors']}" + (f"  last error: {f['last_error']}" if f["last_error"] else ""))
        else:
            click.echo(f"  {f['feed']}")
    click.echo("topics (records written · consumer lag of the workers):")
    for t, n in out["topics"].items():
        lag = out["lag"].get(t)
        click.echo(f"  {t:28} {n:10,}" + (f" · lag {lag:,}" if lag is not None else ""))
    click.echo("indices:")
    for alias, n in out["indices"].items():
        click.echo(f"  {alias:28} {n if n is not None else 'missing':>10}")
    click.echo(f"dead letters: {out['dlq'] if out['dlq'] is not None else 'unknown'}")
    for e in out["errors"]:
        click.echo(f"error: {e}", err=True)
    if out["errors"]:
        raise SystemExit(1)


# --------------------------------------------------------------- worker
@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("-l", "--loglevel", default="info", show_default=True)
@click.pass_context
def worker(ctx: click.Context, loglevel: str) -> None:
    """Run a Faust worker (all processors). Start several, each with its own MARSAD_WEB_PORT, to scale out."""
    from marsad.faust_app import use_event_loop
    from marsad.settings import Settings

    try:
        use_event_loop(Settings())
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    from streams.app import app

    sys.argv = ["marsad-worker", "worker", "-l", loglevel, *ctx.args]
    app.main()


# --------------------------------------------------------------- agents
@main.command()
@click.option("--once", is_flag=True, help="Poll every feed once, then exit.")
@click.option("--feeds", "feeds_file", type=click.Path(path_type=Path), default=None,
              help="Feeds YAML file (default: MARSAD_FEEDS or deploy/feeds.yaml).")
@click.option("--allow-private/--refuse-private", default=True, show_default=True,
              help="Whether feeds may resolve to private or loopback addresses.")
def agents(once: bool, feeds_file: Path | None, allow_private: bool) -> None:
    """Run the feed agents: poll feeds, publish new items to Kafka."""
    import signal
    import threading

    from agents.feeds import FeedConfigError, load_feeds
    from agents.fetch import Fetcher
    from agents.publisher import Publisher
    from agents.runner import run_feeds

    _setup_logging()
    s = get_settings()
    try:
        feeds = load_feeds(feeds_file or s.feeds_file)
    except FeedConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    publisher = Publisher(s)
    fetcher = Fetcher.from_settings(s, allow_private=allow_private)
    try:
        run_feeds(feeds, publisher=publisher, state_path=s.state_dir / "agents.sqlite", fetcher=fetcher,
                  stop=stop, once=once)
    except KeyboardInterrupt:
        pass
    finally:
        fetcher.close()
        publisher.close()


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def feeds(as_json: bool) -> None:
    """Each feed's health: last fetch, last success, new items, errors."""
    from agents.state import AgentState

    s = get_settings()
    path = s.state_dir / "agents.sqlite"
    if not path.exists():
        raise click.ClickException(f"no agent state yet at {path}: run `marsad agents` or `marsad run` first")
    state = AgentState(path)
    rows = state.health()
    state.close()
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=2))
        return

    def ago(ts: float | None) -> str:
        import time

        return "never" if not ts else f"{time.time() - ts:.0f}s ago"

    for r in rows:
        click.echo(
            f"{r.feed:24} last fetch {ago(r.last_fetch):>10}  last ok {ago(r.last_ok):>10}  "
            f"{r.last_status or '-':16} new {r.new_items:4}  total {r.total_items:6}  errors {r.errors}"
            + (f"  last error: {r.last_error}" if r.last_error else "")
        )


# --------------------------------------------------------------- ingest
@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--source", default=None, help="Outlet name for text files (default: the folder's name).")
@click.option("--published-at", default=None, help="Publication time for text files, ISO 8601.")
@click.option("--rate", type=float, default=None, help="Articles per second for JSONL replay (default: as fast as possible).")
@click.option("--limit", type=int, default=None, help="At most this many records per JSONL file.")
@click.option("--skip", type=int, default=0, help="Skip this many lines of each JSONL file.")
@click.option("--force", is_flag=True, help="Publish again items published before.")
def ingest(paths: tuple[Path, ...], source: str | None, published_at: str | None, rate: float | None,
           limit: int | None, skip: int, force: bool) -> None:
    """Publish text files (.txt, or folders of them) or JSONL (.jsonl, .jsonl.gz) once."""
    import time

    from agents.publisher import Publisher
    from agents.runner import publish_items
    from agents.sources.base import parse_date
    from agents.sources.jsonl import read_jsonl
    from agents.sources.textdir import read_text_file, text_files
    from agents.state import AgentState

    _setup_logging()
    s = get_settings()
    when: datetime | None = None
    if published_at:
        when = parse_date(published_at)
        if when is None:
            raise click.ClickException(f"--published-at {published_at!r} is not an ISO 8601 time")
    publisher = Publisher(s)
    state = AgentState(s.state_dir / ("ingest-force.sqlite" if force else "agents.sqlite"))
    total = 0
    try:
        for path in paths:
            name = path.name
            if name.endswith((".jsonl", ".jsonl.gz", ".json")):
                feed = f"jsonl:{name}"
                batch = []
                started = time.monotonic()
                sent = 0
                for item in read_jsonl(path, limit=limit, skip=skip):
                    batch.append(item)
                    if len(batch) >= (max(1, int(rate)) if rate else 500):
                        total += publish_items(feed, batch, publisher, state)
                        sent += len(batch)
                        batch = []
                        if rate:
                            ahead = sent / rate - (time.monotonic() - started)
                            if ahead > 0:
                                time.sleep(ahead)
                if batch:
                    total += publish_items(feed, batch, publisher, state)
            else:
                files = text_files([path])
                items = [read_text_file(f, source=source or f.parent.name, published_at=when) for f in files]
                total += publish_items(f"files:{path.resolve()}", items, publisher, state)
    finally:
        state.close()
        publisher.close()
    if force:
        (s.state_dir / "ingest-force.sqlite").unlink(missing_ok=True)
    click.echo(f"published {total} new articles to {s.topics.articles_raw}"
               + (f", {publisher.dead} dead letters to {s.topics.dlq}" if publisher.dead else ""))


def _register_optional() -> None:
    """Commands that live beside the code they drive (NLP, alerts, benchmarks) join when present."""
    try:
        from marsad.nlp import commands as nlp_commands
    except ImportError:
        return
    for name in ("extract_command", "ner_command", "eval_group"):
        cmd = getattr(nlp_commands, name, None)
        if cmd is not None:
            main.add_command(cmd)


def _register() -> None:
    """Commands kept beside the code they drive."""
    from marsad.alerts_commands import alerts_group
    from marsad.bench.commands import bench_group
    from marsad.nlp.commands import eval_group
    from marsad.search_cli import search
    from marsad.search_eval import eval_search_command

    main.add_command(search)
    main.add_command(alerts_group)
    main.add_command(bench_group)
    eval_group.add_command(eval_search_command)


_register_optional()
_register()

from marsad.run import run  # noqa: E402

main.add_command(run)

if __name__ == "__main__":
    main()
