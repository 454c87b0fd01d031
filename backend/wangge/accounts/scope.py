"""Who may see and change what.

A Subject is the caller: role plus the ids of their scope path. `area_level` is the deepest of district,
street, community, grid that the scope names (a department officer's area is their department's street or
district). Every query that loads rows for a subject adds `visible(...)`, so a row outside the scope is never
loaded and the API answers 404 for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true

from wangge.accounts.models import Role, ScopeLevel

AREA_LEVELS = ("district", "street", "community", "grid")

# What each role may do besides reading its scope. Kept as data so the UI and tests can ask for it.
PERMISSIONS: dict[str, frozenset[str]] = {
    Role.administrator: frozenset({"hierarchy:write", "users:write", "personal_data:read"}),
    Role.street_officer: frozenset(),
    Role.department_officer: frozenset(),
    Role.station_chief: frozenset({"personal_data:read"}),
    Role.grid_leader: frozenset({"personal_data:read"}),
    Role.grid_member: frozenset(),
    Role.resident: frozenset(),
}

# Which scope levels each role may be bound to.
ROLE_SCOPES: dict[str, frozenset[str]] = {
    Role.administrator: frozenset({"system", "district", "street", "community"}),
    Role.street_officer: frozenset({"street"}),
    Role.department_officer: frozenset({"department"}),
    Role.station_chief: frozenset({"community"}),
    Role.grid_leader: frozenset({"grid"}),
    Role.grid_member: frozenset({"grid"}),
    Role.resident: frozenset({"community", "grid"}),
}


@dataclass(frozen=True)
class Subject:
    user_id: int
    username: str
    role: str
    scope_level: str
    district_id: int | None = None
    street_id: int | None = None
    community_id: int | None = None
    grid_id: int | None = None
    department_id: int | None = None
    session_id: str | None = None

    @property
    def area_level(self) -> str | None:
        """The deepest area level of the scope; None for the system scope (sees everything)."""
        for level in reversed(AREA_LEVELS):
            if getattr(self, f"{level}_id") is not None:
                return level
        return None

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())

    @classmethod
    def of(cls, user: Any, session_id: str | None = None) -> Subject:
        return cls(
            user_id=user.id,
            username=user.username,
            role=user.role,
            scope_level=user.scope_level,
            district_id=user.district_id,
            street_id=user.street_id,
            community_id=user.community_id,
            grid_id=user.grid_id,
            department_id=user.department_id,
            session_id=session_id,
        )


def visible(subject: Subject, model: Any, level: str) -> ColumnElement[bool]:
    """Rows of `model` (a table at `level` carrying its ancestors' ids) that `subject` may read: everything in the
    subject's area, and the area's own ancestors (a grid leader may read the name of their community)."""
    area = subject.area_level
    if area is None:
        return true() if subject.scope_level == ScopeLevel.system else false()
    if AREA_LEVELS.index(level) >= AREA_LEVELS.index(area):
        column = model.id if level == area else getattr(model, f"{area}_id")
        return column == getattr(subject, f"{area}_id")
    return model.id == getattr(subject, f"{level}_id")


def sees_path(subject: Subject, level: str, path: dict[str, int | None]) -> bool:
    """The same rule as `visible`, for an object already loaded: `path` holds its own and its ancestors' ids."""
    area = subject.area_level
    if area is None:
        return subject.scope_level == ScopeLevel.system
    if AREA_LEVELS.index(level) >= AREA_LEVELS.index(area):
        return path.get(f"{area}_id") == getattr(subject, f"{area}_id")
    return path.get(f"{level}_id") == getattr(subject, f"{level}_id")


def within_area(subject: Subject, level: str, path: dict[str, int | None]) -> bool:
    """Is the object at `level` whose ancestor ids (and own id, as `<level>_id`) are `path` at or below the
    subject's area? Administrators change only such objects, and create children only under them."""
    area = subject.area_level
    if area is None:
        return subject.scope_level == ScopeLevel.system
    if AREA_LEVELS.index(level) < AREA_LEVELS.index(area):
        return False
    return path.get(f"{area}_id") == getattr(subject, f"{area}_id")


def departments_visible(subject: Subject, model: Any) -> ColumnElement[bool]:
    area = subject.area_level
    if area is None:
        return true() if subject.scope_level == ScopeLevel.system else false()
    if area == "district":
        return model.district_id == subject.district_id
    return and_(
        model.district_id == subject.district_id, or_(model.street_id.is_(None), model.street_id == subject.street_id)
    )


def mask_phone(phone: str | None) -> str | None:
    """138****5678: enough for a person to recognise a number, not to call it."""
    if not phone:
        return phone
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
