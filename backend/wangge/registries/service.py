"""The registries' work: houses at standard addresses, people and their moves, tenancies, the events, the grid's
figures, residence registrations due. Keyword-only functions; the routers are thin. Scope: registries/scope.py.

The registry on a past day: who lived where is kept as residencies (`start_on` ≤ day < `end_on`) and tenancies
likewise, so `on=` is one condition on the same tables; the events say who recorded each change and when."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, and_, func, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import tables
from wangge.accounts.models import User
from wangge.accounts.scope import Subject, mask_phone
from wangge.config import Settings
from wangge.errors import Conflict, Invalid, NotFound
from wangge.fieldwork.models import SpecialGroup
from wangge.hierarchy.models import Building, Grid
from wangge.models_common import utcnow
from wangge.registries import personal, schemas
from wangge.registries import scope as reg_scope
from wangge.registries.models import EventKind, House, Person, RegistryEvent, Residence, Residency, Tenancy
from wangge.workcalendar import SHANGHAI

RENEWAL_WINDOW_DAYS = 30


def today() -> date:
    return utcnow().astimezone(SHANGHAI).date()


def living(grid_id: int, day: date) -> Subquery:
    """The grid's residencies running on `day` (id, person_id, house_id): its open ones (in person order) and those
    that end after the day, ranges of `ix_reg_residencies_grid_end`. Written as the two, not as one OR (started, and
    not ended or ending after the day), so that neither visits the residencies that ended before the day: what a list
    of who lives in a grid costs follows who lives there, not how many lived there over the years
    (bench/registry_lists.py)."""
    cols = (Residency.id, Residency.person_id, Residency.house_id)
    started = (Residency.grid_id == grid_id, Residency.start_on <= day)
    return union_all(
        select(*cols).where(*started, Residency.end_on.is_(None)),
        select(*cols).where(*started, Residency.end_on > day),
    ).subquery("living")


def _event(db: AsyncSession, subject: Subject, kind: EventKind, grid_id: int, on: date, **kw: Any) -> None:
    db.add(RegistryEvent(grid_id=grid_id, kind=kind.value, effective_on=on, recorded_by_id=subject.user_id, **kw))


# --- houses at standard addresses ------------------------------------------------------------------------------


async def get_house(db: AsyncSession, *, subject: Subject, house_id: int, writing: bool = False) -> House:
    house = (
        await db.execute(select(House).where(House.id == house_id, reg_scope.readable(subject, House.grid_id)))
    ).scalar_one_or_none()
    if house is None:
        raise NotFound(f"No house with id {house_id} in your scope")
    if writing:
        await reg_scope.grid(db, subject, house.grid_id, writing=True)
    return house


def _label(building: Building, unit: str, room: str) -> str:
    return f"{building.name}{unit + '单元' if unit else ''}{room}"


async def add_house(db: AsyncSession, *, subject: Subject, grid_id: int, data: schemas.HouseIn) -> House:
    await reg_scope.grid(db, subject, grid_id, writing=True)
    building = await db.get(Building, data.building_id)
    if building is None or building.grid_id != grid_id or not building.is_active:
        raise Invalid("The building is not one of this grid's", code="building-not-in-grid")
    taken = await db.scalar(
        select(House.id).where(House.building_id == building.id, House.unit == data.unit, House.room == data.room)
    )
    if taken is not None:
        raise Conflict("This address is already registered", code="address-exists", house_id=taken)
    house = House(
        grid_id=grid_id, building_id=building.id, unit=data.unit, floor=data.floor, room=data.room,
        label=_label(building, data.unit, data.room), use=data.use.value,
    )  # fmt: skip
    db.add(house)
    await db.flush()
    return house


async def patch_house(db: AsyncSession, *, subject: Subject, house_id: int, data: schemas.HousePatch) -> House:
    """Change a house's use; a change (not a repeat of the same use) is an event."""
    house = await get_house(db, subject=subject, house_id=house_id, writing=True)
    if data.use.value != house.use:
        _event(db, subject, EventKind.use_changed, house.grid_id, today(), house_id=house.id,
               detail={"from": house.use, "to": data.use.value})  # fmt: skip
        house.use = data.use.value
    await db.flush()
    return house


