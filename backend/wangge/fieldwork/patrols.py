"""Patrols 巡查: start and stop, GPS points in batches that survive a lost network, check-ins at buildings, findings
that become matters, coverage of a grid computed by the database, and the retention job for tracks.

Privacy: a track is sensitive personal data. `readable(subject, Patrol)` is the one SQL condition for "the patrols this
caller may read": their own, and for station chiefs, street officers and administrators those in grids within
their scope. Everybody else (another leader, a member of the same grid, department officers, residents) gets 404.

Points: the phone sends batches with its own batch id (also the Idempotency-Key) and its own point ids. A repeated
batch gets the first answer back and stores nothing; a point already stored is a duplicate; every batch is merged
with what is stored and the flags, the track and the distance are worked out again over the whole time-ordered
sequence in the same transaction (tracks.py), so the result does not depend on how the batches arrived.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy
import shapely
from shapely.geometry import LineString
from sqlalchemy import Float, LargeBinary, bindparam, delete, exists, func, literal, or_, select, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from wangge import geo, idempotency
from wangge.accounts.models import Role
from wangge.accounts.scope import Subject
from wangge.config import Settings, get_settings
from wangge.errors import Conflict, Forbidden, Invalid, NotFound
from wangge.fieldwork import people, tracks
from wangge.fieldwork.models import CheckIn, Patrol, PatrolBatch, PatrolFinding, PatrolPoint
from wangge.hierarchy import service as hierarchy_service
from wangge.hierarchy.models import Building, Grid
from wangge.idempotency import IdempotencyKey
from wangge.matters import intake
from wangge.matters.models import Matter
from wangge.matters.schemas import MatterCreate
from wangge.models_common import as_utc, is_sqlite, utcnow
from wangge.policy import TRACK_READERS, readable
from wangge.workcalendar import SHANGHAI

PATROLLERS = frozenset({Role.grid_leader.value, Role.grid_member.value})
MAX_LIST = 200


# --- days in Beijing time ------------------------------------------------------------------------------------------


def today() -> date:
    return utcnow().astimezone(SHANGHAI).date()


def day_bounds(first: date, days: int = 1) -> tuple[datetime, datetime]:
    """[start, end) in UTC of `days` Beijing days from `first`."""
    start = datetime.combine(first, time.min, tzinfo=SHANGHAI)
    return start.astimezone(UTC), (start + timedelta(days=days)).astimezone(UTC)


# --- scope -------------------------------------------------------------------------------------------------------


async def get_readable(db: AsyncSession, subject: Subject, patrol_id: int) -> Patrol:
    p = (await db.execute(select(Patrol).where(Patrol.id == patrol_id, readable(subject, Patrol)))).scalar()
    if p is None:
        raise NotFound(f"No patrol with id {patrol_id} that you may see")
    return p


@functools.cache
def _own_statement(lock: bool, track: bool) -> Any:
    """The statement of get_own for one shape, built once (see _AROUND)."""
    stmt = select(Patrol).where(Patrol.id == bindparam("patrol_id"), Patrol.user_id == bindparam("user_id"))
    if not track:
        stmt = stmt.options(defer(Patrol.track))
    return stmt.with_for_update() if lock else stmt


async def get_own(
    db: AsyncSession, subject: Subject, patrol_id: int, *, lock: bool = False, track: bool = True
) -> Patrol:
    """The caller's own patrol (only the owner adds to it); locked on PostgreSQL so that two batches of one patrol
    are merged one after the other (SQLite has one writer at a time anyway). `track=False` leaves the line unread
    (it grows with the patrol)."""
    params = {"patrol_id": patrol_id, "user_id": subject.user_id}
    p = (await db.execute(_own_statement(lock, track), params)).scalar()
    if p is None:
        raise NotFound(f"No patrol with id {patrol_id} of yours")
    return p


async def patrol_grids(db: AsyncSession, subject: Subject, at: datetime | None = None) -> set[int]:
    """The grids the caller may patrol at `at`: their own, and those they cover for an A/B partner on leave."""
    own = {subject.grid_id} if subject.grid_id is not None else set()
    return own | await people.covered_grids(db, subject, at)


# --- shapes ------------------------------------------------------------------------------------------------------


def patrol_out(p: Patrol) -> dict[str, Any]:
    return {
        "id": p.id,
        "client_id": p.client_id,
        "grid_id": p.grid_id,
        "user_id": p.user_id,
        "started_at": p.started_at,
        "ended_at": p.ended_at,
        "distance_m": p.distance_m,
        "point_count": p.point_count,
        "flagged_count": p.flagged_count,
    }


def finding_out(f: PatrolFinding, m: Matter | None) -> dict[str, Any]:
    return {
        "id": f.id,
        "client_id": f.client_id,
        "at": f.at,
        "handled_on_spot": f.handled_on_spot,
        "note": f.note,
        "matter": None if m is None else {"id": m.id, "tracking_code": m.tracking_code, "status": m.status},
    }


def checkin_out(c: CheckIn) -> dict[str, Any]:
    return {"id": c.id, "client_id": c.client_id, "building_id": c.building_id, "at": c.at, "note": c.note}


# --- start, stop, read ---------------------------------------------------------------------------------------------


async def start(db: AsyncSession, subject: Subject, data: Any) -> tuple[Patrol, bool]:
    """Start a patrol; the phone's client id makes a repeated start the same patrol. Returns (patrol, created)."""
    existing = await _by_client_id(db, subject, data.client_id)
    if existing is not None:
        return existing, False
    grid_id = data.grid_id if data.grid_id is not None else subject.grid_id
    if grid_id is None or grid_id not in await patrol_grids(db, subject, data.started_at):
        raise Forbidden(f"You may patrol only your own grid (or one you cover), not grid {grid_id}")
    p = Patrol(
        client_id=data.client_id,
        user_id=subject.user_id,
        grid_id=grid_id,
        started_at=data.started_at,
        distance_m=0.0,
        point_count=0,
        flagged_count=0,
    )
    db.add(p)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()  # the same start sent twice at once: the other one stored it
        existing = await _by_client_id(db, subject, data.client_id)
        if existing is None:
            raise
        return existing, False
    return p, True


