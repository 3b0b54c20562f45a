"""`marsad eval search`: how well Arabic search finds what a reader means, ours against ES's own.

On one sample of the ANT news corpus, the same documents go into three indices on the real node:
the `standard` analyzer, the built-in `arabic` analyzer (`marsad_builtin_arabic`, Lucene's
ArabicAnalyzer, which is what Elasticsearch's `arabic` is) and Marsad's own articles template.
A judged query set (below) is run against each, and recall@10, precision@10, MRR and nDCG@10 are
compared, with index size and indexing rate.

Judging rule. A query names one or more target words, each with its spellings (قنفوذة/قنفودة;
hamza seats need no listing since the judge folds). A document is relevant when, for every
target, some word of its title, abstract or body, after `marsad.nlp.normalize.fold`, is
  proclitic stack + target + suffix,
with the stacks و ف ب ل ك, their pairs (وب ول وك فب فل فك), the article and its stacks (ال وال
فال بال كال وبال فبال وكال فكال لل ولل فلل), and the inflections of the same word: accusative
alef, sound plurals and duals (ات ون ين ان و), possessive pronouns (ه ها هم هما هن كم نا), with
teh marbuta written ت before a pronoun or a dual and dropped before ات (وزارة → وزارتها,
وزارات). Derived words (nisba عراقي from العراق), broken plurals (قتلى) and other lexemes are
not relevant. Grade 2 when a target occurs in the title or three times or more, else 1 (for
nDCG). The judge is deliberately independent of any stemmer: it enumerates the forms of a
given word instead of stemming the document, so it cannot share a stemmer's mistakes.

Recall@10 is capped (relevant in the top 10 / min(R, 10)), so queries with many relevant
documents are not scored near zero; `match recall` is the share of all R relevant documents
that the query matches at all (among the first 1000 hits).
"""

from __future__ import annotations

import gzip
import json
import math
import random
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click

from marsad.nlp.normalize import fold, word_spans
from marsad.settings import REPO_ROOT

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "data" / "news" / "ant_multisource.jsonl.gz"
K = 10

# ------------------------------------------------------------------ the judge (pure)

PROCLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك",
              "ال", "وال", "فال", "بال", "كال", "وبال", "فبال", "وكال", "فكال", "لل", "ولل", "فلل")
PRONOUNS = ("ه", "ها", "هم", "هما", "هن", "كم", "نا")
# Inflections of the word itself (no pronoun): accusative, sound plurals, duals, construct plural.
ENDINGS = ("", "ا", "ات", "ون", "ين", "ان", "و")


def word_forms(word: str) -> frozenset[str]:
    """Every folded surface form of `word` the judge accepts (see the module docstring)."""
    base = fold(word)
    stems: set[str] = set()
    if base.endswith("ه"):  # teh marbuta: the feminine noun
        root = base[:-1]
        stems.add(base)
        stems.update(root + e for e in ("ات", "تان", "تين"))
        stems.update(root + "ت" + p for p in PRONOUNS)
        stems.update(root + "ات" + p for p in PRONOUNS)
        stems.update(root + "تا" + p for p in PRONOUNS)  # dual before a pronoun
    else:
        for e in ENDINGS:
            if e == "ا" and base[-1:] in ("ا", "ي", "و"):
                continue
            stems.add(base + e)
        stems.update(base + p for p in PRONOUNS)
        stems.update(base + "ات" + p for p in PRONOUNS)
        # Oblique plural before a pronoun (مسلحيهم); not before ه, where يه is the nisba ending
        # (ايرانيه, مسيوليه "responsibility"), a different word.
        stems.update(base + "ي" + p for p in PRONOUNS if p != "ه")
    return frozenset(p + s for p in PROCLITICS for s in stems)


def name_forms(name: str) -> frozenset[str]:
    """A proper name takes proclitics only: مصراته is not مصر + ات + ه, رياضه is not الرياض."""
    base = fold(name)
    if base.startswith("ال"):  # الرياض: the article belongs to the name, ل swallows its alef
        bare = base[2:]
        return frozenset([p + base for p in ("", "و", "ف", "ب", "ك", "وب", "فب", "وك", "فك")]
                         + [p + bare for p in ("لل", "ولل", "فلل")])
    return frozenset(p + base for p in PROCLITICS)


