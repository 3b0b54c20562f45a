"""`marsad search`: Arabic full-text search over indexed articles or merged events."""

from __future__ import annotations

import json

import click

from marsad.settings import get_settings

SYNTAX = """\b
Query syntax:
  words                 all must match; clitics, suffixes, hamza seats and alef forms are folded
  "exact phrase"        or «…»: words side by side, unstemmed
  -word, -"phrase"      leave out documents that have it
  source:الوسط          outlet (events: any of its sources)
  actor:"فائز السراج"   a named actor (articles: an entity)
  place:بنغازي          a place (events: its name, country or region)
  type:battle.*         events only: an event type, * for a prefix
  published:2026-11-01..2026-11-20   a date range (also FROM.., ..TO, one day, YYYY-MM);
                        on events the event date
  -source:X and the like exclude."""


def _article_row(h: dict) -> dict:
    src = h["_source"]
    return {"id": h["_id"], "score": h["_score"], "title": src.get("title"), "source": src.get("source"),
            "published_at": src.get("published_at"), "url": src.get("url"),
            "duplicate_of": src.get("duplicate_of"), "highlight": h.get("highlight", {})}


def _event_row(h: dict) -> dict:
    src = h["_source"]
    loc = src.get("location") or {}
    return {"event_id": h["_id"], "score": h["_score"], "type": src.get("type"), "event_date": src.get("event_date"),
            "place": loc.get("canonical") or loc.get("text"), "country": loc.get("country"),
            "actors": [a.get("canonical") or a.get("text") for a in src.get("actors") or []],
            "fatalities": src.get("fatalities"), "mentions": src.get("mentions"), "sources": src.get("sources"),
            "sentence": src.get("sentence"), "highlight": h.get("highlight", {})}


def _print_articles(hits: list[dict]) -> None:
    for h in hits:
        row = _article_row(h)
        hl = row["highlight"]
        title = (hl.get("title") or [row["title"] or ""])[0]
        click.echo("")
        click.echo(click.style(f"■ {title}", bold=True))
        click.echo(f"  {row['source']} · {row['published_at']} · {row['url'] or row['id']}")
        for frag in (hl.get("body") or [])[:2]:
            click.echo(f"  … {frag} …")


def _print_events(hits: list[dict]) -> None:
    for h in hits:
        row = _event_row(h)
        hl = row["highlight"]
        toll = f" · {row['fatalities']} killed" if row["fatalities"] is not None else ""
        click.echo("")
        click.echo(click.style(f"■ {row['type']} · {row['event_date']} · {row['place'] or '?'}", bold=True))
        actors = "، ".join(a for a in row["actors"] if a)
        srcs = "، ".join(row["sources"] or [])
        click.echo(f"  {actors or '-'}{toll} · {row['mentions'] or 0} reports from {srcs or '-'}")
        sentence = (hl.get("sentence") or [row["sentence"] or ""])[0]
        if sentence:
            click.echo(f"  … {sentence} …")


@click.command(epilog=SYNTAX)
@click.argument("query", nargs=-1, required=True)
@click.option("--size", "-n", default=10, show_default=True, help="How many hits.")
@click.option("--events", is_flag=True, help="Search merged events instead of articles.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@click.option("--all", "include_copies", is_flag=True, help="Include copies of stories (duplicate_of set).")
def search(query: tuple[str, ...], size: int, events: bool, as_json: bool, include_copies: bool) -> None:
    """Arabic search over articles (or --events), with highlighted snippets."""
    from elasticsearch import ApiError, TransportError

    from marsad.query import QuerySyntaxError, build_article_query, build_event_query
    from streams.index.client import es_client

    s = get_settings()
    text = " ".join(query)
    try:
        body = build_event_query(text, size=size) if events else \
            build_article_query(text, size=size, include_copies=include_copies)
    except QuerySyntaxError as exc:
        raise click.UsageError(str(exc)) from exc
    index = s.events_index if events else s.articles_index
    try:
        resp = es_client(s).search(index=index, **body)
    except (ApiError, TransportError) as exc:
        raise click.ClickException(f"search of {index} failed at {s.es_url}: {exc}") from exc
    hits = resp["hits"]["hits"]
    total = resp["hits"]["total"]["value"]
    if as_json:
        rows = [_event_row(h) if events else _article_row(h) for h in hits]
        click.echo(json.dumps({"query": text, "index": index, "total": total, "hits": rows},
                              ensure_ascii=False, indent=2))
        return
    click.echo(f"{total} {'events' if events else 'articles'} match «{text}»")
    (_print_events if events else _print_articles)(hits)
