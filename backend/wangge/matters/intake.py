"""Intake: the one way a matter comes into being, whoever brings it — a resident on the public page or through
Open311, grid staff in the field or on patrol, the station's front desk, a hazard check, a 12345 hotline order.

Each way in works out where the matter is and who may enter it there, then hands an `Entry` to `intake()`, which
places it, starts its first clock, records it, declares an emergency when the category is one, and tells its
holder — the same for every source.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import geo, messages
from wangge.accounts.models import Role
from wangge.accounts.scope import Subject
from wangge.config import Settings
from wangge.errors import Invalid
from wangge.hierarchy.models import Community, Grid
from wangge.matters import flow, loop
from wangge.matters.flow import Action, Status
from wangge.matters.models import Matter, Photo
from wangge.matters.service import (
    GRID_STAFF,
    HOLDER_FOR_STATUS,
    _apply,
    _emergency_units,
    _payload,
    _resolve,
    _start_step,
    actors_for,
    category_by_code,
    covering_of,
    locate,
    record,
    transition,
    unit_of,
    work_calendar,
)
from wangge.models_common import utcnow
from wangge.notify.outbox import emit

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone
# The title of the "new matter" notification, by where the matter came from.
_TITLES = {"resident": "居民诉求", "open311": "居民诉求", "hotline": "12345工单"}


def _names(category: Any) -> messages.Text:
    """A category's names (a Category or a CategoryInfo), for notifications."""
    return messages.both(category.name_zh, category.name_en or category.name_zh)


def new_tracking_code() -> str:
    # 32 letters, so each random byte maps to one without bias.
    return "WG" + "".join(CODE_ALPHABET[b % 32] for b in secrets.token_bytes(8))


def _new_matter(
    *, lat: float | None, lon: float | None, grid: Grid | None, community: Community, **values: Any
) -> Matter:
    """A matter placed and pointed, not yet saved, so that it is written with one INSERT."""
    m = Matter(tracking_code=new_tracking_code(), version=1, reopen_count=0, created_at=utcnow(), **values)
    _set_point(m, lat, lon)
    _place(m, grid, community)
    return m


async def _save(db: AsyncSession, m: Matter, photos: list[Photo]) -> None:
    db.add(m)
    await db.flush()  # the id, for the event and the photos
    for p in photos:
        p.matter_id = m.id


def _set_point(m: Matter, lat: float | None, lon: float | None) -> None:
    m.lat, m.lon = lat, lon
    m.geom = geo.to_db(geo.point_from_lonlat(lon, lat)) if lat is not None and lon is not None else None


def _place(m: Matter, grid: Grid | None, community: Community) -> None:
    m.grid_id = grid.id if grid else None
    m.community_id, m.street_id, m.district_id = community.id, community.street_id, community.district_id


