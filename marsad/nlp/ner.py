"""Named entities with offsets into the original text: CRF tagger, gazetteers, patterns, camel-tools."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from operator import or_
from typing import Any

from marsad.nlp import clitics, features
from marsad.nlp.lexicon import (
    DATA,
    ORG_HEADS_F,
    PERSON_TITLES_F,
    PLACE_HEADS_F,
    Place,
    actors,
    common_words,
    known_names,
    places,
)
from marsad.nlp.normalize import fold, fold_word

log = logging.getLogger(__name__)

MODEL = DATA / "ner_crf.model"
# ANERcorp's tag names → the types Marsad records carry.
_TYPES = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "GPE": "GPE", "ORG": "ORG", "MISC": "MISC"}
_SENT_END = re.compile(r"[.!?؟\n]")
_SENT_END_TOKENS = frozenset(".!?؟")  # tokens never hold white space, so \n never ends one
_MAX_SENT = 120  # tokens per CRF call; longer runs (lists, HTML debris) are cut

# Armed groups and movements that a 2007-era corpus does not know, written for Marsad.
GROUPS = [
    "داعش",
    "تنظيم الدولة",
    "تنظيم الدولة الإسلامية",
    "القاعدة",
    "تنظيم القاعدة",
    "الحوثيين",
    "الحوثيون",
    "جماعة الحوثي",
    "طالبان",
    "حركة طالبان",
    "حزب الله",
    "حماس",
    "حركة حماس",
    "بوكو حرام",
    "حركة الشباب",
    "الحشد الشعبي",
    "قوات سوريا الديمقراطية",
    "هيئة تحرير الشام",
    "جبهة النصرة",
    "أنصار الشريعة",
    "الجيش الوطني الليبي",
    "الجيش الليبي",
    "حكومة الوفاق",
    "حكومة الوفاق الوطني",
    "المجلس الرئاسي",
    "مجلس النواب",
    "الأمم المتحدة",
    "مجلس الأمن",
    "مجلس الأمن الدولي",
    "الاتحاد الأوروبي",
    "الاتحاد الإفريقي",
    "الاتحاد الأفريقي",
    "جامعة الدول العربية",
    "حلف الناتو",
    "الناتو",
    "الجيش السوري الحر",
    "شورى مجاهدي درنة",
    "الجيش السوري",
    "الجيش الإسرائيلي",
    "الجيش المصري",
    "الجيش العراقي",
    "التحالف الدولي",
    "أحرار الشام",
    "حركة أحرار الشام",
    "جيش الإسلام",
    "وحدات حماية الشعب",
    "وحدات حماية الشعب الكردية",
    "الخوذ البيضاء",
    "أنصار الله",
    "ألوية العمالقة",
    "التحالف العربي",
    "تحالف دعم الشرعية",
    "مجلس شورى مجاهدي درنة",
    "المرصد السوري لحقوق الإنسان",
    "الحرس الثوري",
    "الحرس الثوري الإيراني",
    "جماعة الإخوان",
    "الإخوان المسلمين",
    "حزب العمال الكردستاني",
]


@dataclass
class Entity:
    text: str
    start: int
    end: int
    type: str  # PER, ORG, LOC, GPE, MISC
    canonical: str
    source: str  # crf, camel, gazetteer, pattern
    place: Place | None = field(default=None, repr=False)
    code: str | None = None  # UniversalPetrarch actor code when known

    def to_dict(self) -> dict:
        d = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "type": self.type,
            "canonical": self.canonical,
            "source": self.source,
        }
        if self.code:
            d["code"] = self.code
        if self.place:
            p = self.place
            d.update(country=p.country, admin1=p.admin1, lat=p.lat, lon=p.lon, geonameid=p.geonameid)
        return d


_LOOSE = str.maketrans(
    {"ذ": "د", "ظ": "ض", "ث": "ت", "ک": "ك", "ی": "ي", "گ": "ك", "پ": "ب", "چ": "ج", "ڤ": "ف"}
)


@lru_cache(maxsize=20_000)
def loose(name: str) -> str:
    """Key under which spelling variants of one name meet: folded (hamza seats, alef forms, teh
    marbuta), ذ/د and ظ/ض merged (قنفوذة/قنفودة), Persian letters mapped, spaces single."""
    return " ".join(fold(name).translate(_LOOSE).split())


@lru_cache(maxsize=1)
def _loose_places() -> dict[str, list[Place]]:
    out: dict[str, list[Place]] = {}
    for k, v in places().items():
        out.setdefault(loose(k), []).extend(v)
    for v in out.values():
        v.sort(key=lambda p: -p.population)
    return out


def warm() -> None:
    """Load every table extraction reads (tagger, gazetteers and their indexes) now rather than in
    the middle of the first articles: a worker pays this once at start."""
    tagger()
    _loose_places()
    _group_phrases()
    _strong_phrases()
    known_names()
    common_words()
    actors()


def resolve_place(name: str, countries: set[str] | None = None) -> Place | None:
    """The place a folded name most likely means: exact folded match, then loose, then without the
    article; among namesakes, one in a country the article mentions, else the most populous."""
    return _resolve_place(name, frozenset(countries) if countries else frozenset())


@lru_cache(maxsize=10_000)
def _resolve_place(name: str, countries: frozenset[str]) -> Place | None:
    f = " ".join(fold(name).split())
    cands = places().get(f) or _loose_places().get(loose(f))
    if not cands and f.startswith("ال"):
        cands = places().get(f[2:]) or _loose_places().get(loose(f[2:]))
    if not cands:
        return None
    if f in _NAME_LEADS:
        return None  # "بني" or "أبو" alone is the first half of a name the tagger cut (بني وليد)
    if f in common_words() or f in PLACE_HEADS_F or f.removeprefix("ال") in PLACE_HEADS_F:
        # المدينة is "the city" far more often than Medina: only curated entries may answer
        cands = [p for p in cands if p.kind != "city" or p.curated]
        if not cands:
            return None
    if countries:
        for p in cands:
            if p.country in countries:
                return p
    return cands[0]


# ---------------------------------------------------------------- taggers


class _CrfTagger:
    """The shipped CRF, scored here rather than by crfsuite. A CRF's score at a position is a sum
    over the attributes of the word and its two neighbours on each side, so each word's weights
    are summed once per role (itself, left or right neighbour at one or two) into a row per label
    and cached; a sentence is then five shifted additions and a Viterbi pass, and costs the same
    however many features the model has. Tags equal crfsuite's (the test suite checks)."""

    CACHE_MAX = 30_000  # words, as features._CACHE

    def __init__(self) -> None:
        import numpy as np
        import pycrfsuite

        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(MODEL))
        info = self.tagger.info()
        self.labels = list(self.tagger.labels())
        col = {t: k for k, t in enumerate(self.labels)}
        attrs: dict[str, int] = {}
        for a, _ in info.state_features:
            attrs.setdefault(a, len(attrs))
        weights = np.zeros((len(attrs) + 1, len(self.labels)))  # last row: attributes the model lacks
        for (a, t), v in info.state_features.items():
            weights[attrs[a], col[t]] = v
        self.trans = np.zeros((len(self.labels), len(self.labels)))
        for (a, b), v in info.transitions.items():
            self.trans[col[a], col[b]] = v
        self.attrs, self.weights, self.np = attrs, weights, np
        zero = np.zeros(len(self.labels))
        self.bias = weights[attrs["bias"]] if "bias" in attrs else zero
        self.bos = weights[attrs["BOS"]] if "BOS" in attrs else zero
        self.eos = weights[attrs["EOS"]] if "EOS" in attrs else zero
        self.cols = np.arange(len(self.labels))
        self.cache: dict[str, Any] = {}

    def _word(self, word: str) -> Any:
        got = self.cache.get(word)
        if got is None:
            if len(self.cache) >= self.CACHE_MAX:
                self.cache.clear()
            parts = features._word_features(word)
            get, missing = self.attrs.get, len(self.attrs)
            idx = [get(f, missing) for p in parts for f in p]
            starts = [0]
            for p in parts[:-1]:
                starts.append(starts[-1] + len(p))
            # every part holds at least the word itself, so no two starts are equal
            got = self.cache[word] = self.np.add.reduceat(self.weights[idx], starts, axis=0)
        return got

    def tag(self, words: list[str]) -> list[str]:
        n = len(words)
        if not n:
            return []
        v = self.np.stack([self._word(w) for w in words])  # (word, role, label)
        e = self.bias + v[:, 0]
        e[0] += self.bos
        e[-1] += self.eos
        # list k of word j counts at position j - features.ROLES[k]
        for k, r in enumerate(features.ROLES[1:], 1):
            if r < 0 and n > -r:
                e[-r:] += v[: n + r, k]
            elif r > 0 and n > r:
                e[: n - r] += v[r:, k]
        trans, cols = self.trans, self.cols
        score = e[0]
        back = []
        for i in range(1, n):
            m = score[:, None] + trans
            b = m.argmax(axis=0)
            back.append(b)
            score = m[b, cols] + e[i]
        k = int(score.argmax())
        path = [k]
        for b in reversed(back):
            k = int(b[k])
            path.append(k)
        labels = self.labels
        return [labels[k] for k in reversed(path)]


