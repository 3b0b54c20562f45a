"""Alert rules, matching, bound crossing, payloads and signatures: the pure parts of alerting."""

from __future__ import annotations

import json

import pytest
import yaml

from marsad.alerts.analysis import analyze, analyze_exact, stem
from marsad.alerts.live import LiveRules
from marsad.alerts.matcher import compile_rule, distance_km, match
from marsad.alerts.payload import backoff, body_bytes, build_alert, headers, kibana_link, signature, verify
from marsad.alerts.rules import RuleError, RuleFile, load, parse, save
from marsad.alerts.state import alert_id, bands, decide

HOOKS = {"h": {"url": "http://127.0.0.1:9/x", "secret_env": "MARSAD_TEST_HOOK_SECRET"}}


def event(**over):
    ev = {
        "event_id": "ev-1",
        "type": "battle.clash",
        "actors": [{"role": "actor1", "text": "قوات الجيش الوطني الليبي", "canonical": None, "kind": "ORG"}],
        "location": {
            "text": "سرت",
            "canonical": "Sirte",
            "country": "LY",
            "admin1": "LY.76",
            "lat": 31.20892,
            "lon": 16.58866,
        },
        "fatalities": 3,
        "injured": None,
        "fatalities_min": None,
        "mentions": 2,
        "sources": ["libya-herald", "wire-a"],
        "reports": {
            "m1": {"source": "libya-herald", "location": {"text": "سرت", "country": "LY"}, "actors": []},
            "m2": {"source": "wire-a", "location": {"text": "طرابلس", "country": "LY"}, "actors": []},
        },
        "revision": 2,
    }
    ev.update(over)
    return ev


def rule(**fields):
    data = {"id": "r1", "hooks": ["h"], **fields}
    return parse({"hooks": HOOKS, "rules": [data]}).rules[0]


def matches(ev, **fields):
    return match(compile_rule(rule(**fields)), ev)


# -- analysis: the same as marsad_text ------------------------------------------------------------


def test_analysis_folds_drops_stop_words_and_strips_clitics_like_the_index():
    assert analyze("في مدينة سرت الليبية اشتباكات وقتلى لليبيا") == [
        "مدينه",
        "سرت",
        "ليبيه",
        "اشتباك",
        "قتلي",
        "ليبيا",
    ]


def test_stemmer_keeps_names_that_start_with_clitic_letters():
    assert [stem(w) for w in ("بنغازي", "وليد", "ببنغازي", "لسوريا", "حكومتها")] == [
        "بنغازي",
        "وليد",
        "بنغازي",
        "سوريا",
        "حكومه",
    ]


def test_exact_analysis_keeps_words_whole_and_joins_dotted_names():
    assert analyze_exact("الجيش الليبي في العربية.نت") == ["الجيش", "الليبي", "في", "العربيه.نت"]


# -- rules file ----------------------------------------------------------------------------------


def test_rules_round_trip_through_yaml(tmp_path):
    p = tmp_path / "alerts.yaml"
    rs = parse(
        {
            "hooks": HOOKS,
            "rules": [
                {
                    "id": "a",
                    "types": ["battle.*"],
                    "fatalities": [5, 20],
                    "place": {"near": {"lat": 32, "lon": 20, "radius_km": 50}},
                    "hooks": ["h"],
                }
            ],
        }
    )
    save(p, rs)
    assert load(p) == rs
    assert yaml.safe_load(p.read_text())["rules"][0]["fatalities"] == [5, 20]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id": "x", "hooks": ["nope"], "types": ["protest"]}, "no hook named nope"),
        ({"id": "x", "hooks": ["h"]}, "matches every event"),
        ({"id": "x", "hooks": ["h"], "fatalities": [20, 5]}, "strictly ascending"),
        ({"id": "x", "hooks": ["h"], "types": ["Battle Clash"]}, "not an event type"),
        ({"id": "x", "hooks": ["h"], "place": {"near": {"lat": 95, "lon": 0, "radius_km": 1}}}, "lat in"),
        ({"id": "x", "hooks": ["h"], "colour": "red"}, "unknown keys"),
    ],
)
def test_bad_rules_say_which_rule_and_field(data, message):
    with pytest.raises(RuleError, match=message):
        parse({"hooks": HOOKS, "rules": [data]}, "alerts.yaml")


