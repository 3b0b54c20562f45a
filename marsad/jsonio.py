"""JSON for records on the wire: every article crosses five Kafka hops and the bulk indexer, and the
standard library's encoder and decoder were a visible share of the worker's CPU per article. orjson
writes UTF-8 directly (Arabic stays readable, as with ``ensure_ascii=False``) and is several times
faster; its decode errors are ``json.JSONDecodeError`` subclasses, so callers catch the same thing."""

from __future__ import annotations

from typing import Any

import orjson

JSONDecodeError = orjson.JSONDecodeError
_OPTIONS = orjson.OPT_NON_STR_KEYS


def dumps(obj: Any) -> bytes:
    """Compact UTF-8 JSON bytes."""
    return orjson.dumps(obj, option=_OPTIONS)


def loads(raw: bytes | bytearray | memoryview | str) -> Any:
    """Parse JSON from bytes (which must be UTF-8) or text; raises JSONDecodeError (a ValueError)."""
    return orjson.loads(raw)
