"""The inspection tasks of the monthly hazard cycle as their inspectors see them: a grid leader's tasks of the
month for their grid (and those given to them), each with the checklist as it was issued; the station chief and
the street above those of the communities in their scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import Role
from wangge.accounts.scope import Subject
from wangge.errors import Forbidden, NotFound
from wangge.hierarchy.models import Community, Grid
from wangge.matters import views as matter_views
from wangge.policy import readable
from wangge.station.hazards import checklist_of, may_submit
from wangge.station.models import ChecklistTemplate, HazardCycle, InspectionTask

FIELD = (Role.grid_leader.value, Role.grid_member.value)


def _visible(subject: Subject) -> Any:
    if subject.role == Role.resident:
        raise Forbidden("Residents have no inspection tasks")
    q = (
        select(InspectionTask, HazardCycle, Community, Grid, ChecklistTemplate)
        .join(HazardCycle, HazardCycle.id == InspectionTask.cycle_id)
        .join(Community, Community.id == HazardCycle.community_id)
        .join(Grid, Grid.id == InspectionTask.grid_id)
        .join(ChecklistTemplate, ChecklistTemplate.id == InspectionTask.template_id)
        .where(readable(subject, Community))
    )
    if subject.role in FIELD:  # their grid's, and those given to them
        q = q.where(or_(InspectionTask.grid_id == subject.grid_id, InspectionTask.assignee_id == subject.user_id))
    return q


async def _outs(db: AsyncSession, subject: Subject, rows: list[Any]) -> list[dict[str, Any]]:
    names = await matter_views.names_of(db, {r[0].assignee_id for r in rows})
    out = []
    for task, cycle, community, grid, template in rows:
        out.append(
            {
                "id": task.id,
                "cycle_id": cycle.id,
                "month": cycle.month,
                "community": {"id": community.id, "name": community.name},
                "grid": {"id": grid.id, "name": grid.name},
                "checklist": checklist_of(task, template),
                "assignee": {"id": task.assignee_id, "name": names.get(task.assignee_id, "")}
                if task.assignee_id
                else None,
                "done": task.done_at is not None,
                "done_at": task.done_at,
                "results": task.results or {},
                "remarks": task.remarks or {},
                "may_submit": task.done_at is None and may_submit(subject, task, community.id),
            }
        )
    return out


async def list_tasks(
    db: AsyncSession, *, subject: Subject, month: str | None, grid_id: int | None
) -> list[dict[str, Any]]:
    q = _visible(subject)
    if month is not None:
        q = q.where(HazardCycle.month == month)
    if grid_id is not None:
        q = q.where(InspectionTask.grid_id == grid_id)
    order = (HazardCycle.month.desc(), Grid.id, InspectionTask.id)
    return await _outs(db, subject, list((await db.execute(q.order_by(*order).limit(500))).all()))


async def get_task(db: AsyncSession, *, subject: Subject, task_id: int) -> dict[str, Any]:
    row = (await db.execute(_visible(subject).where(InspectionTask.id == task_id))).first()
    if row is None:
        raise NotFound(f"No inspection task with id {task_id} in your scope")
    return (await _outs(db, subject, [row]))[0]