def houses_statement(grid_id: int, *, house_id: int | None = None) -> Select[Any]:
    """The grid's active houses (or the one) by building, unit and room, each with when the registry last recorded a
    change there: per house the newest of its events, one probe of `ix_reg_events_house_recorded` from its end, so the
    list costs the same however many events the grid's years have recorded (bench/registry_lists.py)."""
    last = (
        select(func.max(RegistryEvent.recorded_at))
        .where(RegistryEvent.house_id == House.id)
        .correlate(House)
        .scalar_subquery()
    )
    stmt = select(House, last.label("last_recorded_at")).where(House.grid_id == grid_id, House.is_active.is_(True))
    if house_id is not None:
        stmt = stmt.where(House.id == house_id)
    return stmt.order_by(House.building_id, House.unit, House.floor, House.room)


async def list_houses(db: AsyncSession, *, subject: Subject, grid_id: int, on: date | None) -> list[dict[str, Any]]:
    """The grid's houses by building, unit and room, each with who lived there and who rented it on `on`, and when
    the registry last recorded a change there (`last_recorded_at`: the last visit that changed something)."""
    await reg_scope.grid(db, subject, grid_id)
    return await _houses_out(db, grid_id=grid_id, day=on or today(), house_id=None)


async def house_out(db: AsyncSession, *, subject: Subject, house: House) -> dict[str, Any]:
    """One house as the list shows it today (after it is added or changed)."""
    (out,) = await _houses_out(db, grid_id=house.grid_id, day=today(), house_id=house.id)
    return out


async def _houses_out(db: AsyncSession, *, grid_id: int, day: date, house_id: int | None) -> list[dict[str, Any]]:
    """The grid's houses, or the one, with their residents and tenants on `day`."""
    houses = (await db.execute(houses_statement(grid_id, house_id=house_id))).all()
    here = living(grid_id, day)
    residents_stmt = select(here.c.house_id, Person.id, Person.name, Person.relation, Person.residence).join(
        Person, Person.id == here.c.person_id
    )
    running = tenancy_keys(grid_id, day, Tenancy.house_id, Tenancy.person_id)
    tenants_stmt = select(running.c.house_id, running.c.person_id).order_by(running.c.id)
    if house_id is not None:
        residents_stmt = residents_stmt.where(here.c.house_id == house_id)
        tenants_stmt = tenants_stmt.where(running.c.house_id == house_id)
    residents = (await db.execute(residents_stmt.order_by(Person.id))).all()
    tenants = (await db.execute(tenants_stmt)).all()
    by_house: dict[int, list[dict[str, Any]]] = {}
    for r in residents:
        by_house.setdefault(r.house_id, []).append(
            {"id": r.id, "name": r.name, "relation": r.relation, "residence": r.residence}
        )
    rented: dict[int, list[int]] = {}
    for t in tenants:
        rented.setdefault(t.house_id, []).append(t.person_id)
    return [
        {
            "id": h.id,
            "grid_id": h.grid_id,
            "building_id": h.building_id,
            "unit": h.unit,
            "floor": h.floor,
            "room": h.room,
            "label": h.label,
            "use": h.use,
            "residents": by_house.get(h.id, []),
            "tenant_ids": rented.get(h.id, []),
            "last_recorded_at": last_recorded_at,
        }  # fmt: skip
        for h, last_recorded_at in houses
    ]


# --- people ----------------------------------------------------------------------------------------------------


async def get_person(db: AsyncSession, *, subject: Subject, person_id: int, writing: bool = False) -> Person:
    person = (
        await db.execute(select(Person).where(Person.id == person_id, reg_scope.readable(subject, Person.grid_id)))
    ).scalar_one_or_none()
    if person is None:
        raise NotFound(f"No person with id {person_id} in your scope")
    if writing:
        await reg_scope.grid(db, subject, person.grid_id, writing=True)
    return person


async def _check_groups(db: AsyncSession, codes: list[str]) -> list[str]:
    codes = sorted(set(codes))
    if not codes:
        return []
    known = set(
        (
            await db.execute(select(SpecialGroup.code).where(SpecialGroup.code.in_(codes), SpecialGroup.is_active))
        ).scalars()
    )
    if unknown := [c for c in codes if c not in known]:
        raise Invalid(f"Unknown special groups: {', '.join(unknown)}", code="special-group-unknown")
    return codes


async def _id_fields(
    db: AsyncSession, settings: Settings, number: str, *, except_id: int | None = None
) -> dict[str, str | None]:
    clean = personal.normalise_id_number(number)
    digest = personal.search_hash(settings, clean)
    clash = select(Person.id).where(Person.id_number_hash == digest, Person.is_active.is_(True))
    if except_id is not None:
        clash = clash.where(Person.id != except_id)
    if await db.scalar(clash) is not None:
        raise Conflict("A person with this identity number is already registered", code="id-number-exists")
    return {"id_number_enc": personal.encrypt(settings, clean, field="id_number"), "id_number_hash": digest}