class _CamelTagger:
    """camel-tools' BERT NER (needs torch and its downloaded data); tags in ANERcorp's scheme."""

    def __init__(self, model_path: str | None = None) -> None:
        from camel_tools.ner import NERecognizer

        path = model_path or os.environ.get("MARSAD_NER_CAMEL_MODEL")
        self.rec = NERecognizer(path) if path else NERecognizer.pretrained()

    def tag(self, words: list[str]) -> list[str]:
        return list(self.rec.predict_sentence(words))


@lru_cache(maxsize=1)
def tagger() -> _CrfTagger | _CamelTagger:
    """The tagger for this process: camel-tools when MARSAD_NER=camel and it loads, else the shipped CRF."""
    if os.environ.get("MARSAD_NER", "crf").lower() == "camel":
        try:
            t = _CamelTagger()
            log.info("NER: camel-tools BERT model")
            return t
        except Exception as exc:  # no torch, no data: say so once and carry on with the CRF
            log.warning("MARSAD_NER=camel but camel-tools NER could not load (%s); using the CRF", exc)
    return _CrfTagger()


def tag_sentences(sentences: list[list[str]]) -> list[list[str]]:
    """ANERcorp BIO tags (B-PERS, I-LOC, ...) for pre-tokenized sentences."""
    t = tagger()
    out = []
    for words in sentences:
        tags: list[str] = []
        for i in range(0, len(words), _MAX_SENT):
            tags.extend(t.tag(words[i : i + _MAX_SENT]) if words[i : i + _MAX_SENT] else [])
        out.append(tags)
    return out


