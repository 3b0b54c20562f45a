"""Level 2 deduplication: near-copies of an article found by MinHash/LSH over Arabic-normalized shingles.

How it works, in the order an article meets it:

1. :func:`shingle_hashes` — title and body lose their outlet boilerplate (:func:`strip_boilerplate`),
   are folded by :func:`marsad.nlp.normalize.normalize` (alef, ya, ta marbuta, hamza seats, diacritics,
   tatweel, digits), split into words, and every run of ``SHINGLE`` consecutive words is hashed to
   32 bits (CRC-32: stable across processes, unlike Python's salted ``hash``).
2. :func:`signature` — ``NUM_PERM`` MinHash values; of each, only the low ``BITS`` bits are kept
   ("b-bit minwise hashing", Li & König 2010).  The whole signature is one Python ``int`` of
   ``NUM_PERM * BITS`` bits, written as base64url text by :func:`signature_to_str` for the article's
   ``simhash`` field.  The share of equal slots between two signatures estimates the Jaccard
   similarity of their shingle sets (corrected for chance agreement of b-bit values).
3. :class:`NearDuplicateIndex` — LSH: the signature is cut into ``bands`` bands of ``rows`` slots;
   two articles become candidates when one band is equal, and a candidate is a copy when the
   estimated similarity reaches ``threshold`` (0.4; 0.7 between two articles of one outlet).
   Entries older than ``window_seconds`` (stream time, the largest ``seen_at`` seen) are evicted,
   so memory follows the window, not the stream.

Why MinHash rather than SimHash: a wire copy with a new intro, reordered sentences and a sign-off
keeps perhaps 50-70 % of its shingles.  SimHash puts such a pair at a Hamming distance of 10-20 bits
out of 64, where unrelated stories on the same topic also sit, and a Hamming index for distances
that large needs so many small blocks that each lookup returns most of the table.  MinHash with LSH
gives a tunable S-curve over the Jaccard similarity itself, and verification is exact arithmetic on
the stored signatures.

State model (for Faust tables with changelog topics): the index is two kinds of entries,
``bucket:<band>:<value>`` -> list of article ids, and ``article:<id>`` -> ``[source, seen_at,
sig, root]`` (``root`` is the original the article copies, or its own id).
:meth:`NearDuplicateIndex.to_state` returns them as one dict of JSON-able values,
:meth:`~NearDuplicateIndex.from_state` rebuilds, :meth:`~NearDuplicateIndex.state_entry`
serializes one key, and with ``track_changes`` on, :meth:`~NearDuplicateIndex.pop_changes` lists
the keys an article (and the evictions it caused) changed, so a processor can mirror each change
into a table and rebuild from the table on restart.

Placement in Faust: bucket keys of one article hash to different partitions, so the index cannot be
split across partitions by its own keys without a fan-out/gather step.  The simple correct
deployment is one dedup partition (or a global table) holding the whole window, which the
memory figures in ``benchmarks/data/README_dedup.md`` allow for realistic windows.
"""

from __future__ import annotations

import base64
import heapq
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from camel_tools.utils.dediac import dediac_ar

from marsad.nlp.boilerplate import strip_boilerplate
from marsad.nlp.normalize import TATWEEL, normalize, words_of

SHINGLE = 3  # words per shingle: 3 keeps same-topic stories apart; 2 was looser on edits (see README_dedup)
NUM_PERM = 128
BITS = 16  # bits kept per MinHash value: chance agreement 1/65536, 256 bytes per signature
# Prefix of the string form.  Bump it when SHINGLE, NUM_PERM, BITS, the seeds, or the folding in
# marsad.nlp.normalize / boilerplate change: signatures made before would silently stop matching.
SIG_VERSION = "m1"

