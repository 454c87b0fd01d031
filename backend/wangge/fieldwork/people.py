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

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from pyproj import Geod
from shapely.ops import nearest_points
from sqlalchemy import ColumnElement, Select, and_, case, exists, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from wangge import geo
from wangge.accounts import scope
from wangge.accounts.models import Role, ScopeLevel, User
from wangge.accounts.scope import Subject, mask_phone, within_area
from wangge.config import Settings
from wangge.errors import Conflict, Forbidden, Invalid, NotFound
from wangge.fieldwork.models import (
    GridLeadership,
    HomeVisit,
    Leave,
    PostPair,
    Shift,
    SpecialGroup,
    SpecialResident,
    TeamMember,
)
from wangge.hierarchy import service as hierarchy_service
from wangge.hierarchy.models import Building, Grid
from wangge.matters.workcalendar import SHANGHAI
from wangge.models_common import as_utc, utcnow

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
    return select(Grid.id).where(scope.visible(subject, Grid, "grid"))


# --- the rule of who is on duty, as SQL pieces -------------------------------------------------------------------


def _leads_at(lead: Any, at: datetime) -> ColumnElement[bool]:
    return and_(lead.started_at <= at, or_(lead.ended_at.is_(None), lead.ended_at > at))


def _away_at(leave: Any, at: datetime) -> ColumnElement[bool]:
    return and_(leave.status == "approved", leave.start_at <= at, leave.end_at > at)


def _pair_active_at(pair: Any, at: datetime) -> ColumnElement[bool]:
    return and_(pair.created_at <= at, or_(pair.ended_at.is_(None), pair.ended_at > at))


def _cover_statement(at: datetime, *, user_id: int | None = None, grid_id: int | None = None) -> Select[Any]:
    """Who covers what at `at`: the covered grid's leader is on approved leave, and the covering user leads the
    partner grid of its active pair and is not away. With `user_id`: the grids that user covers (one column); with
    `grid_id`: the users covering that grid (one column)."""
    lead, away, partner, partner_away = (
        aliased(GridLeadership),
        aliased(Leave),
        aliased(GridLeadership),
        aliased(Leave),
    )
    pair = aliased(PostPair)
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


def covered_grid_ids(user_id: int, at: datetime | None = None) -> Select[Any]:
    """A subquery: the grids `user_id` covers at `at` (default now) because their partner is on leave."""
    return _cover_statement(at or utcnow(), user_id=user_id)


def covering_user_ids(grid_id: int, at: datetime | None = None) -> Select[Any]:
    """A subquery: who covers `grid_id` at `at` (default now); empty while its leader is at work."""
    return _cover_statement(at or utcnow(), grid_id=grid_id)


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
        await db.execute(
            select(Grid).where(scope.visible(subject, Grid, "grid"), Grid.is_active.is_(True)).order_by(Grid.code)
        )
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


async def _check_member_user(db: AsyncSession, grid: Grid, user_id: int | None) -> None:
    if user_id is None:
        return
    user = await db.get(User, user_id)
    if user is None or user.community_id != grid.community_id:
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
    if d > limit:
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


# --- leave ---------------------------------------------------------------------------------------------------------


def _leaves_visible(subject: Subject) -> ColumnElement[bool]:
    """A grid leader sees their own leaves; the station chief and above those of the grids in their scope."""
    if subject.role in GRID_STAFF:
        return Leave.user_id == subject.user_id
    if subject.role in (Role.station_chief, Role.administrator, Role.street_officer):
        return Leave.grid_id.in_(grids_in_scope(subject))
    return false()


async def leave_out(db: AsyncSession, leave: Leave) -> dict[str, Any]:
    grid = await db.get(Grid, leave.grid_id)
    partner_id = await partner_grid_id(db, leave.grid_id)
    partner = await db.get(Grid, partner_id) if partner_id else None
    names = await _names(db, {leave.user_id, leave.decided_by_id})
    return {
        "id": leave.id,
        "user": _ref(names, leave.user_id),
        "grid": await _grid_ref(db, grid),
        "start_at": leave.start_at,
        "end_at": leave.end_at,
        "reason": leave.reason,
        "status": leave.status,
        "decided_by": _ref(names, leave.decided_by_id),
        "decided_at": leave.decided_at,
        "decision_note": leave.decision_note,
        "both_away": leave.both_away,
        "no_partner": partner is None,
        "partner": await _grid_ref(db, partner, with_leader=True) if partner else None,
        "created_at": leave.created_at,
    }


