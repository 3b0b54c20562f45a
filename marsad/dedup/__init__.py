"""Deduplication algorithms: pure functions over article records."""
