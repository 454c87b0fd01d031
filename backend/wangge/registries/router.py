"""HTTP routes of the registries 一标三实: houses at standard addresses, people, moves, tenancies, events, residence
registrations due, units, and personal data shown unmasked (reveal, export, the access log). Thin functions that
hand the work to registries.service and registries.access.

Field collection 入户采集 writes from the phone's offline outbox: creating and changing a house, creating and
changing a person, and a move accept an `Idempotency-Key` (wangge.idempotency.once): a replay answers the first
response and changes nothing; the same key with another body (or sent to another of these routes) is a 422
`idempotency-key-reused`. A house or person created offline may be named by a later queued operation before the
server's id is known: the phone keeps its own client id for it and, as for patrols, stores the server's id when the
create is acknowledged and puts it in the later operation when that one is sent (the queue is strictly in order, so
the create has always been answered first). The server keeps no client ids: nothing to migrate, nothing to clash."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from wangge import idempotency
from wangge.accounts.dependencies import requires
from wangge.accounts.models import Role as R
from wangge.accounts.scope import Subject
from wangge.deps import SessionDep, SettingsDep
from wangge.imports import TEMPLATE_RESPONSES, xlsx_response
from wangge.registries import access, schemas, service
from wangge.schemas_common import Day, Id

router = APIRouter(prefix="/registry", tags=["Registries"])

RegistryReader = Annotated[
    Subject,
    requires(
        R.grid_leader, R.grid_member, R.station_chief, R.street_officer, R.administrator,
        doing="read the registries: grid staff, station chiefs, street officers and administrators do",
    ),
]  # fmt: skip
RegistryWriter = Annotated[
    Subject,
    requires(
        R.grid_leader, R.grid_member, R.station_chief, R.administrator,
        doing="change the registries: grid staff, station chiefs and administrators do",
    ),
]  # fmt: skip
PersonalDataReader = Annotated[
    Subject,
    requires(
        R.grid_leader, R.station_chief, R.administrator,
        doing="read personal data unmasked: grid leaders, station chiefs and administrators do",
    ),
]  # fmt: skip
Administrator = Annotated[Subject, requires(R.administrator, doing="read the personal-data access log")]
IdempotencyKey = Annotated[
    str | None, Header(alias="Idempotency-Key", description="Makes a retry safe: a replay answers the first response")
]
OnDay = Annotated[Day | None, Query(description="The registry as it was on this day (default: today)")]


@router.get("/grids/{grid_id}/houses", response_model=list[schemas.HouseOut])
async def houses(db: SessionDep, subject: RegistryReader, grid_id: Id, on: OnDay = None) -> Any:
    """The grid's houses at their standard addresses, with who lived there and who rented them on the day."""
    return await service.list_houses(db, subject=subject, grid_id=grid_id, on=on)


def _once(db: Any, subject: Subject, key: str | None, route: str, data: Any, run: Any, **ids: int) -> Any:
    body = {"route": route, **ids, "body": data.model_dump(mode="json", exclude_unset=True)}
    return idempotency.once(db, principal=f"user:{subject.user_id}", key=key, body=body, run=run)


@router.post("/grids/{grid_id}/houses", status_code=201, response_model=schemas.HouseOut)
async def add_house(
    db: SessionDep, subject: RegistryWriter, grid_id: Id, data: schemas.HouseIn, idempotency_key: IdempotencyKey = None
) -> Any:
    """Register a standard address (building → unit → floor → room) and its house; 409 `address-exists`."""

    async def run() -> tuple[int, Any]:
        house = await service.add_house(db, subject=subject, grid_id=grid_id, data=data)
        return 201, schemas.HouseOut.model_validate(await service.house_out(db, subject=subject, house=house))

    return await _once(db, subject, idempotency_key, "add_house", data, run, grid_id=grid_id)


