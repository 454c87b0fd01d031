"""The views of matters: a record as its reader may see it (masked, with the actions they may take), the
inboxes and the supervision list. Reads only; scope is `policy.readable`."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    false,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import Role, User
from wangge.accounts.scope import Subject, mask_phone
from wangge.config import Settings
from wangge.fieldwork import people
from wangge.hierarchy.models import Community, Department, Grid, Street
from wangge.matters import flow
from wangge.matters.flow import Status
from wangge.matters.models import Category, Cooperator, Matter, MatterEvent, Photo, Supporter
from wangge.matters.service import GRID_STAFF, allowed_actions
from wangge.models_common import as_utc, utcnow
from wangge.policy import all_readable, readable

_OPEN_STATUSES = frozenset(s.value for s in flow.OPEN)

# The columns a list shows of each matter (and deadlines() and _holder_key() read): selected as a row rather than
# loading whole Matter objects, whose ~50 columns (the geometry included) cost a list of 200 most of its time.
LISTED = (
    Matter.id, Matter.tracking_code, Matter.description, Matter.status, Matter.route, Matter.holder_level,
    Matter.holder_department_id, Matter.district_id, Matter.street_id, Matter.community_id, Matter.grid_id,
    Matter.owner_id, Matter.created_at, Matter.sign_due_at, Matter.due_at, Matter.notice_ends_at,
    Matter.contact_due_at, Matter.first_contact_at,
)  # fmt: skip


def deadlines(m: Any, now: datetime, soon: timedelta) -> dict[str, Any]:
    """A matter's (or a LISTED row's) deadlines as a reader sees them now."""
    open_ = m.status in _OPEN_STATUSES
    due = [as_utc(d) for d in (m.sign_due_at, m.due_at) if d is not None]
    return {
        "sign_due_at": m.sign_due_at,
        "due_at": m.due_at,
        "notice_ends_at": m.notice_ends_at,
        "overdue": open_ and any(d < now for d in due),
        "due_soon": open_ and not any(d < now for d in due) and any(d < now + soon for d in due),
        # 先行联系: while nobody has contacted the requester yet, when they must be by, and whether that has passed.
        "contact_due_at": m.contact_due_at if open_ and m.first_contact_at is None else None,
        "contact_overdue": open_
        and m.first_contact_at is None
        and m.contact_due_at is not None
        and as_utc(m.contact_due_at) < now,
    }


async def names_of(db: AsyncSession, ids: set[int | None]) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict((await db.execute(select(User.id, User.display_name).where(User.id.in_(ids)))).all())


async def holder_name(db: AsyncSession, m: Matter) -> str:
    """The name of the level holding the matter: its department, street, station (community) or grid."""
    return (await holder_names(db, [m]))[m.id]


def photo_out(p: Photo) -> dict[str, Any]:
    return {
        "id": p.id,
        "url": f"/api/v1/photos/{p.token}/public",
        "thumb_url": f"/api/v1/photos/{p.token}/thumb",
        "width": p.width,
        "height": p.height,
        "taken_at": p.taken_at,
        "lat": p.lat,
        "lon": p.lon,
        "stage": p.stage,
    }


def public_photo_out(p: Photo) -> dict[str, Any]:
    """A photo on the resident's pages: its public copy (metadata stripped) and thumbnail, nothing else."""
    return {"url": f"/api/v1/photos/{p.token}/public", "thumb_url": f"/api/v1/photos/{p.token}/thumb"}


