"""The monthly hazard cycle 隐患排查: inspection tasks per grid from the checklist templates, the hazard ledger 台账
with its status order (open → assigned → fixed → closed), the monthly meeting, the assignment 交办 that turns a
hazard into a matter, the bulletin 通报 and the special periods 特护期 that switch reporting to daily."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts import scope
from wangge.accounts.models import Role
from wangge.accounts.scope import Subject
from wangge.config import Settings
from wangge.errors import Conflict, Forbidden, Invalid, NotFound
from wangge.fieldwork import people
from wangge.hierarchy.models import Community, Grid, Street
from wangge.matters import intake as matters_intake
from wangge.matters import service as matters
from wangge.matters import views as matter_views
from wangge.matters.flow import Status
from wangge.matters.models import Matter, Photo
from wangge.matters.schemas import ActionIn, MatterCreate
from wangge.models_common import as_utc, utcnow
from wangge.policy import readable
from wangge.station.checklists import snapshot as checklist_snapshot
from wangge.station.models import ChecklistTemplate, Hazard, HazardCycle, InspectionTask, SpecialPeriod
from wangge.station.triage import beijing_today, in_visible_community, visible_community
from wangge.workcalendar import SHANGHAI

NEXT_STATUS = {"open": "assigned", "assigned": "fixed", "fixed": "closed"}
DONE = ("fixed", "closed")
STATUS_ZH = {"open": "待整改", "assigned": "已交办", "fixed": "已整改", "closed": "已销号"}
RISK_ZH = {"major": "重大", "high": "较大", "medium": "一般", "low": "低"}
TYPE_ZH = {
    "fire": "消防",
    "gas": "燃气",
    "electrical": "用电",
    "building": "房屋",
    "road": "道路",
    "production": "安全生产",
}
HAZARD_EDITORS = {Role.station_chief.value, Role.street_officer.value, Role.administrator.value}
HAZARD_FINDERS = HAZARD_EDITORS | {Role.grid_leader.value, Role.grid_member.value}


def _path(c: Community) -> dict[str, int | None]:
    return {"district_id": c.district_id, "street_id": c.street_id, "community_id": c.id}


def require_staff(subject: Subject) -> None:
    if subject.role == Role.resident:
        raise Forbidden("Residents may not read the hazard ledger")


def _require_manager(subject: Subject, c: Community) -> None:
    """The station chief of the community, or an administrator over it."""
    chief = subject.role == Role.station_chief and subject.community_id == c.id
    admin = subject.role == Role.administrator and scope.within_area(subject, "community", _path(c))
    if not (chief or admin):
        raise Forbidden("Only the community's station chief or an administrator over it may do this")


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The Beijing month as UTC instants [start, end)."""
    year, mon = (int(x) for x in month.split("-"))
    start = datetime(year, mon, 1, tzinfo=SHANGHAI)
    end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=SHANGHAI)
    return start, end


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=SHANGHAI)
    return start, start + timedelta(days=1)


# --- cycles and inspection ---------------------------------------------------------------------------------------


