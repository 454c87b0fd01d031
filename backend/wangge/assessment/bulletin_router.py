"""HTTP routes of the assessment's paperwork: the monthly bulletins 通报 of the streets (JSON for the printable page,
and XLSX), and the ranking table and the dashboard as XLSX."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import Field

from wangge.accounts.dependencies import requires
from wangge.accounts.models import Role, User
from wangge.accounts.scope import Subject
from wangge.assessment import bulletin, exports, service, units
from wangge.assessment import dashboard as dashboards
from wangge.assessment.router import Assessor, LevelQ, PeriodDep
from wangge.deps import ReadSessionDep
from wangge.imports import XLSX_RESPONSES, xlsx_download
from wangge.models_common import utcnow
from wangge.schemas_common import Id, Output

router = APIRouter(prefix="/assessment", tags=["Assessment"])
BulletinReader = Annotated[
    Subject,
    requires(Role.street_officer, Role.administrator, doing="read bulletins: street officers and administrators do"),
]


class BulletinScheme(Output):
    id: int
    version: int
    street_id: int | None


class BulletinSummary(Output):
    id: int
    street: dict[str, Any] = Field(description="{id, name}")
    month: str = Field(description="YYYY-MM")
    label: str
    generated_at: datetime
    scheme: BulletinScheme | None
    overdue_total: int


class BulletinOut(BulletinSummary):
    data: dict[str, Any] = Field(
        description="{street, month, period, scheme, street_figures, street_score, street_grade, "
        "ranking: [{unit, rank, "
        "score, grade, figures}], best, worst (grids: {unit, community, score, grade, figures}), best_worst_level, "
        "overdue: [{id, tracking_code, category, community, grid, holder_level, status, due_at, overdue_hours}], "
        "overdue_total}"
    )


async def exporter_name(db: Any, subject: Subject) -> str:
    user = await db.get(User, subject.user_id)
    return user.display_name if user else subject.username


@router.get("/bulletins", response_model=list[BulletinSummary])
async def list_bulletins(db: ReadSessionDep, subject: BulletinReader, street_id: Id | None = None) -> Any:
    """The monthly bulletins of the streets you may see (a street officer's street; an administrator's streets),
    newest month first."""
    return await bulletin.listing(db, subject, street_id=street_id)


@router.get("/bulletins/{bulletin_id}.xlsx", response_class=Response, responses=XLSX_RESPONSES)
async def bulletin_xlsx(db: ReadSessionDep, subject: BulletinReader, bulletin_id: Id) -> Response:
    """The bulletin as an Excel file: the ranking, the best and worst grids, the overdue matters named."""
    b = await bulletin.get(db, subject, bulletin_id)
    name = await exporter_name(db, subject)
    filename = f"bulletin-{b['month']}-{b['street']['id']}.xlsx"
    return await xlsx_download(filename, exports.bulletin_xlsx, b, exporter=name, at=utcnow())


@router.get("/bulletins/{bulletin_id}", response_model=BulletinOut)
async def get_bulletin(db: ReadSessionDep, subject: BulletinReader, bulletin_id: Id) -> Any:
    """A bulletin, for its printable page (404 outside your streets)."""
    return await bulletin.get(db, subject, bulletin_id)


# --- the ranking table and the dashboard as Excel (the same parameters and scope as their JSON routes) ------------


@router.get("/table.xlsx", response_class=Response, responses=XLSX_RESPONSES)
async def table_xlsx(
    db: ReadSessionDep,
    subject: Assessor,
    level: LevelQ,
    parent_level: LevelQ,
    parent_id: Id,
    p: PeriodDep,
) -> Response:
    """`GET /assessment/table` as an Excel file: the ranked rows with Chinese headers, each rate as a percentage
    followed by its numerator and denominator, with the period, the scheme, who exported it and when."""
    table = await service.table(
        db, subject=subject, level=level, parent_level=parent_level, parent_id=parent_id, period=p
    )
    parent = await units.name_of(db, parent_level, parent_id) or ""
    name = await exporter_name(db, subject)
    filename = f"assessment-{parent_level}-{parent_id}-{level}-{p.start}-{p.end}.xlsx"
    return await xlsx_download(filename, exports.table_xlsx, table, parent=parent, exporter=name, at=utcnow())


@router.get("/dashboard.xlsx", response_class=Response, responses=XLSX_RESPONSES)
async def dashboard_xlsx(
    db: ReadSessionDep,
    subject: Assessor,
    level: LevelQ,
    id: Id,
    p: PeriodDep,
) -> Response:
    """`GET /assessment/dashboard` as an Excel file, a sheet per table: the unit's figures beside the previous
    period and last year's, the trend, by category, by source, the most overdue and the units under it."""
    dash = await dashboards.dashboard(db, subject=subject, level=level, id=id, period=p)
    name = await exporter_name(db, subject)
    filename = f"assessment-{level}-{id}-{p.start}-{p.end}.xlsx"
    return await xlsx_download(filename, exports.dashboard_xlsx, dash, exporter=name, at=utcnow())
