"""Issue 3 goals: what is news of the day, one mention per occurrence, where it happened, new triggers."""

from marsad.nlp import dates
from marsad.nlp.extract import extract

PUB = "2018-06-05T09:00:00+00:00"  # a Tuesday


def _mentions(body, pub=PUB):
    return extract({"id": "a1", "source": "test", "title": "", "body": body, "published_at": pub})["mentions"]


def _of(body, typ, pub=PUB):
    return [m for m in _mentions(body, pub) if m["type"] == typ]


# --- one mention per occurrence -------------------------------------------------------------


def test_country_then_town_is_one_battle_placed_at_the_town():
    body = (
        "أفاد نشطاء باحتدام القتال في سوريا أمس. "
        "وقتل في الاشتباكات 30 من أفراد القوات الحكومية في مدينة البوكمال، بحسب المرصد."
    )
    clash = _of(body, "battle.clash")
    assert len(clash) == 1 and clash[0]["location"]["canonical"] == "Abu Kamal"


def test_statements_by_different_doers_are_different_events():
    body = (
        "اتهمت منظمة هيومن رايتس ووتش الحكومة الإسرائيلية بقتل المتظاهرين. "
        "من جهتها، اتهمت إسرائيل حركة حماس بتنظيم الاحتجاجات."
    )
    assert len(_of(body, "diplomacy.accuse")) == 2


def test_two_calls_on_two_days_are_two_meetings():
    body = (
        "تحدث الرئيس الأمريكي دونالد ترامب عبر مكالمة هاتفية، الثلاثاء، إلى أمير قطر الشيخ تميم بن حمد. "
        "ويأتي هذا بعد يوم من مكالمة هاتفية جمعت ترامب والعاهل السعودي الملك سلمان، يوم الإثنين."
    )
    assert len(_of(body, "diplomacy.meeting")) == 2


def test_the_call_told_again_with_the_article_is_the_same_call():
    body = (
        "قال البيت الأبيض إن الرئيس دونالد ترامب تحدث مع رئيسة الوزراء تيريزا ماي. "
        "وقال البيت الأبيض إن ترامب أكد خلال المكالمة الهاتفية التزامه بالاتفاق."
    )
    assert len(_of(body, "diplomacy.meeting")) == 1


def test_quarter_named_inside_its_town_merges_with_the_town():
    body = (
        "سيطرت القوات الحكومية على مدينة درنة بالكامل أمس. "
        "وأكد مصدر عسكري أن القوات استعادت منطقة الساحل الشرقي لمدينة درنة من قبضة المسلحين."
    )
    terr = _of(body, "battle.territory")
    assert len(terr) == 1 and terr[0]["location"]["canonical"] == "Darnah"


# --- news of the day, not background ---------------------------------------------------------


def test_pluperfect_with_a_day_this_week_is_news():
    body = "وكانت الولايات المتحدة وتركيا اتفقتا، الاثنين، على خريطة طريق لمدينة منبج."
    agr = _of(body, "strategic.agreement")
    assert agr and agr[0]["event_date"] == "2018-06-04"


def test_pluperfect_without_a_date_stays_background():
    assert not _mentions("وكانت القوات الحكومية قد سيطرت على مدينة منبج بعد معارك عنيفة.")


def test_habitual_and_long_running_are_not_events():
    assert not _of("وهي المدينة التي هددت تركيا مرارا بشن عملية عسكرية ضدها.", "diplomacy.accuse")
    assert not _of("وتخوض القوات الحكومية منذ أسابيع معارك على جبهة الساحل الغربي.", "battle.clash")


def test_first_time_in_a_year_is_news_not_habit():
    body = "ألقت مروحيات الجيش براميل متفجرة على مدينة درعا للمرة الأولى منذ عام، الاثنين."
    strike = _of(body, "remote.airstrike")
    assert strike and strike[0]["location"]["canonical"] == "Dar‘ā"


def test_expected_attack_and_forecast_protest_are_not_events():
    assert not _of("صعد المسؤولون الروس خطابهم قبل هجوم الجيش المتوقع على إدلب.", "battle.clash")
    assert not _of("ومن المتوقع أن تتصاعد الاحتجاجات في القدس غدا.", "protest")


def test_a_truce_called_for_is_not_an_agreement():
    body = "ودعا مكتب الأمم المتحدة إلى هدنة إنسانية لوقف القتال في الغوطة الشرقية."
    types = {m["type"] for m in _mentions(body)}
    assert "strategic.agreement" not in types and "battle.clash" not in types
    assert "diplomacy.request" in types