async def _by_client_id(db: AsyncSession, subject: Subject, client_id: str) -> Patrol | None:
    stmt = select(Patrol).where(Patrol.user_id == subject.user_id, Patrol.client_id == client_id)
    return (await db.execute(stmt)).scalar()


async def stop(db: AsyncSession, subject: Subject, patrol_id: int, data: Any) -> Patrol:
    p = await get_own(db, subject, patrol_id, lock=True)
    if p.ended_at is not None:
        return p  # stopping twice changes nothing
    if data.ended_at < as_utc(p.started_at):
        raise Invalid(
            "A patrol cannot end before it started",
            errors=[{"loc": ["body", "ended_at"], "msg": "before started_at", "type": "value_error"}],
        )
    p.ended_at = data.ended_at
    await db.commit()
    return p


async def list_patrols(
    db: AsyncSession,
    subject: Subject,
    *,
    day: date | None,
    user_id: int | None,
    grid_id: int | None = None,
    state: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Patrol], int]:
    """Mine by default; a station chief and above may name another user or a grid in their scope. `state`:
    "ongoing" (not ended) or "ended"."""
    conditions = [readable(subject, Patrol)]
    if state == "ongoing":
        conditions.append(Patrol.ended_at.is_(None))
    elif state == "ended":
        conditions.append(Patrol.ended_at.is_not(None))
    if user_id is not None:
        conditions.append(Patrol.user_id == user_id)
    elif grid_id is not None:
        conditions.append(Patrol.grid_id == grid_id)
    else:
        conditions.append(Patrol.user_id == subject.user_id)
    if day is not None:
        start_at, end_at = day_bounds(day)
        conditions += [Patrol.started_at >= start_at, Patrol.started_at < end_at]
    total = (await db.execute(select(func.count()).select_from(Patrol).where(*conditions))).scalar_one()
    rows = await db.execute(
        select(Patrol)
        .options(defer(Patrol.track))
        .where(*conditions)
        .order_by(Patrol.started_at.desc(), Patrol.id.desc())
        .limit(min(limit, MAX_LIST))
        .offset(offset)
    )
    return list(rows.scalars()), total


