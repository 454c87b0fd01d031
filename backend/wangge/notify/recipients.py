"""Who staffs a unit, worked out when an event is delivered rather than when it is written: the request that
changed a matter does not wait for it, and the notice reaches whoever staffs the unit at delivery time."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import Role, User
from wangge.fieldwork import people

GRID_STAFF = (Role.grid_leader.value, Role.grid_member.value)


def unit(
    level: str,
    *,
    grid_id: int | None = None,
    community_id: int | None = None,
    street_id: int | None = None,
    department_id: int | None = None,
    district_id: int | None = None,
) -> dict[str, Any]:
    """A unit as it travels in an outbox payload."""
    return {
        "level": level,
        "district_id": district_id,
        "grid_id": grid_id,
        "community_id": community_id,
        "street_id": street_id,
        "department_id": department_id,
    }


def _condition(u: dict[str, Any]) -> Any:
    level = u.get("level")
    if level == "grid" and u.get("grid_id"):
        # The grid's staff, and the A/B partner covering it now while its leader is on approved leave.
        staff = and_(User.role.in_(GRID_STAFF), User.grid_id == u["grid_id"])
        return or_(staff, User.id.in_(people.covering_user_ids(u["grid_id"])))
    if level == "station" and u.get("community_id"):
        return and_(User.role == Role.station_chief.value, User.community_id == u["community_id"])
    if level == "street" and u.get("street_id"):
        return and_(User.role == Role.street_officer.value, User.street_id == u["street_id"])
    if level == "district" and u.get("district_id"):
        # The district's administrators (who decide the applications of its streets and departments).
        return and_(
            User.role == Role.administrator.value, User.scope_level == "district", User.district_id == u["district_id"]
        )
    if level == "department" and u.get("department_id"):
        return and_(User.role == Role.department_officer.value, User.department_id == u["department_id"])
    return false()


async def users_of(session: AsyncSession, units: list[dict[str, Any]]) -> set[int]:
    found: set[int] = set()
    for u in units:
        found |= set((await session.execute(select(User.id).where(_condition(u), User.is_active.is_(True)))).scalars())
    return found
