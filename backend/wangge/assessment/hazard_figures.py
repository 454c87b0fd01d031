"""Hazard figures of a unit (docs/assessment.md, "Field work, hazards and emergencies"): hazards found, fixed on
time, overdue, and found by type, from the hazard ledger 隐患台账. A leader's are the hazards they found; a
department has none (the ledger names a responsible unit in words, not a department)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.assessment.field_common import AREA_LEVELS, bj_day, community_column, days_table, period_days
from wangge.assessment.figures_common import rate
from wangge.hierarchy.models import Community
from wangge.station.hazards import TYPE_ZH
from wangge.station.models import Hazard


def _unit(level: str) -> tuple[Any, bool]:
    """The column naming the unit, and whether it needs the hazard's community joined."""
    if level == "leader":
        return Hazard.found_by_id, False
    if level in ("grid", "community"):
        return getattr(Hazard, f"{level}_id"), False
    return community_column(level), True


def _select(level: str, *columns: Any) -> Any:
    unit, joined = _unit(level)
    stmt = select(unit, *columns)
    return stmt.join(Community, Community.id == Hazard.community_id) if joined else stmt


async def figures(
    db: AsyncSession, *, level: str, unit_ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, dict[str, Any]]:
    ids = list(dict.fromkeys(unit_ids))
    if level not in (*AREA_LEVELS, "leader") or not ids:
        return {i: {} for i in ids}
    unit, _ = _unit(level)
    days = await period_days(db, start, end)
    cutoff = days.cutoff

    found_in = (Hazard.found_at >= start, Hazard.found_at < end)
    by_type: dict[int, dict[str, int]] = {i: dict.fromkeys(TYPE_ZH, 0) for i in ids}
    stmt = _select(level, Hazard.hazard_type, func.count(Hazard.id)).where(unit.in_(ids), *found_in)
    for u, kind, n in (await db.execute(stmt.group_by(unit, Hazard.hazard_type))).all():
        by_type[u][kind] = n

    # Fixed on time: the hazards whose deadline fell on a day of the period that is over; fixed before the end of
    # that Beijing day counts. A hazard still open whose deadline has not passed is not decided yet and not counted.
    on_time: dict[int, tuple[int, int]] = {}
    if days.all:
        d = days_table(days.all)
        fixed_in_time = and_(Hazard.fixed_at.is_not(None), Hazard.fixed_at < d.c.e)
        stmt = (
            _select(level, func.sum(case((fixed_in_time, 1), else_=0)), func.count(Hazard.id))
            .join(d, d.c.day == Hazard.deadline)
            .where(unit.in_(ids), Hazard.deadline >= days.all[0], Hazard.deadline <= days.all[-1])
            .group_by(unit)
        )
        on_time = {u: (int(num or 0), den) for u, num, den in (await db.execute(stmt)).all()}

    # Overdue at the period's end (or now): found by then, deadline day over, not fixed by then.
    stmt = (
        _select(level, func.count(Hazard.id))
        .where(
            unit.in_(ids),
            Hazard.found_at < cutoff,
            Hazard.deadline < bj_day(cutoff),
            or_(Hazard.fixed_at.is_(None), Hazard.fixed_at >= cutoff),
        )
        .group_by(unit)
    )
    overdue = {u: n for u, n in (await db.execute(stmt)).all()}

    return {
        i: {
            "hazards_found": sum(by_type[i].values()),
            "hazards_fixed_on_time": rate(*on_time.get(i, (0, 0))),
            "hazards_overdue": overdue.get(i, 0),
            "hazards_by_type": by_type[i],
        }
        for i in ids
    }