_MERSENNE = np.uint64((1 << 61) - 1)
_SHIFT61 = np.uint64(61)
_MASK32 = np.uint64(0xFFFFFFFF)
_BIT_MASK = np.uint64((1 << BITS) - 1)
# Fixed seeds: signatures computed by two workers, or before and after a restart, must agree.
_rng = np.random.default_rng(20260 + NUM_PERM)
_A = _rng.integers(1, 1 << 31, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 1 << 31, size=NUM_PERM, dtype=np.uint64)
del _rng


def _unmark(text: str) -> str:
    return dediac_ar(text).replace(TATWEEL, "")


def words(title: str, body: str) -> list[str]:
    """The words an article is compared on: title then body, boilerplate stripped, folded."""
    # Marks first: a sign-off written with diacritics or tatweel must still meet its pattern.
    title, body = _unmark(title or ""), _unmark(body or "")
    text = f"{strip_boilerplate(title)}\n{strip_boilerplate(body)}"
    # Hashtags ("#الشرطة_البريطانية") are the same words another outlet writes without them.
    text = text.replace("_", " ")
    return words_of(normalize(text))


def shingle_hashes(title: str, body: str, size: int = SHINGLE) -> np.ndarray:
    """32-bit hashes of the distinct ``size``-word shingles of an article (fewer words: the words)."""
    ws = words(title, body)
    if len(ws) < size:
        grams: Iterable[str] = ws
    else:
        # The shingles are the runs of `size` consecutive words, joined by a space.
        grams = map(" ".join, zip(*(ws[i:] for i in range(size)), strict=False))
    crc32 = zlib.crc32
    hashes = {crc32(g.encode("utf-8")) for g in grams}
    return np.fromiter(hashes, dtype=np.uint64, count=len(hashes))


def minhash(hashes: np.ndarray) -> np.ndarray:
    """``NUM_PERM`` b-bit MinHash values (uint16) of a set of 32-bit shingle hashes."""
    if hashes.size == 0:
        return np.zeros(NUM_PERM, dtype=np.uint16)
    # (a*x + b) mod (2^61 - 1): a, b < 2^31 and x < 2^32 keep every product inside uint64.
    # For p = 2^61 - 1, y mod p = (y & p) + (y >> 61), less p once if that is still >= p: the
    # same values as numpy's %, without its division (most of this function's time).
    permuted = np.outer(hashes, _A)
    permuted += _B
    reduced = (permuted & _MERSENNE) + (permuted >> _SHIFT61)
    reduced -= _MERSENNE * (reduced >= _MERSENNE)
    return ((reduced & _MASK32).min(axis=0) & _BIT_MASK).astype(np.uint16)


def _pack(values: np.ndarray) -> int:
    return int.from_bytes(values.astype(">u2").tobytes(), "big")


