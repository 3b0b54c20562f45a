"""Index templates and versioned aliases for articles, events and alerts (deploy/elasticsearch/templates).

Each alias (`<prefix>-articles`, `-events`, `-alerts`) points at one concrete index `<alias>-v<N>`,
where N is `_meta.marsad_version` of the kind's template. Raising N in a template (a mapping or
analysis change) makes `ensure_indices` roll the alias to a new index:

1. create `<alias>-v<N>` (the template gives it the new mapping and analysis);
2. in one alias action make the new index the write index, the old one stays readable behind the
   alias, so documents arriving during the copy land in the new index and nothing disappears from
   search;
3. copy every document of the old index with scroll + bulk (the local node has no `_reindex`),
   `op_type=create` so a copy never overwrites a newer version written in step 2;
4. in one alias action drop the old index from the alias. The old index is kept, only
   unaliased, unless `delete_old` is set, so a bad roll can be undone by hand.

While step 3 runs, a search may see a document twice (once per index); that window is the price of
not losing fresh documents, and it ends with step 4.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from elasticsearch import Elasticsearch, helpers
from elasticsearch.exceptions import BadRequestError

from marsad.settings import REPO_ROOT, Settings, get_settings
from streams.index.client import es_client

log = logging.getLogger(__name__)

TEMPLATES = REPO_ROOT / "deploy" / "elasticsearch" / "templates"
KINDS = ("articles", "events", "alerts")
_VERSION = re.compile(r"-v(\d+)$")


def _load(name: str) -> dict:
    return json.loads((TEMPLATES / f"{name}.json").read_text(encoding="utf-8"))


def _lines(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a word or rule list."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def analysis_settings() -> dict:
    """`analysis.json` with the word lists it names filled in from their files.

    A filter may say `"protected_words_file": "x.txt"`, `"synonyms_file": "y.txt"`,
    `"keywords_file"` or `"rules_file"`: the lines of that file (next to the templates) become the
    inline list, so the lists stay readable files while the node needs no files in its config dir.
    """
    analysis = _load("analysis")
    for spec in analysis.get("filter", {}).values():
        for key in [k for k in spec if k.endswith("_file")]:
            spec[key.removesuffix("_file")] = _lines(TEMPLATES / spec.pop(key))
    return analysis


def template_body(kind: str, settings: Settings) -> dict:
    """The index template for one kind: our Arabic analysis chain plus the kind's mapping."""
    mappings = _load(kind)
    return {
        "index_patterns": [f"{settings.index_prefix}-{kind}-v*"],
        "priority": 200,
        "_meta": mappings["_meta"],
        "template": {
            "settings": {
                "number_of_shards": int(os.environ.get("MARSAD_SHARDS", "1")),
                "number_of_replicas": int(os.environ.get("MARSAD_REPLICAS", "0")),
                "refresh_interval": os.environ.get("MARSAD_REFRESH_INTERVAL", "1s"),
                "analysis": analysis_settings(),
            },
            "mappings": mappings,
        },
    }


def index_version(es: Elasticsearch, index: str) -> int:
    """The marsad_version of an index: from its name `<alias>-v<N>` (what this module creates),
    else its mapping's _meta, else 0."""
    m = _VERSION.search(index)
    if m:
        return int(m.group(1))
    meta = es.indices.get_mapping(index=index)[index]["mappings"].get("_meta") or {}
    return int(meta.get("marsad_version", 0))


@dataclass
class Roll:
    alias: str
    old: str
    new: str
    copied: int
    skipped: int  # already in the new index (written there during the copy)


def alias_indices(es: Elasticsearch, alias: str) -> dict[str, dict]:
    """index -> alias properties for every index behind `alias` ({} when the alias is missing)."""
    if not es.indices.exists_alias(name=alias):
        return {}
    return {idx: body["aliases"][alias] for idx, body in es.indices.get_alias(name=alias).items()}


