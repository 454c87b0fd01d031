"""网格划分 in Chromium (1280×800): the street's administrator draws a grid by clicking its corners on the map (the
uncovered area shrinks by its size), drags one of its corners, cuts it in two with a line, is refused a merge with a
grid that is not adjacent (the app's own message), then merges the two parts again; each result read back through
the API. At 360×740 the page is usable: nothing wider than the screen, the map and the tools on it.
Screenshots go to test-results/admin-grids-*.png."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from browser.conftest import DESK, PHONE, signed_in
from support.world import C_SIZE, ORIGINS, square_geojson

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
C1_LON, C1_LAT = ORIGINS["C1"]
# The drawn grid: a square in the empty north half of C1.
WEST, SOUTH, EAST, NORTH = C1_LON + 0.001, C1_LAT + 0.005, C1_LON + 0.004, C1_LAT + 0.008
TOLERANCE = 4e-5  # degrees: two pixels at the zoom that fits C1 in the map


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"admin-grids-{name}.png"), full_page=True)


class MapPixels:
    """Screen pixels of (lon, lat) on the editor's map, from where the boundary of C1 (a known square) is drawn."""

    def __init__(self, page: Page):
        box = page.locator("path.grids-boundary").bounding_box()
        assert box and box["width"] > 100, box
        self.box = box

    def at(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.box["x"] + (lon - C1_LON) / C_SIZE * self.box["width"]
        y = self.box["y"] + (C1_LAT + C_SIZE - lat) / C_SIZE * self.box["height"]
        return x, y


def _api(app_server, world, path: str) -> dict:
    r = httpx.get(app_server.base_url + "/api/v1" + path, headers=world.headers("administrator"), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def _grid(app_server, world, code: str) -> dict:
    items = _api(app_server, world, f"/grids?community_id={world.ids['C1']}&with_geometry=true")["items"]
    return next(g for g in items if g["code"] == code)


def _corners(grid: dict) -> list[tuple[float, float]]:
    return [tuple(p) for p in grid["geometry"]["coordinates"][0][:-1]]


def _has_corner(grid: dict, lon: float, lat: float) -> bool:
    return any(abs(x - lon) < TOLERANCE and abs(y - lat) < TOLERANCE for x, y in _corners(grid))


def _uncovered(page: Page) -> float:
    return float(page.get_by_test_id("grids-coverage").get_attribute("data-uncovered"))


def test_an_administrator_draws_reshapes_splits_and_merges_grids_on_the_map(world, browser, app_server):
    page = signed_in(browser, app_server.base_url, "administrator", DESK, "/admin")
    page.get_by_test_id("admin-grids").click()
    expect(page.get_by_test_id("grids-community")).to_have_value(str(world.ids["C1"]))
    expect(page.locator('[data-testid="grid-item"]')).to_have_count(2)  # G1a and G1b
    expect(page.locator("path.grids-uncovered")).to_have_count(1)
    before = _uncovered(page)
    assert before == pytest.approx(
        _api(app_server, world, f"/communities/{world.ids['C1']}/coverage")["uncovered_area_m2"]
    )
    px = MapPixels(page)

    # --- draw a grid: its four corners, then the first again ----------------------------------------------------------
    page.get_by_test_id("grids-draw").click()
    expect(page.get_by_test_id("grids-hint")).to_have_attribute("data-mode", "draw")
    for lon, lat in ((WEST, SOUTH), (EAST, SOUTH), (EAST, NORTH), (WEST, NORTH), (WEST, SOUTH)):
        page.mouse.click(*px.at(lon, lat))
    form = page.get_by_test_id("grids-form")
    code = world.codes["C1"] + "003"  # the first free code, offered
    expect(form.get_by_test_id("grids-code").locator("input")).to_have_value(code)
    form.get_by_test_id("grids-name").locator("input").fill("画出的网格")
    form.get_by_test_id("grids-kind").select_option("self_managed")
    form.get_by_test_id("grids-form-save").click()
    expect(page.get_by_test_id("grids-message")).to_contain_text("画出的网格")
    drawn = _grid(app_server, world, code)
    assert drawn["kind"] == "self_managed" and len(_corners(drawn)) == 4
    for corner in ((WEST, SOUTH), (EAST, SOUTH), (EAST, NORTH), (WEST, NORTH)):
        assert _has_corner(drawn, *corner), (corner, _corners(drawn))
    expect(page.get_by_test_id("grids-coverage")).not_to_have_attribute("data-uncovered", str(before))
    after_draw = _uncovered(page)
    assert after_draw == pytest.approx(before - drawn["area_m2"], abs=5)
    _shot(page, "drawn")

    # --- drag its north-east corner further out ----------------------------------------------------------------------
    page.locator(f'[data-testid="grid-item"][data-code="{code}"]').click()
    page.get_by_test_id("grids-edit").click()
    expect(page.locator(".marker-icon").first).to_be_visible()
    page.mouse.move(*px.at(EAST, NORTH))
    page.mouse.down()
    page.mouse.move(*px.at(EAST + 0.001, NORTH + 0.001), steps=8)
    page.mouse.up()
    page.get_by_test_id("grids-save-shape").click()
    expect(page.get_by_test_id("grids-message")).to_contain_text("形状已保存")
    reshaped = _grid(app_server, world, code)
    assert _has_corner(reshaped, EAST + 0.001, NORTH + 0.001) and not _has_corner(reshaped, EAST, NORTH)
    assert reshaped["area_m2"] > drawn["area_m2"]

    # --- cut it along a line from west to east; the smaller, southern part is the new grid ----------------------------
    cut = SOUTH + 0.0012
    page.get_by_test_id("grids-split").click()  # first a line that stops inside the grid: refused, in our words
    page.mouse.click(*px.at(WEST - 0.0007, cut))
    page.mouse.click(*px.at(WEST + 0.001, cut))
    page.mouse.click(*px.at(WEST + 0.001, cut))
    page.get_by_test_id("grids-name").locator("input").fill("切不开")
    page.get_by_test_id("grids-form-save").click()
    expect(page.get_by_test_id("grids-form-error")).to_contain_text("切分线须横穿网格")
    page.get_by_test_id("grids-cancel").click()
    assert _grid(app_server, world, code) == reshaped
    page.get_by_test_id("grids-split").click()
    page.mouse.click(*px.at(WEST - 0.0007, cut))
    page.mouse.click(*px.at(EAST + 0.002, cut))
    page.mouse.click(*px.at(EAST + 0.002, cut))  # the last point again ends the line
    form = page.get_by_test_id("grids-form")
    new_code = world.codes["C1"] + "004"
    expect(form.get_by_test_id("grids-code").locator("input")).to_have_value(new_code)
    form.get_by_test_id("grids-name").locator("input").fill("切出的网格")
    form.get_by_test_id("grids-form-save").click()
    expect(page.get_by_test_id("grids-message")).to_contain_text("切出的网格")
    kept, part = _grid(app_server, world, code), _grid(app_server, world, new_code)
    assert max(y for _, y in _corners(part)) == pytest.approx(cut, abs=TOLERANCE)
    assert min(y for _, y in _corners(kept)) == pytest.approx(cut, abs=TOLERANCE)
    assert kept["area_m2"] + part["area_m2"] == pytest.approx(reshaped["area_m2"], abs=2)
    expect(page.locator('[data-testid="grid-item"]')).to_have_count(4)
    _shot(page, "split")

    # --- a merge with a grid that shares no edge is refused with the app's own words; then the two parts merge -------
    page.locator(f'[data-testid="grid-item"][data-code="{code}"]').click()
    page.get_by_test_id("grids-merge").click()
    page.locator(f'[data-testid="grid-item"][data-code="{world.codes["G1b"]}"]').click()
    page.locator(".van-dialog__confirm").click()
    expect(page.get_by_test_id("grids-message")).to_contain_text("两个网格不相邻")
    assert _grid(app_server, world, world.codes["G1b"])["is_active"]
    page.get_by_test_id("grids-cancel").click()
    page.get_by_test_id("grids-merge").click()
    expect(page.get_by_test_id("grids-hint")).to_have_attribute("data-mode", "merge")
    page.mouse.click(*px.at(WEST + 0.0015, SOUTH + 0.0006))  # inside the southern part, on the map
    expect(page.locator(".van-dialog")).to_contain_text("切出的网格")
    page.locator(".van-dialog__confirm").click()
    expect(page.get_by_test_id("grids-message")).to_contain_text("已并入")
    merged = _grid(app_server, world, code)
    assert merged["area_m2"] == pytest.approx(reshaped["area_m2"], abs=2)
    assert new_code not in {
        g["code"] for g in _api(app_server, world, f"/grids?community_id={world.ids['C1']}&active=true")["items"]
    }
    expect(page.locator('[data-testid="grid-item"]')).to_have_count(3)
    coverage = _api(app_server, world, f"/communities/{world.ids['C1']}/coverage")
    expect(page.get_by_test_id("grids-coverage")).to_have_attribute(
        "data-uncovered", str(coverage["uncovered_area_m2"])
    )
    assert coverage["uncovered_area_m2"] == pytest.approx(before - merged["area_m2"], abs=5)
    _shot(page, "merged")


def test_the_grid_editor_fits_a_phone(world, browser, app_server):
    page = signed_in(browser, app_server.base_url, "administrator", PHONE, "/admin/grids")
    expect(page.locator("path.grids-boundary")).to_have_count(1)
    expect(page.get_by_test_id("grids-map")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for testid in ("grids-community", "grids-draw", "grids-edit", "grids-split", "grids-merge", "grids-import"):
        box = page.get_by_test_id(testid).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (testid, box)
    map_box = page.get_by_test_id("grids-map").bounding_box()
    assert map_box and map_box["width"] >= PHONE["width"] - 40 and map_box["height"] >= 300
    page.locator('[data-testid="grid-item"]').first.click()
    expect(page.get_by_test_id("grids-edit")).to_be_enabled()
    _shot(page, "phone")


def test_corners_snap_to_the_neighbours_and_grids_come_from_a_file_beside_the_map(world, browser, app_server, tmp_path):
    page = signed_in(browser, app_server.base_url, "administrator", DESK, "/admin/grids")
    expect(page.locator('[data-testid="grid-item"]')).to_have_count(2)
    before = _uncovered(page)
    px = MapPixels(page)
    # Clicked four pixels off G1a's north corners (on the empty side): the corners land on G1a's own.
    top, nudge = C1_LAT + 0.003, 4 / px.box["width"] * C_SIZE
    page.get_by_test_id("grids-draw").click()
    clicks = (
        (C1_LON + nudge, top + nudge),
        (C1_LON + 0.003 - nudge, top + nudge),
        (C1_LON + 0.003, top + 0.001),
        (C1_LON + nudge, top + 0.001),
        (C1_LON + nudge, top + nudge),
    )
    for lon, lat in clicks:
        page.mouse.click(*px.at(lon, lat))
    page.get_by_test_id("grids-name").locator("input").fill("贴边网格")
    page.get_by_test_id("grids-form-save").click()
    expect(page.get_by_test_id("grids-message")).to_contain_text("贴边网格")
    snapped = _grid(app_server, world, world.codes["C1"] + "003")
    corners = _corners(snapped)
    for corner in ((C1_LON, top), (C1_LON + 0.003, top)):
        assert any(abs(x - corner[0]) < 1e-6 and abs(y - corner[1]) < 1e-6 for x, y in corners), (corner, corners)
    assert any(abs(x - C1_LON) < 1e-6 and abs(y - top - 0.001) < TOLERANCE for x, y in corners)  # on the boundary
    # No sliver left between the new grid and G1a: the uncovered area shrank by the grid's whole area.
    expect(page.get_by_test_id("grids-coverage")).not_to_have_attribute("data-uncovered", str(before))
    assert _uncovered(page) == pytest.approx(before - snapped["area_m2"], abs=1)

    # --- a file: a feature of another community is refused and named beside the map; then a good file ----------------
    def feature(code: str) -> dict:
        return {
            "type": "Feature",
            "properties": {"code": code, "name": "<b>导入的网格</b>", "households": 12},
            "geometry": square_geojson(C1_LON + 0.006, C1_LAT, 0.003),
        }

    bad, good = tmp_path / "bad.geojson", tmp_path / "good.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [feature(world.codes["C2"] + "009")]}))
    good.write_text(json.dumps({"type": "FeatureCollection", "features": [feature(world.codes["C1"] + "009")]}))
    for path in (bad, good):
        with page.expect_file_chooser() as chooser:
            page.get_by_test_id("grids-import").click()
        chooser.value.set_files(str(path))
        if path is bad:
            expect(page.get_by_test_id("import-problem")).to_contain_text(world.codes["C2"] + "009")
    report = page.get_by_test_id("import-report")
    expect(report).to_contain_text("新建 1 个")
    expect(page.locator(f'[data-testid="grid-item"][data-code="{world.codes["C1"]}009"]')).to_be_visible()
    assert _grid(app_server, world, world.codes["C1"] + "009")["households"] == 12
    # A name is shown as typed, never read as HTML.
    expect(page.locator(".grids-label", has_text="<b>导入的网格</b>")).to_have_count(1)
    expect(page.locator(".grids-label b")).to_have_count(0)
    side = page.locator(".grids__side").bounding_box()
    map_box = page.get_by_test_id("grids-map").bounding_box()
    assert side and map_box and side["x"] >= map_box["x"] + map_box["width"]  # the report beside the map
    _shot(page, "snapped-imported")
