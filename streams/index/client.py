"""One way to build an Elasticsearch client from settings."""

from __future__ import annotations

from elasticsearch import Elasticsearch

from marsad.settings import Settings, get_settings


def es_client(settings: Settings | None = None, **kwargs) -> Elasticsearch:
    s = settings or get_settings()
    import os

    auth: dict = {}
    if os.environ.get("MARSAD_ES_API_KEY"):
        auth["api_key"] = os.environ["MARSAD_ES_API_KEY"]
    elif os.environ.get("MARSAD_ES_USERNAME"):
        auth["basic_auth"] = (os.environ["MARSAD_ES_USERNAME"], os.environ.get("MARSAD_ES_PASSWORD", ""))
    kwargs.setdefault("request_timeout", 30)
    return Elasticsearch(s.es_hosts, **auth, **kwargs)
