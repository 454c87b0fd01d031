"""HTTP routes of matters: staff intake, inbox, records, actions with If-Match, timeline, handoffs, supervision,
categories, photos, and the resident's public pages (no account: a tracking code and the phone's last digits)."""

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Header, Path, Query, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from wangge import idempotency, throttle
from wangge.accounts.dependencies import (
    CurrentSubject,
    FieldOrDesk,
    HotlineImporter,
    current_subject,
    oauth2_scheme,
)
from wangge.accounts.scope import Subject
from wangge.deps import Limit, Offset, SessionDep, SettingsDep
from wangge.errors import DomainError, Forbidden, Invalid, NotFound
from wangge.hierarchy.models import Department
from wangge.matters import flow, hotline, intake, public_schemas, schemas, service, tracking, views
from wangge.matters.models import Category, Handoff, Matter, MatterEvent, Photo
from wangge.media import images, storage
from wangge.models_common import utcnow
from wangge.schemas_common import Day, Id
from wangge.workcalendar import CalendarOverride, CalendarYear

router = APIRouter()
public = APIRouter(prefix="/public", tags=["Public"])


class PreconditionRequired(DomainError):
    status = 428
    code = "precondition-required"


class PreconditionFailed(DomainError):
    status = 412
    code = "precondition-failed"


def etag(m: Matter) -> str:
    return f'"{m.version}"'


def _stale(m: Matter) -> PreconditionFailed:
    return PreconditionFailed(
        f"The matter has changed since you loaded it (now {etag(m)}); reload it and retry", current_etag=etag(m)
    )


def _check_if_match(m: Matter, if_match: str | None) -> None:
    """RFC 9110 §13.1.1: If-Match uses the strong comparison, so a weak tag (W/"1") never matches."""
    if if_match is None:
        raise PreconditionRequired("Send If-Match with the ETag of the record you are acting on")
    wanted = {t.strip() for t in if_match.split(",")}
    if "*" not in wanted and etag(m) not in wanted:
        raise _stale(m)


async def _commit_matching(db: Any, m: Matter) -> None:
    """Commit a change made under If-Match. The UPDATE names the version the check passed on (the mapper's
    version_id_col), so when a concurrent request committed first it matches no row: that is the same failed
    precondition, found at write time."""
    try:
        await db.commit()
    except StaleDataError:
        await db.rollback()
        await db.refresh(m)
        raise _stale(m) from None


def _json(body: Any, status_code: int = 200, m: Matter | None = None, **headers: str) -> JSONResponse:
    h = {"ETag": etag(m)} if m is not None else {}
    h.update(headers)
    return JSONResponse(jsonable_encoder(body), status_code=status_code, headers=h)


async def _idempotent_create(
    request: Request, db: Any, principal: str, key: str | None, body: Any, create: Any
) -> JSONResponse:
    """Run `create` once per (principal, key); a replay returns the stored response."""
    key = idempotency.check_key(key)
    digest = idempotency.body_hash(body) if key else ""
    if key:
        stored = await idempotency.replay(db, principal, key, digest)
        if stored:
            return JSONResponse(stored[1], status_code=stored[0], headers={"Idempotent-Replayed": "true"})
    status_code, payload, m = await create()
    encoded = jsonable_encoder(payload)
    if key:
        idempotency.remember(db, principal, key, digest, status_code, encoded)
    try:
        await db.commit()
    except IntegrityError:
        # Two requests with one key at the same time: the other one won; answer as a replay of it.
        await db.rollback()
        stored = await idempotency.replay(db, principal, key, digest) if key else None
        if stored is None:
            raise
        return JSONResponse(stored[1], status_code=stored[0], headers={"Idempotent-Replayed": "true"})
    return JSONResponse(encoded, status_code=status_code, headers={"ETag": etag(m)} if m is not None else {})


# --- categories ----------------------------------------------------------------------------------------------------


def may_manage_categories(subject: Subject) -> bool:
    """Categories and their time limits are the district's: only system and district administrators change them."""
    return subject.can("hierarchy:write") and subject.area_level in (None, "district")


