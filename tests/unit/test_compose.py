"""docker-compose.yml and the Dockerfiles, checked without a Docker engine: services, pins,
healthchecks, environment and the paths they build from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from marsad.settings import REPO_ROOT

COMPOSE = REPO_ROOT / "docker-compose.yml"
DOCKER = REPO_ROOT / "deploy" / "docker"
ES_VERSION = "8.19.21"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _from_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    args = dict(re.findall(r"^ARG (\w+)=(\S+)", text, re.M))
    return [re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), ref)
            for ref in re.findall(r"^FROM\s+(\S+)", text, re.M)]


def _pinned(image: str) -> bool:
    name, _, tag = image.rpartition(":")
    return bool(name) and "/" not in tag and tag != "latest" and bool(re.search(r"\d+\.\d+", tag))


def test_services_are_all_there(compose):
    assert set(compose["services"]) == {"kafka", "elasticsearch", "kibana", "setup", "worker", "samplefeed", "agents"}


def test_every_image_tag_is_pinned(compose):
    for name, svc in compose["services"].items():
        assert _pinned(svc["image"]), f"{name}: image {svc['image']} is not pinned to a version"
    for dockerfile in DOCKER.glob("*Dockerfile"):
        for ref in _from_lines(dockerfile):
            if " AS " in ref or ref in {"plugin"}:
                continue
            assert _pinned(ref), f"{dockerfile.name}: FROM {ref} is not pinned"


def test_elasticsearch_kibana_and_plugin_share_one_version(compose):
    assert compose["services"]["kibana"]["image"] == f"docker.elastic.co/kibana/kibana:{ES_VERSION}"
    assert ES_VERSION in compose["services"]["elasticsearch"]["image"]
    assert compose["services"]["elasticsearch"]["build"]["args"]["ES_VERSION"] == ES_VERSION
    es_from = _from_lines(DOCKER / "elasticsearch.Dockerfile")
    assert f"docker.elastic.co/elasticsearch/elasticsearch:{ES_VERSION}" in es_from
    pom = (REPO_ROOT / "deploy" / "elasticsearch" / "marsad-analysis" / "pom.xml").read_text(encoding="utf-8")
    assert f"<es.version>{ES_VERSION}</es.version>" in pom
    # The Python client speaks to any 8.x server of the same or a later minor.
    pyproject = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"elasticsearch==8.19.' in pyproject


def test_kafka_is_the_official_image_in_kraft_mode(compose):
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = kafka["environment"]
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"]
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == "1@kafka:9093"


def test_services_that_others_wait_for_have_healthchecks(compose):
    services = compose["services"]
    for name, svc in services.items():
        for dep, cond in (svc.get("depends_on") or {}).items():
            assert dep in services, f"{name} depends on unknown {dep}"
            if cond["condition"] == "service_healthy":
                assert "healthcheck" in services[dep], f"{name} waits for {dep} to be healthy, which has no healthcheck"
    for name in ("kafka", "elasticsearch", "kibana", "worker", "agents"):
        hc = services[name]["healthcheck"]
        assert hc["test"][0] in {"CMD", "CMD-SHELL"} and hc["retries"] > 0


def test_start_order(compose):
    s = compose["services"]
    assert s["setup"]["depends_on"] == {"kafka": {"condition": "service_healthy"},
                                        "elasticsearch": {"condition": "service_healthy"},
                                        "kibana": {"condition": "service_healthy"}}
    for name in ("worker", "agents"):
        assert s[name]["depends_on"]["setup"] == {"condition": "service_completed_successfully"}
    assert s["setup"]["restart"] == "no"
    assert "marsad setup" in " ".join(s["setup"]["entrypoint"]) and "import_kibana.py" in " ".join(s["setup"]["entrypoint"])


def test_marsad_services_point_at_the_compose_network(compose):
    known = set(re.findall(r'_env(?:_int|_float)?\("(\w+)"', (REPO_ROOT / "marsad" / "settings.py").read_text(encoding="utf-8")))
    for name in ("setup", "worker", "agents"):
        env = compose["services"][name]["environment"]
        assert env["MARSAD_KAFKA_BOOTSTRAP"] == "kafka:9092"
        assert env["MARSAD_ES_URL"] == "http://elasticsearch:9200"
        for key in env:
            if key.startswith("MARSAD_"):
                assert key.removeprefix("MARSAD_") in known, f"{name}: {key} is not a setting in marsad/settings.py"
    assert compose["services"]["kibana"]["environment"]["ELASTICSEARCH_HOSTS"] == '["http://elasticsearch:9200"]'


def test_ports_are_published_on_loopback_only(compose):
    published = {}
    for name, svc in compose["services"].items():
        for p in svc.get("ports", []):
            host, hport, cport = p.split(":")
            assert host == "127.0.0.1", f"{name} publishes {p} on every interface"
            published[name] = int(hport)
    assert published == {"kafka": 9094, "elasticsearch": 9200, "kibana": 5601}


def test_paths_the_images_and_services_use_exist(compose):
    for name, svc in compose["services"].items():
        build = svc.get("build")
        if build:
            assert (REPO_ROOT / build["context"] / build["dockerfile"]).is_file(), name
    text = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
    for src in re.findall(r"^COPY\s+(?!--)(.+?)\s+\S+$", text, re.M):
        for part in src.split():
            assert (REPO_ROOT / part).exists(), f"Dockerfile copies missing {part}"
    assert "pip install -e ." in text and "pip install --no-deps camel-tools==" in text
    assert "FROM python:3.11" in text
    es_text = (DOCKER / "elasticsearch.Dockerfile").read_text(encoding="utf-8")
    assert "COPY deploy/elasticsearch/marsad-analysis" in es_text and "mvn" in es_text
    assert (REPO_ROOT / "deploy" / "elasticsearch" / "marsad-analysis" / "pom.xml").is_file()
    feeds = compose["services"]["agents"]["environment"]["MARSAD_FEEDS"]
    assert (REPO_ROOT / feeds.removeprefix("/app/")).is_file()
    assert (REPO_ROOT / "deploy" / "kibana" / "marsad.ndjson").is_file()
    assert (DOCKER / "README.md").is_file()


def test_docker_feeds_point_at_the_sample_service():
    feeds = yaml.safe_load((DOCKER / "feeds.yaml").read_text(encoding="utf-8"))["feeds"]
    assert feeds[0]["url"].startswith("http://samplefeed:8765/")
