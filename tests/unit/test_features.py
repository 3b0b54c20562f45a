"""CRF token features: clitic-aware cues, word lists, and where neighbours' features land."""

from marsad.nlp import features


def own(word):
    return set(features._word_features(word)[0])


def test_speech_verb_is_seen_through_a_leading_waw():
    assert "say" in own("وقال")
    assert "-1say" in features._word_features("وأضاف")[1]


def test_country_in_the_actor_dictionary_is_found_with_its_article():
    assert {"actor", "cty"} <= own("الفلبين")


def test_organisation_head_is_found_with_its_article():
    assert "orgh" in own("اللجنة")


def test_currency_and_first_name_flags():
    assert "cur" in own("شيكل")
    assert "fn" in own("محمد")


def test_one_word_place_name_says_what_it_names():
    assert "pl=country" in own("ليبيا")


def test_every_feature_list_is_non_empty_for_any_token():
    for w in ["،", "2006", "(", "abc", "و", "بالقاهرة"]:
        parts = features._word_features(w)
        assert len(parts) == len(features.ROLES) and all(parts)


def test_neighbour_features_land_where_roles_say():
    words = ["قال", "الرئيس", "جورج", "بوش", "أمس"]
    feats = features.sentence_features(words)
    assert "-1w=الرييس" in feats[2] and "+1w=بوش" in feats[2]
    assert "-2w=قال" in feats[2] and "+2w=امس" in feats[2]
    assert "BOS" in feats[0] and "EOS" in feats[-1] and "BOS" not in feats[1]


def _zf(word):
    return next(int(f[3:]) for f in own(word) if f.startswith("zf="))


def test_word_frequency_bin_separates_common_words_from_rare_names():
    # wordfreq's Arabic list, folded, as word_freq.tsv ships it; a rare transliteration reads as 0
    assert _zf("الحكومة") >= 4 and _zf("في") >= 6
    assert _zf("حالوتس") == 0
    assert _zf("أحمد") == _zf("احمد")  # keys are folded
    assert not any(f.startswith("zf=") for w in ["،", "2006"] for f in own(w))
