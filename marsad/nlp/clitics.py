"""Arabic proclitics (و ف ب ل ك ال and their stacks): splitting them off a word without breaking names."""

from __future__ import annotations

from collections.abc import Container
from functools import lru_cache

# (folded stack, letters stripped from the word, what the core gets back). "لل" is ل + ال with the
# article's alef swallowed, so the core gets "ال" back for matching while the span starts after "لل".
_STACKS: tuple[tuple[str, int, str], ...] = (
    ("وبال", 2, ""),
    ("وكال", 2, ""),
    ("فبال", 2, ""),
    ("فكال", 2, ""),
    ("وفال", 2, ""),
    ("ولل", 3, "ال"),
    ("فلل", 3, "ال"),
    ("لل", 2, "ال"),
    ("وال", 1, ""),
    ("فال", 1, ""),
    ("بال", 1, ""),
    ("كال", 1, ""),
    ("وب", 2, ""),
    ("ول", 2, ""),
    ("وك", 2, ""),
    ("فب", 2, ""),
    ("فل", 2, ""),
    ("فك", 2, ""),
    ("و", 1, ""),
    ("ف", 1, ""),
    ("ب", 1, ""),
    ("ل", 1, ""),
    ("ك", 1, ""),
)
_MIN_STEM = 2  # letters left after the stack and article: "بن" is a word, not ب + ن
_BY_LENGTH = sorted(_STACKS, key=lambda s: s[1])
# the same, grouped by first letter (every stack is at least one letter), order kept
_BY_FIRST: dict[str, tuple[tuple[str, int, str], ...]] = {
    c: tuple(s for s in _BY_LENGTH if s[0][0] == c) for c in {s[0][0] for s in _STACKS}
}


@lru_cache(maxsize=50_000)
def candidates(folded: str) -> tuple[tuple[int, str], ...]:
    """Readings of a folded word as (letters stripped, core), the whole word first, then by
    increasing prefix length; the core keeps the article (بالقاهرة → (1, القاهره))."""
    out = [(0, folded)]
    seen = {0}
    for stack, n, back in _BY_FIRST.get(folded[:1], ()):
        if n in seen or not folded.startswith(stack):
            continue
        core = back + folded[n:]
        stem = core[2:] if core.startswith("ال") else core
        if len(stem) >= _MIN_STEM and len(core) >= 3:
            out.append((n, core))
            seen.add(n)
    return tuple(out)


def split(folded: str, known: Container[str] = ()) -> tuple[int, str]:
    """Split a folded word into (letters of proclitics, core) without breaking names.

    A word that is itself a known name stays whole (وليد، بنغازي، واشنطن); else the shortest
    prefix whose core is a known name wins (وبنغازي → بنغازي); else only a stack that ends in
    the article is stripped (والسراج → السراج, للجيش → الجيش), since no name begins with
    "وال" or "بال" and keeps it; a lone و/ب before an unknown word stays (وحيد).
    """
    if len(folded) < 3 or folded in known:
        return 0, folded
    cands = candidates(folded)
    for n, core in cands[1:]:
        if core in known:
            return n, core
    for n, core in cands[1:]:
        if core.startswith("ال") and not folded.startswith("ال"):
            return n, core
    return 0, folded


@lru_cache(maxsize=50_000)
def split_plain(folded: str) -> tuple[int, str]:
    """:func:`split` with no known names, cached."""
    return split(folded)


def bare(folded: str) -> str:
    """Bare stem for features: proclitics and the article removed (وبالقاهرة → قاهره)."""
    _, core = split(folded)
    if core.startswith("ال") and len(core) >= 4:
        core = core[2:]
    return core
