"""The leaders' logs read from above 有人督查: the station chief reads the daily logs and weekly summaries of the
grid leaders of their community (a street officer those of their street, an administrator those of their area),
signed or not, and leaves remarks 督查意见 the leader reads on their own day and week.

A leader outside the caller's scope does not exist for them (404): every query names the grids the caller may read.
Reading a day that was never opened computes it as the leader's own 我的一天 would, and writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import messages
from wangge.accounts.dependencies import SUBJECT_COLUMNS
from wangge.accounts.models import Role, User
from wangge.accounts.scope import Subject
from wangge.errors import Invalid, NotFound
from wangge.fieldwork import daylog, patrols
from wangge.fieldwork.models import DailyLog, LogRemark, Patrol, PatrolFinding
from wangge.hierarchy.models import Grid
from wangge.matters.models import MatterEvent
from wangge.models_common import as_utc, utcnow
from wangge.notify.outbox import emit
from wangge.policy import readable
from wangge.workcalendar import SHANGHAI

MAX_DAYS = 31


def _leaders(subject: Subject) -> ColumnElement[bool]:
    """The grid leaders of the grids the caller may read."""
    return (User.role == Role.grid_leader.value) & User.grid_id.in_(select(Grid.id).where(readable(subject, Grid)))


async def _leader(db: AsyncSession, subject: Subject, user_id: int) -> tuple[Subject, dict[str, Any]]:
    """The leader as a subject of their own (their day is computed as theirs), and as shown; 404 outside scope."""
    row = (
        await db.execute(
            select(*SUBJECT_COLUMNS, User.display_name, Grid.code, Grid.name)
            .join(Grid, Grid.id == User.grid_id)
            .where(User.id == user_id, _leaders(subject))
        )
    ).first()
    if row is None:
        raise NotFound(f"No grid leader with id {user_id} in your scope")
    ref = {"id": row.id, "name": row.display_name, "grid": {"id": row.grid_id, "code": row.code, "name": row.name}}
    return Subject.of(row), ref


def _range(start: date, end: date | None) -> tuple[date, date]:
    today = patrols.today()
    end = min(end or start, today)
    if start > today:
        raise Invalid(
            f"{start} has not come yet",
            errors=[{"loc": ["query", "start"], "msg": "in the future", "type": "value_error"}],
        )
    if end < start:
        raise Invalid(
            "end is before start", errors=[{"loc": ["query", "end"], "msg": "before start", "type": "value_error"}]
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise Invalid(
            f"At most {MAX_DAYS} days at a time",
            errors=[{"loc": ["query", "end"], "msg": f"more than {MAX_DAYS} days", "type": "value_error"}],
        )
    return start, end


def _beijing_day(at: Any) -> date:
    return as_utc(at).astimezone(SHANGHAI).date()


async def _item_counts(db: AsyncSession, user_ids: list[int], start: date, end: date) -> dict[tuple[int, date], int]:
    """The number of items of each leader's day as 我的一天 counts them (the matters they acted on, and their
    patrols' findings that became no matter), for all the page's leaders and days in two queries."""
    start_at, end_at = patrols.day_bounds(start, (end - start).days + 1)
    matters: dict[tuple[int, date], set[int]] = defaultdict(set)
    loose: dict[tuple[int, date], int] = defaultdict(int)
    events = await db.execute(
        select(MatterEvent.actor_id, MatterEvent.matter_id, MatterEvent.at).where(
            MatterEvent.actor_id.in_(user_ids), MatterEvent.at >= start_at, MatterEvent.at < end_at
        )
    )
    for actor_id, matter_id, at in events.all():
        matters[(actor_id, _beijing_day(at))].add(matter_id)
    found = await db.execute(
        select(Patrol.user_id, PatrolFinding.matter_id, PatrolFinding.at)
        .join(Patrol, Patrol.id == PatrolFinding.patrol_id)
        .where(Patrol.user_id.in_(user_ids), PatrolFinding.at >= start_at, PatrolFinding.at < end_at)
    )
    for user_id, matter_id, at in found.all():
        key = (user_id, _beijing_day(at))
        if matter_id is None:
            loose[key] += 1
        else:
            matters[key].add(matter_id)
    return {key: len(matters.get(key, ())) + loose.get(key, 0) for key in set(matters) | set(loose)}


async def list_logs(
    db: AsyncSession,
    *,
    subject: Subject,
    start: date,
    end: date | None,
    grid_id: int | None,
    user_id: int | None,
    signed: bool | None,
    after: int | None,
    limit: int,
) -> dict[str, Any]:
    """The leaders in scope (a page at a time, by id after `after`), each with their days from start to end: signed
    or not, the number of items, the remarks. `signed` keeps the days signed (true) or not signed (false), and
    the leaders with at least one such day."""
    start, end = _range(start, end)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    signed_days = (
        select(func.count(DailyLog.id))
        .where(
            DailyLog.user_id == User.id,
            DailyLog.signed_at.is_not(None),
            DailyLog.day >= start,
            DailyLog.day <= end,
        )
        .scalar_subquery()
    )
    q = (
        select(User.id, User.display_name, Grid.id, Grid.code, Grid.name)
        .join(Grid, Grid.id == User.grid_id)
        .where(_leaders(subject), User.is_active.is_(True))
    )
    if grid_id is not None:
        q = q.where(User.grid_id == grid_id)
    if user_id is not None:
        q = q.where(User.id == user_id)
    if signed is True:
        q = q.where(signed_days > 0)
    elif signed is False:
        q = q.where(signed_days < len(days))
    if after is not None:
        q = q.where(User.id > after)
    rows = (await db.execute(q.order_by(User.id).limit(limit + 1))).all()
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [r[0] for r in rows]
    logs: dict[tuple[int, date], Any] = {}
    remarks: dict[tuple[int, date], int] = {}
    counts: dict[tuple[int, date], int] = {}
    if ids:
        found = await db.execute(
            select(DailyLog.user_id, DailyLog.day, DailyLog.signed_at, DailyLog.snapshot).where(
                DailyLog.user_id.in_(ids), DailyLog.day >= start, DailyLog.day <= end, DailyLog.signed_at.is_not(None)
            )
        )
        logs = {(u, d): (at, snap) for u, d, at, snap in found.all()}
        grouped = await db.execute(
            select(LogRemark.user_id, LogRemark.day, func.count(LogRemark.id))
            .where(LogRemark.user_id.in_(ids), LogRemark.kind == "day", LogRemark.day >= start, LogRemark.day <= end)
            .group_by(LogRemark.user_id, LogRemark.day)
        )
        remarks = {(u, d): n for u, d, n in grouped.all()}
        counts = await _item_counts(db, ids, start, end)
    items = []
    for uid, name, gid, gcode, gname in rows:
        cells = []
        for d in reversed(days):
            log = logs.get((uid, d))
            if signed is not None and (log is not None) != signed:
                continue
            n = len(log[1].get("items", [])) if log else counts.get((uid, d), 0)
            cells.append(
                {"day": d, "signed_at": log[0] if log else None, "items": n, "remarks": remarks.get((uid, d), 0)}
            )
        leader = {"id": uid, "name": name, "grid": {"id": gid, "code": gcode, "name": gname}}
        items.append({"leader": leader, "days": cells})
    return {"start": start, "end": end, "items": items, "next_after": ids[-1] if more else None}


async def leader_day(db: AsyncSession, *, subject: Subject, user_id: int, day: date) -> dict[str, Any]:
    """The leader's day as they see it on 我的一天 (signed: as signed), with the remarks on it."""
    leader, ref = await _leader(db, subject, user_id)
    daylog.check_day(day)
    view = await daylog.my_day(db, leader, day)
    return {**view, "can_sign": False, "leader": ref}


