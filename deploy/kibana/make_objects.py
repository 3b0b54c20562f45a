"""Writes deploy/kibana/marsad.ndjson: Marsad's Kibana 8.19 saved objects.

Kibana stores most of a visualization as JSON inside strings; writing those by hand is how typos
reach users. Edit this file and run `python deploy/kibana/make_objects.py`; the ndjson is committed
so Docker users and `marsad setup`-like scripts can import it without Python.
tests/integration/test_kibana_objects.py checks every field against the real index mappings.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("marsad.ndjson")
CORE = "8.8.0"


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def data_view(kind: str, time_field: str, name: str) -> dict:
    return {
        "type": "index-pattern", "id": f"marsad-{kind}",
        "attributes": {"title": f"marsad-{kind}", "name": name, "timeFieldName": time_field,
                       "fields": "[]", "fieldFormatMap": "{}", "runtimeFieldMap": "{}", "typeMeta": "{}",
                       "sourceFilters": dumps([{"value": "body_norm"}, {"value": "title_norm"}])},
        "references": [], "coreMigrationVersion": CORE, "typeMigrationVersion": "8.0.0",
    }


def saved_search(oid: str, title: str, kind: str, kql: str, columns: list[str], sort: str,
                 time_from: str | None = None) -> dict:
    attrs = {
        "title": title, "description": "", "columns": columns, "sort": [[sort, "desc"]],
        "grid": {}, "hideChart": False, "isTextBasedQuery": False,
        "kibanaSavedObjectMeta": {"searchSourceJSON": dumps({
            "query": {"query": kql, "language": "kuery"}, "filter": [],
            "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"})},
    }
    if time_from:
        attrs.update({"timeRestore": True, "timeRange": {"from": time_from, "to": "now"},
                      "refreshInterval": {"pause": False, "value": 60000}})
    return {"type": "search", "id": oid, "attributes": attrs,
            "references": [{"name": "kibanaSavedObjectMeta.searchSourceJSON.index", "type": "index-pattern",
                            "id": f"marsad-{kind}"}],
            "coreMigrationVersion": CORE, "typeMigrationVersion": "8.0.0"}


def _count(label: str) -> dict:
    return {"label": label, "dataType": "number", "operationType": "count", "isBucketed": False,
            "scale": "ratio", "sourceField": "___records___", "params": {"emptyAsNull": True}}


def _terms(field: str, label: str, size: int, order_by: str) -> dict:
    return {"label": label, "dataType": "string", "operationType": "terms", "sourceField": field,
            "isBucketed": True, "scale": "ordinal",
            "params": {"size": size, "orderBy": {"type": "column", "columnId": order_by},
                       "orderDirection": "desc", "otherBucket": True, "missingBucket": False}}


def lens(oid: str, title: str, kind: str, columns: dict[str, dict], visualization: dict, vis_type: str = "lnsXY") -> dict:
    return {
        "type": "lens", "id": oid,
        "attributes": {
            "title": title, "description": "", "visualizationType": vis_type,
            "state": {
                "datasourceStates": {"formBased": {"layers": {"layer1": {
                    "columns": columns, "columnOrder": list(columns), "incompleteColumns": {}}}}},
                "visualization": visualization,
                "query": {"query": "", "language": "kuery"}, "filters": [],
            },
        },
        "references": [{"type": "index-pattern", "id": f"marsad-{kind}", "name": "indexpattern-datasource-layer-layer1"}],
        "coreMigrationVersion": CORE, "typeMigrationVersion": "8.9.0",
    }


def xy(series: str, x: str, accessors: list[str], split: str | None = None) -> dict:
    layer = {"layerId": "layer1", "layerType": "data", "seriesType": series, "xAccessor": x, "accessors": accessors}
    if split:
        layer["splitAccessor"] = split
    return {"preferredSeriesType": series, "legend": {"isVisible": True, "position": "right"},
            "valueLabels": "hide", "layers": [layer]}


def events_map() -> dict:
    layers = [
        {"id": "basemap", "label": None, "type": "EMS_VECTOR_TILE", "visible": True, "alpha": 1,
         "minZoom": 0, "maxZoom": 24, "sourceDescriptor": {"type": "EMS_TMS", "isAutoSelect": True},
         "style": {"type": "EMS_VECTOR_TILE"}},
        {"id": "events", "label": "Events", "type": "GEOJSON_VECTOR", "visible": True, "alpha": 0.8,
         "minZoom": 0, "maxZoom": 24,
         "sourceDescriptor": {"type": "ES_SEARCH", "id": "marsad-events-source", "geoField": "location.point",
                              "indexPatternRefName": "layer_1_source_index_pattern", "scalingType": "CLUSTERS",
                              "sortField": "event_date", "sortOrder": "desc", "applyGlobalQuery": True,
                              "applyGlobalTime": True,
                              "tooltipProperties": ["type", "location.canonical", "event_date", "fatalities", "mentions"]},
         "style": {"type": "VECTOR", "isTimeAware": True, "properties": {
             "fillColor": {"type": "DYNAMIC", "options": {"field": {"name": "type", "origin": "source"},
                                                          "colorCategory": "palette_0", "type": "CATEGORICAL"}},
             "iconSize": {"type": "STATIC", "options": {"size": 6}}}}},
    ]
    return {
        "type": "map", "id": "marsad-events-map",
        "attributes": {
            "title": "Marsad: events on the map", "description": "Merged events at their places, coloured by type.",
            "layerListJSON": dumps(layers),
            "mapStateJSON": dumps({"zoom": 3.5, "center": {"lon": 25.0, "lat": 28.0},
                                   "timeFilters": {"from": "now-30d", "to": "now"},
                                   "refreshConfig": {"isPaused": False, "interval": 60000},
                                   "query": {"query": "", "language": "kuery"}, "filters": [], "settings": {}}),
            "uiStateJSON": dumps({"isLayerTOCOpen": True, "openTOCDetails": []}),
        },
        "references": [{"name": "layer_1_source_index_pattern", "type": "index-pattern", "id": "marsad-events"}],
        "coreMigrationVersion": CORE, "typeMigrationVersion": "8.4.0",
    }


def dashboard(panels: list[tuple[str, str, dict]]) -> dict:
    """panels: (saved object type, id, gridData)."""
    panels_json, refs = [], []
    for n, (otype, oid, grid) in enumerate(panels, start=1):
        panels_json.append({"type": otype, "panelIndex": str(n), "gridData": {**grid, "i": str(n)},
                            "embeddableConfig": {"enhancements": {}}, "panelRefName": f"panel_{n}"})
        refs.append({"name": f"{n}:panel_{n}", "type": otype, "id": oid})
    return {
        "type": "dashboard", "id": "marsad-overview",
        "attributes": {
            "title": "Marsad: Arabic news events", "description": "Events over time by type, the map, top actors and sources.",
            "panelsJSON": dumps(panels_json),
            "optionsJSON": dumps({"useMargins": True, "syncColors": True, "syncCursor": True,
                                  "syncTooltips": False, "hidePanelTitles": False}),
            "timeRestore": True, "timeFrom": "now-30d", "timeTo": "now",
            "refreshInterval": {"pause": False, "value": 60000},
            "kibanaSavedObjectMeta": {"searchSourceJSON": dumps({"query": {"query": "", "language": "kuery"}, "filter": []})},
        },
        "references": refs, "coreMigrationVersion": CORE, "typeMigrationVersion": "8.9.0",
    }


def objects() -> list[dict]:
    over_time = lens(
        "marsad-events-over-time", "Events over time by type", "events",
        {"c1": {"label": "event_date", "dataType": "date", "operationType": "date_histogram", "sourceField": "event_date",
                "isBucketed": True, "scale": "interval", "params": {"interval": "auto", "includeEmptyRows": True}},
         "c2": _terms("type", "Type", 16, "c3"),
         "c3": _count("Events")},
        xy("bar_stacked", "c1", ["c3"], split="c2"))
    actors = lens("marsad-top-actors", "Top actors", "events",
                  {"c1": _terms("actors.canonical", "Actor", 15, "c2"), "c2": _count("Events")},
                  xy("bar_horizontal", "c1", ["c2"]))
    sources = lens("marsad-top-sources", "Top sources (articles)", "articles",
                   {"c1": _terms("source", "Source", 15, "c2"), "c2": _count("Articles")},
                   xy("bar_horizontal", "c1", ["c2"]))
    return [
        data_view("articles", "published_at", "Marsad articles"),
        data_view("events", "event_date", "Marsad events"),
        data_view("alerts", "at", "Marsad alerts"),
        saved_search("marsad-battles-7d", "Battles, last 7 days", "events", "type : battle.*",
                     ["type", "location.canonical", "actors.canonical", "fatalities", "sources", "mentions"],
                     "event_date", time_from="now-7d"),
        saved_search("marsad-violence-7d", "Strikes and violence against civilians, last 7 days", "events",
                     "type : remote.* or type : violence.*",
                     ["type", "location.canonical", "fatalities", "injured", "sources"], "event_date", time_from="now-7d"),
        saved_search("marsad-articles-latest", "Latest articles (no copies)", "articles",
                     "not duplicate_of : *", ["title", "source", "summary"], "published_at"),
        saved_search("marsad-alerts-failed", "Alert deliveries that failed", "alerts",
                     "status : failed or status : dead", ["rule_name", "event_type", "hook", "http_status", "error"], "at"),
        over_time, actors, sources, events_map(),
        dashboard([
            ("lens", over_time["id"], {"x": 0, "y": 0, "w": 48, "h": 12}),
            ("map", "marsad-events-map", {"x": 0, "y": 12, "w": 30, "h": 20}),
            ("lens", actors["id"], {"x": 30, "y": 12, "w": 18, "h": 10}),
            ("lens", sources["id"], {"x": 30, "y": 22, "w": 18, "h": 10}),
            ("search", "marsad-battles-7d", {"x": 0, "y": 32, "w": 48, "h": 14}),
        ]),
    ]


def main() -> None:
    OUT.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects()), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
