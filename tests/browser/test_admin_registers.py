"""楼栋与单位 in Chromium (1280×800): a street's administrator registers a building with its head in G1a (a point
outside the grid is refused by the server, said in the form) and a business placed by a tap on the map; both are in
the API after."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from browser.conftest import DESK, signed_in
from support.world import grid_point


def test_an_administrator_registers_a_building_and_a_business(world, browser, app_server):
    base = app_server.base_url
    page = signed_in(browser, base, "administrator", DESK, "/admin/registers")
    page.get_by_test_id("registers-community").select_option(str(world.ids["C1"]))
    page.get_by_test_id("registers-grid").select_option(str(world.ids["G1a"]))

    page.get_by_test_id("building-new").click()
    form = page.get_by_test_id("register-form")
    form.get_by_test_id("register-name").locator("input").fill("3栋")
    form.get_by_test_id("register-floors").locator("input").fill("6")
    form.get_by_test_id("register-households").locator("input").fill("24")
    form.get_by_test_id("register-head_name").locator("input").fill("王楼长")
    form.get_by_test_id("register-head_phone").locator("input").fill("13711112222")
    lon, lat = grid_point("G1a")
    form.get_by_test_id("register-lat").locator("input").fill(str(lat + 1))  # far outside the grid
    form.get_by_test_id("register-lon").locator("input").fill(str(lon))
    form.get_by_test_id("register-save").click()
    expect(form.get_by_test_id("register-error")).to_have_text("位置不在本网格内，请在网格范围内选点")
    form.get_by_test_id("register-lat").locator("input").fill(str(lat))
    form.get_by_test_id("register-save").click()
    row = page.locator('[data-testid="building-row"][data-name="3栋"]')
    expect(row).to_contain_text("王楼长")
    expect(row).to_contain_text("24")

    page.get_by_role("tab", name="单位与商户").click()
    page.get_by_test_id("place-new").click()
    form.get_by_test_id("register-name").locator("input").fill("便民超市")
    form.get_by_test_id("register-address").locator("input").fill("枫溪路1号")
    # The point by a tap on the map: the community's grids are drawn, G1a the western one; its middle is tapped.
    grids = form.get_by_test_id("register-map-picker").locator("path")
    expect(grids).to_have_count(2)
    boxes = None  # measured once the map has stopped moving to fit the grids
    for _ in range(50):
        seen = [grids.nth(i).bounding_box() for i in range(2)]
        if seen == boxes:
            break
        boxes = seen
        page.wait_for_timeout(150)
    west = min(boxes, key=lambda b: b["x"])
    page.mouse.click(west["x"] + west["width"] / 2, west["y"] + west["height"] / 2)
    expect(form.get_by_test_id("register-lat").locator("input")).not_to_have_value("")
    expect(form.get_by_test_id("register-lon").locator("input")).not_to_have_value("")
    form.get_by_test_id("register-save").click()
    expect(page.locator('[data-testid="place-row"][data-name="便民超市"]')).to_contain_text("个体工商户")

    headers = world.headers("administrator")
    g1a = world.ids["G1a"]
    buildings = httpx.get(f"{base}/api/v1/grids/{g1a}/buildings", headers=headers, timeout=30).json()["items"]
    built = next(b for b in buildings if b["name"] == "3栋")
    assert (built["floors"], built["households"], built["head_name"]) == (6, 24, "王楼长")
    assert abs(built["lat"] - lat) < 1e-6 and abs(built["lon"] - lon) < 1e-6
    places = httpx.get(f"{base}/api/v1/grids/{g1a}/places", headers=headers, timeout=30).json()["items"]
    shop = next(p for p in places if p["name"] == "便民超市")
    assert (shop["category"], shop["address"]) == ("business", "枫溪路1号")
    assert abs(shop["lat"] - lat) < 0.002 and abs(shop["lon"] - lon) < 0.002  # G1a's middle, within its 0.003° square
    page.context.close()