@dataclass(frozen=True)
class JudgedQuery:
    """What a user types, what they mean (each target: its spellings) and the difficulty shown."""

    text: str
    targets: tuple[tuple[str, ...], ...]
    kind: str

    def forms(self) -> list[frozenset[str]]:
        return [frozenset().union(*(name_forms(v[1:]) if v.startswith("=") else word_forms(v) for v in variants))
                for variants in self.targets]


def Q(text: str, kind: str, *targets: str) -> JudgedQuery:  # noqa: N802 - reads as a table row
    """A row of the query table: targets written 'a|b' for spellings of one word, '=name' for a
    proper name (proclitics only, no suffixes)."""
    return JudgedQuery(text, tuple(tuple(t.split("|")) for t in targets), kind)


# Written by hand, with the failure modes of the issue: hamza seats, clitic stacks, pronoun
# suffixes, the accusative alef, words that start with و, and name variants beyond folding.
QUERIES: tuple[JudgedQuery, ...] = (
    # hamza seat written the other way (Egyptian and Gulf spelling use ئ where the Levant writes ؤ)
    Q("مسئول", "hamza", "مسؤول"),
    Q("المسئولين", "hamza", "مسؤول"),
    Q("شئون", "hamza", "شؤون"),
    Q("مسئولية", "hamza", "مسؤولية"),
    Q("رئاسة", "hamza", "رئاسة"),
    Q("هيئة", "hamza", "هيئة"),
    Q("تفاؤل", "hamza", "تفاؤل"),
    Q("مؤتمر صحفي", "hamza", "مؤتمر", "صحفي"),
    # a preposition or conjunction in front of a name or noun
    Q("لسوريا", "clitic", "=سوريا"),
    Q("ببغداد", "clitic", "=بغداد"),
    Q("لليبيا", "clitic", "=ليبيا"),
    Q("لإيران", "clitic", "=إيران"),
    Q("بموسكو", "clitic", "=موسكو"),
    Q("لروسيا", "clitic", "=روسيا"),
    Q("بدمشق", "clitic", "=دمشق"),
    Q("وللقوات", "clitic", "قوات"),
    Q("لتركيا", "clitic", "=تركيا"),
    Q("بمصر", "clitic", "=مصر"),
    Q("لقطر", "clitic", "=قطر"),
    Q("وبيروت", "clitic", "=بيروت"),
    Q("لواشنطن", "clitic", "=واشنطن"),
    Q("بالرياض", "clitic", "=الرياض"),
    Q("للانتخابات", "clitic", "انتخابات|انتخاب"),
    Q("وللمعارضة", "clitic", "معارضة"),
    # a pronoun suffix on the query word
    Q("قواتهم", "suffix", "قوات"),
    Q("حكومتها", "suffix", "حكومة"),
    Q("جيشها", "suffix", "جيش"),
    Q("رئيسها", "suffix", "رئيس"),
    Q("قيادته", "suffix", "قيادة"),
    Q("عناصرها", "suffix", "عناصر"),
    Q("شعبها", "suffix", "شعب"),
    Q("سياستها", "suffix", "سياسة"),
    # accusative alef (tanween) on counts and adverbs
    Q("قتيلاً", "accusative", "قتيل"),
    Q("جريحاً", "accusative", "جريح"),
    Q("هجوماً", "accusative", "هجوم"),
    Q("اتفاقاً", "accusative", "اتفاق"),
    Q("مسلحاً", "accusative", "مسلح"),
    Q("لاعباً", "accusative", "لاعب"),
    # words and names that begin with و
    Q("وزير", "waw", "وزير"),
    Q("وزارة", "waw", "وزارة"),
    Q("وزراء", "waw", "وزراء"),
    Q("وكالة", "waw", "وكالة"),
    Q("وفد", "waw", "وفد"),
    Q("وليد", "waw", "=وليد"),
    Q("ولاية", "waw", "ولاية"),
    Q("وثائق", "waw", "وثائق"),
    Q("وطني", "waw", "وطني"),
    Q("وزير الخارجية", "waw", "وزير", "خارجية"),
    # a name spelled differently beyond what folding merges
    Q("ترمب", "variant", "=ترامب|=ترمب"),
    Q("نتانياهو", "variant", "=نتنياهو|=نتانياهو"),
    Q("بوتن", "variant", "=بوتين|=بوتن"),
    Q("ميركيل", "variant", "=ميركل|=ميركيل"),
    Q("ماكرن", "variant", "=ماكرون|=ماكرن"),
    Q("قنفودة", "variant", "=قنفوذة|=قنفودة"),
    # plurals and duals of plain nouns
    Q("اشتباكات", "plural", "اشتباك"),
    Q("المسلحين", "plural", "مسلح"),
    Q("الاحتجاجات", "plural", "احتجاج"),
    Q("صواريخ", "plain", "صواريخ"),
)


