"""CPU-bound steps off the event loop: in a thread or in a child process, a batch at a time, in order."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from marsad.nlp.extract import extract
from marsad.records import Article
from streams import offload as offload_module
from streams.offload import Offload, clean_each, extract_each

ARTICLES = [
    {"id": "a1", "source": "test", "title": "مقتل ثلاثة في بنغازي",
     "body": "قتل ثلاثة أشخاص أمس الأربعاء في اشتباكات في مدينة بنغازي.", "published_at": "2017-01-05T10:00:00Z"},
    {"id": "a2", "source": "test", "title": "", "body": "", "published_at": None},
    {"id": "a3", "source": "test", "title": "Weather", "body": "Sunny and warm.", "published_at": None},
]


def _raw(title: str, body: str) -> bytes:
    return Article(id=f"https://example.org/{len(body)}", source="test", url="https://example.org/x",
                   title=title, body=body, published_at="2017-01-05T10:00:00Z").to_json()


def test_a_failing_article_gets_its_error_as_text_and_the_others_their_results(monkeypatch):
    def flaky(article):
        if article["id"] == "a2":
            raise RuntimeError("boom")
        return {"entities": [], "mentions": [], "warnings": [], "id": article["id"]}

    monkeypatch.setattr(offload_module, "extract", flaky)
    out = extract_each(ARTICLES)
    assert [o["id"] if isinstance(o, dict) else None for o in out] == ["a1", None, "a3"]
    assert out[1].startswith("unexpected RuntimeError: boom (") and "\n" not in out[1]


def test_clean_each_passes_arabic_articles_with_their_signature_and_says_why_it_refuses_the_rest():
    good = _raw("اشتباكات في بنغازي", "قتل ثلاثة أشخاص أمس في اشتباكات عنيفة في مدينة بنغازي شرق ليبيا.")
    out = clean_each([good, b"{not json", _raw("Weather", "Sunny and warm all week in the city.")], 100_000, 0.5)
    assert [ok for ok, _ in out] == [True, False, False]
    cleaned = Article.from_json(out[0][1])
    assert cleaned.fingerprint and cleaned.simhash
    assert "not JSON" in out[1][1] and out[2][1]


@pytest.mark.parametrize("in_process", [False, True])
def test_results_come_back_in_order_and_equal_the_steps_run_in_place(in_process):
    off = Offload(in_process)
    try:
        got = asyncio.run(off.run(extract_each, ARTICLES))
    finally:
        off.close()
    assert got == [extract(a) for a in ARTICLES]
    assert got[0]["mentions"], "the Benghazi report should give a mention"


def test_a_killed_child_process_is_replaced_and_the_batch_done():
    off = Offload(True)

    async def run():
        first = await off.run(extract_each, ARTICLES[:1])
        for pid in list(off._executor()._processes):  # the child, as an OOM killer would
            os.kill(pid, signal.SIGKILL)
        await asyncio.sleep(0.5)
        second = await off.run(extract_each, ARTICLES[:1])
        return first, second

    try:
        first, second = asyncio.run(run())
    finally:
        off.close()
    assert first == second == [extract(ARTICLES[0])]
