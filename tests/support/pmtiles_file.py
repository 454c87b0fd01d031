"""Small raster PMTiles files for the basemap tests, written with the `pmtiles` library's own writer and PNG tiles
drawn with Pillow (each tile a different colour, so a test can tell the bytes of one tile from another's)."""

from __future__ import annotations

import io
import math
from pathlib import Path

from PIL import Image
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import write


def png(seed: int) -> bytes:
    image = Image.new("RGB", (256, 256), ((seed * 67) % 256, (seed * 151) % 256, (seed * 29) % 256))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def tile_of(lat: float, lon: float, z: int) -> tuple[int, int]:
    """The Web Mercator tile (x, y) at zoom z holding the point."""
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def tiles_around(lat: float, lon: float, zooms: range, reach: int = 1) -> dict[tuple[int, int, int], bytes]:
    """A PNG for the tile holding the point and its neighbours `reach` tiles away, at each zoom."""
    out = {}
    for z in zooms:
        cx, cy = tile_of(lat, lon, z)
        for x in range(max(0, cx - reach), min((1 << z) - 1, cx + reach) + 1):
            for y in range(max(0, cy - reach), min((1 << z) - 1, cy + reach) + 1):
                out[(z, x, y)] = png(len(out) + 1)
    return out


def write_pmtiles(path: Path, tiles: dict[tuple[int, int, int], bytes], tile_type: TileType = TileType.PNG) -> Path:
    """A PMTiles v3 file holding exactly these tiles (z, x, y) → bytes."""
    with write(str(path)) as writer:
        for tile_id, data in sorted((zxy_to_tileid(*zxy), data) for zxy, data in tiles.items()):
            writer.write_tile(tile_id, data)
        writer.finalize(
            {
                "tile_type": tile_type,
                "tile_compression": Compression.NONE,
                "min_lon_e7": -1800000000,
                "min_lat_e7": -850000000,
                "max_lon_e7": 1800000000,
                "max_lat_e7": 850000000,
                "center_zoom": 0,
                "center_lon_e7": 0,
                "center_lat_e7": 0,
            },
            {"name": "test basemap"},
        )
    return path