# ---------------------------------------------------------------- entities in running text


def sentences(text: str) -> list[list[tuple[str, int, int]]]:
    """Token sentences of running text, cut at sentence punctuation and line breaks."""
    out: list[list[tuple[str, int, int]]] = []
    toks = features.tokens(text)
    # sentence punctuation is always a token of its own; cut after each, and every _MAX_SENT tokens
    ends = [k + 1 for k, (w, _, _) in enumerate(toks) if w in _SENT_END_TOKENS]
    if not ends or ends[-1] != len(toks):
        ends.append(len(toks))
    a = 0
    for b in ends:
        while b - a > _MAX_SENT:
            out.append(toks[a : a + _MAX_SENT])
            a += _MAX_SENT
        if b > a:
            out.append(toks[a:b])
        a = b
    return out


def _strip_span(text: str, start: int, end: int) -> tuple[int, str]:
    """Move an entity's start past its proclitics; returns (new start, folded core for matching)."""
    first = text[start:end].split()[0] if text[start:end].split() else text[start:end]
    n, core = split_known(fold_word(first))
    if n == 1 and core.startswith("ل") and loose("ا" + core) in _loose_places():
        # "للرياض" is ل + الرياض with the article's alef swallowed, not ل + a name "لرياض"
        n, core = 2, "ا" + core
    rest = fold(text[start:end])[len(fold(first)) :]
    if n:
        # n counts folded letters; walk the original skipping marks and tatweel that fold drops.
        i, seen = start, 0
        while i < end and seen < n:
            if fold(text[i]):
                seen += 1
            i += 1
        while i < end and not fold(text[i]):
            i += 1
        start = i
    return start, core + rest


def _canonical_words(core: str) -> str:
    return " ".join(core.split())


def split_known(folded: str) -> tuple[int, str]:
    """clitics.split against the known-name list, cached per list (training swaps lists per fold)."""
    known = known_names()
    return _split_known(folded, id(known), known)


@lru_cache(maxsize=50_000)
def _split_known(folded: str, _known_id: int, known: frozenset[str]) -> tuple[int, str]:
    return clitics.split(folded, known)


class _Phrases:
    """Folded word sequences to look for in running text, with every leading part of each, so a
    search walks forward only while what it has read can still grow into a name."""

    __slots__ = ("keys", "prefixes")

    def __init__(self, keys) -> None:
        self.keys = frozenset(keys)
        prefixes: set[str] = set()
        for key in self.keys:
            words = key.split(" ")
            for k in range(1, len(words) + 1):
                prefixes.add(" ".join(words[:k]))
        self.prefixes = frozenset(prefixes)


