"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium) against live_server.

Without Chromium the tests are skipped with one line saying how to install it; with
ZHONGSHU_REQUIRE_BROWSER=1 (set by .ci/run) a missing Chromium fails them instead, so CI cannot pass without
running them. Screenshots go to test-artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread with a
# running loop unless told otherwise. Tests create their data and read results synchronously, so this is
# safe here (the standard workaround for Playwright with pytest-django).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
MISSING = "未找到 Chromium(/usr/bin/chromium)：浏览器测试已跳过。安装：apt-get install -y chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def chromium_required() -> bool:
    return os.environ.get("ZHONGSHU_REQUIRE_BROWSER", "").strip() == "1"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture starts (no live server, no database): without Chromium, skip every browser test
    from this one place, so that `pytest -rs` folds them into one line; or fail them when CI requires it."""
    if item.get_closest_marker("browser") is None or CHROMIUM.exists():
        return
    if chromium_required():
        pytest.fail(MISSING.replace("已跳过", "无法运行（ZHONGSHU_REQUIRE_BROWSER=1）"), pytrace=False)
    pytest.skip(MISSING)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def _page(browser: Any, viewport: dict[str, int]) -> Iterator[Any]:
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", device_scale_factor=1)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser tab at an office screen's size (1366×768), with its own cookies."""
    yield from _page(browser, DESKTOP)


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    """A fresh browser tab at a phone's size (390×844)."""
    yield from _page(browser, PHONE)


@pytest.fixture
def screenshot() -> Any:
    """screenshot(page, "name") saves a full-page PNG to test-artifacts/screenshots/name.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
