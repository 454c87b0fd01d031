"""Figures for a unit and a period, scored with the scheme in force, beside the previous period and the same period
last year; tables of a parent's children ranked with ties; a grid leader's month. Closed months that were frozen
(assessment.results) are read from the stored rows, so they do not move when their matters change later."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import Role, User
from wangge.accounts.scope import Subject
from wangge.assessment import periods, results, schemes, units
from wangge.assessment.families import FAMILIES
from wangge.assessment.periods import Period
from wangge.errors import Invalid
from wangge.fieldwork.models import GridLeadership
from wangge.hierarchy.models import Community, Department, Grid

CHUNK = 5000
TREND_KEYS = ("received", "resolved", "response_rate", "resolution_rate", "satisfaction_rate")


@dataclass
class Scored:
    figures: dict[str, Any]
    score: float | None
    grade: str | None
    scheme: schemes.Scheme
    frozen: bool


def period_out(p: Period) -> dict[str, Any]:
    return {"kind": p.kind, "start": p.start, "end": p.end, "label": p.label_zh, "label_en": p.label_en}


async def compute(db: AsyncSession, *, level: str, ids: Sequence[int], period: Period) -> dict[int, dict[str, Any]]:
    """Every family's figures of each unit over the period, computed now from the records."""
    start, end = periods.utc_bounds(period)
    out: dict[int, dict[str, Any]] = {i: {} for i in ids}
    for chunk in chunks(ids):
        for family in FAMILIES:
            part = await family(db, level=level, unit_ids=chunk, start=start, end=end)
            for i in chunk:
                out[i].update(part.get(i) or {})
    return out


def chunks(ids: Sequence[int]) -> list[list[int]]:
    """The ids in slices small enough for one IN list (PostgreSQL's driver takes at most 32,767 parameters; a
    month is frozen for every grid of a city at once)."""
    ids = list(ids)
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


async def streets_of(db: AsyncSession, level: str, ids: Sequence[int]) -> dict[int, int | None]:
    """The street whose scheme scores each unit (None: the district-wide default)."""
    if not ids or level == "district":
        return {i: None for i in ids}
    if level == "street":
        return {i: i for i in ids}
    if level == "leader":
        stmt: Any = select(User.id, Grid.street_id).join(Grid, Grid.id == User.grid_id).where(User.id.in_(list(ids)))
    else:
        model = {"grid": Grid, "community": Community, "department": Department}[level]
        stmt = select(model.id, model.street_id).where(model.id.in_(list(ids)))
    found = {r[0]: r[1] for r in await db.execute(stmt)}
    return {i: found.get(i) for i in ids}


async def scored(db: AsyncSession, *, level: str, ids: Sequence[int], period: Period) -> dict[int, Scored]:
    """Figures, score and grade of each unit: a frozen month's from its stored rows, the rest computed now and
    scored with the scheme in force on the period's first day."""
    out: dict[int, Scored] = {}
    if periods.is_closed_month(period):
        for chunk in chunks(ids):
            for unit_id, (row, scheme) in (await results.load(db, level=level, ids=chunk, month=period.start)).items():
                out[unit_id] = Scored(row.figures, row.score, row.grade, scheme, True)
    rest = [i for i in ids if i not in out]
    if rest:
        figures = await compute(db, level=level, ids=rest, period=period)
        streets = {k: v for chunk in chunks(rest) for k, v in (await streets_of(db, level, chunk)).items()}
        by_street = await schemes.in_force_many(db, street_ids=list(streets.values()), month=period.start)
        for i in rest:
            scheme = by_street[streets[i]]
            total, grade = schemes.score(scheme.rules, figures[i])
            out[i] = Scored(figures[i], total, grade, scheme, False)
    return out