async def add_person(
    db: AsyncSession, *, subject: Subject, settings: Settings, grid_id: int, data: schemas.PersonIn
) -> Person:
    """Register a person at a house of the grid: they live there from `moved_in_on` (default today)."""
    await reg_scope.grid(db, subject, grid_id, writing=True)
    house = await get_house(db, subject=subject, house_id=data.house_id)
    if house.grid_id != grid_id:
        raise Invalid("The house is not one of this grid's", code="house-not-in-grid")
    ids = await _id_fields(db, settings, data.id_number) if data.id_number else {}
    person = Person(
        grid_id=grid_id, house_id=house.id, name=data.name, residence=data.residence.value,
        relation=data.relation.value, special_groups=await _check_groups(db, data.special_groups),
        phone_enc=personal.encrypt(settings, data.phone, field="phone"),
        registration_due=data.registration_due if data.residence == Residence.floating else None,
        created_by_id=subject.user_id, **ids,
    )  # fmt: skip
    db.add(person)
    await db.flush()
    start = data.moved_in_on or today()
    db.add(Residency(person_id=person.id, house_id=house.id, grid_id=grid_id, start_on=start))
    _event(db, subject, EventKind.moved_in, grid_id, start, person_id=person.id, house_id=house.id,
           detail={"registered": True})  # fmt: skip
    await recount(db, grid_id=grid_id)
    return person


async def patch_person(
    db: AsyncSession, *, subject: Subject, settings: Settings, person: Person, data: schemas.PersonPatch
) -> Person:
    changes = data.model_dump(exclude_unset=True)
    if "id_number" in changes:
        if data.id_number:
            for k, v in (await _id_fields(db, settings, data.id_number, except_id=person.id)).items():
                setattr(person, k, v)
        else:
            person.id_number_enc = person.id_number_hash = None
    if "phone" in changes:
        person.phone_enc = personal.encrypt(settings, data.phone, field="phone")
    if data.special_groups is not None:
        groups = await _check_groups(db, data.special_groups)
        if groups != sorted(person.special_groups or []):
            _event(db, subject, EventKind.groups_changed, person.grid_id, today(), person_id=person.id,
                   detail={"from": sorted(person.special_groups or []), "to": groups})  # fmt: skip
            person.special_groups = groups
    for field in ("name", "relation"):
        if changes.get(field) is not None:
            setattr(person, field, getattr(data, field).value if field == "relation" else data.name)
    if data.residence is not None and data.residence.value != person.residence:
        person.residence = data.residence.value
    if "registration_due" in changes:
        person.registration_due = data.registration_due
    if person.residence != Residence.floating:
        person.registration_due = None
    await db.flush()
    await recount(db, grid_id=person.grid_id)
    return person


async def move(db: AsyncSession, *, subject: Subject, person: Person, data: schemas.MoveIn) -> Person:
    """Moving in (to another house of the same grid; the open residency ends that day), moving out of the grid,
    or a death: each closes the open residency on `on` and is an event."""
    if person.died_on is not None:
        raise Conflict("This person's death is recorded", code="person-deceased")
    current = (
        await db.execute(select(Residency).where(Residency.person_id == person.id, Residency.end_on.is_(None)))
    ).scalar_one_or_none()
    if current is not None and data.on < current.start_on:
        raise Invalid("The day is before they moved in where they live now", code="move-before-residency")
    house = None
    if data.kind == "moved_in":
        if data.house_id is None:
            raise Invalid("Name the house they move into", code="house-required")
        house = await get_house(db, subject=subject, house_id=data.house_id)
        if house.grid_id != person.grid_id:
            raise Invalid("The house is not one of this grid's", code="house-not-in-grid")
    elif current is None:
        raise Conflict("They do not live in the grid now", code="not-living-here")
    if current is not None:
        current.end_on = data.on
    if house is not None:
        db.add(Residency(person_id=person.id, house_id=house.id, grid_id=person.grid_id, start_on=data.on))
    person.house_id = house.id if house is not None else None
    if data.kind == "died":
        person.died_on = data.on
    _event(db, subject, EventKind(data.kind), person.grid_id, data.on, person_id=person.id,
           house_id=house.id if house else (current.house_id if current else None), detail={})  # fmt: skip
    await db.flush()
    await recount(db, grid_id=person.grid_id)
    return person


