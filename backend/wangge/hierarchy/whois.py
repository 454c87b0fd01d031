"""Who is my grid 亮证: for a point, a building or a community, the grid, its leader's name and work phone, and the
station's duty phone — what a resident may call, and nothing else about anyone.

Phones: a leader's is the grid's published duty number 网格值班电话 (`grids.duty_phone`), else the leader's own
`users.phone` only when they allowed it (`users.phone_public`), else none. While the leader is on approved leave and
the A/B partner covers the grid (fieldwork.people.on_duty_for), the partner is shown as `covering` 当前代岗 with
their own public number by the same rule (their grid's duty number, else their phone if they allowed it). The
station's is the community's duty phone (`communities.duty_phone`), else the phone of its station chief who allowed
it, else none. Names are display names; no username, id of a person, address or scope leaves here.

A point outside every grid answers `grid: null` with the community that contains it — or, outside every community,
the nearest within `NEAREST_COMMUNITY_M` — so that the page says which station to call.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import geo
from wangge.accounts.models import Role, User
from wangge.errors import Invalid, NotFound
from wangge.fieldwork.people import on_duty_for
from wangge.hierarchy.models import Building, Community, Grid, Street
from wangge.models_common import is_sqlite
from wangge.schemas_common import Output

NEAREST_COMMUNITY_M = 3000.0  # farther than this from every community, a point is somewhere the app does not serve


# --- shapes ----------------------------------------------------------------------------------------------------------


class WhoGrid(Output):
    id: int
    code: str
    name: str
    duty_phone: str | None = Field(description="The grid's published duty number 网格值班电话, if any")


class WhoPerson(Output):
    name: str = Field(description="The person's display name")
    phone: str | None = Field(
        description="The grid's duty number, else the person's own phone if they allowed it on public pages, else null"
    )


class WhoCovering(WhoPerson):
    grid_name: str = Field(description="The partner grid the covering leader leads")


class WhoCommunity(Output):
    id: int
    name: str


class WhoStation(Output):
    name: str = Field(description="The community's service station 服务站")
    duty_phone: str | None = Field(description="The station's duty phone 值班电话, if any")
    on_duty: WhoPerson | None = Field(
        None,
        description="Today's duty officer 今日值班 of the station's roster: the day's duty phone, else their own phone "
        "only if they allowed it; null when the roster names nobody today",
    )


class WhoStreet(Output):
    name: str = Field(description="The street office 街道办事处")
    on_duty: WhoPerson | None = Field(None, description="Today's duty officer of the street's roster, by the same rule")


class WhoOut(Output):
    grid: WhoGrid | None = Field(description="Null outside every grid, and for a community asked for as a whole")
    leader: WhoPerson | None = Field(description="The grid's current leader 网格长; null without one")
    covering: WhoCovering | None = Field(
        description="The A/B partner standing in 当前代岗 while the leader is on approved leave; null otherwise"
    )
    community: WhoCommunity | None = Field(description="Null only for a point far from every community")
    station: WhoStation | None
    nearest: bool = Field(
        False, description="The point lies in no community: `community` is the nearest one (within 3 km)"
    )
    street: WhoStreet | None = Field(None, description="The community's street office, with today's duty officer")


# --- phones ------------------------------------------------------------------------------------------------------


def public_phone(duty_phone: str | None, person: User | None) -> str | None:
    """What the public may call for a person on duty: the published duty number, else their own phone only when
    they allowed it."""
    if duty_phone:
        return duty_phone
    if person is not None and person.phone_public and person.phone:
        return person.phone
    return None


async def station_phone(db: AsyncSession, community: Community) -> str | None:
    """The station's duty phone; without one, the phone of the community's first active station chief who allowed
    it on public pages."""
    if community.duty_phone:
        return community.duty_phone
    return (
        await db.execute(
            select(User.phone)
            .where(
                User.community_id == community.id,
                User.role == Role.station_chief.value,
                User.is_active.is_(True),
                User.phone_public.is_(True),
                User.phone.is_not(None),
            )
            .order_by(User.id)
            .limit(1)
        )
    ).scalar()


# --- lookups -----------------------------------------------------------------------------------------------------


async def _grid_at(db: AsyncSession, lat: float, lon: float) -> Grid | None:
    condition = geo.point_in_polygon_condition(Grid.__table__.c.geom, "grids", lon, lat, sqlite=is_sqlite(db))
    return (
        await db.execute(select(Grid).where(condition, Grid.is_active.is_(True)).order_by(Grid.id).limit(1))
    ).scalar()


async def _community_near(db: AsyncSession, lat: float, lon: float) -> tuple[Community | None, bool]:
    """The active community containing the point, else the nearest within NEAREST_COMMUNITY_M; and whether it
    is only the nearest. Communities are few (hundreds in a district): no spatial index is needed."""
    sqlite = is_sqlite(db)
    point = func.MakePoint(lon, lat, 4326) if sqlite else func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    if sqlite:
        distance = func.ST_Distance(Community.geom, point, 1)
    else:
        distance = func.ST_Distance(func.geography(Community.geom), func.geography(point))
    row = (
        await db.execute(
            select(Community, distance)
            .where(
                Community.is_active.is_(True),
                Community.geom.is_not(None),
                geo.within_metres_condition(Community.geom, point, NEAREST_COMMUNITY_M, sqlite=sqlite),
            )
            .order_by(distance, Community.id)
            .limit(1)
        )
    ).first()
    if row is None:
        return None, False
    return row[0], float(row[1] or 0.0) > 0.0


async def on_duty_today(db: AsyncSession, unit_level: str, unit_id: int) -> dict[str, Any] | None:
    from wangge.preparedness import roster  # imported late: the roster uses public_phone of this module

    return await roster.on_duty_today(db, unit_level, unit_id)


async def _person(db: AsyncSession, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = await db.get(User, user_id)
    return user if user is not None and user.is_active else None


async def _people(db: AsyncSession, grid: Grid) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The grid's leader and, during the leader's approved leave, the partner who covers it."""
    duty = await on_duty_for(db, grid.id)
    leader = await _person(db, duty.leader_id)
    leader_out = (
        {"name": leader.display_name, "phone": public_phone(grid.duty_phone, leader)} if leader is not None else None
    )
    covering_out = None
    if duty.covering and duty.partner_grid_id is not None:
        partner = await _person(db, duty.user_id)
        partner_grid = await db.get(Grid, duty.partner_grid_id)
        if partner is not None and partner_grid is not None:
            covering_out = {
                "name": partner.display_name,
                "phone": public_phone(partner_grid.duty_phone, partner),
                "grid_name": partner_grid.name,
            }
    return leader_out, covering_out


