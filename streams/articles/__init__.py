"""Article processors: clean, then drop or mark exact duplicates."""