async def create_cycle(db: AsyncSession, *, subject: Subject, data: Any) -> HazardCycle:
    c = await visible_community(db, subject, data.community_id)
    _require_manager(subject, c)
    # The active checklists for every street and those of the community's own street.
    q = (
        select(ChecklistTemplate)
        .where(
            ChecklistTemplate.is_active.is_(True),
            or_(ChecklistTemplate.street_id.is_(None), ChecklistTemplate.street_id == c.street_id),
        )
        .order_by(ChecklistTemplate.id)
    )
    templates = list((await db.execute(q)).scalars())
    if data.template_codes is not None:
        wanted = list(dict.fromkeys(data.template_codes))
        by_code = {t.code: t for t in templates}
        unknown = [code for code in wanted if code not in by_code]
        if unknown or not wanted:
            raise Invalid(
                f"No active checklist template {', '.join(unknown) or '(none given)'}",
                errors=[{"loc": ["body", "template_codes"], "msg": "unknown template", "type": "value_error"}],
            )
        templates = [by_code[code] for code in wanted]
    exists = (
        await db.execute(
            select(HazardCycle.id).where(HazardCycle.community_id == c.id, HazardCycle.month == data.month)
        )
    ).scalar()
    if exists is not None:
        raise Conflict(f"The cycle of {data.month} already exists (id {exists})", cycle_id=exists)
    now = utcnow()
    cycle = HazardCycle(community_id=c.id, month=data.month, opened_at=now)
    db.add(cycle)
    try:
        await db.flush()
    except IntegrityError:
        await db.rollback()
        raise Conflict(f"The cycle of {data.month} already exists") from None
    grids = list(
        (
            await db.execute(
                select(Grid.id).where(Grid.community_id == c.id, Grid.is_active.is_(True)).order_by(Grid.id)
            )
        ).scalars()
    )
    for grid_id in grids:
        leader = await people.leader_at(db, grid_id, now)
        for t in templates:
            db.add(
                InspectionTask(
                    cycle_id=cycle.id,
                    grid_id=grid_id,
                    template_id=t.id,
                    assignee_id=leader,
                    results={},
                    checklist=checklist_snapshot(t),
                )
            )
    await db.commit()
    return cycle


async def get_cycle(db: AsyncSession, *, subject: Subject, cycle_id: int) -> HazardCycle:
    require_staff(subject)
    return await in_visible_community(db, subject, HazardCycle, cycle_id, "hazard cycle")


async def list_cycles(db: AsyncSession, *, subject: Subject, community_id: int | None) -> list[dict[str, Any]]:
    require_staff(subject)
    q = (
        select(HazardCycle, Community.name)
        .join(Community, Community.id == HazardCycle.community_id)
        .where(readable(subject, Community))
    )
    if community_id is not None:
        q = q.where(HazardCycle.community_id == community_id)
    rows = (await db.execute(q.order_by(HazardCycle.month.desc(), HazardCycle.id.desc()).limit(200))).all()
    return [_cycle_head(cy, name) for cy, name in rows]


def _cycle_head(cycle: HazardCycle, community_name: str) -> dict[str, Any]:
    return {
        "id": cycle.id,
        "community": {"id": cycle.community_id, "name": community_name},
        "month": cycle.month,
        "opened_at": cycle.opened_at,
        "meeting_at": cycle.meeting_at,
        "meeting_minutes": cycle.meeting_minutes,
        "closed_at": cycle.closed_at,
    }


async def cycle_out(db: AsyncSession, cycle: HazardCycle) -> dict[str, Any]:
    community = await db.get(Community, cycle.community_id)
    rows = (
        await db.execute(
            select(InspectionTask, Grid, ChecklistTemplate)
            .join(Grid, Grid.id == InspectionTask.grid_id)
            .join(ChecklistTemplate, ChecklistTemplate.id == InspectionTask.template_id)
            .where(InspectionTask.cycle_id == cycle.id)
            .order_by(Grid.id, ChecklistTemplate.id)
        )
    ).all()
    names = await matter_views.names_of(db, {t.assignee_id for t, _, _ in rows})
    tasks = []
    for t, g, tpl in rows:
        checklist = checklist_of(t, tpl)
        tasks.append(
            {
                "id": t.id,
                "grid": {"id": g.id, "name": g.name},
                "template": {"code": checklist["code"], "name": checklist["name_zh"], "items": checklist["items"]},
                "assignee": {"id": t.assignee_id, "name": names.get(t.assignee_id, "")} if t.assignee_id else None,
                "done": t.done_at is not None,
                "done_at": t.done_at,
                "results": t.results,
                "remarks": t.remarks or {},
            }
        )
    done = sum(1 for t in tasks if t["done"])
    return {
        **_cycle_head(cycle, community.name),
        "tasks": tasks,
        "counts": {"total": len(tasks), "done": done, "undone": len(tasks) - done},
    }


