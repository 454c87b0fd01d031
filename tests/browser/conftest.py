"""Browser tests: Debian's Chromium driven by Playwright against a live server that serves the built app.

Playwright never downloads a browser here; it drives /usr/bin/chromium (installed by `make test`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from conftest import ENGINES, make_settings
from support.server import LiveServer

# The browser tests drive the front end; the API tests already run on both engines, so the browser tests run against
# one: PostgreSQL (production's) when it is among WANGGE_TEST_ENGINES, or WANGGE_BROWSER_ENGINE when set.
BROWSER_ENGINE = os.environ.get("WANGGE_BROWSER_ENGINE") or ("postgres" if "postgres" in ENGINES else ENGINES[0])
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept, dropped = [], []
    for item in items:
        if HERE not in item.path.parents:
            kept.append(item)
            continue
        item.add_marker(pytest.mark.browser)
        callspec = getattr(item, "callspec", None)
        engine = callspec.params.get("live") if callspec else None
        (dropped if engine not in (None, BROWSER_ENGINE) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


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


# --- Content-Security-Policy: every page of every browser test reports its violations, and a test with one fails ---
CSP_WATCH = """document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at '
    + e.sourceFile + ':' + e.lineNumber);
  (window.__cspViolations ||= []).push(e.violatedDirective)
})"""
csp_violations: list[str] = []


def watch_csp(context: BrowserContext) -> BrowserContext:
    context.add_init_script(CSP_WATCH)
    context.on("console", lambda m: csp_violations.append(m.text) if m.text.startswith("CSP violation") else None)
    return context


@pytest.fixture(autouse=True)
def no_csp_violations() -> Iterator[None]:
    csp_violations.clear()
    yield
    assert not csp_violations, f"the page broke its Content-Security-Policy: {csp_violations}"


@pytest.fixture(scope="package")  # Playwright holds the main thread's event loop while it runs
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: `make test` installs Debian's chromium package"
    assert (DIST / "index.html").exists(), "The front end is not built: `make test` runs `make build` first"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        # Every context the tests open, however they open it, watches for CSP violations.
        open_context = b.new_context
        b.new_context = lambda **kwargs: watch_csp(open_context(**kwargs))  # type: ignore[method-assign]
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