@dataclass
class Doc:
    id: str
    title: str
    summary: str
    body: str
    source: str
    published_at: str | None
    words_title: frozenset[str] = field(default_factory=frozenset)
    words_all: dict[str, int] = field(default_factory=dict)


def folded_words(text: str) -> list[str]:
    return [w for w, _, _ in word_spans(fold(text))]


def prepare(doc: Doc) -> Doc:
    doc.words_title = frozenset(folded_words(doc.title))
    counts: dict[str, int] = {}
    for w in folded_words(f"{doc.title}\n{doc.summary}\n{doc.body}"):
        counts[w] = counts.get(w, 0) + 1
    doc.words_all = counts
    return doc


def grade(doc: Doc, forms: list[frozenset[str]]) -> int:
    """0 not relevant, 1 relevant, 2 highly (a target in the title, or every target 3+ times)."""
    counts = []
    for f in forms:
        n = sum(c for w, c in doc.words_all.items() if w in f) if len(f) > len(doc.words_all) else \
            sum(doc.words_all.get(w, 0) for w in f)
        if n == 0:
            return 0
        counts.append(n)
    in_title = any(doc.words_title & f for f in forms)
    return 2 if in_title or min(counts) >= 3 else 1


def judge(docs: Iterable[Doc], query: JudgedQuery) -> dict[str, int]:
    forms = query.forms()
    return {d.id: g for d in docs if (g := grade(d, forms))}


# ------------------------------------------------------------------ metrics (pure)


def metrics(ranked: list[str], grades: dict[str, int], k: int = K, matched: Iterable[str] = ()) -> dict[str, float]:
    top = ranked[:k]
    hits = [1 if grades.get(d) else 0 for d in top]
    r = len(grades)
    rr = next((1.0 / (i + 1) for i, h in enumerate(hits) if h), 0.0)
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(top))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    matched_set = set(matched) or set(ranked)
    return {
        "recall@10": sum(hits) / min(r, k) if r else 0.0,
        "precision@10": sum(hits) / k,
        "mrr": rr,
        "ndcg@10": dcg / idcg if idcg else 0.0,
        "match_recall": len(matched_set & grades.keys()) / r if r else 0.0,
    }


def mean(rows: list[dict[str, float]]) -> dict[str, float]:
    return {key: sum(r[key] for r in rows) / len(rows) for key in METRICS} if rows else {}


# ------------------------------------------------------------------ corpus


def load_docs(path: Path, n: int, seed: int = 7) -> list[Doc]:
    """`n` distinct ANT articles (one per URL), a seeded random sample of the whole corpus."""
    seen: set[str] = set()
    rows: list[dict] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            key = rec.get("url") or rec["docno"]
            if key in seen or not (rec.get("text") or "").strip():
                continue
            seen.add(key)
            rows.append(rec)
    rng = random.Random(seed)
    picked = rng.sample(rows, min(n, len(rows)))
    return [prepare(Doc(id=r["docno"], title=r.get("title") or "", summary=r.get("abstract") or "",
                        body=r.get("text") or "", source=r.get("src") or "", published_at=_iso(r.get("time"))))
            for r in picked]