def _find_multiword(
    folded_words: list[str], table: _Phrases, max_len: int = 5, starts: list[int] | None = None
) -> list[tuple[int, int]]:
    """Longest matches of folded word sequences in `table` (first word may carry clitics).
    `starts`, when given, lists (in order) the only positions where a match can begin."""
    hits: list[tuple[int, int]] = []
    n = len(folded_words)
    prefixes, keys = table.prefixes, table.keys
    i = 0
    for i0 in range(n) if starts is None else starts:
        if i0 < i:
            continue
        i = i0
        found = 0
        for _, read in clitics.candidates(folded_words[i]):
            if read not in prefixes:
                continue
            cur, k = read, 1
            if cur in keys and found < 1:
                found = 1
            while k < max_len and i + k < n:
                cur = cur + " " + folded_words[i + k]
                k += 1
                if cur not in prefixes:
                    break
                if cur in keys and k > found:
                    found = k
        if found:
            hits.append((i, i + found))
            i += found
        else:
            i += 1
    return hits


# What a word can be in the pattern layer, worked out once per distinct word.
_W_GROUP, _W_STRONG, _W_FORCE, _W_UNIT, _W_TITLE, _W_PHEAD = 1, 2, 4, 8, 16, 32


@lru_cache(maxsize=50_000)
def _word_info(word: str) -> tuple[str, int]:
    """(folded word, flags): whether it can begin a known group or a strong place name, and whether
    its core is a force head, a unit head, a person title or a place head."""
    f = fold_word(word)
    groups, strong = _group_phrases().prefixes, _strong_phrases().prefixes
    flags = 0
    for _, r in clitics.candidates(f):
        if r in groups:
            flags |= _W_GROUP
        if r in strong:
            flags |= _W_STRONG
    core = clitics.split_plain(f)[1]
    bare = core.removeprefix("ال")
    if core in _FORCE_HEADS:
        flags |= _W_FORCE
    if bare in _UNIT_HEADS_BARE:
        flags |= _W_UNIT
    if core in PERSON_TITLES_F:
        flags |= _W_TITLE
    if bare in _PLACE_HEAD_BARE or f in _CLITIC_HEADS:
        flags |= _W_PHEAD  # ومديرية، بمستوطنة: a lone proclitic before a head word
    return f, flags


def _where(flags: list[int], bit: int, stop: int) -> list[int]:
    return [i for i in range(stop) if flags[i] & bit]


@lru_cache(maxsize=1)
def _group_table() -> dict[str, str]:
    return {" ".join(fold(g).split()): g for g in GROUPS}


@lru_cache(maxsize=1)
def _group_phrases() -> _Phrases:
    return _Phrases(_group_table())


@lru_cache(maxsize=1)
def _strong_phrases() -> _Phrases:
    return _Phrases(_strong_places())


@lru_cache(maxsize=1)
def _strong_places() -> dict[str, object]:
    """Place names safe to tag without the CRF: curated ones, and towns over 100k with names of 4+ letters."""
    common = common_words()
    return {
        k: v
        for k, v in places().items()
        if len(k.replace(" ", "")) >= 4
        and (v[0].kind != "city" or v[0].population >= 100_000)
        and k not in common
        and k not in PLACE_HEADS_F
    }


_LOCATIVE = frozenset(
    fold(w)
    for w in (
        "في",
        "من",
        "إلى",
        "الى",
        "قرب",
        "بالقرب",
        "شمال",
        "جنوب",
        "شرق",
        "غرب",
        "شمالي",
        "جنوبي",
        "شرقي",
        "غربي",
        "مدينة",
        "محافظة",
        "ولاية",
        "منطقة",
        "عاصمة",
        "العاصمة",
        "داخل",
        "حول",
        "نحو",
        "عبر",
        "بين",
        "وسط",
        "لدى",
        "مدينتي",
        # movement and siege nouns name the place they act on (لمغادرة دوما، حصار حلب)
        "مغادرة",
        "لمغادرة",
        "دخول",
        "حصار",
        "محاصرة",
    )
)


