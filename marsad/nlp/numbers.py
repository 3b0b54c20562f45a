"""Counts in Arabic text: digits, number words, vague quantities (عشرات) and ranges (بين 4000 و6000)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from marsad.nlp.normalize import fold, fold_word

# Folded number words → value. Feminine/masculine and case forms are listed; fold has turned ة into ه.
_UNITS = {
    "واحد": 1,
    "واحده": 1,
    "اثنان": 2,
    "اثنين": 2,
    "اثنتان": 2,
    "اثنتين": 2,
    "ثلاث": 3,
    "ثلاثه": 3,
    "اربع": 4,
    "اربعه": 4,
    "خمس": 5,
    "خمسه": 5,
    "ست": 6,
    "سته": 6,
    "سبع": 7,
    "سبعه": 7,
    "ثمان": 8,
    "ثماني": 8,
    "ثمانيه": 8,
    "تسع": 9,
    "تسعه": 9,
    "عشر": 10,
    "عشره": 10,
}
_TENS = {
    "عشرون": 20,
    "عشرين": 20,
    "ثلاثون": 30,
    "ثلاثين": 30,
    "اربعون": 40,
    "اربعين": 40,
    "خمسون": 50,
    "خمسين": 50,
    "ستون": 60,
    "ستين": 60,
    "سبعون": 70,
    "سبعين": 70,
    "ثمانون": 80,
    "ثمانين": 80,
    "تسعون": 90,
    "تسعين": 90,
}
_BIG = {
    "مئه": 100,
    "مائه": 100,
    "مئتان": 200,
    "مئتين": 200,
    "مائتان": 200,
    "مائتين": 200,
    "الف": 1000,
    "الفا": 1000,
    "الفان": 2000,
    "الفين": 2000,
    "مليون": 1_000_000,
}
# Vague plurals: a lower bound, no point value ("عشرات" = at least twenty).
_VAGUE = {
    "عشرات": 20,
    "مئات": 200,
    "الاف": 2000,
    "الوف": 2000,
    "ملايين": 2_000_000,
    "العشرات": 20,
    "المئات": 200,
    "الالاف": 2000,
}
_SINGLE_NOUN = {"قتيل": 1, "جريح": 1, "قتيلا": 1, "جريحا": 1, "شخص": 1}
_APPROX = (
    "نحو",
    "حوالي",
    "قرابه",
    "زهاء",
    "قرابة",
    "ما يقارب",
    "ما يناهز",
    "اكثر من",
    "ما لا يقل عن",
    "اقل من",
    "ما يزيد علي",
    "ما يزيد عن",
)
_WORDS = {fold(k): v for k, v in {**_UNITS, **_TENS, **_BIG}.items()}
_VAGUE = {fold(k): v for k, v in _VAGUE.items()}
_APPROX_F: tuple[str, ...] = tuple(fold(a) for a in _APPROX)
_DIGITS = re.compile(r"\d+(?:[.,٬]\d{3})*")
# first folded word of each modifier → its words, in _APPROX order
_APPROX_BY_FIRST: dict[str, list[list[str]]] = {}
for _a in _APPROX_F:
    _APPROX_BY_FIRST.setdefault(_a.split()[0], []).append(_a.split())


@dataclass
class Count:
    value: int | None  # the figure to record (lower bound for ranges and vague words)
    minimum: int | None  # set when the text gives only a lower bound or a range
    maximum: int | None
    start: int  # token index where the expression starts (for nearness)
    end: int  # token index after it
    approximate: bool = False


def _word_value(w: str) -> int | None:
    w = w[1:] if w.startswith("و") and w[1:] in _WORDS else w
    return _WORDS.get(w)


def counts(words: list[str]) -> list[Count]:
    """Number expressions in a list of words (original or folded); indices refer to `words`."""
    f = [fold_word(w) for w in words]
    out: list[Count] = []
    i = 0
    while i < len(f):
        start = i
        approx = False
        # modifiers: نحو 30، أكثر من مئة
        for parts in _APPROX_BY_FIRST.get(f[i], ()):
            if f[i : i + len(parts)] == parts:
                approx = True
                i += len(parts)
                break
        if i >= len(f):
            break
        w = f[i]
        # ranges: بين 4000 و6000، من 10 إلى 20
        if w in ("بين", "من") and i + 2 < len(f):
            lo = _num(f[i + 1])
            nxt = f[i + 2]
            hi = (
                _num(nxt[1:])
                if nxt.startswith("و")
                else (_num(f[i + 3]) if nxt in ("الي", "و") and i + 3 < len(f) else None)
            )
            if lo is not None and hi is not None and hi > lo:
                end = i + (3 if nxt.startswith("و") and len(nxt) > 1 else 4)
                out.append(Count(lo, lo, hi, start, end, True))
                i = end
                continue
        value = _num(w)
        if value is not None:
            end = i + 1
            # compound words: خمسة وعشرون، ثلاثة آلاف
            while end < len(f):
                more = _word_value(f[end])
                if more is None or _DIGITS.fullmatch(f[end]):
                    if f[end] in ("الاف", "الف", "مليون", "ملايين") and value < 1000:  # folded forms
                        value *= 1000 if f[end] != "مليون" and f[end] != "ملايين" else 1_000_000
                        end += 1
                    break
                value = value * more if more >= 100 and value < more else value + more
                end += 1
            lower = value if approx and f[start] in ("اكثر", "ما") else None
            out.append(Count(value, lower, None, start, end, approx))
            i = end
            continue
        if w in _VAGUE:
            out.append(Count(None, _VAGUE[w], None, start, i + 1, True))
        elif w in ("عده", "بضعه", "بضع") and i + 1 < len(f) and not f[i + 1].startswith("ال"):
            out.append(Count(None, 2, None, start, i + 1, True))
        i += 1
    return out


def _num(w: str) -> int | None:
    m = _DIGITS.fullmatch(w)
    if m:
        try:
            return int(re.sub(r"[.,٬]", "", w))
        except ValueError:
            return None
    return _word_value(w)
