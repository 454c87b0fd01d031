"""Splitting a grid in two along a drawn line, and merging two adjacent grids into one.

Both are one transaction: the shapes are checked as any grid's are (inside the community, no overlap with the other
grids) and nothing is written when a check fails. The audit log records every grid, building, place, team member
and A/B pair they change, like any other change of those rows.

What goes where:
- split: the original grid keeps its code, name, figures, leader, team and pairs, and the larger part; the new grid
  gets the smaller part, no figures (the administrator enters them) and the buildings and places that lie in it.
- merge: the first grid takes the union, the figures of both, the absorbed grid's buildings, places and current
  team members; the absorbed grid is deactivated (never deleted) and its open A/B pairs are ended. A merge is refused
  while the absorbed grid has a leader or grid staff accounts: they are moved first (人员管理), so that nobody is
  left leading or working in a grid that no longer exists.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import geo
from wangge.accounts.models import Role, User
from wangge.accounts.scope import Subject
from wangge.errors import Conflict, Invalid
from wangge.fieldwork.models import GridLeadership, PostPair, TeamMember
from wangge.fieldwork.people import local_today
from wangge.hierarchy import schemas
from wangge.hierarchy.models import Building, Community, Grid, Place
from wangge.hierarchy.service import (
    _check_code_free,
    _check_code_under,
    _commit,
    _field_error,
    _geometry_error,
    _load_for_write,
    check_grid_shapes,
    grid_label,
    shape_problems,
)
from wangge.messages import both
from wangge.models_common import utcnow


def _require_active(grid: Grid) -> None:
    if not grid.is_active:
        raise Conflict(f"The grid {grid.code} is deactivated")


async def _points_to(db: AsyncSession, model: Any, *, source: Grid, target: Grid, within: Any | None) -> None:
    """Move `model`'s active rows of `source` to `target`: all of them, or those whose point lies `within`."""
    rows = (await db.execute(select(model).where(model.grid_id == source.id, model.is_active.is_(True)))).scalars()
    for row in rows:
        point = geo.from_db(row.geom)
        if within is None or (point is not None and within.covers(point)):
            row.grid_id = target.id


async def split_grid(db: AsyncSession, subject: Subject, grid_id: int, data: schemas.GridSplit) -> tuple[Grid, Grid]:
    grid = await _load_for_write(db, subject, "grid", grid_id)
    _require_active(grid)
    community = await db.get(Community, grid.community_id)
    _check_code_under(data.code, community, "community")
    await _check_code_free(db, Grid, data.code)
    try:
        line = geo.line_from_geojson(data.line)
    except geo.GeometryError as exc:
        raise _geometry_error("line", exc) from exc
    parts = geo.split_in_two(geo.from_db(grid.geom), line)
    if parts is None:
        msg = f"The line does not cut the grid {grid.code} into exactly two parts: draw it across, edge to edge, once"
        raise Invalid(msg, code="split-not-two-parts", errors=[_field_error("line", msg)])
    kept, cut = parts
    problems = await check_grid_shapes(
        db, community, [(grid_label(grid.code), grid.code, kept), (grid_label(data.code), data.code, cut)]
    )
    if problems:
        raise shape_problems(problems)
    grid.geom = geo.to_db(kept)
    grid.area_m2 = geo.geodesic_area_m2(kept)
    new = Grid(
        district_id=grid.district_id,
        street_id=grid.street_id,
        community_id=grid.community_id,
        code=data.code,
        name=data.name,
        kind=data.kind.value,
        area_m2=geo.geodesic_area_m2(cut),
        geom=geo.to_db(cut),
    )
    db.add(new)
    await db.flush()
    for model in (Building, Place):
        await _points_to(db, model, source=grid, target=new, within=cut)
    await _commit(db, f"The grid {data.code}")
    await db.refresh(grid)
    await db.refresh(new)
    return grid, new


async def _staffed(db: AsyncSession, grid: Grid) -> bool:
    leader = select(GridLeadership.id).where(GridLeadership.grid_id == grid.id, GridLeadership.ended_at.is_(None))
    staff = select(User.id).where(
        User.grid_id == grid.id,
        User.is_active.is_(True),
        User.role.in_([Role.grid_leader, Role.grid_member]),
    )
    return (await db.execute(leader.limit(1))).first() is not None or (
        await db.execute(staff.limit(1))
    ).first() is not None


async def merge_grids(db: AsyncSession, subject: Subject, grid_id: int, data: schemas.GridMerge) -> tuple[Grid, Grid]:
    grid = await _load_for_write(db, subject, "grid", grid_id)
    other = await _load_for_write(db, subject, "grid", data.other_id)
    if other.id == grid.id:
        msg = both("网格不能与自己合并", "A grid cannot be merged with itself")
        raise Invalid(msg, errors=[_field_error("other_id", msg)])
    _require_active(grid)
    _require_active(other)
    if other.community_id != grid.community_id:
        msg = f"The grids {grid.code} and {other.code} belong to different communities"
        raise Invalid(msg, code="grids-not-adjacent", errors=[_field_error("other_id", msg)])
    merged = geo.union_if_adjacent(geo.from_db(grid.geom), geo.from_db(other.geom))
    if merged is None:
        msg = f"The grids {grid.code} and {other.code} do not share an edge, so they cannot become one grid"
        raise Invalid(msg, code="grids-not-adjacent", errors=[_field_error("other_id", msg)])
    if await _staffed(db, other):
        raise Conflict(
            f"The grid {other.code} still has a grid leader or staff accounts; move them to another grid first",
            code="grid-has-staff",
        )
    community = await db.get(Community, grid.community_id)
    other.is_active = False
    await db.flush()  # the absorbed grid is no neighbour of the merged one
    problems = await check_grid_shapes(db, community, [(grid_label(grid.code), grid.code, merged)])
    if problems:
        raise shape_problems(problems)
    grid.geom = geo.to_db(merged)
    grid.area_m2 = geo.geodesic_area_m2(merged)
    for field in ("households", "registered_population", "floating_population"):
        setattr(grid, field, getattr(grid, field) + getattr(other, field))
    for model in (Building, Place):
        await _points_to(db, model, source=other, target=grid, within=None)
    today = local_today()
    members = await db.execute(
        select(TeamMember).where(
            TeamMember.grid_id == other.id, or_(TeamMember.end_date.is_(None), TeamMember.end_date >= today)
        )
    )
    for member in members.scalars():
        member.grid_id = grid.id
    pairs = (
        await db.execute(
            select(PostPair).where(
                or_(PostPair.grid_a_id == other.id, PostPair.grid_b_id == other.id), PostPair.ended_at.is_(None)
            )
        )
    ).scalars()
    now = utcnow()
    for pair in pairs:
        pair.ended_at = now
    await _commit(db, grid.code)
    await db.refresh(grid)
    await db.refresh(other)
    return grid, other
