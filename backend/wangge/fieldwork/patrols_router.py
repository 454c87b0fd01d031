"""HTTP routes of patrols, coverage and the daily log."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from wangge import idempotency
from wangge.accounts.dependencies import CurrentSubject, GridStaff, Supervisor
from wangge.deps import Limit, Offset, ReadSessionDep, SessionDep, SettingsDep
from wangge.errors import Invalid
from wangge.fieldwork import daylog, patrol_summary, patrols, patrols_table
from wangge.fieldwork import patrols_schemas as schemas
from wangge.schemas_common import Day, Id

router = APIRouter()
TAGS: list[Any] = ["Patrols"]
DAY_TAGS: list[Any] = ["Daily log"]


def _created(response: Response, created: bool) -> None:
    response.status_code = 201 if created else 200


@router.post("/patrols", response_model=schemas.PatrolOut, status_code=201, tags=TAGS)
async def start_patrol(db: SessionDep, subject: GridStaff, data: schemas.PatrolStart, response: Response) -> Any:
    """Start a patrol (grid staff). The same client_id again returns the same patrol with 200."""
    p, created = await patrols.start(db, subject, data)
    _created(response, created)
    return patrols.patrol_out(p)


@router.get("/patrols", response_model=schemas.PatrolPage, tags=TAGS)
async def list_patrols(
    db: SessionDep,
    subject: CurrentSubject,
    day: Day | None = None,
    user_id: Id | None = None,
    grid_id: Id | None = None,
    state: Annotated[
        Literal["ongoing", "ended"] | None,
        Query(description="Still going on (not ended: a patrol started on another phone, say), or ended"),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """Mine by default; a station chief and above may name a user (or a grid) in their scope."""
    rows, total = await patrols.list_patrols(
        db, subject, day=day, user_id=user_id, grid_id=grid_id, state=state, limit=limit, offset=offset
    )
    return {"items": [patrols.patrol_out(p) for p in rows], "total": total}


@router.get("/patrols/table", response_model=schemas.PatrolTablePage, tags=TAGS)
async def patrols_desk_table(
    db: ReadSessionDep,
    subject: Supervisor,
    grid_id: Annotated[Id | None, Query(description="Only this grid's (within what you may see)")] = None,
    user_id: Annotated[Id | None, Query(description="Only this person's patrols")] = None,
    started_from: Annotated[Day | None, Query(description="Started on or after this day (Beijing time)")] = None,
    started_to: Annotated[Day | None, Query(description="Started on or before this day (Beijing time)")] = None,
    state: Annotated[Literal["ongoing", "ended"] | None, Query(description="Still going on, or ended")] = None,
    flagged: Annotated[bool | None, Query(description="true: with points flagged as implausible; false: none")] = None,
    sort: Annotated[Literal["started", "-started"], Query(description="By start; `-` newest first")] = "-started",
    limit: Annotated[int, Query(ge=1, le=200, description="Page size")] = 50,
    after: Annotated[
        str | None, Query(max_length=200, description="The `next_after` of the page before (same filters and sort)")
    ] = None,
) -> Any:
    """The patrols of the grids in your scope as the desk's table (station chiefs, street officers, administrators):
    leader, grid, times, distance, points, check-ins and findings, never a coordinate. Keyset pages follow
    `next_after`, exact when patrols start at the same time; `total` is counted up to 1,000."""
    filters = patrols_table.Filters(
        grid_id=grid_id,
        user_id=user_id,
        started_from=started_from,
        started_to=started_to,
        state=state,
        flagged=flagged,
    )
    return await patrols_table.page(db, subject, filters, sort=sort, limit=limit, after=after)


@router.get("/patrols/{patrol_id}", response_model=schemas.PatrolDetail, tags=TAGS)
async def get_patrol(db: SessionDep, subject: CurrentSubject, patrol_id: Id) -> Any:
    """The patrol with its track, points, check-ins and findings: for its owner, and the station chief and above
    within scope; 404 for everybody else."""
    return await patrols.detail(db, subject, patrol_id)


@router.get("/patrols/{patrol_id}/summary", response_model=schemas.PatrolSummary, tags=TAGS)
async def get_patrol_summary(db: SessionDep, settings: SettingsDep, subject: CurrentSubject, patrol_id: Id) -> Any:
    """Time, distance, coverage of the grid by this patrol's track, findings and check-ins: shown when the patrol
    ends. For its owner, and the station chief and above within scope; 404 for everybody else."""
    return await patrol_summary.summary(db, subject=subject, patrol_id=patrol_id, settings=settings)


@router.post("/patrols/{patrol_id}/stop", response_model=schemas.PatrolOut, tags=TAGS)
async def stop_patrol(db: SessionDep, subject: CurrentSubject, patrol_id: Id, data: schemas.PatrolStop) -> Any:
    return patrols.patrol_out(await patrols.stop(db, subject, patrol_id, data))


@router.post("/patrols/{patrol_id}/points", response_model=schemas.BatchResult, tags=TAGS)
async def add_points(
    db: SessionDep,
    settings: SettingsDep,
    subject: CurrentSubject,
    patrol_id: Id,
    data: schemas.PointBatch,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Any:
    """A batch of GPS points (1–2000). A repeated batch_id returns the first answer and stores nothing."""
    key = idempotency.check_key(idempotency_key)
    if key is not None and key != data.batch_id:
        raise Invalid(
            "The Idempotency-Key must be the batch_id",
            errors=[{"loc": ["header", "Idempotency-Key"], "msg": "differs from batch_id", "type": "value_error"}],
        )
    answer, replayed = await patrols.add_points(db, subject, patrol_id, data, settings)
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return JSONResponse(jsonable_encoder(answer), headers=headers)


@router.post("/patrols/{patrol_id}/checkins", response_model=schemas.CheckInOut, status_code=201, tags=TAGS)
async def add_checkin(
    db: SessionDep, subject: CurrentSubject, patrol_id: Id, data: schemas.CheckInIn, response: Response
) -> Any:
    """A check-in at a building of the patrol's grid; the same client_id again returns it with 200."""
    c, created = await patrols.add_checkin(db, subject, patrol_id, data)
    _created(response, created)
    return patrols.checkin_out(c)


