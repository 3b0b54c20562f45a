"""The marsad-analysis Elasticsearch plugin, checked through _analyze and small indices on the real node."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from elasticsearch import BadRequestError, Elasticsearch

from marsad.nlp.normalize import fold

pytestmark = pytest.mark.integration

PLUGIN = "marsad-analysis"
INSTALL_HINT = (
    "build and install it: mvn -q -B -f deploy/elasticsearch/marsad-analysis/pom.xml package && "
    "cp -r deploy/elasticsearch/marsad-analysis/target/plugin <es_home>/plugins/marsad-analysis, then restart"
)


@pytest.fixture
def node(es: Elasticsearch) -> Elasticsearch:
    """The node from the shared `es` fixture, after checking the plugin is there."""
    installed = {row["component"] for row in es.cat.plugins(format="json")}
    if PLUGIN not in installed:
        pytest.fail(f"Elasticsearch plugin {PLUGIN} is not installed on the test node; {INSTALL_HINT}")
    return es


@pytest.fixture
def index_name(node: Elasticsearch) -> Iterator[str]:
    name = f"marsad-test-analysis-{uuid.uuid4().hex[:10]}"
    yield name
    node.indices.delete(index=name, ignore_unavailable=True)


def tokens(es: Elasticsearch, text: str, **how: object) -> list[str]:
    return [t["token"] for t in es.indices.analyze(text=text, **how)["tokens"]]


def stems(es: Elasticsearch, text: str) -> list[str]:
    return tokens(es, text, analyzer="marsad_arabic")


def folded(es: Elasticsearch, text: str) -> str:
    """The whole text as one folded token (keyword tokenizer), to compare with Python's fold."""
    (token,) = tokens(es, text, tokenizer="marsad_keyword", filter=["marsad_arabic_fold"])
    return token


# --- stemming ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("وللقوات", "قوات"),
        ("لسوريا", "سوريا"),
        ("ببغداد", "بغداد"),
        ("وبالقاهرة", "قاهره"),
        ("فالجيش", "جيش"),
        ("لليبيا", "ليبيا"),
        ("والله", "الله"),
    ],
)
def test_stem_strips_clitic_stack_before_noun(node: Elasticsearch, word: str, stem: str) -> None:
    assert stems(node, word) == [stem]


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("قواتهم", "قوات"),
        ("قتيلاً", "قتيل"),
        ("قتيلا", "قتيل"),
        ("مسلحين", "مسلح"),
        ("مسلحون", "مسلح"),
        ("اشتباكات", "اشتباك"),
        ("حكومتها", "حكومه"),
    ],
)
def test_stem_strips_possessive_plural_and_accusative_endings(
    node: Elasticsearch, word: str, stem: str
) -> None:
    assert stems(node, word) == [stem]


@pytest.mark.parametrize(
    "name",
    ["وليد", "وزير", "وزارة", "بنغازي", "بغداد", "كركوك", "فلسطين", "لبنان", "ليبيا", "الله"]
    + ["سوريا", "قوات", "وساطة", "التقى"],
)
def test_stem_keeps_words_that_begin_with_clitic_letters(node: Elasticsearch, name: str) -> None:
    assert stems(node, name) == [fold(name)]


def test_stem_gives_prefixed_and_bare_forms_the_same_term(node: Elasticsearch) -> None:
    assert stems(node, "الوزير ووزير وزيراً") == ["وزير", "وزير", "وزير"]
    assert stems(node, "الالتزام التزام") == ["التزام", "التزام"]


def test_builtin_arabic_is_lucenes_stemmer_that_breaks_names(node: Elasticsearch) -> None:
    # The benchmark baseline must really be Lucene's ArabicAnalyzer (Elasticsearch's "arabic").
    assert tokens(node, "وليد وزير لبنان", analyzer="marsad_builtin_arabic") == ["ليد", "زير", "لبن"]


def test_stem_respects_protected_words_setting(node: Elasticsearch) -> None:
    # Without an entry, a lone و in front of three letters is taken for the conjunction.
    default = ["marsad_arabic_fold", "marsad_arabic_stem"]
    assert tokens(node, "وزان", tokenizer="standard", filter=default) == ["زان"]
    with_entry = ["marsad_arabic_fold", {"type": "marsad_arabic_stem", "protected_words": ["وزان"]}]
    assert tokens(node, "وزان ووزان", tokenizer="standard", filter=with_entry) == ["وزان", "وزان"]


def test_keyword_marker_stops_the_stemmer(node: Elasticsearch) -> None:
    marker = {"type": "marsad_keyword_marker", "keywords": ["مسلحين"]}
    chain = ["marsad_arabic_fold", marker, "marsad_arabic_stem"]
    assert tokens(node, "مسلحين مسلحون", tokenizer="standard", filter=chain) == ["مسلحين", "مسلح"]


def test_stemmer_override_rule_wins_over_the_stemmer(node: Elasticsearch) -> None:
    override = {"type": "marsad_stemmer_override", "rules": ["قتلي => قتيل"]}
    chain = ["marsad_arabic_fold", override, "marsad_arabic_stem"]
    assert tokens(node, "قتلى", tokenizer="standard", filter=chain) == ["قتيل"]


# --- folding ----------------------------------------------------------------------------------