def rank(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ranked by score (then by response rate, then by name): equal scores share a rank (1, 1, 3); rows without a
    score come last with rank None. Sorts and numbers `rows` in place."""

    def response(r: dict[str, Any]) -> float:
        value = (r["figures"].get("response_rate") or {}).get("value")
        return -1.0 if value is None else float(value)

    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), -response(r), r["unit"]["name"], r["unit"]["id"]))
    previous: float | None = None
    for position, r in enumerate(rows, start=1):
        if r["score"] is None:
            r["rank"] = None
            continue
        if previous is None or r["score"] != previous:
            r["rank"] = position
        else:
            r["rank"] = rows[position - 2]["rank"]
        previous = r["score"]
    return rows


def _compare(p: Period, s: Scored) -> dict[str, Any]:
    return {"period": period_out(p), "figures": s.figures, "score": s.score}


async def figures_of(db: AsyncSession, *, level: str, id: int, name: str, period: Period) -> dict[str, Any]:
    """UnitFigures of a unit already checked to be in scope."""
    now = (await scored(db, level=level, ids=[id], period=period))[id]
    before_p, last_year_p = periods.previous(period), periods.same_last_year(period)
    before = (await scored(db, level=level, ids=[id], period=before_p))[id]
    last_year = (await scored(db, level=level, ids=[id], period=last_year_p))[id]
    return {
        "unit": {"level": level, "id": id, "name": name},
        "period": period_out(period),
        "frozen": now.frozen,
        "scheme": now.scheme.ref(),
        "figures": now.figures,
        "score": now.score,
        "grade": now.grade,
        "previous": _compare(before_p, before),
        "last_year": _compare(last_year_p, last_year),
    }


async def unit_figures(db: AsyncSession, *, subject: Subject, level: str, id: int, period: Period) -> dict[str, Any]:
    name = await units.unit_in_scope(db, subject, level, id)
    return await figures_of(db, level=level, id=id, name=name, period=period)


async def rows_of(
    db: AsyncSession, *, level: str, parent_level: str, parent_id: int, period: Period
) -> list[dict[str, Any]]:
    """The children of a parent at `level`, scored and ranked."""
    if level not in units.child_levels(parent_level):
        raise Invalid(
            f"A {parent_level}'s table lists {' or '.join(units.child_levels(parent_level)) or 'nothing'}",
            code="assessment-level",
            errors=[{"loc": ["query", "level"], "msg": "not a child level of parent_level", "type": "value_error"}],
        )
    _kind, children = await units.children_of(db, level=parent_level, id=parent_id, child=level)
    results_by_id = await scored(db, level=level, ids=[i for i, _ in children], period=period)
    rows = [
        {
            "unit": {"level": level, "id": i, "name": name},
            "figures": results_by_id[i].figures,
            "score": results_by_id[i].score,
            "grade": results_by_id[i].grade,
            "rank": None,
        }
        for i, name in children
    ]
    return rank(rows)


async def table(
    db: AsyncSession, *, subject: Subject, level: str, parent_level: str, parent_id: int, period: Period
) -> dict[str, Any]:
    await units.unit_in_scope(db, subject, parent_level, parent_id)
    street = await units.street_of(db, parent_level, parent_id)
    scheme = await schemes.in_force(db, street_id=street, month=period.start)
    rows = await rows_of(db, level=level, parent_level=parent_level, parent_id=parent_id, period=period)
    return {"period": period_out(period), "scheme": scheme.ref(), "rows": rows}


async def led_grids(db: AsyncSession, user_id: int) -> list[tuple[int, str, int]]:
    """The grids a leader leads now: (id, name, community id)."""
    rows = await db.execute(
        select(Grid.id, Grid.name, Grid.community_id)
        .join(GridLeadership, and_(GridLeadership.grid_id == Grid.id, GridLeadership.ended_at.is_(None)))
        .where(GridLeadership.user_id == user_id)
        .order_by(Grid.name)
    )
    return [(r[0], r[1], r[2]) for r in rows]


async def my_month(db: AsyncSession, *, subject: Subject, period: Period) -> dict[str, Any]:
    """A grid leader's own figures, their grids', and their rank among the leaders of their community."""
    grids = await led_grids(db, subject.user_id)
    community_id = grids[0][2] if grids else subject.community_id
    leaders: list[int] = [subject.user_id]
    if community_id is not None:
        leaders = list(
            (
                await db.execute(
                    select(User.id)
                    .join(Grid, Grid.id == User.grid_id)
                    .where(Grid.community_id == community_id, User.role == Role.grid_leader, User.is_active.is_(True))
                )
            ).scalars()
        )
        if subject.user_id not in leaders:
            leaders.append(subject.user_id)
    every = await scored(db, level="leader", ids=leaders, period=period)
    names = await units.names(db, "leader", leaders)
    ranked = rank(
        [
            {"unit": {"level": "leader", "id": i, "name": names.get(i, "")}, "figures": s.figures, "score": s.score}
            for i, s in every.items()
        ]
    )
    mine = next(r for r in ranked if r["unit"]["id"] == subject.user_id)
    return {
        "period": period_out(period),
        "leader": every[subject.user_id].figures,
        "grids": [await figures_of(db, level="grid", id=g, name=n, period=period) for g, n, _c in grids],
        "rank": {"rank": mine["rank"], "of": len(ranked)},
    }


def month_of(day: date) -> Period:
    return periods.period_of("month", day)