PEOPLE_SORT = "person"  # the people list's one order (by person, then residency), named in its cursors


def people_statement(
    here: Subquery, *, named: list[ColumnElement[bool]], cursor: list[Any] | None, limit: int
) -> Select[Any]:
    """A page of the people list: the page's residencies first, in person order past the cursor, then their people
    and addresses (not the other way round, which walked every person by id to the grid's); so a page costs the same
    however far down the list it is and however long the grid's past (bench/registry_lists.py shows the plans)."""
    keys = [here.c.person_id, here.c.id]
    ids = select(here.c.id, here.c.person_id, here.c.house_id)
    if named:
        ids = ids.join(Person, Person.id == here.c.person_id).where(*named)
    if cursor is not None:
        ids = ids.where(tables.after(keys, cursor, descending=False))
    page = ids.order_by(*tables.order(keys, descending=False)).limit(limit + 1).subquery("page")
    return (
        select(Person, House.label, page.c.id)
        .join(page, page.c.person_id == Person.id)
        .join(House, House.id == page.c.house_id)
        .order_by(page.c.person_id, page.c.id)
    )


async def people_page(
    db: AsyncSession,
    *,
    subject: Subject,
    settings: Settings,
    grid_id: int,
    on: date | None,
    q: str | None,
    limit: int,
    after: str | None,
) -> dict[str, Any]:
    """The people living in a grid on `on` (default today), in keyset pages by person (after the last one seen: a
    page costs the same however far down the list it is), with a count that stops at tables.COUNT_CAP."""
    await reg_scope.grid(db, subject, grid_id)
    here = living(grid_id, on or today())
    named = [Person.name.contains(q, autoescape=True)] if q else []
    counted = select(here.c.id)
    if named:  # only a name search needs the people themselves
        counted = counted.join(Person, Person.id == here.c.person_id).where(*named)
    total, exact = await tables.capped_count(db, counted)
    cursor = tables.decode_cursor(PEOPLE_SORT, after, [tables.an_id, tables.an_id]) if after else None
    stmt = people_statement(here, named=named, cursor=cursor, limit=limit)
    rows = (await db.execute(stmt)).all()
    following = None
    if len(rows) > limit:
        last_person, _, last_residency = rows[limit - 1]
        following = tables.encode_cursor(PEOPLE_SORT, [last_person.id, last_residency])
    return {
        "items": [person_out(settings, p, label, living=True) for p, label, _ in rows[:limit]],
        "total": total,
        "total_exact": exact,
        "limit": limit,
        "next_after": following,
    }


async def find_by_id_number(
    db: AsyncSession, *, subject: Subject, settings: Settings, id_number: str, limit: int = 200
) -> list[dict[str, Any]]:
    """The people in scope with that identity number (exact match through the keyed hash), wherever and whether or
    not they live there now."""
    stmt = by_id_number(subject, personal.search_hash(settings, personal.normalise_id_number(id_number)))
    rows = (await db.execute(stmt.order_by(Person.id).limit(limit))).all()
    return [person_out(settings, p, label, living=rid is not None) for p, label, rid in rows]


def by_id_number(subject: Subject, digest: str) -> Select[Any]:
    """The people in scope whose identity number has this keyed hash, with their address and open residency: one
    probe of the hash's index (bench/registry_search.py shows the plan)."""
    return (
        select(Person, House.label, Residency.id.label("residency_id"))
        .outerjoin(House, House.id == Person.house_id)
        .outerjoin(Residency, and_(Residency.person_id == Person.id, Residency.end_on.is_(None)))
        .where(Person.id_number_hash == digest, reg_scope.readable(subject, Person.grid_id))
    )


def person_out(settings: Settings, p: Person, label: str | None, *, living: bool) -> dict[str, Any]:
    return {
        "id": p.id, "grid_id": p.grid_id, "house_id": p.house_id, "address": label, "name": p.name,
        "residence": p.residence, "relation": p.relation, "special_groups": list(p.special_groups or []),
        "phone": mask_phone(personal.decrypt(settings, p.phone_enc, field="phone")),
        "id_number": personal.mask_id_number(personal.decrypt(settings, p.id_number_enc, field="id_number")),
        "registration_due": p.registration_due, "died_on": p.died_on, "living_here": living,
    }  # fmt: skip