def _unpack(sig: int) -> np.ndarray:
    return np.frombuffer(sig.to_bytes(NUM_PERM * BITS // 8, "big"), dtype=">u2").astype(np.uint16)


def signature(title: str, body: str) -> int:
    """The MinHash signature of an article as one int (``NUM_PERM * BITS`` bits)."""
    return _pack(minhash(shingle_hashes(title, body)))


def signature_to_str(sig: int) -> str:
    """Compact text for the article's ``simhash`` field: ``"m1:"`` + base64url of the 256 bytes."""
    raw = sig.to_bytes(NUM_PERM * BITS // 8, "big")
    return f"{SIG_VERSION}:{base64.urlsafe_b64encode(raw).decode('ascii').rstrip('=')}"


def signature_from_str(text: str) -> int:
    """Inverse of :func:`signature_to_str`; refuses signatures made with other parameters."""
    version, _, payload = text.partition(":")
    if version != SIG_VERSION:
        raise ValueError(f"signature version {version!r} is not {SIG_VERSION!r}")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if len(raw) != NUM_PERM * BITS // 8:
        raise ValueError(f"signature has {len(raw)} bytes, expected {NUM_PERM * BITS // 8}")
    return int.from_bytes(raw, "big")


_CHANCE = 1.0 / (1 << BITS)


def similarity(sig_a: int, sig_b: int) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures (0..1)."""
    # XOR once: a slot is equal where its BITS bits are all zero.
    diff = np.frombuffer((sig_a ^ sig_b).to_bytes(NUM_PERM * BITS // 8, "big"), dtype=np.uint16)
    equal = float(np.count_nonzero(diff == 0)) / NUM_PERM
    # Two different minima still agree on b bits with probability 2^-b; remove that share.
    return max(0.0, (equal - _CHANCE) / (1.0 - _CHANCE))


def band_keys(sig: int, bands: int, rows: int) -> list[int]:
    """LSH bucket keys of a signature, as ints: the band number above the band's ``rows * BITS`` bits.

    Ints rather than strings because an index holds ``bands`` keys per article; the state form
    writes them as ``"<band>:<hex>"`` (:func:`bucket_name`).
    """
    if bands * rows > NUM_PERM:
        raise ValueError(f"{bands} bands x {rows} rows exceed {NUM_PERM} MinHash values")
    width = rows * BITS
    total = NUM_PERM * BITS
    mask = (1 << width) - 1
    return [(b << width) | ((sig >> (total - (b + 1) * width)) & mask) for b in range(bands)]


def bucket_name(key: int, rows: int) -> str:
    """The state-key form of a bucket key: ``"<band>:<hex of its slots>"``."""
    width = rows * BITS
    return f"{key >> width}:{key & ((1 << width) - 1):0{width // 4}x}"


def bucket_key(name: str, rows: int) -> int:
    band, _, value = name.partition(":")
    return (int(band) << (rows * BITS)) | int(value, 16)


@dataclass(slots=True)
class Entry:
    """One article the index remembers."""

    article_id: str
    source: str
    seen_at: float  # seconds since the epoch (stream time, usually `published_at`)
    sig: int
    root: str  # the original this article copies, or its own id

    def to_state(self) -> list[object]:
        return [self.source, self.seen_at, signature_to_str(self.sig), self.root]

    @classmethod
    def from_state(cls, article_id: str, value: list[object]) -> Entry:
        source, seen_at, sig, root = value
        return cls(article_id, str(source), float(seen_at), signature_from_str(str(sig)), str(root))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Match:
    """Why an article was judged a copy: the original, the nearest entry and their similarity."""

    original_id: str
    original_source: str
    matched_id: str
    similarity: float


class NearDuplicateIndex:
    """Remembers article signatures for ``window_seconds`` and answers "is this a near-copy?".

    ``threshold`` is the estimated Jaccard similarity of 3-word shingle sets from which two articles
    of different outlets are copies; ``same_source_threshold`` the same for two of one outlet.
    ``bands`` x ``rows`` set the LSH S-curve: the chance that a pair of similarity *s* is even
    compared is ``1 - (1 - s**rows)**bands`` (defaults: 0.996 at s=0.4, 0.95 at s=0.3, 0.28 at
    s=0.1); the rest are never looked at.
    """

    def __init__(
        self,
        window_seconds: float,
        *,
        threshold: float = 0.4,
        same_source_threshold: float = 0.7,
        bands: int = 32,
        rows: int = 2,
    ) -> None:
        if window_seconds <= 0:
            raise ValueError("window_seconds must be positive")
        if bands * rows > NUM_PERM:
            raise ValueError(f"{bands} bands x {rows} rows exceed {NUM_PERM} MinHash values")
        self.window_seconds = float(window_seconds)
        self.threshold = threshold
        self.same_source_threshold = same_source_threshold
        self.bands = bands
        self.rows = rows
        self._entries: dict[str, Entry] = {}
        # One id, or a list when several articles share the bucket: most buckets hold one article,
        # and a bare str costs nothing beyond the id the entry already holds.
        self._buckets: dict[int, str | list[str]] = {}
        self._expiry: list[tuple[float, str]] = []  # heap of (seen_at, article_id)
        self._now = float("-inf")
        # State keys changed since the last `pop_changes`, when a processor mirrors them to a table.
        self.track_changes = False
        self._dirty_articles: set[str] = set()
        self._dirty_buckets: set[int] = set()

    # -- queries -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    @property
    def bucket_count(self) -> int:
        return len(self._buckets)

    def get(self, article_id: str) -> Entry | None:
        return self._entries.get(article_id)

    def candidates(self, sig: int) -> Iterator[Entry]:
        """Entries sharing at least one LSH band with ``sig`` (each once)."""
        seen: set[str] = set()
        for key in band_keys(sig, self.bands, self.rows):
            held = self._buckets.get(key)
            if held is None:
                continue
            for aid in (held,) if isinstance(held, str) else held:
                if aid not in seen:
                    seen.add(aid)
                    yield self._entries[aid]

    def find(
        self, sig: int, seen_at: float, *, source: str | None = None, exclude: str | None = None
    ) -> Match | None:
        """The original an article with ``sig`` copies, if any entry within the window is similar enough.

        Among similar entries the one whose original was seen first wins, so every copy of a story
        points at the same original however the copies resemble each other.  An entry from the same
        ``source`` must reach ``same_source_threshold``: an outlet that republishes its own story does
        so nearly verbatim, while its *next* story on a subject reuses its own background paragraphs
        and lands at 0.4-0.66 against the previous one (seen on Sky News Arabia, BBC and CNN pages).
        """
        best: tuple[float, str, Entry, float] | None = None
        for entry in self.candidates(sig):
            if entry.article_id == exclude or abs(entry.seen_at - seen_at) > self.window_seconds:
                continue
            sim = similarity(sig, entry.sig)
            needed = (
                self.same_source_threshold
                if source is not None and entry.source == source
                else self.threshold
            )
            if sim < needed:
                continue
            root = self._entries.get(entry.root, entry)
            rank = (root.seen_at, root.article_id, entry, sim)
            if best is None or rank[:2] < best[:2]:
                best = rank
        if best is None:
            return None
        root_seen, root_id, entry, sim = best
        root_entry = self._entries.get(root_id)
        return Match(root_id, root_entry.source if root_entry else entry.source, entry.article_id, sim)

    # -- updates -----------------------------------------------------------------------------

    def check_and_add(self, article_id: str, source: str, seen_at: float, sig: int) -> str | None:
        """Remember the article; return the id of the original it copies, or None when it is new.

        Idempotent: an article id already in the index returns the same answer as the first time
        and changes nothing, so a replayed record is harmless.
        """
        known = self._entries.get(article_id)
        if known is not None:
            return None if known.root == article_id else known.root
        self.evict(seen_at)
        match = self.find(sig, seen_at, source=source)
        root = match.original_id if match else article_id
        self.add(Entry(article_id, source, float(seen_at), sig, root))
        return match.original_id if match else None

    def add(self, entry: Entry) -> None:
        """Store an entry as it is (no check); used by :meth:`check_and_add` and when restoring state."""
        if entry.article_id in self._entries:
            return
        self._entries[entry.article_id] = entry
        aid = entry.article_id
        keys = band_keys(entry.sig, self.bands, self.rows)
        if self.track_changes:
            self._dirty_articles.add(aid)
            self._dirty_buckets.update(keys)
        for key in keys:
            held = self._buckets.get(key)
            if held is None:
                self._buckets[key] = aid
            elif isinstance(held, str):
                self._buckets[key] = [held, aid]
            else:
                held.append(aid)
        heapq.heappush(self._expiry, (entry.seen_at, entry.article_id))
        self._now = max(self._now, entry.seen_at)

    def evict(self, now: float | None = None) -> int:
        """Forget entries older than the window before ``now`` (default: the latest ``seen_at``)."""
        if now is not None:
            self._now = max(self._now, float(now))
        horizon = self._now - self.window_seconds
        dropped = 0
        while self._expiry and self._expiry[0][0] < horizon:
            _, aid = heapq.heappop(self._expiry)
            entry = self._entries.pop(aid, None)
            if entry is None:
                continue
            dropped += 1
            keys = band_keys(entry.sig, self.bands, self.rows)
            if self.track_changes:
                self._dirty_articles.add(aid)
                self._dirty_buckets.update(keys)
            for key in keys:
                held = self._buckets.get(key)
                if held is None:
                    continue
                if isinstance(held, str):
                    if held == aid:
                        del self._buckets[key]
                    continue
                if aid in held:
                    held.remove(aid)
                if len(held) == 1:
                    self._buckets[key] = held[0]
                elif not held:
                    del self._buckets[key]
        return dropped

    # -- state -------------------------------------------------------------------------------

    def params(self) -> dict[str, object]:
        return {
            "window_seconds": self.window_seconds,
            "threshold": self.threshold,
            "same_source_threshold": self.same_source_threshold,
            "bands": self.bands,
            "rows": self.rows,
            "sig_version": SIG_VERSION,
        }

    def state_entry(self, key: str) -> list[object] | None:
        """The JSON-able value of one state key (``bucket:...`` or ``article:...``), None when absent."""
        kind, _, rest = key.partition(":")
        if kind == "bucket":
            held = self._buckets.get(bucket_key(rest, self.rows))
            if held is None:
                return None
            return [held] if isinstance(held, str) else list(held)
        if kind == "article":
            entry = self._entries.get(rest)
            return entry.to_state() if entry else None
        raise KeyError(f"unknown state key {key!r} (expected bucket:... or article:...)")

    def state_keys_for(self, article_id: str) -> list[str]:
        """The state keys an article's insertion touched: its own entry and its band buckets."""
        entry = self._entries.get(article_id)
        if entry is None:
            return [f"article:{article_id}"]
        return [f"article:{article_id}"] + [
            f"bucket:{bucket_name(k, self.rows)}" for k in band_keys(entry.sig, self.bands, self.rows)
        ]

    def pop_changes(self, *, buckets: bool = True) -> dict[str, list[object] | None]:
        """State keys changed since the last call (with ``track_changes`` on) and their new values;
        None means "delete the key".  A processor writes these to its table after each record.
        ``buckets=False`` leaves out the ``bucket:`` keys, for a processor that stores only the
        entries and derives the buckets from them on rebuild (naming the buckets costs more than
        the rest of the step)."""
        out: dict[str, list[object] | None] = {}
        for aid in sorted(self._dirty_articles):
            out[f"article:{aid}"] = self.state_entry(f"article:{aid}")
        for key in sorted(self._dirty_buckets) if buckets else ():
            name = f"bucket:{bucket_name(key, self.rows)}"
            out[name] = self.state_entry(name)
        self._dirty_articles.clear()
        self._dirty_buckets.clear()
        return out

    def to_state(self) -> dict[str, object]:
        """All state as ``{key: JSON-able value}``, plus ``"params"``."""
        state: dict[str, object] = {"params": self.params()}
        for aid, entry in self._entries.items():
            state[f"article:{aid}"] = entry.to_state()
        for key, held in self._buckets.items():
            state[f"bucket:{bucket_name(key, self.rows)}"] = [held] if isinstance(held, str) else list(held)
        return state

    @classmethod
    def from_state(cls, state: dict[str, object]) -> NearDuplicateIndex:
        """Rebuild an index from :meth:`to_state` output (e.g. after ``json.loads``)."""
        params = dict(state["params"])  # type: ignore[call-overload]
        if params.pop("sig_version", SIG_VERSION) != SIG_VERSION:
            raise ValueError("state was written with another signature version; rebuild it")
        index = cls(**params)
        for key, value in state.items():
            if key.startswith("article:"):
                index.add(Entry.from_state(key[len("article:") :], value))  # type: ignore[arg-type]
        # Buckets follow from the entries; stored ones are for tables that read a single key.
        return index
