"""Where an event happened and when two mentions are one event (issue 3, dev6 round): places of
another clause, of a coinciding event, of a body's quoted name or of the addressee are no venue; a
fight is at the ground it took; restatements by a spokesman, by a name the tagger missed, or of a
protest going on are one mention. Sentences written for these tests."""

from marsad.nlp.extract import extract

PUB = "2018-05-10T09:00:00+00:00"


def _mentions(body, pub=PUB):
    return extract({"id": "p1", "source": "test", "title": "", "body": body, "published_at": pub})["mentions"]


def _of(body, typ):
    return [m for m in _mentions(body) if m["type"] == typ]


def _place(m):
    return m["location"]["text"] if m["location"] else None


# --- places that are not the event's


def test_a_quoted_agency_name_is_no_place():
    (m,) = _of('قتل ثلاثة جنود في هجوم على حاجز للجيش، بحسب ما أوردت وكالة "سبأ" الرسمية.', "battle.clash")
    assert _place(m) is None


def test_a_clause_tying_the_event_to_another_keeps_that_events_place():
    body = (
        "خرج آلاف المتظاهرين في مدينة الناصرية يوم الأربعاء. وقتل خمسة أشخاص في احتجاجات يوم "
        "الأربعاء، التي تزامنت مع وصول رئيس الوزراء إلى البصرة."
    )
    places = {_place(m) for m in _mentions(body)}
    assert "البصرة" not in places
    assert "الناصرية" in places


def test_a_place_past_a_new_clause_belongs_to_that_clause():
    body = (
        "قتل سبعة أشخاص في اشتباكات بين مسلحين وقوات الأمن أمس، بينما أعلنت الحكومة حظر التجول في "
        "مدينة بعقوبة."
    )
    (m,) = _of(body, "battle.clash")
    assert _place(m) != "بعقوبة"


def test_the_addressee_of_a_call_is_not_its_venue():
    body = "حث الرئيس الروسي فلاديمير بوتين كردستان على التراجع عن الاستفتاء، خلال زيارة قام بها إلى طهران."
    (m,) = _of(body, "diplomacy.request")
    assert _place(m) != "كردستان"


def test_a_venue_after_in_stays_the_venue_of_a_call():
    body = "دعا وزير الخارجية الفرنسي جان إيف لودريان في بيروت يوم الأربعاء إلى تشكيل الحكومة سريعا."
    (m,) = _of(body, "diplomacy.request")
    assert _place(m) == "بيروت"


def test_a_country_that_speaks_is_not_where_people_protest():
    body = "وقد اتهمت إسرائيل حركة حماس بتنظيم التظاهرات يوم الخميس."
    assert all(_place(m) != "إسرائيل" for m in _of(body, "protest"))


def test_a_front_named_after_a_town_places_the_strike_there():
    body = "قتل 30 مسلحا في غارات لمقاتلات التحالف على مواقعهم في جبهة الحديدة يوم الخميس."
    (m,) = _of(body, "remote.airstrike")
    assert _place(m) == "الحديدة"


def test_the_fight_is_at_the_ground_it_took():
    body = (
        "دارت معارك عنيفة شرقي صعدة يوم الخميس. وتمكنت قوات الجيش الخميس من تحرير مواقع في "
        "مديرية الصفراء شرقي محافظة صعدة."
    )
    (clash,) = _of(body, "battle.clash")
    (taken,) = _of(body, "battle.territory")
    assert _place(clash) == _place(taken) == "الصفراء"


def test_two_districts_taken_leave_the_fight_at_the_town():
    body = (
        "دارت معارك عنيفة شرقي صعدة يوم الخميس. وتمكنت قوات الجيش الخميس من تحرير مواقع في "
        "مديرية الصفراء شرقي محافظة صعدة. كما سيطرت القوات على مواقع في مديرية كتاف بمحافظة صعدة."
    )
    (clash,) = _of(body, "battle.clash")
    assert _place(clash) == "صعدة"


def test_no_place_is_inherited_across_a_sentence_that_names_another():
    body = (
        "سيطرت قوات الحكومة على أجزاء من ريف حماة الشمالي. ووصل وفد روسي إلى دمشق يوم الأربعاء. "
        "وأفاد التلفزيون الرسمي بإطلاق سراح 13 شخصا."
    )
    assert all(_place(m) != "حماة" for m in _of(body, "strategic.release"))


# --- one event told twice


def test_a_spokesman_restating_his_ministrys_call_is_one_call():
    body = (
        "طالبت وزارة الخارجية المصرية، الخميس، الدول الأوروبية بتسلم رعاياها المحتجزين. وقال المتحدث "
        'باسم الخارجية المصرية، أحمد حافظ: "نطالب كل الدول بتسلم رعاياها".'
    )
    assert len(_of(body, "diplomacy.request")) == 1


def test_a_call_restated_with_its_doer_missed_is_one_call():
    body = (
        "دعا الرئيس الأمريكي دونالد ترامب، الخميس، إلى إبرام اتفاق جديد مع إيران. ودعا ترامب إلى "
        "اتفاق شامل مع إيران يعالج سلوكها في سوريا والعراق."
    )
    assert len(_of(body, "diplomacy.request")) == 1


def test_calls_of_two_governments_stay_two():
    body = (
        "دعت وزارة الخارجية الأردنية، الخميس، إلى وقف التصعيد. ودعت وزارة الخارجية المصرية، "
        "الخميس، إلى وقف التصعيد."
    )
    assert len(_of(body, "diplomacy.request")) == 2


def test_a_protest_expected_to_go_on_is_the_protest_under_way():
    body = (
        "تظاهر آلاف الفلسطينيين في قطاع غزة يوم الخميس قرب السياج. ومن المقرر أن تصل الاحتجاجات إلى "
        "ذروتها في قطاع غزة يوم الجمعة."
    )
    assert len(_of(body, "protest")) == 1


def test_a_protest_planned_elsewhere_stays_its_own():
    body = (
        "تظاهر آلاف الأشخاص في مدينة البصرة يوم الخميس. ومن المقرر أن تنظم تظاهرة في مدينة الناصرية "
        "يوم الجمعة."
    )
    assert len(_of(body, "protest")) == 2


def test_fima_as_regarding_is_no_new_clause():
    body = "اعتقلت الشرطة النمساوية مشتبها به فيما يتعلق بهجومي طعن في مدينة غراتس يوم الأربعاء."
    (m,) = _of(body, "strategic.arrest")
    assert _place(m) == "غراتس"


def test_li_plus_the_article_before_a_capital_places_the_visit():
    # "للرياض" is ل + الرياض: the place Riyadh, a venue after its preposition
    body = "التقى رئيس الوزراء اللبناني ولي العهد السعودي خلال زيارته للرياض يوم الأربعاء."
    places = {m["location"]["canonical"] for m in _of(body, "diplomacy.meeting") if m["location"]}
    assert "Riyadh" in places
