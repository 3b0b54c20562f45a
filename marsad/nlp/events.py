"""Event mentions in one article: taxonomy triggers, actors, place, date, counts, planned vs happened."""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate, repeat

import regex

from marsad.nlp import dates as dates_mod
from marsad.nlp.lexicon import Place, common_words, places
from marsad.nlp.ner import Entity, resolve_place
from marsad.nlp.normalize import fold, fold_index, fold_with_offsets, fold_word
from marsad.nlp.numbers import Count, counts

SCHEMA_VERSION = 1

# Triggers as regular expressions over folded text (ة→ه, أ/إ/آ→ا, ى→ي, ئ→ي, ؤ→ي). N takes nominal
# proclitics (و ف ب ل ك ال and stacks), V the conjunctions before a verb.
_N = r"(?:[وف]?(?:[بلك]?ال|لل|[بلك])?)"
_V = r"(?:[وف]?)"
# Words that condemn what someone did ("تنصل الميليشيات ... يفضح"، "أمريكا تتصرف كمعتدية"، "الافتراءات"):
# said by a named speaker about a named party, they accuse even when no accusing verb is used.
_EVAL_STEMS = (
    r"(?:تنصل\w*|يفضح|تفضح|فضح|تمادي\w*|معتدي\w*|كمعتدي\w*|عدوان|عدواني\w*|العدايي|عدايي\w*|تورط\w*|"
    r"ترويع\w*|افتراء\w*|اكاذيب|كاذب\w*|اكذوب\w*|بشع\w*|مدان\w*|زعزع\w*|تخريبي\w*|استفزاز\w*|استفزازي\w*|"
    r"يقوض|تقوض|تقويض|عرقله|يعرقل|تعرقل|انتهاك\w*|خرق\w*|يخرق|تخرق|جرايم حرب|"
    r"جريمه ضد الانسانيه|جرايم ضد الانسانيه|بمهاجمه|مهاجمه|"
    # the words of a verdict: sinful, criminal, cowardly, treacherous, barbaric, a plot
    r"اثم\w*|الاثم\w*|اجرامي\w*|جبان\w*|غادر|غادره|الغادر\w*|همجي\w*|وحشي\w*|تامري\w*|ميامر\w*)"
)
_T: dict[str, list[tuple[str, str]]] = {
    "battle.clash": [
        (_N, r"اشتباك(?:ات|ا)?"),
        (_V, r"(?:اشتبك|يشتبك|تشتبك)\w*"),
        (_N, r"معارك"),
        (_N, r"معركه"),
        (_N, r"مواجهات"),
        (_N, r"تبادل (?:ل)?اطلاق (?:ال)?نار"),
        (_N, r"قتال"),
        (_N, r"اقتتال"),
        (_N, r"هجوم(?:ا)?"),
        (_N, r"هجمات"),
    ],
    "battle.territory": [
        (_V, r"(?:سيطر|سيطرت|يسيطر|تسيطر)\w*"),
        (_N, r"سيطره"),
        (_V, r"(?:استعاد|استعادت|يستعيد|تستعيد)\w*"),
        (_N, r"استعاده"),
        (_V, r"(?:حرر|حررت|يحرر|تحرر)\w*"),
        (_N, r"تحرير"),
        (_V, r"(?:تقدم|تقدمت|يتقدم)"),
        (_N, r"تقدم"),
        (_V, r"(?:دخل|دخلت)"),
        (_V, r"(?:انسحب|انسحبت|ينسحب)\w*"),
        (_N, r"انسحاب"),
        (_V, r"(?:طرد|طردت)\w*"),
        (_V, r"(?:استرد|استردت|يسترد|تسترد)\w*"),
        (_N, r"استرداد"),
    ],
    "remote.airstrike": [
        (_N, r"غار(?:ه|ات)"),
        (_N, r"قصف(?:ا)? (?:مدفعي\w* و)?جوي\w*"),
        (_N, r"(?:ضربه|ضربات) جوي\w*"),
        (_N, r"طاير(?:ه|ات) (?:مسير(?:ه|ات)|بدون طيار|حربي\w*)"),
        (_N, r"(?:مسيره|مسيرات)(?= (?:ال)?(?:اسراييلي|امريكي|امير|تركي|حوثي|روسي)\w*)"),
        # a strike a state or an army "launched" (الضربات التي شنتها إسرائيل) comes from the air
        (_N, r"(?:ضربه|ضربات)(?= (?:\w+ ){0,3}?(?:شن|شنت|شنها|شنتها|شنوا|نفذ|نفذت|نفذها|نفذتها)(?!\w))"),
        # barrel bombs are dropped from helicopters
        (_N, r"(?:براميل|برميل) (?:ال)?متفجر(?:ه|ات)?"),
    ],
    "remote.shelling": [
        (_N, r"قصف(?:ا)?(?! جوي)"),
        (_V, r"(?:قصف|قصفت|يقصف|تقصف)\w*"),
        (_N, r"قذايف"),
        (_N, r"قذيفه"),
        (_N, r"صواريخ"),
        (_N, r"صاروخ(?:ا|ين|ي)?"),
        (_N, r"هاون"),
        (_N, r"مدفعي(?:ه)?"),
        (_N, r"راجمات"),
        # the weapon named by its adjective: "هجمات صاروخية"، "ضربة صاروخية"، "قصف صاروخي"
        (_N, r"(?:هجوم|هجمات|ضربه|ضربات|اعتداء|اعتداءات|رشقه|رشقات) صاروخي\w*"),
    ],
    "remote.explosive": [
        (_N, r"تفجير(?:ات)?"),
        (_N, r"انفجار(?:ات)?"),
        (_N, r"عبو(?:ه|ات|تين) ناسف(?:ه|ات|تين)"),
        (_N, r"سيار(?:ه|ات|تين) مفخخ(?:ه|ات|تين)"),
        (_N, r"مفخخ(?:ه|ات|تين)"),
        (_N, r"انتحاري(?:ه|ون|ين)?"),
        (_N, r"لغم"),
        (_N, r"الغام"),
        (_N, r"حزام ناسف"),
        (_V, r"(?:فجر|فجرت|يفجر)\w*"),
        (_N, r"(?:هجوم|هجمات) (?:تفجيري|انتحاري)\w*"),
    ],
    "violence.civilians": [
        (_N, r"مجزر(?:ه|ات)"),
        (_N, r"مجازر"),
        (_N, r"مذبح(?:ه|ات)"),
        (_N, r"اعدام"),
        (_V, r"(?:استهدف|استهدفت|يستهدف|تستهدف)\w*(?= (?:\w+ ){0,2}(?:ال)?مدني(?:ين|ون))"),
        (_V, r"(?:قتل|قتلت|يقتل)\w*(?= (?:\w+ )?(?:ال)?مدني(?:ين|ون))"),
        # shootings (kept by _disambiguate only when civilians or protesters are the ones shot)
        (_V, r"(?:اطلق|اطلقت|اطلقوا|يطلق|تطلق)\w*(?: \w+){0,3} (?:ال)?(?:نار|اعيره ناريه|رصاص\w*)"),
        (_N, r"اطلاق (?:ال|لل|ل)?(?:نار|اعيره ناريه|رصاص\w*)"),
        (_N, r"رصاص(?:ه)?(?: (?:ال)?حي)?"),
        (_N, r"استهداف(?= (?:\w+ ){0,2}(?:ال)?(?:عرس|حفل|زفاف|مسجد|مصلين|سوق|مدرس\w*|مستشفي\w*|مخيم\w*))"),
        (_N, r"اغتيال"),
        (_V, r"(?:اغتال|اغتالت|يغتال|اغتيل)\w*"),
        # poison gas is used on towns, not on front lines (ACLED's chemical weapon attacks)
        (
            _N,
            r"(?:هجوم|هجمات|ضربه|قصف) (?:(?:ال)?(?:مفترض|مزعوم|محتمل|مشتبه)\w* )?(?:ال)?"
            r"(?:كيميايي|كيماوي|كيمياوي|بالغاز|بغاز|بالاسلحه (?:ال)?(?:كيميايي|كيماوي|كيمياوي))\w*",
        ),
    ],
    "violence.abduction": [
        (_N, r"(?:اختطاف|خطف)"),
        (_V, r"(?:اختطف|اختطفت|يختطف|خطفت)\w*"),
        (_N, r"احتجاز (?:ال)?رهاين"),
    ],
    "protest": [
        (_V, r"(?:تظاهر|يتظاهر|تظاهرت)\w*"),
        (_N, r"مظاهر(?:ه|ات)"),
        (_N, r"احتجاج(?:ات|ا)?"),
        (_V, r"(?:احتج|يحتج)(?!از)\w*"),
        (_N, r"محتج(?:ين|ون)"),
        (_N, r"اعتصام(?:ات)?"),
        (_V, r"(?:اعتصم|يعتصم)\w*"),
        (_N, r"متظاهر(?:ين|ون)"),
        (_N, r"(?<!طايره )(?<!طايرات )مسير(?:ه|ات) (?:سلمي|احتجاجي|شعبي)\w*"),
        (_N, r"وقف(?:ه|ات) احتجاجي\w*"),
        (_N, r"تظاهر(?:ه|ات)"),
        (_N, r"مسير(?:ه|ات) (?:ال)?عوده"),
        (_N, r"اضراب(?:ات)?"),
        # crowds taking to the streets or squares: "خرج المئات منهم إلى الشوارع"، "احتشد الآلاف في ساحة"
        (
            _V,
            r"(?:خرج|خرجت|خرجوا|نزل|نزلت|نزلوا|احتشد|احتشدت|احتشدوا|تجمهر|تجمهرت|تجمهروا)"
            r"(?= (?:\w+[،,]? ){0,5}?(?:الي |في )?(?:لل|بال|[لب])?(?:ال)?"
            r"(?:شوارع|شارع|ساحه|ساحات|ميدان)(?!\w))",
        ),
    ],
    "riot": [(_N, r"اعمال (?:ال)?شغب"), (_N, r"شغب"), (_V, r"اقتحم\w* (?:ال)?(?:محتج|متظاهر)\w*")],
    "strategic.arrest": [
        (_N, r"اعتقال(?:ات)?"),
        (_V, r"(?:اعتقل|اعتقلت|يعتقل|تعتقل)\w*"),
        (_N, r"(?:ال)?قبض علي\w*"),
        (_V, r"(?:قبض|قبضت|قبضوا|تقبض|يقبض|يقبضون) علي\w*"),
        (_N, r"توقيف"),
        # "أوقفت الشرطة ثلاثة أشخاص": stopping people is arresting them (stopping work is not)
        (
            _V,
            r"(?:اوقف|اوقفت|اوقفوا|يوقف|توقف)(?= (?:\w+ ){0,3}?(?:\d+ )?(?:ال)?"
            r"(?:شخص|اشخاص|رجل|رجال|امراه|شاب|شبان|"
            r"مشتبه|متهم|عناصر|عنصر|مسلح|ناشط|ناشطين|صحفي|مواطن|مواطنين|لاجي|مهاجر|مطلوب)\w*(?!\w))",
        ),
        (_N, r"حبس"),
        (_V, r"(?:احتجز|احتجزت|يحتجز)\w*"),
    ],
    "strategic.release": [
        (_N, r"(?:ال)?افراج عن"),
        (_V, r"(?:افرج|افرجت|يفرج|تفرج)\w*"),
        (_N, r"اطلاق (?:ال)?سراح"),
        (_V, r"(?:اطلق|اطلقت)\w* (?:ال)?سراح"),
        # the doer between verb and object: "أطلقت السلطات التركية سراح"، "أخلت المحكمة سبيل"
        (_V, r"(?:اطلق|اطلقت|اطلقوا|تطلق|يطلق)(?= (?:\w+ ){1,3}(?:ال)?سراح(?!\w))"),
        (_N, r"اخلاء سبيل"),
        (_V, r"(?:اخلت|اخلي|اخلوا|تخلي|يخلي)(?= (?:\w+ ){0,3}سبيل(?!\w))"),
        (_N, r"تبادل (?:ال)?(?:اسري|الاسري)"),
    ],
    "strategic.agreement": [
        (_N, r"اتفاق(?:ا|يه)?"),
        (_V, r"(?:اتفق|اتفقت|يتفق)\w*"),
        (_N, r"هدنه"),
        (_N, r"وقف (?:ل)?اطلاق (?:ال)?نار"),
        (_N, r"تسويه"),
        (_N, r"معاهده"),
        (_N, r"صفق(?:ه|ات)"),
    ],
    "diplomacy.meeting": [
        (_V, r"(?:التقي|التقت|التقيا|يلتقي|تلتقي|سيلتقي|ستلتقي|نلتقي)"),
        (_N, r"لقاء(?:ات)?"),
        (_N, r"اجتماع(?:ات|ا)?"),
        (_V, r"(?:اجتمع|يجتمع|سيجتمع)\w*"),
        (_N, r"زيار(?:ه|ات)"),
        (_V, r"(?:زار|زارت|يزور|سيزور|يزوران)"),
        (_N, r"اتصال(?:ا)? (?:ال)?هاتفي(?:ا)?"),
        (_N, r"مكالم(?:ه|ات|تين) (?:ال)?هاتفي(?:ه|ا|تين)?"),
        (_V, r"(?:تحدث|تحدثت|يتحدث|تتحدث|تحدثا)(?= (?:هاتفيا|مع) )"),
        (_V, r"(?:تلقي|تلقت|يتلقي)(?= (?:\w+ ){0,2}(?:اتصالا|مكالمه) هاتفي)"),
        (_N, r"(?:مباحثات|محادثات|مشاورات|مفاوضات)"),
        (_V, r"(?:تباحث|بحث)\w*(?= مع)"),
        # a dual verb needs two sides: "بومبيو ونظيره التركي بحثا السبت ..."; بحثا is also the
        # verbal noun ("بحثا عن"، "الأكثر بحثا على غوغل"), a verb only before its definite object or a day
        (_V, r"(?:تباحثا|ناقشا|استعرضا)"),
        (_V, r"بحثا(?= (?:ال|يوم|امس)\w)"),
        (_V, r"(?:استقبل|استقبلت|يستقبل)\w*"),
        (_N, r"قمه"),
    ],
    "diplomacy.support": [
        (_V, r"(?:اشاد|اشادت|يشيد|تشيد)\w*"),
        (_V, r"(?:رحب|رحبت|يرحب|ترحب)\w*"),
        (_N, r"ترحيب"),
        (_V, r"(?:اثني|اثنت)"),
        (_V, r"(?:ايد|ايدت|يييد|تييد)"),
        (_N, r"تاييد"),
        (_V, r"اعرب\w* عن (?:ال)?دعم\w*"),
        (_V, r"(?:شكر|شكرت|يشكر|تشكر)"),
        (_N, r"دعم(?:ا)? تاريخي\w*"),
        # solidarity and standing by a side: "أكدت تضامنها مع السعودية"، "وقوفها الكامل إلى جانب"
        (_N, r"تضامن(?:ه|ها|هم|هما)?(?= (?:\w+ ){0,2}?مع(?!\w))"),
        (_V, r"(?:تضامن|تضامنت|يتضامن|تتضامن)(?= (?:(?:ال)?كامل\w* )?مع(?!\w))"),
        (_N, r"وقوف(?:ه|ها|هم|هما)?(?= (?:(?:ال)?كامل\w* )?(?:الي جانب|مع)(?!\w))"),
        (_V, r"(?:وقف|وقفت|يقف|تقف)(?= (?:\w+ ){0,2}?الي جانب(?!\w))"),
        (_N, r"(?:مشيدا|مشيده|مشيدين|مشيدون|مثنيا|مرحبا|مرحبه|مرحبين|معربا عن (?:ال)?دعم\w*)"),
    ],
    "diplomacy.accuse": [
        (_V, r"(?:اتهم|اتهمت|يتهم|تتهم)\w*"),
        (_V, r"(?:توعد|توعدت|يتوعد|تتوعد)\w*"),
        (_N, r"توعد\w*"),
        (_V, r"(?:ادان|ادانت|يدين|تدين)\w*"),
        (_N, r"ادانه"),
        # the verb without its hamza seat, as often printed: "دانت الخارجية"، "دانوا تصرفات"
        (_V, r"(?:دانت|دانوا)"),
        # "أعربا عن استنكارهما"، "عبر عن تنديده": the condemnation named by its noun
        (_N, r"(?:استنكار|تنديد|شجب)(?:ه|ها|هم|هما)?"),
        # rejecting an attack or an interference condemns it: "رفضت الأردن اعتداءات الحوثيين"
        (
            _V,
            r"(?:رفض|رفضت|رفضوا|يرفض|ترفض)(?= (?:\w+ ){0,3}?(?:ال)?(?:اعتداء|اعتداءات|هجوم|هجمات|عدوان|"
            r"تدخل|تدخلات)(?!\w))",
        ),
        (_V, r"(?:ندد|نددت|يندد|تندد)\w*"),
        (_V, r"(?:هدد|هددت|يهدد|تهدد)\w*"),
        # (only the verb's own suffixes: "حذرين" is cautious, "حذراف" a name)
        (_V, r"(?:حذر|حذرت|يحذر|تحذر)(?:ت|وا|ا|تا|ان|ون|ه|ها|هم|هما|وه|وها)?"),
        (_V, r"(?:استنكر|استنكرت|يستنكر)\w*"),
        (_V, r"(?:شجب|شجبت)\w*"),
        (_V, r"(?:انتقد|انتقدت|انتقدوا|ينتقد|تنتقد)\w*"),
        (_N, r"انتقاد(?:ات|ا)?"),
        (_N, r"(?:منتقدا|متهما|مندده|مندد|مدينا)"),
        (_N, r"هجوم(?:ا)? (?:لاذع|حاد|شرس|عنيف|كلامي)\w*"),
        (_V, r"(?:حمل|حملت|حملوا|يحمل|تحمل|يحملون)\w*(?= (?:\w+ ){0,4}(?:ال)?مسيوليه)"),
        (_V, r"(?:القي|القت|القوا|يلقي|تلقي)(?= (?:\w+ ){0,4}?(?:ب|بال)مسيوليه)"),
        (_N, r"اصابع (?:ال)?اتهام"),
        # condemnation without an accusing verb, kept only inside reported speech (see _EVALUATIVE)
        (_N, _EVAL_STEMS),
        (
            _V,
            r"(?:وجه|وجهت|وجهوا|يوجه|توجه)(?= (?:\w+ ){0,4}?(?:ال)?(?:اتهام|اتهامات|انتقاد|انتقادات)(?!\w))",
        ),
    ],
    "diplomacy.request": [
        (_V, r"(?:حث|حثت|حثوا|يحث|يحثون|تحث)"),
        (_V, r"(?:دعا|دعت|يدعو|تدعو|دعوا|دعتا|يدعوان|تدعوان)"),
        (_V, r"(?:طالب|طالبت|طالبوا|يطالب|تطالب|يطالبون|طالبتا|يطالبان|تطالبان)"),
        (_V, r"(?:ناشد|ناشدت|يناشد)\w*"),
        (_V, r"(?:حض|حضت|يحض|تحض|نحض)"),
        (_N, r"(?:مطالبا|مطالبين|داعيا|حاثا|مناشدا)"),
        (_V, r"(?:وجه|وجهت|يوجه|توجه)(?= (?:\w+[،,]? ){0,7}?(?:نداء|نداءات|مناشده|دعوه)(?!\w))"),
    ],
}
# One pass over the text: every spec becomes a named branch; longer phrases come first so that
# "قصف مدفعي وجوي" wins over "قصف" where both start.
_BRANCHES = sorted(((typ, p, st) for typ, specs in _T.items() for p, st in specs), key=lambda x: -len(x[2]))
_GROUP_TYPE = {f"g{i}": typ for i, (typ, _, _) in enumerate(_BRANCHES)}
_REGEX = re.compile(
    r"(?<!\w)(?:" + "|".join(rf"{p}(?P<g{i}>{st})(?!\w)" for i, (_, p, st) in enumerate(_BRANCHES)) + ")"
)
# Triggers that need a military setting and a place to count as taking territory.
_WEAK_TERRITORY = re.compile(r"^[وف]?(?:تقدم|دخل|انسحب|انسحاب|طرد|يتقدم|تقدمت|دخلت)")
_MILITARY = re.compile(
    r"(?<!\w)[وفبلك]?(?:ال|لل)?(?:جيش|قوات|قوه|مسلح\w*|داعش|تنظيم|كتيب\w*|كتايب|ميليشي\w*|مليشي\w*|"
    r"فصايل|فصيل|مقاتل\w*|متمرد\w*|عناصر|حوثي\w*|معارضه|جنود|عسكري\w*|القاعده|الحشد|حكومه|النظام)(?!\w)"
)
_CAPTIVES = re.compile(
    r"(?<!\w)[وفبلك]?(?:ال|لل)?(?:اسير\w*|اسري|اسرى|رهاين|رهين\w*|مختطف\w*|محتجز\w*|معتقل\w*|سجين\w*|سجناء)(?!\w)"
)
_GENERIC_BEFORE = {
    "محاوله",
    "محاولات",
    "مثيري",
    "مثيرو",
    "ذريعه",
    "بذريعه",
    "عمليات",
    "اعمال",
    "ظاهره",
    "مكافحه",
    "لمكافحه",
    "جرايم",
    "حالات",
    "حمله",
    "بحمله",
    "التحريض",
    "بالتحريض",
    "تهمه",
    "بتهمه",
    "اي",
    "صد",
    "لصد",
    "استعداد",
    "استعدادا",
    "للمعركه",
    "صفقه",
    "مقررات",
    "قرارات",
    "نتايج",
    "ذكري",
    "بذكري",
    "ايه",
    "لايه",
    "لاي",
    "بايه",
    "باي",
    "التابعه",
    "التابع",
    "وقف",
    "لوقف",
    "بوقف",
    "انهاء",
    "لانهاء",
    "باستمرار",
    "استمرار",
}
# A campaign of arrests (حملة اعتقالات، عمليات الاعتقال) is arrests made, not a generic mention.
_CAMPAIGN = {"حمله", "بحمله", "عمليات"}
# Habitual or long-running: "هددت تركيا مرارا"، "تخوض القوات منذ أسابيع معارك" (not one occurrence).
_HABITUAL = re.compile(
    r"(?<!\w)(?:مرارا|تكرارا|دايما|عاده ما|كثيرا ما|غالبا ما|منذ (?:اسابيع|اشهر|شهور|سنوات|سنين|اعوام|عقود|"
    r"سنه|عام|فتره طويله|زمن|مده طويله)"
    # "عدة مرات في الأشهر الأخيرة"، "اعتاد البابا ... انتقاد": a habit or a tally, not one day's news
    r"|عده مرات|مرات عده|مرات عديده|[وف]?(?:اعتاد|اعتادت|يعتاد|تعتاد)"
    r"|(?:خلال|في|طوال) (?:ال)?(?:اسابيع|اشهر|شهور|سنوات|اعوام)(?: \w+)? (?:ال)?(?:ماضيه|اخيره|فايته)"
    # "وفي العام التالي، بدأت القوات ...": a story told year by year
    r"|(?:في|خلال) (?:العام|السنه) (?:التالي|التاليه|الذي تلاه|التي تلته))(?!\w)"
)
# what follows a conflict trigger that makes it expected rather than reported
_EXPECTED = re.compile(r"(?:\s+\w+){0,4}?\s+(?:ال)?(?:متوقع|محتمل|مرتقب|وشيك)(?:ه)?(?!\w)")
# "وتأتي الزيارة في وقت ...": what follows "في وقت" sets the scene for the news before it
_CONTEXT_LEAD = re.compile(r"^\W*[وف]?(?:تاتي|ياتي|جاءت|جاء|وتاتي|وياتي)(?!\w)")
_CONTEXT_MARK = re.compile(r"(?<!\w)(?:في وقت|في الوقت الذي|وسط|بالتزامن مع)(?!\w)")


