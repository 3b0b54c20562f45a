"""`marsad run`: the whole pipeline on the bundled sample feed, shown live."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import click

from marsad.settings import REPO_ROOT, get_settings

# The two articles Marsad grew from live beside a team checkout, not in the product.
SEEDS = REPO_ROOT.parent / "shared" / "samples" / "seeds"

# Worker log lines worth showing a person watching the demo.
_SHOW = re.compile(r"new article|duplicate dropped|copy kept|dead letter|indexed \d+|unavailable|available again|ERROR")


def _pump(proc: subprocess.Popen, logfile: Path, show: bool) -> None:
    with open(logfile, "a", encoding="utf-8") as fh:
        for line in proc.stdout:  # type: ignore[union-attr]
            fh.write(line)
            fh.flush()
            if show and _SHOW.search(line):
                msg = re.sub(r"^\[[^\]]*\]\s*\[\d+\]\s*\[\w+\]\s*", "", line.rstrip())
                click.echo(f"  worker │ {msg}")


@click.command()
@click.option("--feeds", "feeds_file", type=click.Path(path_type=Path), default=None,
              help="Feeds YAML file (default: MARSAD_FEEDS or deploy/feeds.yaml).")
@click.option("--sample-port", default=8765, show_default=True, help="Port for the bundled sample feed server.")
@click.option("--exit-when-idle", type=float, default=None, metavar="SECONDS",
              help="Stop once everything fetched is processed and nothing changed for SECONDS.")
@click.option("--quiet", is_flag=True, help="Do not echo the worker's per-article lines.")
@click.option("--seeds", "seeds_dir", type=click.Path(path_type=Path), default=str(SEEDS), show_default=True,
              help="A folder of .txt articles to ingest once at start (skipped when absent).")
def run(feeds_file: Path | None, sample_port: int, exit_when_idle: float | None, quiet: bool, seeds_dir: Path) -> None:
    """Start the stack, a worker and the feed agents; show articles flowing; Ctrl-C stops."""
    from agents.feeds import FeedConfigError, load_feeds
    from agents.fetch import Fetcher
    from agents.publisher import Publisher
    from agents.runner import run_feeds
    from agents.sample_server import serve_samples
    from marsad.cli import _setup_logging
    from marsad.stack import Stack, StackError
    from streams.monitor import consumer_lag, index_count, topic_sizes

    _setup_logging()
    s = get_settings()
    try:
        feeds = load_feeds(feeds_file or s.feeds_file)
    except FeedConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("== 1/4 local stack (Kafka + Elasticsearch)")
    try:
        Stack().up()
    except StackError as exc:
        raise click.ClickException(str(exc)) from exc

    click.echo(f"== 2/4 sample feed on http://127.0.0.1:{sample_port}/sample_ar.rss")
    try:
        server = serve_samples(port=sample_port)
    except OSError as exc:
        server = None
        click.echo(f"  sample feed server not started ({exc}); feeds that point at it will report errors")

    click.echo("== 3/4 Faust worker (clean → dedup → extract → merge → index, alerts)")
    logs = s.var_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    worker = subprocess.Popen(
        [sys.executable, "-m", "marsad.cli", "worker", "-l", "info"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(os.environ), start_new_session=True,
    )
    threading.Thread(target=_pump, args=(worker, logs / "worker.log", not quiet), daemon=True).start()

    click.echo(f"== 4/4 feed agents ({', '.join(f.name for f in feeds)})")
    stop = threading.Event()
    publisher = Publisher(s)
    fetcher = Fetcher.from_settings(s)
    agent = threading.Thread(
        target=run_feeds, name="agents", daemon=True,
        kwargs={"feeds": feeds, "publisher": publisher, "state_path": s.state_dir / "agents.sqlite",
                "fetcher": fetcher, "stop": stop},
    )
    agent.start()
    if seeds_dir.is_dir():
        from agents.runner import publish_items
        from agents.sources.textdir import read_text_file, text_files
        from agents.state import AgentState

        state = AgentState(s.state_dir / "agents.sqlite")
        items = [read_text_file(f, source="seeds") for f in text_files([seeds_dir])]
        seed_publisher = Publisher(s)
        n = publish_items(f"files:{seeds_dir.resolve()}", items, seed_publisher, state)
        seed_publisher.close()
        state.close()
        click.echo(f"  seeds  │ {len(items)} text articles from {seeds_dir}, {n} new")

    last: tuple | None = None
    stable_since = time.monotonic()
    told = False
    try:
        while True:
            time.sleep(3)
            if worker.poll() is not None:
                raise click.ClickException(f"the worker exited (code {worker.returncode}); see {logs / 'worker.log'}")
            t = s.topics
            try:
                sizes = topic_sizes([t.articles_raw, t.articles, t.dlq], s)
                lag = sum(consumer_lag(s.app_id, s).values())
                indexed = index_count(s.articles_index, s)
            except Exception as exc:  # noqa: BLE001 - Kafka or Elasticsearch away: say so, keep going
                click.echo(f"  status │ not available ({type(exc).__name__}: {exc}); trying again")
                continue
            now = (sizes[t.articles_raw], sizes[t.articles], sizes[t.dlq], indexed, lag)
            if now != last:
                click.echo(
                    f"  status │ raw in {now[0]} · passed dedup {now[1]} · dead letters {now[2]} · "
                    f"indexed {now[3]} · waiting {lag}"
                )
                last, stable_since = now, time.monotonic()
            settled = lag == 0 and now[0] > 0 and time.monotonic() - stable_since >= 6
            if settled and not told:
                click.echo("")
                click.echo("Everything fetched so far is searchable. Try, in another shell:")
                click.echo('  .venv/bin/marsad search "قنفودة"        # finds قنفوذة too')
                click.echo('  .venv/bin/marsad search "فائز السراج" --json')
                click.echo("  .venv/bin/marsad feeds                   # per-feed health")
                click.echo("Ctrl-C stops the worker and agents; `marsad stack down` stops Kafka and Elasticsearch.")
                told = True
            if exit_when_idle is not None and settled and time.monotonic() - stable_since >= exit_when_idle:
                break
    except KeyboardInterrupt:
        click.echo("\nstopping ...")
    finally:
        stop.set()
        agent.join(timeout=30)
        fetcher.close()
        publisher.close()
        worker.terminate()
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
        if server is not None:
            server.shutdown()
    click.echo("worker and agents stopped; Kafka and Elasticsearch keep running (marsad stack down stops them)")
