"""Door-to-door service 入户走访: the special-group residents of each grid, the visits made to them and the visits
that are due.

Identity numbers are stored encrypted with their keyed hash (registries/personal.py, the registries' keys), found by
exact match (`id_number=`). A resident's record shows the number and phone unmasked to callers with the permission
`personal_data:read`, and each such read is logged in the registries' access log (action `special_read`, one row per
grid, the residents' ids); everyone else, and the list of visits due, sees them masked."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import Role
from wangge.accounts.scope import Subject, mask_phone
from wangge.config import Settings
from wangge.errors import Conflict, Forbidden, Invalid, NotFound
from wangge.fieldwork.models import (
    HomeVisit,
    SpecialGroup,
    SpecialResident,
)
from wangge.fieldwork.people import (
    GRID_STAFF,
    _field,
    _grid_ref,
    _names,
    _ref,
    _require_reader,
    covered_grid_ids,
    covered_grids,
    is_away,
    leader_at,
    manages,
    partner_grid_id,
)
from wangge.hierarchy.models import Building, Grid
from wangge.models_common import as_utc, utcnow
from wangge.policy import readable
from wangge.registries import access, personal


def mask_id_number(value: str | None) -> str | None:
    if not value:
        return value
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def id_fields(settings: Settings, number: str | None) -> dict[str, str | None]:
    """The stored form of an identity number (already checked by the schema): encrypted, and its keyed hash."""
    if not number:
        return {"id_number_enc": None, "id_number_hash": None}
    clean = personal.normalise_id_number(number)
    return {
        "id_number_enc": personal.encrypt(settings, clean, field="id_number"),
        "id_number_hash": personal.search_hash(settings, clean),
    }


def resident_values(settings: Settings, data: Any) -> dict[str, Any]:
    """A ResidentIn as the model's columns."""
    values = data.model_dump()
    return values | id_fields(settings, values.pop("id_number"))


def may_write_grid(subject: Subject, grid: Grid, covered: frozenset[int]) -> bool:
    """Residents of `grid` are kept by its own staff (and the leader covering it, `covered` being the grids the
    subject covers now), the station chief of its community and administrators whose area holds it."""
    if subject.role in GRID_STAFF:
        return subject.grid_id == grid.id or grid.id in covered
    return manages(subject, grid)


async def _may_write_grid(db: AsyncSession, subject: Subject, grid: Grid) -> bool:
    covered = await covered_grids(db, subject) if subject.role in GRID_STAFF else frozenset()
    return may_write_grid(subject, grid, covered)


def _last_visit() -> Any:
    return (
        select(HomeVisit.resident_id, func.max(HomeVisit.visited_at).label("last"))
        .group_by(HomeVisit.resident_id)
        .subquery()
    )


def resident_out(
    settings: Settings, r: SpecialResident, group: SpecialGroup, last: datetime | None, *, show: bool
) -> dict[str, Any]:
    number = personal.decrypt(settings, r.id_number_enc, field="id_number")
    return {
        "id": r.id,
        "grid_id": r.grid_id,
        "group": {
            "id": group.id,
            "code": group.code,
            "name_zh": group.name_zh,
            "name_en": group.name_en,
            "visit_every_days": group.visit_every_days,
            "is_active": group.is_active,
        },
        "building_id": r.building_id,
        "name": r.name,
        "phone": r.phone if show else mask_phone(r.phone),
        "id_number": number if show else mask_id_number(number),
        "address": r.address,
        "visit_every_days": r.visit_every_days,
        "required_every_days": r.visit_every_days or group.visit_every_days,
        "note": r.note,
        "is_active": r.is_active,
        "last_visited_at": as_utc(last) if last else None,
        "created_at": r.created_at,
    }


async def _resident_rows(db: AsyncSession, subject: Subject, *conditions: Any) -> list[Any]:
    last = _last_visit()
    stmt = (
        select(SpecialResident, SpecialGroup, last.c.last)
        .join(SpecialGroup, SpecialGroup.id == SpecialResident.group_id)
        .outerjoin(last, last.c.resident_id == SpecialResident.id)
        .where(readable(subject, SpecialResident), *conditions)
        .order_by(SpecialResident.grid_id, SpecialResident.name, SpecialResident.id)
    )
    return list((await db.execute(stmt)).all())


async def _shown(db: AsyncSession, subject: Subject, settings: Settings, rows: list[Any]) -> list[dict[str, Any]]:
    """The residents as the caller may see them; an unmasked read of any number or phone is logged (and committed:
    the log is kept even when nothing else is written)."""
    show = subject.can(access.PERMISSION)
    out = [resident_out(settings, r, g, last, show=show) for r, g, last in rows]
    if show:
        by_grid: dict[int, list[int]] = {}
        for r, _g, _last in rows:
            if r.id_number_enc or r.phone:
                by_grid.setdefault(r.grid_id, []).append(r.id)
        for grid_id, ids in by_grid.items():
            await access.log_access(db, subject, "special_read", ids, grid_id)
        if by_grid:
            await db.commit()
    return out


