"""The Faust side of Marsad: topics, stream processors, tables and the Elasticsearch indexer."""