@router.get("/categories", response_model=list[schemas.CategoryOut], tags=["Categories"])
async def list_categories(
    db: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
    include_inactive: Annotated[
        bool, Query(description="Also the deactivated ones, to reactivate them: for who may change categories")
    ] = False,
) -> Any:
    """The active categories, for the report form (no sign-in needed). With `include_inactive=true` the deactivated
    ones too, for a system or district administrator (401 without a sign-in, 403 for anyone else). The token is
    read only then, so a stale one sent along never turns the public list into a 401."""
    if not include_inactive:
        return await _categories(db, active_only=True)
    subject = await current_subject(db, settings, token)
    if not may_manage_categories(subject):
        raise Forbidden("Only a system or district administrator may list deactivated categories")
    return await _categories(db, active_only=False)


async def _categories(db: AsyncSession, *, active_only: bool) -> list[Category]:
    query = select(Category).order_by(Category.sort_order)
    if active_only:
        query = query.where(Category.is_active.is_(True))
    return list((await db.execute(query)).scalars())


@router.patch("/categories/{category_id}", response_model=schemas.CategoryOut, tags=["Categories"])
async def update_category(
    db: SessionDep, subject: CurrentSubject, category_id: Id, data: schemas.CategoryUpdate
) -> Any:
    if not may_manage_categories(subject):
        raise Forbidden("Only a system or district administrator may change categories")
    cat = await db.get(Category, category_id)
    if cat is None:
        raise NotFound(f"No category with id {category_id}")
    changes = data.model_dump(exclude_unset=True)
    if "time_limits" in changes:
        _check_limits(changes["time_limits"], emergency=cat.is_emergency)
    if changes.get("department_id") is not None and await db.get(Department, changes["department_id"]) is None:
        raise Invalid(
            f"department_id: no department with id {changes['department_id']}",
            errors=[{"loc": ["body", "department_id"], "msg": "no such department", "type": "value_error"}],
        )
    if "loop_rules" in changes:
        if changes["loop_rules"] is None:
            raise Invalid(
                "loop_rules may be changed but not removed",
                errors=[{"loc": ["body", "loop_rules"], "msg": "may not be null", "type": "value_error"}],
            )
        # The rules sent change, the others stay as saved (a category of before 0016 starts from the defaults).
        sent = data.loop_rules.model_dump(mode="json", exclude_unset=True)
        try:
            merged = schemas.LoopRules.model_validate({**(cat.loop_rules or {}), **sent})
        except ValidationError as exc:
            raise Invalid(
                "loop_rules: " + "; ".join(e["msg"] for e in exc.errors()),
                errors=[
                    {"loc": ["body", "loop_rules", *map(str, e["loc"])], "msg": e["msg"], "type": "value_error"}
                    for e in exc.errors()
                ],
            ) from None
        changes["loop_rules"] = merged.model_dump(mode="json")
    for k, v in changes.items():
        setattr(cat, k, v)
    await db.commit()
    service.clear_cache()
    await db.refresh(cat)
    return cat


def _check_limits(limits: dict[str, Any], *, emergency: bool) -> None:
    from wangge.workcalendar import TimeLimit

    def invalid(loc: list[str], msg: str) -> Invalid:
        return Invalid(f"{'.'.join(loc)}: {msg}", errors=[{"loc": ["body", *loc], "msg": msg, "type": "value_error"}])

    # An emergency starts the station's clock from these two (service._clock): without them it could not start.
    if emergency:
        for kind in ("sign", "complete"):
            if not isinstance(limits.get("station"), dict) or kind not in limits["station"]:
                raise invalid(["time_limits", "station", kind], "an emergency category needs the station's limit")

    for level, kinds in limits.items():
        if level not in ("grid", "station", "street", "department", "notice") or not isinstance(kinds, dict):
            raise invalid(["time_limits"], f"unknown level {level!r}")
        for kind, value in kinds.items():
            if kind not in ("sign", "complete"):
                raise invalid(["time_limits", level], f"unknown kind {kind!r}")
            try:
                TimeLimit.from_dict(value)
            except (ValueError, TypeError) as exc:
                raise invalid(["time_limits", level, kind], str(exc)) from None


