"""HTTP routes of the checklist templates of the hazard inspection, and of the inspection tasks as their inspectors
see them (a grid leader's of the month, with the checklist as issued)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from wangge.accounts.dependencies import CurrentSubject, requires
from wangge.accounts.models import Role
from wangge.accounts.scope import Subject
from wangge.deps import SessionDep
from wangge.schemas_common import Id
from wangge.station import checklists, inspections, schemas

router = APIRouter()
ChecklistManager = Annotated[
    Subject,
    requires(Role.administrator, Role.street_officer, doing="manage checklists: administrators and street officers do"),
]


@router.get("/hazards/checklists", response_model=schemas.ChecklistList, tags=["Hazards"])
async def list_checklists(
    db: SessionDep,
    subject: CurrentSubject,
    active: Annotated[bool | None, Query(description="Only the active (true) or deactivated (false) ones")] = None,
) -> Any:
    """The checklist templates for every street and those of the streets in your scope."""
    return {"items": await checklists.list_templates(db, subject=subject, active=active)}


@router.post("/hazards/checklists", response_model=schemas.ChecklistOut, status_code=201, tags=["Hazards"])
async def create_checklist(db: SessionDep, subject: ChecklistManager, data: schemas.ChecklistCreate) -> Any:
    """A new checklist: for every street (system administrator) or a street's own (its officers and administrators).
    409 `checklist-code-taken` when the code exists."""
    t = await checklists.create_template(db, subject=subject, data=data)
    return (await checklists.outs(db, subject, [t]))[0]


@router.get("/hazards/checklists/{template_id}", response_model=schemas.ChecklistOut, tags=["Hazards"])
async def get_checklist(db: SessionDep, subject: CurrentSubject, template_id: Id) -> Any:
    t = await checklists.get_template(db, subject=subject, template_id=template_id)
    return (await checklists.outs(db, subject, [t]))[0]


@router.patch("/hazards/checklists/{template_id}", response_model=schemas.ChecklistOut, tags=["Hazards"])
async def update_checklist(
    db: SessionDep, subject: ChecklistManager, template_id: Id, data: schemas.ChecklistUpdate
) -> Any:
    """Change its names, hazard type or items, or deactivate it (`is_active: false`; never deleted). The tasks
    already issued keep the items they were issued with."""
    t = await checklists.get_template(db, subject=subject, template_id=template_id)
    await checklists.update_template(db, subject=subject, template=t, data=data)
    return (await checklists.outs(db, subject, [t]))[0]


@router.get("/hazards/tasks", response_model=schemas.InspectionTaskList, tags=["Hazards"])
async def list_tasks(
    db: SessionDep,
    subject: CurrentSubject,
    month: Annotated[str | None, Query(pattern=schemas.MONTH_PATTERN)] = None,
    grid_id: Id | None = None,
) -> Any:
    """Inspection tasks: a grid leader's for their grid (and those given to them), the station chief's and the
    street's for the communities in scope; each with the checklist as issued."""
    return {"items": await inspections.list_tasks(db, subject=subject, month=month, grid_id=grid_id)}


@router.get("/hazards/tasks/{task_id}", response_model=schemas.InspectionTaskOut, tags=["Hazards"])
async def get_task(db: SessionDep, subject: CurrentSubject, task_id: Id) -> Any:
    return await inspections.get_task(db, subject=subject, task_id=task_id)
