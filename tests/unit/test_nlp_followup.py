"""Issue 3 follow-up: the fast paths equal the slow ones, geocoding fixes, new triggers, country fallback."""

import os

import pytest

from marsad.nlp import events, features, ner, normalize
from marsad.nlp import extract as extract_mod
from marsad.nlp.extract import extract
from marsad.nlp.ner import resolve_place

PUB = "2018-06-10T09:00:00+00:00"


def _article(body, title=""):
    return {"id": "a1", "source": "test", "title": title, "body": body, "published_at": PUB}


def _types(body, title=""):
    return {m["type"] for m in extract(_article(body, title))["mentions"]}


@pytest.mark.parametrize(
    "text",
    [
        "أؤئ إلى مؤسسة",
        "ﻻ ﷼",
        "بسمَ اللهِ الرحمـــن",
        "Straße İstanbul ΣΑΣ",
        "١٢٣ ۴۵",
        "ا\u0654 و\u0654",
        "e\u0301",
    ],
)
def test_table_fold_equals_camel_chain(text):
    assert normalize.fold(text) == normalize._fold_slow(text)
    folded, origin = normalize.fold_with_offsets(text)
    per_char = "".join(normalize._fold_slow(c) if ord(c) > 127 or c.isupper() else c for c in text)
    assert folded == per_char and len(origin) == len(folded)
    table = normalize.fold_index(text)
    assert table[0] == 0 and table[-1] == len(folded)


def test_pruned_crf_features_give_the_same_tags():
    t = ner.tagger()
    words = "قال المشير خليفة حفتر إن الجيش الليبي سيطر على قنفودة في بنغازي أمس".split()
    assert t.tag(words) == t.tagger.tag(features.sentence_features(words))


def test_trigger_prefilter_matches_the_full_scan():
    folded = normalize.fold(
        "وشنت طائرات التحالف غارات على الحديدة، وتبادل إطلاق النار، وحثت الأمم المتحدة، قصف، حث."
    )
    slow = []
    for m in events._WORD_START.finditer(folded):
        idx = events._branches_for(m.group())
        if idx:
            hit = events._regex_for(idx).match(folded, m.start())
            if hit:
                slow.append((hit.start(), hit.end(), hit.lastgroup))
    fast = [(h.start(), h.end(), h.lastgroup) for h in events._candidate_matches(folded)]
    assert fast == slow and fast


@pytest.mark.parametrize(
    "name,country",
    [("الزاوية", "LY"), ("الخمس", "LY"), ("الكفرة", "LY"), ("ترهونة", "LY"), ("بني وليد", "LY")],
)
def test_listed_geocoding_misses(name, country):
    p = resolve_place(name)
    assert p is not None and p.country == country


def test_bani_alone_is_not_a_place_and_bani_walid_stays_whole():
    assert resolve_place("بني") is None
    ents = ner.entities("اندلعت اشتباكات عنيفة في مدينة بني وليد أمس")
    assert any(e.canonical == "Bani Walid" and e.text == "بني وليد" for e in ents)


def test_criticism_protest_names_and_civilian_shootings():
    assert "diplomacy.accuse" in _types(
        "انتقد الرئيس الإيراني حسن روحاني بشدة تصريحات وزير الخارجية الأمريكي مايك بومبيو."
    )
    assert "protest" in _types("شارك آلاف الفلسطينيين في مسيرات العودة قرب السياج الحدودي شرقي غزة الجمعة.")
    assert "violence.civilians" in _types(
        "أطلقت القوات الإسرائيلية النار على متظاهرين فلسطينيين في خان يونس جنوبي قطاع غزة، أمس."
    )
    # gunfire between fighters is a clash, not an attack on civilians
    assert "violence.civilians" not in _types("تبادل مسلحون وقوات الجيش إطلاق النار في درعا أمس.")


def test_control_described_is_not_taken():
    assert "battle.territory" not in _types("قتل مدنيان في غارات على إدلب التي تسيطر عليها المعارضة أمس.")


def test_capital_acting_for_its_government_is_not_the_place():
    ms = extract(_article("ندد الرئيس الأمريكي دونالد ترامب بتدخل طهران في شؤون المنطقة، أمس."))["mentions"]
    assert ms and all((m["location"] or {}).get("canonical") != "Tehran" for m in ms)


def test_unresolved_and_missing_places_fall_back_to_the_article_country():
    body = (
        "قتل ثلاثة مدنيين في قصف مدفعي على منطقة القرضة الشاطئ أمس. "
        "وقالت السلطات الليبية إن الجيش الليبي يلاحق المهاجمين في ليبيا. "
        "وأكد مسؤول ليبي أن الوضع في ليبيا تحت السيطرة."
    )
    ms = [m for m in extract(_article(body))["mentions"] if m["type"] == "remote.shelling"]
    assert ms and ms[0]["location"]["country"] == "LY"
    assert ms[0]["location"].get("country_inferred") is True


def test_crf_scope_all_keeps_mentions(monkeypatch):
    body = "قال المتحدث باسم الجيش الليبي إن قواته سيطرت على قنفودة في بنغازي أمس. وتحدث الطقس عن أمطار."
    events_only = extract(_article(body))["mentions"]
    monkeypatch.setattr(extract_mod, "CRF_SCOPE", "all")
    every = extract(_article(body))["mentions"]
    assert [(m["type"], m["trigger"]["start"]) for m in events_only] == [
        (m["type"], m["trigger"]["start"]) for m in every
    ]
    assert os.environ.get("MARSAD_CRF_SCOPE", "events") in ("events", "all")
