"""区划与社区 in Chromium (1280×800): the system administrator opens a new street under 一区 and a community under it
(a code that does not start with the street's is refused in the form), sets the community's boundary, imports its
two grids from GeoJSON files and reads the report and the figures the grids add up; a file with a bad feature is
refused with the feature named and nothing changed. Screenshots go to test-results/admin-areas-*.png."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from browser.conftest import DESK, signed_in
from support.world import square_geojson

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
STREET, COMMUNITY = "430111009", "430111009001"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"admin-areas-{name}.png"), full_page=True)


def _feature(code: str, name: str, lon: float, households: int) -> dict:
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "kind": "property_managed", "households": households},
        "geometry": square_geojson(lon, 28.5, 0.002),
    }


def test_a_street_a_community_and_its_grids_from_the_screens(world, browser, app_server, tmp_path):
    base = app_server.base_url
    page = signed_in(browser, base, "system_admin", DESK, "/admin")
    page.get_by_test_id("admin-areas").click()
    page.get_by_test_id("areas-district").select_option(str(world.ids["D1"]))

    # --- a street, then a community ---------------------------------------------------------------------------
    page.get_by_test_id("area-new-street").click()
    form = page.get_by_test_id("area-form")
    expect(form.get_by_test_id("area-code").locator("input")).to_have_value("430111")  # the parent's code to go on
    form.get_by_test_id("area-code").locator("input").fill(STREET)
    form.get_by_test_id("area-name").locator("input").fill("九街道")
    form.get_by_test_id("area-save").click()
    street = page.locator(f'[data-testid="street-row"][data-code="{STREET}"]')
    expect(street).to_contain_text("九街道")
    street.get_by_text("九街道").click()

    page.get_by_test_id("area-new-community").click()
    form.get_by_test_id("area-code").locator("input").fill("430111001999")  # another street's code
    form.get_by_test_id("area-name").locator("input").fill("九里社区")
    form.get_by_test_id("area-save").click()
    expect(form.get_by_test_id("area-error")).to_contain_text(STREET)
    form.get_by_test_id("area-code").locator("input").fill(COMMUNITY)
    form.get_by_test_id("area-save").click()
    community = page.locator(f'[data-testid="community-row"][data-code="{COMMUNITY}"]')
    expect(community).to_contain_text("九里社区")
    expect(community.get_by_test_id("community-grids")).to_have_text("0")

    # --- its boundary first (grids tile a community's boundary) ----------------------------------------------------
    boundary = tmp_path / "boundary.geojson"
    boundary.write_text(
        json.dumps({"type": "Feature", "properties": {}, "geometry": square_geojson(113.4995, 28.4995, 0.006)})
    )
    with page.expect_file_chooser() as chooser:
        community.get_by_test_id("community-boundary").click()
    chooser.value.set_files(str(boundary))
    report = page.get_by_test_id("import-report")
    expect(report).to_contain_text("边界已设定")

    # --- a file with a bad feature: refused, the feature named, nothing changed ----------------------------------
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [_feature(COMMUNITY + "001", "一网格", 113.5, 120), _feature("123", "", 113.503, 80)],
            }
        ),
        encoding="utf-8",
    )
    with page.expect_file_chooser() as chooser:
        community.get_by_test_id("community-import").click()
    chooser.value.set_files(str(bad))
    expect(report).to_contain_text("未作任何修改")
    expect(page.get_by_test_id("import-problem").first).to_be_visible()
    assert "网格编码须为 15 位数字" in report.inner_text()  # the problem itself, in the page's language
    expect(community.get_by_test_id("community-grids")).to_have_text("0")

    # --- the good file -------------------------------------------------------------------------------------------
    good = tmp_path / "grids.geojson"
    good.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    _feature(COMMUNITY + "001", "一网格", 113.5, 120),
                    _feature(COMMUNITY + "002", "二网格", 113.503, 80),
                ],
            }
        ),
        encoding="utf-8",
    )
    with page.expect_file_chooser() as chooser:
        community.get_by_test_id("community-import").click()
    chooser.value.set_files(str(good))
    expect(report).to_contain_text("新建 2 个")
    expect(community.get_by_test_id("community-grids")).to_have_text("2")
    expect(community).to_contain_text("200")  # households: 120 + 80
    _shot(page, "desk")

    grids = httpx.get(
        f"{base}/api/v1/grids", params={"limit": 1000}, headers=world.headers("system_admin"), timeout=30
    ).json()
    assert {g["code"] for g in grids["items"]} >= {COMMUNITY + "001", COMMUNITY + "002"}
    log = httpx.get(
        f"{base}/api/v1/audit", params={"entity": "grid"}, headers=world.headers("system_admin"), timeout=30
    ).json()
    assert {e["label"] for e in log["items"]} >= {"一网格", "二网格"}
    page.context.close()
