"""People and posts 定人定责: grid leaders and teams, A/B posts 岗 with leave cover, staggered shifts 错时工作制 and
door-to-door service 入户走访.

`on_duty_for(db, grid_id, at)` is the one answer to "who is on duty for grid G at time T"; everything that assigns
work asks it (or, where one SQL condition is needed, `covered_grid_ids` / `covering_user_ids`, which encode the
same rule). The rule: the grid's leader at T; if that leader is on approved leave at T, the leader of the partner
grid of its active A/B pair, unless that leader is away too.

Scope: a grid outside the caller's scope is a 404 (hierarchy.service.get_visible); leaders and teams are changed by
the station chief of the grid's community or an administrator whose area holds the grid.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pyproj import Geod
from shapely.ops import nearest_points
from sqlalchemy import ColumnElement, Select, and_, bindparam, case, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from wangge import geo
from wangge.accounts.models import Role, User
from wangge.accounts.scope import Subject, mask_phone, within_area
from wangge.config import Settings
from wangge.errors import Conflict, Forbidden, Invalid, NotFound
from wangge.fieldwork.models import (
    GridLeadership,
    Leave,
    PostPair,
    Shift,
    TeamMember,
)
from wangge.hierarchy import service as hierarchy_service
from wangge.hierarchy.models import Community, Grid
from wangge.models_common import as_utc, is_sqlite, utcnow
from wangge.policy import readable
from wangge.workcalendar import SHANGHAI

_GEOD = Geod(ellps="WGS84")
GRID_STAFF = (Role.grid_leader.value, Role.grid_member.value)
# Roles that may read people data at all (within their scope); residents and department officers may not.
STAFF_READERS = GRID_STAFF + (Role.station_chief.value, Role.administrator.value, Role.street_officer.value)


# --- shared helpers ----------------------------------------------------------------------------------------------


def _local(at: datetime) -> str:
    return as_utc(at).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _field(field: str, msg: str) -> list[dict[str, Any]]:
    return [{"loc": ["body", field], "msg": msg, "type": "value_error"}]


def _require_reader(subject: Subject) -> None:
    if subject.role not in STAFF_READERS:
        raise Forbidden(f"Your role ({subject.role}) may not read grid staffing")


async def visible_grid(db: AsyncSession, subject: Subject, grid_id: int) -> Grid:
    return await hierarchy_service.get_visible(db, subject, "grid", grid_id)


def manages(subject: Subject, grid: Grid) -> bool:
    """The station chief of the grid's community, or an administrator whose area holds the grid."""
    if subject.role == Role.station_chief:
        return subject.community_id == grid.community_id
    if subject.role == Role.administrator:
        return within_area(subject, "grid", hierarchy_service.path_ids(grid, "grid"))
    return False


def _manages_community(subject: Subject, community: Community) -> bool:
    """`manages` for every grid of `community` at once."""
    if subject.role == Role.station_chief:
        return subject.community_id == community.id
    if subject.role == Role.administrator:
        return within_area(subject, "community", hierarchy_service.path_ids(community, "community"))
    return False


def _require_manager(subject: Subject, grid: Grid, what: str) -> None:
    if not manages(subject, grid):
        raise Forbidden(f"Only the station chief of the community or an administrator may {what}")


async def _names(db: AsyncSession, ids: set[int | None]) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict((await db.execute(select(User.id, User.display_name).where(User.id.in_(ids)))).all())


def _ref(names: dict[int, str], user_id: int | None) -> dict[str, Any] | None:
    return {"id": user_id, "name": names.get(user_id, "")} if user_id else None


def grids_in_scope(subject: Subject) -> Select[Any]:
    return select(Grid.id).where(readable(subject, Grid))


# --- the rule of who is on duty, as SQL pieces -------------------------------------------------------------------


def _leads_at(lead: Any, at: datetime) -> ColumnElement[bool]:
    return and_(lead.started_at <= at, or_(lead.ended_at.is_(None), lead.ended_at > at))


