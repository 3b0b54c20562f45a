"""Level 2 deduplication: near-copies found through rewrites, eviction, state round-trips."""

from __future__ import annotations

import json
import random

import pytest

from marsad.dedup.near import (
    NearDuplicateIndex,
    signature,
    signature_from_str,
    signature_to_str,
    similarity,
)

HOUR = 3600.0
DAY = 86400.0

# A story written for these tests (no outlet's text), long enough to look like a wire item.
TITLE = "مقتل ثلاثة مدنيين في اشتباكات مسلحة بمدينة بنغازي"
SENTENCES = [
    "قتل ثلاثة مدنيين وأصيب سبعة آخرون في اشتباكات مسلحة اندلعت مساء الأربعاء "
    "بين قوات الجيش ومجموعة مسلحة في حي قنفودة غرب مدينة بنغازي.",
    "وقال مصدر طبي في مستشفى الجلاء إن المصابين نقلوا إلى المستشفى وإن حالة اثنين منهم خطيرة.",
    "وأضاف المصدر أن بين القتلى امرأة وطفلا كانا في منزلهما عندما سقطت قذيفة على الحي.",
    "وأغلقت الأجهزة الأمنية الطرق المؤدية إلى الحي وطلبت من السكان البقاء في منازلهم حتى انتهاء العمليات.",
    "وذكر المتحدث باسم الجيش أن قواته تمكنت من السيطرة على عدد من المباني التي كانت المجموعة تتحصن فيها.",
    "ويشهد الحي منذ أسابيع توترا أمنيا متصاعدا بعد سلسلة من الاغتيالات التي طالت عناصر في الأجهزة الأمنية.",
    "ودعت بعثة الأمم المتحدة للدعم في ليبيا الأطراف كافة إلى ضبط "
    "النفس وحماية المدنيين واحترام القانون الدولي الإنساني.",
    "كما طالبت منظمات حقوقية محلية بفتح تحقيق مستقل في ملابسات سقوط الضحايا ومحاسبة المسؤولين عن ذلك.",
]
BODY = "\n".join(SENTENCES)

# Same topic, same city, another incident and another writer: must not be taken for a copy.
OTHER_TITLE = "انفجار سيارة مفخخة قرب ميناء بنغازي دون إصابات"
OTHER_BODY = "\n".join(
    [
        "انفجرت سيارة مفخخة صباح الجمعة قرب بوابة ميناء بنغازي البحري "
        "دون أن تسفر عن إصابات بشرية بحسب الأجهزة الأمنية.",
        "وأوضح مسؤول في الميناء أن الانفجار ألحق أضرارا مادية بعدد "
        "من الحاويات والسيارات المتوقفة في الساحة الخارجية.",
        "وفرضت قوات الأمن طوقا حول المنطقة وباشرت فرق الهندسة العسكرية مسح المكان بحثا عن عبوات أخرى.",
        "ولم تعلن أي جهة مسؤوليتها عن التفجير حتى الآن فيما فتحت النيابة العامة تحقيقا في الحادث.",
        "وكانت المدينة قد شهدت تفجيرات مماثلة خلال الأشهر الماضية استهدفت مقار أمنية ومساجد.",
        "ويقول سكان إن الوضع الأمني في بنغازي تحسن نسبيا منذ نهاية المعارك لكنه ما زال هشا.",
    ]
)


@pytest.fixture
def index() -> NearDuplicateIndex:
    idx = NearDuplicateIndex(window_seconds=3 * DAY)
    assert idx.check_and_add("orig", "outlet-a", 0.0, signature(TITLE, BODY)) is None
    return idx


def copy_is_found(index: NearDuplicateIndex, title: str, body: str) -> bool:
    return index.check_and_add("copy", "outlet-b", HOUR, signature(title, body)) == "orig"


def test_identical_text_has_similarity_one_and_round_trips_as_string():
    sig = signature(TITLE, BODY)
    assert similarity(sig, signature(TITLE, BODY)) == 1.0
    text = signature_to_str(sig)
    assert text.startswith("m1:") and len(text) < 400
    assert signature_from_str(text) == sig


