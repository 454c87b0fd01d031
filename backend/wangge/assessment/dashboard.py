"""A unit's dashboard: its figures, the trend of the twelve periods up to this one, its matters by category and by
source, the most overdue open ones, where they were reported (points snapped to ~100 m cells) and its children's
table. Each piece is one GROUP BY (or one indexed walk) over the unit's matters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.scope import Subject
from wangge.assessment import matter_figures, periods, results, service, units
from wangge.assessment.matter_figures import UNIT_COLUMN, conditions
from wangge.assessment.periods import Period
from wangge.matters.models import OPEN_STATUSES, Category, Matter
from wangge.matters.service import work_calendar
from wangge.models_common import utcnow

TREND_LENGTH = 12
MOST_OVERDUE = 10
CELL = 1000  # cells of 1/1000 degree: ~111 m north-south, ~95 m east-west at Shanghai's latitude
MAX_CELLS = 2000


def _count(cond: Any) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


async def trend(db: AsyncSession, *, level: str, id: int, period: Period) -> list[dict[str, Any]]:
    """The 12 periods up to this one: computed from the records in one query, frozen months from their rows."""
    every = periods.months_up_to(period, TREND_LENGTH)
    computed = await matter_figures.trend(db, level=level, unit_id=id, bounds=[periods.utc_bounds(p) for p in every])
    frozen = await results.load_months(
        db, level=level, unit_id=id, months=[p.start for p in every if periods.is_closed_month(p)]
    )
    out = []
    for p, figures in zip(every, computed, strict=True):
        stored = frozen.get(p.start) if periods.is_closed_month(p) else None
        shown = {k: stored.figures.get(k) for k in service.TREND_KEYS} if stored is not None else figures
        out.append({"period": service.period_out(p), "figures": shown})
    return out


async def by_category(db: AsyncSession, *, column: Any, id: int, start: Any, end: Any) -> list[dict[str, Any]]:
    cond = conditions(utcnow())
    rows = await db.execute(
        select(
            Category.code,
            Category.name_zh,
            func.count(),
            _count(cond["resolved"]),
            _count(cond["overdue"]),
        )
        .join(Category, Category.id == Matter.category_id)
        .where(column == id, Matter.created_at >= start, Matter.created_at < end)
        .group_by(Category.code, Category.name_zh)
        .order_by(func.count().desc(), Category.code)
    )
    return [{"code": r[0], "name": r[1], "received": r[2], "resolved": int(r[3]), "overdue": int(r[4])} for r in rows]


async def by_source(db: AsyncSession, *, column: Any, id: int, start: Any, end: Any) -> list[dict[str, Any]]:
    rows = await db.execute(
        select(Matter.source, func.count())
        .where(column == id, Matter.created_at >= start, Matter.created_at < end)
        .group_by(Matter.source)
        .order_by(func.count().desc(), Matter.source)
    )
    return [{"source": r[0], "received": r[1]} for r in rows]


async def most_overdue(db: AsyncSession, *, column: Any, id: int) -> list[dict[str, Any]]:
    """The open matters furthest past their completion deadline now (whenever they were created)."""
    now = utcnow()
    rows = (
        await db.execute(
            select(Matter.id, Matter.tracking_code, Category.name_zh, Matter.holder_level, Matter.due_at)
            .join(Category, Category.id == Matter.category_id)
            .where(column == id, Matter.status.in_(OPEN_STATUSES), Matter.due_at < now)
            .order_by(Matter.due_at, Matter.id)
            .limit(MOST_OVERDUE)
        )
    ).all()
    if not rows:
        return []
    cal = await work_calendar(db)
    return [
        {
            "id": r[0],
            "tracking_code": r[1],
            "category": r[2],
            "holder_level": r[3],
            "due_at": r[4],
            "overdue_hours": round(max(cal.working_minutes_between(r[4], now), 0) / 60, 1),
        }
        for r in rows
    ]


async def cells(db: AsyncSession, *, column: Any, id: int, start: Any, end: Any) -> list[dict[str, Any]]:
    lat_cell = func.round(Matter.lat * CELL)
    lon_cell = func.round(Matter.lon * CELL)
    rows = await db.execute(
        select(lat_cell, lon_cell, func.count())
        .where(
            and_(column == id, Matter.created_at >= start, Matter.created_at < end),
            Matter.lat.is_not(None),
            Matter.lon.is_not(None),
        )
        .group_by(lat_cell, lon_cell)
        .order_by(func.count().desc())
        .limit(MAX_CELLS)
    )
    return [{"lat": round(float(r[0]) / CELL, 3), "lon": round(float(r[1]) / CELL, 3), "count": r[2]} for r in rows]


async def dashboard(db: AsyncSession, *, subject: Subject, level: str, id: int, period: Period) -> dict[str, Any]:
    name = await units.unit_in_scope(db, subject, level, id)
    column = UNIT_COLUMN[level]
    start, end = periods.utc_bounds(period)
    child = units.CHILD.get(level)
    children = (
        await service.rows_of(db, level=child, parent_level=level, parent_id=id, period=period)
        if child and child != "leader"
        else []
    )
    return {
        "figures": await service.figures_of(db, level=level, id=id, name=name, period=period),
        "trend": await trend(db, level=level, id=id, period=period),
        "by_category": await by_category(db, column=column, id=id, start=start, end=end),
        "by_source": await by_source(db, column=column, id=id, start=start, end=end),
        "most_overdue": await most_overdue(db, column=column, id=id),
        "map": await cells(db, column=column, id=id, start=start, end=end),
        "children": children,
    }
