"""What the resident's report page shows before anything is sent, with no account: the active grids (outlines and
names), which grid — or, outside every grid, which community's station — a point belongs to, buildings and places
found by name inside the grids, the open public-space reports near a point, and "me too" 我也遇到 on one of them.

Nothing here names a person: no reporter, phone, address or description of a matter leaves this module; a device's
"me too" is kept as a keyed hash of its token (the app's secret as the key), one per device and matter."""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import geo
from wangge.config import Settings
from wangge.errors import NotFound
from wangge.hierarchy.models import Building, Community, Grid, Place
from wangge.hierarchy.whois import on_duty_today
from wangge.matters import flow, service
from wangge.matters.intake import haversine_m
from wangge.matters.models import Category, Matter, Supporter
from wangge.models_common import insert_for, is_sqlite

MAX_GRIDS = 500
MAX_PLACES = 20
MAX_NEARBY = 20
NEARBY_RADIUS_M = 200.0


def _true(condition: Any, *, sqlite: bool) -> Any:
    """A spatial predicate as a WHERE condition: SpatiaLite answers 1/0 (or -1 on error), PostGIS a boolean."""
    return condition == 1 if sqlite else condition


def _bbox_polygon(bbox: tuple[float, float, float, float]) -> Any:
    south, west, north, east = bbox
    return func.ST_GeomFromText(
        f"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}))", 4326
    )


def _grid_row(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "community_id": row.community_id,
        "community_name": row.community_name,
        "geometry": geo.to_geojson(geo.from_db(row.geom)),
    }


def _grid_columns() -> tuple[Any, ...]:
    return (Grid.id, Grid.code, Grid.name, Grid.community_id, Community.name.label("community_name"), Grid.geom)


async def grids(
    db: AsyncSession, *, community_id: int | None, bbox: tuple[float, float, float, float] | None
) -> list[dict[str, Any]]:
    """The active grids (of a community, or meeting a box), at most MAX_GRIDS, in id order."""
    query = (
        select(*_grid_columns())
        .join(Community, Community.id == Grid.community_id)
        .where(Grid.is_active.is_(True))
        .order_by(Grid.id)
        .limit(MAX_GRIDS)
    )
    if community_id is not None:
        query = query.where(Grid.community_id == community_id)
    if bbox is not None:
        sqlite = is_sqlite(db)
        query = query.where(_true(func.ST_Intersects(Grid.geom, _bbox_polygon(bbox)), sqlite=sqlite))
    return [_grid_row(r) for r in (await db.execute(query)).all()]


async def grid(db: AsyncSession, *, grid_id: int) -> dict[str, Any]:
    """One active grid, with a point inside it to centre a map on (404 when it is missing or inactive)."""
    row = (
        await db.execute(
            select(*_grid_columns())
            .join(Community, Community.id == Grid.community_id)
            .where(Grid.id == grid_id, Grid.is_active.is_(True))
        )
    ).first()
    if row is None:
        raise NotFound(f"No grid with id {grid_id}")
    out = _grid_row(row)
    shape = geo.from_db(row.geom)
    inside = shape.centroid if shape.contains(shape.centroid) else shape.representative_point()
    out["centroid"] = [round(inside.y, 7), round(inside.x, 7)]
    return out


async def locate(db: AsyncSession, *, lat: float, lon: float) -> dict[str, Any]:
    """The grid covering the point and its community; outside every grid, no grid and the community of the nearest
    active grid (the station to call instead)."""
    found = await service.locate(db, lat, lon)
    if found is not None:
        g, c = found
        return {
            "grid": {"id": g.id, "code": g.code, "name": g.name},
            "community": {
                "id": c.id,
                "name": c.name,
                "duty_phone": c.duty_phone,
                "on_duty": await on_duty_today(db, "community", c.id),
            },
        }
    sqlite = is_sqlite(db)
    point = func.MakePoint(lon, lat, 4326) if sqlite else func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    nearest = (
        await db.execute(
            select(Community.id, Community.name, Community.duty_phone)
            .join(Grid, Grid.community_id == Community.id)
            .where(Grid.is_active.is_(True), Community.is_active.is_(True))
            .order_by(func.ST_Distance(Grid.geom, point), Grid.id)
            .limit(1)
        )
    ).first()
    community = (
        None
        if nearest is None
        else {
            "id": nearest.id,
            "name": nearest.name,
            "duty_phone": nearest.duty_phone,
            "on_duty": await on_duty_today(db, "community", nearest.id),
        }
    )
    return {"grid": None, "community": community}