def test_signature_string_from_other_parameters_is_refused():
    with pytest.raises(ValueError):
        signature_from_str("m0:AAAA")


def test_copy_with_agency_tag_and_outlet_signoff_is_a_copy(index):
    body = "(وكالات) – " + BODY + "\nتابعونا على تويتر لمزيد من الأخبار العاجلة"
    assert copy_is_found(index, TITLE + " (وكالات)", body)


def test_copy_with_sana_dateline_and_france24_credit_is_a_copy(index):
    body = "بنغازي (سانا) – " + BODY + "\nفرانس24/ أ ف ب"
    assert copy_is_found(index, TITLE, body)


def test_copy_with_a_new_intro_is_a_copy(index):
    body = "\n".join(["أفادت مصادر محلية متطابقة اليوم الخميس بسقوط ضحايا مدنيين في بنغازي."] + SENTENCES[1:])
    assert copy_is_found(index, "بنغازي: قتلى مدنيون في مواجهات ليلية", body)


def test_copy_with_sentences_reordered_is_a_copy(index):
    shuffled = SENTENCES[:1] + random.Random(3).sample(SENTENCES[1:], len(SENTENCES) - 1)
    assert copy_is_found(index, TITLE, " ".join(shuffled))


def test_copy_with_diacritics_and_tatweel_is_a_copy(index):
    body = BODY.replace("قتل", "قُتِلَ").replace("مدنيين", "مـدنـيـين").replace("الجيش", "الجَيْش")
    assert similarity(signature(TITLE, BODY), signature(TITLE, body)) == 1.0
    assert copy_is_found(index, TITLE, body)


def test_copy_with_spelling_variants_is_a_copy(index):
    # Hamza seats, alef forms, ta marbuta and alef maqsura as other writers spell them; Indic digits.
    body = (
        BODY.replace("المسؤولين", "المسئولين")
        .replace("أسابيع", "اسابيع")
        .replace("إلى", "الى")
        .replace("مدينة", "مدينه")
        .replace("منذ", "منذ")
    )
    title = TITLE.replace("ثلاثة", "3").replace("مدينة", "مدينه")
    assert copy_is_found(index, title, body.replace("سبعة", "٧"))


def test_copy_with_light_edits_and_a_dropped_sentence_is_a_copy(index):
    edited = [s.replace("وقال", "وأفاد").replace("وأضاف", "وتابع") for s in SENTENCES[:-1]]
    edited.insert(3, "وهذه ليست المرة الأولى التي يشهد فيها الحي مواجهات من هذا النوع.")
    assert copy_is_found(index, TITLE, "\n".join(edited))


def test_same_topic_story_from_the_same_city_is_not_a_copy(index):
    assert index.check_and_add("other", "outlet-b", HOUR, signature(OTHER_TITLE, OTHER_BODY)) is None
    assert similarity(signature(TITLE, BODY), signature(OTHER_TITLE, OTHER_BODY)) < 0.1


def test_a_copy_of_a_copy_points_at_the_first_seen_original(index):
    first_copy = "(وكالات) – " + BODY
    assert index.check_and_add("copy1", "outlet-b", HOUR, signature(TITLE, first_copy)) == "orig"
    second = "\n".join(["نقلت وسائل إعلام عن مصادر في بنغازي أن الاشتباكات خلفت قتلى."] + SENTENCES[1:])
    assert index.check_and_add("copy2", "outlet-c", 2 * HOUR, signature(TITLE, second)) == "orig"


def test_checking_the_same_article_again_gives_the_same_answer(index):
    sig = signature(TITLE, "(وكالات) – " + BODY)
    assert index.check_and_add("copy", "outlet-b", HOUR, sig) == "orig"
    size = len(index)
    assert index.check_and_add("copy", "outlet-b", HOUR, sig) == "orig"
    assert index.check_and_add("orig", "outlet-a", 0.0, signature(TITLE, BODY)) is None
    assert len(index) == size


def test_a_copy_outside_the_window_is_news_again(index):
    late = 4 * DAY
    assert index.check_and_add("late", "outlet-b", late, signature(TITLE, BODY)) is None
    assert "orig" not in index  # evicted when stream time passed the window


