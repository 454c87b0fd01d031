"""HTTP routes of the leaders' logs read from above 有人督查, and of the remarks left on them."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from wangge.accounts.dependencies import GridStaff, Supervisor
from wangge.deps import Limit, SessionDep
from wangge.fieldwork import logreview
from wangge.fieldwork import patrols_schemas as schemas
from wangge.schemas_common import Day, Id

router = APIRouter(tags=["Daily log"])


@router.get("/fieldwork/logs", response_model=schemas.LogPage)
async def list_logs(
    db: SessionDep,
    subject: Supervisor,
    start: Day,
    end: Annotated[Day | None, Query(description="The last day (default: start); at most 31 days")] = None,
    grid_id: Id | None = None,
    user_id: Id | None = None,
    signed: Annotated[bool | None, Query(description="Only the days signed (true) or not signed (false)")] = None,
    after: Annotated[Id | None, Query(description="Leaders after this id (the previous page's next_after)")] = None,
    limit: Limit = 50,
) -> Any:
    """The grid leaders in your scope (station chief: your community; street officer: your street; administrator:
    your area), each with their days: signed or not, items, remarks. A page at a time, by leader."""
    return await logreview.list_logs(
        db,
        subject=subject,
        start=start,
        end=end,
        grid_id=grid_id,
        user_id=user_id,
        signed=signed,
        after=after,
        limit=limit,
    )


@router.get("/fieldwork/logs/{user_id}/days/{day}", response_model=schemas.LeaderDay)
async def leader_day(db: SessionDep, subject: Supervisor, user_id: Id, day: Day) -> Any:
    """One leader's day as they see it (as signed, once signed), with the remarks on it; reading writes nothing."""
    return await logreview.leader_day(db, subject=subject, user_id=user_id, day=day)


@router.get("/fieldwork/logs/{user_id}/weeks/{start}", response_model=schemas.LeaderWeek)
async def leader_week(db: SessionDep, subject: Supervisor, user_id: Id, start: Day) -> Any:
    """One leader's week (from its Monday) summed up from the signed days, with the remarks on it."""
    return await logreview.leader_week(db, subject=subject, user_id=user_id, start=start)


@router.post("/fieldwork/logs/{user_id}/days/{day}/remarks", response_model=schemas.Remark, status_code=201)
async def remark_day(db: SessionDep, subject: Supervisor, user_id: Id, day: Day, data: schemas.RemarkIn) -> Any:
    """A remark on the leader's day (at most 500 characters); the leader reads it on 我的一天."""
    return await logreview.add_remark(db, subject=subject, user_id=user_id, kind="day", day=day, text=data.text)


@router.post("/fieldwork/logs/{user_id}/weeks/{start}/remarks", response_model=schemas.Remark, status_code=201)
async def remark_week(db: SessionDep, subject: Supervisor, user_id: Id, start: Day, data: schemas.RemarkIn) -> Any:
    """A remark on the leader's week (from its Monday); the leader reads it with their week."""
    return await logreview.add_remark(db, subject=subject, user_id=user_id, kind="week", day=start, text=data.text)


@router.post("/fieldwork/my-remarks/{remark_id}/read", response_model=schemas.Remark)
async def mark_remark_read(db: SessionDep, subject: GridStaff, remark_id: Id) -> Any:
    """Mark a remark on your own log read."""
    return await logreview.mark_read(db, subject=subject, remark_id=remark_id)
