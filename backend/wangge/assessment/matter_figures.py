"""The figures of matters 事项 for many units at once: one GROUP BY over the matters created in the period (and one
read of the resolved ones' two instants for the working hours). Definitions in docs/assessment.md.

A matter counts in the period it was CREATED in, whatever happens to it later; duplicates merged into another
matter (outcome "merged") and matters withdrawn — closed by the station chief with an explanation without being
handled (outcome "closed") — are received but left out of every denominator."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.assessment.figures_common import WorkingClock, duration, rate
from wangge.matters.models import OPEN_STATUSES, Handoff, Matter
from wangge.matters.service import work_calendar
from wangge.models_common import utcnow

# The matters' column each level's figures are grouped by (a leader's: the matters they took first, 首问责任).
UNIT_COLUMN: dict[str, Any] = {
    "grid": Matter.grid_id,
    "community": Matter.community_id,
    "street": Matter.street_id,
    "district": Matter.district_id,
    "department": Matter.holder_department_id,
    "leader": Matter.owner_id,
}
EXCLUDED_OUTCOMES = ("merged", "closed")  # duplicates, withdrawn
SATISFIED = ("satisfied", "basically_satisfied")
SHARE_LEVELS = ("grid", "station", "street", "department")
KEYS = (
    "received",
    "resolved",
    "response_rate",
    "on_time_rate",
    "resolution_rate",
    "satisfaction_rate",
    "rated_online",
    "rated_callback",
    "reopen_rate",
    "overdue",
    "resolve_hours",
    "level_share",
)


def conditions(now: datetime) -> dict[str, Any]:
    m = Matter
    counted = or_(m.outcome.is_(None), m.outcome.not_in(EXCLUDED_OUTCOMES))
    resolved = and_(counted, m.status.in_(("resolved", "closed")), m.outcome.in_(("done", "refused")))
    late_resolved = and_(resolved, m.resolved_due_at.is_not(None), m.resolved_at > m.resolved_due_at)
    late_open = and_(counted, m.status.in_(OPEN_STATUSES), m.due_at.is_not(None), m.due_at < now)
    signed_in_time = and_(
        m.responded_at.is_not(None), or_(m.respond_due_at.is_(None), m.responded_at <= m.respond_due_at)
    )
    contacted_in_time = or_(
        m.contact_due_at.is_(None), and_(m.first_contact_at.is_not(None), m.first_contact_at <= m.contact_due_at)
    )
    signed_late = or_(
        and_(m.responded_at.is_(None), m.respond_due_at.is_not(None), m.respond_due_at < now),
        and_(m.responded_at.is_not(None), m.respond_due_at.is_not(None), m.responded_at > m.respond_due_at),
    )
    contacted_late = and_(
        m.contact_due_at.is_not(None),
        or_(
            and_(m.first_contact_at.is_(None), m.contact_due_at < now),
            and_(m.first_contact_at.is_not(None), m.first_contact_at > m.contact_due_at),
        ),
    )
    responded = and_(counted, signed_in_time, contacted_in_time)
    return {
        "counted": counted,
        "resolved": resolved,
        "on_time": and_(resolved, not_(late_resolved)),
        "overdue": or_(late_resolved, late_open),
        "responded": responded,
        "response_missed": and_(counted, not_(responded), or_(signed_late, contacted_late)),
        "rated": and_(counted, m.rating.is_not(None)),
        "satisfied": and_(counted, m.rating.in_(SATISFIED)),
        "rated_callback": and_(counted, m.rating.is_not(None), m.rating_source == "callback"),
        "rated_online": and_(
            counted, m.rating.is_not(None), or_(m.rating_source.is_(None), m.rating_source != "callback")
        ),
        "reopened": and_(counted, m.reopen_count > 0),
        "ever_resolved": or_(resolved, and_(counted, m.reopen_count > 0)),
        **{f"share_{level}": and_(resolved, m.holder_level == level) for level in SHARE_LEVELS},
    }


def tally_statement(column: Any, in_period: Any, cond: dict[str, Any]) -> Any:
    """The one GROUP BY: per unit, how many matters were received and how many meet each condition (the
    benchmark prints its plan: bench/assessment_dashboard.py)."""
    return (
        select(column, func.count(), *(_count(c).label(n) for n, c in cond.items())).where(in_period).group_by(column)
    )


def _count(cond: Any) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


async def figures(
    db: AsyncSession, *, level: str, unit_ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, dict[str, Any]]:
    """Every matter figure of each unit over the matters created in [start, end)."""
    ids = list(dict.fromkeys(unit_ids))
    column = UNIT_COLUMN.get(level)
    if column is None or not ids:
        return {i: {} for i in ids}
    cond = conditions(utcnow())
    names = list(cond)
    in_period = and_(column.in_(ids), Matter.created_at >= start, Matter.created_at < end)
    rows = await db.execute(tally_statement(column, in_period, cond))
    tallies: dict[int, dict[str, int]] = {}
    for row in rows:
        tallies[row[0]] = {"received": int(row[1]), **{n: int(v) for n, v in zip(names, row[2:], strict=True)}}
    hours = await _resolve_hours(db, column, in_period, cond["resolved"])
    out = {i: _shape(tallies.get(i), hours.get(i, [])) for i in ids}
    if level == "department":
        for i, response in (await _department_response(db, ids, start, end, cond["counted"])).items():
            out[i]["response_rate"] = response
    return out


async def _department_response(
    db: AsyncSession, ids: list[int], start: datetime, end: datetime, counted: Any
) -> dict[int, dict[str, Any]]:
    """A department's response is to the work orders 工作单 handed to it: signed for (or returned with a reason)
    by the handoff's sign-for deadline; decided once answered or past that deadline."""
    now = utcnow()
    h = Handoff
    answered = func.coalesce(h.signed_at, h.returned_at)
    in_time = and_(answered.is_not(None), or_(h.sign_due_at.is_(None), answered <= h.sign_due_at))
    missed = and_(
        h.sign_due_at.is_not(None),
        or_(and_(answered.is_(None), h.sign_due_at < now), and_(answered.is_not(None), answered > h.sign_due_at)),
    )
    rows = await db.execute(
        select(h.to_department_id, _count(in_time), _count(missed))
        .join(Matter, Matter.id == h.matter_id)
        .where(h.to_department_id.in_(ids), Matter.created_at >= start, Matter.created_at < end, counted)
        .group_by(h.to_department_id)
    )
    found = {r[0]: rate(int(r[1]), int(r[1]) + int(r[2])) for r in rows}
    return {i: found.get(i, rate(0, 0)) for i in ids}


