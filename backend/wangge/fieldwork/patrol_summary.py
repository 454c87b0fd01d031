"""The summary of one patrol, shown when it ends: how long it took, how far it went, how much of the grid it covered
(the same database computation as the grid's coverage, for this patrol's track alone), what was found and where the
patroller checked in. Read by whoever may read the patrol (its owner, the station chief and above in scope)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import geo
from wangge.accounts.scope import Subject
from wangge.config import Settings
from wangge.fieldwork.models import CheckIn, Patrol, PatrolFinding
from wangge.fieldwork.patrols import covered_share_of, get_readable, utm_srid
from wangge.hierarchy.models import Building, Grid
from wangge.matters.models import Category, Matter
from wangge.models_common import as_utc, utcnow


async def summary(db: AsyncSession, *, subject: Subject, patrol_id: int, settings: Settings) -> dict[str, Any]:
    p = await get_readable(db, subject, patrol_id)
    started = as_utc(p.started_at)
    ended = as_utc(p.ended_at) if p.ended_at is not None else None
    share = 0.0
    grid = await db.get(Grid, p.grid_id)
    if p.track is not None and grid is not None:
        centre = geo.from_db(grid.geom).centroid
        stmt = covered_share_of(grid.id, utm_srid(centre.x, centre.y), settings.coverage_buffer_m, Patrol.id == p.id)
        share = float((await db.execute(stmt)).scalar() or 0.0)
    checkins = (
        await db.execute(
            select(CheckIn, Building.name)
            .join(Building, Building.id == CheckIn.building_id)
            .where(CheckIn.patrol_id == p.id)
            .order_by(CheckIn.at, CheckIn.id)
        )
    ).all()
    findings = (
        await db.execute(
            select(PatrolFinding, Matter, Category)
            .outerjoin(Matter, Matter.id == PatrolFinding.matter_id)
            .outerjoin(Category, Category.id == Matter.category_id)
            .where(PatrolFinding.patrol_id == p.id)
            .order_by(PatrolFinding.at, PatrolFinding.id)
        )
    ).all()
    return {
        "id": p.id,
        "grid_id": p.grid_id,
        "grid_name": grid.name if grid is not None else None,
        "started_at": p.started_at,
        "ended_at": p.ended_at,
        "duration_s": max(0, round(((ended or utcnow()) - started).total_seconds())),
        "distance_m": p.distance_m,
        "point_count": p.point_count,
        "covered_share": min(max(share, 0.0), 1.0),
        "checkins": [
            {"building_id": c.building_id, "building_name": name, "at": c.at, "note": c.note} for c, name in checkins
        ],
        "findings": [
            {
                "id": f.id,
                "at": f.at,
                "handled_on_spot": f.handled_on_spot,
                "note": f.note,
                "matter_id": m.id if m is not None else None,
                "tracking_code": m.tracking_code if m is not None else None,
                "status": m.status if m is not None else None,
                "category_code": c.code if c is not None else None,
                "category_name": c.name_zh if c is not None else None,
            }
            for f, m, c in findings
        ],
    }
