"""Event rules that generalize beyond the development articles: folded trigger spellings, weapon-named
attacks, match reports, condemnation in a speaker's mouth, suspicion, old dates, appeals and warnings."""

import re

from marsad.nlp import events
from marsad.nlp.extract import extract

PUB = "2018-04-10T09:00:00+00:00"


def _mentions(body, pub=PUB):
    return extract({"id": "g1", "source": "test", "title": "", "body": body, "published_at": pub})["mentions"]


def _types(body):
    return {m["type"] for m in _mentions(body)}


def test_trigger_patterns_are_written_as_the_folder_spells_them():
    # the text is folded before matching (أ→ا، ة→ه، ى→ي، ؤ/ئ→ي): a pattern with any of these never fires
    unfolded = re.compile("[أإآؤئةى]")
    bad = [stem for _, _, stem in events._BRANCHES if unfolded.search(stem)]
    assert bad == []


def test_shells_fired_at_a_town_are_shelling():
    ms = _mentions("سقطت عشر قذائف هاون على مدينة حلب أمس، وأصيب خمسة أشخاص.")
    assert any(m["type"] == "remote.shelling" and m["location"]["canonical"] == "Aleppo" for m in ms)


def test_hostage_taking_is_an_abduction_not_a_protest():
    types = _types("قتل شخص عند احتجاز رهائن في متجر بمدينة تريب جنوب فرنسا اليوم.")
    assert "violence.abduction" in types and "protest" not in types


def test_missile_stopped_by_air_defence_is_shelling_not_an_air_strike():
    types = _types("اعترضت قوات الدفاع الجوي صاروخا باليستيا أطلقه الحوثيون باتجاه مدينة جازان اليوم.")
    assert "remote.shelling" in types and "remote.airstrike" not in types


def test_chemical_attack_on_a_town_is_violence_against_civilians():
    ms = _mentions("قتل عشرات المدنيين في هجوم كيماوي استهدف مدينة دوما السبت الماضي.")
    civ = [m for m in ms if m["type"] == "violence.civilians"]
    assert civ and civ[0]["location"]["canonical"] == "Dūmā"
    assert not any(m["type"] == "battle.clash" for m in ms)


def test_match_reports_borrow_words_of_war_and_diplomacy_without_events():
    body = (
        "خطف فريق العين بطاقة التأهل إلى دور الستة عشر من دوري أبطال آسيا بعد فوزه بأربعة أهداف. "
        "ويلتقي المنتخب التونسي نظيره الإسباني في مباراة ودية الأسبوع المقبل."
    )
    assert _mentions(body) == []


def test_condemning_words_accuse_when_a_speaker_says_them():
    said = _types("قال وزير الخارجية الفرنسي إن تصريحات الرئيس الإيراني افتراءات غير مقبولة.")
    told = _types("وتحدثت التقارير عن انتهاكات في السجون خلال العام الماضي.")
    assert "diplomacy.accuse" in said
    assert "diplomacy.accuse" not in told


def test_suspicion_of_a_killing_names_a_crime_not_an_event():
    assert _mentions("رفضت المحكمة تسليم رجل يشتبه في وقوفه وراء اغتيال مهندس في مدينة صفاقس.") == []


def test_a_sentence_dated_years_back_tells_history():
    body = "وكان العمال يعملون في الموصل عندما تعرضوا للخطف في حزيران 2014 مع سيطرة التنظيم على المدينة."
    assert _mentions(body) == []


def test_an_appeal_to_supporters_is_campaigning_not_a_request():
    assert _mentions("حث الرئيس الأميركي، دونالد ترامب، أنصاره على التصويت في الانتخابات.") == []


def test_a_safety_warning_to_residents_accuses_nobody():
    body = "وحذر وزير الداخلية الفرنسي، جيرار كولومب، سكان المنطقة من الاقتراب من موقع الحادث."
    assert "diplomacy.accuse" not in _types(body)


def test_an_unknown_town_introduced_as_a_town_is_what_the_town_refers_to():
    body = "وقع إطلاق نار في مدينة تريب صباح اليوم. وقالت الشرطة إن مسلحا احتجز رهائن في متجر بالمدينة."
    ab = [m for m in _mentions(body) if m["type"] == "violence.abduction"]
    assert ab and ab[0]["location"]["text"] == "تريب"


def test_a_surprise_set_off_is_no_explosion():
    assert "remote.explosive" not in _types("فجرت الممرضة مفاجأة كبيرة في سباق بوسطن أمس.")


def test_cautious_calm_is_no_warning():
    assert "diplomacy.accuse" not in _types("يسود هدوء حذر مدينة درعا بعد توصل الفصائل إلى اتفاق أمس.")


def test_crowds_taking_to_the_streets_protest():
    body = "خرج المئات إلى الشوارع في مدينة البصرة مساء الخميس احتجاجا على انقطاع الكهرباء."
    assert "protest" in _types(body)


def test_stopping_people_is_an_arrest_stopping_work_is_not():
    assert "strategic.arrest" in _types("أوقفت الشرطة الفرنسية ثلاثة أشخاص في مرسيليا أمس.")
    assert _mentions("أوقفت الشركة الإنتاج في مصنعها بالقاهرة أمس.") == []


def test_protesters_killed_are_violence_against_civilians_beside_the_protest():
    body = (
        "تظاهر آلاف الفلسطينيين قرب السياج الحدودي شرق مدينة غزة يوم الجمعة. "
        "وقتل 18 متظاهرا في المواجهات وأصيب المئات."
    )
    types = [m["type"] for m in _mentions(body)]
    assert "protest" in types and types.count("violence.civilians") == 1


def test_a_killing_protested_is_not_protesters_killed():
    body = "تظاهر مئات الشبان في مدينة البصرة أمس احتجاجا على مقتل ناشط برصاص مجهولين."
    types = [m["type"] for m in _mentions(body)]
    assert "protest" in types and "violence.civilians" not in types


def test_a_drone_seized_is_neither_ground_taken_nor_a_strike():
    assert _mentions("سيطرت القوات الإماراتية على طائرة بدون طيار إيرانية الصنع في اليمن أمس.") == []


def test_two_car_bombs_are_an_explosion():
    assert "remote.explosive" in _types("استهدف هجوم بسيارتين مفخختين مقرا أمنيا في عدن أمس.")


def test_a_press_interview_is_no_meeting_and_a_court_conviction_no_accusation():
    assert _mentions("جاء ذلك خلال لقاء صحفي للمندوبة الإماراتية في نيويورك أمس.") == []
    assert _mentions("أدانت المحكمة العليا المتهم بالقتل في القاهرة أمس.") == []


def test_cyber_attacks_and_detention_centres_are_no_events():
    assert _mentions("قال مسؤول بريطاني إن على الحكومة أن تستعد لشن هجمات إلكترونية ضد روسيا.") == []
    assert _mentions("واقتيد الرئيس السابق إلى مركز اعتقال في وسط سول بعيد منتصف الليل.") == []
