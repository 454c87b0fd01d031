"""Which grids' registries a caller may read and change, as SQL: staff read the grids in their scope (a grid leader
also those they cover now for an A/B partner on leave); grid staff, station chiefs and administrators change them;
street officers read. A grid, house or person outside is a 404."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts import scope
from wangge.accounts.models import Role
from wangge.accounts.scope import Subject
from wangge.errors import Forbidden, NotFound
from wangge.hierarchy.models import Grid

READERS = frozenset({Role.grid_leader, Role.grid_member, Role.station_chief, Role.street_officer, Role.administrator})
WRITERS = frozenset({Role.grid_leader, Role.grid_member, Role.station_chief, Role.administrator})


def grid_ids(subject: Subject) -> Any:
    """A subquery of the grids whose registries `subject` may read (empty for other roles)."""
    from wangge.fieldwork.people import covered_grid_ids

    if subject.role not in READERS:
        return select(Grid.id).where(false())
    in_scope = select(Grid.id).where(scope.visible(subject, Grid, "grid"))
    if subject.role == Role.grid_leader:
        return select(Grid.id).where(or_(Grid.id.in_(in_scope), Grid.id.in_(covered_grid_ids(subject.user_id))))
    return in_scope


def readable(subject: Subject, column: Any) -> ColumnElement[bool]:
    """Rows whose grid (`column`) is one the caller may read."""
    return column.in_(grid_ids(subject))


async def grid(db: AsyncSession, subject: Subject, grid_id: int, *, writing: bool = False) -> Grid:
    """The grid, when its registry is the caller's; else 404 (403 when they may read but not change it)."""
    row = (
        await db.execute(select(Grid).where(Grid.id == grid_id, Grid.is_active.is_(True), readable(subject, Grid.id)))
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("No such grid in your scope")
    if writing and subject.role not in WRITERS:
        raise Forbidden(f"Your role ({subject.role}) may read the registry but not change it")
    return row