# --- the working calendar ------------------------------------------------------------------------------------------


@router.get("/calendar", response_model=schemas.CalendarStatus, tags=["Calendar"])
async def calendar_status(db: SessionDep, subject: CurrentSubject) -> Any:
    """Which years the official holiday schedule is known for, and the days entered by hand (overrides)."""
    from wangge.workcalendar import SHANGHAI, WorkCalendar

    rows = list((await db.execute(select(CalendarOverride).order_by(CalendarOverride.day))).scalars())
    complete = sorted((await db.execute(select(CalendarYear.year).where(CalendarYear.complete.is_(True)))).scalars())
    cal = WorkCalendar(overrides={r.day: r.is_workday for r in rows}, complete_years=complete)
    today = utcnow().astimezone(SHANGHAI).date()
    next_year = today.replace(year=today.year + 1, month=1, day=1)
    message = None
    if not cal.covers(next_year):
        message = (
            f"The official holiday schedule for {next_year.year} is not known yet: until the library is "
            f"updated, enter its holidays and make-up working days as overrides"
        )
    return {
        "known_years": sorted(cal.known_years()),
        "covers_this_year": cal.covers(today),
        "covers_next_year": cal.covers(next_year),
        "overrides": rows,
        "complete_years": complete,
        "message": message,
    }


def _may_keep_calendar(subject: Subject) -> None:
    if not subject.can("hierarchy:write") or subject.area_level not in (None, "district"):
        raise Forbidden("Only a system or district administrator may change the working calendar")


@router.put("/calendar/overrides/{day}", response_model=schemas.OverrideOut, tags=["Calendar"])
async def set_override(db: SessionDep, subject: CurrentSubject, day: Day, data: schemas.OverrideIn) -> Any:
    """Mark a day as a working day or a day off, over what the holiday library says (system or district
    administrators)."""
    _may_keep_calendar(subject)
    row = await db.get(CalendarOverride, day)
    if row is None:
        row = CalendarOverride(day=day)
        db.add(row)
    row.is_workday, row.note = data.is_workday, data.note
    await db.commit()
    service.clear_cache()
    return row


@router.put("/calendar/years/{year}", response_model=schemas.CalendarYearOut, tags=["Calendar"])
async def set_year(
    db: SessionDep, subject: CurrentSubject, year: Annotated[int, Path(ge=2000, le=2100)], data: schemas.CalendarYearIn
) -> Any:
    """Say that a year the holiday library does not know has had all its holidays and make-up working days entered
    as overrides (complete: true), so that the calendar stops warning about it; or take that back."""
    _may_keep_calendar(subject)
    row = await db.get(CalendarYear, year)
    if row is None:
        row = CalendarYear(year=year)
        db.add(row)
    row.complete = data.complete
    await db.commit()
    service.clear_cache()
    return row


# --- staff -------------------------------------------------------------------------------------------------------


