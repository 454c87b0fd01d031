"""Emergencies 突发事件: raising an incident (located to its grid, station and street told at once), the timed
reports 首报/续报/终报 with their lateness, the three response tiers 出动层次 and their activation with each member's
acknowledgement and arrival against the muster target, contingency plans 预案 and drills 演练.

Scope: `readable(subject, Incident)` is the one SQL condition for "the incidents this caller may see" (the area rule of
matters); `units_visible` the one for plans, drills and tiers, which belong to a community or a street. Residents
see none of it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import geo, messages
from wangge.accounts.models import Role, ScopeLevel, User
from wangge.accounts.scope import Subject, within_area
from wangge.accounts.scope import visible as area_visible
from wangge.config import Settings
from wangge.emergencies import district
from wangge.emergencies.models import (
    Activation,
    ActivationMember,
    ContingencyPlan,
    Drill,
    Incident,
    IncidentReport,
    ResponseTier,
    TierMember,
)
from wangge.errors import Conflict, Forbidden, Invalid, NotFound
from wangge.hierarchy.models import Community, Grid, Street
from wangge.matters import service as matters_service
from wangge.models_common import as_utc, utcnow
from wangge.notify import recipients
from wangge.notify.outbox import emit
from wangge.policy import readable
from wangge.workcalendar import SHANGHAI

GRID_STAFF = {Role.grid_leader.value, Role.grid_member.value}
RAISERS = GRID_STAFF | {Role.station_chief.value, Role.street_officer.value, Role.administrator.value}
RESPONDERS = {Role.station_chief.value, Role.street_officer.value, Role.administrator.value}
SEVERITY_LABELS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _field(loc: str, msg: str) -> list[dict[str, Any]]:
    return [{"loc": ["body", loc], "msg": msg, "type": "value_error"}]


def require_staff(subject: Subject) -> None:
    if subject.role == Role.resident:
        raise Forbidden("Emergencies are for staff")


def local_today() -> Any:
    return utcnow().astimezone(SHANGHAI).date()


# --- scope -----------------------------------------------------------------------------------------------------


def units_visible(subject: Subject, level_col: Any, id_col: Any) -> ColumnElement[bool]:
    """Rows that belong to a community or street the caller may read (their area's units and its ancestors)."""
    if subject.role == Role.resident:
        return false()
    communities = select(Community.id).where(area_visible(subject, Community, "community"))
    streets = select(Street.id).where(area_visible(subject, Street, "street"))
    return or_(
        and_(level_col == "community", id_col.in_(communities)), and_(level_col == "street", id_col.in_(streets))
    )


async def unit_path(db: AsyncSession, level: str, unit_id: int) -> dict[str, int | None]:
    """The ids of a community or street and its ancestors; 422 when there is no such unit."""
    model = Community if level == "community" else Street
    row = await db.get(model, unit_id)
    if row is None:
        raise Invalid(f"There is no {level} with id {unit_id}", errors=_field("unit_id", f"no such {level}"))
    path: dict[str, int | None] = {"district_id": row.district_id, f"{level}_id": row.id}
    if level == "community":
        path["street_id"] = row.street_id
    return path


async def require_manager(db: AsyncSession, subject: Subject, level: str, unit_id: int, what: str) -> None:
    """A station chief manages their community's emergency data; a street officer or an administrator the units in
    their area (the street and its communities)."""
    path = await unit_path(db, level, unit_id)
    if subject.role == Role.station_chief:
        ok = level == "community" and unit_id == subject.community_id
    elif subject.role in (Role.street_officer.value, Role.administrator.value):
        ok = within_area(subject, level, path)
    else:
        ok = False
    if not ok:
        raise Forbidden(f"You may not {what} for this {level}")


# --- incidents -------------------------------------------------------------------------------------------------


async def _new_code(db: AsyncSession, now: datetime) -> str:
    prefix = "EV" + now.astimezone(SHANGHAI).strftime("%Y%m%d")
    count = (await db.execute(select(func.count()).where(Incident.code.like(prefix + "%")))).scalar_one()
    return f"{prefix}{count + 1:03d}"


def _within_raiser_area(subject: Subject, grid: Grid | None, community: Community) -> bool:
    if subject.scope_level == ScopeLevel.system:
        return True
    if subject.role in GRID_STAFF:  # a grid's staff see the next grid over too: their community counts
        return community.id == subject.community_id
    path = {"district_id": community.district_id, "street_id": community.street_id, "community_id": community.id}
    return within_area(subject, "community", path)


def _units(i: Incident) -> list[dict[str, Any]]:
    units = [
        recipients.unit("station", community_id=i.community_id),
        recipients.unit("street", street_id=i.street_id),
    ]
    if i.grid_id is not None:
        units.append(recipients.unit("grid", grid_id=i.grid_id))
    return units


def _payload(i: Incident, **extra: Any) -> dict[str, Any]:
    return {
        "incident_id": i.id,
        "code": i.code,
        "incident_type": i.incident_type,
        "severity": i.severity,
        "grid_id": i.grid_id,
        "community_id": i.community_id,
        "street_id": i.street_id,
        **extra,
    }


async def raise_incident(db: AsyncSession, *, subject: Subject, data: Any, settings: Settings) -> Incident:
    now = utcnow()
    if data.occurred_at is not None and data.occurred_at > now + timedelta(minutes=5):
        raise Invalid("An incident cannot have occurred in the future", errors=_field("occurred_at", "in the future"))
    grid: Grid | None = None
    community: Community | None = None
    if data.lat is not None:
        found = await matters_service.locate(db, data.lat, data.lon)
        if found is None:
            raise Invalid(
                "The place is not inside any grid; check the position or leave it out to use your own grid",
                code="outside-grid",
                errors=_field("lat", "not inside any grid"),
            )
        grid, community = found
    elif subject.grid_id is not None:
        grid = await db.get(Grid, subject.grid_id)
    if community is None:
        community_id = grid.community_id if grid else subject.community_id
        if community_id is None:
            raise Invalid("Say where it is: give the position (lat, lon)", errors=_field("lat", "position needed"))
        community = await db.get(Community, community_id)
    if not _within_raiser_area(subject, grid, community):
        raise Invalid("The place is outside your area", errors=_field("lat", "outside your area"))
    i = Incident(
        code=await _new_code(db, now),
        incident_type=data.incident_type,
        severity=data.severity,
        title=data.title,
        place=data.place,
        lat=data.lat,
        lon=data.lon,
        geom=geo.to_db(geo.point_from_lonlat(data.lon, data.lat)) if data.lat is not None else None,
        district_id=community.district_id,
        street_id=community.street_id,
        community_id=community.id,
        grid_id=grid.id if grid else None,
        raised_by_id=subject.user_id,
        occurred_at=data.occurred_at or now,
        known_at=now,
        first_report_due_at=now + timedelta(minutes=settings.first_report_minutes),
        followup_minutes=settings.followup_report_minutes,
        status="open",
    )
    db.add(i)
    await db.flush()
    level = SEVERITY_LABELS[i.severity]
    emit(
        db,
        "incident.raised",
        _payload(i, title=i.title, place=i.place, nature=data.nature),
        units=_units(i),
        exclude=subject.user_id,
        title=messages.notice("incident-raised", code=i.code, level=level),
        body=f"{i.title} · {i.place}" + (f" · {data.nature[:60]}" if data.nature else ""),
    )
    return i


async def get_visible(db: AsyncSession, *, subject: Subject, incident_id: int) -> Incident:
    i = (await db.execute(select(Incident).where(Incident.id == incident_id, readable(subject, Incident)))).scalar()
    if i is None:
        raise NotFound(f"No incident with id {incident_id} in your scope")
    return i


async def list_incidents(db: AsyncSession, *, subject: Subject, status: str | None) -> list[Incident]:
    require_staff(subject)
    q = select(Incident).where(readable(subject, Incident))
    if status:
        q = q.where(Incident.status == status)
    return list((await db.execute(q.order_by(Incident.known_at.desc(), Incident.id.desc()))).scalars())


# --- reports ---------------------------------------------------------------------------------------------------


def may_report(subject: Subject, i: Incident) -> bool:
    if subject.role in GRID_STAFF:
        return i.grid_id is not None and subject.grid_id == i.grid_id
    if subject.role == Role.station_chief:
        return subject.community_id == i.community_id
    if subject.role == Role.street_officer:
        return subject.street_id == i.street_id
    return False


def clock(i: Incident, last: IncidentReport | None, now: datetime) -> dict[str, Any]:
    """What report is due next and when: the first by `first_report_due_at`, then a follow-up every
    `followup_minutes` after the latest report; nothing once the final report closed it."""
    if i.status == "closed" or (last is not None and last.kind == "final"):
        return {"next_kind": None, "next_due_at": None, "overdue": False}
    if last is None:
        kind, due = "first", as_utc(i.first_report_due_at)
    else:
        kind, due = "followup", as_utc(last.reported_at) + timedelta(minutes=i.followup_minutes)
    return {"next_kind": kind, "next_due_at": due, "overdue": now > due}


async def _reports(db: AsyncSession, incident_ids: list[int]) -> dict[int, list[IncidentReport]]:
    out: dict[int, list[IncidentReport]] = {i: [] for i in incident_ids}
    if incident_ids:
        rows = await db.execute(
            select(IncidentReport)
            .where(IncidentReport.incident_id.in_(incident_ids))
            .order_by(IncidentReport.incident_id, IncidentReport.sequence)
        )
        for r in rows.scalars():
            out[r.incident_id].append(r)
    return out


async def add_report(db: AsyncSession, *, subject: Subject, incident: Incident, data: Any) -> IncidentReport:
    if not may_report(subject, incident):
        raise Forbidden("Reports are sent by the incident's grid staff, its station chief or its street officers")
    reports = (await _reports(db, [incident.id]))[incident.id]
    last = reports[-1] if reports else None
    if incident.status == "closed" or (last is not None and last.kind == "final"):
        raise Conflict("The final report has been sent; the incident is closed")
    if last is None and data.kind != "first":
        raise Conflict("The first report 首报 comes first")
    if last is not None and data.kind == "first":
        raise Conflict("The first report has already been sent; send a follow-up 续报 or the final report 终报")
    now = utcnow()
    due = (
        as_utc(incident.first_report_due_at)
        if last is None
        else as_utc(last.reported_at) + timedelta(minutes=incident.followup_minutes)
    )
    r = IncidentReport(
        incident_id=incident.id,
        sequence=len(reports) + 1,
        kind=data.kind,
        reported_at=now,
        due_at=due,
        late_seconds=max(0, int((now - due).total_seconds())),
        author_id=subject.user_id,
        nature=data.nature,
        casualties=data.casualties.model_dump(),
        scene_status=data.scene_status,
        measures=data.measures,
    )
    db.add(r)
    if data.kind == "final":
        incident.status, incident.closed_at = "closed", now
    try:
        await db.flush()
    except IntegrityError:  # two reports at the same moment: the other took this sequence number
        await db.rollback()
        raise Conflict("Another report was sent at the same moment; reload and retry") from None
    names = {"first": "首报", "followup": "续报", "final": "终报"}
    REPORT_EN = {"first": "First report", "followup": "Follow-up report", "final": "Final report"}  # noqa: N806
    emit(
        db,
        "incident.reported",
        _payload(incident, kind=r.kind, sequence=r.sequence, late_seconds=r.late_seconds),
        units=_units(incident),
        exclude=subject.user_id,
        title=messages.notice(
            "incident-report", kind=messages.both(names[r.kind], REPORT_EN[r.kind]), code=incident.code
        ),
        body=f"{incident.title}：{r.nature[:60]}",
    )
    await district.announce(db, incident=incident, report=r)
    return r


def report_out(r: IncidentReport) -> dict[str, Any]:
    return {
        "id": r.id,
        "sequence": r.sequence,
        "kind": r.kind,
        "reported_at": r.reported_at,
        "due_at": r.due_at,
        "late_seconds": r.late_seconds,
        "late": r.late_seconds > 0,
        "author_id": r.author_id,
        "nature": r.nature,
        "casualties": r.casualties,
        "scene_status": r.scene_status,
        "measures": r.measures,
    }


def _incident_fields(i: Incident) -> dict[str, Any]:
    names = (
        "id code incident_type severity title place lat lon district_id street_id community_id grid_id matter_id "
        "raised_by_id occurred_at known_at first_report_due_at followup_minutes status closed_at"
    ).split()
    return {n: getattr(i, n) for n in names} | {"severity_label": SEVERITY_LABELS.get(i.severity, "?")}


async def incidents_out(db: AsyncSession, rows: list[Incident]) -> list[dict[str, Any]]:
    reports = await _reports(db, [i.id for i in rows])
    now = utcnow()
    return [_incident_fields(i) | {"clock": clock(i, reports[i.id][-1] if reports[i.id] else None, now)} for i in rows]


async def incident_detail(db: AsyncSession, *, incident: Incident) -> dict[str, Any]:
    reports = (await _reports(db, [incident.id]))[incident.id]
    now = utcnow()
    activations = list(
        (
            await db.execute(
                select(Activation).where(Activation.incident_id == incident.id).order_by(Activation.activated_at)
            )
        ).scalars()
    )
    plans = await linked_plans(db, incident=incident)
    return _incident_fields(incident) | {
        "clock": clock(incident, reports[-1] if reports else None, now),
        "reports": [report_out(r) for r in reports],
        "activations": await activations_out(db, activations),
        "plans": [plan_out(p) for p in plans],
    }


# --- response tiers --------------------------------------------------------------------------------------------


async def _names(db: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await db.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {uid: name for uid, name in rows.all()}


async def list_tiers(
    db: AsyncSession, *, subject: Subject, unit_level: str | None, unit_id: int | None
) -> list[ResponseTier]:
    require_staff(subject)
    q = select(ResponseTier).where(units_visible(subject, ResponseTier.unit_level, ResponseTier.unit_id))
    if unit_level:
        q = q.where(ResponseTier.unit_level == unit_level)
    if unit_id is not None:
        q = q.where(ResponseTier.unit_id == unit_id)
    q = q.order_by(ResponseTier.unit_level, ResponseTier.unit_id, ResponseTier.tier)
    return list((await db.execute(q)).scalars())


async def tiers_out(db: AsyncSession, tiers: list[ResponseTier]) -> list[dict[str, Any]]:
    members: dict[int, list[TierMember]] = {t.id: [] for t in tiers}
    if tiers:
        rows = await db.execute(
            select(TierMember).where(TierMember.tier_id.in_(members)).order_by(TierMember.tier_id, TierMember.id)
        )
        for m in rows.scalars():
            members[m.tier_id].append(m)
    names = await _names(db, {m.user_id for ms in members.values() for m in ms})
    return [
        {
            "id": t.id,
            "unit_level": t.unit_level,
            "unit_id": t.unit_id,
            "tier": t.tier,
            "name": t.name,
            "members": [
                {"user_id": m.user_id, "name": names.get(m.user_id, ""), "duty": m.duty} for m in members[t.id]
            ],
        }
        for t in tiers
    ]


async def tier_candidates(db: AsyncSession, *, subject: Subject, unit_level: str, unit_id: int) -> list[dict[str, Any]]:
    """Who may be named to a tier of this unit: its active users (names and roles only), for its managers."""
    await require_manager(db, subject, unit_level, unit_id, "manage response tiers")
    column = User.community_id if unit_level == "community" else User.street_id
    rows = await db.execute(
        select(User.id, User.display_name, User.role)
        .where(column == unit_id, User.is_active.is_(True), User.role != Role.resident.value)
        .order_by(User.role, User.display_name, User.id)
    )
    return [{"user_id": r.id, "name": r.display_name, "role": r.role} for r in rows]


async def put_tier(db: AsyncSession, *, subject: Subject, data: Any) -> ResponseTier:
    """Create or replace one tier of a unit: its name and its members (active users in that unit)."""
    await require_manager(db, subject, data.unit_level, data.unit_id, "manage response tiers")
    ids = [m.user_id for m in data.members]
    column = User.community_id if data.unit_level == "community" else User.street_id
    found = set(
        (
            await db.execute(select(User.id).where(User.id.in_(ids), User.is_active.is_(True), column == data.unit_id))
        ).scalars()
    )
    missing = [uid for uid in ids if uid not in found]
    if missing:
        raise Invalid(
            f"Members must be active users in this {data.unit_level}: not {', '.join(map(str, missing))}",
            errors=_field("members", "not an active user in this unit"),
        )
    tier = (
        await db.execute(
            select(ResponseTier).where(
                ResponseTier.unit_level == data.unit_level,
                ResponseTier.unit_id == data.unit_id,
                ResponseTier.tier == data.tier,
            )
        )
    ).scalar()
    if tier is None:
        tier = ResponseTier(unit_level=data.unit_level, unit_id=data.unit_id, tier=data.tier, name=data.name)
        db.add(tier)
        await db.flush()
    else:
        tier.name = data.name
        for old in (await db.execute(select(TierMember).where(TierMember.tier_id == tier.id))).scalars():
            await db.delete(old)
        await db.flush()
    for m in data.members:
        db.add(TierMember(tier_id=tier.id, user_id=m.user_id, duty=m.duty))
    await db.flush()
    return tier


# --- activations and muster ------------------------------------------------------------------------------------


async def activate(
    db: AsyncSession, *, subject: Subject, incident: Incident, tier_id: int, settings: Settings
) -> Activation:
    allowed = (
        (subject.role == Role.station_chief and subject.community_id == incident.community_id)
        or (subject.role == Role.street_officer and subject.street_id == incident.street_id)
        or subject.role == Role.administrator
    )
    if not allowed:
        raise Forbidden("Tiers are called out by the station chief, the street officers or an administrator")
    if incident.status == "closed":
        raise Conflict("The incident is closed")
    tier = await db.get(ResponseTier, tier_id)
    if tier is None or (tier.unit_level, tier.unit_id) not in {
        ("community", incident.community_id),
        ("street", incident.street_id),
    }:
        raise Invalid(
            "Call out a tier of the incident's community or street", errors=_field("tier_id", "not a tier here")
        )
    taken = (
        await db.execute(
            select(Activation.id).where(Activation.incident_id == incident.id, Activation.tier_id == tier.id)
        )
    ).scalar()
    if taken is not None:
        raise Conflict(f"Tier {tier.tier} ({tier.name}) has already been called out for this incident")
    members = list((await db.execute(select(TierMember).where(TierMember.tier_id == tier.id))).scalars())
    if not members:
        raise Invalid("The tier has no members", errors=_field("tier_id", "no members"))
    a = Activation(
        incident_id=incident.id,
        tier_id=tier.id,
        activated_at=utcnow(),
        activated_by_id=subject.user_id,
        target_minutes=settings.muster_target_minutes,
    )
    db.add(a)
    try:
        await db.flush()
    except IntegrityError:
        await db.rollback()
        raise Conflict(f"Tier {tier.tier} ({tier.name}) has already been called out for this incident") from None
    for m in members:
        db.add(ActivationMember(activation_id=a.id, user_id=m.user_id))
    await db.flush()
    emit(
        db,
        "incident.activation",
        _payload(incident, activation_id=a.id, tier_id=tier.id, tier=tier.tier, place=incident.place),
        recipients=[m.user_id for m in members],
        title=messages.notice("activation", code=incident.code, tier=tier.name),
        body=messages.notice("activation-body", title=incident.title, place=incident.place, minutes=a.target_minutes),
    )
    return a


async def _activation_for_member(db: AsyncSession, subject: Subject, activation_id: int) -> ActivationMember:
    m = (
        await db.execute(
            select(ActivationMember).where(
                ActivationMember.activation_id == activation_id, ActivationMember.user_id == subject.user_id
            )
        )
    ).scalar()
    if m is None:
        raise NotFound(f"No activation with id {activation_id} calls you out")
    return m


async def acknowledge(db: AsyncSession, *, subject: Subject, activation_id: int) -> Activation:
    m = await _activation_for_member(db, subject, activation_id)
    if m.acknowledged_at is None:
        m.acknowledged_at = utcnow()
    return await db.get(Activation, activation_id)


async def arrive(db: AsyncSession, *, subject: Subject, activation_id: int) -> Activation:
    m = await _activation_for_member(db, subject, activation_id)
    now = utcnow()
    if m.arrived_at is None:
        m.arrived_at = now
    if m.acknowledged_at is None:  # arriving answers the call too
        m.acknowledged_at = m.arrived_at
    return await db.get(Activation, activation_id)


def muster(a: Activation, members: list[ActivationMember], now: datetime) -> dict[str, Any]:
    """Each member's seconds from the call-out to arrival against the target; the activation's muster is when the
    last member arrived. Within target is undecided (null) while someone is missing and the target has not passed."""
    start = as_utc(a.activated_at)
    target = a.target_minutes * 60
    passed = (now - start).total_seconds() > target
    rows = []
    for m in members:
        seconds = int((as_utc(m.arrived_at) - start).total_seconds()) if m.arrived_at else None
        within = (seconds <= target) if seconds is not None else (False if passed else None)
        rows.append((m, seconds, within))
    all_arrived = all(s is not None for _, s, _ in rows)
    seconds = max((s for _, s, _ in rows), default=0) if all_arrived else None
    if all_arrived:
        within_target: bool | None = seconds is not None and seconds <= target
    else:
        within_target = False if passed else None
    return {
        "rows": rows,
        "all_arrived": all_arrived,
        "muster_seconds": seconds,
        "mustered_at": max(as_utc(m.arrived_at) for m in members) if all_arrived and members else None,
        "within_target": within_target,
    }


async def activations_out(db: AsyncSession, rows: list[Activation]) -> list[dict[str, Any]]:
    if not rows:
        return []
    tiers = {
        t.id: t
        for t in (
            await db.execute(select(ResponseTier).where(ResponseTier.id.in_({a.tier_id for a in rows})))
        ).scalars()
    }
    members: dict[int, list[ActivationMember]] = {a.id: [] for a in rows}
    found = await db.execute(
        select(ActivationMember).where(ActivationMember.activation_id.in_(members)).order_by(ActivationMember.id)
    )
    for m in found.scalars():
        members[m.activation_id].append(m)
    duties = {
        (tm.tier_id, tm.user_id): tm.duty
        for tm in (await db.execute(select(TierMember).where(TierMember.tier_id.in_(tiers)))).scalars()
    }
    names = await _names(db, {m.user_id for ms in members.values() for m in ms})
    now = utcnow()
    out = []
    for a in rows:
        t = tiers[a.tier_id]
        mu = muster(a, members[a.id], now)
        out.append(
            {
                "id": a.id,
                "incident_id": a.incident_id,
                "tier": {"id": t.id, "unit_level": t.unit_level, "unit_id": t.unit_id, "tier": t.tier, "name": t.name},
                "activated_at": a.activated_at,
                "activated_by_id": a.activated_by_id,
                "target_minutes": a.target_minutes,
                "members": [
                    {
                        "user_id": m.user_id,
                        "name": names.get(m.user_id, ""),
                        "duty": duties.get((a.tier_id, m.user_id)),
                        "acknowledged_at": m.acknowledged_at,
                        "arrived_at": m.arrived_at,
                        "muster_seconds": seconds,
                        "within_target": within,
                    }
                    for m, seconds, within in mu["rows"]
                ],
                "all_arrived": mu["all_arrived"],
                "mustered_at": mu["mustered_at"],
                "muster_seconds": mu["muster_seconds"],
                "within_target": mu["within_target"],
            }
        )
    return out


# --- contingency plans and drills ------------------------------------------------------------------------------


def plan_out(p: ContingencyPlan, today: Any = None) -> dict[str, Any]:
    today = today or local_today()
    return {
        "id": p.id,
        "unit_level": p.unit_level,
        "unit_id": p.unit_id,
        "title": p.title,
        "incident_types": p.incident_types,
        "owner_id": p.owner_id,
        "body": p.body,
        "reviewed_on": p.reviewed_on,
        "review_due_on": p.review_due_on,
        "review_overdue": p.is_active and p.review_due_on < today,
        "is_active": p.is_active,
    }


async def linked_plans(db: AsyncSession, *, incident: Incident) -> list[ContingencyPlan]:
    """Active plans of the incident's community or street that name its type (the type filter in Python: JSON
    containment differs between the engines, and a unit has few plans)."""
    rows = await db.execute(
        select(ContingencyPlan)
        .where(
            ContingencyPlan.is_active.is_(True),
            or_(
                and_(ContingencyPlan.unit_level == "community", ContingencyPlan.unit_id == incident.community_id),
                and_(ContingencyPlan.unit_level == "street", ContingencyPlan.unit_id == incident.street_id),
            ),
        )
        .order_by(ContingencyPlan.id)
    )
    return [p for p in rows.scalars() if incident.incident_type in (p.incident_types or [])]


async def _check_owner(db: AsyncSession, owner_id: int | None) -> None:
    if owner_id is None:
        return
    user = await db.get(User, owner_id)
    if user is None or not user.is_active or user.role == Role.resident:
        raise Invalid("The owner must be an active staff member", errors=_field("owner_id", "not active staff"))


async def list_plans(
    db: AsyncSession, *, subject: Subject, incident_type: str | None = None, overdue_only: bool = False
) -> list[ContingencyPlan]:
    require_staff(subject)
    q = select(ContingencyPlan).where(units_visible(subject, ContingencyPlan.unit_level, ContingencyPlan.unit_id))
    if overdue_only:
        q = q.where(ContingencyPlan.is_active.is_(True), ContingencyPlan.review_due_on < local_today())
    rows = list((await db.execute(q.order_by(ContingencyPlan.review_due_on, ContingencyPlan.id))).scalars())
    if incident_type:
        rows = [p for p in rows if incident_type in (p.incident_types or [])]
    return rows


async def create_plan(db: AsyncSession, *, subject: Subject, data: Any) -> ContingencyPlan:
    await require_manager(db, subject, data.unit_level, data.unit_id, "keep contingency plans")
    await _check_owner(db, data.owner_id)
    p = ContingencyPlan(**data.model_dump(), is_active=True)
    db.add(p)
    await db.flush()
    return p


async def update_plan(db: AsyncSession, *, subject: Subject, plan_id: int, data: Any) -> ContingencyPlan:
    require_staff(subject)
    p = (
        await db.execute(
            select(ContingencyPlan).where(
                ContingencyPlan.id == plan_id,
                units_visible(subject, ContingencyPlan.unit_level, ContingencyPlan.unit_id),
            )
        )
    ).scalar()
    if p is None:
        raise NotFound(f"No contingency plan with id {plan_id} in your scope")
    await require_manager(db, subject, p.unit_level, p.unit_id, "change contingency plans")
    changes = data.model_dump(exclude_unset=True)
    if "owner_id" in changes:
        await _check_owner(db, changes["owner_id"])
    for k, v in changes.items():
        setattr(p, k, v)
    await db.flush()
    return p


async def list_drills(db: AsyncSession, *, subject: Subject, plan_id: int | None = None) -> list[Drill]:
    require_staff(subject)
    q = select(Drill).where(units_visible(subject, Drill.unit_level, Drill.unit_id))
    if plan_id is not None:
        q = q.where(Drill.plan_id == plan_id)
    return list((await db.execute(q.order_by(Drill.held_on.desc(), Drill.id.desc()))).scalars())


async def record_drill(db: AsyncSession, *, subject: Subject, data: Any) -> Drill:
    await require_manager(db, subject, data.unit_level, data.unit_id, "record drills")
    if data.held_on > local_today():
        raise Invalid("A drill is recorded once held", errors=_field("held_on", "in the future"))
    if data.plan_id is not None:
        plan = (
            await db.execute(
                select(ContingencyPlan).where(
                    ContingencyPlan.id == data.plan_id,
                    units_visible(subject, ContingencyPlan.unit_level, ContingencyPlan.unit_id),
                )
            )
        ).scalar()
        if plan is None:
            raise Invalid(f"No contingency plan with id {data.plan_id} in your scope", errors=_field("plan_id", "?"))
    user_ids = {p.user_id for p in data.participants if p.user_id is not None}
    if user_ids:
        known = set((await db.execute(select(User.id).where(User.id.in_(user_ids)))).scalars())
        if user_ids - known:
            raise Invalid("A participant names an unknown user", errors=_field("participants", "unknown user"))
    d = Drill(
        plan_id=data.plan_id,
        unit_level=data.unit_level,
        unit_id=data.unit_id,
        held_on=data.held_on,
        title=data.title,
        participants=[p.model_dump() for p in data.participants],
        findings=data.findings,
        created_by_id=subject.user_id,
        created_at=utcnow(),
    )
    db.add(d)
    await db.flush()
    return d
