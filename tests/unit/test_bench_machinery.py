"""The machinery ceiling runs the worker's topology: the same input topics and tables, steps emptied."""

from marsad.bench.machinery import build_app


def _inputs(app) -> dict[str, int]:
    out: dict[str, int] = {}
    for agent in app.agents.values():
        for topic in agent.channel.topics:
            out[topic] = out.get(topic, 0) + 1
    return out


def test_every_stage_of_the_worker_has_its_empty_twin_on_the_same_topic():
    import streams.app as worker

    settings = worker.settings
    machinery = build_app(settings, mentions_per_article=1.5, metrics=False)
    real = _inputs(worker.app)
    # Alerts are neither delivered nor indexed in a bench: no rule is loaded, so none fires.
    real.pop(settings.topics.alerts)
    assert _inputs(machinery) == real
    assert set(machinery.tables) == set(worker.app.tables) - {"alert-state"}
