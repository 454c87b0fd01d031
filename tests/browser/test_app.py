"""The app shell in Chromium: a grid leader on a 360×740 phone sees their grid; the language switch; the desk
layout; the PWA manifest and service worker."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from browser.conftest import DESK, PHONE, new_page, signed_in
from support.world import PASSWORD


def login(page, base_url: str, username: str) -> None:
    """Through the form, as a person signs in; the other browser tests start signed in (conftest.signed_in)."""
    page.goto(base_url + "/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(re.compile(r"/map"))


def test_grid_leader_sees_their_grid_on_a_phone(world, browser, app_server):
    page = new_page(browser, PHONE)
    login(page, app_server.base_url, "grid_leader")
    grid = page.locator(f'path.grid-polygon[data-grid-code="{world.codes["G1a"]}"]')
    expect(grid).to_have_count(1)
    # Only their own grid: the sibling G1b is outside the leader's scope.
    expect(page.locator("path.grid-polygon")).to_have_count(1)
    expect(page.get_by_test_id("tabbar")).to_be_visible()
    expect(page.get_by_test_id("tabbar")).to_contain_text("地图")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = grid.bounding_box()
    assert box and box["width"] > 20 and box["height"] > 20
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    detail = page.get_by_test_id("grid-detail")
    expect(detail).to_be_visible()
    expect(detail).to_contain_text("G1a网格")
    expect(detail).to_contain_text(world.codes["G1a"])
    expect(detail).to_contain_text("101")  # households of G1a
    page.screenshot(path=str(_shot("phone-map.png")))
    page.context.close()


def test_wrong_password_shows_a_readable_message(world, browser, app_server):
    page = new_page(browser, PHONE)
    page.goto(app_server.base_url + "/login")
    page.get_by_test_id("login-username").fill("grid_leader")
    page.get_by_test_id("login-password").fill("not-the-password")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("login-error")).to_have_text(re.compile("用户名或密码错误"))
    page.context.close()


def test_language_switch_goes_to_english_and_stays(world, browser, app_server):
    page = new_page(browser, PHONE)
    page.goto(app_server.base_url + "/login")
    expect(page.get_by_test_id("login-submit")).to_contain_text("登录")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("login-submit")).to_contain_text("Log in")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.reload()
    expect(page.get_by_test_id("login-submit")).to_contain_text("Log in")
    page.get_by_test_id("login-username").fill("station_chief")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("tabbar")).to_contain_text("Map")
    expect(page.get_by_test_id("tabbar")).to_contain_text("Me")
    page.context.close()


def test_desk_layout_and_station_chief_scope(world, browser, app_server):
    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/map")
    expect(page.get_by_test_id("sidenav")).to_be_visible()
    expect(page.get_by_test_id("tabbar")).to_have_count(0)
    expect(page.get_by_test_id("grid-map")).to_have_attribute("data-loaded", "true")
    codes = sorted(page.locator("path.grid-polygon").evaluate_all("els => els.map(e => e.dataset.gridCode)"))
    assert codes == sorted([world.codes["G1a"], world.codes["G1b"]])
    page.screenshot(path=str(_shot("desk-map.png")))
    page.context.close()


def test_me_page_and_logout(world, browser, app_server):
    page = signed_in(browser, app_server.base_url, "grid_member", PHONE, "/me")
    expect(page.get_by_test_id("me-name")).to_have_text("grid_member的名字")
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.goto(app_server.base_url + "/map")
    expect(page).to_have_url(re.compile(r"/login"))
    page.context.close()


def test_pwa_manifest_and_service_worker(world, browser, app_server):
    page = new_page(browser, PHONE, service_workers="allow")
    page.goto(app_server.base_url + "/login")
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    manifest = page.request.get(app_server.base_url + "/" + href.lstrip("/")).json()
    assert manifest["short_name"] == "网格" and any(i["sizes"] == "512x512" for i in manifest["icons"])
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == app_server.base_url + "/"
    # The service worker must not answer API or docs navigations with the app.
    page.goto(app_server.base_url + "/healthz")
    assert '"status":"ok"' in page.content().replace(" ", "")
    page.context.close()


def _shot(name: str):
    from pathlib import Path

    out = Path(__file__).resolve().parents[2] / "test-results"
    out.mkdir(exist_ok=True)
    return out / name