def _iso(rss_time: str | None) -> str | None:
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(rss_time).isoformat() if rss_time else None
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------ systems on the real node


@dataclass
class System:
    name: str
    label: str

    def index_body(self) -> dict:
        raise NotImplementedError

    def query(self, text: str) -> dict:
        raise NotImplementedError


class Baseline(System):
    """One server-side analyzer on title, summary and body; the query has the same shape as ours."""

    def __init__(self, name: str, label: str, analyzer: str) -> None:
        super().__init__(name, label)
        self.analyzer = analyzer

    def index_body(self) -> dict:
        text = {"type": "text", "analyzer": self.analyzer}
        return {"settings": {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1"},
                "mappings": {"dynamic": False, "properties": {
                    "title": text, "summary": text, "body": text,
                    "source": {"type": "keyword"}, "published_at": {"type": "date"}}}}

    def query(self, text: str) -> dict:
        from marsad.query import split_query

        phrases, words = split_query(text)
        must: list[dict] = []
        if words:
            must.append({"multi_match": {"query": words, "fields": ["title^3", "body", "summary"],
                                         "type": "most_fields", "operator": "and"}})
        must += [{"multi_match": {"query": p, "fields": ["title^2", "body"], "type": "phrase"}} for p in phrases]
        should = [{"multi_match": {"query": words, "fields": ["title^2", "body"], "type": "phrase", "boost": 2}}] if words else []
        return {"bool": {"must": must, "should": should}}


class Marsad(System):
    """The production articles template and the query `marsad search` sends."""

    def index_body(self) -> dict:
        from marsad.settings import Settings
        from streams.index.setup import template_body

        tpl = template_body("articles", Settings())["template"]
        return {"settings": {**tpl["settings"], "refresh_interval": "-1"}, "mappings": tpl["mappings"]}

    def query(self, text: str) -> dict:
        from marsad.query import build_article_query

        return build_article_query(text, include_copies=True)["query"]


SYSTEMS: tuple[System, ...] = (
    Baseline("standard", "standard analyzer", "standard"),
    Baseline("builtin_arabic", "built-in arabic", "marsad_builtin_arabic"),
    Marsad("marsad", "Marsad (ours)"),
)


def _actions(index: str, docs: list[Doc]) -> Iterator[dict]:
    for d in docs:
        yield {"_index": index, "_id": d.id, "_source": {
            "id": d.id, "title": d.title, "summary": d.summary, "body": d.body,
            "source": d.source, "published_at": d.published_at}}


def index_system(es, system: System, index: str, docs: list[Doc]) -> dict:
    from elasticsearch import helpers

    es.indices.create(index=index, **system.index_body())
    started = time.perf_counter()
    ok, errors = helpers.bulk(es.options(request_timeout=120), _actions(index, docs), chunk_size=250,
                              raise_on_error=False)
    es.indices.refresh(index=index)
    seconds = time.perf_counter() - started
    if errors:
        raise click.ClickException(f"{system.name}: {len(errors)} documents refused, first: {errors[0]}")
    es.options(request_timeout=600).indices.forcemerge(index=index, max_num_segments=1)
    stats = es.indices.stats(index=index, metric="store")["indices"][index]["primaries"]["store"]
    return {"docs": ok, "seconds": round(seconds, 2), "docs_per_s": round(ok / seconds, 1),
            "size_bytes": stats["size_in_bytes"]}


def run_queries(es, system: System, index: str, queries: Iterable[JudgedQuery],
                judged: dict[str, dict[str, int]]) -> list[dict]:
    rows = []
    for q in queries:
        resp = es.search(index=index, query=system.query(q.text), size=1000, _source=False,
                         track_total_hits=True)
        ranked = [h["_id"] for h in resp["hits"]["hits"]]
        m = metrics(ranked, judged[q.text])
        rows.append({"query": q.text, "kind": q.kind, "relevant": len(judged[q.text]),
                     "top": ranked[:K], "total": resp["hits"]["total"]["value"], **m})
    return rows


def evaluate(es, docs: list[Doc], queries: tuple[JudgedQuery, ...] = QUERIES, *,
             prefix: str | None = None, keep: bool = False) -> dict:
    """Index `docs` once per system, run the judged queries, return every figure."""
    prefix = prefix or f"evalsearch-{uuid.uuid4().hex[:8]}"
    judged = {q.text: judge(docs, q) for q in queries}
    usable = tuple(q for q in queries if judged[q.text])
    out: dict = {"documents": len(docs), "queries": len(usable),
                 "dropped_queries": [q.text for q in queries if not judged[q.text]],
                 "judging": "see marsad/search_eval.py docstring", "systems": {}}
    try:
        for system in SYSTEMS:
            index = f"{prefix}-{system.name}"
            stats = index_system(es, system, index, docs)
            rows = run_queries(es, system, index, usable, judged)
            by_kind: dict[str, list[dict]] = {}
            for r in rows:
                by_kind.setdefault(r["kind"], []).append(r)
            out["systems"][system.name] = {
                "label": system.label, "index": stats, "mean": mean(rows),
                "by_kind": {k: mean(v) for k, v in by_kind.items()}, "queries": rows}
    finally:
        if not keep:
            es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True, allow_no_indices=True)
    return out