def _away_at(leave: Any, at: datetime) -> ColumnElement[bool]:
    return and_(leave.status == "approved", leave.start_at <= at, leave.end_at > at)


def _pair_active_at(pair: Any, at: datetime) -> ColumnElement[bool]:
    return and_(pair.created_at <= at, or_(pair.ended_at.is_(None), pair.ended_at > at))


# Made once: building these aliases (and their column collections) cost 2 ms a request, 11 % of a web process's
# time under the mixed load (bench/mixed.py), since every grid leader's list asks who they cover.
_LEAD, _AWAY, _PARTNER, _PARTNER_AWAY = aliased(GridLeadership), aliased(Leave), aliased(GridLeadership), aliased(Leave)
_PAIR = aliased(PostPair)
# "Now", read when the statement runs (not when it was built): the cached statements below are built once per user
# or grid and serve every later request.
_NOW = bindparam("cover_now", callable_=utcnow)


def _cover_statement(at: Any, *, user_id: int | None = None, grid_id: int | None = None) -> Select[Any]:
    """Who covers what at `at`: the covered grid's leader is on approved leave, and the covering user leads the
    partner grid of its active pair and is not away. With `user_id`: the grids that user covers (one column); with
    `grid_id`: the users covering that grid (one column)."""
    lead, away, partner, partner_away, pair = _LEAD, _AWAY, _PARTNER, _PARTNER_AWAY, _PAIR
    partner_grid = case((pair.grid_a_id == lead.grid_id, pair.grid_b_id), else_=pair.grid_a_id)
    conditions = [
        _leads_at(lead, at),
        ~exists().where(partner_away.user_id == partner.user_id, _away_at(partner_away, at)),
    ]
    if user_id is not None:
        conditions.append(partner.user_id == user_id)
    if grid_id is not None:
        conditions.append(lead.grid_id == grid_id)
    return (
        select(lead.grid_id if user_id is not None else partner.user_id)
        .select_from(lead)
        .join(away, and_(away.user_id == lead.user_id, _away_at(away, at)))
        .join(
            pair, and_(_pair_active_at(pair, at), or_(pair.grid_a_id == lead.grid_id, pair.grid_b_id == lead.grid_id))
        )
        .join(partner, and_(partner.grid_id == partner_grid, _leads_at(partner, at)))
        .where(*conditions)
    )


@functools.lru_cache(maxsize=4096)
def _covered_now(user_id: int) -> Select[Any]:
    return _cover_statement(_NOW, user_id=user_id)


@functools.lru_cache(maxsize=4096)
def _covering_now(grid_id: int) -> Select[Any]:
    return _cover_statement(_NOW, grid_id=grid_id)


def covered_grid_ids(user_id: int, at: datetime | None = None) -> Select[Any]:
    """A subquery: the grids `user_id` covers at `at` (default: when the statement runs) because their partner
    is on leave."""
    return _covered_now(user_id) if at is None else _cover_statement(at, user_id=user_id)


def covering_user_ids(grid_id: int, at: datetime | None = None) -> Select[Any]:
    """A subquery: who covers `grid_id` at `at` (default: when the statement runs); empty while its leader is at
    work."""
    return _covering_now(grid_id) if at is None else _cover_statement(at, grid_id=grid_id)


async def covered_grids(db: AsyncSession, subject: Subject, at: datetime | None = None) -> frozenset[int]:
    """The grids `subject` covers now (one query; only grid leaders cover)."""
    if subject.role != Role.grid_leader:
        return frozenset()
    return frozenset((await db.execute(covered_grid_ids(subject.user_id, at))).scalars())