def _placelike(folded: list[str], a: int, b: int) -> bool:
    """Whether a gazetteer-only match reads as a place: countries, curated and multi-word names do;
    a one-word town needs a locative word or preposition before it (جدة الطفلة is a grandmother)."""
    name = " ".join(clitics.split_plain(w)[1] if k == 0 else w for k, w in enumerate(folded[a:b]))
    cands = places().get(name) or []
    if b - a > 1 or (cands and cands[0].kind != "city"):
        return True
    n, _ = split_known(folded[a])
    if n and folded[a][n - 1] in "بل":
        return True
    return a > 0 and (folded[a - 1] in _LOCATIVE or folded[a - 1] in ("،", ","))


def _definite_nisba(word: str) -> bool:
    """Whether a folded word has the shape of a definite nisba adjective (المصريه، الليبي)."""
    return word.startswith("ال") and word.endswith(("يه", "ي"))


def _trailing_nisba(words: Sequence[str]) -> bool:
    """Whether a place span's last folded word is a nisba adjective ("الليبيه"، "السوري") that the
    tagger took into the name: the words before it name a known place and the whole span none."""
    last = words[-1]
    if not _definite_nisba(last) or len(last) < 5 or last in _PLACE_ADJ:
        return False
    return resolve_place(" ".join(words[:-1])) is not None and resolve_place(" ".join(words)) is None


def entities(text: str, crf_spans: list[tuple[int, int]] | None = None) -> list[Entity]:
    """Entities in `text` with offsets into `text` itself, clitics left outside the span.

    `crf_spans` limits the CRF to the sentences that overlap one of the given character spans
    (extraction passes the sentences with an event trigger and the lead); the gazetteer and pattern
    layers still read every sentence. None tags every sentence.
    """
    sents = sentences(text)
    if crf_spans is None:
        chosen = list(range(len(sents)))
    else:
        chosen = [k for k, s in enumerate(sents) if any(a < s[-1][2] and s[0][1] < b for a, b in crf_spans)]
    tagged: list[list[str] | None] = [None] * len(sents)  # None: not tagged, all "O"
    for k, tags in zip(chosen, tag_sentences([[w for w, _, _ in sents[k]] for k in chosen]), strict=True):
        tagged[k] = tags
    found: list[tuple[int, int, str, str]] = []  # start, end, type, source
    folded_sents = []
    for sent, tags in zip(sents, tagged, strict=True):
        folded, flags = zip(*[_word_info(w) for w, _, _ in sent], strict=True)  # type: ignore[assignment]
        folded_sents.append(folded)
        anyflag = reduce(or_, flags)
        taken = [False] * len(sent)
        n1 = len(sent) - 1
        # Known groups first: their heads (جيش، حكومة، تنظيم) and embedded places must not split them.
        if anyflag & _W_GROUP:
            for a, b in _find_multiword(folded, _group_phrases(), 5, _where(flags, _W_GROUP, len(sent))):
                found.append((sent[a][1], sent[b - 1][2], "ORG", "gazetteer"))
                taken[a:b] = [True] * (b - a)
        if anyflag & _W_STRONG and tags is not None:
            # multi-word place names (بني وليد، دير الزور) before the CRF, which may cut them in two
            for a, b in _find_multiword(folded, _strong_phrases(), 3, _where(flags, _W_STRONG, len(sent))):
                if b - a > 1 and not any(taken[a:b]):
                    found.append((sent[a][1], sent[b - 1][2], "LOC", "gazetteer"))
                    taken[a:b] = [True] * (b - a)
        if anyflag & _W_FORCE:
            _org_pattern(sent, folded, taken, found, _where(flags, _W_FORCE, n1))
        if anyflag & _W_UNIT:
            _unit_pattern(sent, folded, taken, found, _where(flags, _W_UNIT, n1))
        i = 0 if tags is not None else len(sent)
        while i < len(sent):
            t = tags[i]  # type: ignore[index]
            if t == "O" or taken[i]:
                i += 1
                continue
            typ = t[2:]
            j = i + 1
            while j < len(sent) and tags[j] == "I-" + typ and not taken[j]:
                j += 1
            if (
                typ == "LOC"
                and j == i + 1
                and j < len(sent)
                and not taken[j]
                and folded[i].startswith("ال")
                and folded[j] in _PLACE_ADJ
            ):
                j += 1  # "الساحل الشرقي"، "الدوار الكبير": the adjective is part of the name
            elif typ == "LOC" and j - i >= 2 and _trailing_nisba(folded[i:j]):
                j -= 1  # "سرت الليبية": the town, and an adjective that says whose it is
            found.append((sent[i][1], sent[j - 1][2], _TYPES.get(typ, "MISC"), "crf"))
            taken[i:j] = [True] * (j - i)
            i = j
        if anyflag & _W_STRONG:
            for a, b in _find_multiword(folded, _strong_phrases(), 3, _where(flags, _W_STRONG, len(sent))):
                if not any(taken[a:b]) and _placelike(folded, a, b):
                    found.append((sent[a][1], sent[b - 1][2], "LOC", "gazetteer"))
                    taken[a:b] = [True] * (b - a)
        if anyflag & _W_TITLE:
            _title_pattern(sent, folded, taken, found, _where(flags, _W_TITLE, n1))
        if anyflag & _W_PHEAD:
            _place_pattern(sent, folded, taken, found, _where(flags, _W_PHEAD, n1))
    _propagate_places(text, sents, found, folded_sents)
    out: list[Entity] = []
    for start, end, typ, source in sorted(found):
        start, core = _strip_span(text, start, end)
        if start >= end or not any(ch.isalpha() for ch in core):
            continue
        out.append(Entity(text[start:end], start, end, typ, _canonical_words(core), source))
    _canonicalize(out)
    return out


