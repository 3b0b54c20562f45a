"""The CRF scorer in marsad.nlp.ner gives crfsuite's own tags, sentence edges included."""

import pytest

from marsad.nlp import features, ner

SENTENCES = [
    "قال",
    "وقال فارس",
    "أعلن المشير خليفة حفتر",
    "وقال وزير الخارجية السوري وليد المعلم إن الجيش سيطر على بنغازي .",
    "التقى الرئيس الأمريكي جورج بوش رئيس الوزراء البريطاني توني بلير في واشنطن أمس",
    "ارتفع سعر الدولار في بورصة نيويورك 2006 ( رويترز )",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_scorer_tags_like_crfsuite(text):
    t = ner.tagger()
    words = text.split()
    assert t.tag(words) == t.tagger.tag(features.sentence_features(words))


def test_scorer_tags_nothing_for_no_words():
    assert ner.tagger().tag([]) == []


def test_cached_words_tag_the_same_the_second_time():
    t = ner.tagger()
    words = SENTENCES[3].split()
    first = t.tag(words)
    assert t.tag(words) == first
