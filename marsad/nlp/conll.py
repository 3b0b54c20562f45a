"""CoNLL reading and conlleval-style scoring (exact spans; precision, recall, F1 per type and micro)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

Sentence = tuple[list[str], list[str]]


def parse_conll(lines: Iterable[str], sep: str | None = None) -> Iterator[Sentence]:
    """Sentences from `token [TAG]` lines, blank line between sentences; a missing tag reads as O."""
    words: list[str] = []
    tags: list[str] = []
    for line in lines:
        line = line.rstrip("\n").rstrip("\r")
        if not line.strip():
            if words:
                yield words, tags
            words, tags = [], []
            continue
        parts = line.split(sep) if sep else line.split()
        parts = [p for p in parts if p != ""] or [line]
        words.append(parts[0].strip() or parts[0])
        tags.append(parts[-1].strip() if len(parts) > 1 else "O")
    if words:
        yield words, tags


def read_conll(path: Path, sep: str | None = None) -> Iterator[Sentence]:
    with open(path, encoding="utf-8") as fh:
        yield from parse_conll(fh, sep)


def spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Entity spans (start, end exclusive, type) from BIO tags; an I- after O or another type starts one."""
    out: set[tuple[int, int, str]] = set()
    start: int = 0
    typ: str | None = None
    for i, t in enumerate(list(tags) + ["O"]):
        bio, _, cls = t.partition("-")
        if bio == "I" and typ == cls:
            continue
        if typ is not None:
            out.add((start, i, typ))
            typ = None
        if bio in ("B", "I") and cls:
            start, typ = i, cls
    return out


def evaluate(gold: list[list[str]], pred: list[list[str]]) -> dict:
    """Exact-span scores per type and micro overall, conlleval style."""
    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    for g, p in zip(gold, pred, strict=True):
        gs, ps = spans(g), spans(p)
        for s in gs & ps:
            tp[s[2]] = tp.get(s[2], 0) + 1
        for s in ps - gs:
            fp[s[2]] = fp.get(s[2], 0) + 1
        for s in gs - ps:
            fn[s[2]] = fn.get(s[2], 0) + 1
    types = sorted(set(tp) | set(fp) | set(fn))

    def prf(a: int, b: int, c: int) -> dict:
        p = a / (a + b) if a + b else 0.0
        r = a / (a + c) if a + c else 0.0
        return {
            "precision": p,
            "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": a,
            "fp": b,
            "fn": c,
        }

    per = {t: prf(tp.get(t, 0), fp.get(t, 0), fn.get(t, 0)) for t in types}
    overall = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    tokens = sum(len(g) for g in gold)
    correct = sum(a == b for g, p in zip(gold, pred, strict=True) for a, b in zip(g, p, strict=True))
    return {
        "overall": overall,
        "per_type": per,
        "tokens": tokens,
        "accuracy": correct / tokens if tokens else 0.0,
    }


def report(scores: dict, out: TextIO) -> None:
    o = scores["overall"]
    out.write(
        f"processed {scores['tokens']} tokens; found: {o['tp'] + o['fp']} phrases; correct: {o['tp']}.\n"
    )
    out.write(
        f"accuracy: {100 * scores['accuracy']:6.2f}%; precision: {100 * o['precision']:6.2f}%; "
        f"recall: {100 * o['recall']:6.2f}%; FB1: {100 * o['f1']:6.2f}\n"
    )
    for t, s in scores["per_type"].items():
        out.write(
            f"{t:>17}: precision: {100 * s['precision']:6.2f}%; recall: {100 * s['recall']:6.2f}%; "
            f"FB1: {100 * s['f1']:6.2f}  {s['tp'] + s['fp']}\n"
        )