# The record's statements, built once: putting one of these together cost about as much CPU as running it (a GPS
# batch's read of what it is appended to: 1.2 of 2.3 ms, asyncpg, 2026-12-02); they run with their parameters.
_PLACE = (
    select(Category, Grid.id, Grid.code, Grid.name, Community.id, Community.code, Community.name)
    .add_columns(Department.name, Street.name)
    .add_columns(
        select(func.count(Supporter.id)).where(Supporter.matter_id == bindparam("matter_id")).scalar_subquery()
    )
    .select_from(Category)
    .outerjoin(Grid, Grid.id == bindparam("grid_id"))
    .outerjoin(Community, Community.id == bindparam("community_id"))
    .outerjoin(Department, Department.id == bindparam("department_id"))
    .outerjoin(Street, Street.id == bindparam("street_id"))
    .where(Category.id == bindparam("category_id"))
)
_PEOPLE = (
    select(User.id, User.display_name, User.role, User.community_id, User.is_active)
    .where(
        or_(
            User.id.in_(bindparam("named", expanding=True)),
            and_(
                User.role == Role.station_chief,
                User.community_id == bindparam("community_id"),
                User.is_active.is_(True),
            ),
        )
    )
    .order_by(User.id)
)
# A matter's photos in the order they came (the record and the resident's view).
PHOTOS = select(Photo).where(Photo.matter_id == bindparam("matter_id")).order_by(Photo.id)


async def matter_out(db: AsyncSession, m: Matter, subject: Subject | None, settings: Settings) -> dict[str, Any]:
    now = utcnow()
    # Where it is and who holds it, in one statement (the category always; the rest where the matter has them).
    place = (
        await db.execute(
            _PLACE,
            {
                "matter_id": m.id,
                "category_id": m.category_id,
                "grid_id": m.grid_id,
                "community_id": m.community_id,
                "department_id": m.holder_department_id,
                "street_id": m.street_id,
            },
        )
    ).one()
    category, grid_id, grid_code, grid_name, community_id, community_code, community_name, department, street = place[
        :9
    ]
    supporters = place[9]
    actions = await allowed_actions(db, subject, m, category.loop_rules or {})
    # The people it names and the community's station chiefs (who supervise it), in one more.
    named = {i for i in (m.owner_id, m.reported_by_id, m.resolved_by_id) if i}
    people_rows = (await db.execute(_PEOPLE, {"named": sorted(named), "community_id": m.community_id})).all()
    names = {r.id: r.display_name for r in people_rows if r.id in named}
    chiefs = [
        r.display_name
        for r in people_rows
        if r.role == Role.station_chief and r.is_active and r.community_id == m.community_id
    ]
    photos = list((await db.execute(PHOTOS, {"matter_id": m.id})).scalars())
    holder = {
        "level": m.holder_level,
        "department_id": m.holder_department_id,
        "name": holder_from(m, department, street, community_name, grid_name),
    }
    reporter = names.get(m.reported_by_id) or (
        f"居民 {m.reporter_name}"
        if m.reporter_name
        else {"hotline": "12345热线", "open311": "Open311"}.get(m.source, "居民")
    )
    show_phone = subject is not None and subject.can("personal_data:read")
    covered_by = None
    if m.grid_id is not None and m.status in _OPEN_STATUSES:
        # The grid's leader is on approved leave and the A/B partner covers (fieldwork.people's rule, one query).
        row = (
            await db.execute(select(User.id, User.display_name).where(User.id.in_(people.covering_user_ids(m.grid_id))))
        ).first()
        covered_by = {"id": row[0], "name": row[1]} if row else None
    return {
        "id": m.id,
        "tracking_code": m.tracking_code,
        "category": {
            "id": category.id,
            "code": category.code,
            "name": category.name_zh,
            "default_route": category.default_route,
        },
        "description": m.description,
        "address": m.address,
        "lat": m.lat,
        "lon": m.lon,
        "grid": {"id": grid_id, "code": grid_code, "name": grid_name} if grid_id else None,
        "community": {"id": community_id, "code": community_code, "name": community_name} if community_id else None,
        "source": m.source,
        "status": m.status,
        "route": m.route,
        "holder": holder,
        "owner": {"id": m.owner_id, "name": names.get(m.owner_id, "")} if m.owner_id else None,
        "reporter_name": m.reporter_name,
        "reporter_phone": m.reporter_phone if show_phone else mask_phone(m.reporter_phone),
        "result": m.result,
        "outcome": m.outcome,
        "rating": m.rating,
        "rating_comment": m.rating_comment,
        "reopen_count": m.reopen_count,
        "merged_into_id": m.merged_into_id,
        "deadlines": deadlines(m, now, timedelta(hours=settings.due_soon_hours)),
        "five_haves": {
            "found_by": reporter
            if m.source in ("field", "resident", "hotline", "open311")
            else names.get(m.reported_by_id),
            "reported_by": reporter,
            "responsible": " / ".join(x for x in (names.get(m.owner_id), holder["name"]) if x) or None,
            "resolved_by": names.get(m.resolved_by_id)
            if m.resolved_by_id
            else (holder["name"] if m.status in (Status.verifying, Status.resolved, Status.closed) else None),
            "supervised_by": "、".join(chiefs) or None,
        },
        "covered_by": covered_by,
        "actions": actions,
        "allowed_actions": [a["action"] for a in actions],
        "photos": [photo_out(p) for p in photos],
        "version": m.version,
        "created_at": m.created_at,
        "updated_at": m.updated_at,
        "resolved_at": m.resolved_at,
        "closed_at": m.closed_at,
        "rating_source": m.rating_source,
        "order_no": m.external_id if m.source == "hotline" else None,
        "contact_due_at": m.contact_due_at,
        "first_contact_at": m.first_contact_at,
        "pending_application": m.pending_application,
        "suspended_until": m.suspended_until,
        "verified_at": m.verified_at,
        "supporters": supporters,
    }


