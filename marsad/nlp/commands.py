"""Command-line entry points for the NLP core: `marsad extract`, `marsad ner`, `marsad eval ner`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


@click.command("extract")
@click.option(
    "--published-at",
    default=None,
    help="ISO 8601 publication time when stdin is plain text "
    "(anchors أمس، اليوم ...). Overrides the article's own field when given.",
)
@click.option("--source", default="stdin", show_default=True, help="Outlet name for plain-text input.")
@click.option("--pretty/--compact", default=True, show_default=True, help="Indented or one-line JSON.")
def extract_command(published_at: str | None, source: str, pretty: bool) -> None:
    """Read one article from stdin and print its entities and event mentions as JSON.

    Input is an Article-contract JSON object (id, source, title, body, published_at, ...) or plain
    text, which becomes the body. Needs no services.
    """
    from marsad.nlp.extract import extract
    from marsad.records import article_id

    raw = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    article = None
    stripped = raw.lstrip()
    if stripped.startswith("{"):
        try:
            article = json.loads(stripped)
        except json.JSONDecodeError:
            article = None
    if not isinstance(article, dict):
        article = {"id": article_id(None, source, "", raw), "source": source, "title": "", "body": raw}
        if published_at is None:
            click.echo("warning: plain text without --published-at; relative dates stay unresolved", err=True)
    if published_at:
        article["published_at"] = published_at
    result = extract(article)
    result = {"article_id": article.get("id"), **result}
    click.echo(json.dumps(result, ensure_ascii=False, indent=2 if pretty else None))


@click.command("ner")
@click.argument("input", type=click.File("r", encoding="utf-8"), default="-")
def ner_command(input) -> None:  # noqa: A002 - click passes the argument by this name
    """Tag CoNLL input (one token per line, blank line between sentences; a tag column, if any, is
    ignored) and print `token TAG` lines, BIO with PERS/LOC/ORG/MISC."""
    from marsad.nlp.conll import parse_conll
    from marsad.nlp.ner import tag_sentences

    sents = [words for words, _ in parse_conll(input)]
    out = sys.stdout
    for words, tags in zip(sents, tag_sentences(sents), strict=True):
        for w, t in zip(words, tags, strict=True):
            out.write(f"{w} {t}\n")
        out.write("\n")


@click.group("eval")
def eval_group() -> None:
    """Measure Marsad's NLP against annotated data."""


@eval_group.command("ner")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="Print the scores as JSON instead of conlleval's table."
)
def eval_ner_command(file: Path, as_json: bool) -> None:
    """Tag FILE's tokens and score against its gold tags (CoNLL `token TAG`): exact-span precision,
    recall and F1 per type and micro overall, conlleval style."""
    from marsad.nlp.conll import evaluate, read_conll, report
    from marsad.nlp.ner import tag_sentences

    sents = list(read_conll(file))
    if not sents:
        raise click.ClickException(f"{file}: no sentences found")
    pred = tag_sentences([w for w, _ in sents])
    scores = evaluate([t for _, t in sents], pred)
    if as_json:
        click.echo(json.dumps(scores, indent=2))
    else:
        report(scores, sys.stdout)