def copy_documents(es: Elasticsearch, source: str, dest: str, *, batch: int = 500) -> tuple[int, int]:
    """Copy every document of `source` into `dest` with scroll + bulk, keeping ids.

    `op_type=create`: a document that already exists in `dest` is newer than the copy, so the
    409 it gets back is counted as skipped, not an error. Returns (copied, skipped).
    """
    def actions():
        for hit in helpers.scan(es, index=source, query={"query": {"match_all": {}}}, size=batch,
                                scroll="5m", preserve_order=False):
            yield {"_op_type": "create", "_index": dest, "_id": hit["_id"], "_source": hit["_source"]}

    copied = skipped = 0
    for ok, item in helpers.streaming_bulk(es, actions(), chunk_size=batch, raise_on_error=False,
                                           raise_on_exception=True, max_retries=5):
        if ok:
            copied += 1
            continue
        status = item.get("create", {}).get("status")
        if status == 409:
            skipped += 1
        else:
            raise RuntimeError(f"copying {source} -> {dest} failed for a document: {item}")
    return copied, skipped


def roll_alias(es: Elasticsearch, alias: str, new_index: str, *, delete_old: bool = False) -> Roll:
    """Move `alias` onto `new_index` (created from the template if missing), copying documents
    from every other index behind it (one, or more when an earlier roll stopped half way)."""
    behind = alias_indices(es, alias)
    olds = sorted((i for i in behind if i != new_index), key=lambda i: not behind[i].get("is_write_index"))
    if not olds:
        raise ValueError(f"{alias} has no other index to roll from (behind it: {sorted(behind)})")
    if not es.indices.exists(index=new_index):
        try:
            es.indices.create(index=new_index)
        except BadRequestError as exc:  # another process created it a moment ago
            if exc.error != "resource_already_exists_exception":
                raise
    # New writes go to the new index from here on; the old ones still answer searches.
    es.indices.update_aliases(actions=[
        {"add": {"index": new_index, "alias": alias, "is_write_index": True}},
        *[{"add": {"index": i, "alias": alias, "is_write_index": False}} for i in olds],
    ])
    copied = skipped = 0
    for old in olds:
        es.indices.refresh(index=old)
        c, k = copy_documents(es, old, new_index)
        copied, skipped = copied + c, skipped + k
    es.indices.refresh(index=new_index)
    es.indices.update_aliases(actions=[{"remove": {"index": i, "alias": alias}} for i in olds])
    if delete_old:
        es.indices.delete(index=olds)
    log.info("rolled %s: %s -> %s (%d copied, %d already there)", alias, ", ".join(olds), new_index, copied, skipped)
    return Roll(alias, ", ".join(olds), new_index, copied, skipped)


def ensure_indices(settings: Settings | None = None, es: Elasticsearch | None = None, *,
                   delete_old: bool = False) -> dict[str, str]:
    """Install the templates; create each alias's first index, or roll it when the template's
    marsad_version is newer than the index behind the alias.

    Returns alias -> concrete (write) index. Safe to call any number of times.
    """
    s = settings or get_settings()
    es = es or es_client(s)
    out: dict[str, str] = {}
    for kind in KINDS:
        body = template_body(kind, s)
        alias = f"{s.index_prefix}-{kind}"
        version = int(body["_meta"]["marsad_version"])
        index = f"{alias}-v{version}"
        es.indices.put_index_template(name=alias, **body)
        behind = alias_indices(es, alias)
        if behind:
            write = next((i for i, p in behind.items() if p.get("is_write_index")), next(iter(behind)))
            if index_version(es, write) < version or len(behind) > 1:
                # Older mapping, or a roll that stopped half way (two indices behind the alias).
                roll_alias(es, alias, index, delete_old=delete_old)
                out[alias] = index
            else:
                out[alias] = write
            continue
        if not es.indices.exists(index=index):
            try:
                es.indices.create(index=index, aliases={alias: {"is_write_index": True}})
            except BadRequestError as exc:
                if exc.error != "resource_already_exists_exception":
                    raise
                es.indices.put_alias(index=index, name=alias, is_write_index=True)
        else:
            es.indices.put_alias(index=index, name=alias, is_write_index=True)
        out[alias] = index
    return out
