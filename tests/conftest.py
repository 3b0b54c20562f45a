"""Fixtures shared by unit and integration tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the repo (data, seeds); tests that need it skip cleanly without it."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: this test reads the team's shared data, which a user's clone does not have")
    return SHARED


@pytest.fixture
def sample_feed_bytes() -> bytes:
    return (REPO / "agents" / "samples" / "sample_ar.rss").read_bytes()
