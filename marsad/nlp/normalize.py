"""Arabic normalization for matching: camel-tools' folds plus ours, with a way back to the original offsets."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)
from camel_tools.tokenizers.word import simple_word_tokenize

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

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Arabic letters (with the marks fold removes), Latin letters and digits: what a "word" is here.
_WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+")


def fold(text: str) -> str:
    """Fold text for matching, character by character (whitespace is left as it is).

    NFKC (presentation forms, ligatures), diacritics, tatweel, alef variants, alef maqsura,
    teh marbuta, hamza seats (ؤ ئ -> ي), digits, and Latin case.
    """
    text = normalize_unicode(text)
    text = dediac_ar(text)
    text = normalize_alef_ar(text)
    text = normalize_alef_maksura_ar(text)
    text = normalize_teh_marbuta_ar(text)
    return text.translate(_EXTRA_FOLDS).lower()


def normalize(text: str) -> str:
    """The `*_norm` form of a field: folded, control characters dropped, white space collapsed."""
    return _SPACES.sub(" ", _CONTROL.sub(" ", fold(text))).strip()


def clean_text(text: str) -> str:
    """Display-safe text: NFC, control characters and stray marks removed, white space collapsed.

    Unlike :func:`normalize` this keeps hamza seats, diacritics and alef forms as written.
    """
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text).replace("\ufeff", "")
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return fold(ch)


@lru_cache(maxsize=50_000)
def fold_word(word: str) -> str:
    """:func:`fold` of one word, cached: words repeat, and folding is the hot path of extraction."""
    return fold(word)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold `text` and return, for each character of the result, its index in `text`.

    Lets a match found in folded text be reported at its place in the original.
    """
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch) if ord(ch) > 127 or ch.isupper() else ch
        for f in folded:
            out.append(f)
            origin.append(i)
    return "".join(out), origin


def tokenize(text: str) -> list[str]:
    """Words and punctuation, split by camel-tools' word tokenizer."""
    return simple_word_tokenize(text)


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Words of `text` (no punctuation) with their start and end offsets in `text`."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def arabic_ratio(text: str) -> float:
    """Share of letters in `text` that are Arabic script; 0.0 when there are no letters."""
    letters = arabic = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff":
                arabic += 1
    return arabic / letters if letters else 0.0