async def places(db: AsyncSession, *, q: str) -> list[dict[str, Any]]:
    """Active buildings and places whose name contains `q`, inside active grids, with a point: at most MAX_PLACES,
    the shortest names (the closest matches) first."""
    found: list[dict[str, Any]] = []
    for kind, model in (("building", Building), ("place", Place)):
        rows = (
            await db.execute(
                select(
                    model.id,
                    model.name,
                    Grid.id.label("grid_id"),
                    Grid.name.label("grid_name"),
                    func.ST_Y(model.geom).label("lat"),
                    func.ST_X(model.geom).label("lon"),
                )
                .join(Grid, Grid.id == model.grid_id)
                .where(
                    model.is_active.is_(True),
                    Grid.is_active.is_(True),
                    model.geom.is_not(None),
                    model.name.contains(q, autoescape=True),
                )
                .order_by(func.length(model.name), model.name, model.id)
                .limit(MAX_PLACES)
            )
        ).all()
        found += [
            {
                "kind": kind,
                "id": r.id,
                "name": r.name,
                "grid_id": r.grid_id,
                "grid_name": r.grid_name,
                "point": [r.lat, r.lon],
            }
            for r in rows
        ]
    found.sort(key=lambda p: (len(p["name"]), p["name"], p["kind"], p["id"]))
    return found[:MAX_PLACES]


def _public_space() -> Any:
    """Open matters of the categories that are about public space (those Open311 publishes)."""
    return (Matter.status.in_([s.value for s in flow.OPEN]), Category.open311_code.is_not(None))


# What a category is called to the public: its public name; a resident-facing one without one, its own name; an
# internal line (民生工程, 城建 …, published through Open311 for staff systems), a neutral word rather than the staff's.
OTHER = ("其他", "Other")


def _public_category(r: Any) -> dict[str, Any]:
    if r.resident_facing:
        zh, en = r.public_name_zh or r.name_zh, r.public_name_en or r.name_en
    else:
        zh, en = r.public_name_zh or OTHER[0], r.public_name_en or OTHER[1]
    return {"category_name": zh, "category_name_en": en}


def _supporters_count() -> Any:
    return select(func.count(Supporter.id)).where(Supporter.matter_id == Matter.id).correlate(Matter).scalar_subquery()


async def nearby(db: AsyncSession, *, lat: float, lon: float) -> list[dict[str, Any]]:
    """Open public-space matters within NEARBY_RADIUS_M of the point, nearest first: a box in SQL, the exact
    distance here. Only what anyone may see: the category, when, the status and how many said "me too"."""
    dlat = NEARBY_RADIUS_M / 111_320
    dlon = NEARBY_RADIUS_M / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    rows = (
        await db.execute(
            select(
                Matter.id,
                Matter.lat,
                Matter.lon,
                Matter.status,
                Matter.created_at,
                Category.code,
                Category.name_zh,
                Category.name_en,
                Category.public_name_zh,
                Category.public_name_en,
                Category.resident_facing,
                _supporters_count().label("supporters"),
            )
            .join(Category, Category.id == Matter.category_id)
            .where(
                *_public_space(),
                Matter.lat.between(lat - dlat, lat + dlat),
                Matter.lon.between(lon - dlon, lon + dlon),
            )
            .order_by(Matter.created_at.desc(), Matter.id.desc())
            .limit(100)
        )
    ).all()
    out = []
    for r in rows:
        distance = haversine_m(lat, lon, r.lat, r.lon)
        if distance <= NEARBY_RADIUS_M:
            out.append(
                {
                    "id": r.id,
                    "category_code": r.code,
                    **_public_category(r),
                    "created_at": r.created_at,
                    "status": r.status,
                    "supporters": r.supporters,
                    "distance_m": round(distance, 1),
                }
            )
    out.sort(key=lambda x: (x["distance_m"], -x["id"]))
    return out[:MAX_NEARBY]


def client_hash(settings: Settings, client: str) -> str:
    """The keyed hash a device's "me too" is kept as: without the app's secret it cannot be linked to the device."""
    return hmac.new(settings.secret_key.encode(), b"supporter:" + client.encode(), hashlib.sha256).hexdigest()


async def supporters(db: AsyncSession, matter_id: int) -> int:
    return (await db.execute(select(func.count(Supporter.id)).where(Supporter.matter_id == matter_id))).scalar_one()


async def support(db: AsyncSession, settings: Settings, *, matter_id: int, client: str, now: datetime) -> int:
    """Record this device's "me too" on an open public-space matter (once: again is a no-op); the count after it.
    Any other matter — missing, closed, or not about public space — is a 404, as if it did not exist."""
    found = (
        await db.execute(
            select(Matter.id)
            .join(Category, Category.id == Matter.category_id)
            .where(Matter.id == matter_id, *_public_space())
        )
    ).first()
    if found is None:
        raise NotFound(f"No open public report with id {matter_id}")
    await db.execute(
        insert_for(db, Supporter)
        .values(matter_id=matter_id, client_hash=client_hash(settings, client), created_at=now)
        .on_conflict_do_nothing(index_elements=[Supporter.matter_id, Supporter.client_hash])
    )
    await db.commit()
    return await supporters(db, matter_id)
