"""Early warnings 预警: a street officer (to grids of their street) or a station chief (to grids of their community)
issues a warning of a kind and level (蓝/黄/橙/红) with a text and a time it is valid until; the staff of the chosen
grids are notified at once (orange and red open the field app's full-screen alert) and the SMS/WeChat gateway gets
the event `warning.issued` through the signed webhook, with the grids and the recipients: those staff, and the
residents living in those grids today by the registries (`warning_recipients`). A warning is lifted 解除 (announced the
same way as `warning.lifted`), never deleted. Staff acknowledge it 确认收到; the issuer sees who has. Residents'
phones travel only to the gateway: sealed (encrypted) in the outbox, opened into the signed webhook body by the
worker, never logged; the API tells how many residents a warning reached, not who.

Scope: `readable(subject)` is the one SQL condition for "the warnings this caller may see": grid staff those of their
grid (and of a grid they cover), chiefs and officers those touching a grid of their area; outside it, 404.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, false, func, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import messages
from wangge.accounts.models import Role, User
from wangge.accounts.scope import Subject
from wangge.accounts.scope import visible as area_visible
from wangge.earlywarning.models import EarlyWarning, WarningAck, WarningGrid
from wangge.errors import Conflict, Forbidden, Invalid, NotFound
from wangge.fieldwork import people
from wangge.hierarchy.models import Grid
from wangge.models_common import as_utc, utcnow
from wangge.notify.outbox import emit
from wangge.registries.models import Person, Residency

GRID_STAFF = (Role.grid_leader.value, Role.grid_member.value)
READERS = {*GRID_STAFF, Role.station_chief.value, Role.street_officer.value, Role.administrator.value}
LIST_LIMIT = 200
LEVELS = {
    "blue": messages.both("蓝色", "Blue"),
    "yellow": messages.both("黄色", "Yellow"),
    "orange": messages.both("橙色", "Orange"),
    "red": messages.both("红色", "Red"),
}
KINDS = {
    "rainstorm": messages.both("暴雨", "rainstorm"),
    "typhoon": messages.both("台风", "typhoon"),
    "flood": messages.both("洪涝", "flood"),
    "heat": messages.both("高温", "heat"),
    "cold": messages.both("寒潮", "cold wave"),
    "geological": messages.both("地质灾害", "geological hazard"),
    "fire": messages.both("火灾", "fire"),
    "epidemic": messages.both("疫情", "epidemic"),
    "other": messages.both("其他", "other"),
}


def _field(loc: str, msg: str) -> list[dict[str, Any]]:
    return [{"loc": ["body", loc], "msg": msg, "type": "value_error"}]


# --- scope -----------------------------------------------------------------------------------------------------


def readable(subject: Subject) -> ColumnElement[bool]:
    """Warnings `subject` may read: one of their grids is among the warning's (grid staff: their own grid and a grid
    they cover now; chiefs, officers and administrators: any grid of their area)."""
    if subject.role not in READERS:
        return false()
    if subject.role in GRID_STAFF:
        mine = or_(
            WarningGrid.grid_id == subject.grid_id, WarningGrid.grid_id.in_(people.covered_grid_ids(subject.user_id))
        )
    else:
        mine = WarningGrid.grid_id.in_(select(Grid.id).where(area_visible(subject, Grid, "grid")))
    return exists().where(WarningGrid.warning_id == EarlyWarning.id, mine)


def issuable_grids(subject: Subject) -> ColumnElement[bool]:
    """The grids `subject` may warn: a street officer's street, a station chief's community."""
    if subject.role == Role.street_officer and subject.street_id is not None:
        return Grid.street_id == subject.street_id
    if subject.role == Role.station_chief and subject.community_id is not None:
        return Grid.community_id == subject.community_id
    return false()


def may_lift(subject: Subject, w: EarlyWarning) -> bool:
    """The issuer's unit lifts it: the street's officers (any warning of their street), the community's chief (a
    warning the community issued)."""
    if subject.role == Role.street_officer:
        return subject.street_id == w.street_id
    if subject.role == Role.station_chief:
        return w.community_id is not None and subject.community_id == w.community_id
    return False


async def get_visible(db: AsyncSession, *, subject: Subject, warning_id: int) -> EarlyWarning:
    w = (await db.execute(select(EarlyWarning).where(EarlyWarning.id == warning_id, readable(subject)))).scalar()
    if w is None:
        raise NotFound(f"No warning with id {warning_id} in your scope")
    return w


# --- who it reaches --------------------------------------------------------------------------------------------


async def warning_recipients(db: AsyncSession, grid_ids: list[int]) -> list[dict[str, Any]]:
    """Who a warning to `grid_ids` reaches, as the SMS/WeChat gateway gets them in the webhook event: the active
    staff of those grids (`kind: "staff"`, notified in the app too), then the residents living there today with a
    phone (`kind: "resident"`, `warning_residents`), their phones sealed until the worker opens them into the signed
    webhook body (notify/worker.py)."""
    residents = [
        {"kind": "resident", "person_id": pid, "grid_id": grid_id, "residence": residence, "phone_enc": phone}
        for pid, grid_id, residence, phone in (await db.execute(warning_residents(grid_ids))).all()
    ]
    return await warning_staff(db, grid_ids) + residents


def warning_residents(grid_ids: list[int]) -> Any:
    """The residents a warning to `grid_ids` reaches through the gateway: the people of the registries living in one
    of those grids today (an open residency there: moved-out people and those of other grids are not), alive, with
    a phone, registered 户籍 and floating 流动 alike (a rainstorm warning is for whoever lives there), each once."""
    from wangge.registries.service import today

    day = today()
    # Running today: the open residencies and those ending after today, two ranges of ix_reg_residencies_grid_end
    # (as registries.service.living), not an OR that reads every residency those grids ever had.
    started = (Residency.grid_id.in_(sorted(set(grid_ids)) or [-1]), Residency.start_on <= day)
    running = union_all(
        select(Residency.person_id, Residency.grid_id).where(*started, Residency.end_on.is_(None)),
        select(Residency.person_id, Residency.grid_id).where(*started, Residency.end_on > day),
    ).subquery("running")
    living = select(running.c.person_id, running.c.grid_id).distinct().subquery("living")
    return (
        select(Person.id, living.c.grid_id, Person.residence, Person.phone_enc)
        .join(living, living.c.person_id == Person.id)
        .where(Person.is_active.is_(True), Person.died_on.is_(None), Person.phone_enc.is_not(None))
        .order_by(living.c.grid_id, Person.id)
    )


async def residents_reached(db: AsyncSession, grid_ids: list[int]) -> int:
    """How many residents a warning to `grid_ids` reaches through the gateway (the API shows the count only)."""
    if not grid_ids:
        return 0
    return await db.scalar(select(func.count()).select_from(warning_residents(grid_ids).subquery())) or 0


async def warning_staff(db: AsyncSession, grid_ids: list[int]) -> list[dict[str, Any]]:
    """The active staff (grid leaders and members) of `grid_ids`, each with their phone and grid: notified in the
    app, and the ones who acknowledge."""
    if not grid_ids:
        return []
    rows = await db.execute(
        select(User.id, User.display_name, User.role, User.grid_id, User.phone)
        .where(User.role.in_(GRID_STAFF), User.grid_id.in_(sorted(set(grid_ids))), User.is_active.is_(True))
        .order_by(User.grid_id, User.id)
    )
    return [
        {"kind": "staff", "user_id": uid, "name": name, "role": role, "grid_id": grid_id, "phone": phone}
        for uid, name, role, grid_id, phone in rows.all()
    ]


# --- issuing and lifting ---------------------------------------------------------------------------------------


async def _grids(db: AsyncSession, warning_ids: list[int]) -> dict[int, list[Grid]]:
    out: dict[int, list[Grid]] = {i: [] for i in warning_ids}
    if warning_ids:
        rows = await db.execute(
            select(WarningGrid.warning_id, Grid)
            .join(Grid, Grid.id == WarningGrid.grid_id)
            .where(WarningGrid.warning_id.in_(warning_ids))
            .order_by(Grid.code, Grid.id)
        )
        for wid, grid in rows.all():
            out[wid].append(grid)
    return out


def _payload(w: EarlyWarning, grid_ids: list[int], recipients: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "warning_id": w.id,
        "kind": w.kind,
        "level": w.level,
        "text": w.text,
        "valid_until": as_utc(w.valid_until).isoformat(),
        "street_id": w.street_id,
        "community_id": w.community_id,
        "grid_ids": grid_ids,
        "recipients": recipients,
        **extra,
    }


async def issue(db: AsyncSession, *, subject: Subject, data: Any) -> EarlyWarning:
    if subject.role not in (Role.street_officer.value, Role.station_chief.value):
        raise Forbidden("Warnings are issued by street officers and station chiefs")
    now = utcnow()
    if data.valid_until <= now:
        raise Invalid("valid_until is in the past", errors=_field("valid_until", "must be in the future"))
    wanted = sorted(set(data.grid_ids))
    grids = list(
        (
            await db.execute(select(Grid).where(Grid.id.in_(wanted), Grid.is_active.is_(True), issuable_grids(subject)))
        ).scalars()
    )
    missing = sorted(set(wanted) - {g.id for g in grids})
    if missing:
        raise Invalid(
            f"No grid with id {missing[0]} that you may warn", errors=_field("grid_ids", f"no such grid: {missing}")
        )
    w = EarlyWarning(
        kind=data.kind,
        level=data.level,
        text=data.text,
        valid_until=data.valid_until,
        district_id=grids[0].district_id,
        street_id=grids[0].street_id,
        community_id=subject.community_id if subject.role == Role.station_chief else None,
        issued_by_id=subject.user_id,
        issued_at=now,
        status="active",
    )
    db.add(w)
    await db.flush()
    db.add_all(WarningGrid(warning_id=w.id, grid_id=g) for g in wanted)
    recipients = await warning_recipients(db, wanted)
    emit(
        db,
        "warning.issued",
        _payload(w, wanted, recipients, issued_at=now.isoformat()),
        recipients=[r["user_id"] for r in recipients if r.get("user_id")],
        exclude=subject.user_id,
        title=messages.notice("warning", level=LEVELS[w.level], kind=KINDS[w.kind]),
        body=w.text[:200],
    )
    return w


async def lift(db: AsyncSession, *, subject: Subject, warning_id: int, note: str | None) -> EarlyWarning:
    w = await get_visible(db, subject=subject, warning_id=warning_id)
    if not may_lift(subject, w):
        raise Forbidden("A warning is lifted by the unit that issued it")
    if w.status == "lifted":
        raise Conflict("This warning has already been lifted")
    now = utcnow()
    w.status, w.lifted_at, w.lifted_by_id, w.lift_note = "lifted", now, subject.user_id, note
    grid_ids = [g.id for g in (await _grids(db, [w.id]))[w.id]]
    recipients = await warning_recipients(db, grid_ids)
    emit(
        db,
        "warning.lifted",
        _payload(w, grid_ids, recipients, lifted_at=now.isoformat(), note=note),
        recipients=[r["user_id"] for r in recipients if r.get("user_id")],
        exclude=subject.user_id,
        title=messages.notice("warning-lifted", level=LEVELS[w.level], kind=KINDS[w.kind]),
        body=note or w.text[:200],
    )
    return w


async def acknowledge(db: AsyncSession, *, subject: Subject, warning_id: int) -> EarlyWarning:
    """The staff member's 确认收到 (a repeat keeps the first time)."""
    w = await get_visible(db, subject=subject, warning_id=warning_id)
    grid_ids = [g.id for g in (await _grids(db, [w.id]))[w.id]]
    if subject.user_id not in {r["user_id"] for r in await warning_staff(db, grid_ids)}:
        raise Forbidden("Only the staff the warning went to acknowledge it")
    found = (
        await db.execute(select(WarningAck).where(WarningAck.warning_id == w.id, WarningAck.user_id == subject.user_id))
    ).scalar()
    if found is None:
        db.add(WarningAck(warning_id=w.id, user_id=subject.user_id, acknowledged_at=utcnow()))
        try:
            await db.flush()
        except IntegrityError:  # the same person's second tap at the same moment: the first one counts
            await db.rollback()
    return w