async def detail(db: AsyncSession, subject: Subject, patrol_id: int) -> dict[str, Any]:
    p = await get_readable(db, subject, patrol_id)
    points = (
        await db.execute(
            select(PatrolPoint)
            .where(PatrolPoint.patrol_id == p.id)
            .order_by(PatrolPoint.recorded_at, PatrolPoint.client_id)
        )
    ).scalars()
    checkins = (await db.execute(select(CheckIn).where(CheckIn.patrol_id == p.id).order_by(CheckIn.at))).scalars()
    findings = (
        await db.execute(
            select(PatrolFinding, Matter)
            .outerjoin(Matter, Matter.id == PatrolFinding.matter_id)
            .where(PatrolFinding.patrol_id == p.id)
            .order_by(PatrolFinding.at)
        )
    ).all()
    return {
        **patrol_out(p),
        "track": geo.to_geojson(geo.from_db(p.track)),
        "points": [
            {
                "client_id": pt.client_id,
                "recorded_at": pt.recorded_at,
                "lat": pt.lat,
                "lon": pt.lon,
                "flagged": pt.flagged,
                "flag_reason": pt.flag_reason,
            }
            for pt in points
        ],
        "checkins": [checkin_out(c) for c in checkins],
        "findings": [finding_out(f, m) for f, m in findings],
    }


# --- points --------------------------------------------------------------------------------------------------------


def _principal(patrol_id: int) -> str:
    return f"patrol:{patrol_id}"


MERGE_ATTEMPTS = 3


async def add_points(
    db: AsyncSession, subject: Subject, patrol_id: int, data: Any, settings: Settings
) -> tuple[dict[str, Any], bool]:
    """Store a batch of points once and rebuild the track. Returns (answer, replayed): a repeated batch id gets the
    stored first answer and changes nothing.

    On PostgreSQL the patrol's row lock puts concurrent batches one after the other. SQLite has no row lock: two
    copies of one batch (or two batches sharing points) may both read "not stored yet", and the second one's insert
    then hits a unique key. That one steps back: if its batch is stored by now it answers as a replay of it,
    otherwise it merges again on top of what the other stored."""
    principal, key = _principal(patrol_id), data.batch_id
    digest = idempotency.body_hash(data.model_dump(mode="json"))
    for attempt in range(MERGE_ATTEMPTS):
        try:
            return await _add_points_once(db, subject, patrol_id, data, settings, digest)
        except IntegrityError:
            await db.rollback()
            stored = await idempotency.replay(db, principal, key, digest)
            if stored is not None:
                return stored[1], True
            if attempt == MERGE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def _add_points_once(
    db: AsyncSession, subject: Subject, patrol_id: int, data: Any, settings: Settings, digest: str
) -> tuple[dict[str, Any], bool]:
    p = await get_own(db, subject, patrol_id, lock=True, track=False)
    principal, key = _principal(p.id), data.batch_id
    stored = await idempotency.replay(db, principal, key, digest)
    if stored is not None:
        return stored[1], True
    if p.ended_at is not None:
        ended = as_utc(p.ended_at)
        late = [pt.client_id for pt in data.points if pt.recorded_at > ended]
        if late:
            raise Conflict(
                f"The patrol ended at {ended.isoformat()}; {len(late)} point(s) were recorded after that "
                f"(first: {late[0]})",
                code="patrol-ended",
                late=late[:20],
            )

    answer = await _append(db, p, data, settings)
    if answer is None:  # a late batch with points before stored ones: the whole track is worked out again
        answer = await _rebuild(db, p, data, settings)
    answer["batch_id"] = key
    idempotency.remember(db, principal, key, digest, 200, answer)
    await db.commit()
    return answer, False


def _incoming(data: Any) -> list[tracks.Point]:
    return [tracks.Point(pt.client_id, pt.recorded_at, pt.lat, pt.lon, pt.accuracy_m) for pt in data.points]


def _point(r: Any) -> tracks.Point:
    return tracks.Point(r.client_id, as_utc(r.recorded_at), r.lat, r.lon, r.accuracy_m, r.flagged, r.flag_reason)


_POINT_COLUMNS = (
    PatrolPoint.client_id,
    PatrolPoint.recorded_at,
    PatrolPoint.lat,
    PatrolPoint.lon,
    PatrolPoint.accuracy_m,
    PatrolPoint.flagged,
    PatrolPoint.flag_reason,
)


def _row(p: Patrol, pt: tracks.Point) -> dict[str, Any]:
    return {
        "patrol_id": p.id,
        "client_id": pt.client_id,
        "recorded_at": pt.recorded_at,
        "lat": pt.lat,
        "lon": pt.lon,
        "accuracy_m": pt.accuracy_m,
        "flagged": pt.flagged,
        "flag_reason": pt.flag_reason,
    }


