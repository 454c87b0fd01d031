"""Household sweeps 逐户排查: making a campaign (one task per house of its grids), ticking households, closing, and the
progress per campaign, grid and building, each one GROUP BY over the tasks.

Scope: a campaign is readable when one of its grids is a registry grid of the caller (registries/scope.py: grid staff
their grid, a leader also the grids they cover now for an A/B partner on leave; chiefs and officers their area); its
tasks and progress are those of the caller's grids only. Outside, 404. Street officers make campaigns for grids of
their street, station chiefs for grids of their community; the making unit closes it. Grid staff and station chiefs
tick; every tick is also a registry event (`swept`), by whom and when.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, case, exists, false, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import Role, User
from wangge.accounts.scope import Subject
from wangge.errors import Conflict, Forbidden, Invalid, NotFound
from wangge.hierarchy.models import Building, Grid
from wangge.models_common import as_utc, utcnow
from wangge.registries import scope as reg_scope
from wangge.registries.models import EventKind, House, RegistryEvent
from wangge.sweeps import schemas
from wangge.sweeps.models import Result, Sweep, SweepGrid, SweepTask
from wangge.workcalendar import SHANGHAI

TICKERS = frozenset({Role.grid_leader, Role.grid_member, Role.station_chief})
FINAL = (Result.normal.value, Result.abnormal.value, Result.vacant.value)
LIST_LIMIT = 200


def today() -> date:
    return utcnow().astimezone(SHANGHAI).date()


def _field(loc: str, msg: str) -> list[dict[str, Any]]:
    return [{"loc": ["body", loc], "msg": msg, "type": "value_error"}]


# --- scope -----------------------------------------------------------------------------------------------------


def readable(subject: Subject) -> ColumnElement[bool]:
    """Campaigns with at least one grid whose registry the caller may read."""
    return exists().where(SweepGrid.sweep_id == Sweep.id, reg_scope.readable(subject, SweepGrid.grid_id))


def sweepable_grids(subject: Subject) -> ColumnElement[bool]:
    """The grids `subject` may sweep: a street officer's street, a station chief's community."""
    if subject.role == Role.street_officer and subject.street_id is not None:
        return Grid.street_id == subject.street_id
    if subject.role == Role.station_chief and subject.community_id is not None:
        return Grid.community_id == subject.community_id
    return false()


def may_close(subject: Subject, s: Sweep) -> bool:
    """The making unit closes it: the street's officers (any campaign of their street), the community's chief (one
    the community made)."""
    if s.status != "open":
        return False
    if subject.role == Role.street_officer:
        return subject.street_id == s.street_id
    if subject.role == Role.station_chief:
        return s.community_id is not None and subject.community_id == s.community_id
    return False


async def get_visible(db: AsyncSession, *, subject: Subject, sweep_id: int) -> Sweep:
    s = (await db.execute(select(Sweep).where(Sweep.id == sweep_id, readable(subject)))).scalar()
    if s is None:
        raise NotFound(f"No sweep with id {sweep_id} in your scope")
    return s


# --- making and closing ----------------------------------------------------------------------------------------


async def grids_to_sweep(db: AsyncSession, *, subject: Subject) -> list[dict[str, Any]]:
    houses = (
        select(House.grid_id, func.count().label("n"))
        .where(House.is_active.is_(True))
        .group_by(House.grid_id)
        .subquery()
    )
    rows = await db.execute(
        select(Grid, func.coalesce(houses.c.n, 0))
        .outerjoin(houses, houses.c.grid_id == Grid.id)
        .where(sweepable_grids(subject), Grid.is_active.is_(True))
        .order_by(Grid.code)
    )
    return [
        {"id": g.id, "code": g.code, "name": g.name, "community_id": g.community_id, "houses": n} for g, n in rows.all()
    ]


async def create(db: AsyncSession, *, subject: Subject, data: schemas.SweepIn) -> Sweep:
    """The campaign and a task for every active house of its grids (vacant ones too: 不漏户), in one INSERT … SELECT."""
    if data.due_on < data.start_on:
        raise Invalid(
            "The due date is before the start", code="sweep-dates", errors=_field("due_on", "before start_on")
        )
    if data.due_on < today():
        raise Invalid("The due date is past", code="sweep-dates", errors=_field("due_on", "in the past"))
    wanted = sorted(set(data.grid_ids))
    grids = list(
        (
            await db.execute(
                select(Grid).where(Grid.id.in_(wanted), Grid.is_active.is_(True), sweepable_grids(subject))
            )
        ).scalars()
    )
    missing = sorted(set(wanted) - {g.id for g in grids})
    if missing:
        raise Invalid(
            f"No grid with id {missing[0]} that you may sweep", errors=_field("grid_ids", f"no such grid: {missing}")
        )
    s = Sweep(
        title=data.title, purpose=data.purpose.value, note=data.note, start_on=data.start_on, due_on=data.due_on,
        district_id=grids[0].district_id, street_id=grids[0].street_id,
        community_id=subject.community_id if subject.role == Role.station_chief else None,
        created_by_id=subject.user_id, created_at=utcnow(), status="open",
    )  # fmt: skip
    db.add(s)
    await db.flush()
    db.add_all(SweepGrid(sweep_id=s.id, grid_id=g) for g in wanted)
    houses = select(literal(s.id, Integer), House.id, House.grid_id, House.building_id, literal(0, Integer)).where(
        House.grid_id.in_(wanted), House.is_active.is_(True)
    )
    await db.execute(
        SweepTask.__table__.insert().from_select(["sweep_id", "house_id", "grid_id", "building_id", "ticks"], houses)
    )
    await db.flush()
    return s


async def close(db: AsyncSession, *, subject: Subject, sweep_id: int) -> Sweep:
    s = await get_visible(db, subject=subject, sweep_id=sweep_id)
    if s.status == "closed":
        raise Conflict("This sweep is closed", code="sweep-closed")
    if not may_close(subject, s):
        raise Forbidden("A sweep is closed by the unit that made it")
    s.status, s.closed_at, s.closed_by_id = "closed", utcnow(), subject.user_id
    await db.flush()
    return s


# --- ticking ---------------------------------------------------------------------------------------------------


async def tick(db: AsyncSession, *, subject: Subject, sweep_id: int, task_id: int, data: schemas.TickIn) -> SweepTask:
    """A household ticked with a result. The task keeps the latest tick by the phone's time (a tick made earlier that
    arrives later does not overwrite it); each tick, whatever its order, is a registry event."""
    s = await get_visible(db, subject=subject, sweep_id=sweep_id)
    task = (
        await db.execute(
            select(SweepTask)
            .where(SweepTask.id == task_id, SweepTask.sweep_id == s.id, reg_scope.readable(subject, SweepTask.grid_id))
            .with_for_update()
        )
    ).scalar()
    if task is None:
        raise NotFound(f"No household task with id {task_id} in this sweep in your scope")
    if subject.role not in TICKERS:
        raise Forbidden(f"Your role ({subject.role}) may read the sweep but not tick households")
    if s.status != "open":
        raise Conflict("This sweep is closed: it takes no more ticks", code="sweep-closed")
    if s.start_on > today():
        raise Conflict(f"This sweep starts on {s.start_on.isoformat()}", code="sweep-not-started")
    note = (data.note or "").strip() or None
    if data.result == Result.abnormal and not note:
        raise Invalid("Say what is abnormal", code="sweep-note-required", errors=_field("note", "required"))
    now = utcnow()
    at = min(as_utc(data.ticked_at), now) if data.ticked_at else now
    if task.ticked_at is None or at >= as_utc(task.ticked_at):
        task.result, task.note, task.ticked_at, task.ticked_by_id = data.result.value, note, at, subject.user_id
    task.ticks = (task.ticks or 0) + 1
    db.add(
        RegistryEvent(
            grid_id=task.grid_id, kind=EventKind.swept.value, house_id=task.house_id,
            effective_on=at.astimezone(SHANGHAI).date(), recorded_by_id=subject.user_id, recorded_at=now,
            detail={"sweep_id": s.id, "task_id": task.id, "title": s.title, "result": data.result.value, "note": note},
        )
    )  # fmt: skip
    await db.flush()
    return task


# --- progress: one GROUP BY each -------------------------------------------------------------------------------


def _counts() -> tuple[Any, ...]:
    def n(condition: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    return (
        func.count(SweepTask.id).label("total"),
        n(SweepTask.result.in_(FINAL)).label("done"),
        n(SweepTask.result == Result.abnormal.value).label("abnormal"),
        n(SweepTask.result == Result.absent.value).label("revisit"),
        n(SweepTask.result.is_(None)).label("not_yet"),
    )


def _progress(row: Any) -> dict[str, int]:
    out = {k: int(getattr(row, k) or 0) for k in ("total", "done", "abnormal", "revisit", "not_yet")}
    out["missed"] = out["revisit"] + out["not_yet"]
    return out


EMPTY = {"total": 0, "done": 0, "abnormal": 0, "revisit": 0, "not_yet": 0, "missed": 0}


async def progress_by_sweep(db: AsyncSession, *, subject: Subject, sweep_ids: list[int]) -> dict[int, dict[str, int]]:
    if not sweep_ids:
        return {}
    rows = await db.execute(
        select(SweepTask.sweep_id, *_counts())
        .where(SweepTask.sweep_id.in_(sweep_ids), reg_scope.readable(subject, SweepTask.grid_id))
        .group_by(SweepTask.sweep_id)
    )
    return {r.sweep_id: _progress(r) for r in rows.all()}


async def progress_by_grid(db: AsyncSession, *, subject: Subject, sweep: Sweep) -> list[dict[str, Any]]:
    """Every grid of the campaign in the caller's scope (a grid with no houses shows 0 of 0)."""
    counts = (
        select(SweepTask.grid_id, *_counts())
        .where(SweepTask.sweep_id == sweep.id)
        .group_by(SweepTask.grid_id)
        .subquery()
    )
    rows = await db.execute(
        select(Grid.id, Grid.name, counts)
        .join(SweepGrid, SweepGrid.grid_id == Grid.id)
        .outerjoin(counts, counts.c.grid_id == Grid.id)
        .where(SweepGrid.sweep_id == sweep.id, reg_scope.readable(subject, Grid.id))
        .order_by(Grid.code, Grid.id)
    )
    return [{"grid_id": r.id, "grid_name": r.name, **_progress(r)} for r in rows.all()]