@router.post("/patrols/{patrol_id}/findings", response_model=schemas.FindingOut, status_code=201, tags=TAGS)
async def add_finding(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    subject: CurrentSubject,
    patrol_id: Id,
    data: schemas.FindingIn,
    response: Response,
) -> Any:
    """Something seen: it becomes a field matter linked to the patrol (resolved at once when handled on the spot).
    The same client_id again returns the same finding and matter with 200."""
    out, created = await patrols.add_finding(db, subject, patrol_id, data, settings)
    _created(response, created)
    return out


# --- coverage ------------------------------------------------------------------------------------------------------


@router.get(
    "/grids/{grid_id}/coverage",
    response_model=schemas.GridCoverageOut,
    response_model_by_alias=True,
    tags=["Grids", "Patrols"],
)
async def grid_coverage(
    db: SessionDep,
    settings: SettingsDep,
    subject: CurrentSubject,
    grid_id: Id,
    day: Day | None = None,
    week: Annotated[Day | None, Query(description="The Monday of the week")] = None,
) -> Any:
    """Patrolled or not, patrols, distance, the share of the grid within the coverage buffer of a track (computed
    by the database) and buildings visited, for a Beijing day or a week."""
    if (day is None) == (week is None):
        raise Invalid(
            "Give either day or week",
            errors=[{"loc": ["query", "day"], "msg": "give day or week", "type": "value_error"}],
        )
    if week is not None and week.weekday() != 0:
        raise Invalid(
            f"A week starts on a Monday; {week} is not one",
            errors=[{"loc": ["query", "week"], "msg": "not a Monday", "type": "value_error"}],
        )
    first, days = (day, 1) if day is not None else (week, 7)
    out = await patrols.coverage(db, subject, grid_id, first, days, settings)
    return schemas.GridCoverageOut(**out)


@router.get("/fieldwork/unpatrolled", response_model=schemas.Unpatrolled, tags=TAGS)
async def unpatrolled(db: SessionDep, subject: CurrentSubject, day: Day | None = None) -> Any:
    """The grids in the caller's scope with no patrol that day (station chief and above)."""
    day = day or patrols.today()
    grids = await patrols.unpatrolled(db, subject, day)
    return {"day": day, "grids": [{"id": g.id, "code": g.code, "name": g.name} for g in grids]}


# --- the daily log -------------------------------------------------------------------------------------------------


@router.get("/fieldwork/my-day", response_model=schemas.MyDay, tags=DAY_TAGS)
async def my_day(db: SessionDep, subject: GridStaff, day: Day | None = None) -> Any:
    """The grid staff member's day (default today, Beijing): patrols, items with their dispositions, what blocks
    signing."""
    return await daylog.my_day(db, subject, day or patrols.today())


@router.put("/fieldwork/my-day/{day}/dispositions/{kind}/{item_id}", response_model=schemas.MyDay, tags=DAY_TAGS)
async def set_disposition(
    db: SessionDep,
    subject: GridStaff,
    day: Day,
    kind: Literal["matter", "finding"],
    item_id: Id,
    data: schemas.DispositionIn,
) -> Any:
    """Give an item that its status does not settle a disposition: carried over or handled, with a note."""
    return await daylog.set_disposition(db, subject, day, kind, item_id, data)


@router.post("/fieldwork/my-day/{day}/sign", response_model=schemas.MyDay, tags=DAY_TAGS)
async def sign_day(db: SessionDep, subject: GridStaff, day: Day) -> Any:
    """Sign the day; 409 naming each item without a disposition, or when it is already signed."""
    return await daylog.sign(db, subject, day)


@router.get("/fieldwork/week", response_model=schemas.Week, tags=DAY_TAGS)
async def week_summary(db: SessionDep, subject: GridStaff, start: Day) -> Any:
    """The week (from its Monday) summed up from the signed daily logs."""
    return await daylog.week(db, subject, start)