async def request_leave(db: AsyncSession, *, subject: Subject, data: Any) -> Leave:
    if subject.role != Role.grid_leader or subject.grid_id is None:
        raise Forbidden("Only a grid leader asks for leave from their grid")
    start, end = as_utc(data.start_at), as_utc(data.end_at)
    if end <= start:
        raise Invalid("The leave must end after it starts", errors=_field("end_at", "not after start_at"))
    clash = (
        await db.execute(
            select(Leave.id).where(
                Leave.user_id == subject.user_id,
                Leave.status.in_(("requested", "approved")),
                Leave.start_at < end,
                Leave.end_at > start,
            )
        )
    ).first()
    if clash is not None:
        raise Conflict(f"You already have leave {clash[0]} in that period")
    leave = Leave(
        user_id=subject.user_id, grid_id=subject.grid_id, start_at=start, end_at=end, reason=data.reason or ""
    )
    db.add(leave)
    await db.commit()
    return leave


async def list_leaves(db: AsyncSession, *, subject: Subject, status: str | None = None) -> list[Leave]:
    conditions = [_leaves_visible(subject)]
    if status:
        conditions.append(Leave.status == status)
    return list((await db.execute(select(Leave).where(*conditions).order_by(Leave.start_at.desc()))).scalars())


async def _visible_leave(db: AsyncSession, subject: Subject, leave_id: int) -> Leave:
    leave = (await db.execute(select(Leave).where(Leave.id == leave_id, _leaves_visible(subject)))).scalar()
    if leave is None:
        raise NotFound(f"No leave with id {leave_id} in your scope")
    return leave


async def _leave_to_decide(db: AsyncSession, subject: Subject, leave_id: int) -> tuple[Leave, Grid]:
    leave = await _visible_leave(db, subject, leave_id)
    grid = await db.get(Grid, leave.grid_id)
    if subject.role != Role.station_chief or subject.community_id != grid.community_id:
        raise Forbidden("Only the station chief of the community decides on leave")
    if leave.status != "requested":
        raise Conflict(f"This leave is {leave.status}; only a requested leave can be decided")
    return leave, grid


async def approve_leave(
    db: AsyncSession, *, subject: Subject, leave_id: int, note: str | None, accept_both_away: bool
) -> Leave:
    """Approve; when the A/B partner is away for part of the period, refuse (409 naming the partner and the dates)
    unless the chief accepts that both are away, which is then flagged on the leave."""
    leave, grid = await _leave_to_decide(db, subject, leave_id)
    both_away = False
    partner_id = await partner_grid_id(db, grid.id)
    if partner_id is not None:
        overlapping = list(
            (
                await db.execute(
                    select(Leave)
                    .where(
                        Leave.grid_id == partner_id,
                        Leave.status == "approved",
                        Leave.start_at < leave.end_at,
                        Leave.end_at > leave.start_at,
                    )
                    .order_by(Leave.start_at)
                )
            ).scalars()
        )
        if overlapping:
            partner_grid = await db.get(Grid, partner_id)
            names = await _names(db, {x.user_id for x in overlapping})
            periods = "; ".join(f"{_local(x.start_at)} – {_local(x.end_at)}" for x in overlapping)
            who = "、".join(sorted({names.get(x.user_id, "") for x in overlapping}))
            if not accept_both_away:
                raise Conflict(
                    f"The A/B partner {who} ({partner_grid.name}) is away {periods} (Beijing time): both would be "
                    "away. Send accept_both_away to approve anyway",
                    code="both-away",
                    partner={"grid_id": partner_id, "grid": partner_grid.name, "names": who},
                    overlapping=[
                        {"leave_id": x.id, "start_at": x.start_at.isoformat(), "end_at": x.end_at.isoformat()}
                        for x in overlapping
                    ],
                )
            both_away = True
    leave.status, leave.both_away = "approved", both_away
    leave.decided_by_id, leave.decided_at, leave.decision_note = subject.user_id, utcnow(), note
    await db.commit()
    return leave