# --- who is on duty ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OnDuty:
    """Who is on duty for a grid at a time. `user_id` is None when nobody is (no leader, or both partners away).
    `covering` is true when the partner grid's leader stands in; `covered_grid_id` is then the grid covered."""

    grid_id: int
    at: datetime
    user_id: int | None
    leader_id: int | None
    covering: bool
    covered_grid_id: int | None
    partner_grid_id: int | None
    reason: str  # leader, covering, no leader, no partner, partner has no leader, both away


async def leader_at(db: AsyncSession, grid_id: int, at: datetime) -> int | None:
    return (
        await db.execute(
            select(GridLeadership.user_id)
            .where(GridLeadership.grid_id == grid_id, _leads_at(GridLeadership, at))
            .order_by(GridLeadership.started_at.desc(), GridLeadership.id.desc())
            .limit(1)
        )
    ).scalar()


async def is_away(db: AsyncSession, user_id: int, at: datetime) -> bool:
    found = await db.execute(select(Leave.id).where(Leave.user_id == user_id, _away_at(Leave, at)).limit(1))
    return found.first() is not None


async def active_pair(db: AsyncSession, grid_id: int, at: datetime | None = None) -> PostPair | None:
    at = at or utcnow()
    return (
        (
            await db.execute(
                select(PostPair)
                .where(_pair_active_at(PostPair, at), or_(PostPair.grid_a_id == grid_id, PostPair.grid_b_id == grid_id))
                .order_by(PostPair.id.desc())
                .limit(1)
            )
        )
        .scalars()
        .first()
    )


async def partner_grid_id(db: AsyncSession, grid_id: int, at: datetime | None = None) -> int | None:
    """The other grid of `grid_id`'s active A/B pair."""
    pair = await active_pair(db, grid_id, at)
    if pair is None:
        return None
    return pair.grid_b_id if pair.grid_a_id == grid_id else pair.grid_a_id


async def on_duty_for(db: AsyncSession, grid_id: int, at: datetime | None = None) -> OnDuty:
    """Who is on duty for `grid_id` at `at` (default now): its leader; during the leader's approved leave, the
    leader of the partner grid; nobody when there is no leader or both partners are away."""
    at = as_utc(at) if at is not None else utcnow()

    def answer(user_id: int | None, leader_id: int | None, reason: str, partner: int | None = None) -> OnDuty:
        covering = reason == "covering"
        return OnDuty(grid_id, at, user_id, leader_id, covering, grid_id if covering else None, partner, reason)

    leader = await leader_at(db, grid_id, at)
    partner = await partner_grid_id(db, grid_id, at)
    if leader is None:
        return answer(None, None, "no leader", partner)
    if not await is_away(db, leader, at):
        return answer(leader, leader, "leader", partner)
    if partner is None:
        return answer(None, leader, "no partner")
    partner_leader = await leader_at(db, partner, at)
    if partner_leader is None:
        return answer(None, leader, "partner has no leader", partner)
    if await is_away(db, partner_leader, at):
        return answer(None, leader, "both away", partner)
    return answer(partner_leader, leader, "covering", partner)


def on_shift_condition(user_id: Any, at: datetime) -> ColumnElement[bool]:
    local = as_utc(at).astimezone(SHANGHAI)
    hhmm = local.strftime("%H:%M")
    return exists().where(
        Shift.user_id == user_id, Shift.weekday == local.weekday(), Shift.start_time <= hhmm, Shift.end_time > hhmm
    )


async def on_shift(db: AsyncSession, user_id: int, at: datetime | None = None) -> bool:
    """A shift of `user_id` covers `at` in Beijing local time."""
    return bool((await db.execute(select(on_shift_condition(user_id, at or utcnow())))).scalar())


async def on_duty_out(db: AsyncSession, duty: OnDuty, *, with_shift: bool = True) -> dict[str, Any]:
    names = await _names(db, {duty.user_id, duty.leader_id})
    return {
        "grid_id": duty.grid_id,
        "at": duty.at,
        "user": _ref(names, duty.user_id),
        "leader": _ref(names, duty.leader_id),
        "covering": duty.covering,
        "covered_grid_id": duty.covered_grid_id,
        "partner_grid_id": duty.partner_grid_id,
        "reason": duty.reason,
        "on_shift": (await on_shift(db, duty.user_id, duty.at)) if with_shift and duty.user_id else None,
    }