def test_a_secret_in_the_file_is_refused_only_its_variable_name_is_allowed():
    with pytest.raises(RuleError, match="NAME of an environment variable"):
        parse({"hooks": {"h": {"url": "http://x", "secret_env": "s3cr3t-value!"}}})


def test_a_query_of_stop_words_only_is_refused():
    with pytest.raises(RuleError, match="no searchable words"):
        compile_rule(rule(query="في على من"))


def test_rules_reload_when_the_file_changes_and_a_bad_edit_keeps_the_last_good_rules(tmp_path):
    p = tmp_path / "alerts.yaml"
    live = LiveRules(p)
    assert live.compiled() == []  # no file: alerting off, not an error
    save(p, parse({"hooks": HOOKS, "rules": [{"id": "a", "types": ["protest"], "hooks": ["h"]}]}))
    assert [c.rule.id for c in live.compiled()] == ["a"]
    p.write_text("rules: [oops", encoding="utf-8")
    assert [c.rule.id for c in live.compiled()] == ["a"]
    assert "not valid YAML" in (live.file.error or "")
    save(p, parse({"hooks": HOOKS, "rules": [{"id": "b", "types": ["riot"], "hooks": ["h"]}]}))
    assert [c.rule.id for c in live.compiled()] == ["b"]
    rf = RuleFile(p)
    assert rf.current()[1] is True and rf.current()[1] is False


# -- matching ------------------------------------------------------------------------------------


def test_type_wildcards():
    assert matches(event(), types=["battle.*"])
    assert matches(event(), types=["remote.*", "battle.clash"])
    assert not matches(event(), types=["remote.*"])


def test_place_by_name_country_or_radius():
    assert matches(event(), place={"names": ["سرت"]})
    assert matches(event(), place={"names": ["Sirte"]})
    assert matches(event(), place={"names": ["مدينة سرت"]}) is None  # the name's words must all be there
    assert matches(event(), place={"countries": ["ly"]})
    assert not matches(event(), place={"countries": ["SY"]})
    misrata = {"lat": 32.3754, "lon": 15.0925}
    assert 180 < distance_km(31.20892, 16.58866, misrata["lat"], misrata["lon"]) < 200
    assert matches(event(), place={"near": {**misrata, "radius_km": 200}})
    assert not matches(event(), place={"near": {**misrata, "radius_km": 150}})


def test_actors_match_inside_longer_names_with_clitics():
    assert matches(event(), actors=["الجيش الليبي"]) is None  # not in a row: "الجيش الوطني الليبي"
    assert matches(event(), actors=["الجيش الوطني"])
    assert matches(event(actors=[{"text": "وقوات حفتر"}]), actors=["حفتر"])


def test_thresholds_on_figures_sources_and_mentions():
    assert matches(event(), fatalities=3)
    assert not matches(event(), fatalities=[4, 10])
    assert matches(event(fatalities=None, fatalities_min=12), fatalities=10)
    assert matches(event(), sources=2) and not matches(event(), sources=3)
    assert not matches(event(), injured=1)  # unknown figure: below any bound


def test_full_text_query_uses_search_analysis_words_anywhere_phrases_in_a_row():
    assert matches(event(), query="الجيش في سرت")  # "في" is a stop word, as in search
    assert matches(event(), query="جيش ليبي")  # stems meet "الجيش" and "الليبي"
    assert not matches(event(), query="الجيش بنغازي")
    assert matches(event(), query='"الوطني الليبي" سرت')
    assert not matches(event(), query='"الجيش الليبي"')
    assert matches(event(sentence="اندلعت اشتباكات عنيفة في مدينة سرت"), query="اشتباك عنيفة")