async def _append(db: AsyncSession, p: Patrol, data: Any, settings: Settings) -> dict[str, Any] | None:
    """A batch whose new points all come after the stored ones (what a phone sends), in a cost that does not grow
    with the track: the stored points the batch repeats, the last stored point and the last good one are read (in
    one statement), the new points flagged and measured from there, and the counts, length and line extended (in
    the patrol's one UPDATE). None when the batch reaches back before the last stored point."""
    incoming = _incoming(data)
    repeated, last, last_good = await _around(db, p.id, [pt.client_id for pt in incoming])
    stored_flags = {r.client_id: r.flagged for r in repeated}
    merged = tracks.merge([], [pt for pt in incoming if pt.client_id not in stored_flags])
    if merged.new and last is not None and tracks.order_key(merged.new[0]) <= tracks.order_key(_point(last)):
        return None
    ext = tracks.extend(_point(last_good) if last_good is not None else None, merged.new, settings.max_speed_mps)
    if ext.points:
        await db.execute(PatrolPoint.__table__.insert(), [_row(p, pt) for pt in ext.points])
        if ext.line_tail:
            if (p.point_count or 0) - (p.flagged_count or 0) >= 2:  # a line is stored: the database extends it
                p.track = await _extended_line(db, p.id, ext.line_tail)
            else:  # fewer than two good points so far: the line starts now, from the last good one
                line = ([(last_good.lon, last_good.lat)] if last_good is not None else []) + ext.line_tail
                p.track = geo.to_db(LineString(line)) if len(line) >= 2 else None
        p.distance_m = (p.distance_m or 0.0) + ext.added_m
        p.point_count = (p.point_count or 0) + len(ext.points)
        p.flagged_count = (p.flagged_count or 0) + sum(1 for pt in ext.points if pt.flagged)
    db.add(PatrolBatch(patrol_id=p.id, batch_id=data.batch_id, point_count=len(incoming), new_points=len(ext.points)))
    flagged = {pt.client_id for pt in ext.points if pt.flagged} | {c for c, f in stored_flags.items() if f}
    return {
        "received": len(incoming),
        "new_points": len(ext.points),
        "duplicates": merged.duplicates + sum(1 for pt in incoming if pt.client_id in stored_flags),
        "flagged": sorted(flagged),
        "patrol": _json_patrol(p),
    }


def _around_statement() -> Any:
    of_patrol = PatrolPoint.patrol_id == bindparam("patrol_id")
    newest = (PatrolPoint.recorded_at.desc(), PatrolPoint.client_id.desc())
    sent = PatrolPoint.client_id.in_(bindparam("sent", expanding=True))
    repeated = select(*_POINT_COLUMNS, literal(0).label("kind")).where(of_patrol, sent)
    last = select(*_POINT_COLUMNS, literal(1).label("kind")).where(of_patrol).order_by(*newest).limit(1)
    good = select(*_POINT_COLUMNS, literal(2).label("kind"))
    good = good.where(of_patrol, PatrolPoint.flagged.is_(False)).order_by(*newest).limit(1)
    # A member of a UNION with its own ORDER BY and LIMIT is a subquery on SQLite.
    return union_all(repeated, *[select(q.subquery()) for q in (last, good)])


# Built once: putting a statement of this size together costs more than running it (1.2 of 2.3 ms of CPU per batch,
# measured with asyncpg on 2026-12-02); run with its parameters, SQLAlchemy's compiled cache does the rest.
_AROUND = _around_statement()


async def _around(db: AsyncSession, patrol_id: int, sent: list[str]) -> tuple[list[Any], Any, Any]:
    """What a batch is appended to, in one statement (each one costs more in SQLAlchemy than in the database): the
    stored points among those sent (kind 0), the last stored point (kind 1) and the last good one (kind 2), each
    of the last two read backwards off the (patrol, time, point) index."""
    rows = (await db.execute(_AROUND, {"patrol_id": patrol_id, "sent": sent})).all()
    found: dict[int, Any] = {1: None, 2: None}
    for r in rows:
        if r.kind:
            found[r.kind] = r
    return [r for r in rows if r.kind == 0], found[1], found[2]


