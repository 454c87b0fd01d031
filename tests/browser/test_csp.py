"""The app under its Content-Security-Policy in Chromium. Every browser test fails on a violation (conftest's
watcher); this one proves the watcher sees one, and walks what the others may not: map tiles from the configured
host, photo previews from blob: and data: URLs, the service worker, and the API documentation's own policy."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from browser.conftest import DESK, PHONE, csp_violations, new_page
from support.world import PASSWORD

IMAGE_LOADS = """async (src) => {
  const img = new Image()
  const done = new Promise((resolve) => { img.onload = () => resolve('loaded'); img.onerror = () => resolve('error') })
  img.src = src
  document.body.appendChild(img)
  return await done
}"""
PNG_1PX = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_the_app_runs_under_its_policy_and_a_violation_is_caught(world, browser, app_server):
    page = new_page(browser, PHONE, service_workers="allow")  # the worker registers under the policy too
    response = page.goto(app_server.base_url + "/login")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert "http://127.0.0.1:9" in policy  # the test server's (unreachable) tile host

    # The watcher works: an image from a host the policy does not name is a violation it reports.
    assert page.evaluate(IMAGE_LOADS, "http://203.0.113.7/tracker.png") == "error"
    page.wait_for_function("(window.__cspViolations || []).length > 0")
    assert any("img-src" in v and "203.0.113.7" in v for v in csp_violations), csp_violations
    csp_violations.clear()

    # Photo previews: a blob: URL of a picked file and a data: URL both load.
    assert page.evaluate(IMAGE_LOADS, PNG_1PX) == "loaded"
    blob = page.evaluate(
        """(src) => {
          const bytes = Uint8Array.from(atob(src.split(',')[1]), (c) => c.charCodeAt(0))
          return URL.createObjectURL(new Blob([bytes], { type: 'image/png' }))
        }""",
        PNG_1PX,
    )
    assert blob.startswith("blob:") and page.evaluate(IMAGE_LOADS, blob) == "loaded"

    # Signed in, the map asks the tile host for tiles (allowed, though nothing answers there) and draws the grid.
    tiles: list[str] = []
    page.on("request", lambda r: tiles.append(r.url) if r.url.startswith("http://127.0.0.1:9/") else None)
    page.get_by_test_id("login-username").fill("grid_leader")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(re.compile(r"/map"))
    expect(page.locator("path.grid-polygon")).to_have_count(1)
    page.wait_for_function("document.querySelectorAll('img.leaflet-tile').length > 0")
    assert tiles, "the map requested no tiles"
    # The service worker registers under the policy.
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == app_server.base_url + "/"
    page.context.close()
    assert not csp_violations, csp_violations


def test_the_api_documentation_works_from_the_apps_own_files(browser, app_server):
    """Swagger UI and ReDoc render the API from dist/api-docs/, under their policy, with no request to any other
    host (an intranet has none to reach)."""
    page = new_page(browser, DESK)
    elsewhere: list[str] = []
    own = (app_server.base_url, "blob:" + app_server.base_url, "data:")
    page.on("request", lambda r: None if r.url.startswith(own) else elsewhere.append(r.url))
    response = page.goto(app_server.base_url + "/docs")
    assert response is not None and response.status == 200
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "https:" not in policy
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=30_000)
    expect(page.locator(".swagger-ui .opblock").nth(5)).to_be_attached()  # it renders as it scrolls
    expect(page.locator(".opblock-summary-path").first).to_contain_text("/api/v1/auth/token")
    page.goto(app_server.base_url + "/redoc")
    # ReDoc lays the whole API out before it shows anything: on a loaded 2-core machine that has taken over 30 s.
    expect(page.locator("redoc h1, [role=navigation], .menu-content").first).to_be_visible(timeout=90_000)
    page.context.close()
    assert not elsewhere, elsewhere
