"""The mention filter experiment's machinery (benchmarks/data/train_mention_filter.py): re-matching
after a drop follows the benchmark's greedy rule, the context features read the words they name,
and the logistic regression learns a signal that is there."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "data"))

import mention_filter  # noqa: E402
import train_mention_filter as tmf  # noqa: E402


def _art(mentions, n_gold, batch=1):
    return {"docno": "x", "batch": batch, "n_gold": n_gold, "mentions": mentions}


def test_dropping_a_mention_lets_the_next_one_take_its_gold_event():
    # two mentions could match gold event 0; the first takes it, the second matches nothing
    arts = [_art([{"ok": [0], "label": 1}, {"ok": [0], "label": 0}, {"ok": [], "label": 0}], n_gold=2)]
    assert tmf.prf(arts) == (1, 3, 1, 2)
    # keep only the second: it now takes gold 0 (precision up, recall the same)
    assert tmf.prf(arts, [[False, True, False]]) == (1, 1, 1, 2)
    assert tmf.prf(arts, [[False, False, False]]) == (0, 0, 0, 2)


def _record(text, word, typ="battle.clash", loc=True):
    a = text.index(word)
    return {
        "type": typ,
        "trigger": {"text": word, "start": a, "end": a + len(word)},
        "sentence": text,
        "actors": [],
        "location": {"text": "حلب"} if loc else None,
        "date_text": None,
        "date_precision": "published",
        "confidence": 0.7,
    }


def test_context_features_read_future_negation_and_past_words():
    future = "ومن المقرر أن تبدأ المفاوضات في جنيف الأسبوع المقبل."
    negated = "ولم تقع اشتباكات في حلب أمس."
    past = "وكانت المعارك قد اندلعت في حلب عام 2012."
    art = {"title": "", "url": "https://www.skynewsarabia.com/sport/123"}
    (f1,) = mention_filter.features([_record(future, "المفاوضات", "diplomacy.meeting")], [{}], future, art)
    (f2,) = mention_filter.features([_record(negated, "اشتباكات")], [{}], negated, art)
    (f3,) = mention_filter.features([_record(past, "المعارك")], [{}], past, art)
    assert f1["future_near"] >= 1 and f1["fam_diplomacy"] == 1.0
    assert f2["negation_before"] >= 1 and f2["future_near"] == 0
    assert f3["past_near"] >= 2 and f3["negation_before"] == 0
    assert f1["other_page"] == 1.0 and f1["news_page"] == 0.0 and f1["lead"] == 1.0


def test_logistic_regression_learns_a_real_signal_and_ignores_noise():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] + 0.3 * rng.normal(size=400) > 0).astype(float)
    m = tmf.fit(x, y)
    assert m["coef"][0] > 2.0 and abs(m["coef"][1]) < 0.5
    p = tmf.predict(m, x)
    assert tmf.auc(p, y) > 0.95