# --- the one way in --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A matter as a way in hands it over: what, where, who reported it, and the step it starts at —
    `submitted` (the grid signs for it), `accepted` (grid staff took it themselves) or `at_station` (the front
    desk, or a hotline order that no grid covers)."""

    category: Any  # CategoryInfo or Category: id, code, name_zh, is_emergency, time limits
    community: Community
    grid: Grid | None
    lat: float | None
    lon: float | None
    description: str
    address: str | None
    source: str
    status: Status
    reporter_name: str | None = None
    reporter_phone: str | None = None
    photos: list[Photo] = field(default_factory=list)
    taken_by: Subject | None = None  # the staff member who entered it: its first-ask owner
    recorded_by: Subject | None = None  # who brought it in without taking it (a hotline import), for the record
    handled_on_spot: bool = False
    result: str | None = None
    covering: frozenset[int] = frozenset()
    external_id: str | None = None
    tracking_token_hash: str | None = None
    event_data: dict[str, Any] = field(default_factory=dict)


async def intake(db: AsyncSession, *, entry: Entry) -> Matter:
    """Write the matter and everything that follows from its arrival, in the caller's transaction."""
    now = utcnow()
    cal = await work_calendar(db)
    category, by = entry.category, entry.taken_by
    holder_level = HOLDER_FOR_STATUS[entry.status]
    m = _new_matter(
        lat=entry.lat,
        lon=entry.lon,
        grid=entry.grid,
        community=entry.community,
        category_id=category.id,
        description=entry.description,
        address=entry.address,
        source=entry.source,
        external_id=entry.external_id,
        reporter_name=entry.reporter_name,
        reporter_phone=entry.reporter_phone,
        reported_by_id=by.user_id if by else None,
        owner_id=by.user_id if by else None,
        status=entry.status,
        holder_level=holder_level,
        tracking_token_hash=entry.tracking_token_hash,
    )
    # The grid's clock to sign for a matter starts when it arrives unsigned; otherwise the handling clock.
    _start_step(m, cal, category, holder_level, now, sign=entry.status == Status.submitted)
    # Its response: due when the sign-for clock says; a matter staff took themselves is responded to as it arrives.
    m.respond_due_at = m.sign_due_at
    m.responded_at = None if entry.status == Status.submitted else now
    m.contact_due_at = loop.contact_due(cal, category, m, now)  # 先行联系, its own clock
    db.add(m)
    await db.flush()  # the id, for the event and the photos
    for p in entry.photos:
        p.matter_id = m.id
    data = {"source": m.source, "category": category.code, **entry.event_data}
    record(db, m, by or entry.recorded_by, "create", None, m.status, data)
    if entry.handled_on_spot:
        if m.contact_due_at is not None:
            # Entered on the spot with the requester's phone: the grid met them there, the first contact in person
            # (先行联系 comes before the handling, flow.py).
            m.first_contact_at = now
            contact = {"method": "visit", "answered": True, "tries": 1, "at": now.isoformat(), "agreed": None}
            record(db, m, by, Action.contact.value, m.status, m.status, {"contact": {**contact, "on_time": True}})
        rule = transition(m, Action.handle_on_spot, actors_for(by, m, entry.covering), now)
        _resolve(m, by, entry.result, now, outcome="done", verify=bool(loop.rules_of(category)["verify"]))
        m.route = rule.route
        record(db, m, by, Action.handle_on_spot.value, Status.accepted, m.status, {"result": entry.result})
    elif category.is_emergency:
        # Every way in declares it the same way: the system, at intake, whatever the first step.
        await _apply(db, m, category, by, Action.declare_emergency, None, now, cal, system=True)
        m.respond_due_at, m.responded_at = m.sign_due_at, None  # its response runs on the emergency's clock
    units = [unit_of(m, m.holder_level, m.holder_department_id)]
    emit(
        db,
        "matter.created",
        _payload(m, source=m.source, category=category.code),
        units=units + _emergency_units(m) if m.status == Status.emergency else units,
        exclude=by.user_id if by else None,
        title=messages.notice(
            "matter-new",
            source=messages.both(_TITLES.get(m.source, "新事项"), messages.SOURCE_EN.get(m.source, "New matter")),
            code=m.tracking_code,
        ),
        body=messages.notice("matter-body", category=_names(category), text=m.description[:60]),
    )
    return m


def outside_every_grid(message: str) -> Invalid:
    return Invalid(
        message,
        code="outside-grid",
        errors=[{"loc": ["body", "lat"], "msg": "not inside any grid", "type": "value_error"}],
    )


# --- staff: in the field, on patrol, at the front desk -----------------------------------------------------------


async def create_by_staff(
    db: AsyncSession, subject: Subject, data: Any, settings: Settings
) -> tuple[Matter, list[dict[str, Any]]]:
    """Field (a grid leader's own finding) or front desk (a caller at the station): the staff member who takes it
    is its first-ask owner."""
    # The route requires grid staff or a station chief (accounts.dependencies.FieldOrDesk).
    category = await category_by_code(db, data.category)
    grid: Grid | None = None
    community: Community | None = None
    if data.lat is not None:
        found = await locate(db, data.lat, data.lon)
        if found is None:
            raise outside_every_grid("The place is not inside any grid")
        grid, community = found
    elif subject.grid_id is not None:
        grid = await db.get(Grid, subject.grid_id)
    if community is None:
        community_id = grid.community_id if grid else subject.community_id
        if community_id is None:
            raise Invalid("Say where it is: give the position")
        community = await db.get(Community, community_id)
    if subject.role == Role.station_chief and community.id != subject.community_id:
        raise Invalid(
            "The place is outside your community",
            errors=[{"loc": ["body", "lat"], "msg": "outside your community", "type": "value_error"}],
        )
    covering = await covering_of(db, subject)
    if subject.role in GRID_STAFF and grid is not None and grid.id != subject.grid_id and grid.id not in covering:
        # Grid staff enter matters in their own grid and in the grids they cover for a partner on leave.
        raise Invalid(
            f"The place is in {grid.name} of {community.name}, which is not one of your grids; "
            "tell that grid or the station",
            code="outside-your-grids",
            errors=[{"loc": ["body", "lat"], "msg": "outside your grids", "type": "value_error"}],
            grid={"id": grid.id, "code": grid.code, "name": grid.name},
            community={"id": community.id, "name": community.name},
        )
    photos = await staff_photos(db, subject, data.photo_ids)
    front_desk = data.source == "front_desk" or subject.role == Role.station_chief
    m = await intake(
        db,
        entry=Entry(
            category=category,
            community=community,
            grid=grid,
            lat=data.lat,
            lon=data.lon,
            description=data.description,
            address=data.address,
            source="front_desk" if front_desk else "field",
            status=Status.at_station if front_desk else Status.accepted,
            reporter_name=data.reporter_name,
            reporter_phone=data.reporter_phone,
            photos=photos,
            taken_by=subject,
            handled_on_spot=bool(data.handled_on_spot),
            result=data.result,
            covering=covering,
        ),
    )
    return m, await possible_duplicates(db, m, settings)


