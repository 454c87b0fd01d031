"""HTTP routes of the assessment 考核: figures, ranked tables and dashboards of the units in your scope (outside it:
404), a grid leader's month, and the schemes (administrators write them)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from wangge.accounts.dependencies import requires
from wangge.accounts.models import Role
from wangge.accounts.scope import Subject
from wangge.assessment import dashboard as dashboards
from wangge.assessment import periods, schemes, service
from wangge.assessment import schemas as s
from wangge.deps import ReadSessionDep, SessionDep
from wangge.schemas_common import Day, Id

router = APIRouter(tags=["Assessment"])

R = Role
Assessor = Annotated[
    Subject,
    requires(
        R.station_chief,
        R.street_officer,
        R.department_officer,
        R.administrator,
        doing="read the assessment: station chiefs, street and department officers and administrators do",
    ),
]
GridLeader = Annotated[Subject, requires(R.grid_leader, doing="read your month: grid leaders do")]
SchemeWriter = Annotated[Subject, requires(R.administrator, doing="set assessment schemes: administrators do")]

LevelQ = Annotated[
    Literal["grid", "leader", "community", "street", "department", "district"], Query(description="The unit's level")
]
PeriodQ = Annotated[
    Literal["day", "week", "month", "quarter", "year", "range"], Query(description="The kind of period")
]
AtQ = Annotated[Day | None, Query(description="A day inside the period (default: today in Beijing)")]
StartQ = Annotated[Day | None, Query(description="A range's first day")]
EndQ = Annotated[Day | None, Query(description="A range's last day (at most 366 days in all)")]


def _period(period: PeriodQ = "month", at: AtQ = None, start: StartQ = None, end: EndQ = None) -> periods.Period:
    """The period every assessment route takes: a kind and a day inside it, or a range's first and last days."""
    return periods.period_of(period, at, start, end)


PeriodDep = Annotated[periods.Period, Depends(_period)]


@router.get("/assessment/figures", response_model=s.UnitFigures)
async def unit_figures(
    db: ReadSessionDep,
    subject: Assessor,
    level: LevelQ,
    id: Id,
    p: PeriodDep,
) -> Any:
    """A unit's figures for the period, scored with the scheme in force then, with the previous period and the same
    period last year beside them."""
    return await service.unit_figures(db, subject=subject, level=level, id=id, period=p)


@router.get("/assessment/table", response_model=s.Table)
async def table(
    db: ReadSessionDep,
    subject: Assessor,
    level: LevelQ,
    parent_level: LevelQ,
    parent_id: Id,
    p: PeriodDep,
) -> Any:
    """The children of a unit at `level` (a street's communities or departments, a community's grids…), ranked by
    score within it; ties share a rank (1, 1, 3) and units without a score come last."""
    return await service.table(
        db, subject=subject, level=level, parent_level=parent_level, parent_id=parent_id, period=p
    )


@router.get("/assessment/dashboard", response_model=s.Dashboard)
async def dashboard(
    db: ReadSessionDep,
    subject: Assessor,
    level: LevelQ,
    id: Id,
    p: PeriodDep,
) -> Any:
    """A unit's dashboard: figures, the trend of the 12 periods up to this one, by category and by source, the most
    overdue open matters, a map of ~100 m cells and the children's table."""
    return await dashboards.dashboard(db, subject=subject, level=level, id=id, period=p)


@router.get("/assessment/me", response_model=s.MyMonth)
async def my_month(
    db: ReadSessionDep,
    subject: GridLeader,
    p: PeriodDep,
) -> Any:
    """Your month (or another period): your own figures, your grids', and your rank among your community's
    leaders."""
    return await service.my_month(db, subject=subject, period=p)


@router.get("/assessment/schemes", response_model=list[s.SchemeOut])
async def list_schemes(db: SessionDep, subject: Assessor, street_id: Id | None = None) -> Any:
    """Every version of a street's scheme (without street_id: the district-wide default's), newest first."""
    return await schemes.list_schemes(db, subject=subject, street_id=street_id)


@router.get("/assessment/schemes/current", response_model=s.SchemeOut)
async def current_scheme(
    db: SessionDep,
    subject: Assessor,
    street_id: Id | None = None,
    month: Annotated[Day | None, Query(description="Any day of the month (default: this month)")] = None,
) -> Any:
    """The scheme scoring a street's month: the street's newest version in force on its first day, else the
    district-wide default's, else the built-in 三率 30/35/35 (id null)."""
    await schemes.readable_street(db, subject, street_id)
    return (await schemes.in_force(db, street_id=street_id, month=month or periods.today())).out()


@router.post("/assessment/schemes", response_model=s.SchemeOut, status_code=201)
async def create_scheme(db: SessionDep, subject: SchemeWriter, data: s.SchemeIn) -> Any:
    """The next version of a street's scheme (or of the default), in force from the month of `effective_from`;
    the weights must sum to 100 (422 scheme-weights)."""
    return await schemes.create(db, subject=subject, data=data)
