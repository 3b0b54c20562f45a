"""marsad/bench/corpus.py: corpus order, and the outlets dealt in turn (`--mixed`)."""

from __future__ import annotations

import json

from marsad.bench.corpus import load_articles


def _corpus(tmp_path):
    lines = []
    for src, n in (("skynews", 3), ("BBC", 2), ("alarabia", 1)):
        for i in range(n):
            body = f"قال المتحدث باسم الجيش إن القوات تقدمت في المدينة رقم {i} من مصدر {src} صباح اليوم"
            lines.append({"docno": f"{src}-{i}", "src": src, "title": f"خبر {i} من {src}", "text": body,
                          "url": f"https://example.com/{src}/{i}", "time": "Mon, 04 Jun 2018 03:01:48 GMT"})
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return path


def test_corpus_order_is_outlet_by_outlet_as_stored(tmp_path):
    arts = load_articles(6, path=_corpus(tmp_path))
    assert [a.source for a in arts] == ["skynews"] * 3 + ["BBC"] * 2 + ["alarabia"]


def test_mixed_deals_the_outlets_in_turn_by_name(tmp_path):
    path = _corpus(tmp_path)
    arts = load_articles(6, path=path, mixed=True)
    assert [a.source for a in arts] == ["BBC", "alarabia", "skynews", "BBC", "skynews", "skynews"]
    # skip and n cut the dealt sequence, which is the same on every call
    assert [a.id for a in load_articles(2, path=path, mixed=True, skip=3)] == [a.id for a in arts[3:5]]
