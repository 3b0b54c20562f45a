"""Token features for the CRF tagger: lexical, clitic-aware and gazetteer, shared by training and tagging."""

from __future__ import annotations

import re

from marsad.nlp import clitics
from marsad.nlp.lexicon import ORG_HEADS_F, PERSON_TITLES_F, PLACE_HEADS_F, actors, known_names, place_tokens
from marsad.nlp.normalize import fold

# A token is a run of word characters (Arabic letters with their marks, Latin, digits) or one other
# non-space character; the same rule cuts running text and is close to ANERcorp's own tokens.
TOKEN = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+|[^\s\w]")
_ARABIC = re.compile("[\u0621-\u064a]")
_LATIN = re.compile("[a-z]")

_CACHE: dict[str, tuple[list[str], list[str], list[str], list[str], list[str]]] = {}
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


def _word_features(word: str) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    w = fold(word)
    known = known_names()
    n, core = clitics.split(w, known)
    bare = core[2:] if core.startswith("ال") and len(core) >= 4 else core
    shape = _shape(w)
    own = [
        f"w={w}",
        f"b={bare}",
        f"sh={shape}",
        f"s2={bare[-2:]}",
        f"s3={bare[-3:]}",
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
    if core in ORG_HEADS_F:
        flags.append("orgh")
    if core in PLACE_HEADS_F:
        flags.append("plh")
    if core in actors():
        flags.append("actor")
    if core in known:
        flags.append("known")
    if bare.endswith("ي") and len(bare) > 3:
        flags.append("nisba")
    own.extend(flags)
    near = [f"w={w}", f"b={bare}", f"sh={shape}", *flags]
    return (
        own,
        ["-1" + f for f in near],
        ["+1" + f for f in near],
        [f"-2w={w}", f"-2b={bare}"],
        [f"+2w={w}", f"+2b={bare}"],
    )


def word_features(word: str) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    feats = _CACHE.get(word)
    if feats is None:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        feats = _CACHE[word] = _word_features(word)
    return feats


def sentence_features(words: list[str]) -> list[list[str]]:
    """One feature list per word of a sentence."""
    per = [word_features(w) for w in words]
    n = len(per)
    out = []
    for i in range(n):
        f = list(per[i][0])
        f.append("bias")
        if i > 0:
            f += per[i - 1][1]
            if i > 1:
                f += per[i - 2][3]
        else:
            f.append("BOS")
        if i < n - 1:
            f += per[i + 1][2]
            if i < n - 2:
                f += per[i + 2][4]
        else:
            f.append("EOS")
        out.append(f)
    return out
