"""HTTP routes of early warnings 预警: thin functions that hand the work to earlywarning.service."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter
from sqlalchemy import select

from wangge.accounts.dependencies import CurrentSubject, requires
from wangge.accounts.models import Role
from wangge.accounts.scope import Subject
from wangge.deps import SessionDep
from wangge.earlywarning import schemas, service
from wangge.hierarchy.models import Grid
from wangge.schemas_common import Id

router = APIRouter(tags=["Early warnings"])

WarningIssuer = Annotated[
    Subject,
    requires(Role.street_officer, Role.station_chief, doing="issue or lift warnings: street officers and chiefs do"),
]


@router.get("/warnings/grids", response_model=list[schemas.WarnableGrid])
async def warnable_grids(db: SessionDep, subject: WarningIssuer) -> Any:
    """The grids you may warn: your street's (street officer) or your community's (station chief)."""
    q = select(Grid).where(service.issuable_grids(subject), Grid.is_active.is_(True)).order_by(Grid.code)
    return list((await db.execute(q)).scalars())


@router.post("/warnings", status_code=201, response_model=schemas.WarningDetail)
async def issue_warning(db: SessionDep, subject: WarningIssuer, data: schemas.WarningIn) -> Any:
    """Issue a warning to grids of your area: their staff are notified at once and the SMS/WeChat gateway gets
    `warning.issued` through the signed webhook."""
    w = await service.issue(db, subject=subject, data=data)
    await db.commit()
    return (await service.warnings_out(db, subject=subject, rows=[w], with_recipients=True))[0]


@router.get("/warnings", response_model=list[schemas.WarningOut])
async def list_warnings(
    db: SessionDep, subject: CurrentSubject, status: Literal["active", "lifted"] | None = None
) -> Any:
    """Warnings for grids of your area (grid staff: your grid), newest first, at most 200."""
    rows = await service.list_warnings(db, subject=subject, status=status)
    return await service.warnings_out(db, subject=subject, rows=rows)


@router.get("/warnings/{warning_id}", response_model=schemas.WarningDetail)
async def get_warning(db: SessionDep, subject: CurrentSubject, warning_id: Id) -> Any:
    """The warning with the staff it reached and who has acknowledged it."""
    w = await service.get_visible(db, subject=subject, warning_id=warning_id)
    return (await service.warnings_out(db, subject=subject, rows=[w], with_recipients=True))[0]


@router.post("/warnings/{warning_id}/lift", response_model=schemas.WarningDetail)
async def lift_warning(db: SessionDep, subject: WarningIssuer, warning_id: Id, data: schemas.LiftIn) -> Any:
    """Lift 解除 the warning (the issuing unit): announced like the warning itself, as `warning.lifted`."""
    w = await service.lift(db, subject=subject, warning_id=warning_id, note=data.note)
    await db.commit()
    return (await service.warnings_out(db, subject=subject, rows=[w], with_recipients=True))[0]


@router.post("/warnings/{warning_id}/ack", response_model=schemas.WarningOut)
async def acknowledge_warning(db: SessionDep, subject: CurrentSubject, warning_id: Id) -> Any:
    """确认收到: the staff member the warning went to has seen it (a repeat keeps the first time)."""
    w = await service.acknowledge(db, subject=subject, warning_id=warning_id)
    await db.commit()
    return (await service.warnings_out(db, subject=subject, rows=[w]))[0]