_CITY_ANAPHOR = re.compile(
    r"(?<!\w)(?:في|داخل|وسط|[بل]|(?:[وف]?ب?)?(?:شمال|جنوب|شرق|غرب)\w*|احياء|حي|انحاء)\s*ال(?:مدينه|بلده)(?!\w)"
)
_CIRCUMSTANCE = re.compile(r"(?<!\w)(?:مع|وسط|ظل|استمرار|تواصل|اطار)\s+(?:ال)?$")


def _speaks_of_town(folded: str, a: int, b: int) -> bool:
    seg = folded[a:b]
    return ("مدينه" in seg or "بلده" in seg) and _CITY_ANAPHOR.search(seg) is not None


_SINCE = re.compile(r"(?<!\w)منذ (?:ان|بدء|بدايه|انطلاق|اندلاع)(?!\w)")
_REL_BEFORE = re.compile(r"(?<!\w)(?:الذين|اللذين|اللتين)\s+$")
_EXPECT_BEFORE = re.compile(
    r"(?<!\w)(?:المتوقع|يتوقع|تتوقع|المنتظر|المرجح|يرجح|المحتمل|يحتمل)\s+(?:ان|انه|انها)(?!\w)"
)
_CAUSE_BEFORE = re.compile(r"(?<!\w)(?:جراء|بسبب|نتيجه|بفعل|من جراء)\s+\S*$")


def _context_start(f_sent: str, offset: int) -> int | None:
    """Folded offset from which a "تأتي ... في وقت" sentence only sets the scene (None if it does not)."""
    if not _CONTEXT_LEAD.match(f_sent):
        return None
    m = _CONTEXT_MARK.search(f_sent)
    return offset + m.end() if m else None


_TO_HELP = re.compile(r"(?<!\w)(?:لمساعده|لمسانده|لدعم|لنصره|لميازره|لتعزيز)(?!\w)")
_DEFUSE = re.compile(
    r"(?<!\w)[وفل]?(?:ال)?(?:نزع|انتزاع|تفكيك|ازاله|زرع|تطهير|مسح|كشف|ابطال|زراعه)\w*\s+(?:[وفبل]?ال|لل)?$"
)
_TOWARD = re.compile(r"(?:\s+\w+){0,3}?\s+(?:نحو|باتجاه|صوب|تجاه|الي مشارف|شمالا|جنوبا|شرقا|غربا)(?!\w)")
_WARN_OF = re.compile(
    r"(?:\s+\w+){0,4}?\s+من\s+(?:ال)?(?:تداعيات|مخاطر|خطر|خطوره|عواقب|تفاقم|تدهور|كارثه|انهيار|ازمه|"
    r"مغبه|انعكاسات|اثار|استمرار|تصاعد|تزايد)"
)


# Charges and accusations name a crime, not an event that happened (بتهمة الخطف).
_CHARGE = re.compile(
    r"(?<!\w)[وب]?(?:ال|لل)?(?:تهم\w*|اتهام\w*|التحريض|تحريض|بالتحريض|جرايم|يشتبه|مشتبه\w*|اشتباه|شبهه|ضلوع\w*|بضلوع\w*|"
    r"وقوف\w* وراء|متهم\w*|المتهم\w*)(?!\w)"
)
# A request context turns "إبرام اتفاق" into a call for one, not an agreement.
_REQUEST_CTX = re.compile(
    r"(?<!\w)[وف]?(?:دعا|دعت|يدعو|تدعو|دعوه\w*|دعوات\w*|طالب\w*|يطالب\w*|مطالب\w*|حث\w*|يحث\w*|ناشد\w*|يناشد\w*)(?!\w)"
)
_AGREE_VERB = re.compile(
    r"(?<!\w)[وف]?(?:توصل\w*|وقع\w*|يوقع\w*|ابرم\w*|توقيع|التوقيع|ابرام|بتوقيع|اعلن\w*|ابرما)(?!\w)"
)
# (not the air defence that intercepts a missile: "الدفاع الجوي")
_AIR_CTX = re.compile(
    r"(?<!\w)(?<!دفاع )(?<!دفاعات )[وفبل]?(?:ال)?"
    r"(?:مقاتلات|طايرات|طايره|طيران|الطيران|غارات|جوي\w*|مروحي\w*)(?!\w)"
)
_FIRE_CTX = re.compile(
    r"(?<!\w)[وفب]?(?:ال)?(?:اطلق\w*|اطلاق|باطلاق|سقط\w*|سقوط|قصف\w*|استهدف\w*|اصاب\w*|اعترض\w*)(?!\w)"
)
_BACKGROUND = re.compile(r"^\W*(?:يذكر|يشار|وكان|كان|وكانت|كانت|سبق|يذكر ان|وسبق)(?!\w)")
_REPORT = re.compile(
    r"(?<!\w)[وف]?(?:قال|قالت|اكد|اكدت|اعلن|اعلنت|اوضح|اوضحت|اضاف|اضافت|ذكر|ذكرت|افاد|افادت|صرح|"
    r"صرحت|اشار|اشارت|كشف|كشفت|تابع|تابعت|نقل|نقلت|قالوا|اكدوا|افادوا|ذكروا|اعتبر|اعتبرت)(?!\w)"
)
_EVALUATIVE = re.compile(_EVAL_STEMS)
# a speaker's words follow: "قال/اعتبر/وصف ... إن/أن/بأنه" or a quotation, or "قائلا"، "مضيفا"
_SAID_THAT = re.compile(
    r"(?<!\w)[وف]?(?:قال|قالت|اكد|اكدت|اوضح|اوضحت|اضاف|اضافت|صرح|صرحت|اعتبر|اعتبرت|وصف|وصفت|وصفه|وصفها|"
    r"تابع|تابعت|شدد|شددت|قالوا|اكدوا|اعتبروا|علق|علقت)(?!\w)[^.\n]*?(?:(?<!\w)(?:ان|انه|انها|انهم|بان|بانه|"
    r"بانها|قايلا|قايله)(?!\w)|[\"«“:])"
    r"|(?<!\w)(?:قايلا|قايله|مضيفا|مضيفه|معتبرا|معتبره|مشيرا)(?!\w)"
    # "اعتبرت الجامعة هجمات الحوثيين خرقا"، "وصفتها الرئاسة بالمحاولة الآثمة": a verdict on its object
    r"|(?<!\w)[وف]?(?:اعتبر|اعتبرت|اعتبروا|يعتبر|تعتبر|وصف|وصفت|وصفوا|يصف|تصف)(?:ه|ها|هم|ته|تها)?(?!\w)"
)
_COMPLEMENT = re.compile(r"(?<!\w)(?:ان|انه|انها|انهم|بان|بانه|بانها)(?!\w)")
_SPOKESMAN = re.compile(r"(?<!\w)(?:ال)?(?:متحدث|ناطق|مصدر|مصادر|مسيول|مسيولون|شهود|مراسل|بيان)\w*(?!\w)")
_ON_BEHALF = re.compile(r"(?<!\w)باسم(?!\w)")
_FUTURE = re.compile(
    r"(?<!\w)(?:سوف|المقرر|المرتقب|المزمع|يعتزم|تعتزم|قريبا|سيجري|ستجري|سيعقد|ستعقد|سيكون|"
    r"ستكون|المقبل|المقبله|القادم|القادمه|يرتقب|سي\w{2,}|ست(?:عقد|جري|بدا|توجه|شارك|لتقي)\w*)(?!\w)"
)
_HYPOTHETICAL = re.compile(
    r"(?<!\w)[وف]?(?:قد [يت]\w+|في السابق|سابقا|في وقت سابق|ربما|اذا|لو|حال|استعداد\w*|يمكن|لربما|"
    r"يجرنا|خشيه|مخاوف|تحذير|حذر\w*|لمنع|منع|تجنب|لتجنب|يحاول\w*|تحاول\w*|محاول\w*|يسعي|تسعي|الساعي\w*|"
    r"لا يوجد|دون|بدون|حرمان|لحرمان|رفض\w*|نفي|نفت|نفى|ينفي|"
    # a condition not met yet ("ما لم تفرج عن القس") and a precaution against what may come
    # ("فرار الآلاف تحسبا لهجوم القوات")
    r"ما لم|ان لم|الا اذا|شرط|بشرط|تحسبا|تخوفا|خوفا|تحذر|يحذر|يحذرون|محذرا|محذره)(?!\w)"
)
_CLAUSE_BREAK = re.compile(r"[،,;:]\s*(?:و?(?:فيما|بينما|في حين|كما|وذلك|حيث|بعد|قبل|اذ|إذ|الذي|التي))|[؛;]")
_LOCATIVE_BEFORE = re.compile(
    r"(?:(?<!\w)(?:في|من|الي|قرب|مدينه|محافظه|منطقه|شمال\w*|جنوب\w*|شرق\w*|غرب\w*)\s+|(?<!\w)[بل])$"
)
_TARGET_BEFORE = re.compile(r"(?<!\S)(?:علي|على|ضد|مواقع|استهدف\w*|الي)\s+(?:لل|ل|ب|ال)?$")
_PAST_MARK = re.compile(
    r"(?<!\w)(?:في السابق|سابقا|في وقت سابق|من قبل|قبل (?:(?:نحو|حوالي|قرابه|اكثر من) )?"
    r"(?:عام|سنه|عامين|سنتين|سنوات|اعوام|اشهر|شهور|عقود|"
    r"\d+ (?:سنوات|اعوام|عاما|اشهر|شهور|سنه)))(?!\w)"
)
# "توقيع موسكو هدنة لوقف إطلاق النار في المنطقة قبل نحو عام": a span of time back, in the
# trigger's own clause, dates it long before the news
_AGO = re.compile(
    r"(?<!\w)قبل (?:(?:نحو|حوالي|قرابه|اكثر من|ما يزيد عن) )?(?:عام|سنه|عامين|سنتين|عقد|عقدين|"
    r"\d+ (?:اعوام|عاما|سنوات|سنه|عام|اشهر|شهرا|شهور)|(?:بضعه|عده) (?:اعوام|سنوات|اشهر|شهور))(?!\w)"
)


def _ago(folded: str, at: int) -> bool:
    seg = folded[at : at + 70]
    cut = re.search(r"[.،,؛;:\n]", seg)
    return _AGO.search(seg, 0, cut.start() if cut else len(seg)) is not None


# the trigger noun's own adjective: "في اجتماعات سابقة"
_PAST_ADJ = re.compile(r"\s+(?:ال)?(?:سابق|ماضي)(?:ه|ين|ات)?(?!\w)")
_DATELINE = re.compile(r"^\s*[^\n]{0,80}?(?:\((?:CNN|[^)\n]{1,25})\)\s*[-—–]+|\s[-—–]\s[^\n]{0,40}\n)")
_FUTURE_VERB = re.compile(r"^[وف]?س[يتن]")
# Casualty and count words (folded) with the field they fill.
_COUNT_WORDS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"^[وفبل]?(?:ال|لل)?(?:قتل\w*|قتيل\w*|قتلي|مقتل|مصرع|حتفه\w*|ضحايا|ضحيه|وفاه|وفيات|شهيد\w*|شهداء|استشهاد|استشهد\w*|جثث|جثه)$"
        ),
        "fatalities",
    ),
    (re.compile(r"^[وفبل]?(?:ال|لل)?(?:اصيب\w*|اصابه|اصابات|جريح\w*|جرحي|جرحى|مصاب\w*|جرح)$"), "injured"),
    (re.compile(r"^[وفبل]?(?:ال|لل)?(?:مختطف\w*|خطف\w*|اختطاف|اختطف\w*|رهاين|رهين\w*)$"), "abducted"),
    (re.compile(r"^[وفبل]?(?:ال|لل)?(?:اعتقال|اعتقل\w*|معتقل\w*|موقوف\w*|توقيف|القبض|قبض\w*)$"), "arrested"),
    (
        re.compile(r"^[وفبل]?(?:ال|لل)?(?:اسير\w*|اسري|اسرى|محرر\w*|حرروا|الافراج|افرج\w*|سراح|حرر\w*)$"),
        "freed",
    ),
]
_COUNT_FIELDS = {
    "fatalities": {
        "battle.clash",
        "battle.territory",
        "remote.airstrike",
        "remote.shelling",
        "remote.explosive",
        "violence.civilians",
        "riot",
        "protest",
    },
    "injured": {
        "battle.clash",
        "battle.territory",
        "remote.airstrike",
        "remote.shelling",
        "remote.explosive",
        "violence.civilians",
        "riot",
        "protest",
    },
    "abducted": {"violence.abduction"},
    "arrested": {"strategic.arrest", "protest", "riot"},
    "freed": {"strategic.release", "battle.territory"},
}
# the count words each event type may take, in _COUNT_WORDS order
_COUNT_WORDS_BY_TYPE = {
    typ: [(rx, fld) for rx, fld in _COUNT_WORDS if typ in _COUNT_FIELDS[fld]]
    for typ in {t for v in _COUNT_FIELDS.values() for t in v}
}
_BASE = {
    "battle.clash": 0.6,
    "battle.territory": 0.6,
    "remote.airstrike": 0.65,
    "remote.shelling": 0.6,
    "remote.explosive": 0.65,
    "violence.civilians": 0.6,
    "violence.abduction": 0.6,
    "protest": 0.6,
    "riot": 0.6,
    "strategic.arrest": 0.6,
    "strategic.release": 0.65,
    "strategic.agreement": 0.5,
    "diplomacy.meeting": 0.6,
    "diplomacy.support": 0.6,
    "diplomacy.accuse": 0.55,
    "diplomacy.request": 0.5,
}
_ACTOR_TYPES = {"PER", "ORG", "GPE"}
_GROUP_CODES = ("REB", "IMG", "MIL", "OPP")


@dataclass
class _Trigger:
    type: str
    start: int  # offsets in the original text
    end: int
    folded: str
    fstart: int  # offsets in the folded text
    fend: int
    definite: bool = False  # carries the article: اللقاء refers back to a meeting already told
    verb: bool = False  # matched as a verb (a finite act), not as a noun another verb may govern


@dataclass
class _Mention:
    text: str
    type: str
    trigger: _Trigger
    sentence: tuple[int, int]
    actors: list[dict] = field(default_factory=list)
    location: Entity | None = None
    event_date: date | None = None
    date_text: str | None = None
    date_precision: str = "published"
    figures: dict[str, int | None] = field(default_factory=dict)
    fatalities_min: int | None = None
    confidence: float = 0.5
    inherited_place: bool = False
    evaluative: bool = False  # an accusation told by condemning words, not by an accusing verb


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    out = []
    start = 0
    for m in re.finditer(r"[.!?؟\n]+", text):
        if m.end() - start > 1:
            out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


_WORD_RUN = re.compile(r"\w+")


def _words(text: str, a: int, b: int) -> list[tuple[str, int, int]]:
    return [(m.group(), *m.span()) for m in _WORD_RUN.finditer(text, a, b)]


def _kind(e: Entity) -> str:
    if e.type == "ORG" and e.code and e.code.lstrip("~")[-3:] in _GROUP_CODES:
        return "GROUP"
    if e.type == "ORG" and re.search(
        r"(?:داعش|القاعده|تنظيم|كتيب|مسلح|ميليشي|مليشي|حركه|جبهه|سرايا|لواء|الحشد|الحوثي)", fold(e.text)
    ):
        return "GROUP"
    return e.type if e.type in ("PER", "ORG") else "GPE"


