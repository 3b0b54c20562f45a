"""The judge and the metrics of `marsad eval search` (pure parts, no services)."""

from __future__ import annotations

import pytest

from marsad.search_eval import QUERIES, Doc, Q, grade, metrics, name_forms, prepare, word_forms
from marsad.nlp.normalize import fold


@pytest.mark.parametrize("form", ["قوات", "للقوات", "وللقوات", "قواتهم", "بقواتها", "القوات"])
def test_word_forms_cover_clitics_and_pronouns(form):
    assert fold(form) in word_forms("قوات")


@pytest.mark.parametrize(("word", "form"), [
    ("حكومة", "حكومتها"), ("حكومة", "الحكومات"), ("قتيل", "قتيلاً"), ("قتيل", "قتيلين"),
    ("مسؤول", "المسئولين"), ("مسلح", "مسلحيهم"),
])
def test_word_forms_cover_inflections(word, form):
    assert fold(form) in word_forms(word)


@pytest.mark.parametrize(("word", "other"), [
    ("مسؤول", "مسؤولية"),  # a derived noun, not an inflection
    ("إيران", "الإيرانية"),  # nisba adjective
    ("قتيل", "قتلى"),  # broken plural: not claimed
])
def test_word_forms_leave_other_words_out(word, other):
    assert fold(other) not in word_forms(word) | name_forms(word)


def test_names_take_proclitics_only():
    assert fold("لمصر") in name_forms("مصر")
    assert fold("مصراته") not in name_forms("مصر")
    assert fold("للرياض") in name_forms("الرياض") and fold("رياضه") not in name_forms("الرياض")


def test_grade_needs_every_target_and_rewards_the_title():
    q = Q("وزير الخارجية", "waw", "وزير", "خارجية")
    doc = prepare(Doc("d", "وزير الخارجية يزور بغداد", "", "", "s", None))
    assert grade(doc, q.forms()) == 2
    body_only = prepare(Doc("e", "زيارة", "", "قال الوزير إن الخارجية ...", "s", None))
    assert grade(body_only, q.forms()) == 1
    assert grade(prepare(Doc("f", "الوزير", "", "", "s", None)), q.forms()) == 0


def test_metrics_capped_recall_mrr_ndcg():
    grades = {"a": 2, "b": 1, "c": 1}
    m = metrics(["x", "a", "y", "b"], grades)
    assert m["recall@10"] == pytest.approx(2 / 3)
    assert m["precision@10"] == pytest.approx(0.2)
    assert m["mrr"] == pytest.approx(0.5)
    assert 0 < m["ndcg@10"] < 1
    perfect = metrics(["a", "b", "c"], grades)
    assert perfect["ndcg@10"] == pytest.approx(1.0) and perfect["recall@10"] == 1.0


def test_query_table_covers_every_failure_the_issue_names():
    kinds = {q.kind for q in QUERIES}
    assert {"hamza", "clitic", "suffix", "accusative", "waw", "variant"} <= kinds
    texts = {q.text for q in QUERIES}
    assert {"مسئول", "وللقوات", "لسوريا", "ببغداد", "قواتهم", "قتيلاً", "وليد", "وزارة", "قنفودة"} <= texts
