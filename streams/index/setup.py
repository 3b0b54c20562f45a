"""Index templates and aliases for articles, events and alerts (deploy/elasticsearch/templates)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from elasticsearch import Elasticsearch

from marsad.settings import REPO_ROOT, Settings, get_settings
from streams.index.client import es_client

TEMPLATES = REPO_ROOT / "deploy" / "elasticsearch" / "templates"
KINDS = ("articles", "events", "alerts")


def _load(name: str) -> dict:
    return json.loads((TEMPLATES / f"{name}.json").read_text(encoding="utf-8"))


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
                "analysis": _load("analysis"),
            },
            "mappings": mappings,
        },
    }


def ensure_indices(settings: Settings | None = None, es: Elasticsearch | None = None) -> dict[str, str]:
    """Install the templates and, where an alias is missing, create its first index behind it.

    Returns alias -> concrete index. Safe to call any number of times.
    """
    s = settings or get_settings()
    es = es or es_client(s)
    out: dict[str, str] = {}
    for kind in KINDS:
        body = template_body(kind, s)
        alias = f"{s.index_prefix}-{kind}"
        es.indices.put_index_template(name=alias, **body)
        if es.indices.exists_alias(name=alias):
            out[alias] = next(iter(es.indices.get_alias(name=alias)))
            continue
        index = f"{alias}-v{body['_meta']['marsad_version']}"
        if not es.indices.exists(index=index):
            es.indices.create(index=index, aliases={alias: {"is_write_index": True}})
        else:
            es.indices.put_alias(index=index, name=alias, is_write_index=True)
        out[alias] = index
    return out