def test_fold_makes_hamza_seat_spellings_equal(node: Elasticsearch) -> None:
    assert folded(node, "مسؤول") == folded(node, "مسئول") == "مسيول"
    assert stems(node, "مسؤولين مسئولون") == ["مسيول", "مسيول"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),  # alef variants
        ("مصطفى", "مصطفي"),  # alef maqsura
        ("قنفوذة", "قنفوذه"),  # teh marbuta
        ("٢٠٢٤ ۱۵", "2024 15"),  # Arabic-Indic and Persian digits
        ("إســـرائيل", "اسراييل"),  # tatweel, hamza seat
        ("قُتِلَ شخصاً", "قتل شخصا"),  # diacritics
        ("بي\u200cبي\u200fسي", "بيبيسي"),  # zero-width non-joiner, right-to-left mark
        ("ﻻ", "لا"),  # presentation form (NFKC)
        ("BBC", "bbc"),
    ],
)
def test_fold_cases(node: Elasticsearch, text: str, expected: str) -> None:
    assert folded(node, text) == expected


def test_fold_agrees_with_python_fold(node: Elasticsearch) -> None:
    samples = [
        "قال مسؤولٌ في وزارة الداخلية الليبية إنّ ٣ أشخاص قُتلوا في بنغازي",
        "الأمم المتحدة تدعو إلى وقف إطلاق النار في غزّة ۱۲ ساعة",
        "فائز السراج / فايز السراج، شؤون، شئون، سؤال، رئيس",
        "آيات ٱلقرآن ﷲ ﻻ إسـرائيل Élysée İstanbul",
        "مستشفى موسى يحيى ـــــ",
    ]
    for text in samples:
        assert folded(node, text) == fold(text), text


# --- stop words -------------------------------------------------------------------------------


def test_stop_filter_drops_folded_stop_words(node: Elasticsearch) -> None:
    # "إلى" and "التي" are in Lucene's set; the folded forms must still be caught.
    assert stems(node, "انسحب الجيش إلى المدينة التي") == ["انسحب", "جيش", "مدينه"]
    extra = {"type": "marsad_arabic_stop", "stopwords": ["وكالات"]}
    chain = ["marsad_arabic_fold", extra]
    assert tokens(node, "نقلت وكالات الأنباء", tokenizer="standard", filter=chain) == ["نقلت", "الانباء"]


def test_exact_analyzer_folds_without_stemming(node: Elasticsearch) -> None:
    assert tokens(node, "وللقوات في قنفوذة", analyzer="marsad_arabic_exact") == ["وللقوات", "في", "قنفوذه"]


# --- character filter and tokenizers ----------------------------------------------------------


def test_html_strip_removes_markup_before_tokenizing(node: Elasticsearch) -> None:
    html = "<p>قتلى في <b>سرت</b></p>"
    got = tokens(node, html, char_filter=["marsad_html_strip"], tokenizer="marsad_whitespace")
    assert got == ["قتلى", "في", "سرت"]


# --- in a mapping: keyword normalizer, search-time synonyms --------------------------------------


def test_keyword_normalizer_matches_other_spellings(node: Elasticsearch, index_name: str) -> None:
    node.indices.create(
        index=index_name,
        settings={
            "number_of_replicas": 0,
            "analysis": {
                "normalizer": {"ar": {"type": "custom", "filter": ["lowercase", "marsad_arabic_fold"]}},
            },
        },
        mappings={"properties": {"actor": {"type": "keyword", "normalizer": "ar"}}},
    )
    node.index(index=index_name, id="1", document={"actor": "مسئول ليبي"}, refresh=True)
    hits = node.search(index=index_name, query={"term": {"actor": "مسؤولٌ ليبي"}})["hits"]["hits"]
    assert [h["_id"] for h in hits] == ["1"]
    assert tokens(node, "إسـرائيل", index=index_name, normalizer="ar") == ["اسراييل"]


def test_synonym_graph_expands_query_at_search_time(node: Elasticsearch, index_name: str) -> None:
    node.indices.create(
        index=index_name,
        settings={
            "number_of_replicas": 0,
            "analysis": {
                "filter": {
                    "places": {
                        "type": "marsad_synonym_graph",
                        # Written with ة: the rules go through the filters before this one (fold).
                        "synonyms": ["قنفوذة, قنفودة"],
                        "search_time_only": True,
                    }
                },
                "analyzer": {
                    "ar_search": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": [
                            "lowercase",
                            "marsad_arabic_fold",
                            "marsad_arabic_stop",
                            "places",
                            "marsad_arabic_stem",
                        ],
                    }
                },
            },
        },
        mappings={
            "properties": {
                "body": {"type": "text", "analyzer": "marsad_arabic", "search_analyzer": "ar_search"},
            },
        },
    )
    node.index(index=index_name, id="1", document={"body": "سيطر الجيش على مدينة قنفودة"}, refresh=True)

    analyzed = node.indices.analyze(index=index_name, analyzer="ar_search", text="قنفوذة")["tokens"]
    assert sorted(t["token"] for t in analyzed) == ["قنفوده", "قنفوذه"]
    assert {t["position"] for t in analyzed} == {0}

    hits = node.search(index=index_name, query={"match": {"body": "قنفوذة"}})["hits"]["hits"]
    assert [h["_id"] for h in hits] == ["1"]


def test_search_time_only_synonyms_are_refused_at_index_time(node: Elasticsearch, index_name: str) -> None:
    with pytest.raises(BadRequestError, match="not allowed to run in index time mode"):
        node.indices.create(
            index=index_name,
            settings={
                "analysis": {
                    "filter": {
                        "s": {"type": "marsad_synonym_graph", "synonyms": ["a, b"], "search_time_only": True},
                    },
                    "analyzer": {"a": {"type": "custom", "tokenizer": "standard", "filter": ["s"]}},
                }
            },
            mappings={"properties": {"body": {"type": "text", "analyzer": "a"}}},
        )