# --- residents: the public page and Open311 ----------------------------------------------------------------------


async def create_public(
    db: AsyncSession,
    data: Any,
    settings: Settings,
    *,
    source: str = "resident",
    tracking_token_hash: str | None = None,
) -> tuple[Matter, Grid, Community]:
    """A resident's request: routed by its point to a grid, which must sign for it. `tracking_token_hash` is the
    hash of the secret in the resident's tracking link, when they are given one."""
    category = await category_by_code(db, data.category)
    found = await locate(db, data.lat, data.lon)
    if found is None:
        raise outside_every_grid(
            "The place you chose is outside the grids we serve; move the pin into the neighbourhood"
        )
    grid, community = found
    photos = await public_photos(db, data.photo_tokens)
    m = await intake(
        db,
        entry=Entry(
            category=category,
            community=community,
            grid=grid,
            lat=data.lat,
            lon=data.lon,
            description=data.description,
            address=data.address,
            source=source,
            status=Status.submitted,
            reporter_name=data.reporter_name,
            reporter_phone=data.reporter_phone,
            photos=photos,
            tracking_token_hash=tracking_token_hash,
        ),
    )
    return m, grid, community


# --- photos ------------------------------------------------------------------------------------------------------


async def staff_photos(db: AsyncSession, subject: Subject, ids: list[int], field: str = "photo_ids") -> list[Photo]:
    if not ids:
        return []
    photos = list(
        (
            await db.execute(
                select(Photo).where(
                    Photo.id.in_(ids), Photo.uploaded_by_id == subject.user_id, Photo.matter_id.is_(None)
                )
            )
        ).scalars()
    )
    if len(photos) != len(set(ids)):
        raise Invalid(
            "Some photos are not yours, already attached, or do not exist",
            code="unknown-photo",
            errors=[{"loc": ["body", field], "msg": "unknown photo", "type": "value_error"}],
        )
    return photos


async def public_photos(db: AsyncSession, tokens: list[str]) -> list[Photo]:
    if not tokens:
        return []
    photos = list(
        (
            await db.execute(
                select(Photo).where(Photo.token.in_(tokens), Photo.uploaded_by_id.is_(None), Photo.matter_id.is_(None))
            )
        ).scalars()
    )
    if len(photos) != len(set(tokens)):
        raise Invalid(
            "Some photos were not found or are already attached",
            errors=[{"loc": ["body", "photo_tokens"], "msg": "unknown photo", "type": "value_error"}],
        )
    return photos


# --- possible duplicates ---------------------------------------------------------------------------------------


async def possible_duplicates(db: AsyncSession, m: Matter, settings: Settings) -> list[dict[str, Any]]:
    """Open matters of the same category nearby and recent: a box in SQL, the exact distance in Python."""
    if m.lat is None or m.lon is None:
        return []
    radius = settings.duplicate_radius_m
    dlat = radius / 111_320
    dlon = radius / (111_320 * max(math.cos(math.radians(m.lat)), 0.01))
    since = utcnow() - timedelta(days=settings.duplicate_days)
    rows = (
        await db.execute(
            select(Matter)
            .where(
                Matter.id != m.id,
                Matter.category_id == m.category_id,
                Matter.status.in_([s.value for s in flow.OPEN]),
                Matter.created_at >= since,
                Matter.lat.between(m.lat - dlat, m.lat + dlat),
                Matter.lon.between(m.lon - dlon, m.lon + dlon),
            )
            .order_by(Matter.created_at.desc())
            .limit(20)
        )
    ).scalars()
    out = []
    for other in rows:
        d = haversine_m(m.lat, m.lon, other.lat, other.lon)
        if d <= radius:
            out.append(
                {
                    "id": other.id,
                    "tracking_code": other.tracking_code,
                    "description": other.description[:100],
                    "status": other.status,
                    "distance_m": round(d, 1),
                    "created_at": other.created_at,
                }
            )
    return sorted(out, key=lambda x: x["distance_m"])


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(a))
