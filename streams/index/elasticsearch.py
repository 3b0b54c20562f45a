"""The Elasticsearch sink: one bulk request per batch, deterministic ids, per-item verdicts."""

from __future__ import annotations

from collections.abc import Sequence

from elasticsearch import AsyncElasticsearch, ConnectionTimeout, TransportError
from elasticsearch import ConnectionError as ESConnectionError
from elasticsearch.exceptions import ApiError

from marsad import jsonio
from streams.index.sink import BatchResult, BatchSink, Rejected, SinkRecord, SinkUnavailable

# Item statuses worth another try: too many requests, and the server's own transient failures.
RETRYABLE = {429, 500, 502, 503, 504}


def _reason(item: dict) -> str:
    err = item.get("error")
    if isinstance(err, dict):
        reason = f"{err.get('type', 'error')}: {err.get('reason', '')}"
        cause = err.get("caused_by")
        if isinstance(cause, dict) and cause.get("reason"):
            reason += f" ({cause.get('type')}: {cause['reason']})"
        return f"elasticsearch refused the document [{item.get('status')}] {reason}"
    return f"elasticsearch refused the document [{item.get('status')}] {err}"


class ElasticsearchSink(BatchSink):
    def __init__(self, es: AsyncElasticsearch, **kwargs) -> None:
        super().__init__("elasticsearch", **kwargs)
        self.es = es

    async def write_batch(self, records: Sequence[SinkRecord]) -> BatchResult:
        # NDJSON lines as bytes: the client passes them through instead of encoding each one again.
        operations: list[bytes] = []
        for r in records:
            operations.append(jsonio.dumps({"index": {"_index": r.index, "_id": r.doc_id}}))
            operations.append(jsonio.dumps(r.document))
        try:
            resp = await self.es.bulk(operations=operations, refresh=False)
        except (ESConnectionError, ConnectionTimeout) as exc:
            raise SinkUnavailable(type(exc).__name__) from exc
        except ApiError as exc:
            if exc.meta.status in RETRYABLE:
                raise SinkUnavailable(f"HTTP {exc.meta.status}") from exc
            if exc.meta.status == 413:
                # The batch as a whole is too large: split it so one huge document cannot block the rest.
                if len(records) == 1:
                    return BatchResult(rejected=[Rejected(records[0], "document too large for Elasticsearch (HTTP 413)")])
                half = len(records) // 2
                a = await self.write_batch(records[:half])
                b = await self.write_batch(records[half:])
                return BatchResult(retry=a.retry + b.retry, rejected=a.rejected + b.rejected)
            raise
        except TransportError as exc:
            raise SinkUnavailable(str(exc)) from exc
        result = BatchResult()
        if not resp.get("errors"):
            return result
        for record, item in zip(records, resp["items"], strict=True):
            action = item.get("index") or next(iter(item.values()))
            status = int(action.get("status", 0))
            if status < 300:
                continue
            if status in RETRYABLE:
                result.retry.append((record, _reason(action)))
            else:
                result.rejected.append(Rejected(record, _reason(action)))
        return result

