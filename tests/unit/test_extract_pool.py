"""Extraction off the event loop: in a thread or in a child process, a batch at a time, in order."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from marsad.nlp.extract import extract
from streams.events import pool
from streams.events.pool import Extractor, extract_each

ARTICLES = [
    {"id": "a1", "source": "test", "title": "مقتل ثلاثة في بنغازي",
     "body": "قتل ثلاثة أشخاص أمس الأربعاء في اشتباكات في مدينة بنغازي.", "published_at": "2017-01-05T10:00:00Z"},
    {"id": "a2", "source": "test", "title": "", "body": "", "published_at": None},
    {"id": "a3", "source": "test", "title": "Weather", "body": "Sunny and warm.", "published_at": None},
]


def test_a_failing_article_gets_its_error_as_text_and_the_others_their_results(monkeypatch):
    def flaky(article):
        if article["id"] == "a2":
            raise RuntimeError("boom")
        return {"entities": [], "mentions": [], "warnings": [], "id": article["id"]}

    monkeypatch.setattr(pool, "extract", flaky)
    out = extract_each(ARTICLES)
    assert [o["id"] if isinstance(o, dict) else None for o in out] == ["a1", None, "a3"]
    assert out[1].startswith("RuntimeError: boom (") and "\n" not in out[1]


@pytest.mark.parametrize("in_process", [False, True])
def test_results_come_back_in_order_and_equal_extraction_in_place(in_process):
    ex = Extractor(in_process)
    try:
        got = asyncio.run(ex.many(ARTICLES))
    finally:
        ex.close()
    assert got == [extract(a) for a in ARTICLES]
    assert got[0]["mentions"], "the Benghazi report should give a mention"


def test_a_killed_extraction_process_is_replaced_and_the_batch_done():
    ex = Extractor(True)

    async def run():
        first = await ex.many(ARTICLES[:1])
        for pid in list(ex._executor()._processes):  # the child, as an OOM killer would
            os.kill(pid, signal.SIGKILL)
        await asyncio.sleep(0.5)
        second = await ex.many(ARTICLES[:1])
        return first, second

    try:
        first, second = asyncio.run(run())
    finally:
        ex.close()
    assert first == second == [extract(ARTICLES[0])]


_HOLDER = """
import asyncio, os, sys, time
from streams.events.pool import Extractor
ex = Extractor(True)
asyncio.run(ex.many([{"id": "a", "title": "", "body": "", "published_at": None}]))
print(",".join(str(p) for p in ex._executor()._processes), flush=True)
time.sleep(600)
"""


def test_the_child_leaves_when_its_worker_is_killed():
    import subprocess
    import sys
    import time

    from marsad.settings import REPO_ROOT

    holder = subprocess.Popen([sys.executable, "-c", _HOLDER], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        (child,) = [int(p) for p in holder.stdout.readline().strip().split(",")]
        os.kill(child, 0)  # alive while its worker is
        holder.kill()  # SIGKILL: no shutdown of the pool
        holder.wait(timeout=10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                break
            with open(f"/proc/{child}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] == "Z":  # exited, waiting to be reaped
                    break
            time.sleep(0.2)
        else:
            os.kill(child, signal.SIGKILL)
            raise AssertionError("the extraction child outlived its killed worker by 15 s")
    finally:
        if holder.poll() is None:
            holder.kill()


def test_the_clean_step_runs_in_a_child_of_its_own_and_keeps_order_and_reasons():
    from functools import partial

    from marsad.records import Article
    from streams.articles.step import FAILED, PASSED, REFUSED, clean_each

    when = "2026-11-20T10:00:00Z"
    body = "قالت الحكومة الليبية إن الجيش استعاد منطقة قنفودة غرب بنغازي بعد معارك عنيفة."
    good = Article(id="a1", source="s", url="http://x/1", title="عنوان الخبر", body=body, published_at=when)
    english = Article(id="a2", source="s", url="http://x/2", title="A title",
                      body="This article is written in English and nothing else at all.", published_at=when)
    work = partial(clean_each, max_chars=100_000, arabic_min_ratio=0.3)
    cleaner = Extractor(True, work=work, warm=None, what="cleaning")
    try:
        results = asyncio.run(cleaner.many([good.to_json(), b"{not json", english.to_json()]))
    finally:
        cleaner.close()
    assert [status for status, _ in results] == [PASSED, REFUSED, REFUSED]
    passed = Article.from_json(results[0][1])
    assert passed.id == "a1" and passed.fingerprint and passed.simhash.startswith("m1:")
    assert FAILED not in {status for status, _ in results}


def test_a_bug_in_the_clean_step_is_a_reason_not_a_crash(monkeypatch):
    from streams.articles import step
    from streams.articles.step import FAILED

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(step, "clean_article", broken)
    from marsad.records import Article

    raw = Article(id="a1", source="s", url="http://x/1", title="t", body="b").to_json()
    out = step.clean_each([raw], max_chars=10, arabic_min_ratio=0.3)
    assert out == [(FAILED, "unexpected RuntimeError: boom")]


def test_warm_up_starts_the_child_before_any_batch():
    ex = Extractor(True, warm=None, what="test")
    try:
        asyncio.run(ex.warm_up())
        children = list(ex._pool._processes.values())
        assert len(children) == 1 and children[0].is_alive()
    finally:
        ex.close()
    in_thread = Extractor(False)
    asyncio.run(in_thread.warm_up())
    assert in_thread._pool is None  # nothing to start when extraction runs in a thread
