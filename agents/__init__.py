"""Feed agents: fetch feeds and files, turn items into articles, publish them to Kafka with kafka-python."""