_UNIT_HEADS = frozenset(
    fold(w)
    for w in (
        "كتيبة",
        "كتائب",
        "لواء",
        "سرايا",
        "ميليشيا",
        "مليشيا",
        "تنظيم",
        "حركة",
        "جبهة",
        "حزب",
        "جماعة",
        "فصيل",
        "غرفة عمليات",
    )
)
_UNIT_HEADS_BARE = frozenset(h.removeprefix("ال") for h in _UNIT_HEADS)
_ORG_STOP = frozenset(
    fold(w)
    for w in (
        "التابعة",
        "التابع",
        "الذي",
        "التي",
        "في",
        "من",
        "على",
        "إلى",
        "عن",
        "مع",
        "أن",
        "إن",
        "بعد",
        "قبل",
        "أمس",
        "اليوم",
        "الذين",
        "ضد",
        "و",
        "كما",
        "حيث",
        "خلال",
        "بين",
        "منذ",
        "قد",
        "لم",
        "لا",
        "هو",
        "هي",
    )
)


_FORCE_HEADS = frozenset(
    fold(w)
    for w in (
        "الجيش",
        "جيش",
        "القوات",
        "قوات",
        "الحرس",
        "الشرطة",
        "الأمن",
        "البحرية",
        "الحكومة",
        "حكومة",
        "الخارجية",
        "الداخلية",
        "الدفاع",
    )
)


def _org_pattern(sent, folded, taken, found, idx=None) -> None:
    """Forces and governments named by adjectives (الجيش الوطني، القوات الأميركية، الخارجية الفرنسية).
    `idx` (here and below), when given, lists the positions whose word is a head."""
    for i in range(len(folded) - 1) if idx is None else idx:
        if taken[i] or idx is None and clitics.split_plain(folded[i])[1] not in _FORCE_HEADS:
            continue
        j = i + 1
        while (
            j < len(sent)
            and j <= i + 3
            and not taken[j]
            and folded[j].startswith("ال")
            and folded[j].endswith(("ي", "يه", "يين", "يون"))
            and len(folded[j]) > 4
        ):
            j += 1
        if j > i + 1:
            found.append((sent[i][1], sent[j - 1][2], "ORG", "pattern"))
            taken[i:j] = [True] * (j - i)


def _unit_pattern(sent, folded, taken, found, idx=None) -> None:
    """Unit and movement names after a head word (كتيبة شهداء الزاوية، تنظيم داعش الإرهابي): up to three
    following words, stopping at function words, punctuation or another entity; a place inside stays
    inside."""
    for i in range(len(folded) - 1) if idx is None else idx:
        if (
            taken[i]
            or idx is None
            and clitics.split_plain(folded[i])[1].removeprefix("ال") not in _UNIT_HEADS_BARE
        ):
            continue
        j = i + 1
        while (
            j < len(sent)
            and j <= i + 3
            and folded[j].isalpha()
            and folded[j] not in _ORG_STOP
            and not taken[j]
            and clitics.split_plain(folded[j])[0] == 0
            and folded[j] not in WEEKDAY_WORDS
        ):
            j += 1
        if j > i + 1:
            found.append((sent[i][1], sent[j - 1][2], "ORG", "pattern"))
            taken[i:j] = [True] * (j - i)