def _box_condition(subject: Subject, box: str) -> tuple[ColumnElement[bool], tuple[str, int | None] | None]:
    """The box's condition, and the (column, value) it pins a scope column to, if it does."""
    if box == "mine":
        return or_(Matter.owner_id == subject.user_id, Matter.reported_by_id == subject.user_id), None
    if box == "cooperating":  # 协办: what a department was convened to co-operate on
        if subject.role != Role.department_officer or subject.department_id is None:
            return false(), None
        convened = select(Cooperator.matter_id).where(Cooperator.department_id == subject.department_id)
        return Matter.id.in_(convened), None
    if box == "grid":
        return (Matter.grid_id == subject.grid_id if subject.grid_id else false()), ("grid_id", subject.grid_id)
    if box == "unit":
        if subject.role == Role.grid_leader:  # the grid's queue, and the queues of the grids covered now
            grids = or_(Matter.grid_id == subject.grid_id, Matter.grid_id.in_(people.covered_grid_ids(subject.user_id)))
            return and_(grids, Matter.holder_level == "grid"), None
        if subject.role in GRID_STAFF:
            return and_(Matter.grid_id == subject.grid_id, Matter.holder_level == "grid"), ("grid_id", subject.grid_id)
        if subject.role == Role.station_chief:
            queue = and_(Matter.community_id == subject.community_id, Matter.holder_level == "station")
            return queue, ("community_id", subject.community_id)
        if subject.role == Role.street_officer:
            return and_(Matter.street_id == subject.street_id, Matter.holder_level == "street"), (
                "street_id",
                subject.street_id,
            )
        if subject.role == Role.department_officer:
            queue = and_(Matter.holder_level == "department", Matter.holder_department_id == subject.department_id)
            return queue, ("holder_department_id", subject.department_id)
        return false(), None
    return true(), None


COUNT_CAP = 200  # a list says "200+" rather than count a whole history (each counted row is a heap visit)


