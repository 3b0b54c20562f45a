"""Arabic normalization for matching: camel-tools' folds plus ours, with a way back to original offsets."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate

from camel_tools.tokenizers.word import simple_word_tokenize
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)

TATWEEL = "\u0640"

# Folds camel-tools leaves to us: hamza seats (for matching only, never for display),
# combining hamza marks, zero-width joiners, and Arabic-Indic / Persian digits.
# Writers disagree on the seat of a medial hamza (مسؤول / مسئول, شؤون / شئون) and often
# drop the hamza of a ya seat (فائز / فايز), so both seats fold to ي: mapping ؤ to و, as
# camel-tools' Buckwalter-style folds do, would keep the first pairs apart.
_EXTRA_FOLDS = {
    ord("\u0624"): "\u064a",  # ؤ -> ي
    ord("\u0626"): "\u064a",  # ئ -> ي
    ord(TATWEEL): None,
    ord("\u0654"): None,  # combining hamza above
    ord("\u0655"): None,  # combining hamza below
    ord("\u200c"): None,  # zero width non-joiner
    ord("\u200d"): None,  # zero width joiner
    ord("\u200f"): None,  # right-to-left mark
    ord("\u200e"): None,  # left-to-right mark
    ord("\ufeff"): None,  # byte order mark
}
_EXTRA_FOLDS.update({0x0660 + d: str(d) for d in range(10)})  # ٠..٩
_EXTRA_FOLDS.update({0x06F0 + d: str(d) for d in range(10)})  # ۰..۹

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Arabic letters (with the marks fold removes), Latin letters and digits: what a "word" is here.
_WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+")


def _fold_slow(text: str) -> str:
    """The reference fold: camel-tools' functions applied to the whole string."""
    text = normalize_unicode(text)
    text = dediac_ar(text)
    text = normalize_alef_ar(text)
    text = normalize_alef_maksura_ar(text)
    text = normalize_teh_marbuta_ar(text)
    return text.translate(_EXTRA_FOLDS).lower()


class _CharFolds(dict):
    """Code point → its fold, filled on first sight: folding is per character except where NFKC
    composes a base letter with a following mark (and Greek final sigma), which `_COMPOSING` catches."""

    def __missing__(self, key: int) -> str:
        value = self[key] = _fold_slow(chr(key))
        return value


_TABLE = _CharFolds()
# Ranges news text lives in, folded once at import (a few ms) so the odd characters are known.
_PRELOADED = (
    (0x0, 0x250),
    (0x600, 0x700),
    (0x750, 0x780),
    (0x8A0, 0x900),
    (0x2000, 0x2070),
    (0xFB50, 0xFE00),
    (0xFE70, 0xFF00),
)
for _a, _b in _PRELOADED:
    for _c in range(_a, _b):
        if not 0xD800 <= _c <= 0xDFFF:
            _TABLE[_c]  # noqa: B018 - fills the table
# Marks that NFKC composes with the letter before them (ا + ٔ → أ ...), combining marks of other
# scripts, Hangul jamo and capital sigma: a string holding one is folded the slow, exact way.
_COMPOSING = re.compile(
    "[\u0300-\u036f\u0653-\u0655\u1100-\u11ff\u1ab0-\u1aff\u1dc0-\u1dff"
    "\u20d0-\u20ff\u3099\u309a\ufe20-\ufe2f\u03a3]"
)
# Characters whose fold is not exactly one character (dropped marks, ligatures), or that lie
# outside the preloaded ranges: fold_with_offsets walks only these one by one.
_ODD = re.compile(
    "["
    + "".join(re.escape(chr(c)) for c, f in sorted(_TABLE.items()) if len(f) != 1)
    + "".join(
        f"{re.escape(chr(b))}-{re.escape(chr(a - 1))}"
        for b, a in zip(
            [0x250, 0x700, 0x780, 0x900, 0x2070, 0xFE00, 0xFF00],
            [0x600, 0x750, 0x8A0, 0x2000, 0xFB50, 0xFE70, 0x110000],
            strict=True,
        )
    )
    + "]"
)


def fold(text: str) -> str:
    """Fold text for matching, character by character (whitespace is left as it is).

    NFKC (presentation forms, ligatures), diacritics, tatweel, alef variants, alef maqsura,
    teh marbuta, hamza seats (ؤ ئ -> ي), digits, and Latin case. Equal to camel-tools' functions
    applied in turn (`_fold_slow`), computed by one table lookup per character.
    """
    if text.isascii():
        return text.lower()
    if _COMPOSING.search(text):
        return _fold_slow(text)
    return text.translate(_TABLE)


def normalize(text: str) -> str:
    """The `*_norm` form of a field: folded, control characters dropped, white space collapsed."""
    # str.split() splits at exactly the characters \s matches: the same as collapsing runs of
    # white space to one space and stripping the ends, in a third of the time.
    return " ".join(_CONTROL.sub(" ", fold(text)).split())


def clean_text(text: str) -> str:
    """Display-safe text: NFC, control characters and stray marks removed, white space collapsed.

    Unlike :func:`normalize` this keeps hamza seats, diacritics and alef forms as written.
    """
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text).replace("\ufeff", "")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=50_000)
def fold_word(word: str) -> str:
    """:func:`fold` of one word, cached: words repeat, and folding is the hot path of extraction."""
    return fold(word)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold `text` character by character and return, for each character of the result, its index
    in `text`. Lets a match found in folded text be reported at its place in the original.
    """
    folded = text.translate(_TABLE)
    if len(folded) == len(text) and not _ODD.search(text):
        return folded, list(range(len(text)))
    origin: list[int] = []
    pos = 0
    for m in _ODD.finditer(text):
        i = m.start()
        origin.extend(range(pos, i))
        origin.extend([i] * len(_TABLE[ord(text[i])]))
        pos = i + 1
    origin.extend(range(pos, len(text)))
    return folded, origin


def fold_index(text: str) -> list[int]:
    """For each offset i of `text` (and len(text)), where its fold starts in fold(text) as
    computed by :func:`fold_with_offsets`: the first folded character at or after it."""
    n = len(text)
    per = [1] * n
    for m in _ODD.finditer(text):
        per[m.start()] = len(_TABLE[ord(m.group())])
    return [0, *accumulate(per)]


def tokenize(text: str) -> list[str]:
    """Words and punctuation, split by camel-tools' word tokenizer."""
    return simple_word_tokenize(text)


def words_of(text: str) -> list[str]:
    """The words of `text`, as :func:`word_spans` finds them, without their offsets."""
    return _WORD.findall(text)


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Words of `text` (no punctuation) with their start and end offsets in `text`."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


_NON_LETTERS = re.compile(r"[\W\d_]+")
_ARABIC_RUNS = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufeff]+")


def arabic_ratio(text: str) -> float:
    """Share of letters in `text` that are Arabic script; 0.0 when there are no letters."""
    letters = _NON_LETTERS.sub("", text)
    if not letters:
        return 0.0
    return (len(letters) - len(_ARABIC_RUNS.sub("", letters))) / len(letters)
