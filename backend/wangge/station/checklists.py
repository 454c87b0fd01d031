"""Checklist templates of the monthly hazard inspection 隐患排查 (fire, gas, electrical, …): listed, created, edited
and deactivated, never deleted.

A template is either for every street (no street: a system administrator manages it) or one street's own (that
street's officers, and administrators over it, manage it). A community's monthly cycle issues the active templates
for every street and those of its own street. Each task keeps the checklist as issued (InspectionTask.checklist), so
editing a template changes the tasks issued after the edit, never those already given out.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts import scope
from wangge.accounts.models import Role, ScopeLevel
from wangge.accounts.scope import Subject
from wangge.errors import Conflict, Forbidden, NotFound
from wangge.hierarchy.models import Street
from wangge.policy import readable
from wangge.station.models import ChecklistTemplate

FIELDS = ("name_zh", "name_en", "hazard_type", "items", "is_active")


def snapshot(t: ChecklistTemplate) -> dict[str, Any]:
    """The checklist as a task keeps it."""
    return {"code": t.code, "name_zh": t.name_zh, "name_en": t.name_en, "hazard_type": t.hazard_type, "items": t.items}


def visible(subject: Subject) -> ColumnElement[bool]:
    """The templates for every street, and those of the streets the caller may read."""
    if subject.scope_level == ScopeLevel.system:
        return true()
    streets = select(Street.id).where(readable(subject, Street))
    return or_(ChecklistTemplate.street_id.is_(None), ChecklistTemplate.street_id.in_(streets))


def may_manage(subject: Subject, street_id: int | None, district_id: int | None) -> bool:
    """A template for every street: system administrators; a street's own: its officers, administrators over it."""
    if street_id is None:
        return subject.role == Role.administrator and subject.scope_level == ScopeLevel.system
    if subject.role == Role.street_officer:
        return subject.street_id == street_id
    path = {"district_id": district_id, "street_id": street_id}
    return subject.role == Role.administrator and scope.within_area(subject, "street", path)


def _require_reader(subject: Subject) -> None:
    if subject.role == Role.resident:
        raise Forbidden("Residents may not read the checklists")


async def _street(db: AsyncSession, subject: Subject, street_id: int | None) -> Street | None:
    if street_id is None:
        return None
    street = (await db.execute(select(Street).where(Street.id == street_id, readable(subject, Street)))).scalar()
    if street is None:
        raise NotFound(f"No street with id {street_id} in your scope")
    return street


def template_out(t: ChecklistTemplate, streets: dict[int, tuple[str, int]], subject: Subject) -> dict[str, Any]:
    name, district_id = streets.get(t.street_id, ("", None)) if t.street_id else ("", None)
    return {
        **snapshot(t),
        "id": t.id,
        "street": None if t.street_id is None else {"id": t.street_id, "name": name},
        "is_active": t.is_active,
        "can_edit": may_manage(subject, t.street_id, district_id),
    }


async def list_templates(db: AsyncSession, *, subject: Subject, active: bool | None) -> list[dict[str, Any]]:
    _require_reader(subject)
    q = select(ChecklistTemplate).where(visible(subject))
    if active is not None:
        q = q.where(ChecklistTemplate.is_active.is_(active))
    rows = list((await db.execute(q.order_by(ChecklistTemplate.code).limit(500))).scalars())
    return await outs(db, subject, rows)


async def outs(db: AsyncSession, subject: Subject, rows: list[ChecklistTemplate]) -> list[dict[str, Any]]:
    ids = {t.street_id for t in rows if t.street_id}
    streets: dict[int, tuple[str, int]] = {}
    if ids:
        found = await db.execute(select(Street.id, Street.name, Street.district_id).where(Street.id.in_(ids)))
        streets = {sid: (name, district_id) for sid, name, district_id in found.all()}
    return [template_out(t, streets, subject) for t in rows]


async def get_template(db: AsyncSession, *, subject: Subject, template_id: int) -> ChecklistTemplate:
    _require_reader(subject)
    t = (
        await db.execute(select(ChecklistTemplate).where(ChecklistTemplate.id == template_id, visible(subject)))
    ).scalar()
    if t is None:
        raise NotFound(f"No checklist template with id {template_id} in your scope")
    return t


async def create_template(db: AsyncSession, *, subject: Subject, data: Any) -> ChecklistTemplate:
    """A new template; a street officer's is their street's (street_id left out), a system administrator's is for
    every street unless a street is named."""
    street_id = data.street_id
    if street_id is None and subject.role == Role.street_officer:
        street_id = subject.street_id
    street = await _street(db, subject, street_id)
    if not may_manage(subject, street.id if street else None, street.district_id if street else None):
        raise Forbidden(
            "Only a system administrator makes a checklist for every street; a street's officers and its "
            "administrators make the street's own"
        )
    taken = (await db.execute(select(ChecklistTemplate.id).where(ChecklistTemplate.code == data.code))).scalar()
    if taken is not None:
        raise Conflict(f"A checklist with the code {data.code} exists already", code="checklist-code-taken")
    t = ChecklistTemplate(
        code=data.code,
        street_id=street.id if street else None,
        name_zh=data.name_zh,
        name_en=data.name_en,
        hazard_type=data.hazard_type,
        items=[i.model_dump() for i in data.items],
        is_active=True,
    )
    db.add(t)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise Conflict(f"A checklist with the code {data.code} exists already", code="checklist-code-taken") from None
    return t


async def update_template(db: AsyncSession, *, subject: Subject, template: ChecklistTemplate, data: Any) -> None:
    """Change the names, hazard type or items, or (de)activate it; the tasks already issued keep their items."""
    street = await db.get(Street, template.street_id) if template.street_id else None
    if not may_manage(subject, template.street_id, street.district_id if street else None):
        raise Forbidden("You may read this checklist but not change it")
    given = data.model_dump(exclude_unset=True)
    for field in FIELDS:
        if field in given and given[field] is not None:
            setattr(template, field, given[field])
    await db.commit()
