"""Basemap presets chosen by the settings, the descriptor in /api/v1/meta, and the PMTiles basemap the app serves
itself (a small raster file written in the test with the `pmtiles` writer)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pmtiles.tile import TileType
from pydantic import ValidationError

from conftest import assert_problem, make_settings
from support.pmtiles_file import png, tiles_around, write_pmtiles
from support.server import LiveServer
from wangge.basemap.presets import wmts_template
from wangge.headers import app_policy

CENTRE = (28.1105, 113.0215)


def descriptor(**settings):
    return make_settings("sqlite+aiosqlite:///unused.db", **settings).basemap_descriptor().model_dump()


def test_no_setting_means_no_basemap_and_the_older_tile_url_means_xyz():
    assert descriptor() == {"preset": "none", "datum": "wgs84", "layers": []}
    old = descriptor(tile_url="https://{s}.tiles.example.org/{z}/{x}/{y}.png", tile_attribution="© OSM")
    assert old["preset"] == "xyz" and old["datum"] == "wgs84"
    assert old["layers"] == [
        {
            "url": "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
            "attribution": "© OSM",
            "max_zoom": 19,
            "max_native_zoom": None,
            "subdomains": ["a", "b", "c"],
        }
    ]


def test_tianditu_is_the_vector_map_and_its_annotation_with_the_key_on_t0_to_t7():
    d = descriptor(basemap="tianditu", tianditu_key="abc123")
    assert d["preset"] == "tianditu" and d["datum"] == "wgs84"
    vec, cva = d["layers"]
    assert vec["url"].startswith("https://t{s}.tianditu.gov.cn/vec_w/wmts?") and "LAYER=vec" in vec["url"]
    assert cva["url"].startswith("https://t{s}.tianditu.gov.cn/cva_w/wmts?") and "LAYER=cva" in cva["url"]
    for layer in (vec, cva):
        assert layer["url"].endswith("&tk=abc123") and layer["subdomains"] == [str(i) for i in range(8)]
        assert "TILEMATRIX={z}&TILEROW={y}&TILECOL={x}" in layer["url"] and layer["max_zoom"] == 18
    assert vec["attribution"] == "天地图"
    assert "https://*.tianditu.gov.cn" in app_policy(vec["url"], cva["url"])


def test_amap_is_gcj02():
    d = descriptor(basemap="amap")
    assert d["preset"] == "amap" and d["datum"] == "gcj02"
    (layer,) = d["layers"]
    assert layer["url"] == (
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"
    )
    assert layer["subdomains"] == ["1", "2", "3", "4"] and "高德" in layer["attribution"]
    assert "https://*.is.autonavi.com" in app_policy(layer["url"])


def test_any_xyz_url_in_the_datum_it_is_drawn_in():
    d = descriptor(basemap="xyz", basemap_url="https://tiles.example.cn/{z}/{x}/{y}.png", basemap_datum="gcj02")
    assert d["preset"] == "xyz" and d["datum"] == "gcj02"
    assert d["layers"][0]["url"] == "https://tiles.example.cn/{z}/{x}/{y}.png" and d["layers"][0]["subdomains"] == []


def test_a_wmts_getile_url_becomes_a_template_of_tilematrix_col_and_row():
    url = "https://gis.example.cn/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=streets&STYLE=default&TILEMATRIXSET=g"
    d = descriptor(basemap="wmts", basemap_url=url + "&TileMatrix=5&TileCol=1&TileRow=2", basemap_attribution="区")
    assert d["preset"] == "wmts" and d["layers"][0]["attribution"] == "区"
    assert d["layers"][0]["url"] == url + "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
    # SERVICE and REQUEST are added when the URL leaves them out.
    assert wmts_template("https://gis.example.cn/wmts?LAYER=a") == (
        "https://gis.example.cn/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=a&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
    )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"basemap": "tianditu"}, "WANGGE_TIANDITU_KEY"),
        ({"basemap": "xyz"}, "WANGGE_TILE_URL"),
        ({"basemap": "xyz", "basemap_url": "https://example.cn/tiles.png"}, "must contain {z}"),
        ({"basemap": "wmts"}, "WANGGE_BASEMAP_URL"),
        ({"basemap": "wmts", "basemap_url": "https://example.cn/wmts?SERVICE=WMS&LAYER=a"}, "GetTile"),
        ({"basemap": "wmts", "basemap_url": "https://example.cn/wmts?SERVICE=WMTS"}, "LAYER"),
        ({"basemap": "pmtiles"}, "WANGGE_PMTILES_PATH must name"),
        ({"basemap": "pmtiles", "pmtiles_path": "/nonexistent/x.pmtiles"}, "cannot be read"),
        ({"basemap": "google"}, "basemap"),
        ({"basemap": "xyz", "basemap_url": "https://e.cn/{z}/{x}/{y}", "basemap_datum": "bd09"}, "basemap_datum"),
    ],
)
def test_settings_that_cannot_make_a_basemap_stop_the_start_with_a_message(settings, message):
    with pytest.raises(ValidationError, match=message.replace("{", r"\{")):
        make_settings("sqlite+aiosqlite:///unused.db", **settings)


def test_a_pmtiles_file_that_is_not_one_or_holds_vector_tiles_is_refused(tmp_path):
    junk = tmp_path / "junk.pmtiles"
    junk.write_bytes(b"not a pmtiles file at all" * 10)
    with pytest.raises(ValidationError, match="not a PMTiles version 3 file"):
        make_settings("sqlite+aiosqlite:///unused.db", basemap="pmtiles", pmtiles_path=junk)
    vector = write_pmtiles(tmp_path / "v.pmtiles", {(0, 0, 0): b"\x1a\x00"}, tile_type=TileType.MVT)
    with pytest.raises(ValidationError, match="only raster tiles"):
        make_settings("sqlite+aiosqlite:///unused.db", basemap="pmtiles", pmtiles_path=vector)


@pytest.fixture
def pmtiles_server(live, tmp_path):
    tiles = tiles_around(*CENTRE, range(0, 6))
    tiles[(5, 26, 13)] = png(999)  # one more, far from the others
    path: Path = write_pmtiles(tmp_path / "basemap.pmtiles", tiles)
    settings = make_settings(live.settings.database_url, basemap="pmtiles", pmtiles_path=path, basemap_datum="wgs84")
    server = LiveServer(settings).start()
    yield server, tiles
    server.stop()


def test_the_app_serves_its_pmtiles_basemap_tile_for_tile(pmtiles_server):
    server, tiles = pmtiles_server
    with httpx.Client(base_url=server.base_url, timeout=30) as c:
        meta = c.get("/api/v1/meta").json()
        assert meta["basemap"] == {
            "preset": "pmtiles",
            "datum": "wgs84",
            "layers": [
                {
                    "url": "/api/v1/basemap/tiles/{z}/{x}/{y}",
                    "attribution": "",
                    "max_zoom": 19,
                    "max_native_zoom": 5,
                    "subdomains": [],
                }
            ],
        }
        assert meta["tile_url"] == "" and meta["default_zoom"] == 15  # the older keys stay
        for (z, x, y), data in tiles.items():
            r = c.get(f"/api/v1/basemap/tiles/{z}/{x}/{y}")
            assert r.status_code == 200 and r.content == data, (z, x, y)
            assert r.headers["content-type"] == "image/png"
            assert r.headers["cache-control"] == "public, max-age=86400"
        assert_problem(c.get("/api/v1/basemap/tiles/5/0/0"), 404)  # in range, not in the file
        assert_problem(c.get("/api/v1/basemap/tiles/9/0/0"), 404)  # deeper than the file
        assert_problem(c.get("/api/v1/basemap/tiles/2/4/1"), 404)  # no such tile at zoom 2
        for junk in ("a/b/c", "1/-1/0", "99/0/0", "3/0/99999999999999999999", "3/0/1.5", "3/0/%00"):
            r = c.get(f"/api/v1/basemap/tiles/{junk}")
            assert r.status_code in (404, 422), (junk, r.status_code)
            assert r.headers["content-type"].startswith("application/problem+json")


def test_without_a_file_the_tiles_are_not_found_and_meta_says_none(client):
    body = assert_problem(client.get("/api/v1/basemap/tiles/0/0/0"), 404)
    assert "WANGGE_BASEMAP=pmtiles" in body["detail"]
    basemap = client.get("/api/v1/meta").json()["basemap"]
    assert basemap == {"preset": "none", "datum": "wgs84", "layers": []}