@router.post("/matters", status_code=201, response_model=schemas.MatterOut, tags=["Matters"])
async def create_matter(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    subject: FieldOrDesk,
    data: schemas.MatterCreate,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Any:
    """Enter a matter from the field or the front desk. Send an Idempotency-Key to make retries safe."""

    async def create() -> tuple[int, dict[str, Any], Matter]:
        m, dups = await intake.create_by_staff(db, subject, data, settings)
        await db.flush()
        out = await views.matter_out(db, m, subject, settings)
        out["possible_duplicates"] = dups
        out["version"] = m.version
        return 201, out, m

    return await _idempotent_create(
        request, db, f"user:{subject.user_id}", idempotency_key, data.model_dump(mode="json"), create
    )


@router.get("/matters", tags=["Matters"])
async def list_matters(
    db: SessionDep,
    settings: SettingsDep,
    subject: CurrentSubject,
    box: Literal["mine", "grid", "unit", "cooperating", "all"] = "all",
    state: Annotated[Literal["open", "closed", "any"], Query(alias="status")] = "open",
    limit: Limit = 50,
    offset: Offset = 0,
    after: Annotated[Id | None, Query(description="Finished matters: the page after this id (`next_after`)")] = None,
) -> dict[str, Any]:
    """The inbox: mine, my grid, my unit, or everything I may see. Open matters overdue first, then by deadline
    (pages by `offset`); finished ones newest first (pages by `after`, the `next_after` of the page before). `total`
    counts up to 200; `total_exact` is false when there are more."""
    items, total, exact, following = await views.inbox(
        db, subject, box=box, state=state, limit=limit, offset=offset, settings=settings, after=after
    )
    return {
        "items": items,
        "total": total,
        "total_exact": exact,
        "limit": limit,
        "offset": offset,
        "next_after": following,
    }


@router.post(
    "/matters/import",
    response_model=schemas.HotlineImport,
    tags=["Matters"],
    openapi_extra={
        "requestBody": {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object", "properties": {"orders": {"type": "array"}}}},
            }
        }
    },
)
async def import_hotline(request: Request, db: SessionDep, subject: HotlineImporter) -> Any:
    """Import 12345 hotline orders from CSV (header: order_no, category, description, lat, lon, address, grid_code,
    community_code, caller_name, caller_phone) or JSON `{"orders": [...]}`; the answer reports every row."""
    rows = hotline.parse(request.headers.get("content-type", ""), await request.body())
    return await hotline.import_orders(db, subject, rows)


@router.get("/matters/supervision", response_model=schemas.SupervisionPage, tags=["Matters"])
async def supervision_list(
    db: SessionDep,
    settings: SettingsDep,
    subject: CurrentSubject,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size")] = views.SUPERVISION_PAGE,
    offset: Offset = 0,
) -> Any:
    """督办: overdue and due-soon matters in your scope, most urgent first, in pages by `offset` (`next_offset`)."""
    items, following = await views.supervision(db, subject, settings, limit=limit, offset=offset)
    return {"items": items, "limit": limit, "offset": offset, "next_offset": following}


@router.get("/matters/{matter_id}", response_model=schemas.MatterOut, tags=["Matters"])
async def get_matter(db: SessionDep, settings: SettingsDep, subject: CurrentSubject, matter_id: Id) -> Any:
    m = await service.get_visible(db, subject, matter_id)
    return _json(await views.matter_out(db, m, subject, settings), m=m)


@router.post("/matters/{matter_id}/actions/{action}", response_model=schemas.MatterOut, tags=["Matters"])
async def take_action(
    db: SessionDep,
    settings: SettingsDep,
    subject: CurrentSubject,
    matter_id: Id,
    action: str,
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
    data: schemas.ActionIn | None = None,
) -> Any:
    """Take one of the record's `allowed_actions`. Needs If-Match with the record's ETag (428 without, 412 when
    stale); any other action is a 409 naming the current state and the allowed actions."""
    m = await service.get_visible(db, subject, matter_id)
    _check_if_match(m, if_match)
    await service.act(db, subject, m, action, data or schemas.ActionIn())
    await _commit_matching(db, m)
    await db.refresh(m)
    return _json(await views.matter_out(db, m, subject, settings), m=m)


@router.post("/matters/{matter_id}/place", response_model=schemas.MatterOut, tags=["Matters"])
async def place_matter(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    subject: CurrentSubject,
    matter_id: Id,
    data: schemas.PlaceIn,
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
) -> Any:
    """Put a matter that came with an address only on the map (routes it to its grid)."""
    m = await service.get_visible(db, subject, matter_id)
    _check_if_match(m, if_match)
    actors = service.actors_for(subject, m, await service.covering_of(db, subject))
    if not actors & {flow.Actor.station, flow.Actor.grid_staff}:
        raise Forbidden("Only the station or the grid may place a matter")
    found = await service.locate(db, data.lat, data.lon)
    grid = found[0] if found else None
    if grid is None or grid.community_id != m.community_id:
        raise Invalid("The point is not inside a grid of this matter's community")
    service._set_point(m, data.lat, data.lon)
    m.grid_id = grid.id
    if data.address:
        m.address = data.address
    service.record(db, m, subject, "place", m.status, m.status, {"grid": grid.code})
    await _commit_matching(db, m)
    await db.refresh(m)
    return _json(await views.matter_out(db, m, subject, settings), m=m)


