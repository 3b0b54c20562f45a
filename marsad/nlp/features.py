"""Token features for the CRF tagger: lexical, clitic-aware and gazetteer, shared by training and tagging."""

from __future__ import annotations

import re

from marsad.nlp import clitics
from marsad.nlp.lexicon import (
    CURRENCIES_F,
    LOC_CUES_F,
    ORG_CUES_F,
    ORG_HEADS_F,
    PERSON_TITLES_F,
    PLACE_HEADS_F,
    SPEECH_VERBS_F,
    actors,
    first_names,
    known_names,
    name_types,
    place_names,
    place_tokens,
    word_freq,
)
from marsad.nlp.normalize import fold

# A token is a run of word characters (Arabic letters with their marks, Latin, digits) or one other
# non-space character; the same rule cuts running text and is close to ANERcorp's own tokens.
TOKEN = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+|[^\s\w]")
_ARABIC = re.compile("[\u0621-\u064a]")
_LATIN = re.compile("[a-z]")

# A word's feature lists are read where ROLES puts them: list k of word j at position j - ROLES[k]
# (its own, as the word before, as the word after, as two before, as two after).
ROLES = (0, -1, 1, -2, 2)
Parts = tuple[list[str], ...]
_CACHE: dict[str, Parts] = {}
_CACHE_MAX = 30_000  # words; bounds memory on an endless stream (~60 MB) while keeping the hit rate high


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Tokens of `text` with their offsets in `text`."""
    return [(m.group(), *m.span()) for m in TOKEN.finditer(text)]


def _shape(w: str) -> str:
    if w.isdigit():
        return "num"
    if _ARABIC.search(w):
        return "ar"
    if _LATIN.search(w):
        return "lat"
    if any(c.isdigit() for c in w):
        return "mix"
    return "punct"


def _word_features(word: str) -> Parts:
    w = fold(word)
    known = known_names()
    n, core = clitics.split(w, known)
    bare = core[2:] if core.startswith("ال") and len(core) >= 4 else core
    # a leading و/ف off an unknown word too (وقال → قال): context words are read through it
    lone = w[1:] if n == 0 and len(w) >= 4 and w[0] in "وف" and w not in known else core
    shape = _shape(w)
    own = [
        f"w={w}",
        f"b={bare}",
        f"sh={shape}",
        f"s1={bare[-1:]}",
        f"s2={bare[-2:]}",
        f"s3={bare[-3:]}",
        f"s4={bare[-4:]}",
        f"p2={bare[:2]}",
        f"p3={bare[:3]}",
        f"p1={w[:1]}",
        f"pre={w[:n]}",
        f"len={min(len(bare), 8)}",
    ]
    flags = []
    if core.startswith("ال"):
        flags.append("al")
    if core in place_tokens() or bare in place_tokens():
        flags.append("geo")
    if core in PERSON_TITLES_F or w in PERSON_TITLES_F:
        flags.append("title")
    if core in ORG_HEADS_F or bare in ORG_CUES_F:
        flags.append("orgh")
    if core in PLACE_HEADS_F or bare in PLACE_HEADS_F:
        flags.append("plh")
    code = actors().get(core) or actors().get(bare)
    if code:
        flags.append("actor")
        if len(code) == 3:
            flags.append("cty")  # a country or its people (فلبين، تايلاندي)
    if bare in CURRENCIES_F:
        flags.append("cur")
    if core in known:
        flags.append("known")
    if bare.endswith("ي") and len(bare) > 3:
        flags.append("nisba")
    if core in first_names() or bare in first_names():
        flags.append("fn")
    if lone in SPEECH_VERBS_F:
        flags.append("say")
    if lone in LOC_CUES_F:
        flags.append("locq")
    kinds = place_names().get(core) or place_names().get(bare)
    if kinds:
        flags.append("pl=" + kinds)
    typ = name_types().get(core)
    if typ:
        flags.append("nt=" + typ)
    own.extend(flags)
    if w.isalpha():
        # how common the word form is in Arabic at large: rare and unknown forms are often names
        own.append("zf=" + word_freq().get(w, "0"))
    near = [f"w={w}", f"b={bare}", f"v={lone}", f"sh={shape}", *flags]
    # one list per entry of ROLES; each holds at least one feature (the tagger relies on it)
    return (
        own,
        ["-1" + f for f in near],
        ["+1" + f for f in near],
        [f"-2w={w}", f"-2b={bare}"],
        [f"+2w={w}", f"+2b={bare}"],
    )


def word_features(word: str) -> Parts:
    feats = _CACHE.get(word)
    if feats is None:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        feats = _CACHE[word] = _word_features(word)
    return feats


def sentence_features(words: list[str]) -> list[list[str]]:
    """One feature list per word of a sentence: its own, its neighbours' as ROLES place them,
    "bias" everywhere, "BOS" on the first and "EOS" on the last."""
    per = [word_features(w) for w in words]
    n = len(per)
    out = []
    for i in range(n):
        f = ["bias"]
        for k, r in enumerate(ROLES):
            if 0 <= i + r < n:
                f += per[i + r][k]
        if i == 0:
            f.append("BOS")
        if i == n - 1:
            f.append("EOS")
        out.append(f)
    return out