async def grid_on_duty(db: AsyncSession, subject: Subject, grid_id: int, at: datetime | None) -> dict[str, Any]:
    _require_reader(subject)
    grid = await visible_grid(db, subject, grid_id)
    return await on_duty_out(db, await on_duty_for(db, grid.id, at))


async def _grid_ref(db: AsyncSession, grid: Grid, *, with_leader: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"id": grid.id, "code": grid.code, "name": grid.name, "leader": None}
    if with_leader:
        leader = await leader_at(db, grid.id, utcnow())
        out["leader"] = _ref(await _names(db, {leader}), leader)
    return out


async def on_duty_now(db: AsyncSession, subject: Subject) -> list[dict[str, Any]]:
    """Every active grid in scope: who is on duty now, whether covering, whether on shift."""
    _require_reader(subject)
    now = utcnow()
    grids = (
        await db.execute(select(Grid).where(readable(subject, Grid), Grid.is_active.is_(True)).order_by(Grid.code))
    ).scalars()
    out = []
    for grid in grids:
        duty = await on_duty_for(db, grid.id, now)
        out.append({**await on_duty_out(db, duty), "grid": await _grid_ref(db, grid)})
    return out


async def my_cover(db: AsyncSession, subject: Subject) -> dict[str, Any]:
    """The grids the caller covers now, and who covers the caller's grid."""
    now = utcnow()
    covering = []
    for grid_id in sorted(await covered_grids(db, subject, now)):
        grid = await db.get(Grid, grid_id)
        covering.append(
            {**await on_duty_out(db, await on_duty_for(db, grid_id, now)), "grid": await _grid_ref(db, grid)}
        )
    covered_by = None
    if subject.grid_id is not None:
        duty = await on_duty_for(db, subject.grid_id, now)
        if duty.leader_id == subject.user_id and duty.user_id != subject.user_id:
            covered_by = await on_duty_out(db, duty)
    return {"at": now, "covering": covering, "covered_by": covered_by}


# --- leaders -------------------------------------------------------------------------------------------------------


async def leadership_out(db: AsyncSession, rows: list[GridLeadership]) -> list[dict[str, Any]]:
    names = await _names(db, {r.user_id for r in rows} | {r.assigned_by_id for r in rows})
    return [
        {
            "id": r.id,
            "grid_id": r.grid_id,
            "user": _ref(names, r.user_id),
            "started_at": r.started_at,
            "ended_at": r.ended_at,
            "assigned_by": _ref(names, r.assigned_by_id),
        }
        for r in rows
    ]


async def list_leaders(db: AsyncSession, *, subject: Subject, grid_id: int) -> list[GridLeadership]:
    _require_reader(subject)
    grid = await visible_grid(db, subject, grid_id)
    rows = await db.execute(
        select(GridLeadership)
        .where(GridLeadership.grid_id == grid.id)
        .order_by(GridLeadership.started_at.desc(), GridLeadership.id.desc())
    )
    return list(rows.scalars())


