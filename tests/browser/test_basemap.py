"""The maps with each kind of basemap: none at all (the map names its grids, buildings and places itself), a PMTiles
file served by the app, and a GCJ-02 basemap (the data drawn shifted as src/map/coords.ts computes it)."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, expect
from playwright.sync_api import Error as PlaywrightError
from shapely.geometry import Point

from assessment.helpers import add_matter
from browser.conftest import DESK, DIST, PHONE, new_page, session_script
from conftest import make_settings
from support.pmtiles_file import tiles_around, write_pmtiles
from support.server import LiveServer
from support.world import grid_point
from wangge import geo
from wangge.hierarchy.models import Building, Place

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
SHOTS = FRONTEND.parent / "test-results"
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
    # Close up (the map opens on the grids at zoom 16 or more), the buildings and places with their names: these
    # two stand at the grid's middle, under its name, so their names show while their dots are pointed at.
    page.locator(".leaflet-control-zoom-in").click()
    # Pointing at a dot while the zoom still animates can land before the names are placed anew: wait for its end.
    expect(page.locator(".leaflet-zoom-anim")).to_have_count(0)
    page.wait_for_timeout(300)  # the moveend's re-placing of the names runs in the next animation frame
    for kind, name in (("building", "G1a-1栋"), ("place", "G1a小卖部")):
        label = page.locator(f".map-label--{kind}", has_text=name)
        expect(label).to_have_class(re.compile("map-label--hidden"))
        expect(label).to_be_hidden()
        # Each grid's dots are drawn when its details arrive, in either order: point at every dot of the kind.
        dots = page.locator(f"path.map-{kind}").all()
        for dot in dots:
            dot.dispatch_event("mouseover")
        expect(label).to_be_visible()
        for dot in dots:
            dot.dispatch_event("mouseout")
        expect(label).to_be_hidden()
    expect(labels.filter(has_text="G1a网格")).to_be_visible()
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


# The boxes of the names shown on the map, and whether any two of them overlap (1 px of slack).
_OVERLAPS = """() => {
  const shown = [...document.querySelectorAll('.leaflet-tooltip.map-label')].filter(
    (el) => getComputedStyle(el).visibility !== 'hidden')
  const boxes = shown.map((el) => el.getBoundingClientRect())
  const clash = []
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j]
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
        clash.push([shown[i].textContent, shown[j].textContent])
    }
  return { shown: shown.length, clash }
}"""


def _no_clash(page: Page) -> None:
    """Once the names are laid out (after the last move and the last grid's details), none covers another."""
    try:
        page.wait_for_function(f"() => ({_OVERLAPS})().clash.length === 0", timeout=5_000)
    except PlaywrightError:
        raise AssertionError(page.evaluate(_OVERLAPS)) from None


def test_a_crowded_street_keeps_the_grid_names_readable(world, browser, bare_server, live):
    """Forty buildings and shops packed around G1a's middle at 1280×800: close up, the grids' names stay clear and
    no two names shown overlap; those left out show as the user zooms in."""
    lon, lat = grid_point("G1a")
    with live.session() as s:
        for i in range(40):
            x, y = lon + (i % 8 - 3.5) * 0.00012, lat + (i // 8 - 2) * 0.00008
            point = geo.to_db(Point(x, y))
            if i % 4:
                s.add(Building(grid_id=world.ids["G1a"], name=f"幸福小区{i}栋", households=20, geom=point))
            else:
                s.add(Place(grid_id=world.ids["G1a"], category="business", kind="retail", name=f"商铺{i}", geom=point))
        s.commit()
    page, _ = _open(browser, bare_server, "station_chief", DESK, "/map")
    expect(page.locator("path.grid-polygon")).to_have_count(2)
    page.locator(".leaflet-control-zoom-in").click()
    expect(page.locator("path.map-building")).to_have_count(32)  # 30, and the world's in G1a and G1b
    grid_name = page.locator(".map-label--grid", has_text="G1a网格")
    expect(grid_name).to_be_visible()
    _no_clash(page)
    state = page.evaluate(_OVERLAPS)
    hidden = page.locator(".map-label--hidden").count()
    assert hidden > 0 and state["shown"] > 2, state
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "basemap-crowded-1280.png"))
    # Closer, more names find room, still none over another.
    page.locator(".leaflet-control-zoom-in").click()
    # The zoom animates and the names are laid out again a moment after it ends: on a loaded machine that takes
    # longer than any fixed pause, so wait (up to 15 s) for the layout to change before looking at it.
    until = time.monotonic() + 15
    while page.locator(".map-label--hidden").count() >= hidden and time.monotonic() < until:
        page.wait_for_timeout(100)
    page.wait_for_timeout(400)  # and for the layout after the last move
    _no_clash(page)
    closer = page.evaluate(_OVERLAPS)
    assert page.locator(".map-label--hidden").count() < hidden, closer
    page.screenshot(path=str(SHOTS / "basemap-crowded-1280-closer.png"))
    page.context.close()


def test_a_matters_small_map_outlines_and_names_its_grid_without_a_basemap(world, browser, bare_server, live):
    with live.session() as s:
        matter = add_matter(s, world, grid="G1b", status="accepted")
        s.commit()
    page, _ = _open(browser, bare_server, "station_chief", PHONE, f"/matters/{matter}")
    small = page.get_by_test_id("matter-map")
    expect(small.locator("path.grid-outline")).to_have_count(1)
    expect(small.locator(".map-label--grid")).to_have_text("G1b网格")
    expect(small.locator(".leaflet-marker-icon")).to_have_count(1)
    small.scroll_into_view_if_needed()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "basemap-matter-360.png"))
    page.context.close()