def _actor(e: Entity, role: str) -> dict:
    return {"role": role, "text": e.text, "canonical": e.canonical, "kind": _kind(e)}


def _first_pairs(pattern: str, k: int = 2) -> set[str] | None:
    """The two-letter beginnings a stem pattern can match (None when it can begin with anything):
    lets find_triggers try the big regex only at words that could start a trigger."""
    import re._parser as sre_parse  # the stdlib's own regex parser: exact, no second grammar
    from re._constants import ASSERT, ASSERT_NOT, BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN

    def seq(items, k: int) -> set[str] | None:
        outs = {""}
        for op, av in items:
            if op in (ASSERT, ASSERT_NOT):
                continue
            if op == LITERAL:
                alts: set[str] | None = {chr(av)}
            elif op == IN:
                chars = [chr(v) for o, v in av if o == LITERAL]
                alts = set(chars) if len(chars) == len(av) else None
            elif op == SUBPATTERN:
                alts = seq(av[-1], k)
            elif op == BRANCH:
                alts = set()
                for branch in av[1]:
                    sub = seq(branch, k)
                    if sub is None:
                        return None
                    alts |= sub
            elif op in (MAX_REPEAT, MIN_REPEAT):
                lo, _, sub_items = av
                sub = seq(sub_items, k)
                if sub is None:
                    if lo == 0:
                        # may be absent or anything: every prefix so far is complete as it stands
                        return {o for o in outs} if all(len(o) >= k for o in outs) else None
                    return None
                alts = sub | ({""} if lo == 0 else set())
            else:
                return None if any(len(o) < k for o in outs) else outs
            if alts is None:
                return None if any(len(o) < k for o in outs) else outs
            outs = {(o + a)[:k] if len(o) < k else o for o in outs for a in alts}
            if all(len(o) >= k for o in outs):
                return outs
        return outs

    return seq(sre_parse.parse(pattern), k)


def _trigger_keys() -> tuple[dict[str, list[int]], bool]:
    by_key: dict[str, list[int]] = {}
    for i, (_, _, st) in enumerate(_BRANCHES):
        got = _first_pairs(st)
        if got is None or any(len(k) < 2 for k in got):
            return {}, False
        for k in got:
            by_key.setdefault(k, []).append(i)
    return by_key, True


_KEYS, _KEYS_OK = _trigger_keys()
_WORD_START = re.compile(r"(?<!\w)\w{2,}")
_PREFIXES = (
    "",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
    "ال",
    "وال",
    "فال",
    "بال",
    "كال",
    "لل",
    "وب",
    "ول",
    "وك",
    "فب",
    "فل",
    "فك",
    "وبال",
    "وكال",
    "فبال",
    "فكال",
    "ولل",
    "فلل",
    "وفال",
)
_KEY_REGEX: dict[frozenset[int], re.Pattern[str]] = {}


def _regex_for(idx: frozenset[int]) -> re.Pattern[str]:
    rx = _KEY_REGEX.get(idx)
    if rx is None:
        parts = [rf"{_BRANCHES[i][1]}(?P<g{i}>{_BRANCHES[i][2]})(?!\w)" for i in sorted(idx)]
        rx = _KEY_REGEX[idx] = re.compile("(?:" + "|".join(parts) + ")")
    return rx


_PREFIX_SET = frozenset(_PREFIXES)
_PREFIX_MAX = max(map(len, _PREFIXES))


@lru_cache(maxsize=20_000)
def _branches_for(word: str) -> frozenset[int]:
    idx: set[int] = set()
    for n in range(min(_PREFIX_MAX, len(word)) + 1):  # each proclitic stack is a beginning of the word
        if word[:n] in _PREFIX_SET:
            got = _KEYS.get(word[n : n + 2])
            if got:
                idx.update(got)
    return frozenset(idx)


def _cand_keys() -> list[str]:
    """Three-letter beginnings (after proclitics) of every trigger stem; a shorter one where a stem
    can end sooner (حث). Falls back to the two-letter keys if some stem cannot be bounded."""
    keys: set[str] = set()
    for _, _, st in _BRANCHES:
        got = _first_pairs(st, 3)
        if got is None:
            return sorted(_KEYS)
        keys |= got
    return sorted(keys)


# Word starts whose first letters (after any proclitic) can begin some branch, found by the regex
# engine rather than word by word in Python.
def _trie_regex(strings: set[str]) -> str:
    """One regex matching any of `strings`, written as a trie (re tries alternatives one by one, so
    shared beginnings factored out make it many times faster than a flat alternation)."""
    trie: dict = {}
    for st in strings:
        node = trie
        for ch in st:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


_CAND_WORD = re.compile(
    r"(?<!\w)(?=" + _trie_regex({p + k for p in _PREFIXES for k in _cand_keys()}) + r")\w{2,}"
)
# Trigger patterns tell what follows a word only by a literal space or \w: then one partial match
# of "word + space" decides whether a match can start at the word (see _viable).
_SPACE_ONLY = not any(
    tok in st for _, _, st in _BRANCHES for tok in ("\\s", "\\S", "\\W", "[^", ".", "\\b", "\\B", "$")
)


_WORDCHAR = re.compile(r"\w")
# One compiled pattern per branch, made on first use: trying a word's few branches in _BRANCHES
# order is what the one big alternation does, without compiling a regex per combination.
_BRANCH_RX: list[re.Pattern[str] | None] = [None] * len(_BRANCHES)
_BRANCH_PARTIAL: list[regex.Pattern[str] | None] = [None] * len(_BRANCHES)
# branches whose match can reach past the word (a space or a lookahead in the stem)
_MULTI_WORD = [" " in st or "(?=" in st or not _SPACE_ONLY for _, _, st in _BRANCHES]


def _branch_source(i: int) -> str:
    return rf"{_BRANCHES[i][1]}(?P<g{i}>{_BRANCHES[i][2]})(?!\w)"


def _branch_rx(i: int) -> re.Pattern[str]:
    rx = _BRANCH_RX[i]
    if rx is None:
        rx = _BRANCH_RX[i] = re.compile(_branch_source(i))
    return rx


@lru_cache(maxsize=512)
def _ordered(idx: frozenset[int]) -> tuple[int, ...]:
    return tuple(sorted(idx))


@lru_cache(maxsize=20_000)
def _viable(word: str) -> bool:
    """Whether a trigger can start at this word: the branch patterns its first letters allow run on
    the word followed by a space (and, were any pattern to tell them apart, by another non-word
    character), where `regex`'s partial matching accepts whatever could still grow into a match
    (a multi-word trigger, a lookahead). This never rejects a word that starts a real match; it
    rejects about 98% of the words whose first letters fit."""
    probe = word + " "
    for i in _branches_for(word):
        if not _MULTI_WORD[i]:
            # a stem within one word: a partial match is a full one, which the stdlib finds faster
            if _branch_rx(i).match(probe) is not None:
                return True
            continue
        rx = _BRANCH_PARTIAL[i]
        if rx is None:
            rx = _BRANCH_PARTIAL[i] = regex.compile(_branch_source(i))
        if rx.match(probe, partial=True) is not None:
            return True
        if not _SPACE_ONLY and rx.match(word + "\x00", partial=True) is not None:
            return True
    return False


def _candidate_matches(folded: str):
    """Matches of the trigger branches at word starts. Each distinct word is judged once
    (`_viable`); only the places where a viable word stands whole are tried, branch by branch."""
    starts = []
    for w in set(_CAND_WORD.findall(folded)):
        if not _viable(w):
            continue
        i = folded.find(w)
        while i >= 0:
            j = i + len(w)
            if (i == 0 or not _WORDCHAR.match(folded, i - 1)) and (
                j == len(folded) or not _WORDCHAR.match(folded, j)
            ):
                starts.append((i, w))
            i = folded.find(w, i + 1)
    starts.sort()
    for i, w in starts:
        for b in _ordered(_branches_for(w)):
            hit = _branch_rx(b).match(folded, i)
            if hit:
                yield hit
                break


def find_triggers(text: str) -> tuple[list[_Trigger], str, list[int]]:
    folded, origin = fold_with_offsets(text)
    origin_end = origin + [len(text)]
    out = []
    if _KEYS_OK:
        matches = _candidate_matches(folded)
    else:  # a stem the key analysis cannot bound: scan everything
        matches = _REGEX.finditer(folded)
    for m in matches:
        g = m.lastgroup
        if g is None:
            continue
        typ = _GROUP_TYPE[g]
        fs, fe = m.start(g), m.end(g)
        start = origin[fs]
        end = origin_end[fe - 1] + 1 if fe > 0 else start
        prefix = folded[m.start() : fs]
        trig = _Trigger(
            typ,
            start,
            end,
            folded[fs:fe],
            fs,
            fe,
            prefix.endswith(("ال", "لل")),
            _BRANCHES[int(g[1:])][1] == _V,
        )
        out.append(trig)
        if typ == "remote.airstrike" and "مدفعي" in trig.folded:  # قصف مدفعي وجوي: both at once
            out.append(_Trigger("remote.shelling", start, end, trig.folded, fs, fe, trig.definite))
    out.sort(key=lambda t: (t.start, -t.end))
    return out, folded, origin


@dataclass
class Prepared:
    """What extraction needs from the body before entities are known: triggers, the folded text,
    and the sentences holding a trigger that survives every check that needs no entity."""

    text: str
    triggers: list[_Trigger]
    folded: str
    fold_at: _FoldIndex | None
    bounds: list[tuple[int, int]]
    # (start, end, all triggers in it, words, folded words, kept (trigger, type, word index))
    sentences: list[tuple[int, int, list[_Trigger], list, list[str], list[tuple[_Trigger, str, int]]]]


# Words without which none of the _not_news checks can fire, as one trie (a substring hit only
# sends the trigger to the exact checks): one fast search instead of eight.
_NEWS_CUES = re.compile(
    _trie_regex(
        {
            *("مرار", "تكرار", "دايما", "عاده ما", "كثيرا ما", "غالبا ما", "منذ"),
            *("لمساعده", "لمسانده", "لدعم", "لنصره", "لميازره", "لتعزيز", "الذين", "اللذين", "اللتين"),
            *("مع", "وسط", "ظل", "استمرار", "تواصل", "اطار", "متوقع", "يتوقع", "تتوقع", "منتظر"),
            *("مرجح", "يرجح", "محتمل", "يحتمل", "مرتقب", "وشيك", "جراء", "بسبب", "نتيجه", "بفعل"),
            *("مرات", "اعتاد", "يعتاد", "تعتاد", "ماضيه", "اخيره", "فايته", "التالي", "تلاه", "تلته"),
        }
    )
)
_DAY_WORD = re.compile(r"(?:امس|اليوم|الليله|السبت|الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه)(?!\w)")


def _recent_day(words: list, pub: date | None) -> bool:
    """Whether a sentence dates something to a day within the last week ("وكان ... اتفقتا، الاثنين")."""
    if pub is None:
        return False
    for d in dates_mod.find_dates([w for w, _, _ in words], pub):
        if d.precision == "day" and d.day is not None and 0 <= (pub - d.day).days <= 7:
            return True
    return False


def prepare(text: str, pub: date | None = None) -> Prepared:
    """`pub` (the publication day) lets a background-looking sentence ("وكان ...") that dates its
    event to the last few days count as news."""
    triggers, folded, origin = find_triggers(text)
    bounds = _sentence_bounds(text)
    if not triggers:
        return Prepared(text, triggers, folded, None, bounds, [])
    fold_at = _FoldIndex(origin, len(text), text)
    out = []
    k = 0
    for s_start, s_end in bounds:
        while k < len(triggers) and triggers[k].start < s_start:
            k += 1
        trig = []
        j = k
        while j < len(triggers) and triggers[j].start < s_end:
            trig.append(triggers[j])
            j += 1
        if not trig:
            continue
        f_sent = folded[fold_at(s_start) : fold_at(s_end)]
        words = None
        if _BACKGROUND.search(f_sent):
            # the pluperfect (وكان ... قد) tells background, unless it dates the event to this week
            if pub is None or not _DAY_WORD.search(f_sent):
                continue
            words = _words(text, s_start, s_end)
            if not _recent_day(words, pub):
                continue
        context_from = _context_start(f_sent, fold_at(s_start))
        kept = []
        for t in _resolve_overlaps(trig):
            typ = _disambiguate(t, folded, fold_at, f_sent)
            if typ is None:
                continue
            if words is None:  # split into words only once some trigger survives
                words = _words(text, s_start, s_end)
            w_idx = next((i for i, (_, a, b) in enumerate(words) if a <= t.start < b), 0)
            before = fold_word(words[w_idx - 1][0]) if w_idx > 0 else ""
            if (
                before in _GENERIC_BEFORE
                and typ != "riot"
                and not (typ == "strategic.arrest" and before in _CAMPAIGN)
            ):
                continue
            if context_from is not None and (t.fstart >= context_from or w_idx <= 2):
                continue  # "وتأتي زيارة جونسون في وقت هدد ترامب ...": a restatement and its setting
            cue_from = max(0, min(fold_at(s_start), t.fstart - 60))
            if _NEWS_CUES.search(folded, cue_from, min(len(folded), t.fend + 40)) and _not_news(
                t, typ, folded, fold_at, s_start
            ):
                continue
            if _PAST_ADJ.match(folded, t.fend) and not t.folded.startswith(("سيطر", "حرر", "تحرير")):
                continue
            # (within the sentence: "تحسبا لأي هجوم. ورحبت إسرائيل ..." does not reach the welcome)
            if _HYPOTHETICAL.search(
                folded, max(fold_at(s_start), t.fstart - 45), t.fstart
            ) or _PAST_MARK.search(folded, t.fend, t.fend + 30):
                continue
            if _ago(folded, t.fend):
                continue
            kept.append((t, typ, w_idx))
        if kept:
            out.append((s_start, s_end, trig, words, [fold_word(w) for w, _, _ in words], kept))
    return Prepared(text, triggers, folded, fold_at, bounds, out)


def _not_news(t: _Trigger, typ: str, folded: str, fold_at, s_start: int) -> bool:
    """Checks for a trigger that is there but tells no news of the day: habit, a campaign's start,
    a purpose, a description, a backdrop, a forecast, a cause already known."""
    hab = _HABITUAL.search(folded, max(0, t.fstart - 40), min(len(folded), t.fend + 30))
    if hab and not re.search(r"(?:اول|الاولي)\s+$", folded[max(0, hab.start() - 8) : hab.start()]):
        return True  # ("للمرة الأولى منذ عام" is news that breaks a habit)
    if not typ.startswith("diplomacy") and _TO_HELP.search(folded, max(0, t.fstart - 60), t.fstart):
        return True  # "لمساعدة الوحدات على التصدي لهجوم ...": the purpose of a move, told elsewhere
    if not typ.startswith("diplomacy") and _SINCE.search(
        folded, max(fold_at(s_start), folded.rfind("؛", 0, t.fstart) + 1), t.fstart
    ):
        return True  # "منذ أن بدأت القوات حملة ...": the start of a long campaign, not today's news
    if typ.startswith("diplomacy") and _REL_BEFORE.search(folded, max(0, t.fstart - 12), t.fstart):
        return True  # "المصريين الذين طالبوا ...": describes who someone is, does not report
    if _WEAK_TERRITORY.match(t.folded) and _CIRCUMSTANCE.search(folded, max(0, t.fstart - 16), t.fstart):
        return True  # "بالتزامن مع تقدم الجيش": the advance as a backdrop
    if not typ.startswith("diplomacy") and _EXPECT_BEFORE.search(folded, max(0, t.fstart - 40), t.fstart):
        return True  # "من المتوقع أن تتصاعد الاحتجاجات": a forecast
    if (
        t.definite
        and typ.startswith(("battle", "remote"))
        and _CAUSE_BEFORE.search(folded, max(0, t.fstart - 12), t.fstart)
    ):
        return True  # "نزوح آلاف جراء الاشتباكات": the fighting as a cause already known
    if not typ.startswith("diplomacy") and _EXPECTED.match(folded, t.fend):
        return True  # "هجوم الحكومة المتوقع على إدلب": expected, not happened nor announced
    return False


def tagging_spans(prep: Prepared) -> list[tuple[int, int]]:
    """The sentences worth the CRF: the lead (first sentence) and every sentence where an event
    mention may come out (a trigger that passed the checks needing no entities)."""
    return prep.bounds[:1] + [(a, b) for a, b, *_ in prep.sentences]