@router.get("/matters/{matter_id}/timeline", response_model=list[schemas.EventOut], tags=["Matters"])
async def timeline(db: SessionDep, subject: CurrentSubject, matter_id: Id) -> Any:
    """The audit trail: every change, oldest first. Events are never edited or deleted."""
    m = await service.get_visible(db, subject, matter_id)
    rows = (
        await db.execute(
            select(MatterEvent).where(MatterEvent.matter_id == m.id).order_by(MatterEvent.at, MatterEvent.id)
        )
    ).scalars()
    return [
        {
            "id": e.id,
            "at": e.at,
            "actor": e.actor_label,
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "data": e.data,
        }
        for e in rows
    ]


@router.get("/matters/{matter_id}/handoffs", response_model=list[schemas.HandoffOut], tags=["Matters"])
async def handoffs(db: SessionDep, subject: CurrentSubject, matter_id: Id) -> Any:
    """The work orders 工作单 of the matter: who handed it to whom, why, and whether it was signed or returned."""
    m = await service.get_visible(db, subject, matter_id)
    rows = list((await db.execute(select(Handoff).where(Handoff.matter_id == m.id).order_by(Handoff.id))).scalars())
    names = await views.names_of(db, {h.from_user_id for h in rows} | {h.to_user_id for h in rows})
    return [
        {
            "id": h.id,
            "from_level": h.from_level,
            "from_department_id": h.from_department_id,
            "from_user": names.get(h.from_user_id),
            "to_level": h.to_level,
            "to_department_id": h.to_department_id,
            "to_user": names.get(h.to_user_id),
            "reason": h.reason,
            "created_at": h.created_at,
            "sign_due_at": h.sign_due_at,
            "due_at": h.due_at,
            "signed_at": h.signed_at,
            "returned_at": h.returned_at,
            "return_reason": h.return_reason,
        }
        for h in rows
    ]


# --- photos --------------------------------------------------------------------------------------------------------


async def _store_photo(
    request: Request, db: Any, file: UploadFile, uploaded_by: int | None, stage: str = "before"
) -> Photo:
    settings = request.app.state.settings
    data = await file.read(settings.max_photo_bytes + 1)
    try:
        info = images.inspect(data, max_bytes=settings.max_photo_bytes)
        token = storage.new_token()
        await asyncio.to_thread(storage.store_for(settings).save, token, data, info)
    except images.ImageError as exc:
        raise Invalid(
            str(exc), code="bad-photo", errors=[{"loc": ["body", "file"], "msg": str(exc), "type": "value_error"}]
        ) from None
    photo = Photo(
        token=token,
        uploaded_by_id=uploaded_by,
        mime=info.mime,
        width=info.width,
        height=info.height,
        size_bytes=len(data),
        taken_at=info.taken_at,
        lat=info.lat,
        lon=info.lon,
        created_at=utcnow(),
        stage=stage,
    )
    db.add(photo)
    await db.commit()
    return photo


def _photo_created(p: Photo) -> dict[str, Any]:
    return {**views.photo_out(p), "token": p.token}


@router.post("/photos", status_code=201, tags=["Photos"])
async def upload_photo(
    request: Request,
    db: SessionDep,
    subject: CurrentSubject,
    limiter: throttle.ThrottleDep,
    file: Annotated[UploadFile, File(description="A JPEG, PNG or WebP photo")],
    stage: Annotated[
        Literal["before", "after"], Form(description="after: a result's photo, for resolving or handling on the spot")
    ] = "before",
) -> Any:
    """Upload a photo (staff); attach it by id when creating a matter, or as an after photo 处理后照片 when resolving
    it. EXIF time and position are kept."""
    await limiter.hit("upload", f"user:{subject.user_id}", "Too many photo uploads; wait a moment")
    return _photo_created(await _store_photo(request, db, file, subject.user_id, stage))