async def set_leader(db: AsyncSession, *, subject: Subject, grid_id: int, user_id: int) -> GridLeadership:
    """Close the grid's open leadership and open one for `user_id`: one leader per grid at a time, history kept."""
    grid = await visible_grid(db, subject, grid_id)
    _require_manager(subject, grid, "change a grid's leader")
    if not grid.is_active:
        raise Conflict(f"{grid.name} is deactivated")
    user = await db.get(User, user_id)
    if user is None or not user.is_active or user.role != Role.grid_leader or user.grid_id != grid.id:
        raise Invalid(
            f"The leader of {grid.name} must be an active grid leader whose scope is that grid",
            errors=_field("user_id", "not an active grid leader of this grid"),
        )
    now = utcnow()
    current = list(
        (
            await db.execute(
                select(GridLeadership).where(GridLeadership.grid_id == grid.id, GridLeadership.ended_at.is_(None))
            )
        ).scalars()
    )
    for row in current:
        if row.user_id == user.id:
            return row  # already the leader: nothing changes
    for row in current:
        row.ended_at = now
    # A user leads one grid at a time: close any other leadership they still hold.
    for row in (
        await db.execute(
            select(GridLeadership).where(GridLeadership.user_id == user.id, GridLeadership.ended_at.is_(None))
        )
    ).scalars():
        row.ended_at = now
    new = GridLeadership(grid_id=grid.id, user_id=user.id, started_at=now, assigned_by_id=subject.user_id)
    db.add(new)
    await db.commit()
    return new


async def leader_candidates(db: AsyncSession, *, subject: Subject, community_id: int) -> list[dict[str, Any]]:
    """Who may be named leader of the community's grids: its active grid leaders (names, roles and grids only; no
    phones), for those who may name leaders there. `set_leader` takes, for a grid, the one whose `grid_id` it is."""
    community = await hierarchy_service.get_visible(db, subject, "community", community_id)
    if not _manages_community(subject, community):
        raise Forbidden("Only the station chief of the community or an administrator may name its grid leaders")
    rows = await db.execute(
        select(User.id, User.display_name, User.role, User.grid_id)
        .where(
            User.community_id == community.id,
            User.role == Role.grid_leader.value,
            User.is_active.is_(True),
            User.grid_id.is_not(None),
        )
        .order_by(User.grid_id, User.display_name, User.id)
    )
    return [{"user_id": r.id, "name": r.display_name, "role": r.role, "grid_id": r.grid_id} for r in rows]


# --- teams ---------------------------------------------------------------------------------------------------------


def member_out(m: TeamMember, subject: Subject, today: date) -> dict[str, Any]:
    return {
        "id": m.id,
        "grid_id": m.grid_id,
        "user_id": m.user_id,
        "name": m.name,
        "phone": m.phone if subject.can("personal_data:read") else mask_phone(m.phone),
        "team_role": m.team_role,
        "staff_types": list(m.staff_types or []),
        "start_date": m.start_date,
        "end_date": m.end_date,
        "note": m.note,
        "active": m.end_date is None or m.end_date >= today,
    }


def local_today() -> date:
    return utcnow().astimezone(SHANGHAI).date()


async def list_team(
    db: AsyncSession, *, subject: Subject, grid_id: int, active: bool | None = True
) -> list[TeamMember]:
    _require_reader(subject)
    grid = await visible_grid(db, subject, grid_id)
    conditions = [TeamMember.grid_id == grid.id]
    today = local_today()
    if active is True:
        conditions.append(or_(TeamMember.end_date.is_(None), TeamMember.end_date >= today))
    elif active is False:
        conditions.append(TeamMember.end_date < today)
    rows = await db.execute(select(TeamMember).where(*conditions).order_by(TeamMember.team_role, TeamMember.id))
    return list(rows.scalars())


def member_user_fits(grid: Grid, user: User | None) -> bool:
    """A team member's account must belong to the grid's community."""
    return user is not None and user.community_id == grid.community_id


async def _check_member_user(db: AsyncSession, grid: Grid, user_id: int | None) -> None:
    if user_id is None:
        return
    if not member_user_fits(grid, await db.get(User, user_id)):
        raise Invalid("The account must belong to the grid's community", errors=_field("user_id", "unknown account"))


async def add_member(db: AsyncSession, *, subject: Subject, grid_id: int, data: Any) -> TeamMember:
    grid = await visible_grid(db, subject, grid_id)
    _require_manager(subject, grid, "change a grid's team")
    await _check_member_user(db, grid, data.user_id)
    m = TeamMember(grid_id=grid.id, **data.model_dump())
    db.add(m)
    await db.commit()
    return m