def extract_mentions(
    text: str, ents: list[Entity], article: dict, pub: date | None, prep: Prepared | None = None
) -> list[dict]:
    """Event mentions in `text` (the article body), with offsets into `text`. `prep` is
    prepare(text) when the caller already has it."""
    if not text:
        return []
    if prep is None or prep.text is not text:
        prep = prepare(text, pub)
    if not prep.sentences:
        return []
    folded, fold_at, bounds = prep.folded, prep.fold_at, prep.bounds
    assert fold_at is not None  # set whenever a sentence holds a trigger
    lead_memo: list = []

    def lead_date():  # the lead's date, read once some mention needs it
        if not lead_memo:
            lead_memo.append(_lead_date(text, bounds, pub))
        return lead_memo[0]

    dl = _DATELINE.match(text)
    if dl:  # "دبي، الإمارات (CNN)—" says where the story was filed, not where things happened
        ents = [e for e in ents if e.start >= dl.end()]
    mentions: list[_Mention] = []
    ents = sorted(ents, key=lambda e: e.start)
    ent_starts = [e.start for e in ents]
    for s_start, s_end, trig, words, fwords, kept in prep.sentences:
        s_ents = ents[bisect_left(ent_starts, s_start) : bisect_left(ent_starts, s_end)]
        s_dates: list = []  # read when a mention of the sentence gets that far

        def sentence_dates(words=words, s_dates=s_dates) -> list:
            if not s_dates:
                s_dates.append(dates_mod.find_dates([w for w, _, _ in words], pub))
            return s_dates[0]

        s_counts: list[list[Count]] = []  # read on first need: most mentions name no count word

        def sentence_counts(words=words, s_counts=s_counts) -> list[Count]:
            if not s_counts:
                s_counts.append(counts([w for w, _, _ in words]))
            return s_counts[0]

        speech = _reported(text, folded, fold_at, s_start, s_end, s_ents)
        seen_types: set[str] = set()
        names = [e for e in s_ents if e.type == "PER"]
        for t, typ, w_idx in kept:
            if typ in seen_types:
                continue
            if any(e.start < t.start < e.end for e in names):
                continue  # "الشيخ فهد طالب الشرفي": a word of a person's name, not a verb
            ment = _Mention(text, typ, t, (s_start, s_end))
            _fill_actors(ment, s_ents, speech, s_start)
            if typ == "diplomacy.accuse" and _EVALUATIVE.fullmatch(re.sub(r"^[وف]?(?:ال)?", "", t.folded)):
                # condemning words accuse on behalf of whoever says them
                ment.evaluative = True
                said = [e for e in (speech["speaker"] if speech else []) if e.type in _ACTOR_TYPES]
                if said:
                    who = next((e for e in said if e.type == "PER"), said[0])
                    rest = [a for a in ment.actors if a["canonical"] != who.canonical][:1]
                    ment.actors = [_actor(who, "actor1")] + [dict(a, role="actor2") for a in rest]
                else:  # the names inside the quoted words are whom they condemn, not who speaks
                    ment.actors = [dict(a, role="actor2") for a in ment.actors[:1]]
            if typ.startswith("diplomacy") and not ment.actors and not _actor_phrase(fwords, w_idx):
                continue  # nobody named or titled acts: a generic statement
            place_ents = s_ents
            if speech and speech["fold_at"](t.start) >= speech["clause_start"]:
                sa, sb = speech["speaker_span"]
                # "وأضاف فرات خليل أن ...": a name the tagger took for a place, in the speaker's slot
                place_ents = [e for e in s_ents if e.place is not None or not sa <= fold_at(e.start) < sb]
            ment.location = _nearest_place(place_ents, t, folded, fold_at, typ)
            if typ.startswith(_FORCE_TYPES) and (ment.location is None or _is_country(ment.location)):
                # "غارة استهدفت مناطق في ريف درعا الشرقي": a town the tagger missed, after a place
                # word, beats the country (or nothing); it must lie in that country
                cut = _NEW_CLAUSE.search(folded, t.fend, fold_at(s_end))
                stop = s_end if cut is None else fold_at.first_reaching(cut.start(), t.end, s_end + 1)
                town = _untagged_town(text, folded, fold_at, s_start, stop, ment.location)
                if town is not None:
                    ment.location = town
            if ment.location is None and _speaks_of_town(folded, fold_at(s_start), fold_at(s_end)):
                town = _town_before(ents, s_start, folded, fold_at)
                if town is not None:
                    ment.location = town
                    ment.inherited_place = True
            if (
                ment.location is None
                and not typ.startswith(("diplomacy", "battle.territory"))
                and typ != "strategic.agreement"
            ):
                # the place often sits one sentence earlier (..., في الحديدة. واعتقلت ...); a place
                # further back is not inherited across a sentence that names another one
                k = bisect_left(bounds, (s_start, s_end))
                prev_start = bounds[k - 1][0] if 0 < k < len(bounds) and bounds[k][0] == s_start else 0
                if not any(e.type in ("LOC", "GPE") and prev_start <= e.start < s_start for e in ents):
                    prev_start = 0
                prev = [
                    e
                    for e in ents
                    if e.end <= s_start
                    and s_start - e.end <= 250
                    and e.start >= prev_start
                    and e.type in ("LOC", "GPE")
                    and e.place is not None
                    and not _seat_or_actor(e, folded, fold_at)
                    and (
                        e.place.kind != "city"
                        or _LOCATIVE_BEFORE.search(folded, max(0, fold_at(e.start) - 12), fold_at(e.start))
                    )
                    and not (
                        e.place.kind == "country"
                        and not re.search(
                            r"(?:(?:^|\s)(?:في|داخل)\s+|(?:^|\s)[وف]?ب)$",
                            folded[max(0, fold_at(e.start) - 8) : fold_at(e.start)],
                        )
                    )  # a country named as an actor (توسطت فيه روسيا) is not where the next thing happened
                ]
                if prev:
                    ment.location = prev[-1]
                    ment.inherited_place = True
            if typ == "battle.territory" and ment.location is None:
                continue
            planned = _is_planned(fwords, w_idx, t, typ)
            if typ.startswith(_FORCE_TYPES) and _vowed(fwords, w_idx):
                continue  # "ستستمر في القتال"، "سيواصلون المعارك": a vow to go on fighting
            if planned and typ.startswith(_FORCE_TYPES):
                continue  # "ستستمر في القتال"، "سوف تقدم إفادتها": force yet to be used is no event
            others = [
                i for i, (_, a, b) in enumerate(words) if any(a <= o.start < b for o in trig if o is not t)
            ]
            _fill_date(ment, text, words, sentence_dates(), w_idx, planned, pub, lead_date, others)
            if (
                pub
                and ment.event_date
                and ment.date_precision != "planned"
                and (
                    (pub - ment.event_date).days > 30
                    or (
                        ment.date_precision == "month"
                        and (ment.event_date.year, ment.event_date.month) < (pub.year, pub.month)
                    )
                    or (ment.date_precision == "year" and ment.event_date.year < pub.year)
                )
            ):
                continue  # background history, not news of the day
            _fill_counts(ment, sentence_counts, fwords, w_idx)
            if (
                t.definite
                and not typ.startswith("diplomacy")
                and (ment.location is None or ment.inherited_place)
                and (not ment.date_text or not any(ment.figures.values()))
            ):
                continue  # "القصف ليس استراتيجية": a definite noun with nothing of an event around it
            ment.confidence = _confidence(ment, speech is not None)
            seen_types.add(typ)
            mentions.append(ment)
    _share_places(mentions)
    _protest_clashes(mentions, folded, fold_at)
    mentions += _protesters_shot(mentions, folded, fold_at, bounds)
    containers = _containers(ents, folded, fold_at)
    _anaphor_containers(ents, bounds, folded, fold_at, containers)
    _place_on_map(mentions, ents, containers)
    _fight_at_ground_taken(mentions)
    mentions = _drop_subsumed(mentions, folded)
    _places_in_context(mentions, ents, folded)
    mentions = _merge(mentions, containers)
    fallback = None
    if any(m.location is None or m.location.place is None for m in mentions):
        title = article.get("title") if isinstance(article, dict) else None
        fallback = _dominant_country(folded, ents, title if isinstance(title, str) else None)
    return [_to_record(m, text, article, fallback, folded) for m in mentions]


class _FoldIndex:
    """Original offset → folded offset (first folded character at or after it)."""

    def __init__(self, origin: list[int], n: int, text: str | None = None) -> None:
        if len(origin) == n and (n == 0 or origin[-1] == n - 1):  # one folded char per original
            self.table = list(range(n + 1))
            return
        if text is not None:
            self.table = fold_index(text)
            return
        # folded characters each original one became; their running sum is where each one starts
        per = Counter(origin)
        self.table = [0, *accumulate(map(per.get, range(n), repeat(0)))]

    def __call__(self, i: int) -> int:
        return self.table[min(i, len(self.table) - 1)]

    def first_reaching(self, folded_at: int, lo: int, hi: int) -> int:
        """The first original offset in [lo, hi) whose folded offset is at least `folded_at` (hi
        when none is): the way back from folded text, the table being non-decreasing."""
        return bisect_left(self.table, folded_at, lo, min(hi, len(self.table)))


def _lead_date(text: str, bounds: list[tuple[int, int]], pub: date | None) -> dates_mod.DateMention | None:
    """The first sentence's date (the dateline of the lead), the fallback for later sentences."""
    if not bounds or not pub:
        return None
    a, b = bounds[0]
    ds = dates_mod.find_dates([w for w, _, _ in _words(text, a, b)], pub)
    ds = [d for d in ds if d.precision == "day" and not d.future]
    return ds[0] if ds else None


def _resolve_overlaps(trig: list[_Trigger]) -> list[_Trigger]:
    """Where triggers overlap keep the longest (قصف مدفعي وجوي over قصف), ties to both types."""
    out: list[_Trigger] = []
    for t in sorted(trig, key=lambda t: (t.start, -(t.end - t.start))):
        if any(
            o.start <= t.start < o.end
            and (t.end - t.start) < (o.end - o.start)
            and o.type != t.type
            and not {o.type, t.type} <= {"remote.airstrike", "remote.shelling"}
            for o in out
        ):
            continue
        out.append(t)
    return out


_SPORT = re.compile(
    r"(?<!\w)[وفبلك]?(?:ال|لل)?(?:(مباراه|مباراتي?ن?|مباريات|شوط|الشوطين|دوري|منتخب\w*|ملعب|ركله|ركلات|هداف\w*|"
    r"مونديال|مدرب\w*|استاد|كروي\w*)|مرمي|دقيقه|دقايق|هدف\w{0,2}|هدفين|اهداف\w{0,2}|بطوله|كاس|تاهل|تاهله|"
    r"لاعب\w*|نادي|اندي\w*|فوز|فوزه|تعادل|الفريقين|بطولات|ذهابا|ايابا|الملحق)(?!\w)"
)
_VERB_FJR = re.compile(r"^[وف]?(?:فجر|فجرت|يفجر|تفجر)")  # (matched on the trigger: فجر starts with ف)
_IDIOM_FJR = re.compile(
    r"(?:\W+\w+){0,3}?\W+(?:ال)?(?:مفاجا\w*|ازمه|ازمات|جدل\w*|غضب\w*|خلاف\w*|فضيح\w*|ثوره|طاقات\w*|قضيه|"
    r"موجه|مشاعر|ضحك\w*)(?!\w)"
)
_COMMERCIAL = re.compile(
    r"(?<!\w)[وفبل]?(?:ال)?(?:تجاري\w*|اقتصادي\w*|استثمار\w*|بقيمه|مليار|مليون|دولار|يورو|لشراء|شراء|لبيع|توريد|"
    r"تصدير|استيراد|رعايه|بث|انتقال\w*|عقد|التجاره|للتجاره|الجمركي\w*|جمركي\w*|اسلح\w*|سلاح|ذخاير)(?!\w)"
)
_CABINET = re.compile(r"\s+(?:ل|لل)?(?:مجلس الوزراء|الحكومه|حكومته|حكومتها)(?! العرب)(?!\w)")
# what a meeting's or talks' next words name when they are business: a purchase, or company heads
_BUSINESS_TALKS = re.compile(
    r"(?<!\w)[وفبل]?(?:لشراء|لبيع|للاستحواذ|الاستحواذ|استحواذ|(?:ال)?(?:رييس|ريساء|روساء) (?:ال)?تنفيذي\w*|"
    r"(?:ال)?مدير (?:ال)?تنفيذي|(?:ال)?مديرين (?:ال)?تنفيذيين|رجال (?:ال)?اعمال|(?:ال)?مستثمرين|"
    r"(?:ال)?مليارديرات?)(?!\w)"
)
_CALM_BEFORE = re.compile(r"(?<!\w)(?:هدوء|الهدوء|ترقب|الترقب|تفاول|التفاول|ترقبا|بشكل|حاله|صمت|الصمت)\s+$")
_SHELL_VERB = re.compile(r"^(?:قصف|قصفت|يقصف|تقصف)\w+")
_ARSENAL_BEFORE = re.compile(
    r"(?<!\w)[وفبل]?(?:ال)?(?:تملك|يملك|تمتلك|يمتلك|امتلاك|منظوم\w*|انظمه|نظام|ترسان\w*|مخزون|مخازن|شحن\w*|تهريب|"
    r"صفق\w*|تزويد|بيع|شراء|تصنيع|انتاج|تطوير|برنامج|اختبار|تجرب\w*)(?!\w)"
)
_ANTI_AIR = re.compile(r"\s+(?:ال)?مضاد\w*")
_SUBMIT = re.compile(
    r"(?:\W+\w+){0,4}?\W+(?:ب|بال)(?:طلب|طعن|شكو|دعو|اقتراح|مقترح|مشروع|استقال|عرض|بلاغ|شكر|تعاز|تهني|اعتذار|"
    r"استيناف|التماس|مذكر|رسال|سوال|استجواب|ترشيح|ترشح)\w*"
)
_REL_STANCE = re.compile(r"(?<!\w)(?:التي|الذي|اللتين|اللذين)\s+$")
_SEIZED_THING = re.compile(
    r"(?:\W+\w+){0,4}?\W+علي\s+(?:\w+\s+)?(?:ال)?(?:طاير\w*|سفين\w*|شحن\w*|ناقل\w*|قارب\w*|زورق\w*|سيار\w*|مركب\w*|اسلح\w*|"
    r"ذخاير|كميات|كميه|صواريخ|مخزن|مخازن|حريق|النيران|الحريق|الوضع|الموقف|الاوضاع)(?!\w)"
)
_STRIKE_CTX = re.compile(
    r"(?<!\w)[وفبل]?(?:ال)?(?:استهدف\w*|قصف\w*|غار\w*|ضرب\w*|هجوم\w*|هجمات|قتل\w*|مقتل|اصاب\w*|شن\w*|القت|"
    r"صاروخ\w*|اطلقت|نفذت|نفذ)(?!\w)"
)
# the one criticised is the subject: criticism received, answered, raised or ignored
_RECEIVED_BEFORE = re.compile(
    r"(?<!\w)[وف]?(?:تعرض\w*|يتعرض\w*|واجه\w*|يواجه\w*|تواجه\w*|رد|ردت|ردا|رده|ردها|يرد|ترد|اثار\w*|يثير|تثير|"
    r"موجه|حمله|سيل|رغم|امام|وسط|تجاهل\w*|عرضه|عرضت|عرضها|لاقي|لاقت|يلقي|تلقي|تلقت)"
    r"(?:\s+\w+){0,3}?\s+[وبل]?(?:ال|لل)?$"
)
# people in general as the doer right before the verb (an indefinite subject or relative antecedent)
_PRIVATE_DOERS = re.compile(
    r"(?<!\w)[وف]?(?:مواطن\w*|اشخاص|مغرد\w*|رواد|متابع\w*|مستخدم\w*|معجب\w*|متابعين|ناس|الناس|"
    r"جمهور|الجمهور|زباين|ركاب|اهالي|عايلات|اسر)(?:\s+(?!ال)\w+)?\s+$"
)
_WARN_THAT = re.compile(r"(?:\W+\w+){0,8}?\W+من (ان|انه|انها|انهم)(?!\w)")
_OWN_RESOLVE = re.compile(r"\s+(?:قد\s+)?(?:س[يتن]\w+|لن|مستعد\w*|سوف)(?!\w)")
_TOP_OF_BEFORE = re.compile(
    r"(?<!\w)[وف]?(?:تحتل|يحتل|احتل\w*|تتربع|يتربع|تربع\w*|اعتلي|يعتلي|تعتلي|علي)\s+$"
)
_TOP_OF_AFTER = re.compile(
    r"\s+(?:ال)?(?:تصنيف|ترتيب|قايمه|قوايم|هرم|جدول|سعاده|فخر|تالق|نجاح|مجد|عطاء|اناقه|جبل)\w*(?!\w)"
)
_HOSTED = re.compile(
    r"(?:\W+\w+){0,4}?\W+(?:ال)?(?:سباق|بطول|مهرجان|معرض|زوار|سياح|مسافر|لاجي|نازح|شحن|طلب|حفل|مباريات|"
    r"دوره|مؤتمر|ميامر)\w*(?!\w)"
)
_WITH_MEDIA = re.compile(
    r"(?:\W+\w+){0,2}?\W+مع\s+(?:\w+\s+)?[\"«“]?(?:ال)?(?:برنامج|قناه|صحيفه|جريده|مجله|موقع|اذاعه|تلفزيون|"
    r"محطه|وكاله|وسايل الاعلام|الاعلام|الصحفيين|صحفيين|الصحافيين|العربيه|الاعلامي\w*|اعلامي\w*|"
    r"CNN|cnn|بي بي سي|رويترز|سكاي نيوز|فرانس)(?!\w)"
)
_SIGHTS = re.compile(
    r"\s+(?:ال)?(?:اماكن|معالم|متاحف|متحف|اسواق|معارض|معرض|شواطي|شاطي|منتجع\w*|مزارات|اثار)(?!\w)"
)
_PRESS = re.compile(r"\s+(?:ال)?(?:صحفي|صحافي|تلفزيوني|تليفزيوني|اعلامي|اذاعي|متلفز)\w*(?!\w)")
_NOT_PERSON = re.compile(
    r"\s+(?:ال)?(?:عمل|رحلات|انتاج|خدمه|خدمات|نشاط|بث|تشغيل|مشروع|برنامج|تمويل|دعم|صرف|حركه|الملاحه|ضخ)(?!\w)"
)
_JUDICIAL = re.compile(
    r"\W+(?:\w+\W+)?(?:ال)?(?:قضاء|نيابه|مدعي|محكمه|ادعاء|محلفين|المحلفين|قاضي|القاضي|شرطه|محققون|محققين)(?!\w)"
)
# a conviction: the accusing stem with its object and "ب" + the offence (not "أدان بشدة")
_CONVICTED = re.compile(r"^(?:ال)?(?:ادان|ادانت|يدين|تدين|ادانه)\w*")
_CONVICTED_OF = re.compile(r"\s*[\"«“']?\s*ب(?:\s*[\"«“']\s*)?(?!شده|قوه|اشد|حزم|عنف|شكل|صوره|كل|ال?شديد)\w")
_SENTENCE_BEFORE = re.compile(
    r"(?<!\w)[وفب]?(?:ال)?(?:حكم\w*|قضت|قضي|يقضي|تقضي|عقوب\w*|بالسجن|سجن\w*|يعاقب)(?:\s+\w+){0,3}\s+(?:ب|بال)?$"
)
_HELD_FOR = re.compile(
    r"\s+(?:\w+\s+)?(?:(?:لمده|طيله|طوال|قرابه|نحو|حوالي)\s+)?"
    r"(?:(?:\d+|عده|بضعه|ل?(?:ثلاث|اربع|خمس|ست|سبع|ثماني|تسع|عشر)ه?)\s+"
    r"(?:شهر\w*|اشهر|عام\w*|اعوام|سنه|سنوات|سنين|اسابيع|اسبوعا|ايام|يوما)"
    # "الذي اعتقل عاما كاملا"، "احتجز شهرين": a length with no number
    r"|(?:عاما|سنه|شهرا) (?:كاملا|كامله|ونصف)|عامين|سنتين|شهرين|اسبوعين)(?!\w)"
)
_REQUEST_BEFORE = re.compile(
    r"(?<!\w)[وف]?(?:دعا|دعت|دعوا|يدعو|تدعو|طالب\w*|يطالب\w*|تطالب\w*|مطالب\w*|حث\w*|يحث\w*|"
    r"تحث|ناشد\w*|يناشد\w*|داعيا|مطالبا|حاثا)(?!\w)"
)


_SUBORDINATE = re.compile(r"(?<!\w)[وف]?(?:بعد|اثر|عقب|اثناء|خلال|منذ|حيث|بسبب|جراء|عندما|حين|لان|اذ)(?!\w)")


_TALKS = ("مفاوضات", "محادثات", "مباحثات", "مشاورات", "حوار")


def _requested(folded: str, at: int) -> bool:
    """A request verb governs the words before `at` within its clause ("دعا ... إلى/ب/ل ...")."""
    seg = folded[max(0, at - 160) : at]
    # an appositive between commas ("دعا الشيخ فلان، أحد مشايخ القبيلة، الأهالي للترحيب") stays in
    # the clause; a full stop or a new clause ("، فيما ..."، "، كما ...") ends it
    cut = max(seg.rfind("."), seg.rfind("؛"), seg.rfind("\n"))
    seg = seg[cut + 1 :]
    brks = list(_CLAUSE_BREAK.finditer(seg))
    if brks:
        seg = seg[brks[-1].end() :]
    ends = [m.end() for m in _REQUEST_BEFORE.finditer(seg)]
    if not ends:
        return False
    between = seg[ends[-1] :]
    if _REPORT.search(between) or _SUBORDINATE.search(between):
        # "طالبت لندن بتحقيق ... وأكدت تضامنها": a new verb, a statement of its own; "دعت إلى
        # الإفراج عن المعتقلين بعد اعتقال 20 ناشطا": the arrest is what the call answers, not asked
        return False
    return bool(re.search(r"(?:(?<!\w)(?:الي|علي)\s|(?<!\w)[بل]\w)", between + folded[at : at + 1]))


