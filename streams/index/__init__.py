"""Writing to and reading from Elasticsearch: index setup, the bulk sink, search."""