async def _answer(
    db: AsyncSession, grid: Grid | None, community: Community | None, *, nearest: bool = False
) -> dict[str, Any]:
    leader, covering = await _people(db, grid) if grid is not None else (None, None)
    return {
        "grid": (
            {"id": grid.id, "code": grid.code, "name": grid.name, "duty_phone": grid.duty_phone}
            if grid is not None
            else None
        ),
        "leader": leader,
        "covering": covering,
        "community": {"id": community.id, "name": community.name} if community is not None else None,
        "station": (
            {
                "name": f"{community.name}服务站",
                "duty_phone": await station_phone(db, community),
                "on_duty": await on_duty_today(db, "community", community.id),
            }
            if community is not None
            else None
        ),
        "nearest": nearest,
        "street": await _street(db, community),
    }


async def _street(db: AsyncSession, community: Community | None) -> dict[str, Any] | None:
    street = await db.get(Street, community.street_id) if community is not None else None
    if street is None or not street.is_active:
        return None
    return {"name": street.name, "on_duty": await on_duty_today(db, "street", street.id)}


async def _active_community(db: AsyncSession, community_id: int) -> Community:
    community = await db.get(Community, community_id)
    if community is None or not community.is_active:
        raise NotFound(f"No active community with id {community_id}")
    return community


async def who(
    db: AsyncSession,
    *,
    lat: float | None = None,
    lon: float | None = None,
    building_id: int | None = None,
    community_id: int | None = None,
) -> dict[str, Any]:
    """Exactly one of: a point (lat and lon), a building, a community. None or several: 422 `who-query`."""
    point = lat is not None or lon is not None
    if sum((point, building_id is not None, community_id is not None)) != 1 or (point and (lat is None or lon is None)):
        msg = "Ask for exactly one of: a point (lat and lon), building_id, community_id"
        raise Invalid(msg, code="who-query", errors=[{"loc": ["query"], "msg": msg, "type": "value_error"}])
    if building_id is not None:
        row = (
            await db.execute(
                select(Grid)
                .join(Building, Building.grid_id == Grid.id)
                .where(Building.id == building_id, Building.is_active.is_(True), Grid.is_active.is_(True))
            )
        ).scalar()
        if row is None:
            raise NotFound(f"No active building with id {building_id}")
        return await _answer(db, row, await _active_community(db, row.community_id))
    if community_id is not None:
        return await _answer(db, None, await _active_community(db, community_id))
    assert lat is not None and lon is not None
    grid = await _grid_at(db, lat, lon)
    if grid is not None:
        return await _answer(db, grid, await _active_community(db, grid.community_id))
    community, nearest = await _community_near(db, lat, lon)
    return await _answer(db, None, community, nearest=nearest)


async def grid_card(db: AsyncSession, grid: Grid) -> dict[str, Any]:
    """What the public sees for `grid` (the poster prints the same)."""
    return await _answer(db, grid, await db.get(Community, grid.community_id))