# (patterns used on every trigger are compiled once here rather than looked up in re's cache)
_CONJ = re.compile(r"^[وف]")
_CLITICS = re.compile(r"^[وفبلك]?(?:ال|لل)?")
_INQUIRY_BEFORE = re.compile(r"(?<!\w)تحقيق\w*(?: \w+)? في\s*[\"«“']?\s*$")
_NOT_ARMED_ATTACK = re.compile(r"\s+(?:ال)?(?:الكتروني|سيبراني|قرصن|اعلامي|تجاري|اقتصادي)\w*")
_PLACE_OF_DETENTION = re.compile(r"(?<!\w)(?:مركز|مراكز|معسكر|معسكرات|سجن|سجون|مرافق|منشاه|منشات)\s+(?:ال)?$")
_TOPIC_BEFORE = re.compile(r"(?<!\w)(?:حول|بشان|بخصوص|ازاء|حيال|تجاه)\s+(?:ال|لل)?$")
_NOT_ABDUCTED = re.compile(
    r"(?:\W+\w+){0,3}?\W+(?:ال)?(?:بطاقه|بطاقتي|فوز|الانظار|انظار|اضواء|الاضواء|لقب|اللقب|نقاط|النقاط|نقطه|هدف|"
    r"صداره|الصداره|قلوب|تاهل|التاهل|ميداليه|الميداليه)(?!\w)"
)
_OWN_FOLLOWERS = re.compile(
    r"(?:\W+\w+){0,6}?\W+(?:ال)?(?:انصار\w*|مييدي\w*|ناخبي\w*|الناخبين|ناخبين|جمهور\w*|قواعد\w*)(?!\w)"
)
_SAFETY_WARNING = re.compile(
    r"(?:\W+\w+){0,7}?\W+(?:(?:ال)?(?:سكان|مواطنين|رعايا|مسافرين|اهالي|زوار|سياح)\w*|"
    r"من (?:ال)?(?:اقتراب|سفر|توجه|"
    r"دخول|تواجد|خروج|السباحه|تناول|استخدام))(?!\w)"
)
_RIOT_CTX = re.compile(r"(?:شغب|حجار|رشق|احرق|حرق|اقتحم|اقتحام|زجاج\w* حارق|مولوتوف|تخريب)")
_GENERIC_FOE = re.compile(r"\s+(?:ال)?(?:تنظيم|داعش|ارهاب\w*|الارهاب\w*|متطرف\w*|المتطرف\w*|جماعات|الجماعات)")
_SHOOTING = re.compile(r"^(?:ال)?(?:اطلق|اطلاق|يطلق|تطلق|رصاص)")
_CIVILIAN_CTX = re.compile(
    r"(?<!\w)[وفبلك]?(?:ال|لل)?(?:مدني\w*|محتج\w*|متظاهر\w*|مصلي\w*|مصلين|طفل\w*|اطفال|صياد\w*|"
    r"مزارع\w*|فلسطيني\w*|شاب|شابا|فتي|فتاه|امراه|سيده|مسعف\w*|صحفي\w*|مواطن\w*|سكان|مستوطن\w*|"
    r"سياح|سايح\w*|ركاب|عمال|زوار|مشيعين|مصطافين)(?!\w)"
)
_NOT_PEOPLE = re.compile(r"(?:دولار|يورو|مليار|مليون|اموال|مساعد\w*|اصول|ارصده|شحن\w*|تمويل|صفق\w*)")
_CONTROL_BEFORE = re.compile(
    r"(?:^|\s)(?:تحت|مناطق|منطقه|احياء|حي|خاضع\w*|الخاضع\w*|نفوذ|ضمن|خارج|داخل|اماكن|مواقع|خطوط)\s*$"
)


_ACTOR_HEADS = frozenset(
    fold(w)
    for w in (
        "الرئيس",
        "رئيس",
        "رئيسا",
        "رئيسي",
        "وزيري",
        "وزيرا",
        "وزراء",
        "قادة",
        "زعماء",
        "وزير",
        "وزيرة",
        "الوزير",
        "الخارجية",
        "الحكومة",
        "حكومة",
        "وزارة",
        "الوزارة",
        "المتحدث",
        "المتحدثة",
        "الناطق",
        "السفير",
        "سفيرة",
        "المبعوث",
        "الأمين",
        "الملك",
        "الأمير",
        "المنظمة",
        "منظمة",
        "المكتب",
        "مكتب",
        "البيت",
        "البرلمان",
        "مجلس",
        "المجلس",
        "الجيش",
        "زعيم",
        "الزعيم",
        "قائد",
        "القائد",
        "المرشد",
        "النائب",
        "نائب",
        "السلطات",
        "الرئاسة",
        "الأمم",
        "الاتحاد",
    )
)


def _actor_phrase(fwords: list[str], w_idx: int) -> bool:
    """A titled or institutional doer near a trigger (انتقد الرئيس الإيراني، دعا المكتب) even when
    no name was found: a title or institution word, or a nisba adjective, within six words."""
    for w in fwords[max(0, w_idx - 6) : w_idx + 7]:
        core = w[1:] if w[:1] in "وفبل" and len(w) > 4 else w
        if w in _ACTOR_HEADS or core in _ACTOR_HEADS:
            return True
        # "الرئيس الإيراني" acts; "المصريين" (a people) do not
        if (w in _NISBA_FORMS or core in _NISBA_FORMS) and not (
            core.startswith("ال") and core.endswith(("ين", "ون"))
        ):  # ("مصرفيون قطريون" are doers: the nisba qualifies them)
            return True
    return False


def _is_control_state(t: _Trigger, folded: str, core: str) -> bool:
    """Control described, not taken: "إدلب التي تسيطر عليها المعارضة"، "مناطق سيطرة النظام"."""
    bare = core.removeprefix("ال")
    before = folded[max(0, t.fstart - 20) : t.fstart]
    after = folded[t.fend : t.fend + 60]
    if bare.startswith(("يسيطر", "تسيطر")) and (
        re.match(r"\s+(?:عليها|عليه|عليهما|عليهم)(?!\w)", after)
        or re.search(
            r"(?:^|\s)(?:التي|الذي|اللتين|الذين|اللذين)"
            r"(?:\s+(?:كانت|كان|لا تزال|لاتزال|ما زالت|مازالت|لا يزال))?\s*$",
            folded[max(0, t.fstart - 30) : t.fstart],
        )
    ):
        return True
    if bare == "سيطره":
        if _CONTROL_BEFORE.search(before):
            return True
        if not core.startswith("ال") and not re.search(r"(?<!\w)علي(?!\w)", " ".join(after.split()[:6])):
            return True  # "سيطرة الفصائل" with nobody taking anything
    return False


@lru_cache(maxsize=256)  # asked once per conflict trigger, answered once per sentence
def _sports_sentence(f_sent: str) -> bool:
    """A match report: "خطف العين بطاقة التأهل"، "تقدم العين عند الدقيقة 12" borrow the words of war."""
    score = 0
    for m in _SPORT.finditer(f_sent):  # a match, a league or a national team says it at once
        score += 2 if m.group(1) else 1
        if score >= 2:
            return True
    return False


# Show business: artists, their works and their audience. Their praise, criticism, calls and
# meetings ("انتقادات طالت مسلسله"، "شكر جمهوره"، "التقت الفنانة بمعجبيها") are no politics.
_SHOWBIZ = re.compile(
    r"(?<!\w)[وفبلك]?(?:ال|لل)?(?:(فنان|فنانه|فنانين|فنانون|فنانات|مطرب\w*|مغني|مغنيه|مغنين|نجم|نجمه|نجوم|نجمات|"
    r"مسلسل\w*|فيلم|افلام|فيلمه|فيلمها|مخرج|مخرجه|ملحن\w*)|"
    r"مهرجان\w*|حفل|حفله|حفلات|البوم\w*|اغنيه|اغنيات|اغاني|جمهور|جمهوره|جمهورها|معجب\w*|محبي\w*|"
    r"دراما|الدرامي\w*|سينما\w*|سينمايي\w*|مسرح\w*|تمثيل|الغناء|غناء|شاعر\w*|روايه|كاتبه)(?!\w)"
)


@lru_cache(maxsize=256)
def _showbiz_sentence(f_sent: str) -> bool:
    score = 0
    for m in _SHOWBIZ.finditer(f_sent):
        score += 2 if m.group(1) else 1
        if score >= 2:
            return True
    return False


def _disambiguate(t: _Trigger, folded: str, fold_at, f_sent: str) -> str | None:
    typ = _sense(t, folded, fold_at, f_sent)
    if typ is not None and _sports_sentence(f_sent):
        return None  # also "يلتقي المنتخب التونسي نظيره"، "أشاد بقائد منتخب بلاده": games, not politics
    if typ is not None and typ.startswith("diplomacy") and _showbiz_sentence(f_sent):
        return None
    return typ


def _sense(t: _Trigger, folded: str, fold_at, f_sent: str) -> str | None:
    """The trigger's type in its context, or None where the word tells no event here."""
    typ = t.type
    core = _CONJ.sub("", t.folded)
    window = folded[max(0, t.fstart - 40) : t.fend + 50]
    if typ == "remote.explosive" and _VERB_FJR.match(t.folded) and _IDIOM_FJR.match(folded, t.fend):
        return None  # "فجرت مفاجأة"، "فجر أزمة": a surprise or a row set off, no explosion
    if typ == "diplomacy.meeting" and _CABINET.match(folded, t.fend):
        return None  # "خلال اجتماع مجلس الوزراء الأحد": a government's own session, no meeting of parties
    if typ == "diplomacy.meeting" and _BUSINESS_TALKS.search(folded, t.fend, min(len(folded), t.fend + 120)):
        return None  # "المفاوضات لشراء الصحيفة"، "التقى ... بعدد من الرؤساء التنفيذيين": business
    if typ == "strategic.agreement" and _COMMERCIAL.search(folded, t.fend, min(len(folded), t.fend + 60)):
        return None  # contracts and trade deals are business, not a settlement between parties
    if (
        typ == "strategic.arrest"
        and core.startswith(("احتجز", "يحتجز"))
        and re.match(r"\W+(?:\w+\W+)?(?:ال)?(?:رهاين|رهينه|رهاينا)(?!\w)", folded[t.fend : t.fend + 30])
    ):
        return "violence.abduction"  # "احتجز مسلح رهائن": hostages taken, not an arrest
    if typ == "violence.abduction" and _NOT_ABDUCTED.match(folded, t.fend):
        return None  # "خطف بطاقة التأهل"، "يخطف الأضواء": things, not people, are taken
    if typ == "diplomacy.accuse" and _EVALUATIVE.fullmatch(core.removeprefix("ال")):
        start = max(folded.rfind(".", 0, t.fstart), folded.rfind("\n", 0, t.fstart)) + 1
        if not _SAID_THAT.search(folded, start, t.fstart) or _CAUSE_BEFORE.search(
            folded, max(0, t.fstart - 12), t.fstart
        ):
            return None  # "انتهاكات" in a narrator's sentence describe; a speaker's words accuse
    if (
        typ == "diplomacy.accuse"
        and core.startswith("اصابع")
        and re.search(r"(?:اشارت|تشير|اتجهت|تتجه|توجهت|تتوجه)\s+$", folded[max(0, t.fstart - 10) : t.fstart])
    ):
        return None  # "أشارت أصابع الاتهام إلى المالكي": suspicion in the air, no accuser
    if t.definite and _TOPIC_BEFORE.search(folded, max(0, t.fstart - 12), t.fstart):
        return None  # "تصاعد التوتر حول الهجوم"، "الخلاف بشأن الاتفاق": the topic, already known
    if (
        typ == "diplomacy.accuse"
        and core == "حذر"
        and _CALM_BEFORE.search(folded, max(0, t.fstart - 12), t.fstart)
    ):
        return None  # "هدوء حذر": cautious, an adjective
    if (
        typ == "remote.shelling"
        and not _SHELL_VERB.match(core)
        and (
            _ARSENAL_BEFORE.search(folded, max(0, t.fstart - 40), t.fstart) or _ANTI_AIR.match(folded, t.fend)
        )
    ):
        return None  # "تملك صواريخ ... وأنظمة مدفعية مضادة للطائرات": weapons owned, nothing fired
    if typ == "battle.territory" and core.startswith(("تقدم", "يتقدم")) and _SUBMIT.match(folded, t.fend):
        return None  # "تقدمت المحامية بطلب"، "تقدم بالشكر": submitted or offered, no advance
    if (
        typ.startswith("diplomacy")
        and _REL_STANCE.search(folded, max(0, t.fstart - 8), t.fstart)
        and core[:1] in "يت"
    ):
        return None  # "لندن التي تتهم موسكو": a standing position described, not a statement made
    if (
        typ.startswith("diplomacy")
        and t.verb
        and _PRIVATE_DOERS.search(folded, max(0, t.fstart - 30), t.fstart)
    ):
        return None  # "أثار سخط مواطنين طالبوا بالقبض عليها": private people, no political doer
    if typ == "diplomacy.request" and _OWN_FOLLOWERS.match(folded, t.fend):
        return None  # "حث أنصاره على التصويت": a campaign appeal, not a request to another party
    if (
        typ == "diplomacy.accuse"
        and re.match(r"^(?:حذر|يحذر|تحذر)", core)
        and _SAFETY_WARNING.match(folded, t.fend)
    ):
        return None  # "حذر وزير الداخلية السكان من الاقتراب": a safety warning, nobody accused
    if typ == "battle.territory":
        if re.match(r"^(?:حرر|تحرير|يحرر|تحرر)", core) and _CAPTIVES.search(window):
            return "strategic.release"
        if re.search(r"(?:^|[\sو])ل(?:ل)?$", folded[max(0, t.fstart - 3) : t.fstart]) and core.startswith(
            ("استعاده", "تحرير", "سيطره", "استرداد")
        ):
            return None  # "عملية لاستعادة الحديدة"، "الساعية لتحرير المدينة": the aim, not the taking
        if not _MILITARY.search(f_sent):
            return None
        if _WEAK_TERRITORY.match(t.folded) and not _MILITARY.search(window):
            return None
    if _CHARGE.search(folded, max(0, t.fstart - 30), t.fstart):
        return None
    if (
        typ == "remote.explosive"
        and t.folded.endswith("فجر")
        and re.match(
            r"\s+(?:اليوم|امس|غد|يوم|ال(?:سبت|احد|اثنين|ثلاثاء|اربعاء|خميس|جمعه))",
            folded[t.fend : t.fend + 12],
        )
    ):
        return None  # فجر اليوم is dawn, not "he blew up"
    if typ == "strategic.agreement" and not core.startswith("اتفاق"):
        head = re.search(r"(?<!\w)(?:ال)?اتفاق(?:يه)?\s+(?:ل|ال)?$", folded[max(0, t.fstart - 14) : t.fstart])
        if head:  # "تفرض اتفاق وقف إطلاق النار": the agreement's name; its head noun decides
            at = t.fstart - (len(folded[max(0, t.fstart - 14) : t.fstart]) - head.start())
            if not _AGREE_VERB.search(folded[max(0, at - 30) : at]):
                return None
    if typ == "strategic.agreement" and core.startswith("اتفاق"):
        before = folded[max(0, t.fstart - 30) : t.fstart]
        if not _AGREE_VERB.search(before) or _REQUEST_CTX.search(folded, max(0, t.fstart - 45), t.fstart):
            return None
    if typ in ("strategic.agreement", "strategic.release", "battle.territory") and not core.startswith(
        "اتفاق"
    ):
        if _REQUEST_CTX.search(
            folded, max(0, t.fstart - (60 if typ == "battle.territory" else 40)), t.fstart
        ):
            return None  # "دعا المكتب إلى هدنة"، "مطالب منها الإفراج عن": asked for, not done
    if (
        typ in ("strategic.arrest", "battle.territory")
        and not _FUTURE_VERB.match(t.folded)
        and re.search(r"(?:^|[\sو])لل?$", folded[max(0, t.fstart - 3) : t.fstart])
        and re.match(r"^(?:ال)?(?:ا|ت)", core)
    ):
        return None  # "الموجبة للتوقيف"، "لاستعادة الحديدة": the purpose, not the act
    if (
        typ == "strategic.agreement"
        and core.startswith("تسويه")
        and not _AGREE_VERB.search(folded, max(0, t.fstart - 30), t.fstart)
    ):
        return None
    if (
        typ == "remote.shelling"
        and _AIR_CTX.search(folded, max(0, t.fstart - 30), t.fend + 30)
        and not re.match(r"\s+(?:ال)?مدفعي", folded[t.fend : t.fend + 12])
        and "مدفعي" not in t.folded
    ):
        return "remote.airstrike"
    if typ == "battle.clash" and re.search(r"(?:محتج|متظاهر)", window):
        # confrontations with protesters: a riot only when the protesters are said to turn violent
        return "riot" if _RIOT_CTX.search(window) else "protest"
    if typ == "battle.clash" and core.removeprefix("ال") == "قتال" and _GENERIC_FOE.match(folded, t.fend):
        return None  # "حليف في قتال تنظيم داعش": the fight against a group in general
    if typ == "violence.civilians" and _SHOOTING.match(core):
        ctx = folded[max(0, t.fstart - 50) : t.fend + 80]
        if not _CIVILIAN_CTX.search(ctx) or "تبادل" in folded[max(0, t.fstart - 8) : t.fstart]:
            return None  # gunfire at fighters, or an exchange of fire, is not an attack on civilians
    if _INQUIRY_BEFORE.search(folded, max(0, t.fstart - 30), t.fstart):
        return None  # "تحقيق دولي في مجزرة غزة": the subject of an inquiry, not news of the day
    if (
        typ == "battle.territory"
        and core.startswith(("سيطر", "تسيطر", "يسيطر"))
        and _SEIZED_THING.match(folded, t.fend)
    ):
        return None  # "سيطرت القوات على طائرة بدون طيار": a thing seized, not ground taken
    if typ == "remote.airstrike" and ("طيار" in core or core.removeprefix("ال").startswith(("طاير", "مسير"))):
        if not _STRIKE_CTX.search(folded, max(0, t.fstart - 50), min(len(folded), t.fend + 50)):
            return None  # a drone named, shot down or seized, not a strike from it
    if typ == "diplomacy.meeting" and _PRESS.match(folded, t.fend):
        return None  # "لقاء صحفي"، "لقاء تلفزيوني": an interview, not a meeting
    if typ == "diplomacy.meeting" and _WITH_MEDIA.match(folded, t.fend):
        return None  # "في لقاء مع برنامج ..."، "في اتصال هاتفي مع العربية": an interview
    if typ == "diplomacy.meeting" and _OWN_FOLLOWERS.match(folded, t.fend):
        return None  # "مشتاق للقاء جمهوره": an artist or a candidate and the public, no two sides
    if (
        typ == "diplomacy.meeting"
        and core.removeprefix("ال") == "قمه"
        and (
            _TOP_OF_BEFORE.search(folded, max(0, t.fstart - 14), t.fstart)
            or _TOP_OF_AFTER.match(folded, t.fend)
        )
    ):
        return None  # "تحتل قمة التصنيف"، "في قمة فخره": the top of something, no summit
    if (
        typ == "diplomacy.meeting"
        and core.startswith(("استقبل", "يستقبل", "تستقبل"))
        and _HOSTED.match(folded, t.fend)
    ):
        return None  # "استقبل لبنان سباقا دوليا": an event or crowds hosted, nobody met
    if typ == "strategic.agreement" and core.startswith(("يتفق", "تتفق", "نتفق")):
        return None  # "يتفق الأستاذ على أن البرنامج مفيد": agreeing with a view, no deal struck
    if typ == "diplomacy.meeting" and _SIGHTS.match(folded, t.fend):
        return None  # "زيارة الأماكن السياحية": places visited, nobody met
    if (
        typ == "strategic.arrest"
        and core.removeprefix("ال").startswith("توقيف")
        and _NOT_PERSON.match(folded, t.fend)
    ):
        return None  # "توقيف العمل": work stopped, nobody arrested
    if typ == "diplomacy.accuse" and _JUDICIAL.match(folded, t.fend):
        return None  # "وجه القضاء الاتهامات إلى المنتج"، "أدانت المحكمة": a court's business (a conviction)
    if typ == "diplomacy.accuse" and _CONVICTED.match(core) and _CONVICTED_OF.match(folded, t.fend):
        return None  # "بعد إدانتها بالإساءة"، "أدانه بتهمة": found guilty of something, not condemned
    if typ == "strategic.arrest" and _SENTENCE_BEFORE.search(folded, max(0, t.fstart - 40), t.fstart):
        return None  # "حكمها بحبس المواطنة 11 سنة"، "قضت بسجنه": a prison sentence, not an arrest
    if typ in ("strategic.arrest", "violence.abduction") and _HELD_FOR.match(folded, t.fend):
        return None  # "بعد أن احتجز 21 شهرا": how long someone has been held, not a new arrest
    if (
        typ in ("diplomacy.meeting", "diplomacy.support", "protest", "battle.clash", "strategic.arrest")
        and t.type == typ
        and not t.verb
        # a session or a summit called for is usually then convened: only talks are asked for
        and (typ != "diplomacy.meeting" or core.removeprefix("ال").startswith(_TALKS))
        and _requested(folded, t.fstart)
    ):
        return None  # "دعت الأطراف إلى العودة إلى المفاوضات"، "دعا للترحيب بالجيش": asked for, not done
    if typ == "battle.clash" and _NOT_ARMED_ATTACK.match(folded, t.fend):
        return None  # "هجمات إلكترونية": hacking, not fighting
    if typ == "strategic.arrest" and _PLACE_OF_DETENTION.search(folded, max(0, t.fstart - 12), t.fstart):
        return None  # "مركز اعتقال": a place of detention named, nobody arrested here
    if typ == "battle.territory" and _is_control_state(t, folded, core):
        return None
    if typ == "strategic.release" and _NOT_PEOPLE.search(folded, t.fend, t.fend + 40):
        # "الإفراج عن 1.2 مليار دولار مساعدات": aid released is support; other money is nothing
        return "diplomacy.support" if re.search(r"مساعد", folded[t.fend : t.fend + 60]) else None
    if (
        typ == "battle.territory"
        and _WEAK_TERRITORY.match(t.folded)
        and _TO_HELP.search(folded, t.fend, t.fend + 120)
    ):
        return None  # "دخل مقاتلون منطقة عفرين لمساعدة الوحدات": coming to help, not taking
    if typ == "remote.explosive" and _DEFUSE.search(folded, max(0, t.fstart - 20), t.fstart):
        return None  # mines cleared or laid: no explosion
    if (
        typ == "battle.territory"
        and re.match(r"^(?:ال)?(?:تقدم|يتقدم|تقدمت)", core)
        and _TOWARD.match(folded, t.fend)
    ):
        return None  # "التقدم نحو المناطق": moving on, nothing taken yet
    if typ == "diplomacy.accuse" and re.match(r"^(?:حذر|يحذر|تحذر)", core) and _WARN_OF.match(folded, t.fend):
        return None  # "حذرت الأمم المتحدة من تداعيات التصعيد": a warning about consequences
    if (
        typ == "diplomacy.accuse"
        and core.removeprefix("ال").lstrip("بل").removeprefix("ال").startswith(("انتقاد", "اتهام", "تنديد"))
        and _RECEIVED_BEFORE.search(folded, max(0, t.fstart - 45), t.fstart)
    ):
        return None  # "تعرضت الحكومة لانتقادات"، "رده على الانتقادات": criticism met, its source unnamed
    if typ == "diplomacy.accuse" and re.match(r"^(?:حذر|يحذر|تحذر)", core):
        that = _WARN_THAT.match(folded, t.fend)
        if that and not (that.group(1) != "ان" and _OWN_RESOLVE.match(folded, that.end())):
            return None  # "حذر الصندوق من أن الرسوم قد تضر النمو": a forecast; "من أنه سيرد": a threat
    if typ == "strategic.agreement" and core.removeprefix("ال").startswith("صفق"):
        if not (
            _AGREE_VERB.search(folded, max(0, t.fstart - 30), t.fstart)
            or _AGREE_VERB.search(folded, t.fend, t.fend + 25)
        ):
            return None
    if typ == "battle.clash" and core.startswith(("هجوم", "هجمات")) and not _MILITARY.search(f_sent):
        return None
    if (
        typ == "remote.shelling"
        and core.startswith(("صاروخ", "صواريخ"))
        and (
            not (
                _FIRE_CTX.search(folded, max(0, t.fstart - 45), t.fstart)
                or _FIRE_CTX.search(folded, t.fend, t.fend + 25)  # "صواريخ عدة استهدفت المطار"
            )
            or re.search(
                r"(?:قاعده|منصه|منصات|مخزن|مخازن|برنامج\w*|منظومه)\W+\w*\W*$",
                folded[max(0, t.fstart - 25) : t.fstart],
            )
        )
    ):
        return None
    if (
        typ == "strategic.agreement"
        and core.startswith("اتفاق")
        and re.search(r"(?<!\w)(?:وفق|بموجب|اطار|تنفيذ)(?!\w)", folded[max(0, t.fstart - 25) : t.fstart])
    ):
        return None  # "in the framework of the agreement": an old agreement cited, not a new one
    return typ