async def _check_photos(db: AsyncSession, ids: list[int]) -> None:
    if not ids:
        return
    found = set((await db.execute(select(Photo.id).where(Photo.id.in_(ids)))).scalars())
    if found != set(ids):
        raise Invalid(
            "Some photos do not exist",
            errors=[{"loc": ["body", "photo_ids"], "msg": "unknown photo", "type": "value_error"}],
        )


def _new_hazard(fields: Any, *, grid: Grid, subject: Subject, cycle_id: int | None, task_id: int | None) -> Hazard:
    return Hazard(
        cycle_id=cycle_id,
        task_id=task_id,
        community_id=grid.community_id,
        grid_id=grid.id,
        place=fields.place,
        lat=fields.lat,
        lon=fields.lon,
        hazard_type=fields.hazard_type,
        risk_level=fields.risk_level,
        description=fields.description,
        responsible_unit=fields.responsible_unit,
        deadline=fields.deadline,
        status="open",
        photo_ids=list(fields.photo_ids),
        found_at=utcnow(),
        found_by_id=subject.user_id,
    )


def checklist_of(task: InspectionTask, template: ChecklistTemplate) -> dict[str, Any]:
    """The checklist the task was issued with (the template's, for a task issued before tasks kept their own)."""
    return task.checklist or checklist_snapshot(template)


def may_submit(subject: Subject, task: InspectionTask, community_id: int) -> bool:
    """The task's assignee, the grid's leader now, or the community's station chief."""
    chief = subject.role == Role.station_chief and subject.community_id == community_id
    leader = subject.role == Role.grid_leader and subject.grid_id == task.grid_id
    return chief or leader or (task.assignee_id is not None and task.assignee_id == subject.user_id)


async def submit_results(db: AsyncSession, *, subject: Subject, task_id: int, data: Any) -> InspectionTask:
    """The assignee (or the chief) records the checklist and the hazards found; the task is done."""
    row = (
        await db.execute(
            select(InspectionTask, HazardCycle, Community)
            .join(HazardCycle, HazardCycle.id == InspectionTask.cycle_id)
            .join(Community, Community.id == HazardCycle.community_id)
            .where(InspectionTask.id == task_id, readable(subject, Community))
        )
    ).first()
    if row is None:
        raise NotFound(f"No inspection task with id {task_id} in your scope")
    task, cycle, community = row
    if not may_submit(subject, task, community.id):
        raise Forbidden("Only the task's assignee, the grid's leader or the station chief records its results")
    if task.done_at is not None:
        raise Conflict("The inspection task is already done", code="task-done")
    checklist = checklist_of(task, await db.get(ChecklistTemplate, task.template_id))
    codes = {i["code"] for i in checklist["items"]}
    for field, given in (("results", data.results), ("remarks", data.remarks)):
        unknown = sorted(set(given) - codes)
        if unknown:
            raise Invalid(
                f"Not items of the {checklist['code']} checklist: {', '.join(unknown)}",
                errors=[{"loc": ["body", field], "msg": "unknown item", "type": "value_error"}],
            )
    for h in data.hazards:
        await _check_photos(db, h.photo_ids)
    grid = await db.get(Grid, task.grid_id)
    task.results = dict(data.results)
    task.remarks = {code: text for code, text in data.remarks.items() if text}
    task.done_at = utcnow()
    for h in data.hazards:
        db.add(_new_hazard(h, grid=grid, subject=subject, cycle_id=cycle.id, task_id=task.id))
    await db.commit()
    return task


async def set_cycle_meeting(db: AsyncSession, *, subject: Subject, cycle: HazardCycle, data: Any) -> None:
    _require_manager(subject, await db.get(Community, cycle.community_id))
    cycle.meeting_at, cycle.meeting_minutes = data.held_at, data.minutes
    await db.commit()


# --- the ledger 台账 ----------------------------------------------------------------------------------------------


