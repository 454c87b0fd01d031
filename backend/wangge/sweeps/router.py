"""HTTP routes of household sweeps 逐户排查: thin functions that hand the work to sweeps.service. A tick may carry an
Idempotency-Key (the phone's outbox sends its own id): a replay answers the first response and records nothing."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wangge import idempotency
from wangge.accounts.dependencies import R, requires
from wangge.accounts.models import User
from wangge.accounts.scope import Subject
from wangge.deps import Limit, Offset, SessionDep
from wangge.imports import TEMPLATE_RESPONSES, xlsx_response
from wangge.schemas_common import Id, Page
from wangge.sweeps import exports, schemas, service

router = APIRouter(tags=["Sweeps"])

SweepReader = Annotated[
    Subject,
    requires(
        R.grid_leader, R.grid_member, R.station_chief, R.street_officer, R.administrator,
        doing="read household sweeps: grid staff, station chiefs, street officers and administrators do",
    ),
]  # fmt: skip
SweepOrganiser = Annotated[
    Subject,
    requires(R.street_officer, R.station_chief, doing="make or close household sweeps: street officers and chiefs do"),
]
SweepTicker = Annotated[
    Subject,
    requires(
        R.grid_leader, R.grid_member, R.station_chief,
        doing="tick households of a sweep: grid staff and station chiefs do",
    ),
]  # fmt: skip


@router.get("/sweeps/grids", response_model=list[schemas.SweepableGrid])
async def sweepable_grids(db: SessionDep, subject: SweepOrganiser) -> Any:
    """The grids you may sweep (your street's or your community's), each with its houses in the registry."""
    return await service.grids_to_sweep(db, subject=subject)


@router.post("/sweeps", status_code=201, response_model=schemas.SweepDetail)
async def create_sweep(db: SessionDep, subject: SweepOrganiser, data: schemas.SweepIn) -> Any:
    """Make a campaign over grids of your area: one household task per house of the registry in those grids (vacant
    ones too); 422 `sweep-dates`."""
    s = await service.create(db, subject=subject, data=data)
    await db.commit()
    return await service.sweep_detail(db, subject=subject, sweep=s)


@router.get("/sweeps", response_model=list[schemas.SweepOut])
async def list_sweeps(db: SessionDep, subject: SweepReader, status: Literal["open", "closed"] | None = None) -> Any:
    """Campaigns touching your grids, newest first (at most 200), with their progress in your scope."""
    rows = await service.list_sweeps(db, subject=subject, status=status)
    return await service.sweeps_out(db, subject=subject, rows=rows)


@router.get("/sweeps/{sweep_id}", response_model=schemas.SweepDetail)
async def get_sweep(db: SessionDep, subject: SweepReader, sweep_id: Id) -> Any:
    """The campaign with its progress per grid and per building (your scope)."""
    s = await service.get_visible(db, subject=subject, sweep_id=sweep_id)
    return await service.sweep_detail(db, subject=subject, sweep=s)


@router.post("/sweeps/{sweep_id}/close", response_model=schemas.SweepDetail)
async def close_sweep(db: SessionDep, subject: SweepOrganiser, sweep_id: Id) -> Any:
    """End the campaign (the unit that made it): it takes no more ticks; 409 `sweep-closed` when it already is."""
    s = await service.close(db, subject=subject, sweep_id=sweep_id)
    await db.commit()
    return await service.sweep_detail(db, subject=subject, sweep=s)


@router.get("/sweeps/{sweep_id}/tasks", response_model=Page[schemas.TaskOut])
async def list_tasks(
    db: SessionDep,
    subject: SweepReader,
    sweep_id: Id,
    grid_id: Annotated[Id | None, Query()] = None,
    building_id: Annotated[Id | None, Query()] = None,
    state: Annotated[schemas.TaskState, Query(description="missed: not ticked or 无人在家")] = "all",
    limit: Limit = 1000,
    offset: Offset = 0,
) -> Any:
    """The campaign's households in your scope, by grid, building, unit, floor and room."""
    s = await service.get_visible(db, subject=subject, sweep_id=sweep_id)
    items, total = await service.list_tasks(
        db, subject=subject, sweep=s, grid_id=grid_id, building_id=building_id, state=state, limit=limit, offset=offset
    )
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.post("/sweeps/{sweep_id}/tasks/{task_id}/tick", response_model=schemas.TaskOut)
async def tick(
    db: SessionDep,
    subject: SweepTicker,
    sweep_id: Id,
    task_id: Id,
    data: schemas.TickIn,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Any:
    """Tick a household with a result (a second tick updates it; each is a registry event). Send an Idempotency-Key
    to make retries safe: a replay answers the first response. 409 `sweep-closed`, `sweep-not-started`; 422
    `sweep-note-required` (abnormal needs a note), `idempotency-key-reused`."""
    key = idempotency.check_key(idempotency_key)
    principal = f"user:{subject.user_id}"
    digest = idempotency.body_hash({"sweep_id": sweep_id, "task_id": task_id, **data.model_dump(mode="json")})
    if key and (stored := await idempotency.replay(db, principal, key, digest)):
        return JSONResponse(stored[1], status_code=stored[0], headers={"Idempotent-Replayed": "true"})
    await service.tick(db, subject=subject, sweep_id=sweep_id, task_id=task_id, data=data)
    out = jsonable_encoder(
        schemas.TaskOut.model_validate(await service.task_out(db, subject=subject, sweep_id=sweep_id, task_id=task_id))
    )
    if key:
        idempotency.remember(db, principal, key, digest, 200, out)
    try:
        await db.commit()
    except IntegrityError:
        # The same tick sent twice at the same moment: the other copy won; answer as its replay.
        await db.rollback()
        stored = await idempotency.replay(db, principal, key, digest) if key else None
        if stored is None:
            raise
        return JSONResponse(stored[1], status_code=stored[0], headers={"Idempotent-Replayed": "true"})
    return JSONResponse(out)


@router.get("/sweeps/{sweep_id}/results.xlsx", response_class=Response, responses=TEMPLATE_RESPONSES)
async def export_results(db: SessionDep, subject: SweepReader, sweep_id: Id) -> Response:
    """The campaign's results in your scope as XLSX: one row per household, the progress per grid, and who exported
    it and when."""
    s = await service.get_visible(db, subject=subject, sweep_id=sweep_id)
    detail = await service.sweep_detail(db, subject=subject, sweep=s)
    tasks, _ = await service.list_tasks(db, subject=subject, sweep=s, limit=100_000)
    exporter = await db.scalar(select(User.display_name).where(User.id == subject.user_id)) or subject.username
    data = await asyncio.to_thread(exports.results_xlsx, detail, detail["grids"], tasks, exporter=exporter)
    return xlsx_response(data, f"sweep-{s.id}.xlsx")