@router.patch("/houses/{house_id}", response_model=schemas.HouseOut)
async def patch_house(
    db: SessionDep,
    subject: RegistryWriter,
    house_id: Id,
    data: schemas.HousePatch,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Change a house's use (owner-occupied, rented, vacant, business); a change is an event."""

    async def run() -> tuple[int, Any]:
        house = await service.patch_house(db, subject=subject, house_id=house_id, data=data)
        return 200, schemas.HouseOut.model_validate(await service.house_out(db, subject=subject, house=house))

    return await _once(db, subject, idempotency_key, "patch_house", data, run, house_id=house_id)


@router.get("/grids/{grid_id}/people", response_model=schemas.PersonPage)
async def people(
    db: SessionDep,
    subject: RegistryReader,
    settings: SettingsDep,
    grid_id: Id,
    on: OnDay = None,
    q: Annotated[str | None, Query(min_length=1, max_length=50, description="Part of a name")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Page size")] = 200,
    after: Annotated[str | None, Query(max_length=200, description="The `next_after` of the page before")] = None,
) -> Any:
    """The people living in the grid on the day, in keyset pages; identity numbers and phones masked; `total`
    counts up to 1,000."""
    return await service.people_page(
        db, subject=subject, settings=settings, grid_id=grid_id, on=on, q=q, limit=limit, after=after
    )


@router.get("/people", response_model=list[schemas.PersonOut])
async def find_people(
    db: SessionDep,
    subject: RegistryReader,
    settings: SettingsDep,
    id_number: Annotated[str, Query(min_length=1, max_length=30, description="The whole identity number")],
) -> Any:
    """The people in your scope with this identity number (exact match); 422 `id-number-invalid`."""
    return await service.find_by_id_number(db, subject=subject, settings=settings, id_number=id_number)


@router.post("/grids/{grid_id}/people", status_code=201, response_model=schemas.PersonOut)
async def add_person(
    db: SessionDep,
    subject: RegistryWriter,
    settings: SettingsDep,
    grid_id: Id,
    data: schemas.PersonIn,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Register a person living at a house of the grid (a move-in event); 422 `id-number-invalid`, 409
    `id-number-exists`."""

    async def run() -> tuple[int, Any]:
        person = await service.add_person(db, subject=subject, settings=settings, grid_id=grid_id, data=data)
        return 201, schemas.PersonOut.model_validate(await service.one_person_out(db, settings=settings, person=person))

    return await _once(db, subject, idempotency_key, "add_person", data, run, grid_id=grid_id)


@router.get("/people/{person_id}", response_model=schemas.PersonOut)
async def person(db: SessionDep, subject: RegistryReader, settings: SettingsDep, person_id: Id) -> Any:
    p = await service.get_person(db, subject=subject, person_id=person_id)
    return await service.one_person_out(db, settings=settings, person=p)


@router.patch("/people/{person_id}", response_model=schemas.PersonOut)
async def patch_person(
    db: SessionDep,
    subject: RegistryWriter,
    settings: SettingsDep,
    person_id: Id,
    data: schemas.PersonPatch,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Correct a person's details; a change of special groups is an event."""

    async def run() -> tuple[int, Any]:
        p = await service.get_person(db, subject=subject, person_id=person_id, writing=True)
        p = await service.patch_person(db, subject=subject, settings=settings, person=p, data=data)
        return 200, schemas.PersonOut.model_validate(await service.one_person_out(db, settings=settings, person=p))

    return await _once(db, subject, idempotency_key, "patch_person", data, run, person_id=person_id)


@router.post("/people/{person_id}/moves", response_model=schemas.PersonOut)
async def move(
    db: SessionDep,
    subject: RegistryWriter,
    settings: SettingsDep,
    person_id: Id,
    data: schemas.MoveIn,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Record a move into another house of the grid, a move out of the grid, or a death, on its day."""

    async def run() -> tuple[int, Any]:
        p = await service.get_person(db, subject=subject, person_id=person_id, writing=True)
        p = await service.move(db, subject=subject, person=p, data=data)
        return 200, schemas.PersonOut.model_validate(await service.one_person_out(db, settings=settings, person=p))

    return await _once(db, subject, idempotency_key, "move", data, run, person_id=person_id)


@router.post("/people/reveal", response_model=list[schemas.Revealed])
async def reveal(db: SessionDep, subject: PersonalDataReader, settings: SettingsDep, data: schemas.RevealIn) -> Any:
    """The chosen people's identity numbers and phones unmasked; the read is logged (who, when, which people)."""
    out = await access.reveal(db, subject=subject, settings=settings, data=data)
    await db.commit()
    return out


@router.get("/grids/{grid_id}/people.xlsx", response_class=Response, responses=TEMPLATE_RESPONSES)
async def export_people(db: SessionDep, subject: PersonalDataReader, settings: SettingsDep, grid_id: Id) -> Response:
    """The grid's people as XLSX, unmasked, naming the exporter and the time; the export is logged."""
    content, name = await access.export_grid(db, subject=subject, settings=settings, grid_id=grid_id)
    await db.commit()
    return xlsx_response(content, name)


@router.get("/grids/{grid_id}/renewals", response_model=list[schemas.PersonOut])
async def renewals(db: SessionDep, subject: RegistryReader, settings: SettingsDep, grid_id: Id) -> Any:
    """Floating residents whose residence registration 居住登记 is due within 30 days or overdue, soonest first."""
    return await service.renewals_due(db, subject=subject, settings=settings, grid_id=grid_id)


@router.get("/grids/{grid_id}/tenancies", response_model=schemas.TenancyPage)
async def tenancies(
    db: SessionDep,
    subject: RegistryReader,
    grid_id: Id,
    on: OnDay = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Page size")] = 100,
    after: Annotated[str | None, Query(max_length=200, description="The `next_after` of the page before")] = None,
) -> Any:
    """The grid's tenancies (those running on `on` when it is given), newest first, in keyset pages; `total` counts
    up to 1,000."""
    return await service.tenancy_page(db, subject=subject, grid_id=grid_id, on=on, limit=limit, after=after)


@router.post("/tenancies", status_code=201, response_model=schemas.TenancyOut)
async def start_tenancy(db: SessionDep, subject: RegistryWriter, data: schemas.TenancyIn) -> Any:
    t = await service.start_tenancy(db, subject=subject, data=data)
    out = await service.tenancy_out(db, tenancy=t)
    await db.commit()
    return out


@router.post("/tenancies/{tenancy_id}/end", response_model=schemas.TenancyOut)
async def end_tenancy(db: SessionDep, subject: RegistryWriter, tenancy_id: Id, data: schemas.TenancyEnd) -> Any:
    t = await service.end_tenancy(db, subject=subject, tenancy_id=tenancy_id, data=data)
    out = await service.tenancy_out(db, tenancy=t)
    await db.commit()
    return out


@router.get("/grids/{grid_id}/events", response_model=list[schemas.RegistryEventOut])
async def events(db: SessionDep, subject: RegistryReader, grid_id: Id) -> Any:
    """The registry's changes, newest recorded first: what, on which day, recorded by whom and when."""
    return await service.list_events(db, subject=subject, grid_id=grid_id)


@router.get("/grids/{grid_id}/units", response_model=list[schemas.UnitOut])
async def units(db: SessionDep, subject: RegistryReader, grid_id: Id) -> Any:
    """The grid's units 实有单位 (institutions and businesses) with contact person and duty phone."""
    return await access.list_units(db, subject=subject, grid_id=grid_id)


@router.patch("/units/{place_id}", response_model=schemas.UnitOut)
async def patch_unit(db: SessionDep, subject: RegistryWriter, place_id: Id, data: schemas.UnitPatch) -> Any:
    place = await access.patch_unit(db, subject=subject, place_id=place_id, data=data)
    await db.commit()
    return place


@router.get("/access-log", response_model=schemas.AccessLogPage)
async def access_log(
    db: SessionDep,
    subject: Administrator,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size")] = 50,
    after: Annotated[str | None, Query(max_length=200, description="The `next_after` of the page before")] = None,
) -> Any:
    """Every unmasked read and export of personal data in your area, newest first, in keyset pages (administrators);
    `total` counts up to 1,000."""
    return await access.access_log(db, subject=subject, limit=limit, after=after)