def _reported(text, folded, fold_at, s_start, s_end, s_ents) -> dict | None:
    """Reporting verb + speaker + complementizer (قال المتحدث باسم الجيش إن ...): where the reported
    clause starts, who spoke, and for a spokesman the body spoken for."""
    a, b = fold_at(s_start), fold_at(s_end)
    fs = folded[a:b]
    rv = _REPORT.search(fs)
    if not rv:
        return None
    comp = _COMPLEMENT.search(fs, rv.end())
    if not comp:
        return None
    sp_a, sp_b = a + rv.end(), a + comp.start()
    speaker = [e for e in s_ents if sp_a <= fold_at(e.start) < sp_b]
    spoken = folded[sp_a:sp_b]
    is_spokesman = bool(_SPOKESMAN.search(spoken))
    behalf = None
    m = _ON_BEHALF.search(spoken)
    if m:
        after = [
            e for e in speaker if 0 <= fold_at(e.start) - (sp_a + m.end()) <= 2 and e.type in ("ORG", "GPE")
        ]
        behalf = after[0] if after else None
    return {
        "clause_start": a + comp.end(),
        "speaker": speaker,
        "spokesman": is_spokesman,
        "behalf": behalf,
        "speaker_span": (sp_a, sp_b),
        "fold_at": fold_at,
    }


def _fill_actors(m: _Mention, s_ents: list[Entity], speech: dict | None, s_start: int) -> None:
    t = m.trigger
    actors = [e for e in s_ents if e.type in _ACTOR_TYPES and not _is_place_actor(e, m)]
    speakers: set[int] = set()
    clause_from = s_start
    if speech and speech["fold_at"](t.start) >= speech["clause_start"]:
        speakers = {id(e) for e in speech["speaker"]}
        clause_from = next(
            (e.start for e in s_ents if speech["fold_at"](e.start) >= speech["clause_start"]), t.start
        )
        clause_from = min(clause_from, t.start)
    cands = [e for e in actors if id(e) not in speakers]
    text = m.text
    before = [
        e
        for e in cands
        if clause_from <= e.start
        and e.end <= t.start
        and t.start - e.end <= 90
        and not _CLAUSE_BREAK.search(text, e.end, t.start)
    ]
    after = [
        e
        for e in cands
        if e.start >= t.end and e.start - t.end <= 90 and not _CLAUSE_BREAK.search(text, t.end, e.start)
    ]
    if after and after[0].type == "GPE":
        after.sort(key=lambda e: (e.type == "GPE", e.start))
    if before and re.search(r"(?<!\w)تحت\s*$", m.text[max(0, t.start - 8) : t.start]):
        # "تراجع المسلحون تحت قصف ...": who is under fire is the target, not the one firing
        m.actors.append(_actor(before[-1], "actor2"))
        return
    a1 = before[-1] if before else None
    if a1 is None and speech and speech["fold_at"](t.start) >= speech["clause_start"]:
        # nobody acts inside the reported clause: the body a spokesman speaks for, or a principal
        # speaking of himself (أكد السراج أنه سيلتقي ...)
        if speech["behalf"] is not None:
            a1 = speech["behalf"]
        elif not speech["spokesman"]:
            pers = [e for e in speech["speaker"] if e.type in _ACTOR_TYPES]
            a1 = next((e for e in reversed(pers) if e.type == "PER"), pers[-1] if pers else None)
    if a1 is None and after:
        # verb-first sentences name the doer after the trigger; one after على/ضد is the target
        doers = [e for e in after if not _TARGET_BEFORE.search(m.text, max(0, e.start - 10), e.start)]
        if m.type.startswith("diplomacy"):
            # "ندد وزير الخارجية الفرنسي جان إيف لودريان": the person, not the ministry in his title
            doers.sort(key=lambda e: (e.type != "PER" or e.start - t.end > 70, e.start))
        if doers:
            a1 = doers[0]
            after.remove(a1)
    if a1 is not None:
        m.actors.append(_actor(a1, "actor1"))
    rest = [
        e
        for e in after
        if e is not a1
        and e.canonical != (a1.canonical if a1 else None)
        and not (a1 is not None and (0 <= e.start - a1.end <= 2 or 0 <= a1.start - e.end <= 2))
    ]
    if rest:
        if m.type.startswith("diplomacy"):
            rest.sort(key=lambda e: (e.type != "PER", e.start))
        m.actors.append(_actor(rest[0], "actor2"))


def _is_place_actor(e: Entity, m: _Mention) -> bool:
    # A town is where things happen; a country can act (فرنسا رحبت) in politics only.
    if e.type != "GPE":
        return False
    return not (m.type.startswith("diplomacy") or m.type == "strategic.agreement") or (
        e.place is not None and e.place.kind != "country"
    )


# Capitals that stand for their governments ("تدخل طهران"، "ترحيب واشنطن") unless a preposition or a
# place word makes them the place (في طهران، العاصمة طهران).
_ACTOR_CAPITALS = frozenset(
    {
        "Tehran",
        "Washington",
        "Washington, D.C.",
        "Moscow",
        "Ankara",
        "Riyadh",
        "Abu Dhabi",
        "Doha",
        "Cairo",
        "Damascus",
        "Paris",
        "London",
        "Beijing",
        "Tel Aviv",
        "Jerusalem",
        "Baghdad",
        "Amman",
        "Berlin",
        "Rome",
        "Tripoli",
        "Khartoum",
        "Sanaa",
        "Manama",
        "Kuwait City",
        "Muscat",
        "Rabat",
        "Algiers",
        "Tunis",
        "Beirut",
        "Islamabad",
        "Kabul",
        "Brussels",
        "Kyiv",
        "Kiev",
    }
)
# Words the tagger or a head-word pattern may take for a place that name no place of their own.
_VAGUE_PLACE = re.compile(
    r"^(?:ال)?(?:ريف|منطقه|مدينه|بلده|بلاد|حدود|جبهه|محافظه|حي|ساحه|عاصمه|شرق الاوسط|العالم|اقليم|قريه|"
    r"مناطق|اراضي|داخل|خارج|اوروبا|اوربا|افريقيا|اسيا|اميركا اللاتينيه|امريكا اللاتينيه|الغرب|الشرق)"
    r"(?: (?:ال)?(?:شرقي|غربي|شمالي|جنوبي|اوسط|وسطي)\w*)?$"
)
_IN_A_NAME = re.compile(
    r"(?:(?<!\w)(?:لدعم|دعم|لمساعده|لنصره|لمسانده|لانقاذ|لتحرير)\s+(?:ال)?\w+\s+(?:في|ب)\s*"
    r"|(?<!\w)[وفبل]?(?:ال)?(?:مجلس|منظمه|هييه|جامعه|رابطه|جمعيه|اتحاد|لجنه|مرصد|وكاله|صندوق|معهد|"
    r"حركه|حزب|نقابه|بنك|مصرف|صحيفه|قناه)(?:\s+(?!في|من|الي|علي)\w+)?[\s\"«“']+)$"
)
_SEAT_BEFORE = re.compile(r"(?:^|\s)[و]?(?:مقره|مقرها|مقرهم|ومقره|مقر|يتخذ من|تتخذ من)\s+(?:في\s+)?$")
_PLACE_PREP = re.compile(
    r"(?:(?:^|\s)(?:في|من|الي|قرب|داخل|حول|نحو|عاصمه|العاصمه|مدينه|وسط|شمال\w*|جنوب\w*|شرق\w*|"
    r"غرب\w*)\s+|(?:^|\s)[وف]?(?:[بل]|لل))$"
)


def _seat_or_actor(e: Entity, folded: str, fold_at) -> bool:
    """A place that is an organisation's seat (المرصد، ومقره في بريطانيا) or a capital acting for its
    government is not where the event happened."""
    a = fold_at(e.start)
    before = folded[max(0, a - 20) : a]
    if _SEAT_BEFORE.search(before):
        return True
    if _IN_A_NAME.search(folded, max(0, a - 40), a):
        # "التحالف العربي لدعم الشرعية في اليمن"، "مجلس علماء باكستان": a body's name, not a venue
        return True
    if (
        e.place is not None
        and e.place.name in _ACTOR_CAPITALS
        and not _PLACE_PREP.search(before)
        and not re.search(r"(?:^|\s)[وبل]?(?:ال)?عاصمه(?:\s+\w+)?\W*$", folded[max(0, a - 30) : a])
    ):
        return True
    return False


_VIOLENT = ("battle", "remote", "violence")
# events of force: announced or vowed, they are threats (told as such), not events of their own
_FORCE_TYPES = ("battle", "remote", "violence", "strategic.arrest", "strategic.release")
_VERB_BEFORE = re.compile(r"(?:^|[\s\"«“'(])([وف]?(?:[يت][^\Wاو]\w{2,}|\w{2,}[^ا]ت))\s+$")
_NOT_VERBS = frozenset({"يوم", "تنظيم", "تحالف", "تاريخ", "تقرير", "توقيت", "تصريحات", "بيت"})


def _after_verb(e: Entity, folded: str, fold_at) -> bool:
    a = fold_at(e.start)
    m = _VERB_BEFORE.search(folded, max(0, a - 14), a)
    return m is not None and m.group(1).lstrip("وف") not in _NOT_VERBS


_DISCUSS = re.compile(r"^[وف]?(?:بحث|ناقش|تباحث|استعرض|تناول|يبحث|يناقش|تبحث|تناقش)")


def _nearest_place(s_ents: list[Entity], t: _Trigger, folded: str, fold_at, typ: str) -> Entity | None:
    # a place GeoNames does not know still counts when the tagger or a head word (مديرية ...) says LOC
    places = [
        e
        for e in s_ents
        if (e.type in ("LOC", "GPE") and e.place is not None)
        or (e.type == "LOC" and e.source in ("pattern", "crf"))
    ]
    if typ.startswith("diplomacy") or typ == "strategic.agreement":
        # in politics a country is usually an actor; it is the place only after في (في ليبيا)
        places = [
            e
            for e in places
            if e.place is None
            or e.place.kind != "country"
            or re.search(r"(?:^|\s)(?:في|داخل)\s*$", folded[max(0, fold_at(e.start) - 6) : fold_at(e.start)])
        ]
    places = [
        e
        for e in places
        if not _seat_or_actor(e, folded, fold_at)
        and not (e.place is None and _VAGUE_PLACE.match(e.canonical))
    ]
    after = [e for e in places if e.start >= t.end and e.start - t.end <= 120]
    if typ.startswith("diplomacy") and _DISCUSS.match(t.folded):
        after = []  # "ناقشا مستقبل التعاون في منبج": what follows a verb of discussing is its topic
    shift = _TIME_SHIFT.search(folded, t.fend, min(len(folded), t.fend + 120))
    if shift:  # "الهجوم ... في 7 نيسان، بعد عام على الجريمة التي نفذها النظام في خان شيخون"
        after = [e for e in after if fold_at(e.start) < shift.start()]
    aside = _COINCIDING.search(folded, t.fend, min(len(folded), t.fend + 120))
    if aside:  # "قتلوا في احتجاجات يوم النكبة، التي تزامنت مع نقل السفارة إلى القدس": another event's place
        after = [e for e in after if fold_at(e.start) < aside.start()]
    clause = _NEW_CLAUSE.search(folded, t.fend, min(len(folded), t.fend + 120))
    if clause:  # "قتل 18 في مواجهات، وقد اتهمت إسرائيل ..، بينما حمّل مجلس الأمن ... إسرائيل": another clause
        after = [e for e in after if fold_at(e.start) < clause.start()]
    if typ.startswith("diplomacy") and typ != "diplomacy.meeting":
        # "حضّ أردوغان قيرغيزستان على ..."، "دعا الرئيس لبنان إلى ...": the name the verb (and its
        # doer) governs is whom the call or charge is addressed to, not where it was made
        after = [e for e in after if not _governed(e, t, s_ents, folded, fold_at)]
    before = [e for e in places if e.end <= t.start and t.start - e.end <= 150][::-1]
    if typ == "protest":
        # "اتهمت إسرائيل حركة حماس بتنظيم التظاهرات": a country right after a verb of saying or of
        # a stance is the government that speaks, not where people took to the streets
        after = [e for e in after if not (_is_country(e) and _said_by(e, folded, fold_at))]
        before = [e for e in before if not (_is_country(e) and _said_by(e, folded, fold_at))]

    def country(e: Entity) -> bool:
        return e.place is not None and e.place.kind == "country"

    def after_li(e: Entity) -> bool:  # الموالية لإيران: a country after ل is a beneficiary, not a place
        f = folded[max(0, fold_at(e.start) - 2) : fold_at(e.start)]
        return f.endswith("ل") and (len(f) < 2 or f[0] in " وف")

    if typ != "diplomacy.meeting":
        after = [e for e in after if not (country(e) and after_li(e))]
        before = [e for e in before if not (country(e) and after_li(e))]

    # a town or district beats a country (الموالية لإيران، في مدينة سرت الليبية); after the trigger
    # beats before it, nearer beats farther
    def in_prep(e: Entity) -> bool:  # في سوريا: a country is a place; أعلنت إسرائيل: a doer
        return bool(_IN_PREP.search(folded, max(0, fold_at(e.start) - 8), fold_at(e.start)))

    for group in (
        [e for e in after if not country(e)],
        [e for e in before if not country(e)],
        [e for e in after if country(e) and in_prep(e)] + [e for e in before if country(e) and in_prep(e)],
        [e for e in after if country(e)],
        [
            e
            for e in before
            if country(e) and not (typ.startswith(_VIOLENT) and _after_verb(e, folded, fold_at))
        ],
    ):
        if group:
            return _inner(group[0], places, folded, fold_at)
    return None


# a clause that ties the event to another one in time: what it names is that other event's
_COINCIDING = re.compile(
    r"(?<!\w)(?:[وف]?(?:التي|الذي|اللذين) (?:ت|ي)?(?:تزامن|ترافق|تصادف|توافق)\w*|"
    r"(?:بالتزامن|تزامنا|بالتوازي|تزامن|تزامنت|يتزامن|تتزامن|ترافقت|ترافق|تصادفت|تصادف) مع)(?!\w)"
)
# a new clause with a subject of its own: places past it are that clause's ("فيما" only as "while":
# not "فيما يتعلق بهجومين في فيينا"، "فيما أسمته عملية ناجحة في اللاذقية"، "فيما بعد")
_NEW_CLAUSE = re.compile(
    r"(?:[،,؛;]\s*[وف]?(?:قد|كما|لكن|غير ان|الا ان)\s|(?<!\w)(?:بينما|في حين)\s|"
    r"(?<!\w)فيما\s(?!(?:يتعلق|يخص|يبدو|بعد|بينها|بينهم|بينهما|[اي]?سم\w*|وصف\w*|اعتبر\w*|عرف\w*|اطلق\w*)(?!\w)))"
)
# verbs of saying and of taking a stance: a country right after one is the one that speaks
_SAYING = re.compile(
    r"(?:^|\s)[وف]?(?:قد\s+)?(?:قال|قالت|اعلن|اعلنت|اكد|اكدت|اتهم|اتهمت|تتهم|يتهم|ذكر|ذكرت|افاد|افادت|نفي|نفت|"
    r"ادان|ادانت|دان|دانت|ندد|نددت|حذر|حذرت|طالب|طالبت|دعا|دعت|رحب|رحبت|اعتبر|اعتبرت|وصف|وصفت|هدد|"
    r"هددت|رفض|رفضت|ترفض|يرفض|اعربت|اعرب|زعم|زعمت|تزعم|يزعم)\s+$"
)