@router.get("/photos/{token}/{variant}", tags=["Photos"], response_class=FileResponse)
async def get_photo(request: Request, db: SessionDep, token: str, variant: Literal["public", "thumb"]) -> Any:
    """The public copy (metadata stripped) or the thumbnail of a photo."""
    store = storage.store_for(request.app.state.settings)
    found = await asyncio.to_thread(store.find, token, variant) if len(token) < 60 else None
    if found is None:
        raise NotFound("No such photo")
    headers = {"Cache-Control": "private, max-age=86400"}
    if found.path is not None:
        return FileResponse(found.path, media_type=found.mime, headers=headers)
    return Response(found.body, media_type=found.mime, headers=headers)


# --- the resident's pages --------------------------------------------------------------------------------------


@public.get("/categories", response_model=list[public_schemas.PublicCategoryOut])
async def public_categories(db: SessionDep) -> Any:
    """The categories a resident chooses from (居民可选), with their plain public names; the internal lines (党建 …)
    stay for staff (/categories)."""
    query = (
        select(Category)
        .where(Category.is_active.is_(True), Category.resident_facing.is_(True))
        .order_by(Category.sort_order)
    )
    return list((await db.execute(query)).scalars())


@public.post(
    "/photos", status_code=201, dependencies=[throttle.per_address("upload", "Too many photo uploads; wait a moment")]
)
async def public_upload_photo(
    request: Request, db: SessionDep, file: Annotated[UploadFile, File(description="A JPEG, PNG or WebP photo")]
) -> Any:
    """Upload a photo before submitting; pass its token in `photo_tokens`."""
    return _photo_created(await _store_photo(request, db, file, None))


