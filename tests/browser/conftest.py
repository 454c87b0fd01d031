"""Browser tests: Debian's Chromium driven by Playwright against a live server that serves the built app.

Playwright never downloads a browser here; it drives /usr/bin/chromium (installed by `make test`)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from conftest import ENGINES, TLS, make_settings
from support.server import LiveServer
from support.world import PASSWORD

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


def new_page(
    browser: Browser, viewport: dict[str, int], locale: str = "zh-CN", *, init_script: str | None = None, **options: Any
) -> Page:
    context = browser.new_context(
        viewport=viewport,
        locale=locale,
        is_mobile=viewport["width"] < 768,
        has_touch=viewport["width"] < 768,
        **options,
    )
    if init_script is not None:
        context.add_init_script(init_script)
    context.set_default_timeout(15_000)
    return context.new_page()


# --- signed in before the app loads --------------------------------------------------------------------------------
# Signing in through the form cost every test a load of the login page and of the map (two starts of the app) before
# it went where it tests. Only the tests about signing in use the form (tests/browser/test_app.py, a new account's
# first sign-in, the set-up from an empty database); every other test starts signed in: the tokens of the API's
# sign-in, the request the form sends, are put where the app keeps its session before the app starts. The world is
# rebuilt for each test (its sessions with it), so the tokens are asked for per page; that takes a few milliseconds.
_AUTH_STORE = Path(__file__).resolve().parents[2] / "frontend" / "src" / "stores" / "auth.ts"
AUTH_STORAGE_KEY = re.search(r"AUTH_STORAGE_KEY = '([^']+)'", _AUTH_STORE.read_text(encoding="utf-8")).group(1)  # type: ignore[union-attr]
# A Playwright init script runs before the page's own scripts on every document the context opens; this one stores
# the session on the first document of the app's origin only (it leaves a mark), so that signing out stays so.
# (A storage_state does the same but costs a hidden page load per context.)
_SEED_SESSION = """(() => {
  if (location.origin !== %(origin)s) return
  if (localStorage.getItem(%(mark)s) === null) {
    localStorage.setItem(%(mark)s, '1')
    localStorage.setItem(%(key)s, %(session)s)
  }
})()"""


def session_script(base_url: str, username: str, password: str = PASSWORD) -> str:
    """An init script that signs `username` in (see above); the app then fetches the user itself, as after a
    reload."""
    r = httpx.post(
        base_url + "/api/v1/auth/token",
        data={"username": username, "password": password, "grant_type": "password"},
        timeout=30,
        verify=TLS,
    )
    assert r.status_code == 200, r.text
    session = {"accessToken": r.json()["access_token"], "refreshToken": r.json()["refresh_token"], "user": None}
    values = {
        "origin": base_url,
        "mark": "wangge.tests.signed-in",
        "key": AUTH_STORAGE_KEY,
        "session": json.dumps(session),
    }
    return _SEED_SESSION % {name: json.dumps(value) for name, value in values.items()}


def signed_in(
    browser: Browser, base_url: str, username: str, viewport: dict[str, int], path: str, **options: Any
) -> Page:
    """A page of a new context, `username` signed in, opened at `path`."""
    page = new_page(browser, viewport, init_script=session_script(base_url, username), **options)
    page.goto(base_url + path)
    return page
