"""Event processors: extract mentions from articles, merge mentions into events."""
