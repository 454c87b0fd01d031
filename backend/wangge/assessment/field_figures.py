"""Field-work figures of a unit (docs/assessment.md, "Field work, hazards and emergencies"): patrol coverage, days
with a signed daily log, visits done against due for special groups, and quick reports. Each figure is one GROUP BY
query for all the units asked; a department has none of them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.assessment.field_common import AREA_LEVELS, Days, days_table, grid_column, period_days
from wangge.assessment.figures_common import rate
from wangge.fieldwork.models import DailyLog, GridLeadership, HomeVisit, Patrol, SpecialGroup, SpecialResident
from wangge.hierarchy.models import Grid
from wangge.matters.models import Matter
from wangge.models_common import as_utc

DAY_SECONDS = 86400


async def _grid_counts(db: AsyncSession, level: str, ids: Sequence[int]) -> dict[int, int]:
    """How many active grids each area unit has (a grid has itself)."""
    col = grid_column(level)
    rows = await db.execute(
        select(col, func.count(Grid.id)).where(col.in_(ids), Grid.is_active.is_(True)).group_by(col)
    )
    return {u: n for u, n in rows.all()}


async def _patrol_days(db: AsyncSession, level: str, ids: Sequence[int], days: Days) -> dict[int, int]:
    """Working days with a patrol started: per leader their own; per area the (grid, day) pairs of its grids."""
    if not days.working:
        return {}
    d = days_table(days.working)
    lo, hi = Days.span(days.working)
    in_span = and_(Patrol.started_at >= lo, Patrol.started_at < hi)
    on_day = and_(Patrol.started_at >= d.c.s, Patrol.started_at < d.c.e, in_span)
    if level == "leader":
        stmt = (
            select(Patrol.user_id, func.count(distinct(d.c.idx)))
            .join(d, on_day)
            .where(Patrol.user_id.in_(ids))
            .group_by(Patrol.user_id)
        )
        return {u: n for u, n in (await db.execute(stmt)).all()}
    col = grid_column(level)
    pairs = (
        select(col.label("unit"), Patrol.grid_id, d.c.idx)
        .join(Grid, Grid.id == Patrol.grid_id)
        .join(d, on_day)
        .where(col.in_(ids))
        .distinct()
        .subquery()
    )
    rows = await db.execute(select(pairs.c.unit, func.count()).group_by(pairs.c.unit))
    return {u: n for u, n in rows.all()}


async def _log_days(db: AsyncSession, level: str, ids: Sequence[int], days: Days) -> dict[int, int]:
    """Working days with a signed daily log: per leader their own; per area the (grid, day) pairs of its grids."""
    if not days.working:
        return {}
    signed = (DailyLog.signed_at.is_not(None), DailyLog.day.in_(days.working))
    if level == "leader":
        stmt = (
            select(DailyLog.user_id, func.count(distinct(DailyLog.day)))
            .where(DailyLog.user_id.in_(ids), *signed)
            .group_by(DailyLog.user_id)
        )
        return {u: n for u, n in (await db.execute(stmt)).all()}
    col = grid_column(level)
    pairs = (
        select(col.label("unit"), DailyLog.grid_id, DailyLog.day)
        .join(Grid, Grid.id == DailyLog.grid_id)
        .where(col.in_(ids), *signed)
        .distinct()
        .subquery()
    )
    rows = await db.execute(select(pairs.c.unit, func.count()).group_by(pairs.c.unit))
    return {u: n for u, n in rows.all()}


async def _visits(
    db: AsyncSession, level: str, ids: Sequence[int], start: datetime, end: datetime, cutoff: datetime
) -> dict[int, tuple[int, int]]:
    """(done, due) per unit. A resident followed every N days owes one visit per whole N days of the period they
    were registered in (from their registration or the period's start, to the period's end or now); visits beyond
    that do not make up for another resident. A leader answers for the residents of the grids they led then."""
    if level == "leader":
        led = (
            select(GridLeadership.user_id.label("unit"), GridLeadership.grid_id.label("grid_id"))
            .where(
                GridLeadership.user_id.in_(ids),
                GridLeadership.started_at < end,
                or_(GridLeadership.ended_at.is_(None), GridLeadership.ended_at > start),
            )
            .distinct()
            .subquery()
        )
        unit, grids = led.c.unit, (led, led.c.grid_id == SpecialResident.grid_id)
    else:
        unit, grids = grid_column(level), (Grid, Grid.id == SpecialResident.grid_id)
    in_period = and_(
        HomeVisit.resident_id == SpecialResident.id, HomeVisit.visited_at >= start, HomeVisit.visited_at < cutoff
    )
    stmt = (
        select(
            unit,
            SpecialResident.id,
            func.coalesce(SpecialResident.visit_every_days, SpecialGroup.visit_every_days),
            SpecialResident.created_at,
            func.count(HomeVisit.id),
        )
        .join(grids[0], grids[1])
        .join(SpecialGroup, SpecialGroup.id == SpecialResident.group_id)
        .outerjoin(HomeVisit, in_period)
        .where(unit.in_(ids), SpecialResident.is_active.is_(True), SpecialResident.created_at < cutoff)
        .group_by(unit, SpecialResident.id, SpecialResident.visit_every_days, SpecialGroup.visit_every_days)
        .group_by(SpecialResident.created_at)
    )
    out: dict[int, tuple[int, int]] = {}
    for u, _rid, every, created, done in (await db.execute(stmt)).all():
        span = (cutoff - max(as_utc(start), as_utc(created))).total_seconds() / DAY_SECONDS
        due = math.floor(span / every) if every and every > 0 else 0
        was_done, was_due = out.get(u, (0, 0))
        out[u] = (was_done + min(done, due), was_due + due)
    return out


async def _quick_reports(
    db: AsyncSession, level: str, ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, int]:
    """Matters entered from the field (source "field") created in the period: by the leader, or in the area."""
    col = Matter.reported_by_id if level == "leader" else getattr(Matter, f"{level}_id")
    stmt = (
        select(col, func.count(Matter.id))
        .where(col.in_(ids), Matter.source == "field", Matter.created_at >= start, Matter.created_at < end)
        .group_by(col)
    )
    return {u: n for u, n in (await db.execute(stmt)).all()}


async def figures(
    db: AsyncSession, *, level: str, unit_ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, dict[str, Any]]:
    ids = list(dict.fromkeys(unit_ids))
    if level not in (*AREA_LEVELS, "leader") or not ids:
        return {i: {} for i in ids}
    days = await period_days(db, start, end)
    n = len(days.working)
    grids = {i: 1 for i in ids} if level == "leader" else await _grid_counts(db, level, ids)
    patrols = await _patrol_days(db, level, ids, days)
    logs = await _log_days(db, level, ids, days)
    visits = await _visits(db, level, ids, start, end, days.cutoff)
    quick = await _quick_reports(db, level, ids, start, end)
    return {
        i: {
            "patrol_coverage": rate(patrols.get(i, 0), grids.get(i, 0) * n),
            "log_days": rate(logs.get(i, 0), grids.get(i, 0) * n),
            "visit_rate": rate(*visits.get(i, (0, 0))),
            "quick_reports": quick.get(i, 0),
        }
        for i in ids
    }