async def leader_week(db: AsyncSession, *, subject: Subject, user_id: int, start: date) -> dict[str, Any]:
    leader, ref = await _leader(db, subject, user_id)
    return {**await daylog.week(db, leader, start), "leader": ref}


async def add_remark(
    db: AsyncSession, *, subject: Subject, user_id: int, kind: str, day: date, text: str
) -> dict[str, Any]:
    """A remark on the leader's day (or the week starting on that Monday); the leader reads it on their own."""
    leader, _ = await _leader(db, subject, user_id)
    if kind == "week":
        daylog.check_monday(day, ("path", "start"))
    if day > patrols.today():
        raise Invalid(
            f"{day} has not come yet", errors=[{"loc": ["path", "day"], "msg": "in the future", "type": "value_error"}]
        )
    remark = LogRemark(
        user_id=leader.user_id,
        grid_id=leader.grid_id,
        kind=kind,
        day=day,
        text=text,
        author_id=subject.user_id,
        created_at=utcnow(),
    )
    db.add(remark)
    await db.flush()
    what = "本周" if kind == "week" else day.isoformat()
    emit(
        db,
        "log.remarked",
        {"remark_id": remark.id, "user_id": leader.user_id, "kind": kind, "day": day.isoformat()},
        recipients=[leader.user_id],
        exclude=subject.user_id,
        title=messages.notice("log-remark", what=what),
        body=text[:60],
    )
    await db.commit()
    name = (await db.execute(select(User.display_name).where(User.id == subject.user_id))).scalar_one()
    return daylog.remark_out(remark, name)


async def mark_read(db: AsyncSession, *, subject: Subject, remark_id: int) -> dict[str, Any]:
    """The leader marks a remark on their own log read (once; again changes nothing)."""
    row = (
        await db.execute(
            select(LogRemark, User.display_name)
            .join(User, User.id == LogRemark.author_id)
            .where(LogRemark.id == remark_id, LogRemark.user_id == subject.user_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"No remark with id {remark_id} on your log")
    remark, name = row
    if remark.read_at is None:
        remark.read_at = utcnow()
        await db.commit()
    return daylog.remark_out(remark, name)
