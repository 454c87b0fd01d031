"""Browser tests: Debian's Chromium driven by Playwright against a live server that serves the built app.

Playwright never downloads a browser here; it drives /usr/bin/chromium (installed by `make test`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from conftest import make_settings
from support.server import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 800}


@pytest.fixture(scope="package")  # Playwright holds the main thread's event loop while it runs
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: `make test` installs Debian's chromium package"
    assert (DIST / "index.html").exists(), "The front end is not built: `make test` runs `make build` first"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="package")  # Playwright holds the main thread's event loop while it runs
def app_server(live) -> Iterator[LiveServer]:
    """The app on the test database, with a tile server that cannot be reached: grids must be drawn anyway."""
    settings = make_settings(
        live.settings.database_url, tile_url="http://127.0.0.1:9/{z}/{x}/{y}.png", frontend_dist=DIST
    )
    server = LiveServer(settings).start()
    yield server
    server.stop()


def new_page(browser: Browser, viewport: dict[str, int], locale: str = "zh-CN") -> Page:
    context = browser.new_context(
        viewport=viewport, locale=locale, is_mobile=viewport["width"] < 768, has_touch=viewport["width"] < 768
    )
    context.set_default_timeout(15_000)
    return context.new_page()
