from marsad.dedup.exact import decide

DAY = 86400.0


def test_first_sighting_is_stored_and_passed_on():
    d = decide(None, "a1", now=1000.0, window=DAY)
    assert not d.drop and d.duplicate_of is None and d.entry == {"id": "a1", "seen_at": 1000.0, "offset": None}


def test_same_article_again_is_dropped():
    d = decide({"id": "a1", "seen_at": 1000.0}, "a1", now=2000.0, window=DAY)
    assert d.drop and d.entry is None


def test_same_text_under_another_id_is_kept_and_marked():
    d = decide({"id": "a1", "seen_at": 1000.0}, "b7", now=2000.0, window=DAY, offset=5)
    assert not d.drop and d.duplicate_of == "a1"
    assert d.entry == {"id": "a1", "seen_at": 1000.0, "copies": {"b7": 5}}


def test_entry_older_than_window_counts_as_unseen():
    d = decide({"id": "a1", "seen_at": 0.0}, "a1", now=2 * DAY, window=DAY)
    assert not d.drop and d.entry == {"id": "a1", "seen_at": 2 * DAY, "offset": None}


def test_first_sighting_remembers_the_record_that_passed_it_on():
    d = decide(None, "a1", now=1000.0, window=DAY, offset=41)
    assert d.entry == {"id": "a1", "seen_at": 1000.0, "offset": 41}


def test_the_same_record_processed_again_after_a_crash_is_passed_on_again():
    d = decide({"id": "a1", "seen_at": 1000.0, "offset": 41}, "a1", now=1001.0, window=DAY, offset=41)
    assert not d.drop and d.duplicate_of is None


def test_a_later_record_of_the_same_article_is_still_dropped():
    d = decide({"id": "a1", "seen_at": 1000.0, "offset": 41}, "a1", now=1001.0, window=DAY, offset=97)
    assert d.drop


def test_a_copy_that_comes_again_is_dropped_whatever_came_first():
    # The sample feed repeats an item whose text another id carried first: the repeat is the same
    # article again, not a second copy.
    first = decide({"id": "a1", "seen_at": 1000.0}, "b7", now=2000.0, window=DAY, offset=5)
    again = decide(first.entry, "b7", now=2001.0, window=DAY, offset=9)
    assert again.drop and again.entry is None


def test_a_copy_processed_again_after_a_crash_is_passed_on_again_and_marked():
    first = decide({"id": "a1", "seen_at": 1000.0}, "b7", now=2000.0, window=DAY, offset=5)
    replay = decide(first.entry, "b7", now=2001.0, window=DAY, offset=5)
    assert not replay.drop and replay.duplicate_of == "a1" and replay.entry is None


def test_the_copies_an_entry_remembers_are_bounded_oldest_out():
    from marsad.dedup.exact import MAX_COPIES

    entry = {"id": "a1", "seen_at": 1000.0}
    for i in range(MAX_COPIES + 5):
        entry = decide(entry, f"c{i}", now=2000.0, window=DAY, offset=i).entry
    assert len(entry["copies"]) == MAX_COPIES
    assert "c0" not in entry["copies"] and f"c{MAX_COPIES + 4}" in entry["copies"]
