"""The units that keep supplies and duty rosters — a community's service station or a street office — and who may
read and change their records. Scope is decided in SQL (policy.readable) for reading; a manager writes: the
community's station chief, a street officer of the street (for it and its communities), an administrator over it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import Role, ScopeLevel, User
from wangge.accounts.scope import Subject, within_area
from wangge.errors import Forbidden, Invalid, NotFound
from wangge.hierarchy.models import Community, Street
from wangge.policy import readable

LEVELS = ("community", "street")


@dataclass(frozen=True)
class Unit:
    level: str
    id: int
    name: str
    district_id: int
    street_id: int
    community_id: int | None

    @property
    def path(self) -> dict[str, int | None]:
        return {"district_id": self.district_id, "street_id": self.street_id, "community_id": self.community_id}

    def columns(self) -> dict[str, Any]:
        return {"unit_level": self.level, "unit_id": self.id, **self.path}

    def out(self) -> dict[str, Any]:
        return {"level": self.level, "id": self.id, "name": self.name}


def field(loc: str, msg: str, where: str = "body") -> list[dict[str, Any]]:
    return [{"loc": [where, loc], "msg": msg, "type": "value_error"}]


async def visible_unit(db: AsyncSession, subject: Subject, level: str, unit_id: int) -> Unit:
    """The community or street if the caller may read it (its own area, or the ancestors of it); else 404."""
    model = Community if level == "community" else Street
    row = (await db.execute(select(model).where(model.id == unit_id, readable(subject, model)))).scalar()
    if row is None:
        raise NotFound(f"No {level} with id {unit_id} in your scope")
    if level == "community":
        return Unit("community", row.id, f"{row.name}服务站", row.district_id, row.street_id, row.id)
    return Unit("street", row.id, row.name, row.district_id, row.id, None)


def may_read(subject: Subject, unit: Unit) -> bool:
    """The rule of policy.readable for ReserveItem and DutyDay, for a unit already loaded."""
    if subject.scope_level == ScopeLevel.system:
        return True
    if subject.role == Role.grid_leader:
        return unit.community_id is not None and unit.community_id == subject.community_id
    area = subject.area_level
    if subject.role not in (Role.station_chief, Role.street_officer, Role.administrator) or area not in (
        "district",
        "street",
        "community",
    ):
        return False
    return unit.path.get(f"{area}_id") == getattr(subject, f"{area}_id")


def may_manage(subject: Subject, unit: Unit) -> bool:
    if subject.role == Role.station_chief:
        return unit.level == "community" and unit.id == subject.community_id
    if subject.role in (Role.street_officer, Role.administrator):
        return within_area(subject, unit.level, {**unit.path, f"{unit.level}_id": unit.id})
    return False


def require_manager(subject: Subject, unit: Unit, what: str) -> None:
    if not may_manage(subject, unit):
        raise Forbidden(f"Only the unit's station chief or street officer may {what}")


async def check_staff(db: AsyncSession, unit: Unit, user_id: int | None, loc: str) -> User | None:
    """An active staff member of the unit (the community's or the street's people), or 422 naming `loc`."""
    if user_id is None:
        return None
    column = User.community_id if unit.level == "community" else User.street_id
    user = (
        await db.execute(
            select(User).where(
                User.id == user_id,
                User.is_active.is_(True),
                User.role != Role.resident.value,
                column == unit.id,
            )
        )
    ).scalar()
    if user is None:
        raise Invalid(f"{loc} must be an active staff member of this {unit.level}", errors=field(loc, "not staff"))
    return user


async def names(db: AsyncSession, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict((await db.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))).all())