def _said_by(e: Entity, folded: str, fold_at) -> bool:
    a = fold_at(e.start)
    return _SAYING.search(folded, max(0, a - 16), a) is not None


def _governed(e: Entity, t: _Trigger, s_ents: list[Entity], folded: str, fold_at) -> bool:
    """The place stands right after the trigger verb, or after the verb and its doer's name: the
    verb's object."""
    if not t.verb or e.start < t.end:
        return False
    pos = t.fend
    doers = [x for x in s_ents if x.type in ("PER", "ORG") and x.start >= t.end and x.end <= e.start]
    if len(doers) > 1:
        return False
    if doers:
        # the doer's title may stand between ("حث الرئيس الروسي فلاديمير بوتين كردستان")
        gap1 = folded[pos : fold_at(doers[0].start)].split()
        gap2 = folded[fold_at(doers[0].end) : fold_at(e.start)]
        return (
            len(gap1) <= 3
            and not any(_PREPOSITION.fullmatch(w) for w in gap1)
            and re.fullmatch(r"[\s،,]*", gap2) is not None
        )
    return re.fullmatch(r"\s*", folded[pos : fold_at(e.start)]) is not None


_PREPOSITION = re.compile(r"[وف]?(?:في|علي|الي|من|عن|مع|خلال|ب\w*|ل\w*)|[،,.:]")


_TIME_SHIFT = re.compile(
    r"(?<!\w)(?:بعد|قبل) (?:نحو |حوالي )?(?:عام|عامين|سنه|سنتين|اعوام|سنوات|شهر|شهرين|اشهر|شهور|اسابيع|"
    r"\d+ (?:اعوام|سنوات|عاما|اشهر|شهور|سنه|عام))(?: \w+)? (?:علي|من)(?!\w)"
)
_IN_PREP = re.compile(r"(?:(?:^|\s)(?:في|داخل|الي|نحو|علي)\s+|(?:^|\s)[وف]?ب)$")


# "خان يونس بجنوب قطاع غزة"، "بلدة حرستا في الغوطة الشرقية": a place, then the area that holds it
_CONTAINER_LINK = re.compile(
    r"^\W*(?:[وف]?(?:في|ب|داخل|قضاء|ضمن)\s*)?(?:ال)?(?:(?:شمال|جنوب|شرق|غرب|وسط)\w*\s*){0,2}"
    r"(?:(?:ب|ل|في\s+)?(?:ال)?(?:محافظه|مدينه|منطقه|مديريه|ريف|ولايه|قطاع|اقليم|بلده|قضاء)\s*)?$"
)


# a word right after a locative or a place word: "في X"، "بمدينة X"، "ريف X"، "محافظة X"
_TOWN_SLOT = re.compile(
    r"(?:(?<!\w)[وف]?(?:في|قرب|داخل|شمال\w*|جنوب\w*|شرق\w*|غرب\w*|مدينه|بمدينه|لمدينه|محافظه|بمحافظه|لمحافظه|"
    r"ريف|بريف|بلده|ببلده|منطقه|بمنطقه|قريه|بقريه|مديريه|بمديريه|مخيم|بمخيم|جبهه|بجبهه|جبهتي|بجبهتي)\s+|(?<!\w)[وف]?[بل])$"
)
_WORD3 = re.compile(r"(?<!\w)\w{3,}(?!\w)")


def _untagged_town(text, folded, fold_at, s_start, s_end, country_ent) -> Entity | None:
    """The first town or district of the sentence that the gazetteers know (curated, or a city of
    50,000 or more) and the tagger missed; in the country already chosen, if one was."""
    cc = country_ent.place.country if country_ent is not None and country_ent.place is not None else None
    a, b = fold_at(s_start), fold_at(s_end)
    common = common_words()
    for m in _WORD3.finditer(folded, a, b):
        w = m.group(0)
        if (
            w[:1] in "بل"
            and w[1:3] == "ال"
            and _TOWN_SLOT.search(folded, max(0, m.start() - 3), m.start() + 1)
        ):
            w = w[1:]  # "بالحديدة": the clitic stays outside the name
        elif not _TOWN_SLOT.search(folded, max(0, m.start() - 14), m.start()):
            continue
        if w in common or w.removeprefix("ال") in common:
            continue
        cands = places().get(w) or (places().get(w[2:]) if w.startswith("ال") else None)
        if not cands:
            continue
        p = next(
            (
                p
                for p in cands
                if p.kind in ("city", "district")
                and (p.curated or p.population >= 50_000)
                and (cc is None or p.country == cc)
            ),
            None,
        )
        if p is None:
            continue
        # back to the original text's offsets (fold_at maps original → folded; search forward)
        f0 = m.end() - len(w)
        start = next((i for i in range(s_start, s_end) if fold_at(i) >= f0), s_start)
        end = next((i for i in range(start, s_end + 1) if fold_at(i) >= m.end()), s_end)
        return Entity(text[start:end], start, end, "LOC", p.name, "gazetteer", p)
    return None


def _inner(e: Entity, places: list[Entity], folded: str, fold_at) -> Entity:
    """The nearest place chosen; but when it is the container of the place named right before it
    (X في/بجنوب/غربي Y), the event is in X, the smaller one."""
    for p in places:
        if p.end <= e.start and e.start - p.end <= 30 and p is not e:
            gap = folded[fold_at(p.end) : fold_at(e.start)]
            if (
                gap.strip()
                and _CONTAINER_LINK.match(gap)
                and p.place is not None
                and p.place.kind != "country"
            ):
                return p  # only a place a gazetteer knows: an unknown one is often a street or a front
    return e


_NOT_FUTURE = ("سيطر", "سيار", "سياس", "سيد", "سير", "سين", "ستار", "ستين", "سته", "ستاد", "سياد", "سيول")


def _vowed(fwords: list[str], w_idx: int) -> bool:
    """A future verb (س + imperfect) or سوف among the two words before the trigger governs it."""
    for w in fwords[max(0, w_idx - 2) : w_idx]:
        w = w[1:] if w[:1] in ("و", "ف") and len(w) > 4 else w
        if w == "سوف" or (re.match(r"^س[يتن]\w{3,}$", w) and not w.startswith(_NOT_FUTURE)):
            return True
    return False


def _is_planned(fwords: list[str], w_idx: int, t: _Trigger, typ: str = "") -> bool:
    if _FUTURE_VERB.match(t.folded) and not t.folded.startswith(("سيطر", "سيار")):
        return True
    lo, hi = max(0, w_idx - 9), min(len(fwords), w_idx + 4)
    if typ == "diplomacy.meeting" and any(
        _SCHEDULE_VERB.fullmatch(w) for w in fwords[max(0, w_idx - 8) : w_idx + 1]
    ):
        return (
            True  # "يعقد الوزراء الثلاثاء اجتماعا"، "ويلتقي جونسون ...": news tells meetings to come this way
        )
    for w in fwords[lo:hi]:
        w = w[1:] if w[:1] in ("و", "ف") and len(w) > 4 else w
        if _FUTURE.fullmatch(w) and not w.startswith(
            ("سيطر", "سيار", "سياس", "سيد", "سير", "سين", "ستار", "ستين", "سته")
        ):
            return True
    return False


# imperfective meeting verbs: in news copy they announce what is scheduled
_SCHEDULE_VERB = re.compile(
    r"[وف]?(?:يعقد|تعقد|يلتقي|تلتقي|يلتقيان|يزور|تزور|يجتمع|تجتمع|يبدا|تبدا|يستقبل|تستقبل)"
)


def _long_ago(s_dates, pub: date | None, w_idx: int):
    """The sentence's date nearest the trigger when every date in it lies half a year or more back."""
    if pub is None or not s_dates or any(d.day is None or (pub - d.day).days < 180 for d in s_dates):
        return None
    return min(s_dates, key=lambda d: min(abs(d.start - w_idx), abs(d.end - 1 - w_idx)))


def _fill_date(m, text, words, s_dates, w_idx, planned, pub, lead, others=()) -> None:
    """`lead()` gives the lead sentence's date, the fallback for a sentence without its own."""

    def dist(d, i):
        return min(abs(d.start - i), abs(d.end - 1 - i))

    # a date belongs to the nearest trigger: "أفرج عن 8 من 17 اعتقلوا الشهر الماضي" dates the arrest
    near = [d for d in s_dates if dist(d, w_idx) <= 12 and all(dist(d, o) >= dist(d, w_idx) for o in others)]
    if near:
        d = min(near, key=lambda d: min(abs(d.start - w_idx), abs(d.end - 1 - w_idx)))
        m.event_date = d.day
        m.date_text = text[words[d.start][1] : words[d.end - 1][2]]
        m.date_precision = d.precision
        planned = planned or d.future
        if planned and d.weekday and pub and m.event_date and m.event_date < pub:
            m.event_date = m.event_date + timedelta(days=7)  # "يعقد المجلس الثلاثاء": the coming Tuesday
    elif (old := _long_ago(s_dates, pub, w_idx)) is not None and not planned:
        # "تعرضوا للخطف في حزيران 2014 مع سيطرة التنظيم على ...": the sentence tells of years ago
        m.event_date = old.day
        m.date_text = text[words[old.start][1] : words[old.end - 1][2]]
        m.date_precision = old.precision
    elif not planned and (ld := lead()) is not None:
        m.event_date = ld.day
        m.date_text = None
        m.date_precision = ld.precision
    elif not planned:
        m.event_date = pub
        m.date_precision = "published"
    if planned:
        m.date_precision = "planned"
        if m.event_date and pub and m.event_date < pub:
            m.event_date = None


def _fill_counts(m: _Mention, sentence_counts, fwords: list[str], w_idx: int) -> None:
    keys = []
    words_for_type = _COUNT_WORDS_BY_TYPE.get(m.type, ())
    for i, w in enumerate(fwords):
        for rx, fld in words_for_type:
            if rx.match(w):
                keys.append((i, fld))
                break
    if not keys:
        return
    s_counts = sentence_counts()
    pairs = []
    for ci, c in enumerate(s_counts):
        for ki, (i, _fld) in enumerate(keys):
            if c.start <= i < c.end:
                continue
            dist = (i - c.end + 1) if i >= c.end else (c.start - i)
            if dist <= 7:
                pairs.append((dist + (0 if i >= c.end else 0.5), ci, ki))
    used_c: set[int] = set()
    used_k: set[int] = set()
    for _, ci, ki in sorted(pairs):
        if ci in used_c or ki in used_k:
            continue
        fld = keys[ki][1]
        if m.figures.get(fld) is not None:
            continue
        c = s_counts[ci]
        used_c.add(ci)
        used_k.add(ki)
        m.figures[fld] = c.value if c.value is not None else None
        if fld == "fatalities" and c.minimum is not None:
            m.fatalities_min = c.minimum
        if c.value is None and fld != "fatalities":
            m.figures[fld] = None


def _confidence(m: _Mention, reported: bool) -> float:
    c = _BASE.get(m.type, 0.5)
    if m.location is not None:
        c += 0.05 if m.inherited_place else 0.15
    if any(a["role"] == "actor1" for a in m.actors):
        c += 0.1
    if m.date_text:
        c += 0.05
    if any(v is not None for v in m.figures.values()) or m.fatalities_min:
        c += 0.05
    if _WEAK_TERRITORY.match(m.trigger.folded):
        c -= 0.1
    if reported:
        c -= 0.03
    return round(max(0.05, min(0.97, c)), 2)


# "سمع دوي انفجارات"، "أصوات ستة انفجارات": explosions heard, told as a witness's sign of an attack
_HEARD = re.compile(r"(?<!\w)(?:دوي|اصوات|صوت)(?:\s+\w+){0,2}\s+$")


def _heard(m: _Mention, folded: str) -> bool:
    return m.type == "remote.explosive" and bool(
        _HEARD.search(folded, max(0, m.trigger.fstart - 30), m.trigger.fstart)
    )


def _drop_subsumed(ms: list[_Mention], folded: str = "") -> list[_Mention]:
    """A generic fight word (القتال) in a sentence that already reports a specific event adds nothing,
    nor do explosions heard in an article that reports the attack they came from."""
    heard = {id(m) for m in ms if folded and _heard(m, folded)}
    if heard and any(id(m) not in heard and m.type.startswith(("battle", "remote", "violence")) for m in ms):
        ms = [m for m in ms if id(m) not in heard]
    specific = {
        m.sentence
        for m in ms
        if m.type != "battle.clash" and m.type.startswith(("battle", "remote", "violence"))
    }
    out = []
    told = False  # a specific attack already told: "هذا الهجوم" later refers back to it
    for m in ms:
        stem = _CLITICS.sub("", m.trigger.folded)
        if (
            m.type == "battle.clash"
            and told
            and m.trigger.definite
            and not m.date_text
            and stem in ("هجوم", "هجمات")
        ):
            continue
        if m.type.startswith(("remote", "violence")):
            told = True
        if m.type == "battle.clash" and m.sentence in specific and stem in ("قتال", "هجوم", "هجوما", "هجمات"):
            continue
        out.append(m)
    return out


def _actor1(m: _Mention) -> str | None:
    return next((a["canonical"] for a in m.actors if a["role"] == "actor1"), None)


def _distinct_doings(o: _Mention, m: _Mention) -> bool:
    """Two statements, calls or arrests of one type that cannot be one occurrence: different named
    doers (قرقاش اتهم ... / اتهمت إسرائيل ...), or each dated to a different day (مكالمة الثلاثاء /
    مكالمة الإثنين)."""
    a, b = _actor1(o), _actor1(m)
    if a is not None and b is not None and a != b and m.type != "diplomacy.meeting":
        if _same_doer(o, m, a, b):
            a = b  # one doer under two names
    if m.type == "diplomacy.meeting":
        # a meeting has two sides and either may be told as the doer: other partners, or no one
        # in common, make another meeting
        so, sm = {x["canonical"] for x in o.actors}, {x["canonical"] for x in m.actors}
        # partners are people or bodies; a country after the trigger is as often the topic
        # ("زيارة ... يناقش خلالها ملفات إيران")
        p2o = {x["canonical"] for x in o.actors if x["role"] == "actor2" and x["kind"] in ("PER", "ORG")}
        p2m = {x["canonical"] for x in m.actors if x["role"] == "actor2" and x["kind"] in ("PER", "ORG")}
        if (so and sm and not so & sm) or (p2o and p2m and not p2o & p2m):
            return True
    elif a is not None and b is not None and a != b:
        return True
    return bool(
        o.date_text and m.date_text and o.event_date and m.event_date and o.event_date != m.event_date
    )


def _same_doer(o: _Mention, m: _Mention, a: str, b: str) -> bool:
    """Two names of one doer: a spokesman for a body that the other mention names as the doer
    ("حضت وزارة الخارجية العراقية" / "قال الناطق باسم الخارجية العراقية، أحمد محجوب: نحض"), or the
    doer of one told as the other party of the other (a name the tagger missed leaves the verb's
    object in the doer's slot: "دعا ترامب إلى اتفاق مع إيران")."""
    for x, speaker in ((a, m), (b, o)):
        # the other mention's speaker speaks for x when x is named right after "باسم" in its sentence
        f = fold(speaker.text[speaker.sentence[0] : speaker.sentence[1]])
        if re.search(r"(?<!\w)باسم\s+(?:ال)?" + re.escape(x.removeprefix("ال")) + r"(?!\w)", f):
            return True
    ao = {x["canonical"] for x in o.actors}
    am = {x["canonical"] for x in m.actors}
    same_verb = _CLITICS.sub("", o.trigger.folded)[:3] == _CLITICS.sub("", m.trigger.folded)[:3]
    return (b in ao or a in am) and same_verb


def _two_towns(a: Entity | None, b: Entity | None) -> bool:
    """Both places known and below country level, and not the same: two places, two events."""
    return (
        a is not None
        and b is not None
        and a.place is not None
        and b.place is not None
        and not _is_country(a)
        and not _is_country(b)
        and a.canonical != b.canonical
    )


def _unknown_in_wide(a: Entity, b: Entity) -> bool:
    """One place unknown to the gazetteers (a settlement, a quarter), the other a country or a
    region: the same event told at two scales."""
    wide = {"country", "region"}
    return (a.place is None and b.place is not None and b.place.kind in wide) or (
        b.place is None and a.place is not None and a.place.kind in wide
    )


def _is_country(e: Entity | None) -> bool:
    return e is not None and e.place is not None and e.place.kind == "country"


def _town_before(ents: list[Entity], s_start: int, folded: str, fold_at) -> Entity | None:
    """What "المدينة" refers to: the last town introduced as "مدينة X" before the sentence, else the
    last town named."""

    def introduced(e: Entity) -> bool:
        a = fold_at(e.start)
        return re.search(r"(?:مدينه|بلده)\s*$", folded[max(0, a - 10) : a]) is not None

    # a town the gazetteers do not know counts when the article calls it one ("في مدينة تريب")
    towns = [
        e
        for e in ents
        if e.end <= s_start
        and (
            (e.place is not None and e.place.kind in ("city", "district"))
            or (e.place is None and e.type == "LOC" and introduced(e))
        )
    ]
    for e in reversed(towns):
        if introduced(e):
            return e
    known = [e for e in towns if e.place is not None]
    return known[-1] if known else None


def _share_places(ms: list[_Mention]) -> None:
    """Events told in one sentence with one place ("غارات التحالف والمواجهات ... في جبهة الحديدة")
    happened there, though the place sits nearer to one trigger than to the other."""
    for m in ms:
        if m.type.startswith("diplomacy") or m.type == "strategic.agreement":
            continue
        if m.location is not None and not m.inherited_place:
            continue
        sib = next(
            (
                o
                for o in ms
                if o is not m
                and o.sentence == m.sentence
                and o.location is not None
                and not o.inherited_place
                and not o.type.startswith("diplomacy")
            ),
            None,
        )
        if sib is not None:
            m.location = sib.location
            m.inherited_place = False


# armed forces named as such (not "تنظيم" = organising, nor "المعارضة" = political opposition)
_ARMED = re.compile(
    r"(?<!\w)[وفبلك]?(?:ال|لل)?(?:جيش|قوات|قوه|مسلح\w*|داعش|كتيب\w*|كتائب|ميليشي\w*|مليشي\w*|"
    r"فصائل|فصيل|مقاتل\w*|متمرد\w*|حوثي\w*|جنود|جندي|عسكري\w*|القاعده|الحشد|شرطه)(?!\w)"
)


def _protest_clashes(ms: list[_Mention], folded: str, fold_at) -> None:
    """ "قتل 18 شخصا في مواجهات" in an article about protests, with no armed force named in the
    sentence, tells the protest's confrontations, not a battle."""
    if not any(m.type == "protest" for m in ms):
        return
    for m in ms:
        if m.type != "battle.clash":
            continue
        a, b = m.sentence
        if not _ARMED.search(folded, fold_at(a), fold_at(b)):
            m.type = "protest"