async def list_residents(
    db: AsyncSession,
    *,
    subject: Subject,
    settings: Settings,
    grid_id: int | None = None,
    active: bool | None = True,
    id_number: str | None = None,
) -> list[dict[str, Any]]:
    """The residents in scope (of a grid; active or not), or with `id_number` those with that number (exact match
    through the keyed hash; an invalid number is 422 `id-number-invalid`)."""
    _require_reader(subject)
    conditions = []
    if grid_id is not None:
        conditions.append(SpecialResident.grid_id == grid_id)
    if active is not None:
        conditions.append(SpecialResident.is_active.is_(active))
    if id_number is not None:
        digest = personal.search_hash(settings, personal.normalise_id_number(id_number))
        conditions.append(SpecialResident.id_number_hash == digest)
    return await _shown(db, subject, settings, await _resident_rows(db, subject, *conditions))


async def get_resident(db: AsyncSession, *, subject: Subject, settings: Settings, resident_id: int) -> dict[str, Any]:
    rows = await _resident_rows(db, subject, SpecialResident.id == resident_id)
    if not rows:
        raise NotFound(f"No special resident with id {resident_id} in your scope")
    return (await _shown(db, subject, settings, rows))[0]


async def _resident_for_write(db: AsyncSession, subject: Subject, resident_id: int) -> SpecialResident:
    r = (
        await db.execute(
            select(SpecialResident).where(SpecialResident.id == resident_id, readable(subject, SpecialResident))
        )
    ).scalar()
    if r is None:
        raise NotFound(f"No special resident with id {resident_id} in your scope")
    if not await _may_write_grid(db, subject, await db.get(Grid, r.grid_id)):
        raise Forbidden("Only the grid's staff, the station chief or an administrator may change this")
    return r


def group_fits(group: SpecialGroup | None) -> bool:
    """Residents are registered in active special groups only."""
    return group is not None and group.is_active


def building_fits(building: Building | None, grid_id: int) -> bool:
    """A resident's building is one of their grid's."""
    return building is not None and building.grid_id == grid_id


async def _check_group(db: AsyncSession, group_id: int) -> None:
    if not group_fits(await db.get(SpecialGroup, group_id)):
        raise Invalid(f"There is no active special group {group_id}", errors=_field("group_id", "unknown group"))


async def _check_building(db: AsyncSession, grid_id: int, building_id: int | None) -> None:
    if building_id is None:
        return
    if not building_fits(await db.get(Building, building_id), grid_id):
        raise Invalid("The building is not in this grid", errors=_field("building_id", "not in the grid"))


async def add_resident(db: AsyncSession, *, subject: Subject, settings: Settings, data: Any) -> dict[str, Any]:
    _require_reader(subject)
    grid = (
        await db.execute(
            select(Grid).where(
                Grid.id == data.grid_id,
                or_(
                    readable(subject, Grid),
                    Grid.id.in_(covered_grid_ids(subject.user_id)) if subject.role == Role.grid_leader else false(),
                ),
            )
        )
    ).scalar()
    if grid is None:
        raise NotFound(f"No grid with id {data.grid_id} in your scope")
    if not await _may_write_grid(db, subject, grid):
        raise Forbidden("Only the grid's staff, the station chief or an administrator may add residents")
    await _check_group(db, data.group_id)
    await _check_building(db, grid.id, data.building_id)
    r = SpecialResident(**resident_values(settings, data), created_at=utcnow())
    db.add(r)
    await db.commit()
    return await get_resident(db, subject=subject, settings=settings, resident_id=r.id)


async def update_resident(
    db: AsyncSession, *, subject: Subject, settings: Settings, resident_id: int, data: Any
) -> dict[str, Any]:
    r = await _resident_for_write(db, subject, resident_id)
    changes = data.model_dump(exclude_unset=True)
    if "name" in changes and not changes["name"]:
        raise Invalid("name may not be empty", errors=_field("name", "may not be empty"))
    if changes.get("group_id") is not None:
        await _check_group(db, changes["group_id"])
    elif "group_id" in changes:
        changes.pop("group_id")
    if "building_id" in changes:
        await _check_building(db, r.grid_id, changes["building_id"])
    if "id_number" in changes:
        changes |= id_fields(settings, changes.pop("id_number"))
    for key, value in changes.items():
        setattr(r, key, value)
    await db.commit()
    return await get_resident(db, subject=subject, settings=settings, resident_id=r.id)


async def deactivate_resident(
    db: AsyncSession, *, subject: Subject, settings: Settings, resident_id: int
) -> dict[str, Any]:
    r = await _resident_for_write(db, subject, resident_id)
    r.is_active = False
    await db.commit()
    return await get_resident(db, subject=subject, settings=settings, resident_id=r.id)


