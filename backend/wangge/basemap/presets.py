"""The basemap presets: what /api/v1/meta tells the app to draw under its maps (the descriptor), derived from the
settings alone. Nothing here imports the settings module: config.py validates with these functions at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

from pmtiles.reader import MmapSource, Reader
from pmtiles.tile import MagicNumberNotFound, SpecVersionUnsupported, TileType
from pydantic import BaseModel

Preset = Literal["none", "tianditu", "amap", "xyz", "wmts", "pmtiles"]
Datum = Literal["wgs84", "gcj02"]

# The app serves a PMTiles basemap's tiles here (router.py).
PMTILES_URL = "/api/v1/basemap/tiles/{z}/{x}/{y}"
# Tianditu's Web Mercator ("_w") WMTS layers: the vector map and its Chinese annotation, on t0-t7.
TIANDITU_URL = (
    "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)
TIANDITU_LAYERS = ("vec", "cva")
AMAP_URL = "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"
# What the PMTiles file's tile type is served as; vector tiles would need a vector renderer the app does not load.
RASTER_TYPES = {TileType.PNG: "image/png", TileType.JPEG: "image/jpeg", TileType.WEBP: "image/webp"}
_WMTS_TILE_KEYS = {"tilematrix": "{z}", "tilecol": "{x}", "tilerow": "{y}"}


class BasemapLayer(BaseModel):
    """One tile layer, a Leaflet XYZ template ({z}/{x}/{y}, {s} one of `subdomains`)."""

    url: str
    attribution: str
    max_zoom: int
    # Beyond this zoom the app enlarges the deepest tiles instead of asking for tiles that do not exist.
    max_native_zoom: int | None = None
    subdomains: list[str]


class Basemap(BaseModel):
    preset: Preset
    # The datum the tiles are drawn in: on "gcj02" the app shifts WGS 84 data for display and taps back.
    datum: Datum
    layers: list[BasemapLayer]


class BasemapError(ValueError):
    """Settings that cannot make a basemap; the message says which setting to fix."""


def wmts_template(url: str) -> str:
    """A WMTS KVP GetTile URL as an XYZ template: its TileMatrix, TileCol and TileRow parameters (whatever they held,
    and added when missing) become {z}, {x} and {y}; the other parameters are kept as written."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BasemapError(f"WANGGE_BASEMAP_URL must be an http(s) WMTS GetTile URL, not {url!r}")
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    keys = {k.lower(): v for k, v in pairs}
    if keys.get("service", "WMTS").upper() != "WMTS" or keys.get("request", "GetTile").lower() != "gettile":
        raise BasemapError("WANGGE_BASEMAP_URL must be a WMTS GetTile request (SERVICE=WMTS&REQUEST=GetTile)")
    if "layer" not in keys:
        raise BasemapError("WANGGE_BASEMAP_URL must name the WMTS layer (LAYER=...)")
    kept = [f"{k}={v}" for k, v in pairs if k.lower() not in _WMTS_TILE_KEYS]
    if "service" not in keys:
        kept.insert(0, "SERVICE=WMTS")
    if "request" not in keys:
        kept.insert(1, "REQUEST=GetTile")
    kept += ["TILEMATRIX={z}", "TILEROW={y}", "TILECOL={x}"]
    return f"{parts.scheme}://{parts.netloc}{parts.path}?{'&'.join(kept)}"


def _xyz_template(url: str, setting: str) -> str:
    if not url:
        raise BasemapError(f"{setting} must be set to an XYZ tile template for this basemap")
    if not all(p in url for p in ("{z}", "{x}", "{y}")):
        raise BasemapError(f"{setting} must contain {{z}}, {{x}} and {{y}}, not {url!r}")
    return url


def _subdomains(url: str) -> list[str]:
    return ["a", "b", "c"] if "{s}" in url else []


