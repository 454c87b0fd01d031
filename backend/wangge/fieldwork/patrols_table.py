"""The desk's table of patrols 巡查: who patrolled which grid when, for how long and how far, with the points, check-ins
and findings of each, newest (or oldest) first in keyset pages exact when patrols start at the same time, and a count
that stops at tables.COUNT_CAP. Every filter is ANDed to `policy.readable(subject, Patrol)`.

A track is personal data: the table shows no coordinate, only what was summed up from it. A page is one statement
(leader and grid joined, check-ins and findings counted in subqueries) plus the bounded count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import tables
from wangge.accounts.models import User
from wangge.accounts.scope import Subject
from wangge.fieldwork.models import CheckIn, Patrol, PatrolFinding
from wangge.hierarchy.models import Grid
from wangge.models_common import as_utc
from wangge.policy import readable

SORTS = ("started", "-started")


@dataclass(frozen=True, kw_only=True)
class Filters:
    grid_id: int | None = None
    user_id: int | None = None
    started_from: date | None = None
    started_to: date | None = None
    state: str | None = None  # ongoing, ended
    flagged: bool | None = None


def conditions(subject: Subject, f: Filters) -> list[ColumnElement[bool]]:
    tables.check_range(f.started_from, f.started_to, field="started_from", other="started_to")
    conds: list[ColumnElement[bool]] = [readable(subject, Patrol)]
    if f.grid_id is not None:
        conds.append(Patrol.grid_id == f.grid_id)
    if f.user_id is not None:
        conds.append(Patrol.user_id == f.user_id)
    if f.started_from:
        conds.append(Patrol.started_at >= tables.start_of(f.started_from))
    if f.started_to:
        conds.append(Patrol.started_at < tables.start_of(f.started_to + timedelta(days=1)))
    if f.state == "ongoing":
        conds.append(Patrol.ended_at.is_(None))
    elif f.state == "ended":
        conds.append(Patrol.ended_at.is_not(None))
    if f.flagged is True:
        conds.append(Patrol.flagged_count > 0)
    elif f.flagged is False:
        conds.append(Patrol.flagged_count == 0)
    return conds


def _count_of(model: Any) -> Any:
    return select(func.count()).where(model.patrol_id == Patrol.id).correlate(Patrol).scalar_subquery()


async def page(
    db: AsyncSession, subject: Subject, f: Filters, *, sort: str, limit: int, after: str | None
) -> dict[str, Any]:
    conds = conditions(subject, f)
    descending = sort.startswith("-")
    keys = [Patrol.started_at, Patrol.id]
    total, exact = await tables.capped_count(db, select(Patrol.id).where(*conds))
    query = (
        select(
            Patrol.id,
            Patrol.user_id,
            User.display_name,
            Patrol.grid_id,
            Grid.name,
            Patrol.started_at,
            Patrol.ended_at,
            Patrol.distance_m,
            Patrol.point_count,
            Patrol.flagged_count,
            _count_of(CheckIn).label("checkins"),
            _count_of(PatrolFinding).label("findings"),
        )
        .join(User, User.id == Patrol.user_id)
        .join(Grid, Grid.id == Patrol.grid_id)
        .where(*conds)
    )
    if after:
        values = tables.decode_cursor(sort, after, [tables.an_instant, tables.an_id])
        query = query.where(tables.after(keys, values, descending=descending))
    rows = (await db.execute(query.order_by(*tables.order(keys, descending=descending)).limit(limit + 1))).all()
    following = None
    if len(rows) > limit:
        rows = rows[:limit]
        following = tables.encode_cursor(sort, [rows[-1].started_at, rows[-1].id])
    return {
        "items": [_row(r) for r in rows],
        "total": total,
        "total_exact": exact,
        "limit": limit,
        "sort": sort,
        "next_after": following,
    }


def _row(r: Any) -> dict[str, Any]:
    started = as_utc(r.started_at)
    ended = as_utc(r.ended_at) if r.ended_at is not None else None
    return {
        "id": r.id,
        "leader": {"id": r.user_id, "name": r.display_name},
        "grid": {"id": r.grid_id, "name": r.name},
        "started_at": started,
        "ended_at": ended,
        "duration_s": int((ended - started).total_seconds()) if ended is not None else None,
        "distance_m": r.distance_m,
        "point_count": r.point_count,
        "flagged_count": r.flagged_count,
        "checkin_count": r.checkins,
        "finding_count": r.findings,
    }
