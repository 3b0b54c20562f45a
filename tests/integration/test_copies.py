"""Level 2 on the real stack: a story and three copies from other outlets -> one original, three marked copies."""

from __future__ import annotations

import pytest

from marsad.query import build_article_query
from marsad.records import Article
from tests.integration.conftest import recent, wait_for

pytestmark = pytest.mark.integration

# A story written for this test, and how three other outlets would run it.
STORY = [
    "أعلنت وزارة الصحة في تونس اليوم الخميس عن افتتاح مستشفى جديد في مدينة القيروان بطاقة استيعابية تبلغ مئتي سرير.",
    "وقال الوزير في مؤتمر صحفي إن المستشفى يضم أقساما للطوارئ والجراحة وطب الأطفال ومختبرا حديثا للتحاليل.",
    "وأضاف أن تكلفة المشروع بلغت نحو ثلاثين مليون دينار وأن العمل فيه استمر ثلاث سنوات بتمويل من صندوق التنمية.",
    "وأشار إلى أن المستشفى سيخدم سكان الولاية والولايات المجاورة ويخفف الضغط على مستشفيات العاصمة.",
    "ومن المنتظر أن يبدأ استقبال المرضى مطلع الشهر المقبل بعد استكمال تجهيز غرف العمليات وتدريب الطواقم الطبية.",
]
TITLE = "افتتاح مستشفى جديد في القيروان بطاقة مئتي سرير"


def _copies() -> list[Article]:
    original = " ".join(STORY)
    with_intro = "في خطوة طال انتظارها لسكان الوسط التونسي، " + " ".join(STORY[1:]) + " (وكالات)"
    reordered = " ".join([STORY[0], STORY[2], STORY[1], STORY[4], STORY[3]]).replace("نحو ثلاثين", "قرابة ثلاثين")
    variants = (" ".join(STORY).replace("الصحة", "الصِّحَّة").replace("المستشفى", "المستشفي")
                + " تابعوا آخر الأخبار على موقعنا")
    texts = [("outlet-a", original), ("outlet-b", with_intro), ("outlet-c", reordered), ("outlet-d", variants)]
    return [
        Article.new(source=src, title=TITLE, body=body, url=f"https://{src}.example/kairouan-hospital",
                    published_at=recent(i))
        for i, (src, body) in enumerate(texts)
    ]


def test_story_and_three_copies_from_other_outlets_are_one_original_and_three_marked_copies(worker, es, it_settings, publisher):
    s = it_settings
    articles = _copies()
    for a in articles:  # in publication order, as the outlets ran them
        assert publisher.publish([a]) == []

    def docs():
        got = es.mget(index=s.articles_index, ids=[a.id for a in articles])["docs"]
        return [d["_source"] for d in got if d.get("found")] if all(d.get("found") for d in got) else None

    found = wait_for(docs, timeout=90, what="the story and its copies")
    originals = [d for d in found if not d.get("duplicate_of")]
    assert len(originals) == 1, [(d["source"], d.get("duplicate_of")) for d in found]
    root = originals[0]["id"]
    assert sorted(d["duplicate_of"] for d in found if d.get("duplicate_of")) == [root] * 3

    es.indices.refresh(index=s.articles_index)
    hidden = es.search(index=s.articles_index, **build_article_query("مستشفى القيروان", size=10))["hits"]["hits"]
    shown = es.search(index=s.articles_index, **build_article_query("مستشفى القيروان", size=10, include_copies=True))["hits"]["hits"]
    ids = {a.id for a in articles}
    assert [h["_id"] for h in hidden if h["_id"] in ids] == [root]
    assert {h["_id"] for h in shown if h["_id"] in ids} == ids
