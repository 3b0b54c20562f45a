"""The search analyzer (`marsad_text`, `marsad_text_exact`) in Python, so rules match events in-process.

Why a port rather than Elasticsearch's ``_analyze``: every event update would need a round trip per
text field before its rules could be evaluated, on the hot path between an event and its webhook; a
port costs microseconds, works in unit tests without services, and cannot stall the stream when
Elasticsearch is slow. The price is keeping two implementations in step, which
``tests/integration/test_alerts_analysis.py`` checks against the real node on a corpus sample.

The chain, as in ``deploy/elasticsearch/templates/analysis.json``:

* ``marsad_text``: standard tokenizer, lowercase, ``marsad_arabic_fold``, ``marsad_arabic_stop``,
  ``marsad_arabic_stem``;
* ``marsad_text_exact``: standard tokenizer, lowercase, ``marsad_arabic_fold``.

The fold is ``marsad.nlp.normalize.fold`` (the plugin's ``ArabicFolder`` mirrors it character for
character). The stem is a line-by-line port of ``ArabicLightStemmer.java`` and reads the plugin's
own known-word list (``protected_words.txt``), so one file feeds both. The stop words are those
``marsad_arabic_stop`` removes (Lucene's Arabic set, folded), listed in ``data/stopwords.txt``.
The tokenizer is approximated by runs of word characters; on Arabic news text the two agree
(the parity test measures it), differences are confined to mixed scripts and number formats.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from marsad.nlp.normalize import fold
from marsad.settings import REPO_ROOT

KNOWN_WORDS_FILE = REPO_ROOT / "deploy" / "elasticsearch" / "marsad-analysis" / "data" / "protected_words.txt"
STOPWORDS_FILE = Path(__file__).parent / "data" / "stopwords.txt"

MIN_STEM = 3
MIN_PLURAL_STEM = 4

_ARTICLE_STACKS = ("وبال", "فبال", "وكال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال")
_ALL_PROCLITICS = (
    "وبال",
    "فبال",
    "وكال",
    "فكال",
    "ولل",
    "فلل",
    "وال",
    "فال",
    "بال",
    "كال",
    "لل",
    "ال",
    "وب",
    "ول",
    "وك",
    "فب",
    "فل",
    "فك",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)
# UAX#29 words as Lucene's StandardTokenizer cuts them: runs of word characters, joined across one
# "." "'" "’" ":" between letters ("العربيه.نت") and one "." "," ";" "'" "’" between digits ("3,5").
_L = r"[^\W\d_]"
_TOKEN = re.compile(rf"\w+(?:(?:(?<={_L})[.'’:](?={_L})|(?<=\d)[.,;'’](?=\d))\w+)*")


def _word_list(path: Path) -> frozenset[str]:
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        w = line.strip()
        if w and not w.startswith("#"):
            words.add(fold(w))
    return frozenset(words)


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    if not KNOWN_WORDS_FILE.is_file():
        raise FileNotFoundError(f"the stemmer's known-word list is missing: {KNOWN_WORDS_FILE}")
    return _word_list(KNOWN_WORDS_FILE)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return _word_list(STOPWORDS_FILE)


def _is_arabic_letters(s: str) -> bool:
    return all("\u0621" <= c <= "\u063a" or "\u0641" <= c <= "\u064a" or "\u0671" <= c <= "\u06d3" for c in s)


def _ends_leaving(s: str, suffix: str, min_left: int) -> bool:
    return s.endswith(suffix) and len(s) - len(suffix) >= min_left


def _strip_suffixes(word: str) -> str:
    s = word
    pronoun = False
    if _ends_leaving(s, "هما", MIN_STEM):
        s, pronoun = s[:-3], True
    elif _ends_leaving(s, "هم", MIN_PLURAL_STEM):
        s, pronoun = s[:-2], True
    elif _ends_leaving(s, "ها", MIN_STEM):
        s, pronoun = s[:-2], True
    elif _ends_leaving(s, "ته", 4) and s[-3] != "ا":
        return s[:-2] + "ه"
    if pronoun and s.endswith("ت") and len(s) - 1 >= MIN_STEM and s[-2] != "ا":
        return s[:-1] + "ه"
    if _ends_leaving(s, "ات", MIN_PLURAL_STEM):
        return s[:-2]
    if pronoun:
        return s
    if _ends_leaving(s, "ون", MIN_PLURAL_STEM) or _ends_leaving(s, "ين", MIN_PLURAL_STEM):
        return s[:-2]
    if _ends_leaving(s, "ا", MIN_STEM) and s[-2] not in "ايوه":
        return s[:-1]
    return s


def _strip_proclitics(word: str) -> str:
    for p in _ARTICLE_STACKS:
        if word.startswith(p) and len(word) - len(p) >= MIN_STEM:
            return word[len(p) :]
    if word[0] == "و":
        least = MIN_STEM + 1 if word[1] == "ا" else MIN_STEM
        if len(word) - 1 >= least:
            return word[1:]
    return word


def _known_under_suffixes(word: str, known: frozenset[str]) -> str | None:
    s = _strip_suffixes(word)
    if s == word:
        return None
    if s in known:
        return s
    if word.endswith("ات") and s + "ه" in known:
        return s + "ه"
    return None


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """``marsad_arabic_stem`` on one folded token (see ArabicLightStemmer.java for the why of each rule)."""
    known = known_words()
    if len(word) < MIN_STEM or not _is_arabic_letters(word) or word in known:
        return word
    hit = _known_under_suffixes(word, known)
    if hit is not None:
        return hit
    for p in _ALL_PROCLITICS:
        if word.startswith(p) and len(word) - len(p) >= 2:
            rest = word[len(p) :]
            if rest in known:
                return rest
            hit = _known_under_suffixes(rest, known)
            if hit is not None:
                return hit
    return _strip_suffixes(_strip_proclitics(word))


def analyze_exact(text: str) -> list[str]:
    """``marsad_text_exact``: folded tokens, nothing removed (for phrases and names)."""
    return _TOKEN.findall(fold(text or ""))


def analyze(text: str) -> list[str]:
    """``marsad_text``: folded tokens without stop words, stemmed."""
    stop = stopwords()
    return [stem(t) for t in analyze_exact(text) if t not in stop]