METRICS = ("recall@10", "precision@10", "mrr", "ndcg@10", "match_recall")


def table(result: dict) -> str:
    lines = [f"{result['documents']} ANT documents, {result['queries']} judged queries"]
    head = f"{'system':22}" + "".join(f"{m:>13}" for m in METRICS) + f"{'size MB':>10}{'docs/s':>9}"
    lines += [head, "-" * len(head)]
    for s in result["systems"].values():
        lines.append(f"{s['label']:22}" + "".join(f"{s['mean'][m]:13.3f}" for m in METRICS)
                     + f"{s['index']['size_bytes'] / 1e6:10.1f}{s['index']['docs_per_s']:9.0f}")
    kinds = sorted({k for s in result["systems"].values() for k in s["by_kind"]})
    lines += ["", "recall@10 by difficulty: " + ", ".join(s["label"] for s in result["systems"].values())]
    for k in kinds:
        lines.append(f"  {k:12}" + "".join(f"{s['by_kind'].get(k, {}).get('recall@10', float('nan')):8.3f}"
                                           for s in result["systems"].values()))
    if result["dropped_queries"]:
        lines.append(f"\nno relevant document in the sample (left out): {' '.join(result['dropped_queries'])}")
    return "\n".join(lines)


@click.command("search")
@click.option("--corpus", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_CORPUS,
              show_default=True, help="ANT multi-source JSONL (gzip).")
@click.option("--docs", "n_docs", default=3000, show_default=True, help="How many articles to sample.")
@click.option("--seed", default=7, show_default=True, help="Sample seed.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("var/eval/search.json"), show_default=True, help="Where to write the JSON.")
@click.option("--keep", is_flag=True, help="Keep the evalsearch-* indices (for looking at them in Kibana).")
def eval_search_command(corpus: Path, n_docs: int, seed: int, out_path: Path, keep: bool) -> None:
    """Compare Arabic search (standard, built-in arabic, Marsad) on judged queries over ANT articles."""
    from streams.index.client import es_client

    if not corpus.exists():
        raise click.ClickException(f"corpus not found: {corpus} (the ANT corpus lives in ../shared/data/news)")
    click.echo(f"loading {n_docs} articles from {corpus} …", err=True)
    docs = load_docs(corpus, n_docs, seed)
    es = es_client(request_timeout=120)
    result = evaluate(es, docs, keep=keep)
    result.update({"corpus": str(corpus), "seed": seed})
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    click.echo(table(result))
    click.echo(f"\nwritten: {out_path}")
