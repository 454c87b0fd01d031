"""Browser tests: Debian's Chromium driven by Playwright against a live server that serves the built app.

Playwright never downloads a browser here; it drives /usr/bin/chromium (installed by `make test`)."""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Keyboard, Locator, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from conftest import ENGINES, TLS, make_settings
from support.language import PAGE_TEXT, english_words, typed_words
from support.server import LiveServer
from support.world import PASSWORD, ROLES

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
    # One origin under test: no per-site renderer processes, and none of the browser's own features that work in the
    # background. Chromium's CPU is the largest share of `make test` (41 % of a clean run's, sampled); on 19 browser
    # tests run alone these took it from 47-51 to 42-44 CPU-seconds.
    "--disable-site-isolation-trials",
    "--disable-features=IsolateOrigins,site-per-process,Translate,MediaRouter,OptimizationHints,PaintHolding",
    "--disable-software-rasterizer",
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


# --- one language: no English words on a Chinese screen (tests/support/language.py) --------------------------------
# Every page is looked at when the test ends, when it or its context is closed, and when the test takes a screenshot.
# What the test typed into the page, and the words it declares with `@pytest.mark.entered(...)` (data it entered
# through the API), may show as entered.
open_contexts: list[BrowserContext] = []
# The demo world's users are named after their roles (support/world.py): "administrator的名字" is its data.
WORLD_USERNAMES = ROLES
typed: list[str] = []


checking: list[bool] = [True]  # off for a test marked known_english


def assert_one_language(page: Page) -> None:
    if not checking[0] or page.is_closed():
        return
    try:
        seen = page.evaluate(PAGE_TEXT)
    except PlaywrightError:
        return  # the page is between two documents: the next look will see it
    if not str(seen["lang"]).lower().startswith("zh"):
        return
    words = english_words("\n".join(seen["texts"]), typed_words([*typed, *WORLD_USERNAMES]))
    assert not words, f"English words on a Chinese screen ({page.url}): {words}"


def _looking_first(method: Any, *, pages: Any) -> Any:
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            for page in pages(self):
                assert_one_language(page)
        finally:
            result = method(self, *args, **kwargs)
        return result

    return wrapper


def _typing(method: Any, position: int) -> Any:
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        values = [*args[position : position + 1], kwargs.get("value"), kwargs.get("text")]
        typed.extend(v for v in values if isinstance(v, str))
        return method(self, *args, **kwargs)

    return wrapper


def _files_given(method: Any, position: int) -> Any:
    """set_input_files: the text of the files a test uploads (a CSV of orders, a GeoJSON of grids) is its data."""

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        files = kwargs.get("files", args[position] if len(args) > position else None)
        for file in files if isinstance(files, list | tuple) else [files]:
            if isinstance(file, dict) and isinstance(file.get("buffer"), bytes):
                typed.append(file["buffer"].decode("utf-8", "replace"))
            elif isinstance(file, str | Path) and Path(file).suffix.lower() in (".csv", ".json", ".geojson", ".txt"):
                typed.append(Path(file).read_text(encoding="utf-8", errors="replace"))
        return method(self, *args, **kwargs)

    return wrapper


Page.set_input_files = _files_given(Page.set_input_files, 1)  # type: ignore[method-assign]
Locator.set_input_files = _files_given(Locator.set_input_files, 0)  # type: ignore[method-assign]
Page.screenshot = _looking_first(Page.screenshot, pages=lambda page: [page])  # type: ignore[method-assign]
Locator.screenshot = _looking_first(Locator.screenshot, pages=lambda locator: [locator.page])  # type: ignore[method-assign]
Page.close = _looking_first(Page.close, pages=lambda page: [page])  # type: ignore[method-assign]
_close_context = BrowserContext.close  # closes without looking (one_language has looked already)
BrowserContext.close = _looking_first(BrowserContext.close, pages=lambda context: list(context.pages))  # type: ignore[method-assign]
for _owner, _name, _position in (
    (Page, "fill", 1),
    (Page, "type", 1),
    (Locator, "fill", 0),
    (Locator, "type", 0),
    (Locator, "press_sequentially", 0),
    (Keyboard, "type", 0),
    (Keyboard, "insert_text", 0),
):
    setattr(_owner, _name, _typing(getattr(_owner, _name), _position))


@pytest.fixture(autouse=True)
def one_language(request: pytest.FixtureRequest) -> Iterator[None]:
    typed.clear()
    for marker in request.node.iter_markers("entered"):
        typed.extend(marker.args)
    # A known leak is named by its test (and listed in the issue), not hidden in the allowlist.
    checking[0] = request.node.get_closest_marker("known_english") is None
    yield
    still_open = [context for context in open_contexts if context.pages]
    open_contexts.clear()
    try:
        for context in still_open:
            for page in context.pages:
                assert_one_language(page)
    finally:
        # A context a test left open would go on running its pages (the notifications' polling, the map) in the
        # browser, against the server, until the browser closes at the end of the package.
        for context in still_open:
            with contextlib.suppress(PlaywrightError):
                _close_context(context)


@pytest.fixture(scope="package")  # Playwright holds the main thread's event loop while it runs
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: `make test` installs Debian's chromium package"
    assert (DIST / "index.html").exists(), "The front end is not built: `make test` runs `make build` first"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        # Every context the tests open, however they open it, watches for CSP violations and is looked at when the
        # test ends (one_language).
        open_context = b.new_context

        def new_context(**kwargs: Any) -> BrowserContext:
            # No service worker unless a test asks for one: on its first page the app's worker precaches the whole
            # build (~290 files, 5 MB), which each of the ~200 contexts of a run fetched again from the test server
            # while the test went on. The tests of the worker itself and of working offline allow it.
            kwargs.setdefault("service_workers", "block")
            context = watch_csp(open_context(**kwargs))
            open_contexts.append(context)
            return context

        b.new_context = new_context  # type: ignore[method-assign]
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


WAIT_MS = 30_000  # see expect.set_options below


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
    context.set_default_timeout(WAIT_MS)
    return context.new_page()


# An assertion waits as long as an action or a navigation does (30 s): with four workers on two cores, a page's first
# render after it loads the app has taken more than expect's 5 s default (a full run once found an inbox still
# empty), and on a slow day a page's load more than 15 s (CI of 2026-12-02: a page.goto and a first render, each in
# one test of 3,815). A wait ceiling only: nothing is asserted about how fast.
expect.set_options(timeout=WAIT_MS)


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


def leader_phone(browser: Browser, base_url: str, lat: float, lon: float) -> BrowserContext:
    """The grid leader's phone, signed in, where the context says it is; its service worker allowed, since offline
    the app's own worker serves what the page has not loaded yet (tests of working offline)."""
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": lat, "longitude": lon, "accuracy": 5},
        service_workers="allow",
    )
    context.add_init_script(session_script(base_url, "grid_leader"))
    context.grant_permissions(["geolocation"], origin=base_url)
    context.set_default_timeout(WAIT_MS)
    return context


def signed_in(
    browser: Browser, base_url: str, username: str, viewport: dict[str, int], path: str, **options: Any
) -> Page:
    """A page of a new context, `username` signed in, opened at `path`."""
    page = new_page(browser, viewport, init_script=session_script(base_url, username), **options)
    page.goto(base_url + path)
    return page