async def progress_by_building(db: AsyncSession, *, subject: Subject, sweep: Sweep) -> list[dict[str, Any]]:
    rows = await db.execute(
        select(SweepTask.grid_id, SweepTask.building_id, Building.name, *_counts())
        .join(Building, Building.id == SweepTask.building_id)
        .where(SweepTask.sweep_id == sweep.id, reg_scope.readable(subject, SweepTask.grid_id))
        .group_by(SweepTask.grid_id, SweepTask.building_id, Building.name)
        .order_by(SweepTask.grid_id, Building.name, SweepTask.building_id)
    )
    return [
        {"grid_id": r.grid_id, "building_id": r.building_id, "building_name": r.name, **_progress(r)}
        for r in rows.all()
    ]


# --- reading ---------------------------------------------------------------------------------------------------


async def list_sweeps(db: AsyncSession, *, subject: Subject, status: str | None) -> list[Sweep]:
    q = select(Sweep).where(readable(subject))
    if status:
        q = q.where(Sweep.status == status)
    q = q.order_by(Sweep.created_at.desc(), Sweep.id.desc()).limit(LIST_LIMIT)
    return list((await db.execute(q)).scalars())


async def sweeps_out(db: AsyncSession, *, subject: Subject, rows: list[Sweep]) -> list[dict[str, Any]]:
    ids = [s.id for s in rows]
    grids: dict[int, list[tuple[int, str]]] = {i: [] for i in ids}
    if ids:
        found = await db.execute(
            select(SweepGrid.sweep_id, Grid.id, Grid.name)
            .join(Grid, Grid.id == SweepGrid.grid_id)
            .where(SweepGrid.sweep_id.in_(ids), reg_scope.readable(subject, Grid.id))
            .order_by(Grid.code, Grid.id)
        )
        for sid, gid, name in found.all():
            grids[sid].append((gid, name))
    makers = {s.created_by_id for s in rows}
    names = (
        dict((await db.execute(select(User.id, User.display_name).where(User.id.in_(makers)))).all()) if rows else {}
    )
    progress = await progress_by_sweep(db, subject=subject, sweep_ids=ids)
    day = today()
    return [
        {
            "id": s.id,
            "title": s.title,
            "purpose": s.purpose,
            "note": s.note,
            "start_on": s.start_on,
            "due_on": s.due_on,
            "street_id": s.street_id,
            "community_id": s.community_id,
            "created_by_id": s.created_by_id,
            "created_by_name": names.get(s.created_by_id, ""),
            "created_at": s.created_at,
            "status": s.status,
            "closed_at": s.closed_at,
            "overdue": s.status == "open" and s.due_on < day,
            "grid_ids": [g for g, _ in grids[s.id]],
            "grid_names": [n for _, n in grids[s.id]],
            "progress": progress.get(s.id, EMPTY),
            "may_close": may_close(subject, s),
            "may_tick": s.status == "open" and s.start_on <= day and subject.role in TICKERS,
        }  # fmt: skip
        for s in rows
    ]