async def refuse_leave(db: AsyncSession, *, subject: Subject, leave_id: int, note: str) -> Leave:
    leave, _ = await _leave_to_decide(db, subject, leave_id)
    leave.status = "refused"
    leave.decided_by_id, leave.decided_at, leave.decision_note = subject.user_id, utcnow(), note
    await db.commit()
    return leave


async def cancel_leave(db: AsyncSession, *, subject: Subject, leave_id: int) -> Leave:
    leave = await _visible_leave(db, subject, leave_id)
    if leave.user_id != subject.user_id:
        raise Forbidden("Only the person who asked for the leave may cancel it")
    if leave.status != "requested":
        raise Conflict(f"This leave is {leave.status}; only a requested leave can be cancelled")
    leave.status = "cancelled"
    await db.commit()
    return leave


# --- shifts --------------------------------------------------------------------------------------------------------


def _users_for_shifts(subject: Subject) -> ColumnElement[bool]:
    """Whose shifts the caller may see and set: a leader their own, the chief their community's leaders, an
    administrator the leaders in their area."""
    if subject.role == Role.grid_leader:
        return Shift.user_id == subject.user_id
    if subject.role == Role.station_chief:
        return Shift.user_id.in_(select(User.id).where(User.community_id == subject.community_id))
    if subject.role in (Role.administrator, Role.street_officer):
        if subject.scope_level == ScopeLevel.system:
            return true()
        area = subject.area_level
        if area is None:
            return false()
        column = getattr(User, f"{area}_id")
        return Shift.user_id.in_(select(User.id).where(column == getattr(subject, f"{area}_id")))
    return false()


async def shift_out(db: AsyncSession, shifts: list[Shift]) -> list[dict[str, Any]]:
    names = await _names(db, {s.user_id for s in shifts})
    return [
        {
            "id": s.id,
            "user": _ref(names, s.user_id),
            "weekday": s.weekday,
            "start_time": s.start_time,
            "end_time": s.end_time,
            "label": s.label,
        }
        for s in shifts
    ]


async def list_shifts(db: AsyncSession, *, subject: Subject, user_id: int | None = None) -> list[Shift]:
    conditions = [_users_for_shifts(subject)]
    if user_id is not None:
        conditions.append(Shift.user_id == user_id)
    stmt = select(Shift).where(*conditions).order_by(Shift.user_id, Shift.weekday, Shift.start_time)
    return list((await db.execute(stmt)).scalars())


async def _shift_owner_allowed(db: AsyncSession, subject: Subject, user_id: int) -> User:
    user = await db.get(User, user_id)
    if user is None or user.role != Role.grid_leader or not user.is_active:
        raise Invalid("Shifts are for active grid leaders", errors=_field("user_id", "not a grid leader"))
    if subject.role == Role.grid_leader:
        allowed = user.id == subject.user_id
    elif subject.role == Role.station_chief:
        allowed = user.community_id == subject.community_id
    elif subject.role == Role.administrator:
        allowed = within_area(
            subject,
            "grid",
            {"district_id": user.district_id, "street_id": user.street_id, "community_id": user.community_id},
        )
    else:
        raise Forbidden(f"Your role ({subject.role}) may not set shifts")
    if not allowed:
        raise NotFound(f"No grid leader with id {user_id} in your scope")
    return user


async def add_shift(db: AsyncSession, *, subject: Subject, data: Any) -> Shift:
    user = await _shift_owner_allowed(db, subject, data.user_id or subject.user_id)
    if data.end_time <= data.start_time:
        raise Invalid("A shift must end after it starts (same day)", errors=_field("end_time", "not after start"))
    clash = (
        await db.execute(
            select(Shift).where(
                Shift.user_id == user.id,
                Shift.weekday == data.weekday,
                Shift.start_time < data.end_time,
                Shift.end_time > data.start_time,
            )
        )
    ).scalar()
    if clash is not None:
        raise Conflict(f"It overlaps the shift {clash.start_time}–{clash.end_time} on the same day", shift_id=clash.id)
    shift = Shift(
        user_id=user.id, weekday=data.weekday, start_time=data.start_time, end_time=data.end_time, label=data.label
    )
    db.add(shift)
    await db.commit()
    return shift


