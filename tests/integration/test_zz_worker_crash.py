"""A worker killed with SIGKILL mid-replay; kept last in the integration session (the file name sorts
last) because it kills and restarts the session's worker."""

from __future__ import annotations

import signal
import threading

import pytest

from tests.integration.conftest import all_indexed, article_count, distinct_articles, settled, wait_for
from tests.integration.test_events import CLASH, _articles, _clash_events
from tests.integration.test_faults import publish_slowly

pytestmark = pytest.mark.integration


def test_worker_killed_mid_replay_leaves_every_article_and_event_exactly_once(worker, es, it_settings, publisher):
    s = it_settings
    wait_for(lambda: settled(s), timeout=90, what="a quiet pipeline")
    before = article_count(es, s)
    articles = distinct_articles(240, "kill9")
    clash = _articles()
    feed = articles[:120] + clash + articles[120:]
    # test_events may have indexed the clash reports already in this session
    known = sum(1 for a in feed if es.exists(index=s.articles_index, id=a.id))
    sender = threading.Thread(target=publish_slowly, args=(publisher, feed, 60.0))
    sender.start()
    wait_for(lambda: article_count(es, s) >= before + 60, timeout=90, what="the replay to be under way")
    worker.proc.send_signal(signal.SIGKILL)
    worker.proc.wait(timeout=30)
    sender.join(timeout=120)
    worker.start()
    try:
        wait_for(lambda: all_indexed(es, s, feed) and settled(s), timeout=300, what="every article after the restart")
    except AssertionError:
        from streams.monitor import consumer_lag

        missing = [a.id for a in feed if not es.exists(index=s.articles_index, id=a.id)]
        print(f"missing {len(missing)} of {len(feed)}; lag {consumer_lag(s.app_id, s)}")
        raise
    assert article_count(es, s) == before + len(feed) - known
    (event,) = wait_for(lambda: [e for e in _clash_events(es, s) if e["mentions"] == len(CLASH)], timeout=60,
                        what="the clash event with all its reports")
    assert event["fatalities"] == 7 and len(event["sources"]) == 4


