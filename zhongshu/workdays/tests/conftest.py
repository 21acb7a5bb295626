from __future__ import annotations

import pytest

from zhongshu.workdays import selectors


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test starts without this process's cached calendar (the version stamp would catch it anyway)."""
    selectors.forget_calendar()
    yield
    selectors.forget_calendar()