async def sweep_detail(db: AsyncSession, *, subject: Subject, sweep: Sweep) -> dict[str, Any]:
    out = (await sweeps_out(db, subject=subject, rows=[sweep]))[0]
    out["grids"] = await progress_by_grid(db, subject=subject, sweep=sweep)
    out["buildings"] = await progress_by_building(db, subject=subject, sweep=sweep)
    return out


def _tasks_query(subject: Subject, sweep: Sweep) -> Select[Any]:
    ticker = User.display_name.label("ticked_by_name")
    return (
        select(SweepTask, House, Building.name.label("building_name"), ticker)
        .join(House, House.id == SweepTask.house_id)
        .join(Building, Building.id == SweepTask.building_id)
        .outerjoin(User, User.id == SweepTask.ticked_by_id)
        .where(SweepTask.sweep_id == sweep.id, reg_scope.readable(subject, SweepTask.grid_id))
    )


STATES: dict[str, Any] = {
    "missed": lambda: SweepTask.result.is_(None) | (SweepTask.result == Result.absent.value),
    "done": lambda: SweepTask.result.in_(FINAL),
    "abnormal": lambda: SweepTask.result == Result.abnormal.value,
}


async def list_tasks(
    db: AsyncSession,
    *,
    subject: Subject,
    sweep: Sweep,
    grid_id: int | None = None,
    building_id: int | None = None,
    state: str = "all",
    limit: int = 1000,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """The campaign's households in the caller's scope, by grid, building, unit, floor and room."""
    q = _tasks_query(subject, sweep)
    if grid_id is not None:
        q = q.where(SweepTask.grid_id == grid_id)
    if building_id is not None:
        q = q.where(SweepTask.building_id == building_id)
    if state in STATES:
        q = q.where(STATES[state]())
    total = await db.scalar(select(func.count()).select_from(q.order_by(None).subquery()))
    rows = await db.execute(
        q.order_by(SweepTask.grid_id, Building.name, House.unit, House.floor, House.room, SweepTask.id)
        .limit(limit)
        .offset(offset)
    )
    return [task_row(*r) for r in rows.all()], int(total or 0)


async def task_out(db: AsyncSession, *, subject: Subject, sweep_id: int, task_id: int) -> dict[str, Any]:
    sweep = await get_visible(db, subject=subject, sweep_id=sweep_id)
    row = (await db.execute(_tasks_query(subject, sweep).where(SweepTask.id == task_id))).one()
    return task_row(*row)


def task_row(t: SweepTask, h: House, building_name: str, ticked_by_name: str | None) -> dict[str, Any]:
    return {
        "id": t.id, "sweep_id": t.sweep_id, "house_id": t.house_id, "label": h.label, "grid_id": t.grid_id,
        "building_id": t.building_id, "building_name": building_name, "unit": h.unit, "floor": h.floor,
        "room": h.room, "use": h.use, "result": t.result, "note": t.note, "ticked_at": t.ticked_at,
        "ticked_by_name": ticked_by_name, "ticks": t.ticks or 0,
    }  # fmt: skip


def local_time(at: datetime | None) -> str:
    return as_utc(at).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if at else ""
