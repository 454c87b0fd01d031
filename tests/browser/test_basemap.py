"""The maps with each kind of basemap: none at all (the map names its grids, buildings and places itself), a PMTiles
file served by the app, and a GCJ-02 basemap (the data drawn shifted as src/map/coords.ts computes it)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, expect

from browser.conftest import DESK, DIST, PHONE, new_page, session_script
from conftest import make_settings
from support.pmtiles_file import tiles_around, write_pmtiles
from support.server import LiveServer
from support.world import grid_point

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
VIEWPORTS = [pytest.param(PHONE, id="phone"), pytest.param(DESK, id="desk")]


def _server(live, **settings) -> LiveServer:
    return LiveServer(make_settings(live.settings.database_url, frontend_dist=DIST, **settings)).start()


@pytest.fixture(scope="module")
def bare_server(live) -> Iterator[LiveServer]:
    """No basemap at all: no tile is ever asked for."""
    server = _server(live)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def pmtiles_server(live, tmp_path_factory) -> Iterator[LiveServer]:
    lon, lat = grid_point("G1a")
    path = write_pmtiles(tmp_path_factory.mktemp("basemap") / "city.pmtiles", tiles_around(lat, lon, range(8, 17)))
    server = _server(live, basemap="pmtiles", pmtiles_path=path)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def gcj_server(live) -> Iterator[LiveServer]:
    """An XYZ basemap drawn in GCJ-02 (as AMap's); its tiles are not reachable, which changes nothing drawn."""
    server = _server(live, basemap="xyz", basemap_url="http://127.0.0.1:9/{z}/{x}/{y}.png", basemap_datum="gcj02")
    yield server
    server.stop()


def _open(browser: Browser, server: LiveServer, who: str | None, viewport, path: str) -> tuple[Page, list[Request]]:
    script = session_script(server.base_url, who) if who else None
    page = new_page(browser, viewport, init_script=script)
    requests: list[Request] = []
    page.on("request", lambda r: requests.append(r))
    page.goto(server.base_url + path)
    return page, requests


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_without_a_basemap_the_map_names_its_grids_buildings_and_places(world, browser, bare_server, viewport):
    who = "grid_leader" if viewport is PHONE else "station_chief"
    page, requests = _open(browser, bare_server, who, viewport, "/map")
    expect(page.get_by_test_id("grid-map")).to_have_attribute("data-loaded", "true")
    grids = 1 if who == "grid_leader" else 2
    expect(page.locator("path.grid-polygon")).to_have_count(grids)
    labels = page.locator(".map-label--grid")
    expect(labels).to_have_count(grids)
    expect(labels.filter(has_text="G1a网格")).to_be_visible()
    # Close up (the map opens on the grids at zoom 16 or more), the buildings and places with their names.
    page.locator(".leaflet-control-zoom-in").click()
    expect(page.locator(".map-label--building", has_text="G1a-1栋")).to_be_visible()
    expect(page.locator(".map-label--place", has_text="G1a小卖部")).to_be_visible()
    if who == "station_chief":
        expect(page.locator("path.map-community")).not_to_have_count(0)  # the community's boundary
    assert page.locator(".leaflet-tile").count() == 0
    elsewhere = [r.url for r in requests if not r.url.startswith((bare_server.base_url, "data:", "blob:"))]
    assert not elsewhere and not [r.url for r in requests if "/tiles/" in r.url]
    page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_pmtiles_basemap_is_served_by_the_app(world, browser, pmtiles_server, viewport):
    page, requests = _open(browser, pmtiles_server, "grid_leader", viewport, "/map")
    expect(page.locator("path.grid-polygon")).to_have_count(1)
    expect(page.locator("img.leaflet-tile-loaded").first).to_be_visible()
    tiles = [r for r in requests if "/api/v1/basemap/tiles/" in r.url]
    assert tiles, [r.url for r in requests]
    loaded = [r.response() for r in tiles if r.response() and r.response().status == 200]
    assert loaded and all(resp.headers["content-type"] == "image/png" for resp in loaded)
    # With tiles the grid's name is not printed over them.
    assert page.locator(".map-label--grid").count() == 0
    page.context.close()
    # The resident's report map has the same basemap, without an account.
    page, requests = _open(browser, pmtiles_server, None, viewport, "/report")
    expect(page.get_by_test_id("report-map").locator("img.leaflet-tile-loaded").first).to_be_visible()
    assert any("/api/v1/basemap/tiles/" in r.url for r in requests)
    page.context.close()


def _gcj02(lat: float, lon: float) -> tuple[float, float]:
    """The point in GCJ-02 as the app's coordinate module computes it (gcoord, run by Node)."""
    script = (
        "import g from 'gcoord'; const [x, y] = g.transform([%r, %r], g.WGS84, g.GCJ02); "
        "console.log(JSON.stringify([y, x]))"
    )
    out = subprocess.run(
        ["node", "--input-type=module", "-e", script % (lon, lat)], cwd=FRONTEND, capture_output=True, check=True
    )
    return tuple(json.loads(out.stdout))


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_on_a_gcj02_basemap_the_grids_are_drawn_shifted(world, browser, gcj_server, viewport):
    token = {"Authorization": "Bearer " + world.tokens["grid_leader"]}
    feature = httpx.get(gcj_server.base_url + "/api/v1/grids/export", headers=token).json()["features"][0]
    lon, lat = feature["geometry"]["coordinates"][0][0]
    page, _ = _open(browser, gcj_server, "grid_leader", viewport, "/map")
    path = page.locator("path.grid-polygon")
    expect(path).to_have_count(1)
    drawn_lat, drawn_lon = (float(v) for v in path.get_attribute("data-first").split(","))
    want_lat, want_lon = _gcj02(lat, lon)
    assert abs(drawn_lat - want_lat) < 1e-9 and abs(drawn_lon - want_lon) < 1e-9
    assert abs(drawn_lon - lon) > 0.002  # the shift is real: hundreds of metres in Changsha
    page.context.close()
