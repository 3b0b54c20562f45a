"""The alert matcher's Python analysis gives the same terms as the index's marsad_text on a real node."""

from __future__ import annotations

import pytest

from marsad.alerts.analysis import analyze, analyze_exact
from tests.integration.test_alerts import REPORTS

pytestmark = pytest.mark.integration

TEXTS = [t for _, title, body in REPORTS for t in (title, body)] + [
    "قوات الجيش الوطني الليبي بقيادة خليفة حفتر تستعيد السيطرة على قنفودة غرب بنغازي",
    "وزير الخارجية السوري يلتقي نظيره اللبناني في بيروت لبحث ملف اللاجئين والمساعدات",
    "غارات جوية على ريف إدلب وحلب ومقتل ١٢ مدنياً بينهم أطفال، والأمم المتحدة تندد",
    "المسؤولون في وزارة الصحة: حكومتها ومستشفياتها عاجزة عن استيعاب الجرحى والمصابين",
    "فائز السراج وفايز السراج، مسؤول ومسئول، العربية.نت 3,5 مليون",
]


def _es(es, text: str, filters: list[str]) -> list[str]:
    body = {"tokenizer": "standard", "filter": ["lowercase", *filters], "text": text}
    return [t["token"] for t in es.indices.analyze(body=body)["tokens"]]


@pytest.mark.parametrize("text", TEXTS)
def test_python_analysis_equals_marsad_text(es, text):
    assert analyze(text) == _es(es, text, ["marsad_arabic_fold", "marsad_arabic_stop", "marsad_arabic_stem"])
    assert analyze_exact(text) == _es(es, text, ["marsad_arabic_fold"])