class TileFile:
    """A PMTiles (v3) file opened for reading raster tiles, with the maintained `pmtiles` library."""

    def __init__(self, path: Path) -> None:
        try:
            self._file = path.open("rb")
        except OSError as exc:
            raise BasemapError(f"WANGGE_PMTILES_PATH {str(path)!r} cannot be read: {exc.strerror}") from exc
        try:
            self._reader = Reader(MmapSource(self._file))
            header = self._reader.header()
        except (MagicNumberNotFound, SpecVersionUnsupported, ValueError, OSError) as exc:
            self._file.close()
            raise BasemapError(f"WANGGE_PMTILES_PATH {str(path)!r} is not a PMTiles version 3 file") from exc
        if header["tile_type"] not in RASTER_TYPES:
            self._file.close()
            raise BasemapError(
                f"WANGGE_PMTILES_PATH {str(path)!r} holds {header['tile_type'].name} tiles; "
                "only raster tiles (PNG, JPEG or WebP) can be served"
            )
        self.media_type = RASTER_TYPES[header["tile_type"]]
        self.gzipped = header["tile_compression"].name == "GZIP"
        self.min_zoom = header["min_zoom"]
        self.max_zoom = header["max_zoom"]

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile's bytes as stored, None when the file has no such tile (or z/x/y name no tile at all)."""
        if not (self.min_zoom <= z <= self.max_zoom) or x >= 1 << z or y >= 1 << z:
            return None
        data = self._reader.get(z, x, y)
        return bytes(data) if data else None

    def close(self) -> None:
        self._file.close()


def resolve_preset(basemap: Preset | None, tile_url: str) -> Preset:
    """The preset in force: as set, else "xyz" when the older WANGGE_TILE_URL is set, else "none"."""
    if basemap is not None:
        return basemap
    return "xyz" if tile_url else "none"


def describe(
    *,
    preset: Preset,
    tianditu_key: str,
    basemap_url: str,
    basemap_datum: Datum,
    basemap_attribution: str,
    tile_url: str,
    tile_attribution: str,
    tile_file: TileFile | None = None,
) -> Basemap:
    """The descriptor of the basemap; raises BasemapError naming the setting that is missing or wrong."""
    if preset == "none":
        return Basemap(preset="none", datum="wgs84", layers=[])
    if preset == "tianditu":
        if not tianditu_key:
            raise BasemapError("WANGGE_TIANDITU_KEY must be set for the tianditu basemap (a key from tianditu.gov.cn)")
        layers = [
            BasemapLayer(
                url=TIANDITU_URL.format(layer=layer, key=tianditu_key),
                attribution=basemap_attribution or "天地图",
                max_zoom=18,
                subdomains=[str(i) for i in range(8)],
            )
            for layer in TIANDITU_LAYERS
        ]
        layers[1].attribution = ""  # one credit for the pair
        return Basemap(preset="tianditu", datum="wgs84", layers=layers)
    if preset == "amap":
        layer = BasemapLayer(
            url=AMAP_URL, attribution=basemap_attribution or "© 高德地图", max_zoom=18, subdomains=["1", "2", "3", "4"]
        )
        return Basemap(preset="amap", datum="gcj02", layers=[layer])
    if preset == "xyz":
        url = _xyz_template(basemap_url or tile_url, "WANGGE_BASEMAP_URL" if basemap_url else "WANGGE_TILE_URL")
        attribution = basemap_attribution or tile_attribution
        layer = BasemapLayer(url=url, attribution=attribution, max_zoom=19, subdomains=_subdomains(url))
        return Basemap(preset="xyz", datum=basemap_datum, layers=[layer])
    if preset == "wmts":
        if not basemap_url:
            raise BasemapError("WANGGE_BASEMAP_URL must be set to a WMTS GetTile URL for the wmts basemap")
        url = wmts_template(basemap_url)
        layer = BasemapLayer(url=url, attribution=basemap_attribution, max_zoom=19, subdomains=_subdomains(url))
        return Basemap(preset="wmts", datum=basemap_datum, layers=[layer])
    if tile_file is None:
        raise BasemapError("WANGGE_PMTILES_PATH must name a PMTiles file for the pmtiles basemap")
    layer = BasemapLayer(
        url=PMTILES_URL,
        attribution=basemap_attribution,
        max_zoom=19,
        max_native_zoom=tile_file.max_zoom,
        subdomains=[],
    )
    return Basemap(preset="pmtiles", datum=basemap_datum, layers=[layer])