@public.post(
    "/matters",
    status_code=201,
    response_model=schemas.PublicCreated,
    dependencies=[throttle.per_address("submission", "Too many requests submitted from your address; wait a moment")],
)
async def public_submit(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    data: schemas.PublicMatterCreate,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Any:
    """Submit a request without an account. Keep the tracking link (/track/CODE#t=TOKEN with the returned
    `tracking_token`): it shows the progress and lets you rate the result. The tracking code with the phone's last
    four digits does too."""

    async def create() -> tuple[int, dict[str, Any], None]:
        token, token_hash = tracking.new_token()
        m, grid, community = await intake.create_public(db, data, settings, tracking_token_hash=token_hash)
        return (
            201,
            {
                "tracking_code": m.tracking_code,
                "tracking_token": token,
                "status": m.status,
                "grid": grid.name,
                "community": community.name,
                "message": f"已受理登记，查询码 {m.tracking_code}，请保存查询链接，或凭手机号后四位查询进度",
            },
            None,
        )

    return await _idempotent_create(request, db, "public", idempotency_key, data.model_dump(mode="json"), create)


PUBLIC_STEPS = flow.PUBLIC_STEPS  # the steps the table marks as shown to the resident


# The steps shown to residents, built once (see views.PHOTOS).
_STEPS = (
    select(MatterEvent.at, MatterEvent.action, MatterEvent.to_status, MatterEvent.data)
    .where(MatterEvent.matter_id == bindparam("matter_id"), MatterEvent.action.in_(sorted(PUBLIC_STEPS)))
    .order_by(MatterEvent.at, MatterEvent.id)
)


async def _public_view(db: Any, m: Matter, cat: Category) -> dict[str, Any]:
    photos = list((await db.execute(views.PHOTOS, {"matter_id": m.id})).scalars())
    events = (await db.execute(_STEPS, {"matter_id": m.id})).all()
    allowed = {
        a.value for a in flow.allowed(flow.Status(m.status), {flow.Actor.resident}, service.facts_for(m, utcnow()))
    }
    return {
        "tracking_code": m.tracking_code,
        "category": {"id": cat.id, "code": cat.code, "name": cat.public_name_zh or cat.name_zh},
        "description": m.description,
        "address": m.address,
        "status": m.status,
        "created_at": m.created_at,
        "resolved_at": m.resolved_at,
        "result": m.result,
        "rating": m.rating,
        "can_rate": bool(allowed & {"confirm", "reopen", "reopen_to_station"}),
        "can_object": "object" in allowed,
        "notice_ends_at": m.notice_ends_at,
        "photos": [views.photo_out(p) for p in photos if p.stage != "after"],
        "after_photos": [views.public_photo_out(p) for p in photos if p.stage == "after"],
        "rating_source": m.rating_source,
        "steps": [_public_step(e) for e in events],
        "community_id": m.community_id,
        "next_due_at": _next_due(m),
    }


def _next_due(m: Matter) -> Any:
    """When the current step is due (signing for it first, else finishing it), while the matter is open."""
    if m.status not in {s.value for s in flow.OPEN}:
        return None
    return m.sign_due_at or m.due_at


def _public_step(e: Any) -> dict[str, Any]:
    """A step as the resident sees it; an approved extension or suspension with its kind and date (nothing personal:
    no names, no reasons, no notes)."""
    step = {"at": e.at, "action": e.action, "status": e.to_status}
    if e.action == "approve_application":
        step.update(kind=e.data.get("kind"), until=e.data.get("until"))
    return step


TRACKING_LIMIT = "Too many tracking requests from your address; wait a moment"


@public.get(
    "/matters/{code}",
    response_model=schemas.PublicMatterOut,
    dependencies=[throttle.per_address("tracking", TRACKING_LIMIT)],
)
async def public_track(
    db: SessionDep,
    settings: SettingsDep,
    client: throttle.ClientAddress,
    code: str,
    phone_last4: Annotated[str | None, Query(pattern=r"^[0-9]{4}$")] = None,
    token: Annotated[
        str | None, Header(alias="X-Tracking-Token", max_length=64, description="The token of the tracking link")
    ] = None,
) -> Any:
    """Follow a request: the tracking code with the token of the tracking link (a header, so that it stays out
    of access logs) or the last four digits of the phone number given with it."""
    if token is None and phone_last4 is None:
        raise Invalid(
            "Send the token of the tracking link or the phone's last four digits",
            errors=[{"loc": ["query", "phone_last4"], "msg": "required without a token", "type": "missing"}],
        )
    m, category = await tracking.verified(db, settings, code, client, token=token, last4=phone_last4)
    return await _public_view(db, m, category)


@public.post(
    "/matters/{code}/rating",
    response_model=schemas.PublicMatterOut,
    dependencies=[throttle.per_address("tracking", TRACKING_LIMIT)],
)
async def public_rate(
    db: SessionDep, settings: SettingsDep, client: throttle.ClientAddress, code: str, data: schemas.RatingIn
) -> Any:
    """Rate the result (with the link's token or the phone's last digits): satisfied or basically satisfied
    closes it; not satisfied reopens it once to the same handler, and a second time sends it to the station
    chief."""
    m, category = await tracking.verified(db, settings, code, client, token=data.token, last4=data.phone_last4)
    if data.rating == "not_satisfied":
        action = service.reopen_as_rating(m)
        body = schemas.ActionIn(reason=data.comment or "居民不满意")
    else:
        action, body = "confirm", schemas.ActionIn()
    await service.act(db, None, m, action, body, resident=True)
    m.rating, m.rating_comment, m.rated_at, m.rating_source = data.rating, data.comment, utcnow(), "resident"
    await db.commit()
    await db.refresh(m)
    return await _public_view(db, m, category)


@public.post(
    "/matters/{code}/objection",
    response_model=schemas.PublicMatterOut,
    dependencies=[throttle.per_address("tracking", TRACKING_LIMIT)],
)
async def public_object(
    db: SessionDep, settings: SettingsDep, client: throttle.ClientAddress, code: str, data: schemas.ObjectionIn
) -> Any:
    """Object during the public notice 公示 of an approval; it goes back to the department to decide again."""
    m, category = await tracking.verified(db, settings, code, client, token=data.token, last4=data.phone_last4)
    await service.act(db, None, m, "object", schemas.ActionIn(reason=data.reason), resident=True)
    await db.commit()
    await db.refresh(m)
    return await _public_view(db, m, category)
