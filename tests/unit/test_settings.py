"""Settings that choose how the worker runs."""

import pytest

from marsad.faust_app import use_event_loop
from marsad.settings import Settings


def test_the_worker_loop_is_uvloop_unless_told(monkeypatch):
    monkeypatch.delenv("MARSAD_EVENT_LOOP", raising=False)
    assert Settings().event_loop == "uvloop"
    monkeypatch.setenv("MARSAD_EVENT_LOOP", "aio")
    assert Settings().event_loop == "aio"


def test_an_unknown_loop_is_refused_with_its_name(monkeypatch):
    monkeypatch.setenv("MARSAD_EVENT_LOOP", "gevent")
    with pytest.raises(ValueError, match="gevent"):
        use_event_loop(Settings())
