"""One way to build Elasticsearch clients (sync for the CLI, async for workers) from settings."""

from __future__ import annotations

import os
from typing import Any

from elasticsearch import AsyncElasticsearch, Elasticsearch
from elasticsearch.serializer import OrjsonSerializer

from marsad.settings import Settings, get_settings


def es_auth() -> dict[str, Any]:
    """Credentials from MARSAD_ES_API_KEY, or MARSAD_ES_USERNAME and MARSAD_ES_PASSWORD."""
    if os.environ.get("MARSAD_ES_API_KEY"):
        return {"api_key": os.environ["MARSAD_ES_API_KEY"]}
    if os.environ.get("MARSAD_ES_USERNAME"):
        return {"basic_auth": (os.environ["MARSAD_ES_USERNAME"], os.environ.get("MARSAD_ES_PASSWORD", ""))}
    return {}


def es_client(settings: Settings | None = None, **kwargs) -> Elasticsearch:
    s = settings or get_settings()
    kwargs.setdefault("request_timeout", 30)
    return Elasticsearch(s.es_hosts, **es_auth(), **kwargs)


def async_es_client(settings: Settings | None = None, **kwargs) -> AsyncElasticsearch:
    s = settings or get_settings()
    kwargs.setdefault("request_timeout", 60)
    # Bulk responses list every item; orjson reads them several times faster than the default.
    kwargs.setdefault("serializer", OrjsonSerializer())
    return AsyncElasticsearch(s.es_hosts, **es_auth(), **kwargs)
