# Elasticsearch with Marsad's analysis plugin: the index templates use its marsad_* analyzers,
# so a node without it refuses them. The plugin is tied to the exact server version: keep
# ES_VERSION, the FROM line below and docker-compose.yml's Kibana tag in step.
ARG ES_VERSION=8.19.21

FROM maven:3.9.9-eclipse-temurin-17 AS plugin
ARG ES_VERSION
WORKDIR /src
COPY deploy/elasticsearch/marsad-analysis /src
RUN mvn -q -B -Des.version=${ES_VERSION} package

FROM docker.elastic.co/elasticsearch/elasticsearch:8.19.21
COPY --from=plugin --chown=elasticsearch:root /src/target/plugin /usr/share/elasticsearch/plugins/marsad-analysis