async def delete_shift(db: AsyncSession, *, subject: Subject, shift_id: int) -> None:
    shift = (await db.execute(select(Shift).where(Shift.id == shift_id, _users_for_shifts(subject)))).scalar()
    if shift is None:
        raise NotFound(f"No shift with id {shift_id} in your scope")
    if subject.role == Role.street_officer:
        raise Forbidden("Street officers read shifts; the station chief sets them")
    await db.delete(shift)
    await db.commit()


def _local_dt(day: date, hhmm: str) -> datetime:
    if hhmm == "24:00":
        return datetime.combine(day + timedelta(days=1), time(0, 0), SHANGHAI)
    h, m = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(h, m), SHANGHAI)


async def roster(db: AsyncSession, *, subject: Subject, week: date, community_id: int | None) -> dict[str, Any]:
    """Each day of the week starting `week` (a Monday): who works when (their shifts, marked when on leave), and
    who covers whom from approved leaves."""
    _require_reader(subject)
    if week.weekday() != 0:
        raise Invalid(f"{week} is not a Monday", errors=[{"loc": ["query", "week"], "msg": "not a Monday"}])
    community_id = community_id or subject.community_id
    if community_id is None:
        raise Invalid("Say which community", errors=[{"loc": ["query", "community_id"], "msg": "required"}])
    community = await hierarchy_service.get_visible(db, subject, "community", community_id)
    grids = list(
        (
            await db.execute(
                select(Grid)
                .where(
                    Grid.community_id == community.id, Grid.is_active.is_(True), scope.visible(subject, Grid, "grid")
                )
                .order_by(Grid.code)
            )
        ).scalars()
    )
    grid_by_id = {g.id: g for g in grids}
    now = utcnow()
    leaders = dict(
        (
            await db.execute(
                select(GridLeadership.user_id, GridLeadership.grid_id).where(
                    GridLeadership.grid_id.in_(grid_by_id), _leads_at(GridLeadership, now)
                )
            )
        ).all()
    )
    shifts = list(
        (
            await db.execute(select(Shift).where(Shift.user_id.in_(leaders)).order_by(Shift.start_time, Shift.user_id))
        ).scalars()
    )
    week_start = datetime.combine(week, time(0, 0), SHANGHAI)
    week_end = week_start + timedelta(days=7)
    leaves = list(
        (
            await db.execute(
                select(Leave)
                .where(
                    Leave.grid_id.in_(grid_by_id),
                    Leave.status == "approved",
                    Leave.start_at < week_end,
                    Leave.end_at > week_start,
                )
                .order_by(Leave.start_at)
            )
        ).scalars()
    )
    names = await _names(db, set(leaders) | {x.user_id for x in leaves})
    refs = {g.id: await _grid_ref(db, g) for g in grids}
    days = []
    for i in range(7):
        day = week + timedelta(days=i)
        start, end = _local_dt(day, "00:00"), _local_dt(day, "24:00")
        day_shifts = []
        for s in shifts:
            if s.weekday != day.weekday():
                continue
            s_start, s_end = _local_dt(day, s.start_time), _local_dt(day, s.end_time)
            away = any(x.user_id == s.user_id and x.start_at < s_end and x.end_at > s_start for x in leaves)
            day_shifts.append(
                {
                    "user": _ref(names, s.user_id),
                    "grid": refs.get(leaders.get(s.user_id)),
                    "start_time": s.start_time,
                    "end_time": s.end_time,
                    "label": s.label,
                    "away": away,
                }
            )
        covers = []
        for x in leaves:
            if not (x.start_at < end and x.end_at > start):
                continue
            duty = await on_duty_for(db, x.grid_id, max(as_utc(x.start_at), start))
            more = await _names(db, {duty.user_id})
            covers.append(
                {
                    "grid": refs[x.grid_id],
                    "leader": _ref(names, x.user_id),
                    "leave_id": x.id,
                    "start_at": x.start_at,
                    "end_at": x.end_at,
                    "covered_by": _ref(more, duty.user_id) if duty.covering else None,
                    "reason": duty.reason,
                }
            )
        days.append({"day": day, "weekday": day.weekday(), "shifts": day_shifts, "covers": covers})
    return {"community_id": community.id, "week": week, "days": days}


