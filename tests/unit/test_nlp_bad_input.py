"""Bad input never crashes extraction: it warns and returns what it can."""

import logging

from marsad.nlp.extract import MAX_CHARS, extract


def _run(body, title="", pub="2016-03-03T09:00:00+00:00"):
    return extract({"id": "x", "source": "t", "title": title, "body": body, "published_at": pub})


def test_empty_article_warns_and_returns_nothing(caplog):
    with caplog.at_level(logging.WARNING):
        r = _run("")
    assert r["entities"] == [] and r["mentions"] == []
    assert any("no text" in w for w in r["warnings"])
    assert caplog.records


def test_megabyte_of_text_is_cut_and_still_processed():
    body = ("اشتباكات عنيفة في مدينة سرت بين الجيش ومسلحي داعش. " * 20000)[:1_000_000]
    r = _run(body)
    assert any("characters" in w for w in r["warnings"])
    assert r["mentions"] and all(m["trigger"]["end"] <= MAX_CHARS for m in r["mentions"])


def test_non_arabic_article_warns():
    r = _run("The army said on Wednesday it had retaken Ganfouda, west of Benghazi.")
    assert any("not Arabic" in w for w in r["warnings"])


def test_mixed_scripts_and_diacritics_and_tatweel_still_extract():
    body = "أَعْلَنَ الجَيْشُ الليبـــي (LNA) أمسِ عن اسـتعادة السَّيطرة على منطقة قنفودة غربي بنغازي."
    r = _run(body)
    terr = [m for m in r["mentions"] if m["type"] == "battle.territory"]
    assert terr and terr[0]["location"]["canonical"] == "Ganfouda"
    for e in r["entities"]:
        assert body[e["start"] : e["end"]] == e["text"]


def test_html_remnants_are_blanked_with_offsets_kept():
    body = "<p>قتل 5 أشخاص في <b>انفجار</b> سيارة مفخخة في بغداد</p><script>var x=1;</script>"
    r = _run(body)
    assert any("HTML" in w for w in r["warnings"])
    for e in r["entities"]:
        assert body[e["start"] : e["end"]] == e["text"]
    assert any(m["type"] == "remote.explosive" for m in r["mentions"])


def test_missing_fields_and_wrong_types_do_not_raise():
    assert extract({})["warnings"]
    assert extract("not a dict")["warnings"]
    r = extract({"id": "x", "body": 42, "title": None, "published_at": "yesterday"})
    assert r["warnings"]
