"""What the first screen weighs, and that it is styled (Vant's styles come with each screen, so a screen that
forgets them would weigh less and look broken): a resident opening /report and a signed-in grid leader opening
/map, each in a fresh browser (empty cache, no service worker), must not fetch more than 200 KB of the app's own
files, gzipped as a server sends them (level 6). Phones on a weak network pay for every byte before the first
screen shows.

Counted: the document, scripts, stylesheets, fonts and images the page fetches from our origin; not the API's
answers (their size is the data's) and not the map tiles (another host)."""

from __future__ import annotations

import gzip
from urllib.parse import urlparse

from playwright.sync_api import Browser, Page, expect

from browser.conftest import PHONE, WAIT_MS, session_script

LIMIT = 200_000  # bytes, gzipped
COUNTED = {"document", "script", "stylesheet", "font", "image", "manifest"}
ALREADY_COMPRESSED = (".png", ".jpg", ".jpeg", ".webp", ".woff2")


def _fresh_page(browser: Browser, init_script: str | None = None) -> Page:
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        service_workers="block",
    )
    if init_script is not None:
        context.add_init_script(init_script)
    context.set_default_timeout(WAIT_MS)
    return context.new_page()


def _weigh(page: Page, base_url: str, path: str, ready) -> dict[str, int]:
    """Open `path`, wait until `ready(page)` holds and the network is idle; the gzipped size of each file fetched."""
    origin = urlparse(base_url).netloc
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(base_url + path)
    ready(page)
    page.wait_for_load_state("networkidle")
    sizes: dict[str, int] = {}
    for response in responses:
        url = urlparse(response.url)
        if url.netloc != origin or url.path.startswith("/api/") or response.request.resource_type not in COUNTED:
            continue
        body = response.body()
        sizes[url.path] = len(body) if url.path.endswith(ALREADY_COMPRESSED) else len(gzip.compress(body, 6))
    return sizes


PRIMARY = "rgb(22, 119, 255)"  # --wg-primary, #1677ff


def _style(locator, prop: str) -> str:
    return locator.evaluate("(el, prop) => getComputedStyle(el)[prop]", prop)


def _assert_styled_icons(page: Page) -> None:
    icon = page.locator(".van-icon").first
    assert "vant-icon" in _style(icon, "fontFamily")
    assert page.evaluate("document.fonts.check('16px vant-icon')")


def _report(sizes: dict[str, int]) -> str:
    lines = [f"{size:>8,}  {path}" for path, size in sorted(sizes.items(), key=lambda kv: -kv[1])]
    return "\n".join(lines + [f"{sum(sizes.values()):>8,}  in all"])


def test_a_residents_report_page_weighs_at_most_200_kb(world, browser, app_server):
    page = _fresh_page(browser)
    map_shown = lambda p: expect(p.get_by_test_id("report-map")).to_be_visible()  # noqa: E731
    sizes = _weigh(page, app_server.base_url, "/report", map_shown)
    submit = page.get_by_test_id("report-submit")
    assert _style(submit, "backgroundColor") == PRIMARY and _style(submit, "borderRadius") != "0px"
    assert (
        "van-field" in (page.get_by_test_id("report-description").get_attribute("class") or "")
        or page.locator(".van-field").count() > 0
    )
    assert _style(page.locator(".van-cell").first, "display") == "flex"
    _assert_styled_icons(page)
    assert any(path.endswith(".js") for path in sizes) and any(path.endswith(".css") for path in sizes), sizes
    print(_report(sizes))
    assert sum(sizes.values()) <= LIMIT, _report(sizes)
    page.context.close()


def test_a_grid_leaders_map_weighs_at_most_200_kb(world, browser, app_server):
    # Signed in, nothing cached: the leader reopening the app.
    page = _fresh_page(browser, init_script=session_script(app_server.base_url, "grid_leader"))
    sizes = _weigh(page, app_server.base_url, "/map", lambda p: expect(p.locator("path.grid-polygon")).to_have_count(1))
    tabbar = page.locator(".van-tabbar")
    assert _style(tabbar, "display") == "flex" and tabbar.bounding_box()["height"] <= 60
    assert _style(page.locator(".van-tabbar-item--active").first, "color") == PRIMARY
    _assert_styled_icons(page)
    assert any("leaflet" in path for path in sizes), sizes  # the map's own library is part of this screen
    print(_report(sizes))
    assert sum(sizes.values()) <= LIMIT, _report(sizes)
    page.context.close()


def test_an_icon_that_no_first_screen_shows_is_fetched_when_shown(world, browser, app_server):
    """Vant's icon font travels in two parts (frontend/build-plugins/vant-icon-font.ts): the icons our screens name
    inlined, the rest (an administrator may give a category any Vant icon) a file fetched only when one is shown."""
    page = _fresh_page(browser)
    fetched: list[str] = []
    page.on("response", lambda r: fetched.append(urlparse(r.url).path))
    page.goto(app_server.base_url + "/report")
    expect(page.get_by_test_id("report-map")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert not [path for path in fetched if path.endswith(".woff2")], fetched

    def show(name: str) -> str:
        """Adds an icon to the page; its character."""
        return page.evaluate(
            """name => {
                const icon = document.createElement('i')
                icon.className = `van-icon van-icon-${name}`
                document.body.append(icon)
                return getComputedStyle(icon, '::before').content.replaceAll('"', '')
            }""",
            name,
        )

    inlined = show("location-o")  # the tab bar's
    assert page.evaluate("ch => document.fonts.check('16px vant-icon', ch)", inlined)
    page.wait_for_timeout(300)
    assert not [path for path in fetched if path.endswith(".woff2")], fetched

    with page.expect_response(lambda r: "vant-icon-rest" in r.url and r.ok):
        rare = show("gem-o")
    page.wait_for_function("ch => document.fonts.check('16px vant-icon', ch)", arg=rare)
    # The glyph is drawn from the fetched part: the icon is as wide as an inlined one, not an empty box of fallback.
    widths = page.evaluate(
        """() => [...document.querySelectorAll('body > i.van-icon')].map(i => i.getBoundingClientRect().width)"""
    )
    assert widths[0] > 0 and widths[1] == widths[0], widths
    page.context.close()