# --- door-to-door service ------------------------------------------------------------------------------------------


def mask_id_number(value: str | None) -> str | None:
    if not value:
        return value
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def _residents_visible(subject: Subject) -> ColumnElement[bool]:
    """Special residents of the grids in scope; a grid leader also those of the grids they cover now."""
    if subject.role not in STAFF_READERS:
        return false()
    in_scope = SpecialResident.grid_id.in_(grids_in_scope(subject))
    if subject.role == Role.grid_leader:
        return or_(in_scope, SpecialResident.grid_id.in_(covered_grid_ids(subject.user_id)))
    return in_scope


async def _may_write_grid(db: AsyncSession, subject: Subject, grid: Grid) -> bool:
    if subject.role in GRID_STAFF:
        return subject.grid_id == grid.id or grid.id in await covered_grids(db, subject)
    return manages(subject, grid)


def _last_visit() -> Any:
    return (
        select(HomeVisit.resident_id, func.max(HomeVisit.visited_at).label("last"))
        .group_by(HomeVisit.resident_id)
        .subquery()
    )


def resident_out(r: SpecialResident, group: SpecialGroup, last: datetime | None, subject: Subject) -> dict[str, Any]:
    show = subject.can("personal_data:read")
    return {
        "id": r.id,
        "grid_id": r.grid_id,
        "group": {
            "id": group.id,
            "code": group.code,
            "name_zh": group.name_zh,
            "name_en": group.name_en,
            "visit_every_days": group.visit_every_days,
            "is_active": group.is_active,
        },
        "building_id": r.building_id,
        "name": r.name,
        "phone": r.phone if show else mask_phone(r.phone),
        "id_number": r.id_number if show else mask_id_number(r.id_number),
        "address": r.address,
        "visit_every_days": r.visit_every_days,
        "required_every_days": r.visit_every_days or group.visit_every_days,
        "note": r.note,
        "is_active": r.is_active,
        "last_visited_at": as_utc(last) if last else None,
        "created_at": r.created_at,
    }


async def _resident_rows(db: AsyncSession, subject: Subject, *conditions: Any) -> list[Any]:
    last = _last_visit()
    stmt = (
        select(SpecialResident, SpecialGroup, last.c.last)
        .join(SpecialGroup, SpecialGroup.id == SpecialResident.group_id)
        .outerjoin(last, last.c.resident_id == SpecialResident.id)
        .where(_residents_visible(subject), *conditions)
        .order_by(SpecialResident.grid_id, SpecialResident.name, SpecialResident.id)
    )
    return list((await db.execute(stmt)).all())


async def list_residents(
    db: AsyncSession, *, subject: Subject, grid_id: int | None = None, active: bool | None = True
) -> list[dict[str, Any]]:
    _require_reader(subject)
    conditions = []
    if grid_id is not None:
        conditions.append(SpecialResident.grid_id == grid_id)
    if active is not None:
        conditions.append(SpecialResident.is_active.is_(active))
    return [resident_out(r, g, last, subject) for r, g, last in await _resident_rows(db, subject, *conditions)]


async def get_resident(db: AsyncSession, *, subject: Subject, resident_id: int) -> dict[str, Any]:
    rows = await _resident_rows(db, subject, SpecialResident.id == resident_id)
    if not rows:
        raise NotFound(f"No special resident with id {resident_id} in your scope")
    return resident_out(*rows[0], subject)


async def _resident_for_write(db: AsyncSession, subject: Subject, resident_id: int) -> SpecialResident:
    r = (
        await db.execute(select(SpecialResident).where(SpecialResident.id == resident_id, _residents_visible(subject)))
    ).scalar()
    if r is None:
        raise NotFound(f"No special resident with id {resident_id} in your scope")
    if not await _may_write_grid(db, subject, await db.get(Grid, r.grid_id)):
        raise Forbidden("Only the grid's staff, the station chief or an administrator may change this")
    return r