# --- reading ---------------------------------------------------------------------------------------------------


async def list_warnings(db: AsyncSession, *, subject: Subject, status: str | None) -> list[EarlyWarning]:
    q = select(EarlyWarning).where(readable(subject))
    if status:
        q = q.where(EarlyWarning.status == status)
    q = q.order_by(EarlyWarning.issued_at.desc(), EarlyWarning.id.desc()).limit(LIST_LIMIT)
    return list((await db.execute(q)).scalars())


async def _acks(db: AsyncSession, warning_ids: list[int]) -> dict[int, dict[int, Any]]:
    out: dict[int, dict[int, Any]] = {i: {} for i in warning_ids}
    if warning_ids:
        rows = await db.execute(
            select(WarningAck.warning_id, WarningAck.user_id, WarningAck.acknowledged_at).where(
                WarningAck.warning_id.in_(warning_ids)
            )
        )
        for wid, uid, at in rows.all():
            out[wid][uid] = at
    return out


async def warnings_out(
    db: AsyncSession, *, subject: Subject, rows: list[EarlyWarning], with_recipients: bool = False
) -> list[dict[str, Any]]:
    ids = [w.id for w in rows]
    grids, acks = await _grids(db, ids), await _acks(db, ids)
    issuers = {w.issued_by_id for w in rows}
    names = (
        dict((await db.execute(select(User.id, User.display_name).where(User.id.in_(issuers)))).all()) if rows else {}
    )
    now = utcnow()
    out = []
    for w in rows:
        grid_ids = [g.id for g in grids[w.id]]
        grid_names = {g.id: g.name for g in grids[w.id]}
        recipients = await warning_staff(db, grid_ids)
        mine = acks[w.id].get(subject.user_id)
        item = {
            "id": w.id,
            "kind": w.kind,
            "level": w.level,
            "text": w.text,
            "valid_until": w.valid_until,
            "street_id": w.street_id,
            "community_id": w.community_id,
            "issued_by_id": w.issued_by_id,
            "issued_by_name": names.get(w.issued_by_id, ""),
            "issued_at": w.issued_at,
            "status": w.status,
            "expired": w.status == "active" and as_utc(w.valid_until) < now,
            "lifted_at": w.lifted_at,
            "lift_note": w.lift_note,
            "grid_ids": grid_ids,
            "grid_names": [g.name for g in grids[w.id]],
            "acknowledged_at": mine,
            "may_acknowledge": any(r["user_id"] == subject.user_id for r in recipients),
            "may_lift": w.status == "active" and may_lift(subject, w),
            "recipients_total": len(recipients),
            "acknowledged_total": sum(1 for r in recipients if r["user_id"] in acks[w.id]),
            "residents_total": await residents_reached(db, grid_ids),
        }
        if with_recipients:
            item["recipients"] = [
                {
                    "user_id": r["user_id"],
                    "name": r["name"],
                    "role": r["role"],
                    "grid_id": r["grid_id"],
                    "grid_name": grid_names.get(r["grid_id"]),
                    "acknowledged_at": acks[w.id].get(r["user_id"]),
                }
                for r in recipients
            ]
        out.append(item)
    return out