@functools.lru_cache(maxsize=2048)
def _inbox_statements(subject: Subject, box: str, state: str, paged_after: bool) -> tuple[Select[Any], Select[Any]]:
    """The count and the page of an inbox, built once per caller, box and state (building a statement costs about
    as much as running it); the page's size, offset and `after` are bound at each run (`limit`, `offset`, `after`).
    `subject` carries no login session (the statements depend on who the caller is, not on how they signed in).
    Nothing in them reads the clock: the grids a leader covers now are worked out when the statement runs."""
    box_condition, pinned = _box_condition(subject, box)
    # A box that pins a scope column to a value whose every matter the subject may read needs no more: leaving out
    # readable()'s OR (area, or owner, or reporter) lets PostgreSQL estimate the rows, and so walk an index in order
    # to the page rather than sort the whole unit (41 ms for a community of 5,000 matters; 0.1 ms walked).
    conds = (
        [box_condition]
        if pinned and all_readable(subject, Matter, *pinned)
        else [readable(subject, Matter), box_condition]
    )
    if state == "open":
        conds.append(Matter.open_due_at.is_not(None))
    elif state == "closed":
        conds.append(Matter.open_due_at.is_(None))
    capped = select(Matter.id).where(*conds).limit(COUNT_CAP + 1).subquery()
    count = select(func.count()).select_from(capped)
    query = (
        select(
            *LISTED,
            Category.id.label("cat_id"),
            Category.code.label("cat_code"),
            Category.name_zh.label("cat_name"),
            Grid.name.label("grid_name"),
        )
        .join(Category, Category.id == Matter.category_id)
        .outerjoin(Grid, Grid.id == Matter.grid_id)
        .where(*conds)
    )
    if state == "closed":
        if paged_after:
            query = query.where(Matter.id < bindparam("after"))
        query = query.order_by(Matter.id.desc()).limit(bindparam("limit", type_=Integer))
    else:
        # Open ones by when their step is due, newest first on a tie: the partial indexes' own order, so the page
        # is read off an index in order. In "all" the finished ones (no open_due_at) follow, newest first.
        if state != "open":
            query = query.order_by(Matter.open_due_at.is_(None))
        query = query.order_by(Matter.open_due_at, Matter.id.desc())
        query = query.limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
    return count, query


async def inbox(
    db: AsyncSession,
    subject: Subject,
    *,
    box: str,
    state: str,
    limit: int,
    offset: int,
    settings: Settings,
    after: int | None = None,
) -> tuple[list[dict[str, Any]], int, bool, int | None]:
    """A page of the inbox: (items, total, whether the total is exact, the `after` of the next page).

    Open matters come overdue first, then by deadline, in pages by offset (there are few: they leave the list when
    they end). Finished ones come newest first in pages that start after the last id seen, each a short walk down
    an index of (scope column, id) however long the history (migration 0009). The total is counted up to
    COUNT_CAP."""
    now = utcnow()
    paged_after = state == "closed" and after is not None
    count, query = _inbox_statements(replace(subject, session_id=None), box, state, paged_after)
    counted = (await db.execute(count)).scalar_one()
    total, exact = min(counted, COUNT_CAP), counted <= COUNT_CAP
    if state == "closed":
        bound = {"limit": limit + 1, **({"after": after} if paged_after else {})}
    else:
        bound = {"limit": limit, "offset": offset}
    rows = (await db.execute(query, bound)).all()
    following = None
    if state == "closed" and len(rows) > limit:
        rows = rows[:limit]
        following = rows[-1].id
    soon = timedelta(hours=settings.due_soon_hours)
    items = [
        {
            "id": m.id,
            "tracking_code": m.tracking_code,
            "category": {"id": m.cat_id, "code": m.cat_code, "name": m.cat_name},
            "description": m.description[:120],
            "status": m.status,
            "route": m.route,
            "holder_level": m.holder_level,
            "grid": m.grid_name,
            "owner_id": m.owner_id,
            "created_at": m.created_at,
            "deadlines": deadlines(m, now, soon),
        }
        for m in rows
    ]
    return items, total, exact, following


SUPERVISION_PAGE = 50  # rows of 督办 a page shows unless asked for fewer or more (at most 200)