def test_every_part_must_hold_and_matched_sources_are_the_reports_that_place_it():
    m = matches(event(), types=["battle.*"], place={"names": ["سرت"]}, fatalities=3)
    assert m and m.matched_sources == ["libya-herald"]
    assert any("fatalities 3 >= 3" in r for r in m.reasons)
    assert not matches(event(), types=["battle.*"], place={"names": ["سرت"]}, fatalities=4)


# -- bound crossing ------------------------------------------------------------------------------


def test_one_alert_per_rule_and_event_then_one_per_bound_crossed():
    r = rule(fatalities=[5, 20])
    fired, state = [], None
    for toll in (7, 9, 15, 22, 40, 41):
        d = decide(r, event(fatalities=toll), state)
        if d.fire:
            fired.append((toll, d.crossed, d.previous))
        state = d.state
    assert fired == [(7, {"fatalities": 5}, {}), (22, {"fatalities": 20}, {"fatalities": 5})]
    assert state["alerts"] == 2


def test_a_rule_without_thresholds_alerts_once_whatever_arrives():
    r = rule(types=["battle.*"])
    d1 = decide(r, event(), None)
    d2 = decide(r, event(mentions=9, sources=["a", "b", "c"], fatalities=50), d1.state)
    assert d1.fire and not d2.fire


def test_alert_ids_are_deterministic_and_differ_per_band():
    r = rule(fatalities=[5, 20])
    a = decide(r, event(fatalities=7), None)
    b = decide(r, event(fatalities=7), None)
    c = decide(r, event(fatalities=25), a.state)
    assert a.alert_id == b.alert_id == alert_id("r1", "ev-1", {"fatalities": 5}) != c.alert_id
    assert bands(r, event(fatalities=4)) == {}


# -- payloads and signatures ---------------------------------------------------------------------


def _alert(**rule_fields):
    r = rule(**(rule_fields or {"types": ["battle.*"]}))
    c = compile_rule(r)
    ev = event()
    return build_alert(
        r,
        ev,
        match(c, ev),
        decide(r, ev, None),
        kibana_url="http://kibana:5601",
        index_pattern="marsad-events*",
        at="2026-11-21T01:00:00+00:00",
    )


def test_alert_payload_has_event_rule_sources_and_a_kibana_link_but_no_secrets(monkeypatch):
    monkeypatch.setenv("MARSAD_TEST_HOOK_SECRET", "top-secret")
    a = _alert()
    body = json.loads(body_bytes(a, "json"))
    assert body["event"]["event_id"] == "ev-1" and "reports" not in body["event"]
    assert body["rule"]["id"] == "r1" and body["matched"]["sources"] == ["libya-herald", "wire-a"]
    assert body["kibana_url"].startswith("http://kibana:5601/app/discover#/") and "ev-1" in body["kibana_url"]
    assert a["hooks"] == ["h"]
    assert "top-secret" not in json.dumps(a) and "127.0.0.1:9" not in json.dumps(a)


def test_slack_format_is_a_text_message_with_the_link():
    slack = json.loads(body_bytes(_alert(), "slack"))
    assert "battle.clash" in slack["text"] and "|Open in Kibana>" in slack["text"]


def test_signature_is_hmac_sha256_over_timestamp_and_body():
    import hashlib
    import hmac

    body = b'{"a":1}'
    h = headers("al-1", 2, "1700000000", body, b"k")
    expected = "sha256=" + hmac.new(b"k", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert h["X-Marsad-Signature"] == expected == signature(b"k", "1700000000", body)
    assert verify(b"k", "1700000000", body, expected) and not verify(b"k", "1700000001", body, expected)
    assert "X-Marsad-Signature" not in headers("al-1", 1, "1", body, None)


def test_backoff_doubles_and_is_capped():
    import random

    rnd = random.Random(1)
    assert [round(backoff(a, 1.0, 5.0, jitter=0.0, rnd=rnd), 2) for a in (1, 2, 3, 4, 5)] == [1, 2, 4, 5, 5]
    assert 0.75 <= backoff(1, 1.0, 60, rnd=rnd) <= 1.25


def test_kibana_link_quotes_the_query():
    assert "event_id%3A%22ev-1%22" in kibana_link("http://k/", "ev-1", "marsad-events*")
