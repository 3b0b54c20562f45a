"""Outlet boilerplate that says nothing about the story: agency tags, datelines, sign-offs."""

from __future__ import annotations

import re

# Agency credits such as "(وكالات)", "(سانا) –", "(أ ف ب)", "- رويترز" at either end of a text.
_AGENCIES = (
    r"(?:وكالات|CNN|cnn|الوكالات|سانا|واس|وام|قنا|كونا|بترا|رويترز|ا\s?ف\s?ب|أ\s?ف\s?ب|د\s?ب\s?ا"
    r"|أ\s?ب|ا\s?ب|الأناضول|الاناضول|شينخوا|سبوتنيك|وفا|ومع|ق\.?\s?ن\.?\s?ا)"
)
_DASH = r"[-–—:]"
_LEADING = re.compile(
    # A dateline may precede the credit: "دبي، الإمارات العربية المتحدة (CNN)--".
    rf"^\s*(?:[\w\s،,]{{0,45}}?{_DASH}?\s*)?\(\s*{_AGENCIES}\s*\)\s*{_DASH}*\s*(?=\S)",
)
_TRAILING = re.compile(rf"\s*(?:{_DASH}\s*)?\(\s*{_AGENCIES}\s*\)\s*\.?\s*$")
_TRAILING_BARE = re.compile(rf"\s*{_DASH}\s*{_AGENCIES}\s*\.?\s*$")
_SIGNOFFS = re.compile(
    r"\s*(?:تابعونا على|تابعوا آخر الأخبار|لمزيد من الأخبار|اقرأ أيضا[ًا]?|اقرأ ايضا"
    # Outlet sign-offs seen at the end of real articles (BBC app notice, Al Arabiya's opinion
    # disclaimer, France 24's live-stream link, CNN's verification caveat, a bare source line).
    r"|يمكنكم (?:استلام|تسلم) إشعارات|\*+\s*جميع المقالات المنشورة تمثل|لمتابعة (?:المباراة|المباشر) على"
    r"|(?:ويشار|ويشار على|ويشار إلى|علما[ًا]?) (?:إلى )?أن (?:موقع )?CNN بالعربية لا يمكن)[^\n]*$"
)
# A last line that only names the source ("المصدر: وكالات"); anchored at the line start so that
# "وقال المصدر: ..." inside a story stays.
_SOURCE_LINE = re.compile(r"\n\s*المصدر\s*:[^\n]*$")
# "فرانس24/ أ ف ب" on the last line: the outlet and its agency.
_OUTLET_CREDIT = re.compile(rf"\s*(?:فرانس\s?24|فرانس برس)\s*/\s*{_AGENCIES}?\s*\.?\s*$")


def strip_boilerplate(text: str) -> str:
    """Text with agency credits and sign-offs removed from its start and end; the middle is untouched."""
    previous = None
    while previous != text:
        previous = text
        text = _LEADING.sub("", text, count=1)
        text = _SOURCE_LINE.sub("", text, count=1)
        text = _TRAILING.sub("", text, count=1)
        text = _TRAILING_BARE.sub("", text, count=1)
        text = _SIGNOFFS.sub("", text, count=1)
        text = _OUTLET_CREDIT.sub("", text, count=1)
    return text.strip()
