"""deploy/kibana/marsad.ndjson against the real index mappings: every field a Kibana object uses
exists with a type that can do what the object asks of it, and every reference resolves."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from marsad.settings import REPO_ROOT, Settings
from streams.index import setup

pytestmark = pytest.mark.integration

NDJSON = REPO_ROOT / "deploy" / "kibana" / "marsad.ndjson"
AGGREGATABLE = {"keyword", "date", "integer", "long", "float", "double", "boolean", "geo_point", "short"}


def objects() -> list[dict]:
    return [json.loads(line) for line in NDJSON.read_text(encoding="utf-8").splitlines() if line.strip()]


def flatten(props: dict, prefix: str = "") -> dict[str, str]:
    """field path -> type, multi-fields included (title.exact, actors.text.keyword)."""
    out: dict[str, str] = {}
    for name, spec in props.items():
        path = f"{prefix}{name}"
        if "properties" in spec:
            out.update(flatten(spec["properties"], f"{path}."))
            continue
        out[path] = spec.get("type", "object")
        for sub, subspec in (spec.get("fields") or {}).items():
            out[f"{path}.{sub}"] = subspec["type"]
    return out


@pytest.fixture(scope="module")
def mappings(es, it_settings) -> dict[str, dict[str, str]]:
    """data view title (marsad-<kind>) -> the real fields of that kind, from indices made by the
    production templates on the node (under a private prefix)."""
    prefix = f"itkibana{uuid.uuid4().hex[:8]}"
    mp = pytest.MonkeyPatch()
    mp.setenv("MARSAD_INDEX_PREFIX", prefix)
    s = Settings()
    aliases = setup.ensure_indices(s, es)
    out = {}
    for kind in setup.KINDS:
        index = aliases[f"{prefix}-{kind}"]
        out[f"marsad-{kind}"] = flatten(es.indices.get_mapping(index=index)[index]["mappings"]["properties"])
    yield out
    mp.undo()
    es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True, allow_no_indices=True)
    for kind in setup.KINDS:
        es.options(ignore_status=404).indices.delete_index_template(name=f"{prefix}-{kind}")


def test_ndjson_is_what_the_generator_writes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_objects", REPO_ROOT / "deploy" / "kibana" / "make_objects.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert objects() == json.loads(json.dumps(mod.objects())), "run python deploy/kibana/make_objects.py"


def test_every_reference_resolves():
    by_key = {(o["type"], o["id"]) for o in objects()}
    for o in objects():
        for ref in o["references"]:
            assert (ref["type"], ref["id"]) in by_key, f"{o['type']} {o['id']} refers to missing {ref}"
        if o["type"] == "dashboard":
            names = {r["name"] for r in o["references"]}
            for panel in json.loads(o["attributes"]["panelsJSON"]):
                assert f"{panel['panelIndex']}:{panel['panelRefName']}" in names
        if o["type"] == "lens":
            layers = o["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]
            names = {r["name"] for r in o["references"]}
            assert {f"indexpattern-datasource-layer-{lid}" for lid in layers} <= names
        if o["type"] == "map":
            names = {r["name"] for r in o["references"]}
            for layer in json.loads(o["attributes"]["layerListJSON"]):
                ref = layer["sourceDescriptor"].get("indexPatternRefName")
                assert ref is None or ref in names


def _view(o: dict, ref_name: str) -> str:
    ref = next(r for r in o["references"] if r["name"] == ref_name)
    return ref["id"]  # data view ids equal their titles (marsad-<kind>)


def _kql_fields(kql: str) -> set[str]:
    return set(re.findall(r"([A-Za-z_][\w.]*)\s*:", kql))


def test_every_field_exists_in_the_real_mapping(mappings):
    checked = 0

    def need(view: str, field: str, what: str, types: set[str] | None = None) -> None:
        nonlocal checked
        fields = mappings[view]
        assert field in fields, f"{what}: {field} is not a field of {view} (real mapping)"
        if types:
            assert fields[field] in types, f"{what}: {field} is {fields[field]} in {view}, needs one of {sorted(types)}"
        checked += 1

    for o in objects():
        a = o["attributes"]
        if o["type"] == "index-pattern":
            need(a["title"], a["timeFieldName"], f"data view {o['id']} time field", {"date"})
        elif o["type"] == "search":
            view = _view(o, "kibanaSavedObjectMeta.searchSourceJSON.index")
            for col in a["columns"]:
                need(view, col, f"search {o['id']} column")
            for field, _ in a["sort"]:
                need(view, field, f"search {o['id']} sort", AGGREGATABLE)
            for field in _kql_fields(json.loads(a["kibanaSavedObjectMeta"]["searchSourceJSON"])["query"]["query"]):
                need(view, field, f"search {o['id']} query")
        elif o["type"] == "lens":
            for lid, layer in a["state"]["datasourceStates"]["formBased"]["layers"].items():
                view = _view(o, f"indexpattern-datasource-layer-{lid}")
                for col in layer["columns"].values():
                    if col["sourceField"] != "___records___":
                        need(view, col["sourceField"], f"lens {o['id']}", AGGREGATABLE)
        elif o["type"] == "map":
            for layer in json.loads(a["layerListJSON"]):
                src = layer["sourceDescriptor"]
                if src.get("type") != "ES_SEARCH":
                    continue
                view = _view(o, src["indexPatternRefName"])
                need(view, src["geoField"], f"map {o['id']} geo field", {"geo_point"})
                need(view, src["sortField"], f"map {o['id']} sort", AGGREGATABLE)
                for f in src["tooltipProperties"]:
                    need(view, f, f"map {o['id']} tooltip")
                for prop in layer["style"]["properties"].values():
                    if prop["type"] == "DYNAMIC":
                        need(view, prop["options"]["field"]["name"], f"map {o['id']} style", AGGREGATABLE)
    assert checked > 25


def test_there_is_a_view_per_kind_a_battles_search_and_a_dashboard():
    by_type: dict[str, list[dict]] = {}
    for o in objects():
        by_type.setdefault(o["type"], []).append(o)
    assert {o["attributes"]["title"] for o in by_type["index-pattern"]} == {"marsad-articles", "marsad-events", "marsad-alerts"}
    battles = next(o for o in by_type["search"] if o["id"] == "marsad-battles-7d")["attributes"]
    assert battles["timeRange"]["from"] == "now-7d"
    dash = by_type["dashboard"][0]
    assert {r["type"] for r in dash["references"]} >= {"lens", "map"}
