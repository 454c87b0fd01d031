"""The basemap's tiles when the app serves them itself (the pmtiles preset): no account needed, as the resident's
report page draws them too."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from wangge.basemap.presets import TileFile
from wangge.errors import NotFound

router = APIRouter(tags=["Meta"])
# Codes are plain not-found: Leaflet asks for tiles, not the app, and shows an empty square for a missing one.
# Tiles of a file change only when the file is replaced (then the app restarts): a day in the browser's cache,
# revalidated after that.
CACHE = "public, max-age=86400"
TILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/png": {}, "image/jpeg": {}, "image/webp": {}}, "description": "The tile as stored"}
}

Zoom = Annotated[int, Path(ge=0, le=30)]
Coordinate = Annotated[int, Path(ge=0, le=2**30)]


@router.get("/basemap/tiles/{z}/{x}/{y}", response_class=Response, responses=TILE_RESPONSES)
def basemap_tile(request: Request, z: Zoom, x: Coordinate, y: Coordinate) -> Response:
    """One tile of the PMTiles basemap (404 when the file has none there, or no file is configured)."""
    # A plain function: FastAPI runs it in a thread, so reading the file never blocks the event loop.
    tile_file: TileFile | None = request.app.state.tile_file
    if tile_file is None:
        raise NotFound("No basemap file is configured (WANGGE_BASEMAP=pmtiles)")
    data = tile_file.tile(z, x, y)
    if data is None:
        raise NotFound(f"The basemap has no tile {z}/{x}/{y}")
    headers = {"Cache-Control": CACHE}
    if tile_file.gzipped:
        headers["Content-Encoding"] = "gzip"
    return Response(data, media_type=tile_file.media_type, headers=headers)