def test_purpose_and_circumstance_are_not_territory_taken():
    assert not _of("وتواصل عملية عسكرية كبرى لاستعادة الحديدة من قبضة الحوثيين.", "battle.territory")
    assert not _of("وتواصل قوات المقاومة التقدم نحو المناطق الواقعة شرق مدينة الحديدة.", "battle.territory")


def test_clearing_mines_is_no_explosion():
    body = "وعملت قوات الجيش على انتزاع الألغام والعبوات الناسفة في مدينة الحديدة."
    assert not _of(body, "remote.explosive")


def test_setting_of_a_visit_is_not_news():
    body = "وتأتي زيارة الوزير إلى واشنطن في وقت هدد الرئيس الأمريكي بالانسحاب من الاتفاق النووي."
    assert not _of(body, "diplomacy.accuse")


# --- where it happened ------------------------------------------------------------------------


def test_the_town_before_its_container_is_the_place():
    body = "وقال شهود إنه في خان يونس بجنوب قطاع غزة اعتقلت القوات الإسرائيلية خمسة شبان."
    arr = _of(body, "strategic.arrest")
    assert arr and arr[0]["location"]["canonical"] == "Khān Yūnis"


def test_capital_after_al_asima_and_its_nisba_is_the_place():
    body = "وصل ولي العهد السعودي، الأحد، إلى العاصمة المصرية، القاهرة، في زيارة تستمر ثلاثة أيام."
    meet = _of(body, "diplomacy.meeting")
    assert meet and meet[0]["location"]["canonical"] == "Cairo"


def test_unknown_quarter_goes_on_the_map_at_its_district():
    body = "كما سيطرت قوات المقاومة على منطقة المغرس بمديرية التحيتا، الجمعة."
    terr = _of(body, "battle.territory")
    assert terr and terr[0]["location"]["text"] == "المغرس"
    assert terr[0]["location"]["canonical"] == "At Tuhayta" and terr[0]["location"]["lat"] is not None


def test_the_town_named_before_is_where_the_town_sentence_happens():
    body = (
        "قال قائد الوحدات الكردية في مدينة حلب إن مقاتليه غادروا. "
        "وأضاف أن الحكومة السورية استعادت السيطرة على الأحياء الشرقية في المدينة."
    )
    terr = _of(body, "battle.territory")
    assert terr and terr[0]["location"]["canonical"] == "Aleppo"


def test_confrontations_in_a_protest_story_are_the_protest():
    body = (
        "تظاهر آلاف الفلسطينيين قرب السياج في قطاع غزة، الجمعة. "
        "وقتل ما لا يقل عن 18 شخصا في مواجهات منذ الجمعة."
    )
    types = [m["type"] for m in _mentions(body)]
    assert "battle.clash" not in types and "protest" in types


# --- triggers -------------------------------------------------------------------------------


def test_new_triggers():
    assert _of("وقال البيت الأبيض إن ترامب تحدث هاتفيا مع رئيسة الوزراء البريطانية.", "diplomacy.meeting")
    assert _of("وقال العميد إن المرشد حدد الأهداف، مشيدا بالرئيس الروسي فلاديمير بوتين.", "diplomacy.support")
    assert _of("ووجه رئيس الوزراء الأسبق، نوري المالكي، نداء إلى سكان البصرة.", "diplomacy.request")
    assert _of("وألقت مروحيات النظام 4 براميل متفجرة على مدينة درعا، الاثنين.", "remote.airstrike")
    assert _of("وصف الوزير الضربات التي شنتها إسرائيل على مواقع عسكرية في سوريا.", "remote.airstrike")


def test_aid_released_is_support_not_a_release():
    ms = _mentions("أعلن وزير الخارجية الأمريكي مايك بومبيو الإفراج عن 1.2 مليار دولار مساعدات عسكرية لمصر.")
    types = {m["type"] for m in ms}
    assert "diplomacy.support" in types and "strategic.release" not in types


def test_monday_as_a_dateline_but_not_the_two():
    words = "اتفقتا الاثنين على خريطة طريق".split()
    got = dates.find_dates(words, dates.parse_published(PUB))
    assert got and str(got[0].day) == "2018-06-04"
    assert not dates.find_dates("اتفق الاثنان وقال الاثنين إنهما".split()[:2], dates.parse_published(PUB))


