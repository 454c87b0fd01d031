"""Emergency figures of a unit (docs/assessment.md, "Field work, hazards and emergencies"): the first report 首报
on time, follow-ups 续报/终报 on time, and musters within target, from incidents and their activations. An area's
are its incidents'; a leader's are the incidents they raised (first report), the reports they wrote (follow-ups)
and their own arrivals; a department has none (incidents are not a department's)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.assessment.field_common import AREA_LEVELS
from wangge.assessment.figures_common import rate
from wangge.emergencies.models import Activation, ActivationMember, Incident, IncidentReport
from wangge.models_common import as_utc, utcnow


def _tally(rows: Any) -> dict[int, tuple[int, int]]:
    return {u: (int(num or 0), int(den or 0)) for u, num, den in rows}


async def _first_reports(
    db: AsyncSession, level: str, ids: Sequence[int], start: datetime, end: datetime, now: datetime
) -> dict[int, tuple[int, int]]:
    """Incidents known in the period whose first report is in, or overdue: on time when it came by its due time."""
    unit = Incident.raised_by_id if level == "leader" else getattr(Incident, f"{level}_id")
    first = and_(IncidentReport.incident_id == Incident.id, IncidentReport.kind == "first")
    stmt = (
        select(
            unit,
            func.sum(case((and_(IncidentReport.id.is_not(None), IncidentReport.late_seconds == 0), 1), else_=0)),
            func.count(Incident.id),
        )
        .outerjoin(IncidentReport, first)
        .where(
            unit.in_(ids),
            Incident.known_at >= start,
            Incident.known_at < end,
            or_(IncidentReport.id.is_not(None), Incident.first_report_due_at < now),
        )
        .group_by(unit)
    )
    return _tally((await db.execute(stmt)).all())


async def _follow_ups(
    db: AsyncSession, level: str, ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, tuple[int, int]]:
    """Follow-up and final reports made in the period: on time when made by their due time."""
    unit = IncidentReport.author_id if level == "leader" else getattr(Incident, f"{level}_id")
    stmt = (
        select(unit, func.sum(case((IncidentReport.late_seconds == 0, 1), else_=0)), func.count(IncidentReport.id))
        .join(Incident, Incident.id == IncidentReport.incident_id)
        .where(
            unit.in_(ids),
            IncidentReport.kind.in_(("followup", "final")),
            IncidentReport.reported_at >= start,
            IncidentReport.reported_at < end,
        )
        .group_by(unit)
    )
    return _tally((await db.execute(stmt)).all())


async def _musters(
    db: AsyncSession, level: str, ids: Sequence[int], start: datetime, end: datetime, now: datetime
) -> dict[int, tuple[int, int]]:
    """Activations called in the period: mustered within target when every member called arrived within
    `target_minutes` of the call. Undecided (not counted) while someone is missing and the target has not passed.
    For a leader, each call they were in: their own arrival within target."""
    if level == "leader":
        unit = ActivationMember.user_id
        stmt = (
            select(
                unit,
                Activation.activated_at,
                Activation.target_minutes,
                func.count(ActivationMember.id),
                func.count(ActivationMember.arrived_at),
                func.max(ActivationMember.arrived_at),
            )
            .join(Activation, Activation.id == ActivationMember.activation_id)
            .where(unit.in_(ids), Activation.activated_at >= start, Activation.activated_at < end)
            .group_by(unit, Activation.id, Activation.activated_at, Activation.target_minutes)
        )
    else:
        unit = getattr(Incident, f"{level}_id")
        stmt = (
            select(
                unit,
                Activation.activated_at,
                Activation.target_minutes,
                func.count(ActivationMember.id),
                func.count(ActivationMember.arrived_at),
                func.max(ActivationMember.arrived_at),
            )
            .join(Incident, Incident.id == Activation.incident_id)
            .join(ActivationMember, ActivationMember.activation_id == Activation.id)
            .where(unit.in_(ids), Activation.activated_at >= start, Activation.activated_at < end)
            .group_by(unit, Activation.id, Activation.activated_at, Activation.target_minutes)
        )
    out: dict[int, tuple[int, int]] = {}
    for u, called, target, members, arrived, last in (await db.execute(stmt)).all():
        limit = as_utc(called) + timedelta(minutes=target)
        if arrived == members:
            within = as_utc(last) <= limit
        elif now > limit:
            within = False
        else:
            continue
        num, den = out.get(u, (0, 0))
        out[u] = (num + within, den + 1)
    return out


async def figures(
    db: AsyncSession, *, level: str, unit_ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, dict[str, Any]]:
    ids = list(dict.fromkeys(unit_ids))
    if level not in (*AREA_LEVELS, "leader") or not ids:
        return {i: {} for i in ids}
    now = utcnow()
    first = await _first_reports(db, level, ids, start, end, now)
    follow = await _follow_ups(db, level, ids, start, end)
    muster = await _musters(db, level, ids, start, end, now)
    return {
        i: {
            "first_report_on_time": rate(*first.get(i, (0, 0))),
            "follow_ups_on_time": rate(*follow.get(i, (0, 0))),
            "muster_on_time": rate(*muster.get(i, (0, 0))),
        }
        for i in ids
    }