_PLACE_HEAD_BARE = frozenset(
    h.removeprefix("ال")
    for h in PLACE_HEADS_F
    | {
        fold("مديرية"),
        fold("محافظة"),
        fold("مستوطنة"),
        fold("معسكر"),
        fold("حي"),
        fold("ضاحية"),
        fold("مديريتي"),
        fold("مدينتي"),
        fold("بلدتي"),
        fold("مفرق"),
    }
)
# heads after which the next word names a place even when it is also a common word (مستوطنة بركان)
_NAMED_HEADS = frozenset(fold(w) for w in ("مستوطنة", "مديرية", "محافظة", "بلدة", "قرية", "مخيم", "ناحية"))
# place heads behind a proclitic stack without the article (ومديرية، بمستوطنة، وبمنطقة)
_CLITIC_HEADS = frozenset(
    p + h for p in ("و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك", "فك") for h in _PLACE_HEAD_BARE
)
WEEKDAY_WORDS = frozenset(
    fold(w) for w in ("السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة")
)


_NAME_LEADS = frozenset(
    fold(w)
    for w in (
        "بو",
        "أبو",
        "ابو",
        "بني",
        "عين",
        "بئر",
        "دير",
        "تل",
        "أم",
        "رأس",
        "بيت",
        "جبل",
        "وادي",
        "خان",
        "كفر",
        "سيدي",
        "بن",
        "مرسى",
        "قصر",
        "باب",
    )
)
_PLACE_TAIL_STOP = (
    _ORG_STOP
    | WEEKDAY_WORDS
    | frozenset(
        fold(w)
        for w in ("يوم", "أمس", "اليوم", "غدا", "مساء", "صباح", "فجر", "ليلة", "خلال", "حيث", "التي", "الذي")
    )
    | frozenset(
        fold(w)
        for w in (
            "الشمالية",
            "الجنوبية",
            "الشرقية",
            "الغربية",
            "المحررة",
            "الساحلية",
            "الواقعة",
            "نفسها",
            "ذاتها",
            "كلها",
            "بالكامل",
            "آخر",
            "أخرى",
            "الآخر",
            "الأخرى",
            "جديد",
            "جديدة",
            "واحد",
            "واحدة",
            "كبير",
            "كبيرة",
            "صغير",
            "صغيرة",
            "سكني",
            "سكنية",
            "قريب",
            "قريبة",
            "مجاور",
            "مجاورة",
        )
    )
)


_PLACE_ADJ = frozenset(
    fold(w)
    for w in (
        "الشرقي",
        "الغربي",
        "الشمالي",
        "الجنوبي",
        "الشرقية",
        "الغربية",
        "الشمالية",
        "الجنوبية",
        "الكبير",
        "الكبرى",
        "الصغير",
        "الصغرى",
        "الجديد",
        "الجديدة",
        "القديم",
        "القديمة",
        "الأوسط",
        "الوسطى",
        "العليا",
        "السفلى",
    )
)


def _place_pattern(sent, folded, taken, found, idx=None) -> None:
    """A name after a place head word (مديرية الوازعية، منطقة ذباب، بلدة بن جواد) is a place even when
    no gazetteer knows it; the head itself stays outside the span."""
    for i in range(len(folded) - 1) if idx is None else idx:
        if idx is None and not _word_info(folded[i])[1] & _W_PHEAD:
            continue
        j = i + 1
        if (
            taken[j]
            or not folded[j].isalpha()
            or folded[j] in _PLACE_TAIL_STOP
            or len(folded[j]) < 3
            and folded[j] not in _NAME_LEADS
        ):
            continue
        if split_known(folded[j])[0] or folded[j] in PLACE_HEADS_F:
            continue
        head = clitics.split_plain(folded[i])[1]
        core_head = next(
            (c for _, c in clitics.candidates(folded[i]) if c.removeprefix("ال") in _PLACE_HEAD_BARE), head
        )
        if head.startswith("ال") and head != "العاصمه":
            continue  # "المدينة بأكثر من"، "المنطقة تمهيدا": a definite head refers back, names nothing
        if (
            folded[j] in common_words()
            and not folded[j].startswith("ال")
            and core_head.removeprefix("ال") not in _NAMED_HEADS
        ):
            continue  # "منطقة مستودعات": a common noun, not a name (but "مستوطنة بركان" names one)
        if (
            core_head.startswith(("منطق", "مناطق"))
            and folded[j].endswith("يه")
            and not folded[j].startswith("ال")
        ):
            continue  # "منطقة صناعية"، "منطقة حدودية": a kind of area, not its name
        if head.endswith("عاصمه") and _definite_nisba(folded[j]):
            continue  # "العاصمة المصرية": the nisba says whose capital; the name follows
        end = j + 1
        if folded[j] in _NAME_LEADS and end < len(sent) and folded[end].isalpha() and not taken[end]:
            end += 1
        elif folded[j].startswith("ال") and end < len(sent) and folded[end] in _PLACE_ADJ:
            end += 1  # منطقة الساحل الشرقي، منطقة الدوار الكبير
        found.append((sent[j][1], sent[end - 1][2], "LOC", "pattern"))
        taken[j:end] = [True] * (end - j)