def in_month(month: str) -> Any:
    """Hazards of a month: those of that month's cycle, and those found that month outside any cycle."""
    start, end = month_bounds(month)
    cycles = select(HazardCycle.id).where(HazardCycle.month == month)
    return or_(
        Hazard.cycle_id.in_(cycles), and_(Hazard.cycle_id.is_(None), Hazard.found_at >= start, Hazard.found_at < end)
    )


def visible_hazards(subject: Subject) -> Any:
    return select(Hazard, Grid.name).join(Grid, Grid.id == Hazard.grid_id).where(readable(subject, Hazard))


def hazard_out(h: Hazard, grid_name: str, today: date) -> dict[str, Any]:
    return {
        "id": h.id,
        "cycle_id": h.cycle_id,
        "task_id": h.task_id,
        "community_id": h.community_id,
        "grid": {"id": h.grid_id, "name": grid_name},
        "place": h.place,
        "lat": h.lat,
        "lon": h.lon,
        "hazard_type": h.hazard_type,
        "risk_level": h.risk_level,
        "description": h.description,
        "responsible_unit": h.responsible_unit,
        "deadline": h.deadline,
        "status": h.status,
        "overdue": is_overdue(h, today),
        "matter_id": h.matter_id,
        "photo_ids": h.photo_ids,
        "found_at": h.found_at,
        "found_by_id": h.found_by_id,
        "fixed_at": h.fixed_at,
    }


def is_overdue(h: Hazard, today: date) -> bool:
    return h.deadline < today and h.status not in DONE


async def get_hazard(db: AsyncSession, *, subject: Subject, hazard_id: int) -> tuple[Hazard, str]:
    require_staff(subject)
    row = (await db.execute(visible_hazards(subject).where(Hazard.id == hazard_id))).first()
    if row is None:
        raise NotFound(f"No hazard with id {hazard_id} in your scope")
    return row[0], row[1]


async def create_hazard(db: AsyncSession, *, subject: Subject, data: Any) -> Hazard:
    """A hazard found outside an inspection; it joins the current month's cycle if the community has one."""
    grid = (await db.execute(select(Grid).where(Grid.id == data.grid_id, readable(subject, Grid)))).scalar()
    if grid is None:
        raise NotFound(f"No grid with id {data.grid_id} in your scope")
    if subject.role not in HAZARD_FINDERS or (
        subject.role in (Role.grid_leader, Role.grid_member) and subject.grid_id != grid.id
    ):
        raise Forbidden(f"Your role ({subject.role}) may not add hazards here")
    await _check_photos(db, data.photo_ids)
    month = beijing_today().strftime("%Y-%m")
    cycle_id = (
        await db.execute(
            select(HazardCycle.id).where(HazardCycle.community_id == grid.community_id, HazardCycle.month == month)
        )
    ).scalar()
    h = _new_hazard(data, grid=grid, subject=subject, cycle_id=cycle_id, task_id=None)
    db.add(h)
    await db.commit()
    return h


async def _require_editor(db: AsyncSession, subject: Subject, h: Hazard) -> Community:
    c = await db.get(Community, h.community_id)
    if subject.role not in HAZARD_EDITORS:
        raise Forbidden(f"Your role ({subject.role}) may not change the hazard ledger")
    return c


async def update_hazard(db: AsyncSession, *, subject: Subject, hazard: Hazard, data: Any) -> Hazard:
    """Move a hazard one step along open → assigned → fixed → closed; any other move is a 409."""
    await _require_editor(db, subject, hazard)
    wanted = NEXT_STATUS.get(hazard.status)
    if data.status != wanted:
        raise Conflict(
            f"A hazard that is {hazard.status} may not become {data.status}; next: {wanted or 'none'}",
            code="hazard-status",
            current_status=hazard.status,
            allowed=[wanted] if wanted else [],
        )
    if data.status == "fixed" and hazard.matter_id is not None:
        m = await db.get(Matter, hazard.matter_id)
        if m.status not in (Status.resolved, Status.closed, Status.merged):
            raise Conflict(
                f"The assigned matter {m.tracking_code} is {m.status}; mark the hazard fixed when it is resolved",
                code="matter-not-resolved",
                matter_status=m.status,
            )
    await _check_photos(db, data.photo_ids)
    hazard.status = data.status
    if data.photo_ids:
        hazard.photo_ids = [*hazard.photo_ids, *data.photo_ids]
    if data.note:
        # The ledger entry keeps how it was fixed (or why it was closed) after its description.
        hazard.description = f"{hazard.description}\n【{STATUS_ZH[data.status]}】{data.note}"[:10000]
    if data.status == "fixed":
        hazard.fixed_at = utcnow()
    await db.commit()
    return hazard