def test_window_eviction_keeps_memory_flat_on_an_endless_stream():
    idx = NearDuplicateIndex(window_seconds=10 * HOUR)
    rng = random.Random(1)
    sizes = []
    for i in range(3000):
        # One article every 6 minutes: about 100 live in a 10-hour window.
        words = " ".join(f"w{rng.randrange(5000)}" for _ in range(40))
        idx.check_and_add(f"a{i}", "s", i * 360.0, signature("", words))
        if i % 500 == 499:
            sizes.append((len(idx), idx.bucket_count))
    assert all(n <= 101 for n, _ in sizes), sizes
    assert max(b for _, b in sizes) <= 101 * idx.bands
    assert sizes[-1][0] >= 99


def test_state_round_trips_through_json_and_keeps_answering(index):
    index.check_and_add("copy1", "outlet-b", HOUR, signature(TITLE, "(وكالات) – " + BODY))
    state = json.loads(json.dumps(index.to_state(), ensure_ascii=False))
    restored = NearDuplicateIndex.from_state(state)
    assert restored.to_state() == index.to_state()
    assert (
        restored.check_and_add("copy2", "outlet-c", 2 * HOUR, signature(TITLE, BODY + "\n- رويترز")) == "orig"
    )


def test_state_splits_into_one_json_value_per_table_key(index):
    keys = index.state_keys_for("orig")
    assert keys[0] == "article:orig" and len(keys) == 1 + index.bands
    source, seen_at, sig, root = index.state_entry("article:orig")
    assert (source, seen_at, root) == ("outlet-a", 0.0, "orig")
    assert signature_from_str(sig) == signature(TITLE, BODY)
    assert all(index.state_entry(k) == ["orig"] for k in keys[1:])
    for k in keys:
        json.dumps(index.state_entry(k))


def test_changes_since_last_record_name_the_table_keys_to_write_and_delete():
    idx = NearDuplicateIndex(window_seconds=DAY)
    idx.track_changes = True
    idx.check_and_add("orig", "outlet-a", 0.0, signature(TITLE, BODY))
    first = idx.pop_changes()
    assert set(first) == set(idx.state_keys_for("orig")) and all(v is not None for v in first.values())
    assert idx.pop_changes() == {}
    idx.check_and_add("later", "outlet-b", 2 * DAY, signature(OTHER_TITLE, OTHER_BODY))
    second = idx.pop_changes()
    assert second["article:orig"] is None  # evicted: delete from the table
    assert second["article:later"] is not None


def test_changes_without_buckets_are_the_entries_alone():
    idx = NearDuplicateIndex(window_seconds=DAY)
    idx.track_changes = True
    idx.check_and_add("orig", "outlet-a", 0.0, signature(TITLE, BODY))
    assert idx.pop_changes(buckets=False) == {"article:orig": idx.state_entry("article:orig")}
    assert idx.pop_changes() == {}  # the buckets it left out are not reported later either


def test_minhash_reduction_is_the_modulo_it_replaces():
    # The shift-and-add reduction must give numpy's % (2^61 - 1) exactly, or stored signatures
    # would stop matching new ones; hashes at the edges of the 32-bit range included.
    import numpy as np

    from marsad.dedup import near

    rng = np.random.default_rng(7)
    hashes = np.concatenate(
        [rng.integers(0, 1 << 32, size=5000, dtype=np.uint64), np.array([0, 1, (1 << 32) - 1], dtype=np.uint64)]
    )
    by_modulo = (np.outer(hashes, near._A) + near._B) % near._MERSENNE
    expected = ((by_modulo & near._MASK32).min(axis=0) & near._BIT_MASK).astype(np.uint16)
    assert (near.minhash(hashes) == expected).all()


def test_shingles_are_runs_of_consecutive_words():
    import zlib

    from marsad.dedup import near

    ws = near.words("عنوان الخبر", "قال المتحدث إن الجيش تقدم")
    expected = {zlib.crc32(" ".join(ws[i : i + 3]).encode("utf-8")) for i in range(len(ws) - 2)}
    assert set(near.shingle_hashes("عنوان الخبر", "قال المتحدث إن الجيش تقدم").tolist()) == expected
