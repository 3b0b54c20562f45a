"""`marsad search`: Arabic full-text search over the indexed articles."""

from __future__ import annotations

import json

import click

from marsad.settings import get_settings


@click.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--size", "-n", default=10, show_default=True, help="How many hits.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@click.option("--all", "include_copies", is_flag=True, help="Include copies of stories (duplicate_of set).")
def search(query: tuple[str, ...], size: int, as_json: bool, include_copies: bool) -> None:
    """Full-text Arabic search over articles, with highlighted snippets."""
    from elasticsearch import ApiError, TransportError

    from marsad.query import build_article_query
    from streams.index.client import es_client

    s = get_settings()
    text = " ".join(query)
    body = build_article_query(text, size=size, include_copies=include_copies)
    try:
        resp = es_client(s).search(index=s.articles_index, **body)
    except (ApiError, TransportError) as exc:
        raise click.ClickException(f"search failed at {s.es_url}: {exc}") from exc
    hits = resp["hits"]["hits"]
    if as_json:
        out = [
            {
                "id": h["_id"], "score": h["_score"], "title": h["_source"].get("title"),
                "source": h["_source"].get("source"), "published_at": h["_source"].get("published_at"),
                "url": h["_source"].get("url"), "duplicate_of": h["_source"].get("duplicate_of"),
                "highlight": h.get("highlight", {}),
            }
            for h in hits
        ]
        click.echo(json.dumps({"query": text, "total": resp["hits"]["total"]["value"], "hits": out},
                              ensure_ascii=False, indent=2))
        return
    total = resp["hits"]["total"]["value"]
    click.echo(f"{total} articles match «{text}»")
    for h in hits:
        src = h["_source"]
        hl = h.get("highlight", {})
        title = (hl.get("title") or [src.get("title", "")])[0]
        click.echo("")
        click.echo(click.style(f"■ {title}", bold=True))
        click.echo(f"  {src.get('source')} · {src.get('published_at')} · {src.get('url') or h['_id']}")
        for frag in (hl.get("body") or [])[:2]:
            click.echo(f"  … {frag} …")


