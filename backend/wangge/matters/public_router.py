"""HTTP routes of the resident's report map (matters.public_map), no account: the grids, where a point belongs, places
by name, open public-space reports nearby and "me too". Each is counted per client address (the `lookup` window)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from wangge import throttle
from wangge.deps import SessionDep, SettingsDep
from wangge.errors import Invalid
from wangge.matters import public_map
from wangge.matters import public_schemas as schemas
from wangge.models_common import utcnow
from wangge.schemas_common import Id

LOOKUP_LIMIT = "Too many map requests from your address; wait a moment"
router = APIRouter(prefix="/public", tags=["Public"], dependencies=[throttle.per_address("lookup", LOOKUP_LIMIT)])

Lat = Annotated[float, Query(ge=-90, le=90, description="Latitude, WGS 84")]
Lon = Annotated[float, Query(ge=-180, le=180, description="Longitude, WGS 84")]


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        south, west, north, east = (float(x) for x in value.split(","))
    except ValueError:
        south = west = north = east = float("nan")
    ok = -90 <= south <= north <= 90 and -180 <= west <= east <= 180
    if not ok:
        raise Invalid(
            "bbox: give south,west,north,east in degrees (WGS 84), south ≤ north and west ≤ east",
            errors=[{"loc": ["query", "bbox"], "msg": "expected south,west,north,east", "type": "value_error"}],
        )
    return south, west, north, east


@router.get("/grids", response_model=list[schemas.PublicGridOut])
async def public_grids(
    db: SessionDep,
    community_id: Annotated[Id | None, Query()] = None,
    bbox: Annotated[str | None, Query(max_length=100, description="south,west,north,east (WGS 84)")] = None,
) -> Any:
    """The active grids with their outlines and names (at most 500), of a community or meeting a box."""
    return await public_map.grids(db, community_id=community_id, bbox=_bbox(bbox))


@router.get("/grids/{grid_id}", response_model=schemas.PublicGridDetail)
async def public_grid(db: SessionDep, grid_id: Id) -> Any:
    """One active grid, with a point inside it to centre the map on (the poster's QR code opens the report there)."""
    return await public_map.grid(db, grid_id=grid_id)


@router.get("/locate", response_model=schemas.PublicLocation)
async def public_locate(db: SessionDep, lat: Lat, lon: Lon) -> Any:
    """The grid covering a point and its community with the station's duty phone; outside every grid, no grid and
    the nearest community (the station to call instead: a report there is refused)."""
    return await public_map.locate(db, lat=lat, lon=lon)


@router.get("/places", response_model=list[schemas.PublicPlaceOut])
async def public_places(
    db: SessionDep, q: Annotated[str, Query(min_length=1, max_length=50, description="Part of the name")]
) -> Any:
    """Buildings and places inside the grids whose name contains `q` (at most 20)."""
    return await public_map.places(db, q=q.strip() or q)


@router.get("/nearby", response_model=list[schemas.NearbyMatterOut])
async def public_nearby(db: SessionDep, lat: Lat, lon: Lon) -> Any:
    """Open public-space reports within 200 m, nearest first (at most 20): category, date, status and how many said
    "me too" — nothing about who reported them."""
    return await public_map.nearby(db, lat=lat, lon=lon)


@router.post("/matters/{matter_id}/support", response_model=schemas.SupportOut)
async def public_support(db: SessionDep, settings: SettingsDep, matter_id: Id, data: schemas.SupportIn) -> Any:
    """ "Me too" 我也遇到 on an open public-space report instead of a second one: once per device (again changes
    nothing); 404 for a closed or private matter."""
    count = await public_map.support(db, settings, matter_id=matter_id, client=data.client, now=utcnow())
    return {"supporters": count}