async def _check_group(db: AsyncSession, group_id: int) -> None:
    group = await db.get(SpecialGroup, group_id)
    if group is None or not group.is_active:
        raise Invalid(f"There is no active special group {group_id}", errors=_field("group_id", "unknown group"))


async def _check_building(db: AsyncSession, grid_id: int, building_id: int | None) -> None:
    if building_id is None:
        return
    building = await db.get(Building, building_id)
    if building is None or building.grid_id != grid_id:
        raise Invalid("The building is not in this grid", errors=_field("building_id", "not in the grid"))


async def add_resident(db: AsyncSession, *, subject: Subject, data: Any) -> dict[str, Any]:
    _require_reader(subject)
    grid = (
        await db.execute(
            select(Grid).where(
                Grid.id == data.grid_id,
                or_(
                    scope.visible(subject, Grid, "grid"),
                    Grid.id.in_(covered_grid_ids(subject.user_id)) if subject.role == Role.grid_leader else false(),
                ),
            )
        )
    ).scalar()
    if grid is None:
        raise NotFound(f"No grid with id {data.grid_id} in your scope")
    if not await _may_write_grid(db, subject, grid):
        raise Forbidden("Only the grid's staff, the station chief or an administrator may add residents")
    await _check_group(db, data.group_id)
    await _check_building(db, grid.id, data.building_id)
    r = SpecialResident(**data.model_dump(), created_at=utcnow())
    db.add(r)
    await db.commit()
    return await get_resident(db, subject=subject, resident_id=r.id)


async def update_resident(db: AsyncSession, *, subject: Subject, resident_id: int, data: Any) -> dict[str, Any]:
    r = await _resident_for_write(db, subject, resident_id)
    changes = data.model_dump(exclude_unset=True)
    if "name" in changes and not changes["name"]:
        raise Invalid("name may not be empty", errors=_field("name", "may not be empty"))
    if changes.get("group_id") is not None:
        await _check_group(db, changes["group_id"])
    elif "group_id" in changes:
        changes.pop("group_id")
    if "building_id" in changes:
        await _check_building(db, r.grid_id, changes["building_id"])
    for key, value in changes.items():
        setattr(r, key, value)
    await db.commit()
    return await get_resident(db, subject=subject, resident_id=r.id)


async def deactivate_resident(db: AsyncSession, *, subject: Subject, resident_id: int) -> dict[str, Any]:
    r = await _resident_for_write(db, subject, resident_id)
    r.is_active = False
    await db.commit()
    return await get_resident(db, subject=subject, resident_id=r.id)


async def _visit_partner(
    db: AsyncSession, subject: Subject, resident: SpecialResident, partner_id: int | None, at: datetime
) -> int | None:
    """The A/B partner who visits with the caller: by default the leader of the partner grid of the caller's grid
    (not when that leader is on leave); a `partner_id` given must be that partner."""
    # The pair as it stands now: a visit is recorded soon after it is made, maybe just after the pair was set up.
    now = utcnow()
    if subject.role == Role.grid_leader and subject.grid_id is not None:
        partner_grid = await partner_grid_id(db, subject.grid_id, now)
        partner = await leader_at(db, partner_grid, now) if partner_grid else None
        if partner_id is not None:
            if partner_id != partner:
                raise Invalid(
                    "partner_id must be your A/B partner, the leader of the paired grid",
                    errors=_field("partner_id", "not your A/B partner"),
                )
            return partner_id
        return partner if partner is not None and not await is_away(db, partner, at) else None
    if partner_id is None:
        return None
    # Someone other than a leader records the visit: the partner must lead the resident's grid or its partner.
    grids = {resident.grid_id, await partner_grid_id(db, resident.grid_id, now)}
    leaders = {await leader_at(db, g, now) for g in grids if g}
    if partner_id not in leaders:
        raise Invalid(
            "partner_id must lead the resident's grid or its A/B partner grid",
            errors=_field("partner_id", "not a leader of the pair"),
        )
    return partner_id


