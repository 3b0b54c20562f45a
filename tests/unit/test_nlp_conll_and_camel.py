"""conlleval-style scoring, and the camel-tools loading path behind MARSAD_NER=camel."""

import logging
import sys
import types

from marsad.nlp import ner
from marsad.nlp.conll import evaluate, spans


def test_spans_are_exact_and_type_aware():
    assert spans(["B-PERS", "I-PERS", "O", "B-LOC", "I-ORG"]) == {
        (0, 2, "PERS"),
        (3, 4, "LOC"),
        (4, 5, "ORG"),
    }


def test_partial_span_counts_as_both_error_kinds():
    s = evaluate([["B-PERS", "I-PERS"]], [["B-PERS", "O"]])
    assert s["overall"]["tp"] == 0 and s["overall"]["fp"] == 1 and s["overall"]["fn"] == 1


def _fake_camel(monkeypatch, loaded):
    class FakeRecognizer:
        def __init__(self, path):
            loaded.append(path)

        @classmethod
        def pretrained(cls):
            return cls("pretrained")

        def predict_sentence(self, words):
            return ["B-PERS" if w == "حفتر" else "O" for w in words]

    mod = types.ModuleType("camel_tools.ner")
    mod.NERecognizer = FakeRecognizer
    monkeypatch.setitem(sys.modules, "camel_tools.ner", mod)


def test_marsad_ner_camel_loads_camel_model_from_path(monkeypatch, tmp_path):
    # No camel model can be downloaded here, and a real tiny BERT would need torch; a stand-in
    # NERecognizer pins what Marsad does with it: which model path it loads and how tags flow.
    loaded = []
    _fake_camel(monkeypatch, loaded)
    monkeypatch.setenv("MARSAD_NER", "camel")
    monkeypatch.setenv("MARSAD_NER_CAMEL_MODEL", str(tmp_path))
    ner.tagger.cache_clear()
    try:
        assert ner.tag_sentences([["قال", "حفتر"]]) == [["O", "B-PERS"]]
        assert loaded == [str(tmp_path)]
    finally:
        ner.tagger.cache_clear()


def test_marsad_ner_camel_falls_back_to_crf_with_a_warning(monkeypatch, caplog):
    mod = types.ModuleType("camel_tools.ner")  # no NERecognizer: like camel-tools without torch
    monkeypatch.setitem(sys.modules, "camel_tools.ner", mod)
    monkeypatch.setenv("MARSAD_NER", "camel")
    ner.tagger.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            tags = ner.tag_sentences([["وصل", "الوفد", "إلى", "مدينة", "بنغازي", "أمس"]])
        assert tags[0][4] == "B-LOC"
        assert any("camel" in r.message for r in caplog.records)
    finally:
        ner.tagger.cache_clear()
