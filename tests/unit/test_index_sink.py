"""The indexer writes one version of each document per bulk request: the batch's last."""

from streams.index.sink import SinkRecord, latest_versions


def _rec(doc_id: str, index: str, mentions: int, offset: int) -> SinkRecord:
    return SinkRecord(doc_id=doc_id, index=index, document={"mentions": mentions}, offset=offset)


def test_only_the_last_version_of_a_document_in_a_batch_is_written():
    batch = [_rec("e1", "events", 1, 10), _rec("e2", "events", 1, 11), _rec("e1", "events", 2, 12),
             _rec("e1", "events", 3, 13), _rec("e1", "articles", 1, 14)]
    out = latest_versions(batch)
    by_key = {(r.index, r.doc_id): r for r in out}
    assert len(out) == 3 and len(by_key) == 3
    assert by_key[("events", "e1")].document == {"mentions": 3} and by_key[("events", "e1")].offset == 13
    assert by_key[("events", "e2")].offset == 11
    assert by_key[("articles", "e1")].offset == 14  # same id in another index is another document


def test_a_batch_without_repeats_is_written_whole_in_order():
    batch = [_rec(f"a{i}", "articles", 0, i) for i in range(5)]
    assert latest_versions(batch) == batch