_LETHAL = re.compile(
    r"(?<!\w)[وفبل]?(?:ال)?(?:قتل\w*|مقتل|استشهاد|استشهد\w*|شهيد\w*|شهداء|قتيل\w*|قتلي|مصرع|رصاص\w*|برصاص\w*|"
    r"قناص\w*|بنيران|نيران|اعيره)(?!\w)"
)
_FIRED_ON = re.compile(r"(?<!\w)[وفبل]?(?:ال)?(?:رصاص\w*|برصاص\w*|قناص\w*|بنيران|نيران|اعيره|الغاز)(?!\w)")


_PROTEST_CAUSE = re.compile(r"(?<!\w)(?:احتجاجا|تنديدا|رفضا|غضبا|علي|بعد|اثر|ضد)\s+(?:\w+\s+)?$")


def _protesters_shot(ms: list[_Mention], folded: str, fold_at, bounds) -> list[_Mention]:
    """Protesters killed or shot ("قتل 18 شخصا في مواجهات" of a protest, "أصيب 100 متظاهر برصاص
    الجيش"): lethal force against demonstrators is violence against civilians beside the protest."""
    if any(m.type == "violence.civilians" for m in ms):
        return []
    out: list[_Mention] = []
    for m in ms:
        if m.type != "protest" or m.date_precision == "planned":
            continue
        # the protest's sentence and the one after it ("تظاهر الآلاف ... . وقتل 18 متظاهرا في المواجهات")
        k = bisect_left(bounds, m.sentence)
        nxt = bounds[k + 1][1] if k + 1 < len(bounds) and bounds[k] == m.sentence else m.sentence[1]
        a, b = fold_at(m.sentence[0]), fold_at(nxt)
        lethal = list(_LETHAL.finditer(folded, a, b))
        if any(_PROTEST_CAUSE.search(folded, max(a, x.start() - 16), x.start()) for x in lethal):
            lethal = []  # "احتجاجا على مقتل شاب برصاص مجهولين": a killing protested, not protesters killed
        killed = m.figures.get("fatalities") is not None or m.fatalities_min or lethal
        shot = m.figures.get("injured") is not None and _FIRED_ON.search(folded, a, b)
        if not (killed or shot):
            continue
        v = _Mention(m.text, "violence.civilians", m.trigger, m.sentence, location=m.location)
        v.event_date, v.date_text, v.date_precision = m.event_date, m.date_text, m.date_precision
        v.figures = {k: val for k, val in m.figures.items() if k in ("fatalities", "injured")}
        v.fatalities_min, v.inherited_place = m.fatalities_min, m.inherited_place
        v.confidence = round(max(0.05, m.confidence - 0.1), 2)
        return [v]  # one per article: the protest's restatements tell the same shootings
    return out


def _anaphor_containers(
    ents: list[Entity], bounds: list[tuple[int, int]], folded: str, fold_at, containers: dict[int, Entity]
) -> None:
    """ "وفي غرب المدينة ... سيطر على معسكر الصاعقة": an unknown place in a sentence that speaks of
    "the town" lies in the town last named."""
    unknown = [e for e in ents if e.type == "LOC" and e.place is None and id(e) not in containers]
    if not unknown:
        return
    towns = [e for e in ents if e.place is not None and e.place.kind in ("city", "district")]
    if not towns:
        return
    starts = [a for a, _ in bounds]
    speaks_of_town: dict[int, bool] = {}
    for e in unknown:
        k = bisect_right(starts, e.start) - 1
        if k < 0:
            continue
        a, b = bounds[k]
        if k not in speaks_of_town:
            speaks_of_town[k] = _speaks_of_town(folded, fold_at(a), fold_at(b))
        if not speaks_of_town[k]:
            continue
        town = _town_before(ents, a, folded, fold_at)
        if town is not None:
            containers[id(e)] = town


def _place_on_map(ms: list[_Mention], ents: list[Entity], containers: dict[int, Entity]) -> None:
    """A place no gazetteer knows but named inside a known one (منطقة المغرس بمديرية التحيتا) is
    put on the map at the known one, wherever the article names it; its text stays as written."""
    by_name = {e.canonical: containers[id(e)] for e in ents if e.place is None and id(e) in containers}
    for m in ms:
        e = m.location
        if e is None or e.place is not None:
            continue
        c = by_name.get(e.canonical)
        if c is not None:
            m.location = Entity(e.text, e.start, e.end, e.type, c.canonical, e.source, c.place, e.code)


def _containers(ents: list[Entity], folded: str, fold_at) -> dict[int, Entity]:
    """id(place) → the known place named right after it as its container ("منطقة المغرس بمديرية
    التحيتا"، "الساحل الشرقي لمدينة درنة"): a battle told in a quarter and in its town is one battle."""
    locs = [e for e in ents if e.type in ("LOC", "GPE")]
    out: dict[int, Entity] = {}
    for p, e in zip(locs, locs[1:], strict=False):
        if e.place is None or e.start - p.end > 30 or e.start < p.end:
            continue
        gap = folded[fold_at(p.end) : fold_at(e.start)]
        if gap.strip() and _CONTAINER_LINK.match(gap) and p.canonical != e.canonical:
            out[id(p)] = e
    return out


def _inside(a: Entity | None, b: Entity | None, containers: dict[int, Entity]) -> bool:
    """Place a lies in place b (its named container is b)."""
    if a is None or b is None:
        return False
    c = containers.get(id(a))
    return c is not None and c.canonical == b.canonical


def _goes_on(o: _Mention, m: _Mention) -> bool:
    """A protest under way and the same protest expected to go on or peak at the same place a day
    or two later ("احتشد متظاهرون في قطاع غزة ... ومن المقرر أن تصل الاحتجاجات إلى ذروتها الثلاثاء"):
    one protest movement, told once."""
    return (
        o.type == m.type == "protest"
        and o.location is not None
        and m.location is not None
        and o.location.canonical == m.location.canonical
        and o.event_date is not None
        and m.event_date is not None
        and abs((o.event_date - m.event_date).days) <= 2
    )


def _fight_at_ground_taken(ms: list[_Mention]) -> None:
    """Fighting told at a town and ground taken at a place inside it ("معارك عنيفة شرقي صعدة" /
    "تحرير مواقع في مديرية الحشوة شرقي محافظة صعدة"): the fighting is the one that took that ground,
    at the smaller place."""
    taken = [
        m.location
        for m in ms
        if m.type == "battle.territory" and m.location is not None and m.location.place is not None
    ]
    for m in ms:
        e = m.location
        if m.type != "battle.clash" or e is None or e.place is None or e.place.kind == "country":
            continue
        inner = [x for x in taken if x.canonical == e.canonical and fold(x.text) != fold(e.text)]
        if len({fold(x.text) for x in inner}) == 1:
            m.location = inner[0]


def _merge(ms: list[_Mention], containers: dict[int, Entity] | None = None) -> list[_Mention]:
    """Repeats of one event inside an article (the lead and its restatement) become one mention."""
    out: list[_Mention] = []
    for m in ms:
        twin = None
        anaphor = False
        for o in out:
            if o.type != m.type:
                continue
            if (o.date_precision == "planned") != (m.date_precision == "planned") and not _goes_on(o, m):
                continue
            anaphor = m.trigger.definite and m.location is None
            same_place = (
                o.location is not None
                and m.location is not None
                and o.location.canonical == m.location.canonical
            )
            if m.type == "diplomacy.meeting" and m.trigger.definite and not m.date_text:
                twin, anaphor = o, True  # "خلال المكالمة الهاتفية": the call already told
                break
            if m.evaluative and o.type == m.type:
                a, b = _actor1(o), _actor1(m)
                if a is None or b is None or a == b:
                    twin, anaphor = o, True  # more condemning words of a statement already told
                    break
                continue
            if m.type.startswith("diplomacy") and not same_place and _distinct_doings(o, m):
                continue
            if (
                m.trigger.definite
                and not m.date_text
                and m.type != "battle.territory"
                and not m.type.startswith("diplomacy")
                and not _two_towns(o.location, m.location)
            ):
                # "الاشتباكات"، "التظاهرات" told again without a date of their own refer back to
                # the event already told, wherever the sentence happens to name
                twin = o
                anaphor = True
                break
            if o.location is not None and m.location is not None:
                same = o.location.canonical == m.location.canonical
                po, pm = o.location.place, m.location.place
                same_country = po is not None and pm is not None and po.country == pm.country
                # a battle in another district is another battle; an arrest told twice is one arrest;
                # the country and a town in it are one battle told at two scales
                inside = _inside(m.location, o.location, containers or {})
                holds = _inside(o.location, m.location, containers or {})
                if (
                    same
                    or inside
                    or holds
                    or (same_country and not m.type.startswith(("battle", "remote")))
                    or (same_country and (_is_country(o.location) or _is_country(m.location)))
                    or _unknown_in_wide(o.location, m.location)
                ):
                    twin = o
                    if (_is_country(o.location) and not _is_country(m.location)) or holds:
                        o.location = m.location  # keep the town over its country or its quarter
                    break
                continue
            ao = {a["canonical"] for a in o.actors}
            am = {a["canonical"] for a in m.actors}
            # one of the two names no place: a restatement of the located one, or of the first
            if (
                anaphor
                or not m.type.startswith(("battle", "remote"))
                or (ao & am)
                or ((o.location is None) != (m.location is None))
                or (o.location is None and m.location is None and not (ao and am))
            ):
                twin = o
                break
        if twin is None:
            out.append(m)
            continue
        tp = twin.location.place if twin.location is not None else None
        if (twin.location is None and not (anaphor and m.type.startswith("diplomacy"))) or (
            tp is not None
            and tp.kind == "country"
            and m.location is not None
            and not _is_country(m.location)
            and (m.location.place is None or m.location.place.country == tp.country)
        ):
            twin.location = m.location  # the town told later says more than the country told first
        if not twin.actors:
            twin.actors = m.actors
        elif (
            len(twin.actors) == 1
            and len(m.actors) > 1
            and not anaphor
            and m.actors[0]["canonical"] == twin.actors[0]["canonical"]
        ):
            twin.actors = m.actors
        for k, v in m.figures.items():
            if v is not None and (twin.figures.get(k) is None or v > (twin.figures.get(k) or 0)):
                twin.figures[k] = v
        twin.fatalities_min = twin.fatalities_min or m.fatalities_min
        if twin.date_text is None and m.date_text:
            twin.event_date, twin.date_text, twin.date_precision = m.event_date, m.date_text, m.date_precision
        twin.confidence = round(min(0.97, max(twin.confidence, m.confidence) + 0.02), 2)
    return out


# Nisba adjectives (المصرية، الليبيين، الإسرائيلي) name a country as often as its name does.
_NISBA = {
    "EG": "مصري",
    "LY": "ليبي",
    "TN": "تونسي",
    "DZ": "جزايري",
    "MA": "مغربي",
    "SD": "سوداني",
    "SY": "سوري",
    "IQ": "عراقي",
    "LB": "لبناني",
    "JO": "اردني",
    "PS": "فلسطيني",
    "IL": "اسراييلي",
    "SA": "سعودي",
    "YE": "يمني",
    "OM": "عماني",
    "AE": "اماراتي",
    "QA": "قطري",
    "BH": "بحريني",
    "KW": "كويتي",
    "IR": "ايراني",
    "TR": "تركي",
    "AF": "افغاني",
    "PK": "باكستاني",
    "SO": "صومالي",
    "ML": "مالي",
    "NG": "نيجيري",
    "TD": "تشادي",
    "MR": "موريتاني",
}
_NISBA_FORMS = {
    form: cc
    for cc, stem in _NISBA.items()
    for base in (stem, "ال" + stem)
    for form in (base, base + "ه", base + "ين", base + "ون", base + "يه")
}
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{3,}")
# a nisba form, after at most one proclitic letter, standing as a whole word
_NISBA_RX = re.compile(r"(?<!\w)[وبل]?(" + _trie_regex(set(_NISBA_FORMS)) + r")(?!\w)")


@lru_cache(maxsize=1)
def _country_places() -> dict[str, Place]:
    out: dict[str, Place] = {}
    for cands in places().values():
        for p in cands:
            if p.kind == "country":
                out.setdefault(p.country, p)
    return out


def _article_countries(ents: list[Entity], folded: str, skip: str) -> dict[str, float]:
    """How much the article speaks of each country, leaving out the places spelt `skip`: its other
    places (a town counts for its country) and nisba adjectives (half)."""
    score: dict[str, float] = {}
    for e in ents:
        if e.place is not None and fold(e.text) != skip:
            score[e.place.country] = score.get(e.place.country, 0.0) + 1.0
    for m in _NISBA_RX.finditer(folded):
        cc = _NISBA_FORMS[m.group(1)]
        score[cc] = score.get(cc, 0.0) + 0.5
    return score


def _places_in_context(ms: list[_Mention], ents: list[Entity], folded: str) -> None:
    """A name several places share is read in the article's countries ("عمان" is Amman in a story
    about Jordan, Oman in one about the Gulf); a small foreign town the article gives no other
    reason to be in (كويتا read as a village in Oklahoma) stays a name without coordinates."""
    memo: dict[str, dict[str, float]] = {}
    for m in ms:
        e = m.location
        if e is None or e.place is None:
            continue
        key = fold(e.text)
        cands = places().get(key) or (places().get(key[2:]) if key.startswith("ال") else None) or []
        if key not in memo:
            memo[key] = _article_countries(ents, folded, key)
        score = memo[key]
        if len({p.country for p in cands}) > 1:
            best = max(cands, key=lambda p: (score.get(p.country, 0.0), p is e.place))
            if best is not e.place and score.get(best.country, 0.0) > score.get(e.place.country, 0.0):
                m.location = Entity(e.text, e.start, e.end, e.type, best.name, e.source, best, e.code)
                continue
        p = e.place
        if (
            p.kind == "city"
            and not p.curated
            and p.population < 20_000
            and score.get(p.country, 0.0) == 0.0
            and any(v >= 1.0 for v in score.values())
        ):
            m.location = Entity(e.text, e.start, e.end, "LOC", key, e.source, None, e.code)


def _dominant_country(folded: str, ents: list[Entity], title: str | None) -> Place | None:
    """The country an article is mostly about: its places (towns count for their country), country
    names in the title (double), and nisba adjectives (half). None when nothing says so twice."""
    score: dict[str, float] = {}
    first: dict[str, int] = {}

    def add(cc: str | None, w: float, pos: int) -> None:
        if cc:
            score[cc] = score.get(cc, 0.0) + w
            first.setdefault(cc, pos)

    for e in ents:
        if e.place is not None:
            add(e.place.country, 1.0, e.start)
    if title:
        for w in _ARABIC_WORD.findall(fold(title)):
            core = w[1:] if w[:1] in "وبل" and len(w) > 4 else w
            cands = places().get(core) or places().get(w)
            if cands and cands[0].kind == "country":
                add(cands[0].country, 2.0, -1)
            add(_NISBA_FORMS.get(core) or _NISBA_FORMS.get(w), 1.0, -1)
    for m in _NISBA_RX.finditer(folded):
        add(_NISBA_FORMS[m.group(1)], 0.5, m.start())
    if not score:
        return None
    cc = max(score, key=lambda c: (score[c], -first[c]))
    if score[cc] < 2.0:
        return None
    return _country_places().get(cc)


# Bodies that sit where they always sit: a session or meeting of one, told with no place, is held at
# its seat (a summit is not: Arab summits move from capital to capital).
_SEATS = [
    (re.compile(r"(?<!\w)[وفبل]?(?:ال|لل)?مجلس (?:ال)?امن(?: (?:ال)?دولي)?(?!\w)"), "نيويورك"),
    (
        re.compile(r"(?<!\w)[وفبل]?(?:ال|لل)?جمعيه (?:ال)?عامه (?:ل|لل)(?:ال)?امم (?:ال)?متحده(?!\w)"),
        "نيويورك",
    ),
    (re.compile(r"(?<!\w)[وفبل]?(?:ال|لل)?مجلس (?:ال)?جامعه (?:ال)?دول (?:ال)?عربيه(?!\w)"), "القاهره"),
    (re.compile(r"(?<!\w)[وفبل]?(?:ال|لل)?مجلس حقوق (?:ال)?انسان(?!\w)"), "جنيف"),
]


def _seat(m: _Mention, text: str, folded: str) -> Place | None:
    """Where a meeting was held when a body with a seat is named next to its word ("يجتمع مجلس
    الأمن"، "اجتماع اليوم في مجلس الأمن"): other places in its sentence are then what the body
    discusses or who asked for the session ("لبحث الهجوم ... في سوريا"). None when a venue is said
    right after the meeting word ("بعد اجتماع مع نظيره في موسكو") or the place found is the seat."""
    if m.type != "diplomacy.meeting" or _CLITICS.sub("", m.trigger.folded).startswith("قم"):
        return None
    window = folded[max(0, m.trigger.fstart - 40) : m.trigger.fend + 40]
    seat = next((resolve_place(name) for rx, name in _SEATS if rx.search(window)), None)
    if seat is not None and m.location is not None:
        gap = text[m.trigger.end : m.location.start]
        if m.location.place == seat or (0 <= len(gap) <= 30 and re.search(r"(?<!\w)في\s*$", gap)):
            return None
    return seat


def _inferred_location(p: Place, flag: str) -> dict:
    """A mention's location that no word of the sentence names: `flag` says what it was inferred from."""
    return {
        "text": None,
        "canonical": p.name,
        "country": p.country,
        "admin1": p.admin1,
        "lat": p.lat,
        "lon": p.lon,
        "geonameid": p.geonameid,
        flag: True,
    }


def _to_record(
    m: _Mention, text: str, article: dict, fallback: Place | None = None, folded: str = ""
) -> dict:
    t = m.trigger
    loc = None
    seat = _seat(m, text, folded) if folded else None
    if seat is not None:
        loc = _inferred_location(seat, "seat_inferred")
    elif m.location is not None:
        p = m.location.place
        loc = {
            "text": m.location.text,
            "canonical": m.location.canonical,
            "country": p.country if p else None,
            "admin1": p.admin1 if p else None,
            "lat": p.lat if p else None,
            "lon": p.lon if p else None,
            "geonameid": p.geonameid if p else None,
        }
        if p is None and fallback is not None:
            # a place no gazetteer knows (مديرية الوازعية): its country is the article's
            loc["country"] = fallback.country
            loc["country_inferred"] = True
    elif fallback is not None and not m.type.startswith("diplomacy") and m.type != "strategic.agreement":
        # no place named for the event: the country the article is about (a country's place has no
        # admin1), so reports of one event can still meet (meetings and agreements are placed only
        # when said)
        loc = _inferred_location(fallback, "country_inferred")
    aid = str(article.get("id") or "")
    mid = hashlib.blake2b(f"{aid}|{m.type}|{t.start}|{t.end}".encode(), digest_size=10).hexdigest()
    return {
        "mention_id": mid,
        "article_id": aid,
        "source": article.get("source"),
        "type": m.type,
        "trigger": {"text": text[t.start : t.end], "start": t.start, "end": t.end},
        "sentence": text[m.sentence[0] : m.sentence[1]].strip(),
        "actors": m.actors,
        "location": loc,
        "event_date": m.event_date.isoformat() if m.event_date else None,
        "date_text": m.date_text,
        "date_precision": m.date_precision,
        "fatalities": m.figures.get("fatalities"),
        "fatalities_min": m.fatalities_min,
        "injured": m.figures.get("injured"),
        "abducted": m.figures.get("abducted"),
        "arrested": m.figures.get("arrested"),
        "freed": m.figures.get("freed"),
        "confidence": m.confidence,
        "published_at": article.get("published_at"),
        "schema_version": SCHEMA_VERSION,
    }
