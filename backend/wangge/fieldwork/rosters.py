"""Leave and shifts 错时工作制: a grid leader asks for leave and the station chief approves it (the A/B partner
covers, people.on_duty_for), and the staggered shifts with the week's roster."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import Role, User
from wangge.accounts.scope import Subject, within_area
from wangge.errors import Conflict, Forbidden, Invalid, NotFound
from wangge.fieldwork.models import (
    GridLeadership,
    Leave,
    Shift,
)
from wangge.fieldwork.people import (
    _field,
    _grid_ref,
    _leads_at,
    _local,
    _names,
    _ref,
    _require_reader,
    on_duty_for,
    partner_grid_id,
)
from wangge.hierarchy import service as hierarchy_service
from wangge.hierarchy.models import Grid
from wangge.models_common import as_utc, utcnow
from wangge.policy import readable
from wangge.workcalendar import SHANGHAI


async def leave_out(db: AsyncSession, leave: Leave) -> dict[str, Any]:
    grid = await db.get(Grid, leave.grid_id)
    partner_id = await partner_grid_id(db, leave.grid_id)
    partner = await db.get(Grid, partner_id) if partner_id else None
    names = await _names(db, {leave.user_id, leave.decided_by_id})
    return {
        "id": leave.id,
        "user": _ref(names, leave.user_id),
        "grid": await _grid_ref(db, grid),
        "start_at": leave.start_at,
        "end_at": leave.end_at,
        "reason": leave.reason,
        "status": leave.status,
        "decided_by": _ref(names, leave.decided_by_id),
        "decided_at": leave.decided_at,
        "decision_note": leave.decision_note,
        "both_away": leave.both_away,
        "no_partner": partner is None,
        "partner": await _grid_ref(db, partner, with_leader=True) if partner else None,
        "created_at": leave.created_at,
    }


async def request_leave(db: AsyncSession, *, subject: Subject, data: Any) -> Leave:
    if subject.role != Role.grid_leader or subject.grid_id is None:
        raise Forbidden("Only a grid leader asks for leave from their grid")
    start, end = as_utc(data.start_at), as_utc(data.end_at)
    if end <= start:
        raise Invalid("The leave must end after it starts", errors=_field("end_at", "not after start_at"))
    clash = (
        await db.execute(
            select(Leave.id).where(
                Leave.user_id == subject.user_id,
                Leave.status.in_(("requested", "approved")),
                Leave.start_at < end,
                Leave.end_at > start,
            )
        )
    ).first()
    if clash is not None:
        raise Conflict(f"You already have leave {clash[0]} in that period")
    leave = Leave(
        user_id=subject.user_id, grid_id=subject.grid_id, start_at=start, end_at=end, reason=data.reason or ""
    )
    db.add(leave)
    await db.commit()
    return leave


async def list_leaves(db: AsyncSession, *, subject: Subject, status: str | None = None) -> list[Leave]:
    conditions = [readable(subject, Leave)]
    if status:
        conditions.append(Leave.status == status)
    return list((await db.execute(select(Leave).where(*conditions).order_by(Leave.start_at.desc()))).scalars())


async def _visible_leave(db: AsyncSession, subject: Subject, leave_id: int) -> Leave:
    leave = (await db.execute(select(Leave).where(Leave.id == leave_id, readable(subject, Leave)))).scalar()
    if leave is None:
        raise NotFound(f"No leave with id {leave_id} in your scope")
    return leave


async def _leave_to_decide(db: AsyncSession, subject: Subject, leave_id: int) -> tuple[Leave, Grid]:
    leave = await _visible_leave(db, subject, leave_id)
    grid = await db.get(Grid, leave.grid_id)
    if subject.role != Role.station_chief or subject.community_id != grid.community_id:
        raise Forbidden("Only the station chief of the community decides on leave")
    if leave.status != "requested":
        raise Conflict(f"This leave is {leave.status}; only a requested leave can be decided")
    return leave, grid


async def approve_leave(
    db: AsyncSession, *, subject: Subject, leave_id: int, note: str | None, accept_both_away: bool
) -> Leave:
    """Approve; when the A/B partner is away for part of the period, refuse (409 naming the partner and the dates)
    unless the chief accepts that both are away, which is then flagged on the leave."""
    leave, grid = await _leave_to_decide(db, subject, leave_id)
    both_away = False
    partner_id = await partner_grid_id(db, grid.id)
    if partner_id is not None:
        overlapping = list(
            (
                await db.execute(
                    select(Leave)
                    .where(
                        Leave.grid_id == partner_id,
                        Leave.status == "approved",
                        Leave.start_at < leave.end_at,
                        Leave.end_at > leave.start_at,
                    )
                    .order_by(Leave.start_at)
                )
            ).scalars()
        )
        if overlapping:
            partner_grid = await db.get(Grid, partner_id)
            names = await _names(db, {x.user_id for x in overlapping})
            periods = "; ".join(f"{_local(x.start_at)} – {_local(x.end_at)}" for x in overlapping)
            who = "、".join(sorted({names.get(x.user_id, "") for x in overlapping}))
            if not accept_both_away:
                raise Conflict(
                    f"The A/B partner {who} ({partner_grid.name}) is away {periods} (Beijing time): both would be "
                    "away. Send accept_both_away to approve anyway",
                    code="both-away",
                    partner={"grid_id": partner_id, "grid": partner_grid.name, "names": who},
                    overlapping=[
                        {"leave_id": x.id, "start_at": x.start_at.isoformat(), "end_at": x.end_at.isoformat()}
                        for x in overlapping
                    ],
                )
            both_away = True
    leave.status, leave.both_away = "approved", both_away
    leave.decided_by_id, leave.decided_at, leave.decision_note = subject.user_id, utcnow(), note
    await db.commit()
    return leave


async def refuse_leave(db: AsyncSession, *, subject: Subject, leave_id: int, note: str) -> Leave:
    leave, _ = await _leave_to_decide(db, subject, leave_id)
    leave.status = "refused"
    leave.decided_by_id, leave.decided_at, leave.decision_note = subject.user_id, utcnow(), note
    await db.commit()
    return leave


async def cancel_leave(db: AsyncSession, *, subject: Subject, leave_id: int) -> Leave:
    leave = await _visible_leave(db, subject, leave_id)
    if leave.user_id != subject.user_id:
        raise Forbidden("Only the person who asked for the leave may cancel it")
    if leave.status != "requested":
        raise Conflict(f"This leave is {leave.status}; only a requested leave can be cancelled")
    leave.status = "cancelled"
    await db.commit()
    return leave


# --- shifts --------------------------------------------------------------------------------------------------------


async def shift_out(db: AsyncSession, shifts: list[Shift]) -> list[dict[str, Any]]:
    names = await _names(db, {s.user_id for s in shifts})
    return [
        {
            "id": s.id,
            "user": _ref(names, s.user_id),
            "weekday": s.weekday,
            "start_time": s.start_time,
            "end_time": s.end_time,
            "label": s.label,
        }
        for s in shifts
    ]


async def list_shifts(db: AsyncSession, *, subject: Subject, user_id: int | None = None) -> list[Shift]:
    conditions = [readable(subject, Shift)]
    if user_id is not None:
        conditions.append(Shift.user_id == user_id)
    stmt = select(Shift).where(*conditions).order_by(Shift.user_id, Shift.weekday, Shift.start_time)
    return list((await db.execute(stmt)).scalars())


async def _shift_owner_allowed(db: AsyncSession, subject: Subject, user_id: int) -> User:
    user = await db.get(User, user_id)
    if user is None or user.role != Role.grid_leader or not user.is_active:
        raise Invalid("Shifts are for active grid leaders", errors=_field("user_id", "not a grid leader"))
    if subject.role == Role.grid_leader:
        allowed = user.id == subject.user_id
    elif subject.role == Role.station_chief:
        allowed = user.community_id == subject.community_id
    elif subject.role == Role.administrator:
        allowed = within_area(
            subject,
            "grid",
            {"district_id": user.district_id, "street_id": user.street_id, "community_id": user.community_id},
        )
    else:
        raise Forbidden(f"Your role ({subject.role}) may not set shifts")
    if not allowed:
        raise NotFound(f"No grid leader with id {user_id} in your scope")
    return user


async def add_shift(db: AsyncSession, *, subject: Subject, data: Any) -> Shift:
    user = await _shift_owner_allowed(db, subject, data.user_id or subject.user_id)
    if data.end_time <= data.start_time:
        raise Invalid("A shift must end after it starts (same day)", errors=_field("end_time", "not after start"))
    clash = (
        await db.execute(
            select(Shift).where(
                Shift.user_id == user.id,
                Shift.weekday == data.weekday,
                Shift.start_time < data.end_time,
                Shift.end_time > data.start_time,
            )
        )
    ).scalar()
    if clash is not None:
        raise Conflict(f"It overlaps the shift {clash.start_time}–{clash.end_time} on the same day", shift_id=clash.id)
    shift = Shift(
        user_id=user.id, weekday=data.weekday, start_time=data.start_time, end_time=data.end_time, label=data.label
    )
    db.add(shift)
    await db.commit()
    return shift


async def delete_shift(db: AsyncSession, *, subject: Subject, shift_id: int) -> None:
    shift = (await db.execute(select(Shift).where(Shift.id == shift_id, readable(subject, Shift)))).scalar()
    if shift is None:
        raise NotFound(f"No shift with id {shift_id} in your scope")
    if subject.role == Role.street_officer:
        raise Forbidden("Street officers read shifts; the station chief sets them")
    await db.delete(shift)
    await db.commit()


def _local_dt(day: date, hhmm: str) -> datetime:
    if hhmm == "24:00":
        return datetime.combine(day + timedelta(days=1), time(0, 0), SHANGHAI)
    h, m = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(h, m), SHANGHAI)


async def roster(db: AsyncSession, *, subject: Subject, week: date, community_id: int | None) -> dict[str, Any]:
    """Each day of the week starting `week` (a Monday): who works when (their shifts, marked when on leave), and
    who covers whom from approved leaves."""
    _require_reader(subject)
    if week.weekday() != 0:
        raise Invalid(f"{week} is not a Monday", errors=[{"loc": ["query", "week"], "msg": "not a Monday"}])
    community_id = community_id or subject.community_id
    if community_id is None:
        raise Invalid("Say which community", errors=[{"loc": ["query", "community_id"], "msg": "required"}])
    community = await hierarchy_service.get_visible(db, subject, "community", community_id)
    grids = list(
        (
            await db.execute(
                select(Grid)
                .where(Grid.community_id == community.id, Grid.is_active.is_(True), readable(subject, Grid))
                .order_by(Grid.code)
            )
        ).scalars()
    )
    grid_by_id = {g.id: g for g in grids}
    now = utcnow()
    leaders = dict(
        (
            await db.execute(
                select(GridLeadership.user_id, GridLeadership.grid_id).where(
                    GridLeadership.grid_id.in_(grid_by_id), _leads_at(GridLeadership, now)
                )
            )
        ).all()
    )
    shifts = list(
        (
            await db.execute(select(Shift).where(Shift.user_id.in_(leaders)).order_by(Shift.start_time, Shift.user_id))
        ).scalars()
    )
    week_start = datetime.combine(week, time(0, 0), SHANGHAI)
    week_end = week_start + timedelta(days=7)
    leaves = list(
        (
            await db.execute(
                select(Leave)
                .where(
                    Leave.grid_id.in_(grid_by_id),
                    Leave.status == "approved",
                    Leave.start_at < week_end,
                    Leave.end_at > week_start,
                )
                .order_by(Leave.start_at)
            )
        ).scalars()
    )
    names = await _names(db, set(leaders) | {x.user_id for x in leaves})
    refs = {g.id: await _grid_ref(db, g) for g in grids}
    days = []
    for i in range(7):
        day = week + timedelta(days=i)
        start, end = _local_dt(day, "00:00"), _local_dt(day, "24:00")
        day_shifts = []
        for s in shifts:
            if s.weekday != day.weekday():
                continue
            s_start, s_end = _local_dt(day, s.start_time), _local_dt(day, s.end_time)
            away = any(x.user_id == s.user_id and x.start_at < s_end and x.end_at > s_start for x in leaves)
            day_shifts.append(
                {
                    "user": _ref(names, s.user_id),
                    "grid": refs.get(leaders.get(s.user_id)),
                    "start_time": s.start_time,
                    "end_time": s.end_time,
                    "label": s.label,
                    "away": away,
                }
            )
        covers = []
        for x in leaves:
            if not (x.start_at < end and x.end_at > start):
                continue
            duty = await on_duty_for(db, x.grid_id, max(as_utc(x.start_at), start))
            more = await _names(db, {duty.user_id})
            covers.append(
                {
                    "grid": refs[x.grid_id],
                    "leader": _ref(names, x.user_id),
                    "leave_id": x.id,
                    "start_at": x.start_at,
                    "end_at": x.end_at,
                    "covered_by": _ref(more, duty.user_id) if duty.covering else None,
                    "reason": duty.reason,
                }
            )
        days.append({"day": day, "weekday": day.weekday(), "shifts": day_shifts, "covers": covers})
    return {"community_id": community.id, "week": week, "days": days}
