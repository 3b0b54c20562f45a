"""Extraction off the event loop: in a thread or in a child process, a batch at a time, in order."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from marsad import jsonio
from marsad.nlp.extract import extract
from streams.events import step
from streams.events.pool import Extractor
from streams.events.step import enriched, extract_records

ARTICLES = [
    {"id": "a1", "source": "test", "title": "مقتل ثلاثة في بنغازي",
     "body": "قتل ثلاثة أشخاص أمس الأربعاء في اشتباكات في مدينة بنغازي.", "published_at": "2017-01-05T10:00:00Z"},
    {"id": "a2", "source": "test", "title": "", "body": "", "published_at": None},
    {"id": "a3", "source": "test", "title": "Weather", "body": "Sunny and warm.", "published_at": None},
]


RAWS = [jsonio.dumps(a) for a in ARTICLES]


def test_a_failing_article_goes_on_bare_with_its_error_and_the_others_with_their_results(monkeypatch):
    def flaky(article):
        if article["id"] == "a2":
            raise RuntimeError("boom")
        return extract(article)

    monkeypatch.setattr(step, "extract", flaky)
    out = extract_records([*RAWS, b"{not json", b'{"title": "no id"}'])
    assert [o.article_id for o in out[:3]] == ["a1", "a2", "a3"]
    assert out[1].error.startswith("RuntimeError: boom (") and "\n" not in out[1].error
    assert out[0].error is None and out[2].error is None
    bare = jsonio.loads(out[1].enriched)
    assert bare["id"] == "a2" and bare["entities"] == [] and bare["mention_ids"] == []
    assert out[3].startswith("not an article:") and out[4] == "not an article: article record has no id"


def test_the_records_carry_entities_mention_ids_and_keyed_mentions():
    copy = {**ARTICLES[0], "id": "a1-copy", "duplicate_of": "a1"}
    (out,) = extract_records([jsonio.dumps(copy)])
    article = jsonio.loads(out.enriched)
    mentions = [(key.decode(), jsonio.loads(value)) for key, value in out.mentions]
    assert mentions and article["mention_ids"] == [m["mention_id"] for _, m in mentions]
    assert all(m["duplicate_of"] == "a1" for _, m in mentions)  # the merge step counts copies once
    assert all(key.startswith(m["type"] + "|") for key, m in mentions)
    assert {e["text"] for e in article["entities"]} >= {"بنغازي"}
    assert set(article["entities"][0]) == {"text", "type", "canonical", "start", "end", "field"}


@pytest.mark.parametrize("in_process", [False, True])
def test_results_come_back_in_order_and_equal_extraction_in_place(in_process):
    ex = Extractor(in_process)
    try:
        got = asyncio.run(ex.many(RAWS))
    finally:
        ex.close()
    assert got == [enriched(a, extract(a)) for a in ARTICLES]
    assert got[0].mentions, "the Benghazi report should give a mention"


def test_a_killed_extraction_process_is_replaced_and_the_batch_done():
    ex = Extractor(True)

    async def run():
        first = await ex.many(RAWS[:1])
        for pid in list(ex._executor()._processes):  # the child, as an OOM killer would
            os.kill(pid, signal.SIGKILL)
        await asyncio.sleep(0.5)
        second = await ex.many(RAWS[:1])
        return first, second

    try:
        first, second = asyncio.run(run())
    finally:
        ex.close()
    assert first == second == [enriched(ARTICLES[0], extract(ARTICLES[0]))]


_HOLDER = """
import asyncio, os, sys, time
from streams.events.pool import Extractor
ex = Extractor(True)
asyncio.run(ex.many([b'{"id": "a", "title": "", "body": "", "published_at": null}']))
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


def test_a_child_can_run_at_a_lower_priority_than_its_worker():
    ex = Extractor(True, warm=None, what="test", nice=3)
    try:
        asyncio.run(ex.warm_up())
        (child,) = list(ex._pool._processes)
        # 19 is the lowest priority there is: a test run already at nice 19 stays there.
        assert os.getpriority(os.PRIO_PROCESS, child) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 3)
    finally:
        ex.close()


def test_the_enriched_record_leaves_the_normalized_copies_behind():
    # the indexer is its only reader and indexes no *_norm field; marsad.articles keeps them
    cleaned = {**ARTICLES[0], "title_norm": "الجيش", "body_norm": "استعاد الجيش"}
    (out,) = extract_records([jsonio.dumps(cleaned)])
    article = jsonio.loads(out.enriched)
    assert "title_norm" not in article and "body_norm" not in article
    assert article["title"] == ARTICLES[0]["title"] and article["body"] == ARTICLES[0]["body"]