async def holder_names(db: AsyncSession, matters: Sequence[Any]) -> dict[int, str]:
    """holder_name for a whole list in one statement: the departments, streets, communities and grids the list
    names, looked up by id; `matters` are Matter objects or LISTED rows. (Joined into the list's own statement
    instead, the four lookups cost PostgreSQL 4–10 ms of planning per request, and at 10,000,000 matters a hash of
    every grid: 27 ms for the 200 of 督办 against 17 at 10,000.)"""
    wanted: dict[str, set[int]] = {kind: set() for kind in _HOLDER_TABLES}
    for m in matters:
        kind, key = _holder_key(m)
        if key is not None:
            wanted[kind].add(key)
    parts = [
        select(literal(kind).label("kind"), table.id.label("id"), table.name.label("name")).where(
            table.id.in_(sorted(wanted[kind]))
        )
        for kind, table in _HOLDER_TABLES.items()
        if wanted[kind]
    ]
    names = {(r.kind, r.id): r.name for r in (await db.execute(union_all(*parts))).all()} if parts else {}
    return {m.id: _holder_label(_holder_key(m)[0], names.get(_holder_key(m))) for m in matters}


_HOLDER_TABLES: dict[str, Any] = {"department": Department, "street": Street, "community": Community, "grid": Grid}


def _holder_key(m: Any) -> tuple[str, int | None]:
    """Which level holds the matter, and the id of the unit whose name says so."""
    if m.holder_level == "department" and m.holder_department_id:
        return "department", m.holder_department_id
    if m.holder_level == "street" and m.street_id:
        return "street", m.street_id
    if m.holder_level == "station" and m.community_id:
        return "community", m.community_id
    return "grid", m.grid_id


def _holder_label(kind: str, name: str | None) -> str:
    if not name:
        return ""
    return f"{name}服务站" if kind == "community" else name


def holder_from(m: Matter, department: str | None, street: str | None, community: str | None, grid: str | None) -> str:
    """holder_name from the names of the matter's department, street, community and grid, already at hand."""
    kind = _holder_key(m)[0]
    return _holder_label(kind, {"department": department, "street": street, "community": community, "grid": grid}[kind])


async def supervision(
    db: AsyncSession, subject: Subject, settings: Settings, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int | None]:
    """督办: a page of the open matters in scope whose step is overdue or due soon, most urgent first (by when the
    step is due, so the overdue ones lead), with who owns them and since when; and the offset of the next page, if
    there is one. Two statements whatever the rows: the owner and the last event come with each row, the holders'
    names with holder_names (a list that asked two more questions per row took 0.5–0.9 s at 10,000 matters). In
    pages by offset, as the open inbox: the list holds only what is due within the horizon."""
    now = utcnow()
    horizon = now + timedelta(hours=settings.due_soon_hours)
    since = select(func.max(MatterEvent.at)).where(MatterEvent.matter_id == Matter.id).scalar_subquery()
    rows = (
        await db.execute(
            select(
                *LISTED,
                Category.id.label("cat_id"),
                Category.code.label("cat_code"),
                Category.name_zh.label("cat_name"),
                since.label("last_event"),
                User.display_name.label("owner_name"),
            )
            .join(Category, Category.id == Matter.category_id)
            .outerjoin(User, User.id == Matter.owner_id)
            .where(readable(subject, Matter), Matter.open_due_at <= horizon)
            .order_by(Matter.open_due_at, Matter.id.desc())
            .limit(limit + 1)
            .offset(offset)
        )
    ).all()
    following = offset + limit if len(rows) > limit else None
    rows = rows[:limit]
    holders = await holder_names(db, rows)
    soon = timedelta(hours=settings.due_soon_hours)
    items = [
        {
            "id": m.id,
            "tracking_code": m.tracking_code,
            "category": {"id": m.cat_id, "code": m.cat_code, "name": m.cat_name},
            "status": m.status,
            "holder": {"level": m.holder_level, "name": holders[m.id]},
            "owner": m.owner_name,
            "since": as_utc(m.last_event) if m.last_event is not None else None,
            **deadlines(m, now, soon),
        }
        for m in rows
    ]
    return items, following
