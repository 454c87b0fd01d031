"""Frozen monthly results: a closed month's figures, score, grade and rank of every unit as computed when it was
frozen, with the scheme version that scored them. Once frozen, the month is read from here (service.scored): later
changes to its matters (a late rating, a reopening) no longer move it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import Role, User
from wangge.assessment import periods, schemes
from wangge.assessment.models import AssessmentResult, AssessmentScheme
from wangge.hierarchy.models import Community, Department, District, Grid, Street
from wangge.models_common import utcnow

FROZEN_LEVELS = ("district", "street", "community", "grid", "department", "leader")


async def load(
    db: AsyncSession, *, level: str, ids: Sequence[int], month: date
) -> dict[int, tuple[AssessmentResult, schemes.Scheme]]:
    """The stored results of a month for those units that have them, each with its scheme."""
    if not ids:
        return {}
    rows = (
        (
            await db.execute(
                select(AssessmentResult).where(
                    AssessmentResult.level == level,
                    AssessmentResult.month == month.replace(day=1),
                    AssessmentResult.unit_id.in_(list(ids)),
                )
            )
        )
        .scalars()
        .all()
    )
    scheme_ids = {r.scheme_id for r in rows if r.scheme_id is not None}
    stored = {}
    if scheme_ids:
        found = (await db.execute(select(AssessmentScheme).where(AssessmentScheme.id.in_(scheme_ids)))).scalars()
        stored = {s.id: schemes._of(s) for s in found}
    return {r.unit_id: (r, stored.get(r.scheme_id, schemes.BUILT_IN)) for r in rows}


async def load_months(
    db: AsyncSession, *, level: str, unit_id: int, months: Sequence[date]
) -> dict[date, AssessmentResult]:
    """One unit's stored results of several months, by month."""
    if not months:
        return {}
    rows = await db.execute(
        select(AssessmentResult).where(
            AssessmentResult.level == level,
            AssessmentResult.unit_id == unit_id,
            AssessmentResult.month.in_([m.replace(day=1) for m in months]),
        )
    )
    return {r.month: r for r in rows.scalars()}


async def _units_with_parents(db: AsyncSession, level: str) -> list[tuple[int, Any]]:
    """Every active unit of a level with the parent it is ranked within."""
    if level == "leader":
        stmt: Any = (
            select(User.id, Grid.community_id)
            .join(Grid, Grid.id == User.grid_id)
            .where(User.role == Role.grid_leader, User.is_active.is_(True))
        )
    elif level == "department":
        stmt = select(Department.id, Department.street_id, Department.district_id).where(Department.is_active.is_(True))
    else:
        model = {"district": District, "street": Street, "community": Community, "grid": Grid}[level]
        parent = {"district": None, "street": "district_id", "community": "street_id", "grid": "community_id"}[level]
        cols = [model.id] + ([getattr(model, parent)] if parent else [])
        stmt = select(*cols).where(model.is_active.is_(True))
    out = []
    for row in await db.execute(stmt):
        if level == "department":
            out.append((row[0], ("street", row[1]) if row[1] is not None else ("district", row[2])))
        else:
            out.append((row[0], row[1] if len(row) > 1 else None))
    return out


async def freeze_month(db: AsyncSession, *, month: date) -> int:
    """Store the month's results of every active unit not stored yet (idempotent: a unit's frozen month is never
    recomputed); ranks within each parent. Returns how many rows were written. The caller commits."""
    from wangge.assessment import service  # service reads the results this writes

    period = periods.period_of("month", month)
    written = 0
    for level in FROZEN_LEVELS:
        all_units = await _units_with_parents(db, level)
        if not all_units:
            continue
        done = set(
            (
                await db.execute(
                    select(AssessmentResult.unit_id).where(
                        and_(AssessmentResult.level == level, AssessmentResult.month == period.start)
                    )
                )
            ).scalars()
        )
        todo = [u for u, _p in all_units if u not in done]
        if not todo:
            continue
        ids = [u for u, _p in all_units]
        live = await service.scored(db, level=level, ids=ids, period=_open(period))
        siblings: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for u, parent in all_units:
            s = live[u]
            siblings[parent].append({"unit": {"id": u, "name": ""}, "figures": s.figures, "score": s.score})
        ranks = {r["unit"]["id"]: r["rank"] for rows in siblings.values() for r in service.rank(rows)}
        now = utcnow()
        for u in todo:
            s = live[u]
            db.add(
                AssessmentResult(
                    level=level,
                    unit_id=u,
                    month=period.start,
                    scheme_id=s.scheme.id,
                    figures=s.figures,
                    score=s.score,
                    grade=s.grade,
                    rank=ranks.get(u),
                    frozen_at=now,
                )
            )
            written += 1
        await db.flush()
    return written


def _open(p: periods.Period) -> periods.Period:
    """The same month as a "range" of its days, so that scoring it reads the records and not the stored rows."""
    return periods.Period("range", p.start, p.end, p.label_zh, p.label_en)