async def _resolve_hours(db: AsyncSession, column: Any, in_period: Any, resolved: Any) -> dict[int, list[float]]:
    """Working hours from each resolved matter's arrival to its resolution, by unit."""
    rows = (await db.execute(select(column, Matter.created_at, Matter.resolved_at).where(in_period, resolved))).all()
    if not rows:
        return {}
    clock = WorkingClock(await work_calendar(db))
    out: dict[int, list[float]] = defaultdict(list)
    for unit, created, done in rows:
        out[unit].append(clock.between(created, done) / 60)
    return out


def _shape(t: dict[str, int] | None, hours: list[float]) -> dict[str, Any]:
    t = t or defaultdict(int)
    decided_response = t["responded"] + t["response_missed"]
    return {
        "received": t["received"],
        "resolved": t["resolved"],
        "response_rate": rate(t["responded"], decided_response),
        "on_time_rate": rate(t["on_time"], t["on_time"] + t["overdue"]),
        "resolution_rate": rate(t["resolved"], t["counted"]),
        "satisfaction_rate": rate(t["satisfied"], t["rated"]),
        "rated_online": t["rated_online"],
        "rated_callback": t["rated_callback"],
        "reopen_rate": rate(t["reopened"], t["ever_resolved"]),
        "overdue": t["overdue"],
        "resolve_hours": duration(hours),
        "level_share": {level: t[f"share_{level}"] for level in SHARE_LEVELS},
    }


TREND_CONDITIONS = ("counted", "resolved", "responded", "response_missed", "rated", "satisfied")


async def trend(
    db: AsyncSession, *, level: str, unit_id: int, bounds: Sequence[tuple[datetime, datetime]]
) -> list[dict[str, Any]]:
    """received, resolved and the 三率 of one unit in each of consecutive periods (`bounds`, oldest first), with
    one GROUP BY over the periods' buckets: the dashboard's trend."""
    column = UNIT_COLUMN[level]
    cond = conditions(utcnow())
    bucket = case(*((Matter.created_at < end, i) for i, (_start, end) in enumerate(bounds)), else_=len(bounds))
    flags = select(bucket.label("bucket"), *(case((cond[n], 1), else_=0).label(n) for n in TREND_CONDITIONS)).where(
        column == unit_id, Matter.created_at >= bounds[0][0], Matter.created_at < bounds[-1][1]
    )
    inner = flags.subquery()
    rows = await db.execute(
        select(inner.c.bucket, func.count(), *(func.sum(inner.c[n]) for n in TREND_CONDITIONS)).group_by(inner.c.bucket)
    )
    tallies: dict[int, dict[str, int]] = {}
    for row in rows:
        tallies[row[0]] = {
            "received": int(row[1]),
            **{n: int(v or 0) for n, v in zip(TREND_CONDITIONS, row[2:], strict=True)},
        }
    out = []
    for i in range(len(bounds)):
        t = tallies.get(i) or defaultdict(int)
        out.append(
            {
                "received": t["received"],
                "resolved": t["resolved"],
                "response_rate": rate(t["responded"], t["responded"] + t["response_missed"]),
                "resolution_rate": rate(t["resolved"], t["counted"]),
                "satisfaction_rate": rate(t["satisfied"], t["rated"]),
            }
        )
    return out