async def one_person_out(db: AsyncSession, *, settings: Settings, person: Person) -> dict[str, Any]:
    label = await db.scalar(select(House.label).where(House.id == person.house_id)) if person.house_id else None
    return person_out(settings, person, label, living=person.house_id is not None)


async def renewals_due(db: AsyncSession, *, subject: Subject, settings: Settings, grid_id: int) -> list[dict[str, Any]]:
    """Floating residents living in the grid whose residence registration 居住登记 is due within 30 days (or
    overdue), soonest first."""
    await reg_scope.grid(db, subject, grid_id)
    horizon = today() + timedelta(days=RENEWAL_WINDOW_DAYS)
    rows = (
        await db.execute(
            select(Person, House.label)
            .join(House, House.id == Person.house_id)
            .where(
                Person.grid_id == grid_id,
                Person.residence == Residence.floating.value,
                Person.registration_due.is_not(None),
                Person.registration_due <= horizon,
                Person.died_on.is_(None),
            )
            .order_by(Person.registration_due, Person.id)
        )
    ).all()
    return [person_out(settings, p, label, living=True) for p, label in rows]


# --- tenancies and events --------------------------------------------------------------------------------------


def _tenancies() -> Select[Any]:
    """Tenancies with their house's address and their tenant's name (the desk names a tenant whatever page of the
    people list they are on)."""
    return (
        select(Tenancy, House.label, Person.name)
        .join(House, House.id == Tenancy.house_id)
        .join(Person, Person.id == Tenancy.person_id)
    )


def _tenancy_out(t: Tenancy, house_label: str, person_name: str) -> dict[str, Any]:
    return {
        "id": t.id, "house_id": t.house_id, "house_label": house_label, "person_id": t.person_id,
        "person_name": person_name, "start_on": t.start_on, "end_on": t.end_on,
    }  # fmt: skip


async def tenancy_out(db: AsyncSession, *, tenancy: Tenancy) -> dict[str, Any]:
    _, label, name = (await db.execute(_tenancies().where(Tenancy.id == tenancy.id))).one()
    return _tenancy_out(tenancy, label, name)


async def start_tenancy(db: AsyncSession, *, subject: Subject, data: schemas.TenancyIn) -> Tenancy:
    house = await get_house(db, subject=subject, house_id=data.house_id, writing=True)
    person = await get_person(db, subject=subject, person_id=data.person_id)
    if person.grid_id != house.grid_id:
        raise Invalid("The person is not one of this grid's", code="person-not-in-grid")
    running = await db.scalar(
        select(Tenancy.id).where(Tenancy.house_id == house.id, Tenancy.person_id == person.id, Tenancy.end_on.is_(None))
    )
    if running is not None:
        raise Conflict("This person already rents this house", code="tenancy-exists")
    t = Tenancy(house_id=house.id, person_id=person.id, grid_id=house.grid_id, start_on=data.start_on,
                created_by_id=subject.user_id)  # fmt: skip
    db.add(t)
    house.use = "rented"
    _event(db, subject, EventKind.tenancy_started, house.grid_id, data.start_on, person_id=person.id,
           house_id=house.id, detail={})  # fmt: skip
    await db.flush()
    return t


async def end_tenancy(db: AsyncSession, *, subject: Subject, tenancy_id: int, data: schemas.TenancyEnd) -> Tenancy:
    t = (
        await db.execute(select(Tenancy).where(Tenancy.id == tenancy_id, reg_scope.readable(subject, Tenancy.grid_id)))
    ).scalar_one_or_none()
    if t is None:
        raise NotFound(f"No tenancy with id {tenancy_id} in your scope")
    await reg_scope.grid(db, subject, t.grid_id, writing=True)
    if t.end_on is not None:
        raise Conflict("The tenancy has ended", code="tenancy-ended")
    if data.end_on < t.start_on:
        raise Invalid("A tenancy cannot end before it starts", code="tenancy-dates")
    t.end_on = data.end_on
    _event(db, subject, EventKind.tenancy_ended, t.grid_id, data.end_on, person_id=t.person_id,
           house_id=t.house_id, detail={})  # fmt: skip
    await db.flush()
    return t


TENANCY_SORT = "tenancy"  # the tenancies list's one order (newest start first, then newest id), named in its cursors


