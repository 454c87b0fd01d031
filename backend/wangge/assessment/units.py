"""The units figures are computed for — grid, leader (a grid leader, by user id), community (its service station),
street, department, district — their children, their names, and who may see them (outside one's scope: 404)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import Role, User
from wangge.accounts.scope import Subject, within_area
from wangge.errors import NotFound
from wangge.fieldwork.models import GridLeadership
from wangge.hierarchy.models import Community, Department, District, Grid, Street

Level = Literal["grid", "leader", "community", "street", "department", "district"]
LEVELS: tuple[str, ...] = ("grid", "leader", "community", "street", "department", "district")
# The child level of each level's table (a street's departments when asked for them).
CHILD: dict[str, str | None] = {
    "district": "street",
    "street": "community",
    "community": "grid",
    "grid": "leader",
    "leader": None,
    "department": None,
}
_AREA_MODELS: dict[str, Any] = {"district": District, "street": Street, "community": Community, "grid": Grid}
_PATH = ("district_id", "street_id", "community_id")


def _path_columns(level: str) -> list[Any]:
    model = _AREA_MODELS[level]
    return [getattr(model, c) for c in _PATH if hasattr(model, c) and c != f"{level}_id"]


async def _area_unit(db: AsyncSession, level: str, unit_id: int) -> tuple[str, dict[str, int | None]] | None:
    model = _AREA_MODELS[level]
    cols = _path_columns(level)
    row = (await db.execute(select(model.name, *cols).where(model.id == unit_id))).first()
    if row is None:
        return None
    path = {c.key: v for c, v in zip(cols, row[1:], strict=True)}
    path[f"{level}_id"] = unit_id
    return row[0], path


async def unit_in_scope(db: AsyncSession, subject: Subject, level: str, unit_id: int) -> str:
    """The unit's name when the subject may see its figures; 404 otherwise (as if it did not exist)."""
    name = await _visible_name(db, subject, level, unit_id)
    if name is None:
        raise NotFound(f"No {level} {unit_id} in your scope", code="assessment-unit-not-found")
    return name


async def _visible_name(db: AsyncSession, subject: Subject, level: str, unit_id: int) -> str | None:
    if subject.role == Role.department_officer:
        if level != "department" or unit_id != subject.department_id:
            return None
    if level == "department":
        row = (
            await db.execute(
                select(Department.name, Department.district_id, Department.street_id).where(Department.id == unit_id)
            )
        ).first()
        if row is None:
            return None
        if subject.role == Role.department_officer:
            return row.name
        if subject.role == Role.station_chief:
            return None
        area = subject.area_level
        if area is None:
            return row.name if subject.scope_level == "system" else None
        if area == "district":
            return row.name if row.district_id == subject.district_id else None
        return row.name if area == "street" and row.street_id == subject.street_id else None
    if level == "leader":
        row = (
            await db.execute(
                select(User.display_name, Grid.id, Grid.district_id, Grid.street_id, Grid.community_id)
                .join(Grid, Grid.id == User.grid_id)
                .where(User.id == unit_id, User.role == Role.grid_leader)
            )
        ).first()
        if row is None:
            return None
        path = {"district_id": row[2], "street_id": row[3], "community_id": row[4], "grid_id": row[1]}
        return row[0] if _sees(subject, "grid", path) else None
    if level not in _AREA_MODELS:
        return None
    found = await _area_unit(db, level, unit_id)
    if found is None:
        return None
    return found[0] if _sees(subject, level, found[1]) else None


def _sees(subject: Subject, level: str, path: dict[str, int | None]) -> bool:
    if subject.role not in (Role.administrator, Role.street_officer, Role.station_chief):
        return subject.role == Role.grid_leader and level == "grid" and path.get("grid_id") == subject.grid_id
    return within_area(subject, level, path)


async def name_of(db: AsyncSession, level: str, unit_id: int) -> str | None:
    if level == "department":
        return (await db.execute(select(Department.name).where(Department.id == unit_id))).scalar_one_or_none()
    if level == "leader":
        return (await db.execute(select(User.display_name).where(User.id == unit_id))).scalar_one_or_none()
    model = _AREA_MODELS[level]
    return (await db.execute(select(model.name).where(model.id == unit_id))).scalar_one_or_none()


async def children_of(
    db: AsyncSession, *, level: str, id: int, child: str | None = None
) -> tuple[str | None, list[tuple[int, str]]]:
    """The active units directly under one (a street's or district's departments when `child` is "department"),
    by name."""
    if child == "department" and level in ("street", "district"):
        cond = Department.street_id == id if level == "street" else Department.district_id == id
        rows = await db.execute(
            select(Department.id, Department.name).where(cond, Department.is_active.is_(True)).order_by(Department.name)
        )
        return "department", [(r[0], r[1]) for r in rows]
    kind = CHILD.get(level)
    if kind is None:
        return None, []
    if kind == "leader":
        rows = await db.execute(
            select(User.id, User.display_name)
            .join(GridLeadership, and_(GridLeadership.user_id == User.id, GridLeadership.ended_at.is_(None)))
            .where(GridLeadership.grid_id == id, User.is_active.is_(True))
            .order_by(User.display_name)
        )
        return "leader", [(r[0], r[1]) for r in rows]
    model = _AREA_MODELS[kind]
    rows = await db.execute(
        select(model.id, model.name)
        .where(getattr(model, f"{level}_id") == id, model.is_active.is_(True))
        .order_by(model.name, model.id)
    )
    return kind, [(r[0], r[1]) for r in rows]


async def names(db: AsyncSession, level: str, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    if level == "leader":
        model, name = User, User.display_name
    elif level == "department":
        model, name = Department, Department.name
    else:
        model = _AREA_MODELS[level]
        name = model.name
    rows = await db.execute(select(model.id, name).where(model.id.in_(list(ids))))
    return {r[0]: r[1] for r in rows}


async def street_of(db: AsyncSession, level: str, unit_id: int) -> int | None:
    """The street whose scheme scores the unit (None: the district-wide default)."""
    if level in ("district",):
        return None
    if level == "street":
        return unit_id
    if level == "department":
        return (await db.execute(select(Department.street_id).where(Department.id == unit_id))).scalar_one_or_none()
    if level == "leader":
        return (
            await db.execute(select(Grid.street_id).join(User, User.grid_id == Grid.id).where(User.id == unit_id))
        ).scalar_one_or_none()
    model = _AREA_MODELS[level]
    return (await db.execute(select(model.street_id).where(model.id == unit_id))).scalar_one_or_none()


def child_levels(level: str) -> tuple[str, ...]:
    """The levels a table under `level` may list."""
    kind = CHILD.get(level)
    extra = ("department",) if level in ("street", "district") else ()
    return ((kind,) if kind else ()) + extra
