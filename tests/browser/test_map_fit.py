"""The leader's phone map opens on their own grid: at 360×740 the grid leader's /map is fitted to their grid (the
whole grid in view and filling most of the map), whatever the configured default view; at 1280×800 the station
chief's map is fitted to the community's grids. Screenshots go to test-results/map-fit-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser.conftest import DESK, PHONE, signed_in

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.mark.parametrize(
    ("who", "viewport", "grids"), [("grid_leader", PHONE, 1), ("station_chief", DESK, 2)], ids=["leader", "chief"]
)
def test_the_map_opens_fitted_to_the_users_grids(world, browser, app_server, who, viewport, grids):
    page = signed_in(browser, app_server.base_url, who, viewport, "/map")
    expect(page.get_by_test_id("grid-map")).to_have_attribute("data-loaded", "true")
    polygons = page.locator("path.grid-polygon")
    expect(polygons).to_have_count(grids)
    page.wait_for_timeout(800)  # past any zoom animation
    view = page.get_by_test_id("grid-map").bounding_box()
    boxes = [polygons.nth(i).bounding_box() for i in range(grids)]
    assert view and all(boxes)
    left = min(b["x"] for b in boxes)
    top = min(b["y"] for b in boxes)
    right = max(b["x"] + b["width"] for b in boxes)
    bottom = max(b["y"] + b["height"] for b in boxes)
    # All of it in view …
    assert view["x"] - 1 <= left and right <= view["x"] + view["width"] + 1, (view, boxes)
    assert view["y"] - 1 <= top and bottom <= view["y"] + view["height"] + 1, (view, boxes)
    # … and filling the map one way or the other (fitted, not left at the default view).
    assert (right - left) >= 0.45 * view["width"] or (bottom - top) >= 0.45 * view["height"], (view, boxes)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"map-fit-{viewport['width']}.png"))
    page.context.close()


def test_the_leaders_map_stays_fitted_when_the_phone_is_turned_before_it_is_touched(world, browser, app_server):
    page = signed_in(browser, app_server.base_url, "grid_leader", PHONE, "/map")
    polygon = page.locator("path.grid-polygon")
    expect(polygon).to_have_count(1)
    page.wait_for_timeout(500)
    page.set_viewport_size({"width": PHONE["height"], "height": PHONE["width"]})  # landscape: a short, wide map
    page.wait_for_timeout(800)
    view, box = page.get_by_test_id("grid-map").bounding_box(), polygon.bounding_box()
    assert view and box
    assert view["y"] - 1 <= box["y"] and box["y"] + box["height"] <= view["y"] + view["height"] + 1, (view, box)
    assert box["height"] >= 0.45 * view["height"], (view, box)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "map-fit-turned.png"))
    page.context.close()
