"""`marsad bench`: throughput and latency of the NLP stage, the whole pipeline, and its ceilings.

The pure parts (percentiles, ratio tables, the result's JSON shape) are in `stats`; the rest drives
the real local Kafka, Elasticsearch and Faust workers (see README.md in this folder).
"""