def _propagate_places(text, sents, found, folded_sents=None) -> None:
    """A name found as a place once in an article (مديريتي التحيتا) is a place wherever it recurs there."""
    names: dict[str, str] = {}
    for start, end, typ, _source in found:
        if typ in ("LOC", "GPE"):
            words = [
                split_known(fold_word(w))[1] if k == 0 else fold_word(w)
                for k, w in enumerate(text[start:end].split())
            ]
            if words and len("".join(words)) >= 4:
                names[" ".join(words)] = typ
    if not names:
        return
    table = _Phrases(names)
    spans = {(a, b) for a, b, _, _ in found}
    covered = sorted((a, b) for a, b, _, _ in found)
    if folded_sents is None:
        folded_sents = [[fold_word(w) for w, _, _ in sent] for sent in sents]
    # a name can only match where its text, minus a leading article that ل may have eaten, occurs
    probes = [n.removeprefix("ال") for n in names]
    for sent, folded in zip(sents, folded_sents, strict=True):
        joined = " ".join(folded)
        if not any(p in joined for p in probes):
            continue
        for a, b in _find_multiword(folded, table, 4):
            s, e = sent[a][1], sent[b - 1][2]
            if (s, e) in spans or any(x < e and s < y for x, y in covered):
                continue
            found.append((s, e, "LOC", "propagated"))


def _title_pattern(sent, folded, taken, found, idx=None) -> None:
    """Title + name the CRF missed (المشير خليفة حفتر): after a title, a known first name and up to two
    more words that are not common words (الليبي، أمس) or function words become a person."""
    known = known_names()
    common = common_words()
    stop = PERSON_TITLES_F | ORG_HEADS_F | _ORG_STOP | WEEKDAY_WORDS
    for i in range(len(folded) - 1) if idx is None else idx:
        if idx is None and clitics.split_plain(folded[i])[1] not in PERSON_TITLES_F or taken[i + 1]:
            continue
        first = folded[i + 1]
        if not first.isalpha() or first not in known or first in stop or first in common:
            continue
        j = i + 2
        while (
            j < len(sent)
            and j < i + 4
            and not taken[j]
            and folded[j].isalpha()
            and len(folded[j]) >= 3
            and folded[j] not in stop
            and folded[j] not in common
        ):
            j += 1
        if j - i >= 3:  # at least two name words: one alone is too often a common noun
            found.append((sent[i + 1][1], sent[j - 1][2], "PER", "pattern"))
            taken[i + 1 : j] = [True] * (j - i - 1)


def _canonicalize(ents: list[Entity]) -> None:
    """Give variants one canonical form: loose spelling keys, a lone surname joins its full name,
    places resolve to GeoNames, actors get UniversalPetrarch codes."""
    countries = set()
    for e in ents:
        if e.type in ("LOC", "GPE"):
            p = resolve_place(e.canonical)
            if p and p.kind == "country":
                countries.add(p.country)
    full_names: dict[str, str] = {}
    by_loose: dict[str, str] = {}
    for e in ents:
        key = loose(e.canonical)
        if e.type in ("LOC", "GPE"):
            p = resolve_place(e.canonical, countries)
            if p:
                e.place = p
                e.type = "GPE" if p.kind in ("country", "city") else "LOC"
                e.canonical = p.name
                continue
        if e.type == "PER" and len(key.split()) >= 2:
            full_names.setdefault(key.split()[-1], key)
        by_loose.setdefault(key, e.canonical)
    for e in ents:
        if e.place:
            continue
        key = loose(e.canonical)
        if e.type == "PER" and len(key.split()) == 1 and key in full_names:
            key = full_names[key]
        e.canonical = by_loose.get(key, e.canonical) if key in by_loose else key
        code = actors().get(fold(e.canonical)) or actors().get(fold(e.canonical).removeprefix("ال"))
        if code:
            e.code = code