# --- background, habit, business ----------------------------------------------------------


def test_a_protest_years_ago_in_a_season_is_background():
    body = "وكانت الكاتبة قد شاركت في مظاهرة للمثقفين في صيف 2012 وسط العاصمة دمشق."
    assert _of(body, "protest") == []


def test_attacks_told_as_a_habit_of_recent_months_are_not_news():
    body = "ولم تعلق الوزارة على الهجوم، علما أن المسلحين قصفوا المطار بالصواريخ عدة مرات في الأشهر الأخيرة."
    assert _of(body, "remote.shelling") == []
    body = "واعتاد الزعيم خلال السنوات الماضية انتقاد سياسة الحكومة تجاه اللاجئين."
    assert _of(body, "diplomacy.accuse") == []


def test_explosions_heard_are_part_of_the_attack_the_article_reports():
    body = (
        "شنت طائرات حربية غارات جوية على مواقع عسكرية قرب حماة فجر اليوم. "
        "وسمع السكان دوي انفجارات قوية في أنحاء المدينة."
    )
    assert _of(body, "remote.explosive") == [] and len(_of(body, "remote.airstrike")) == 1
    alone = "وسمع السكان دوي انفجارات قوية في مدينة حماة فجر اليوم."
    assert len(_of(alone, "remote.explosive")) == 1


def test_a_prison_sentence_and_a_detention_length_are_no_arrest():
    assert _of("حكمت محكمة فرنسية على امرأة بالسجن خمس سنوات لالتحاقها بتنظيم داعش.", "strategic.arrest") == []
    body = "وأفرجت السلطات عن المدون الذي اعتقل عاما كاملا دون محاكمة."
    assert _of(body, "strategic.arrest") == [] and len(_of(body, "strategic.release")) == 1
    assert len(_of("اعتقلت الشرطة ثلاثة أشخاص في القاهرة أمس.", "strategic.arrest")) == 1


def test_business_talks_and_a_cabinet_session_are_no_diplomatic_meeting():
    assert _of("واستمرت المفاوضات لشراء الشركة الإعلامية ستة أشهر.", "diplomacy.meeting") == []
    body = "التقى ولي العهد خلال زيارته إلى لندن، الثلاثاء، عددا من الرؤساء التنفيذيين لشركات التقنية."
    assert _of(body, "diplomacy.meeting") == []
    assert _of("وقال رئيس الوزراء خلال اجتماع مجلس الوزراء الأحد إن بلاده لن تتراجع.", "diplomacy.meeting") == []
    assert len(_of("التقى الرئيس المصري نظيره الفرنسي في القاهرة أمس.", "diplomacy.meeting")) == 1


def test_release_and_blame_with_the_doer_between_verb_and_object():
    assert len(_of("أطلقت السلطات التركية سراح الصحفي أمس في إسطنبول.", "strategic.release")) == 1
    assert len(_of("وأخلت النيابة العامة سبيل ثلاثة ناشطين في القاهرة أمس.", "strategic.release")) == 1
    assert len(_of("ألقى رئيس الحكومة بالمسؤولية على المعارضة أمس.", "diplomacy.accuse")) == 1
    assert _of("تلقي الدراسة الضوء على الأزمة.", "diplomacy.accuse") == []


def test_a_session_of_a_body_with_a_seat_is_held_at_the_seat():
    body = "رجح دبلوماسيون أن يجتمع مجلس الأمن الدولي بعد ظهر الاثنين لبحث الهجوم على مدينة دوما في سوريا."
    [meeting] = _of(body, "diplomacy.meeting")
    assert meeting["location"]["canonical"] == "New York City" and meeting["location"]["seat_inferred"]
    body = "ويعقد وزراء الخارجية العرب على هامش اجتماعات مجلس جامعة الدول العربية لقاء تشاوريا."
    assert {m["location"]["canonical"] for m in _of(body, "diplomacy.meeting")} == {"Cairo"}
    # a summit moves from capital to capital; a meeting elsewhere keeps its own place
    assert all(m["location"] is None for m in _of("وتعقد القمة العربية المقبلة الشهر المقبل.", "diplomacy.meeting"))
    body = "وقال الوزير بعد اجتماع مع نظيره في موسكو إن على مجلس الأمن أن يتحرك."
    assert [m["location"]["canonical"] for m in _of(body, "diplomacy.meeting")] == ["Moscow"]
