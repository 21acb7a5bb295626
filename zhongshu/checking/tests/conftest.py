"""Fixtures of the checker's tests: the small district of the tracking tests, a fresh profile cache."""

from __future__ import annotations

import json

import pytest

from zhongshu.checking import corpus, selectors, sources
from zhongshu.tracking.tests.conftest import clock_at, district, make_item  # noqa: F401  # shared fixtures


@pytest.fixture(autouse=True)
def _fresh_profile():
    """Each test starts without this process's cached profile (the version check would catch it anyway)."""
    selectors.forget_profile()
    corpus.register("tracking", sources.closed_item_texts)
    yield
    selectors.forget_profile()


@pytest.fixture
def proofread(client):
    """proofread(body) -> the response of POST /api/v1/proofread."""

    def post(body):
        return client.post("/api/v1/proofread", data=json.dumps(body), content_type="application/json")

    return post