async def _extended_line(db: AsyncSession, patrol_id: int, tail: list[tuple[float, float]]) -> Any:
    """The stored line with points appended, as the expression the patrol's one UPDATE sets. PostGIS: inside the
    database, without reading the line into Python or sending it back as text (GeoAlchemy2 binds a geometry as
    EWKT, 200 KB for a day's track): one ST_MakeLine of the line and the batch's (ST_AddPoint per point copies the
    line once per point), onto a column stored uncompressed (migration 0007). SpatiaLite: the line read and
    written back once as WKB."""
    sqlite = is_sqlite(db)
    extended: Any
    if not sqlite:
        coords = ", ".join(f"{lon!r} {lat!r}" for lon, lat in tail)
        extended = func.ST_MakeLine(Patrol.track, func.ST_GeomFromText(f"LINESTRING({coords})", 4326))
        if len(tail) == 1:
            extended = func.ST_AddPoint(Patrol.track, func.ST_SetSRID(func.ST_MakePoint(*tail[0]), 4326))
    else:
        # SpatiaLite has no ST_MakeLine of two lines, and each AddPoint parses and rewrites the whole line (20 of
        # them per batch cost 60 % more on a 9,000-point track than on a new one): the line is read and written
        # once as WKB, a binary copy (GeoAlchemy2 would bind a geometry as EWKT text), and extended by shapely.
        stored = (await db.execute(select(func.AsBinary(Patrol.track)).where(Patrol.id == patrol_id))).scalar_one()
        coords = numpy.vstack([shapely.get_coordinates(shapely.from_wkb(stored)), numpy.asarray(tail, dtype=float)])
        extended = func.GeomFromWKB(literal(shapely.to_wkb(shapely.linestrings(coords)), LargeBinary), 4326)
    return extended


async def _rebuild(db: AsyncSession, p: Patrol, data: Any, settings: Settings) -> dict[str, Any]:
    """Merge a late batch into the stored points and work the whole track out again (flags may change on both
    sides of the points put in between)."""
    rows = (await db.execute(select(PatrolPoint.id, *_POINT_COLUMNS).where(PatrolPoint.patrol_id == p.id))).all()
    ids = {r.client_id: r.id for r in rows}
    existing = [_point(r) for r in rows]
    incoming = _incoming(data)
    merged, track = tracks.build(existing, incoming, settings.max_speed_mps)

    before = {pt.client_id: (pt.flagged, pt.flag_reason) for pt in existing}
    new_ids = {pt.client_id for pt in merged.new}
    inserts, changes = [], []
    for pt in track.points:
        if pt.client_id in new_ids:
            inserts.append(_row(p, pt))
        elif before[pt.client_id] != (pt.flagged, pt.flag_reason):
            # A late batch put points in between: a neighbour's flag can change either way.
            changes.append({"id": ids[pt.client_id], "flagged": pt.flagged, "flag_reason": pt.flag_reason})
    if inserts:
        await db.execute(PatrolPoint.__table__.insert(), inserts)
    if changes:
        await db.execute(update(PatrolPoint), changes)
    if inserts or changes:
        p.track = geo.to_db(LineString(track.line)) if track.line else None
        p.distance_m = track.distance_m
        p.point_count = len(track.points)
        p.flagged_count = track.flagged_count
    db.add(PatrolBatch(patrol_id=p.id, batch_id=data.batch_id, point_count=len(data.points), new_points=len(inserts)))
    batch_flags = {pt.client_id for pt in track.points if pt.flagged}
    return {
        "received": len(data.points),
        "new_points": len(inserts),
        "duplicates": merged.duplicates,
        "flagged": sorted({pt.client_id for pt in data.points} & batch_flags),
        "patrol": _json_patrol(p),
    }


def _json_patrol(p: Patrol) -> dict[str, Any]:
    out = patrol_out(p)
    for k in ("started_at", "ended_at"):
        out[k] = None if out[k] is None else as_utc(out[k]).isoformat()
    return out


# --- check-ins and findings ----------------------------------------------------------------------------------------


async def add_checkin(db: AsyncSession, subject: Subject, patrol_id: int, data: Any) -> tuple[CheckIn, bool]:
    p = await get_own(db, subject, patrol_id)
    found = await _checkin_by_client_id(db, p.id, data.client_id)
    if found is not None:
        return found, False
    building = await db.get(Building, data.building_id)
    if building is None or building.grid_id != p.grid_id or not building.is_active:
        raise Invalid(
            f"Building {data.building_id} is not in the patrol's grid",
            errors=[{"loc": ["body", "building_id"], "msg": "not in the patrol's grid", "type": "value_error"}],
        )
    c = CheckIn(patrol_id=p.id, building_id=building.id, client_id=data.client_id, at=data.at, note=data.note)
    db.add(c)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        found = await _checkin_by_client_id(db, p.id, data.client_id)
        if found is None:
            raise
        return found, False
    return c, True