async def assign_hazard(db: AsyncSession, *, subject: Subject, hazard: Hazard, data: Any, settings: Settings) -> Matter:
    """交办: the hazard becomes a matter taken at the station (the chief is its first-ask owner), escalated at once
    when a target is given."""
    if subject.role != Role.station_chief or subject.community_id != hazard.community_id:
        raise Forbidden("Only the community's station chief assigns a hazard")
    if hazard.status != "open":
        raise Conflict(f"Only an open hazard can be assigned; this one is {hazard.status}", code="hazard-status")
    description = (
        f"【隐患交办】{hazard.place}：{hazard.description}（整改责任单位：{hazard.responsible_unit}，"
        f"期限 {hazard.deadline.isoformat()}）{data.reason}"
    )[:2000]
    intake = MatterCreate(
        category=data.category,
        description=description,
        source="front_desk",
        lat=hazard.lat,
        lon=hazard.lon,
        address=hazard.place,
    )
    m, _ = await matters_intake.create_by_staff(db, subject, intake, settings)
    if m.grid_id is None:
        m.grid_id = hazard.grid_id
    if data.target is not None:
        await matters.act(db, subject, m, "escalate", ActionIn(reason=data.reason, target=data.target))
    hazard.matter_id, hazard.status = m.id, "assigned"
    await db.commit()
    return m


# --- the bulletin 通报 and reporting ------------------------------------------------------------------------------


def figures(hazards: list[tuple[Hazard, str]], today: date) -> dict[str, Any]:
    """Found, fixed and overdue, in all and by grid and by type."""

    def blank() -> dict[str, int]:
        return {"found": 0, "fixed": 0, "overdue": 0}

    total = blank()
    by_grid: OrderedDict[int, dict[str, Any]] = OrderedDict()
    by_type: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for h, grid_name in sorted(hazards, key=lambda x: (x[0].grid_id, x[0].id)):
        g = by_grid.setdefault(h.grid_id, {"grid": {"id": h.grid_id, "name": grid_name}, **blank()})
        t = by_type.setdefault(
            h.hazard_type, {"hazard_type": h.hazard_type, "name": TYPE_ZH.get(h.hazard_type), **blank()}
        )
        for bucket in (total, g, t):
            bucket["found"] += 1
            bucket["fixed"] += h.status in DONE
            bucket["overdue"] += is_overdue(h, today)
    return {
        "totals": total,
        "by_grid": list(by_grid.values()),
        "by_type": sorted(by_type.values(), key=lambda x: x["hazard_type"]),
    }


async def _month_hazards(db: AsyncSession, community_id: int, month: str) -> list[tuple[Hazard, str]]:
    rows = await db.execute(
        select(Hazard, Grid.name)
        .join(Grid, Grid.id == Hazard.grid_id)
        .where(Hazard.community_id == community_id, in_month(month))
        .order_by(Hazard.id)
    )
    return [(h, name) for h, name in rows.all()]


async def bulletin(db: AsyncSession, cycle: HazardCycle) -> dict[str, Any]:
    community = await db.get(Community, cycle.community_id)
    today = beijing_today()
    rows = await _month_hazards(db, cycle.community_id, cycle.month)
    tasks = list(
        (await db.execute(select(InspectionTask.done_at).where(InspectionTask.cycle_id == cycle.id))).scalars()
    )
    return {
        "cycle_id": cycle.id,
        "community": {"id": community.id, "name": community.name},
        "month": cycle.month,
        "as_of": today,
        "inspections": {"total": len(tasks), "done": sum(1 for d in tasks if d is not None)},
        "meeting_at": cycle.meeting_at,
        **figures(rows, today),
        "hazards": [hazard_out(h, name, today) for h, name in rows],
    }


