"""Dead letters: one clear log line and a record on the DLQ topic with the reason and the original bytes."""

from __future__ import annotations

import logging
from typing import Any

from marsad.records import DeadLetter
from streams import topics
from streams.metrics import DEAD_LETTERS

log = logging.getLogger("marsad.dlq")


async def dead_letter(stage: str, reason: str, original: bytes | str | None, event: Any = None, **extra: Any) -> None:
    where: dict[str, Any] = {}
    if event is not None:
        msg = event.message
        where = {"topic": msg.topic, "partition": msg.partition, "offset": msg.offset}
        if msg.key is not None:
            where["key"] = msg.key.decode("utf-8", "replace") if isinstance(msg.key, bytes) else str(msg.key)
    where.update(extra)
    letter = DeadLetter.of(stage, reason, original, **where)
    place = f"{where['topic']}[{where.get('partition')}]@{where.get('offset')}" if where.get("topic") else "-"
    log.warning("dead letter: stage=%s at %s key=%s: %s", stage, place, where.get("key"), reason)
    DEAD_LETTERS.labels(stage).inc()
    await topics.dlq.send(key=(where.get("key") or stage).encode("utf-8"), value=letter.to_json())