async def _checkin_by_client_id(db: AsyncSession, patrol_id: int, client_id: str) -> CheckIn | None:
    stmt = select(CheckIn).where(CheckIn.patrol_id == patrol_id, CheckIn.client_id == client_id)
    return (await db.execute(stmt)).scalar()


async def add_finding(
    db: AsyncSession, subject: Subject, patrol_id: int, data: Any, settings: Settings
) -> tuple[dict[str, Any], bool]:
    """Something seen on the patrol becomes a field matter (resolved at once when handled on the spot), linked to
    the patrol. The phone's client id makes a resend return the same finding and matter."""
    p = await get_own(db, subject, patrol_id)
    found = await _finding_by_client_id(db, p.id, data.client_id)
    if found is not None:
        return found, False
    matter_in = MatterCreate(
        category=data.category,
        description=data.description,
        lat=data.lat,
        lon=data.lon,
        source="field",
        handled_on_spot=data.handled_on_spot,
        result=data.result,
        photo_ids=data.photo_ids,
    )
    m, _dups = await intake.create_by_staff(db, subject, matter_in, settings)
    f = PatrolFinding(
        patrol_id=p.id,
        client_id=data.client_id,
        matter_id=m.id,
        at=data.at,
        note=data.result if data.handled_on_spot else None,
        handled_on_spot=data.handled_on_spot,
    )
    db.add(f)
    try:
        await db.flush()
        out = finding_out(f, m)
        await db.commit()
    except IntegrityError:
        await db.rollback()
        found = await _finding_by_client_id(db, p.id, data.client_id)
        if found is None:
            raise
        return found, False
    return out, True


async def _finding_by_client_id(db: AsyncSession, patrol_id: int, client_id: str) -> dict[str, Any] | None:
    row = (
        await db.execute(
            select(PatrolFinding, Matter)
            .outerjoin(Matter, Matter.id == PatrolFinding.matter_id)
            .where(PatrolFinding.patrol_id == patrol_id, PatrolFinding.client_id == client_id)
        )
    ).first()
    return None if row is None else finding_out(row[0], row[1])


# --- coverage ------------------------------------------------------------------------------------------------------