async def _visit_partner(
    db: AsyncSession, subject: Subject, resident: SpecialResident, partner_id: int | None, at: datetime
) -> int | None:
    """The A/B partner who visits with the caller: by default the leader of the partner grid of the caller's grid
    (not when that leader is on leave); a `partner_id` given must be that partner."""
    # The pair as it stands now: a visit is recorded soon after it is made, maybe just after the pair was set up.
    now = utcnow()
    if subject.role == Role.grid_leader and subject.grid_id is not None:
        partner_grid = await partner_grid_id(db, subject.grid_id, now)
        partner = await leader_at(db, partner_grid, now) if partner_grid else None
        if partner_id is not None:
            if partner_id != partner:
                raise Invalid(
                    "partner_id must be your A/B partner, the leader of the paired grid",
                    errors=_field("partner_id", "not your A/B partner"),
                )
            return partner_id
        return partner if partner is not None and not await is_away(db, partner, at) else None
    if partner_id is None:
        return None
    # Someone other than a leader records the visit: the partner must lead the resident's grid or its partner.
    grids = {resident.grid_id, await partner_grid_id(db, resident.grid_id, now)}
    leaders = {await leader_at(db, g, now) for g in grids if g}
    if partner_id not in leaders:
        raise Invalid(
            "partner_id must lead the resident's grid or its A/B partner grid",
            errors=_field("partner_id", "not a leader of the pair"),
        )
    return partner_id


async def visit_out(db: AsyncSession, visits: list[HomeVisit]) -> list[dict[str, Any]]:
    ids: set[int | None] = {v.created_by_id for v in visits}
    for v in visits:
        ids |= set(v.visitor_ids or [])
    names = await _names(db, ids)
    return [
        {
            "id": v.id,
            "resident_id": v.resident_id,
            "visited_at": v.visited_at,
            "visitors": [_ref(names, i) for i in v.visitor_ids or []],
            "notes": v.notes,
            "created_by": _ref(names, v.created_by_id),
            "created_at": v.created_at,
        }
        for v in visits
    ]


async def record_visit(db: AsyncSession, *, subject: Subject, resident_id: int, data: Any) -> HomeVisit:
    """A home visit 入户走访, made by the A/B pair together: both are recorded as visitors."""
    r = await _resident_for_write(db, subject, resident_id)
    if not r.is_active:
        raise Conflict("This resident is no longer followed")
    at = as_utc(data.visited_at)
    if at > utcnow() + timedelta(minutes=5):
        raise Invalid("A visit cannot be in the future", errors=_field("visited_at", "in the future"))
    partner = await _visit_partner(db, subject, r, data.partner_id, at)
    visitors = [subject.user_id] + ([partner] if partner and partner != subject.user_id else [])
    visit = HomeVisit(
        resident_id=r.id,
        visited_at=at,
        visitor_ids=visitors,
        notes=data.notes or "",
        created_by_id=subject.user_id,
        created_at=utcnow(),
    )
    db.add(visit)
    await db.commit()
    return visit


async def list_visits(db: AsyncSession, *, subject: Subject, resident_id: int) -> list[HomeVisit]:
    if not await _resident_rows(db, subject, SpecialResident.id == resident_id):
        raise NotFound(f"No special resident with id {resident_id} in your scope")
    rows = await db.execute(
        select(HomeVisit).where(HomeVisit.resident_id == resident_id).order_by(HomeVisit.visited_at.desc())
    )
    return list(rows.scalars())


async def overdue_visits(db: AsyncSession, *, subject: Subject, settings: Settings) -> list[dict[str, Any]]:
    """Residents whose last visit is older than their required frequency (their own, else their group's): never
    visited first, then the longest overdue. A leader sees their grid and the grids they cover; the chief the
    community; others their scope. A worklist: identity numbers and phones masked for everyone (the resident's own
    record shows them to those who may read them)."""
    _require_reader(subject)
    now = utcnow()
    out = []
    grids: dict[int, dict[str, Any]] = {}
    for r, group, last in await _resident_rows(db, subject, SpecialResident.is_active.is_(True)):
        every = r.visit_every_days or group.visit_every_days
        since = now - as_utc(last) if last else None
        if since is not None and since <= timedelta(days=every):
            continue
        if r.grid_id not in grids:
            grids[r.grid_id] = await _grid_ref(db, await db.get(Grid, r.grid_id), with_leader=True)
        out.append(
            {
                "resident": resident_out(settings, r, group, last, show=False),
                "grid": grids[r.grid_id],
                "never_visited": last is None,
                "days_since_visit": since.days if since is not None else None,
                "days_overdue": (since - timedelta(days=every)).days if since is not None else None,
            }
        )
    out.sort(key=lambda x: (not x["never_visited"], -(x["days_overdue"] or 0), x["resident"]["id"]))
    return out


async def list_groups(db: AsyncSession) -> list[SpecialGroup]:
    return list((await db.execute(select(SpecialGroup).order_by(SpecialGroup.id))).scalars())


async def update_group(db: AsyncSession, *, subject: Subject, group_id: int, data: Any) -> SpecialGroup:
    if not subject.can("hierarchy:write") or subject.area_level not in (None, "district"):
        raise Forbidden("Only a system or district administrator may change special groups")
    group = await db.get(SpecialGroup, group_id)
    if group is None:
        raise NotFound(f"No special group with id {group_id}")
    for key, value in data.model_dump(exclude_unset=True).items():
        if value is None:
            raise Invalid(f"{key} may not be empty", errors=_field(key, "may not be empty"))
        setattr(group, key, value)
    await db.commit()
    return group
