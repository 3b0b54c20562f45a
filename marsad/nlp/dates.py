"""Dates in Arabic news resolved against the publication day: أمس الأربعاء، 25 كانون الثاني، 15 رمضان 1439."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from marsad.nlp.normalize import fold, fold_word

_MONTHS_RAW = {
    # Egyptian / Gulf series, with common spellings
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "ابريل": 4,
    "إبريل": 4,
    "أبريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يونيه": 6,
    "يوليو": 7,
    "يوليه": 7,
    "أغسطس": 8,
    "اغسطس": 8,
    "سبتمبر": 9,
    "أكتوبر": 10,
    "اكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
    # Levant and Iraq (Syriac series)
    "كانون الثاني": 1,
    "شباط": 2,
    "آذار": 3,
    "نيسان": 4,
    "أيار": 5,
    "حزيران": 6,
    "تموز": 7,
    "آب": 8,
    "أيلول": 9,
    "تشرين الأول": 10,
    "تشرين الثاني": 11,
    "كانون الأول": 12,
    # Maghreb (French series)
    "جانفي": 1,
    "فيفري": 2,
    "أفريل": 4,
    "ماي": 5,
    "جوان": 6,
    "جويلية": 7,
    "أوت": 8,
}
_HIJRI_RAW = {
    "محرم": 1,
    "صفر": 2,
    "ربيع الأول": 3,
    "ربيع الثاني": 4,
    "ربيع الآخر": 4,
    "جمادى الأولى": 5,
    "جمادى الآخرة": 6,
    "جمادى الثانية": 6,
    "رجب": 7,
    "شعبان": 8,
    "رمضان": 9,
    "شوال": 10,
    "ذو القعدة": 11,
    "ذي القعدة": 11,
    "ذو الحجة": 12,
    "ذي الحجة": 12,
}
MONTHS = {fold(k): v for k, v in _MONTHS_RAW.items()}
HIJRI_MONTHS = {fold(k): v for k, v in _HIJRI_RAW.items()}
WEEKDAYS = {
    fold(k): v
    for k, v in {
        "الاثنين": 0,
        "الثلاثاء": 1,
        "الأربعاء": 2,
        "الخميس": 3,
        "الجمعة": 4,
        "السبت": 5,
        "الأحد": 6,
    }.items()
}
_PARTS_OF_DAY = {
    fold(w) for w in ("فجر", "صباح", "مساء", "ظهر", "عصر", "ليلة", "ليل", "منتصف", "صبيحة", "فجرا")
}
_FUTURE = {fold(w) for w in ("المقبل", "القادم", "المقبلة", "القادمة")}
_PAST = {fold(w) for w in ("الماضي", "الماضية", "الماضيين", "الماضيتين", "المنصرم", "الفائت")}
_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")
# A season with its year ("في صيف 2012", also written "صيف2012"): dated to the season's middle month
# at month precision, which is enough to tell years-ago background from the news of the day.
_SEASONS = {fold(w): m for w, m in (("الشتاء", 1), ("شتاء", 1), ("الربيع", 4), ("ربيع", 4),
                                     ("الصيف", 7), ("صيف", 7), ("الخريف", 10), ("خريف", 10))}
_SEASON_YEAR = re.compile(r"(\D+?)" + _YEAR.pattern)
# words that follow a weekday standing as a dateline, not "الاثنين" = "the two"
_AFTER_WEEKDAY = {
    fold(w) for w in ("على", "في", "إلى", "الى", "عن", "أن", "إن", "بعد", "قبل", "مع", "وفق", "حسب")
}
_HYEAR = re.compile(r"1[34]\d\d")


@dataclass
class DateMention:
    start: int  # token indices
    end: int
    day: date | None
    precision: str  # day, week, month, year
    future: bool = False
    weekday: bool = False  # a bare weekday name, resolved to the latest past one


def hijri_to_gregorian(year: int, month: int, day: int) -> date:
    """Tabular (arithmetic) Islamic calendar; can differ by a day from the sighted calendar."""
    jd = day + math.ceil(29.5 * (month - 1)) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948439.5 - 1
    return date.fromordinal(int(jd - 1721424.5))


def parse_published(published_at: str | None) -> date | None:
    if not published_at:
        return None
    try:
        return datetime.fromisoformat(published_at.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(published_at).date()
    except (TypeError, ValueError):
        return None


def _core(w: str) -> str:
    # dates often carry a preposition or conjunction: في 17 ديسمبر، والجمعة، بتاريخ
    for p in ("وفي", "وب", "و", "ب", "ل", "ف"):
        if (
            w.startswith(p)
            and len(w) > len(p) + 2
            and (w[len(p) :] in MONTHS or w[len(p) :] in WEEKDAYS or w[len(p) :] in ("امس", "اليوم", "غدا"))
        ):
            return w[len(p) :]
    return w


@lru_cache(maxsize=20_000)
def _folded_core(word: str) -> str:
    return _core(fold_word(word))


def _month_at(f: list[str], i: int, table: dict[str, int]) -> tuple[int, int] | None:
    """(month, words used) when a month name starts at word i."""
    if i + 1 < len(f) and f"{f[i]} {f[i + 1]}" in table:
        return table[f"{f[i]} {f[i + 1]}"], 2
    if i < len(f) and f[i] in table:
        return table[f[i]], 1
    return None


def _fit_year(pub: date, month: int, day: int, future: bool, past: bool) -> date | None:
    try:
        d = date(pub.year, month, max(day, 1))
    except ValueError:
        return None
    if future and d < pub:
        d = d.replace(year=pub.year + 1)
    elif (past or d > pub + timedelta(days=2)) and d > pub:
        d = d.replace(year=pub.year - 1)
    return d


def find_dates(words: list[str], pub: date | None) -> list[DateMention]:
    """Date expressions among `words` (one sentence), resolved against the publication day."""
    f = [_folded_core(w) for w in words]
    out: list[DateMention] = []
    i = 0
    n = len(f)
    while i < n:
        w = f[i]
        nxt = f[i + 1] if i + 1 < n else ""
        start = i - 1 if i > 0 and f[i - 1] in _PARTS_OF_DAY else i
        # day number + month [+ year] (Gregorian in any series, or Hijri)
        if w.isdigit() and 1 <= int(w) <= 31:
            j = i + 1
            if j < n and f[j] in ("من", "شهر"):
                j += 1
            if j < n and f[j] == "شهر":
                j += 1
            for table, hijri in ((MONTHS, False), (HIJRI_MONTHS, True)):
                m = _month_at(f, j, table)
                if not m:
                    continue
                month, used = m
                k = j + used
                year = None
                if k < n and (_HYEAR.fullmatch(f[k]) if hijri else _YEAR.fullmatch(f[k])):
                    year = int(f[k])
                    k += 1
                    if k < n and f[k] in ("ه", "هـ"):
                        k += 1
                if hijri and year is None:
                    break  # a Hijri day without a year is too uncertain to place
                future = k < n and f[k] in _FUTURE
                past = k < n and f[k] in _PAST
                if hijri:
                    try:
                        d: date | None = hijri_to_gregorian(year, month, int(w))  # type: ignore[arg-type]
                    except (ValueError, OverflowError):
                        d = None
                elif year:
                    try:
                        d = date(year, month, int(w))
                    except ValueError:
                        d = None
                else:
                    d = _fit_year(pub, month, int(w), future, past) if pub else None
                if d:
                    out.append(
                        DateMention(i, k + (1 if future or past else 0), d, "day", bool(pub and d > pub))
                    )
                    i = k
                break
            else:
                i += 1
                continue
            i = max(i, start) + 1
            continue
        if pub is None:
            i += 1
            continue
        if w == "امس" or (w == "اول" and nxt == "امس"):
            back = 2 if (w == "اول" or nxt == "الاول") else 1
            end = i + (2 if w == "اول" or nxt == "الاول" else 1)
            if end < n and f[end] in WEEKDAYS:
                end += 1
            out.append(DateMention(start, end, pub - timedelta(days=back), "day"))
            i = end
            continue
        if w == "اليوم" and (
            start < i
            or (i + 1 < n and f[i + 1] in WEEKDAYS)
            or i == 0
            or f[i - 1] in ("صباح", "مساء")
            or (i > 0 and f[i - 1] not in ("حتي", "الي"))
        ):
            end = i + 1 + (1 if i + 1 < n and f[i + 1] in WEEKDAYS else 0)
            out.append(DateMention(start, end, pub, "day"))
            i = end
            continue
        glued = _SEASON_YEAR.fullmatch(w)
        if w in _SEASONS and _YEAR.fullmatch(nxt) or glued and glued[1] in _SEASONS:
            season, year, used = (w, int(nxt), 2) if w in _SEASONS else (glued[1], int(glued[2]), 1)
            out.append(DateMention(i, i + used, date(year, _SEASONS[season], 1), "month", year > pub.year))
            i += used
            continue
        if w in ("عام", "العام", "سنه") and _YEAR.fullmatch(nxt) or (w == "في" and _YEAR.fullmatch(nxt)):
            out.append(DateMention(i, i + 2, date(int(nxt), 1, 1), "year", int(nxt) > pub.year))
            i += 2
            continue
        if w in ("غدا", "غد"):
            out.append(DateMention(start, i + 1, pub + timedelta(days=1), "day", True))
        elif w in ("الاسبوع", "الشهر", "العام", "السنه") and nxt in _PAST | _FUTURE:
            sign = 1 if nxt in _FUTURE else -1
            span = {"الاسبوع": 7, "الشهر": 30, "العام": 365, "السنه": 365}[w]
            prec = {"الاسبوع": "week", "الشهر": "month"}.get(w, "year")
            out.append(DateMention(i, i + 2, pub + timedelta(days=sign * span), prec, sign > 0))
            i += 2
            continue
        elif w in ("اليومين", "الساعات") and nxt in _PAST:
            out.append(DateMention(i, i + 2, pub - timedelta(days=1), "day"))
            i += 2
            continue
        elif w in WEEKDAYS and (
            w not in ("الاثنين",)
            or (i > 0 and f[i - 1] in ("يوم", "امس", "مساء", "صباح", "ليله", "ظهر", "فجر"))
            or nxt in _AFTER_WEEKDAY
            or nxt in _FUTURE
            or nxt in _PAST
            or i == n - 1
        ):
            # "الاثنين" is also "the two": alone it is a day only where a dateline puts it
            # ("اتفقتا، الاثنين، على ...", "... الاثنين.")
            future = nxt in _FUTURE
            delta = (pub.weekday() - WEEKDAYS[w]) % 7
            d = pub + timedelta(days=(7 - delta) % 7 or 7) if future else pub - timedelta(days=delta)
            s = i - 1 if i > 0 and f[i - 1] == "يوم" else start
            out.append(
                DateMention(
                    s,
                    i + 1 + (1 if future or nxt in _PAST else 0),
                    d,
                    "day",
                    future,
                    weekday=not future and nxt not in _PAST,
                )
            )
        else:
            m = _month_at(f, i + 1 if w == "شهر" else i, MONTHS)
            after_fi = i > 0 and f[i - 1] in ("في", "خلال", "منذ", "مطلع", "اواخر", "اوائل", "منتصف")
            if m and (
                w == "شهر"
                or after_fi
                or (i + m[1] < n and (f[i + m[1]] in _PAST | _FUTURE or _YEAR.fullmatch(f[i + m[1]])))
            ):
                k = i + (1 if w == "شهر" else 0) + m[1]
                year = int(f[k]) if k < n and _YEAR.fullmatch(f[k]) else None
                future = k < n and f[k] in _FUTURE
                past = k < n and f[k] in _PAST
                d = date(year, m[0], 1) if year else _fit_year(pub, m[0], 1, future, past)
                if d:
                    out.append(DateMention(i, k + (1 if future or past or year else 0), d, "month", future))
                    i = k + 1
                    continue
        i += 1
    return out