def utm_srid(lon: float, lat: float) -> int:
    """The WGS 84 / UTM zone SRID of a place (32649 for Changsha). SpatiaLite's WGS84-only metadata holds all of
    them, so both engines can transform to it."""
    zone = min(int((lon + 180) // 6) + 1, 60)
    return (32600 if lat >= 0 else 32700) + zone


def covered_share_statement(grid_id: int, srid: int, buffer_m: float, start_at: datetime, end_at: datetime) -> Any:
    """The share of the grid's area within `buffer_m` of any track of the grid started in [start_at, end_at) (see
    covered_share_of)."""
    return covered_share_of(grid_id, srid, buffer_m, Patrol.started_at >= start_at, Patrol.started_at < end_at)


def covered_share_of(grid_id: int, srid: int, buffer_m: float, *which: Any) -> Any:
    """The share of the grid's area within `buffer_m` of any track of the grid's patrols that meet `which`,
    computed by the database in the grid's UTM zone (metres): each track is ST_Transform-ed, ST_Buffer-ed and
    clipped to the grid with ST_Intersection, the pieces are merged with the ST_Union aggregate, and its ST_Area is
    divided by the grid's. The same functions exist in PostGIS and SpatiaLite, so one statement serves both.

    Buffering each track and merging the clipped pieces grows about linearly with the number of patrols; buffering
    all tracks collected into one geometry was measured 7 times slower for a week of 7 patrols (GEOS buffers a
    self-overlapping collection of lines in more than linear time)."""
    grid_m = select(func.ST_Transform(Grid.geom, srid)).where(Grid.id == grid_id).scalar_subquery()
    buffered = func.ST_Buffer(func.ST_Transform(Patrol.track, srid), literal(buffer_m, Float))
    covered = func.ST_Union(func.ST_Intersection(grid_m, buffered))
    return select(func.ST_Area(covered) / func.ST_Area(grid_m)).where(
        Patrol.grid_id == grid_id,
        Patrol.track.is_not(None),
        *which,
    )


async def coverage(
    db: AsyncSession, subject: Subject, grid_id: int, first: date, days: int, settings: Settings
) -> dict[str, Any]:
    if subject.role == Role.resident:
        raise Forbidden("Residents do not see patrol coverage")
    grid = await hierarchy_service.get_visible(db, subject, "grid", grid_id)
    start_at, end_at = day_bounds(first, days)
    in_period = (Patrol.grid_id == grid.id, Patrol.started_at >= start_at, Patrol.started_at < end_at)
    count, distance = (
        await db.execute(
            select(func.count(Patrol.id), func.coalesce(func.sum(Patrol.distance_m), 0.0)).where(*in_period)
        )
    ).one()
    share = 0.0
    if count:
        centre = geo.from_db(grid.geom).centroid
        stmt = covered_share_statement(
            grid.id, utm_srid(centre.x, centre.y), settings.coverage_buffer_m, start_at, end_at
        )
        share = float((await db.execute(stmt)).scalar() or 0.0)
    visited = (
        await db.execute(
            select(func.count(func.distinct(CheckIn.building_id)))
            .join(Patrol, Patrol.id == CheckIn.patrol_id)
            .join(Building, Building.id == CheckIn.building_id)
            .where(*in_period, Building.grid_id == grid.id)
        )
    ).scalar_one()
    total = (
        await db.execute(
            select(func.count(Building.id)).where(Building.grid_id == grid.id, Building.is_active.is_(True))
        )
    ).scalar_one()
    return {
        "grid_id": grid.id,
        "from_": first,
        "to": first + timedelta(days=days - 1),
        "patrolled": count > 0,
        "patrol_count": count,
        "distance_m": float(distance),
        "covered_share": min(max(share, 0.0), 1.0),
        "buildings_visited": visited,
        "buildings_total": total,
    }


async def unpatrolled(db: AsyncSession, subject: Subject, day: date) -> list[Grid]:
    """The active grids in the caller's scope with no patrol started that day (station chief and above)."""
    if subject.role not in TRACK_READERS:
        raise Forbidden("The station chief and above see which grids were not patrolled")
    start_at, end_at = day_bounds(day)
    patrolled = exists().where(Patrol.grid_id == Grid.id, Patrol.started_at >= start_at, Patrol.started_at < end_at)
    rows = await db.execute(
        select(Grid)
        .options(defer(Grid.geom))
        .where(readable(subject, Grid), Grid.is_active.is_(True), ~patrolled)
        .order_by(Grid.code)
    )
    return list(rows.scalars())


# --- retention -----------------------------------------------------------------------------------------------------


async def remove_old_tracks(db: AsyncSession, *, older_than: datetime, chunk: int = 200) -> int:
    """Remove the points, batches and check-ins of patrols started before `older_than`, and their track. The patrol
    row stays as a stub (times, distance, counts) so coverage history and daily logs still count the patrol; its
    findings stay too, since they are matters with a life of their own. Returns how many patrols were cleared."""
    has_data = or_(
        Patrol.track.is_not(None),
        exists().where(PatrolPoint.patrol_id == Patrol.id),
        exists().where(PatrolBatch.patrol_id == Patrol.id),
        exists().where(CheckIn.patrol_id == Patrol.id),
    )
    cleared = 0
    while True:
        ids = list(
            (
                await db.execute(
                    select(Patrol.id).where(Patrol.started_at < older_than, has_data).order_by(Patrol.id).limit(chunk)
                )
            ).scalars()
        )
        if not ids:
            return cleared
        await db.execute(delete(PatrolPoint).where(PatrolPoint.patrol_id.in_(ids)))
        await db.execute(delete(PatrolBatch).where(PatrolBatch.patrol_id.in_(ids)))
        await db.execute(delete(CheckIn).where(CheckIn.patrol_id.in_(ids)))
        await db.execute(delete(IdempotencyKey).where(IdempotencyKey.principal.in_([_principal(i) for i in ids])))
        await db.execute(
            update(Patrol).where(Patrol.id.in_(ids)).values(track=None),
            execution_options={"synchronize_session": False},
        )
        await db.commit()
        cleared += len(ids)


async def periodic(
    db: AsyncSession, *, settings: Settings | None = None, now: datetime | None = None
) -> dict[str, int]:
    """The patrols' share of the worker's rounds: tracks past the retention period are removed."""
    settings = settings or get_settings()
    cutoff = (now or utcnow()) - timedelta(days=settings.track_retention_days)
    return {"tracks_removed": await remove_old_tracks(db, older_than=cutoff)}
