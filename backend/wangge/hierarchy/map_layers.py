"""The desk map's layers 地图图层: open and overdue matters, active incidents, today's patrol tracks and the open
items of the hazard ledgers, each as a GeoJSON FeatureCollection (WGS 84) for the map page.

Reads only. Every layer is one query limited in SQL to what the caller may read (`policy.readable` of its model,
the rule each domain's own lists use), to the bounding box when one is given, and to `MAX_FEATURES` rows (one more
is read to say `truncated`); no query per row. What a feature carries is what staff see in the desk's lists, never
a resident's name or phone. Grid staff see their own grid's hazards only (the ledger of their community stays on the
station's pages). Tracks are today's (Beijing day) patrols, simplified by the database; a patrol with one good point
so far (no line yet) is a point there. A hazard or an incident recorded without a point is shown at a point inside
its grid, marked `approximate`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shapely import wkb
from sqlalchemy import ColumnElement, LargeBinary, and_, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import User
from wangge.accounts.scope import Subject
from wangge.emergencies.models import Incident
from wangge.errors import Invalid
from wangge.fieldwork.models import Patrol, PatrolPoint
from wangge.fieldwork.patrols import day_bounds
from wangge.fieldwork.patrols import today as beijing_today
from wangge.hierarchy.models import Grid
from wangge.matters.models import Category, Matter
from wangge.models_common import as_utc, is_sqlite, utcnow
from wangge.policy import GRID_STAFF, readable
from wangge.station.models import Hazard

LAYERS = ("matters", "overdue", "incidents", "tracks", "hazards")
MAX_FEATURES = 2000
# Hazards still to be put right: found (open) or handed over as a matter (assigned); fixed and closed ones are done.
OPEN_HAZARDS = ("open", "assigned")
# About a metre and a half at Beijing's latitude: the line a desk map draws, not the GPS's every wobble.
TRACK_TOLERANCE_DEG = 0.000015


@dataclass(frozen=True)
class BBox:
    south: float
    west: float
    north: float
    east: float

    def polygon_wkt(self) -> str:
        s, w, n, e = self.south, self.west, self.north, self.east
        return f"POLYGON(({w} {s}, {e} {s}, {e} {n}, {w} {n}, {w} {s}))"


def parse_layers(text: str | None) -> list[str]:
    """The layers named (comma-separated, each once, in the order of LAYERS); all of them when none are named."""
    if text is None or not text.strip():
        return list(LAYERS)
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(names) - set(LAYERS))
    if unknown or not names:
        raise Invalid(
            f"Unknown map layers: {', '.join(unknown)}; choose from {', '.join(LAYERS)}",
            code="map-layers-invalid",
            errors=[{"loc": ["query", "layers"], "msg": f"choose from {', '.join(LAYERS)}"}],
        )
    return [name for name in LAYERS if name in names]


def parse_bbox(text: str | None) -> BBox | None:
    """`south,west,north,east` in degrees (WGS 84), south below north and west of east; None when not given."""
    if text is None or not text.strip():
        return None
    parts = text.split(",")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    ok = len(values) == 4 and all(math.isfinite(v) for v in values)
    if ok:
        south, west, north, east = values
        ok = -90 <= south < north <= 90 and -180 <= west < east <= 180
    if not ok:
        raise Invalid(
            "The bounding box must be south,west,north,east in degrees, south below north and west of east",
            code="map-bbox-invalid",
            errors=[{"loc": ["query", "bbox"], "msg": "expected south,west,north,east"}],
        )
    return BBox(*values)


def _in_bbox(lat: Any, lon: Any, bbox: BBox | None) -> list[ColumnElement[bool]]:
    if bbox is None:
        return [lat.is_not(None), lon.is_not(None)]
    return [lat.between(bbox.south, bbox.north), lon.between(bbox.west, bbox.east)]


def _placed(lat: Any, lon: Any, grid_geom: Any) -> tuple[Any, Any]:
    """The row's own point, or for a row recorded without one a point inside its grid (computed by the database;
    the feature then says `approximate`)."""
    spot = func.ST_PointOnSurface(grid_geom)
    return func.coalesce(lat, func.ST_Y(spot)), func.coalesce(lon, func.ST_X(spot))


def _point(lat: float, lon: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def _collection(features: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    truncated = len(features) > limit
    features = features[:limit]
    return {"type": "FeatureCollection", "features": features, "count": len(features), "truncated": truncated}


async def _matters(
    db: AsyncSession, subject: Subject, *, overdue: bool, bbox: BBox | None, now: datetime, limit: int
) -> dict[str, Any]:
    """Open matters whose current step is (overdue) or is not yet (open) past its deadline."""
    due = Matter.open_due_at < now if overdue else Matter.open_due_at >= now
    order = (Matter.open_due_at, Matter.id) if overdue else (Matter.id.desc(),)
    rows = await db.execute(
        select(
            Matter.id,
            Matter.tracking_code,
            Matter.status,
            Matter.lat,
            Matter.lon,
            Matter.address,
            Matter.sign_due_at,
            Matter.due_at,
            Matter.created_at,
            Category.id.label("category_id"),
            Category.code.label("category_code"),
            Category.name_zh.label("category_name"),
        )
        .join(Category, Category.id == Matter.category_id)
        .where(readable(subject, Matter), Matter.open_due_at.is_not(None), due, *_in_bbox(Matter.lat, Matter.lon, bbox))
        .order_by(*order)
        .limit(limit + 1)
    )
    features = []
    for r in rows:
        dues = [as_utc(d) for d in (r.sign_due_at, r.due_at) if d is not None]
        features.append(
            {
                "type": "Feature",
                "id": r.id,
                "geometry": _point(r.lat, r.lon),
                "properties": {
                    "id": r.id,
                    "tracking_code": r.tracking_code,
                    "category": {"id": r.category_id, "code": r.category_code, "name": r.category_name},
                    "status": r.status,
                    "deadline": min(dues) if dues else None,
                    "overdue": overdue,
                    "address": r.address,
                    "created_at": r.created_at,
                },
            }
        )
    return _collection(features, limit)


async def _incidents(db: AsyncSession, subject: Subject, *, bbox: BBox | None, limit: int) -> dict[str, Any]:
    """Incidents still open (not closed), the most severe first; one recorded without a point at its grid."""
    lat, lon = _placed(Incident.lat, Incident.lon, Grid.geom)
    rows = await db.execute(
        select(
            Incident.id,
            Incident.code,
            Incident.title,
            Incident.incident_type,
            Incident.severity,
            Incident.place,
            lat.label("lat"),
            lon.label("lon"),
            Incident.lat.is_(None).label("approximate"),
            Incident.occurred_at,
            Incident.status,
        )
        .outerjoin(Grid, Grid.id == Incident.grid_id)
        .where(readable(subject, Incident), Incident.status == "open", *_in_bbox(lat, lon, bbox))
        .order_by(Incident.severity, Incident.id.desc())
        .limit(limit + 1)
    )
    features = [
        {
            "type": "Feature",
            "id": r.id,
            "geometry": _point(r.lat, r.lon),
            "properties": {
                "id": r.id,
                "code": r.code,
                "title": r.title,
                "incident_type": r.incident_type,
                "severity": r.severity,
                "place": r.place,
                "occurred_at": r.occurred_at,
                "status": r.status,
                "approximate": bool(r.approximate),
            },
        }
        for r in rows
    ]
    return _collection(features, limit)


def _hazard_scope(subject: Subject) -> list[ColumnElement[bool]]:
    conds = [readable(subject, Hazard)]
    if subject.role in GRID_STAFF and subject.grid_id is not None:
        conds.append(Hazard.grid_id == subject.grid_id)
    return conds


async def _hazards(db: AsyncSession, subject: Subject, *, bbox: BBox | None, limit: int) -> dict[str, Any]:
    """The open items of the hazard ledgers, the earliest deadline first; one recorded without a point at its grid."""
    today = beijing_today()
    lat, lon = _placed(Hazard.lat, Hazard.lon, Grid.geom)
    rows = await db.execute(
        select(
            Hazard.id,
            Hazard.place,
            Hazard.hazard_type,
            Hazard.risk_level,
            Hazard.deadline,
            Hazard.status,
            lat.label("lat"),
            lon.label("lon"),
            Hazard.lat.is_(None).label("approximate"),
            Grid.id.label("grid_id"),
            Grid.name.label("grid_name"),
        )
        .join(Grid, Grid.id == Hazard.grid_id)
        .where(*_hazard_scope(subject), Hazard.status.in_(OPEN_HAZARDS), *_in_bbox(lat, lon, bbox))
        .order_by(Hazard.deadline, Hazard.id)
        .limit(limit + 1)
    )
    features = [
        {
            "type": "Feature",
            "id": r.id,
            "geometry": _point(r.lat, r.lon),
            "properties": {
                "id": r.id,
                "place": r.place,
                "hazard_type": r.hazard_type,
                "risk_level": r.risk_level,
                "deadline": r.deadline,
                "overdue": r.deadline < today,
                "status": r.status,
                "grid": {"id": r.grid_id, "name": r.grid_name},
                "approximate": bool(r.approximate),
            },
        }
        for r in rows
    ]
    return _collection(features, limit)


def _last_good(column: Any) -> Any:
    """The patrol's last unflagged point's `column` (a patrol with no line yet has at most one), by the index on
    (patrol, time, client id)."""
    return (
        select(column)
        .where(PatrolPoint.patrol_id == Patrol.id, PatrolPoint.flagged.is_(False))
        .order_by(PatrolPoint.recorded_at.desc(), PatrolPoint.client_id.desc())
        .limit(1)
        .correlate(Patrol)
        .scalar_subquery()
    )


async def _tracks(db: AsyncSession, subject: Subject, *, bbox: BBox | None, limit: int) -> dict[str, Any]:
    """Today's patrols (started this Beijing day) with their leader: a line simplified by the database, or for a
    patrol with a single good point so far (a line needs two) that point."""
    sqlite = is_sqlite(db)
    start_at, end_at = day_bounds(beijing_today())
    conds = [readable(subject, Patrol), Patrol.started_at >= start_at, Patrol.started_at < end_at]
    lined = Patrol.track.is_not(None)
    point_lat, point_lon = _last_good(PatrolPoint.lat), _last_good(PatrolPoint.lon)
    if bbox is None:
        conds.append(or_(lined, point_lat.is_not(None)))
    else:
        frame = func.ST_GeomFromText(literal(bbox.polygon_wkt()), 4326)
        meets = func.ST_Intersects(Patrol.track, frame)
        conds.append(
            or_(and_(lined, meets == 1 if sqlite else meets), and_(~lined, *_in_bbox(point_lat, point_lon, bbox)))
        )
    simplified = func.ST_Simplify(Patrol.track, TRACK_TOLERANCE_DEG)
    line = (func.AsBinary(simplified) if sqlite else func.ST_AsBinary(simplified)).cast(LargeBinary)
    rows = await db.execute(
        select(
            Patrol.id,
            Patrol.user_id,
            Patrol.started_at,
            Patrol.ended_at,
            Patrol.distance_m,
            User.display_name,
            Grid.id.label("grid_id"),
            Grid.name.label("grid_name"),
            line.label("line"),
            case((~lined, point_lat)).label("point_lat"),  # read for a patrol without a line only
            case((~lined, point_lon)).label("point_lon"),
        )
        .join(User, User.id == Patrol.user_id)
        .join(Grid, Grid.id == Patrol.grid_id)
        .where(*conds)
        .order_by(Patrol.started_at, Patrol.id)
        .limit(limit + 1)
    )
    features = []
    for r in rows:
        shape = wkb.loads(bytes(r.line)) if r.line is not None else None
        if shape is not None and not shape.is_empty and shape.geom_type == "LineString":
            geometry: dict[str, Any] = {"type": "LineString", "coordinates": [[x, y] for x, y, *_ in shape.coords]}
        elif r.point_lat is not None and r.point_lon is not None:
            geometry = _point(r.point_lat, r.point_lon)
        else:
            continue
        features.append(
            {
                "type": "Feature",
                "id": r.id,
                "geometry": geometry,
                "properties": {
                    "id": r.id,
                    "user_id": r.user_id,
                    "leader": r.display_name,
                    "grid": {"id": r.grid_id, "name": r.grid_name},
                    "started_at": r.started_at,
                    "ended_at": r.ended_at,
                    "distance_m": round(r.distance_m or 0.0, 1),
                },
            }
        )
    return _collection(features, limit)


async def map_layers(
    db: AsyncSession,
    subject: Subject,
    *,
    layers: list[str],
    bbox: BBox | None,
    limit: int = MAX_FEATURES,
) -> dict[str, Any]:
    """The layers asked for (the others null), each within the caller's scope and the box."""
    now = utcnow()
    out: dict[str, Any] = {name: None for name in LAYERS}
    for name in layers:
        if name in ("matters", "overdue"):
            out[name] = await _matters(db, subject, overdue=name == "overdue", bbox=bbox, now=now, limit=limit)
        elif name == "incidents":
            out[name] = await _incidents(db, subject, bbox=bbox, limit=limit)
        elif name == "hazards":
            out[name] = await _hazards(db, subject, bbox=bbox, limit=limit)
        else:
            out[name] = await _tracks(db, subject, bbox=bbox, limit=limit)
    return {**out, "day": beijing_today(), "generated_at": now, "limit": limit}
