"""Outlet boilerplate that says nothing about the story: agency tags, datelines, sign-offs."""

from __future__ import annotations

import re

# Agency credits such as "(وكالات)", "(سانا) –", "(أ ف ب)", "- رويترز" at either end of a text.
_AGENCIES = r"(?:وكالات|الوكالات|سانا|واس|وام|قنا|كونا|بترا|رويترز|ا\s?ف\s?ب|أ\s?ف\s?ب|د\s?ب\s?ا|أ\s?ب|ا\s?ب|الأناضول|الاناضول|شينخوا|سبوتنيك|وفا|ومع|ق\.?\s?ن\.?\s?ا)"
_DASH = r"[-–—:]"
_LEADING = re.compile(
    rf"^\s*(?:[\w\s]{{0,25}}?{_DASH}?\s*)?\(\s*{_AGENCIES}\s*\)\s*{_DASH}?\s*",
)
_TRAILING = re.compile(rf"\s*(?:{_DASH}\s*)?\(\s*{_AGENCIES}\s*\)\s*\.?\s*$")
_TRAILING_BARE = re.compile(rf"\s*{_DASH}\s*{_AGENCIES}\s*\.?\s*$")
_SIGNOFFS = re.compile(
    r"\s*(?:تابعونا على|تابعوا آخر الأخبار|لمزيد من الأخبار|اقرأ أيضا[ًا]?|اقرأ ايضا)[^\n]*$"
)


def strip_boilerplate(text: str) -> str:
    """Text with agency credits and sign-offs removed from its start and end; the middle is untouched."""
    previous = None
    while previous != text:
        previous = text
        text = _LEADING.sub("", text, count=1)
        text = _TRAILING.sub("", text, count=1)
        text = _TRAILING_BARE.sub("", text, count=1)
        text = _SIGNOFFS.sub("", text, count=1)
    return text.strip()
