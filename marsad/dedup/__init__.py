"""Deduplication algorithms: pure functions over article records."""

from collections.abc import MutableMapping


def discard(table: MutableMapping, key: str) -> None:
    """Delete `key` if present, without reading its value first. `pop(key, None)` on a Faust table
    reads and decodes the stored value only to throw it away; a delete of a missing key is a no-op
    for the RocksDB store (its tombstone is sent anyway), while a dict raises KeyError."""
    try:
        del table[key]
    except KeyError:
        pass