async def visit_out(db: AsyncSession, visits: list[HomeVisit]) -> list[dict[str, Any]]:
    ids: set[int | None] = {v.created_by_id for v in visits}
    for v in visits:
        ids |= set(v.visitor_ids or [])
    names = await _names(db, ids)
    return [
        {
            "id": v.id,
            "resident_id": v.resident_id,
            "visited_at": v.visited_at,
            "visitors": [_ref(names, i) for i in v.visitor_ids or []],
            "notes": v.notes,
            "created_by": _ref(names, v.created_by_id),
            "created_at": v.created_at,
        }
        for v in visits
    ]


async def record_visit(db: AsyncSession, *, subject: Subject, resident_id: int, data: Any) -> HomeVisit:
    """A home visit 入户走访, made by the A/B pair together: both are recorded as visitors."""
    r = await _resident_for_write(db, subject, resident_id)
    if not r.is_active:
        raise Conflict("This resident is no longer followed")
    at = as_utc(data.visited_at)
    if at > utcnow() + timedelta(minutes=5):
        raise Invalid("A visit cannot be in the future", errors=_field("visited_at", "in the future"))
    partner = await _visit_partner(db, subject, r, data.partner_id, at)
    visitors = [subject.user_id] + ([partner] if partner and partner != subject.user_id else [])
    visit = HomeVisit(
        resident_id=r.id,
        visited_at=at,
        visitor_ids=visitors,
        notes=data.notes or "",
        created_by_id=subject.user_id,
        created_at=utcnow(),
    )
    db.add(visit)
    await db.commit()
    return visit


async def list_visits(db: AsyncSession, *, subject: Subject, resident_id: int) -> list[HomeVisit]:
    await get_resident(db, subject=subject, resident_id=resident_id)  # 404 outside scope
    rows = await db.execute(
        select(HomeVisit).where(HomeVisit.resident_id == resident_id).order_by(HomeVisit.visited_at.desc())
    )
    return list(rows.scalars())


async def overdue_visits(db: AsyncSession, *, subject: Subject) -> list[dict[str, Any]]:
    """Residents whose last visit is older than their required frequency (their own, else their group's): never
    visited first, then the longest overdue. A leader sees their grid and the grids they cover; the chief the
    community; others their scope."""
    _require_reader(subject)
    now = utcnow()
    out = []
    grids: dict[int, dict[str, Any]] = {}
    for r, group, last in await _resident_rows(db, subject, SpecialResident.is_active.is_(True)):
        every = r.visit_every_days or group.visit_every_days
        since = now - as_utc(last) if last else None
        if since is not None and since <= timedelta(days=every):
            continue
        if r.grid_id not in grids:
            grids[r.grid_id] = await _grid_ref(db, await db.get(Grid, r.grid_id), with_leader=True)
        out.append(
            {
                "resident": resident_out(r, group, last, subject),
                "grid": grids[r.grid_id],
                "never_visited": last is None,
                "days_since_visit": since.days if since is not None else None,
                "days_overdue": (since - timedelta(days=every)).days if since is not None else None,
            }
        )
    out.sort(key=lambda x: (not x["never_visited"], -(x["days_overdue"] or 0), x["resident"]["id"]))
    return out


async def list_groups(db: AsyncSession) -> list[SpecialGroup]:
    return list((await db.execute(select(SpecialGroup).order_by(SpecialGroup.id))).scalars())


async def update_group(db: AsyncSession, *, subject: Subject, group_id: int, data: Any) -> SpecialGroup:
    if not subject.can("hierarchy:write") or subject.area_level not in (None, "district"):
        raise Forbidden("Only a system or district administrator may change special groups")
    group = await db.get(SpecialGroup, group_id)
    if group is None:
        raise NotFound(f"No special group with id {group_id}")
    for key, value in data.model_dump(exclude_unset=True).items():
        if value is None:
            raise Invalid(f"{key} may not be empty", errors=_field(key, "may not be empty"))
        setattr(group, key, value)
    await db.commit()
    return group