def tenancy_keys(grid_id: int, on: date | None, *more: Any) -> Subquery:
    """The ids and start days (and `more` columns) of the grid's tenancies, all of them or those running on `on`.
    Running is read as two ranges of `ix_reg_tenancies_grid_end` (the open ones, and those ending after the day), not
    as one OR, which reads every tenancy the grid ever had; the whole list pages down
    `ix_reg_tenancies_grid_start`."""
    columns = (Tenancy.id, Tenancy.start_on, *more)
    if on is None:
        return select(*columns).where(Tenancy.grid_id == grid_id).subquery("tenancy_keys")
    started = [Tenancy.grid_id == grid_id, Tenancy.start_on <= on]
    return union_all(
        select(*columns).where(*started, Tenancy.end_on.is_(None)),
        select(*columns).where(*started, Tenancy.end_on > on),
    ).subquery("tenancy_keys")


def tenancy_statement(keys: Subquery, *, cursor: list[Any] | None, limit: int) -> Select[Any]:
    """A page of `tenancy_keys` past the cursor (and one more, to tell whether another page follows), then their
    tenancies, addresses and names."""
    order = [keys.c.start_on, keys.c.id]
    page = select(keys.c.id)
    if cursor is not None:
        page = page.where(tables.after(order, cursor, descending=True))
    ids = page.order_by(*tables.order(order, descending=True)).limit(limit + 1).subquery("page")
    return _tenancies().join(ids, ids.c.id == Tenancy.id).order_by(Tenancy.start_on.desc(), Tenancy.id.desc())


async def tenancy_page(
    db: AsyncSession, *, subject: Subject, grid_id: int, on: date | None, limit: int, after: str | None
) -> dict[str, Any]:
    """A page of the grid's tenancies, newest first (a page costs the same however far down the list it is and however
    long the grid's past), with a count that stops at tables.COUNT_CAP."""
    await reg_scope.grid(db, subject, grid_id)
    keys = tenancy_keys(grid_id, on)
    total, exact = await tables.capped_count(db, select(keys.c.id))
    cursor = tables.decode_cursor(TENANCY_SORT, after, [tables.a_day, tables.an_id]) if after else None
    rows = (await db.execute(tenancy_statement(keys, cursor=cursor, limit=limit))).all()
    following = None
    if len(rows) > limit:
        last = rows[limit - 1][0]
        following = tables.encode_cursor(TENANCY_SORT, [last.start_on, last.id])
    return {
        "items": [_tenancy_out(t, label, name) for t, label, name in rows[:limit]],
        "total": total,
        "total_exact": exact,
        "limit": limit,
        "next_after": following,
    }


async def list_events(db: AsyncSession, *, subject: Subject, grid_id: int, limit: int = 200) -> list[dict[str, Any]]:
    await reg_scope.grid(db, subject, grid_id)
    rows = (
        await db.execute(
            select(RegistryEvent, Person.name, User.display_name)
            .outerjoin(Person, Person.id == RegistryEvent.person_id)
            .join(User, User.id == RegistryEvent.recorded_by_id)
            .where(RegistryEvent.grid_id == grid_id)
            .order_by(RegistryEvent.recorded_at.desc(), RegistryEvent.id.desc())
            .limit(limit)
        )
    ).all()
    return [
        {
            "id": e.id,
            "kind": e.kind,
            "person_id": e.person_id,
            "person_name": name,
            "house_id": e.house_id,
            "effective_on": e.effective_on,
            "detail": e.detail or {},
            "recorded_by": by,
            "recorded_at": e.recorded_at,
        }  # fmt: skip
        for e, name, by in rows
    ]


# --- the grid's figures ----------------------------------------------------------------------------------------


async def recount(db: AsyncSession, *, grid_id: int) -> None:
    """Once the registry holds houses for the grid, its households, registered and floating figures are the
    registry's: households lived in today, and the registered and floating people living there."""
    await db.flush()
    if await db.scalar(select(House.id).where(House.grid_id == grid_id).limit(1)) is None:
        return
    here = living(grid_id, today())
    households = await db.scalar(select(func.count(func.distinct(here.c.house_id))))
    counts = dict(
        (
            await db.execute(
                select(Person.residence, func.count())
                .join(here, here.c.person_id == Person.id)
                .group_by(Person.residence)
            )
        ).all()
    )
    await db.execute(
        update(Grid.__table__)
        .where(Grid.__table__.c.id == grid_id)
        .values(
            households=households or 0,
            registered_population=counts.get(Residence.registered.value, 0),
            floating_population=counts.get(Residence.floating.value, 0),
        )
    )