async def _member_for_write(db: AsyncSession, subject: Subject, member_id: int) -> TeamMember:
    m = await db.get(TeamMember, member_id)
    if m is None:
        raise NotFound(f"No team member with id {member_id} in your scope")
    try:
        grid = await visible_grid(db, subject, m.grid_id)
    except NotFound:
        raise NotFound(f"No team member with id {member_id} in your scope") from None
    _require_manager(subject, grid, "change a grid's team")
    return m


async def update_member(db: AsyncSession, *, subject: Subject, member_id: int, data: Any) -> TeamMember:
    m = await _member_for_write(db, subject, member_id)
    changes = data.model_dump(exclude_unset=True)
    for key in ("name", "team_role", "staff_types", "start_date"):
        if key in changes and changes[key] is None:
            raise Invalid(f"{key} may not be empty", errors=_field(key, "may not be empty"))
    for key, value in changes.items():
        setattr(m, key, value)
    if m.end_date is not None and m.end_date < m.start_date:
        raise Invalid("The end date is before the start date", errors=_field("start_date", "after the end date"))
    await db.commit()
    return m


async def end_member(db: AsyncSession, *, subject: Subject, member_id: int, end_date: date) -> TeamMember:
    """The member stops serving on `end_date`; the row is kept."""
    m = await _member_for_write(db, subject, member_id)
    if end_date < m.start_date:
        raise Invalid("The end date is before the start date", errors=_field("end_date", "before the start date"))
    m.end_date = end_date
    await db.commit()
    return m


# --- A/B posts -----------------------------------------------------------------------------------------------------


def distance_m(a: Any, b: Any) -> float:
    """Geodesic metres between the nearest points of two polygons; 0 when they touch or overlap."""
    if a.intersects(b):
        return 0.0
    pa, pb = nearest_points(a, b)
    _, _, d = _GEOD.inv(pa.x, pa.y, pb.x, pb.y)
    return abs(d)


def adjacent(d: float, settings: Settings) -> bool:
    """The A/B rule: two grids may be paired when they touch or lie within `pair_max_distance_m` of each other."""
    return d <= settings.pair_max_distance_m


async def _pair_out(db: AsyncSession, p: PostPair) -> dict[str, Any]:
    ga, gb = await db.get(Grid, p.grid_a_id), await db.get(Grid, p.grid_b_id)
    return {
        "id": p.id,
        "grid_a": await _grid_ref(db, ga, with_leader=True),
        "grid_b": await _grid_ref(db, gb, with_leader=True),
        "distance_m": round(p.distance_m, 1),
        "created_at": p.created_at,
        "ended_at": p.ended_at,
        "active": p.ended_at is None,
    }


async def pairs_out(db: AsyncSession, pairs: list[PostPair]) -> list[dict[str, Any]]:
    return [await _pair_out(db, p) for p in pairs]


async def create_pair(
    db: AsyncSession, *, subject: Subject, grid_a_id: int, grid_b_id: int, settings: Settings
) -> PostPair:
    if grid_a_id == grid_b_id:
        raise Invalid("A grid cannot be paired with itself", errors=_field("grid_b_id", "same grid"))
    a = await visible_grid(db, subject, grid_a_id)
    b = await visible_grid(db, subject, grid_b_id)
    for grid in (a, b):
        _require_manager(subject, grid, "pair grids")
        if not grid.is_active:
            raise Invalid(f"{grid.name} is deactivated", errors=_field("grid_a_id", "deactivated grid"))
    if a.geom is None or b.geom is None:
        raise Invalid("Both grids need a boundary to be paired")
    d = distance_m(geo.from_db(a.geom), geo.from_db(b.geom))
    limit = settings.pair_max_distance_m
    if not adjacent(d, settings):
        raise Invalid(
            f"{a.name} and {b.name} are not adjacent: they are {d:.0f} m apart (at most {limit:.0f} m)",
            code="not-adjacent",
            distance_m=round(d, 1),
            max_distance_m=limit,
            errors=_field("grid_b_id", f"{d:.0f} m away"),
        )
    for grid in (a, b):
        existing = await active_pair(db, grid.id)
        if existing is not None:
            raise Conflict(f"{grid.name} is already in an active A/B pair (id {existing.id}); end it first")
    pair = PostPair(grid_a_id=a.id, grid_b_id=b.id, distance_m=d, created_at=utcnow(), created_by_id=subject.user_id)
    db.add(pair)
    await db.commit()
    return pair