async def create_special_period(db: AsyncSession, *, subject: Subject, data: Any) -> SpecialPeriod:
    street = (await db.execute(select(Street).where(Street.id == data.street_id, readable(subject, Street)))).scalar()
    if street is None:
        raise NotFound(f"No street with id {data.street_id} in your scope")
    officer = subject.role == Role.street_officer and subject.street_id == street.id
    admin = subject.role == Role.administrator and scope.within_area(
        subject, "street", {"district_id": street.district_id, "street_id": street.id}
    )
    if not (officer or admin):
        raise Forbidden("Only the street's officers or an administrator over it declare a special period")
    sp = SpecialPeriod(
        street_id=street.id,
        name=data.name,
        start_date=data.start_date,
        end_date=data.end_date,
        created_by_id=subject.user_id,
    )
    db.add(sp)
    await db.commit()
    return sp


def special_period_out(sp: SpecialPeriod) -> dict[str, Any]:
    return {
        "id": sp.id,
        "street_id": sp.street_id,
        "name": sp.name,
        "start_date": sp.start_date,
        "end_date": sp.end_date,
    }


async def list_special_periods(db: AsyncSession, *, subject: Subject) -> list[dict[str, Any]]:
    require_staff(subject)
    rows = (
        await db.execute(
            select(SpecialPeriod)
            .join(Street, Street.id == SpecialPeriod.street_id)
            .where(readable(subject, Street))
            .order_by(SpecialPeriod.start_date.desc(), SpecialPeriod.id.desc())
        )
    ).scalars()
    return [special_period_out(sp) for sp in rows]


async def reporting(db: AsyncSession, *, subject: Subject, community_id: int, on: date) -> dict[str, Any]:
    """Monthly figures, or the day's figures while a special period of the community's street is on."""
    require_staff(subject)
    c = await visible_community(db, subject, community_id)
    sp = (
        await db.execute(
            select(SpecialPeriod)
            .where(SpecialPeriod.street_id == c.street_id, SpecialPeriod.start_date <= on, SpecialPeriod.end_date >= on)
            .order_by(SpecialPeriod.start_date.desc())
            .limit(1)
        )
    ).scalar()
    community = {"id": c.id, "name": c.name}
    if sp is None:
        month = on.strftime("%Y-%m")
        rows = await _month_hazards(db, c.id, month)
        report = {"period": month, "community": community, **figures(rows, on)}
        return {"mode": "monthly", "special_period": None, "report": report}
    start, end = day_bounds(on)
    rows = (
        await db.execute(
            select(Hazard, Grid.name)
            .join(Grid, Grid.id == Hazard.grid_id)
            .where(Hazard.community_id == c.id, Hazard.found_at < end)
            .order_by(Hazard.id)
        )
    ).all()
    found = [(h, n) for h, n in rows if as_utc(h.found_at) >= start]
    fixed = [h for h, _ in rows if h.fixed_at is not None and start <= as_utc(h.fixed_at) < end]
    # As the day ended: not fixed by then and past its deadline.
    overdue = [h for h, _ in rows if h.deadline < on and (h.fixed_at is None or as_utc(h.fixed_at) >= end)]
    still_open = [h for h, _ in rows if h.fixed_at is None or as_utc(h.fixed_at) >= end]
    report = {
        "period": on.isoformat(),
        "community": community,
        "totals": {"found": len(found), "fixed": len(fixed), "overdue": len(overdue), "open": len(still_open)},
        "found": [hazard_out(h, n, on) for h, n in found],
    }
    return {"mode": "daily", "special_period": special_period_out(sp), "report": report}
