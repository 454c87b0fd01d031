"""Who is my grid 亮证 in Chromium. At 360×740 a resident without an account opens 我的网格 from the report page's
header, picks a community (its station and duty phone as a tel: link), uses their location (the grid there and its
leader, no personal phone), opens a point in a grid whose duty number is published (a tel: link) and taps the map;
the board links to the page. At 1280×800 the street's administrator publishes a grid's duty phone (a wrong one
refused in the app's words), a station's duty phone and a leader's consent, and downloads the grid's poster (PNG:
200 image/png); at 360×740 a grid leader prints their grid's poster from the map and, on 我的, allows their own
phone on the public card. Screenshots go to test-results/who-*.png."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from browser.conftest import DESK, PHONE, new_page, signed_in
from support.world import grid_point

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"who-{name}.png"), full_page=True)


def _api(app_server, world, method: str, path: str, **kwargs) -> httpx.Response:
    return httpx.request(
        method, app_server.base_url + "/api/v1" + path, headers=world.headers("administrator"), timeout=10, **kwargs
    )


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_resident_finds_their_grid_leader_and_the_station_on_a_phone(world, browser, app_server):
    base = app_server.base_url
    assert _api(
        app_server, world, "PATCH", f"/grids/{world.ids['G1a']}", json={"duty_phone": "0731-8888 6666"}
    ).is_success
    assert _api(
        app_server, world, "PATCH", f"/communities/{world.ids['C1']}", json={"duty_phone": "0731-5555 1234"}
    ).is_success
    g1b_lon, g1b_lat = grid_point("G1b")
    page = new_page(
        browser, PHONE, geolocation={"latitude": g1b_lat, "longitude": g1b_lon}, permissions=["geolocation"]
    )

    # From the report page's header.
    page.goto(base + "/report")
    page.locator(".pub-header__who").click()
    expect(page).to_have_url(re.compile(r"/who$"))
    expect(page.locator("h1")).to_have_text("我的网格")

    # A community: its station and the duty phone to call.
    page.get_by_test_id("who-community").select_option(str(world.ids["C1"]))
    card = page.get_by_test_id("who-card")
    expect(card.get_by_test_id("who-station")).to_have_text("C1社区服务站")
    expect(card.get_by_test_id("who-outside")).to_contain_text("在地图上点选位置")
    station_phone = card.get_by_test_id("who-station-phone")
    expect(station_phone).to_have_text("0731-5555 1234")
    expect(station_phone).to_have_attribute("href", "tel:073155551234")
    _fits(page)
    _shot(page, "community")

    # My location, in G1b: its leader, no phone of theirs (no duty number, no consent) — call the station.
    page.get_by_test_id("report-use-gps").click()
    expect(card.get_by_test_id("who-grid")).to_have_text("G1b网格")
    expect(card.get_by_test_id("who-leader")).to_have_text("leader_g1b的名字")
    expect(card.get_by_test_id("who-no-phone")).to_have_text("暂无公开电话，请致电服务站")
    expect(card.get_by_test_id("who-leader-phone")).to_have_count(0)
    assert "13900001111" not in page.content()
    expect(card.get_by_test_id("who-report")).to_have_attribute("href", f"/report?grid={world.ids['G1b']}")

    # A point in G1a (the address carries it), whose duty number is published; then a tap on the map nearby.
    lon, lat = grid_point("G1a")
    page.goto(f"{base}/who?lat={lat}&lon={lon}")
    expect(card.get_by_test_id("who-grid")).to_have_text("G1a网格")
    expect(card.get_by_test_id("who-leader")).to_have_text("grid_leader的名字")
    leader_phone = card.get_by_test_id("who-leader-phone")
    expect(leader_phone).to_have_text("0731-8888 6666")
    expect(leader_phone).to_have_attribute("href", "tel:073188886666")
    # The grid's duty number, not the leader's own phone: labelled so (网格值班电话), not 联系电话.
    expect(card.get_by_test_id("who-leader-phone-label")).to_have_text("网格值班电话")
    expect(card.get_by_test_id("who-station-phone")).to_have_attribute("href", "tel:073155551234")
    _fits(page)
    _shot(page, "grid")
    box = page.get_by_test_id("report-map").bounding_box()
    assert box
    page.mouse.click(box["x"] + box["width"] / 2 + 25, box["y"] + box["height"] / 2 + 25)  # beside the marker
    expect(page).not_to_have_url(re.compile(rf"lat={re.escape(str(lat))}&"))
    expect(page).to_have_url(re.compile(r"/who\?lat=28\.10\d*&lon=113\.00\d*"))
    expect(card.get_by_test_id("who-grid")).to_have_text("G1a网格")

    # The board links here too, with its community.
    page.goto(f"{base}/board/{world.ids['C1']}")
    page.get_by_test_id("board-who-link").click()
    expect(page).to_have_url(re.compile(rf"/who\?community={world.ids['C1']}$"))
    expect(card.get_by_test_id("who-station")).to_have_text("C1社区服务站")
    page.context.close()


def test_an_administrator_publishes_duty_phones_and_downloads_the_poster(world, browser, app_server):
    base = app_server.base_url
    page = signed_in(browser, base, "administrator", DESK, "/admin/grids")
    page.get_by_test_id("grids-community").select_option(str(world.ids["C1"]))
    page.locator(f'[data-testid="grid-item"][data-code="{world.codes["G1a"]}"]').click()
    panel = page.get_by_test_id("grid-duty")
    phone = panel.get_by_test_id("grid-duty-phone").locator("input")
    phone.fill("值班电话")
    panel.get_by_test_id("grid-duty-save").click()
    expect(panel.get_by_test_id("grid-duty-message")).to_contain_text("电话号码只能包含数字")
    phone.fill("0731-8888  6666")
    panel.get_by_test_id("grid-duty-save").click()
    expect(panel.get_by_test_id("grid-duty-message")).to_have_text("已保存")
    expect(phone).to_have_value("0731-8888 6666")
    assert _api(app_server, world, "GET", f"/grids/{world.ids['G1a']}").json()["duty_phone"] == "0731-8888 6666"
    _shot(page, "admin-grid")

    # The poster: a PNG the browser downloads.
    with page.expect_download() as download, page.expect_response(lambda r: "/poster.png" in r.url) as response:
        panel.get_by_test_id("poster-png").click()
    assert response.value.status == 200
    assert response.value.headers["content-type"] == "image/png"
    assert download.value.suggested_filename == f"亮证-{world.codes['G1a']}.png"

    # The station's duty phone, on 区划.
    page.goto(base + "/admin/areas")
    row = page.locator(f'[data-testid="community-row"][data-code="{world.codes["C1"]}"]')
    row.get_by_test_id("community-edit").click()
    form = page.get_by_test_id("area-form")
    form.get_by_test_id("area-duty-phone").locator("input").fill("0731-5555 1234")
    form.get_by_test_id("area-save").click()
    expect(row.get_by_test_id("community-duty-phone")).to_have_text("0731-5555 1234")

    # A leader's consent to show their own phone.
    page.goto(base + "/admin/users")
    user = page.locator('[data-testid="user-row"][data-username="leader_g1b"]')
    user.get_by_test_id("user-edit").click()
    user_form = page.get_by_test_id("user-form")
    user_form.get_by_test_id("user-phone-public").click()
    user_form.get_by_test_id("user-save").click()
    expect(user_form).to_be_hidden()
    assert _api(app_server, world, "GET", f"/users/{world.users['leader_g1b']}").json()["phone_public"] is True
    audit = _api(app_server, world, "GET", "/audit", params={"entity": "grid"}).json()["items"]
    assert any(e["changes"].get("duty_phone") == [None, "0731-8888 6666"] for e in audit)
    page.context.close()


def test_a_grid_leader_prints_the_poster_of_their_grid_from_the_map(world, browser, app_server):
    page = signed_in(browser, app_server.base_url, "grid_leader", PHONE, "/map")
    grid = page.locator(f'path.grid-polygon[data-grid-code="{world.codes["G1a"]}"]')
    expect(grid).to_have_count(1)
    box = grid.bounding_box()
    assert box
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    actions = page.get_by_test_id("grid-detail").get_by_test_id("poster-actions")
    expect(actions).to_contain_text("打印亮证海报")
    with page.expect_response(lambda r: "/poster.pdf" in r.url) as response:
        actions.get_by_test_id("poster-pdf").click()
    assert response.value.status == 200 and response.value.headers["content-type"] == "application/pdf"
    expect(page.locator(".van-toast")).to_contain_text("海报已下载")
    _fits(page)
    _shot(page, "map-poster")

    # On 我的, the leader allows their own phone on the public card: the public lookup shows it.
    page.goto(app_server.base_url + "/me")
    switch = page.get_by_test_id("me-phone-public")
    expect(page.get_by_text("允许在亮证中公开本人电话")).to_be_visible()
    expect(switch).to_have_attribute("aria-checked", "false")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "true")
    lon, lat = grid_point("G1a")
    who = httpx.get(app_server.base_url + "/api/v1/public/who", params={"lat": lat, "lon": lon}, timeout=10).json()
    assert who["leader"] == {"name": "grid_leader的名字", "phone": "13900001111"}
    _fits(page)
    # The leader's own phone (no duty number published for the grid) is their 联系电话, not the grid's duty phone.
    page.goto(f"{app_server.base_url}/who?lat={lat}&lon={lon}")
    expect(page.get_by_test_id("who-leader-phone")).to_have_text("13900001111")
    expect(page.get_by_test_id("who-leader-phone-label")).to_have_text("联系电话")
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_the_map_draws_the_grids_and_a_tap_outside_them_names_the_station_and_keeps_the_picker(
    world, browser, app_server, viewport
):
    assert _api(
        app_server, world, "PATCH", f"/communities/{world.ids['C1']}", json={"duty_phone": "0731-5555 1234"}
    ).is_success
    lon, lat = grid_point("G1a")
    page = new_page(browser, viewport)
    page.goto(f"{app_server.base_url}/who?lat={lat}&lon={lon}")
    card = page.get_by_test_id("who-card")
    expect(card.get_by_test_id("who-grid")).to_have_text("G1a网格")
    picker = page.get_by_test_id("who-community")
    expect(picker).to_have_value(str(world.ids["C1"]))
    # The grids with their names, as on the report page.
    expect(page.locator("path.public-grid")).to_have_count(5)
    label = page.locator(".leaflet-tooltip.grid-label").filter(has_text="G1a网格")
    expect(label).to_be_visible()

    # Another community is chosen; then a tap in C1 but north of every grid (G1a's middle, a grid's height up).
    page.get_by_test_id("who-community").select_option(str(world.ids["C2"]))
    expect(card.get_by_test_id("who-station")).to_have_text("C2社区服务站")
    page.locator(".leaflet-control-zoom-out").click()  # zoom 15: G1a is some 80 px high
    page.wait_for_timeout(600)
    box = label.bounding_box()
    assert box
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 - 80)
    expect(page).to_have_url(re.compile(r"/who\?lat=28\.10[4-5]\d*&lon=113\.00\d*"))
    outside = card.get_by_test_id("who-outside")
    expect(outside).to_contain_text("不在任何网格内")
    expect(outside).to_contain_text("请致电C1社区服务站")
    expect(outside.get_by_test_id("who-outside-phone")).to_have_attribute("href", "tel:073155551234")
    expect(picker).to_have_value(str(world.ids["C2"]))  # the nearest community is no choice of the user's
    _fits(page)
    _shot(page, f"outside-{viewport['width']}")
    page.context.close()