def _pairs_visible(subject: Subject) -> ColumnElement[bool]:
    in_scope = grids_in_scope(subject)
    return or_(PostPair.grid_a_id.in_(in_scope), PostPair.grid_b_id.in_(in_scope))


async def list_pairs(db: AsyncSession, *, subject: Subject, active: bool | None = True) -> list[PostPair]:
    _require_reader(subject)
    conditions = [_pairs_visible(subject)]
    if active is True:
        conditions.append(PostPair.ended_at.is_(None))
    elif active is False:
        conditions.append(PostPair.ended_at.is_not(None))
    return list((await db.execute(select(PostPair).where(*conditions).order_by(PostPair.id))).scalars())


async def end_pair(db: AsyncSession, *, subject: Subject, pair_id: int) -> PostPair:
    pair = (await db.execute(select(PostPair).where(PostPair.id == pair_id, _pairs_visible(subject)))).scalar()
    if pair is None:
        raise NotFound(f"No A/B pair with id {pair_id} in your scope")
    _require_manager(subject, await db.get(Grid, pair.grid_a_id), "end an A/B pair")
    if pair.ended_at is not None:
        raise Conflict("This A/B pair has already ended")
    pair.ended_at = utcnow()
    await db.commit()
    return pair


async def pair_suggestions(
    db: AsyncSession, *, subject: Subject, community_id: int, settings: Settings
) -> list[dict[str, Any]]:
    """Pairs of the community's active grids that are adjacent by the rule `create_pair` applies and of which
    neither grid is in an active pair yet, by grid code. A grid may appear in several: pairing one of them takes
    the others off the next answer.

    The database finds the candidates by ellipsoidal distance (with a metre of slack, since the engines and pyproj
    measure a polygon's nearest points slightly differently); `distance_m`, the measure `create_pair` uses, then
    decides, so a suggestion is never refused as not adjacent."""
    _require_reader(subject)
    community = await hierarchy_service.get_visible(db, subject, "community", community_id)
    ga, gb = aliased(Grid), aliased(Grid)
    now = utcnow()
    paired = (
        select(PostPair.grid_a_id)
        .where(_pair_active_at(PostPair, now))
        .union(select(PostPair.grid_b_id).where(_pair_active_at(PostPair, now)))
    )
    limit = settings.pair_max_distance_m
    rows = await db.execute(
        select(ga, gb)
        .where(
            ga.community_id == community.id,
            gb.community_id == community.id,
            ga.id < gb.id,
            ga.is_active.is_(True),
            gb.is_active.is_(True),
            ga.geom.is_not(None),
            gb.geom.is_not(None),
            ga.id.not_in(paired),
            gb.id.not_in(paired),
            geo.within_metres_condition(ga.geom, gb.geom, limit + 1.0, sqlite=is_sqlite(db)),
        )
        .order_by(ga.code, gb.code)
    )
    out = []
    for a, b in rows.all():
        d = distance_m(geo.from_db(a.geom), geo.from_db(b.geom))
        if adjacent(d, settings):
            out.append(
                {
                    "grid_a": await _grid_ref(db, a, with_leader=True),
                    "grid_b": await _grid_ref(db, b, with_leader=True),
                    "distance_m": round(d, 1),
                }
            )
    return out
