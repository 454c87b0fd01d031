"""Matters: intake and routing, the allowed actions of each caller, applying an action with its handoff,
deadlines, audit event and notifications in one transaction, and the views of a record.

Scope: `policy.readable(subject, Matter)` is the one SQL condition for "the matters this caller may see";
anything else is 404.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Float, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from wangge import geo, messages
from wangge.accounts.models import Role
from wangge.accounts.scope import Subject
from wangge.errors import Conflict, Invalid, NotFound
from wangge.fieldwork import people
from wangge.hierarchy.models import Community, Department, Grid
from wangge.matters import flow, seed
from wangge.matters.flow import Action, Actor, Status
from wangge.matters.models import Category, Cooperator, Handoff, Matter, MatterEvent
from wangge.models_common import as_utc, is_sqlite, utcnow
from wangge.notify import recipients
from wangge.notify.outbox import emit
from wangge.policy import readable
from wangge.workcalendar import CalendarOverride, CalendarYear, TimeLimit, WorkCalendar

GRID_STAFF = {Role.grid_leader.value, Role.grid_member.value}
STATUS_ZH = {
    "submitted": "待受理",
    "accepted": "已受理",
    "at_station": "服务站办理",
    "escalated": "已上报待签收",
    "handling": "办理中",
    "emergency": "突发处置中",
    "approval_review": "街道审核中",
    "approval_decision": "部门审批中",
    "public_notice": "公示中",
    "verifying": "待核查",
    "resolved": "已办结",
    "closed": "已关闭",
    "merged": "已合并",
}


def status_names(status: str) -> messages.Text:
    """A matter's status in both languages, for notifications."""
    return messages.both(STATUS_ZH.get(status, status), messages.MATTER_STATUS_EN.get(status, status))


HOLDER_FOR_STATUS = {
    Status.submitted: "grid",
    Status.accepted: "grid",
    Status.at_station: "station",
    Status.emergency: "station",
    Status.approval_review: "street",
    Status.approval_decision: "department",
    Status.public_notice: "station",
}


# --- scope -----------------------------------------------------------------------------------------------------


# The level above each holder, which decides its applications for an extension or a suspension: the station
# decides the grid's, the street the station's, the district (its administrators) the street's and departments'.
APPROVER_LEVEL = {"grid": "station", "station": "street", "street": "district", "department": "district"}
# Who verifies a resolution: the station the grid's, the street the departments'; a station's or a street's own by
# another officer of it or by the level above (a community often has one chief, who may not verify their own).
VERIFIER_LEVELS = {
    "grid": ("station",),
    "station": ("station", "street"),
    "street": ("street", "district"),
    "department": ("street",),
}


def _at_level(subject: Subject, m: Matter, level: str) -> bool:
    """Whether `subject` is an officer of `level` over `m` (station chief, street officer, district administrator)."""
    if level == "station":
        return subject.role == Role.station_chief and subject.community_id == m.community_id
    if level == "street":
        return subject.role == Role.street_officer and subject.street_id == m.street_id
    if level == "district":
        return (
            subject.role == Role.administrator
            and subject.scope_level == "district"
            and subject.district_id == m.district_id
        )
    return False


def actors_for(
    subject: Subject | None, m: Matter, covering: frozenset[int] = frozenset(), *, cooperating: bool = False
) -> set[Actor]:
    """How the caller relates to this matter, for the transition table. `covering`: the grids the caller covers now
    for an A/B partner on leave (`await people.covered_grids(db, subject)`); they act there as the grid's staff.
    `cooperating`: the caller's department is convened to co-operate on it (`await loop.cooperates(...)`)."""
    if subject is None:
        return set()
    found: set[Actor] = set()
    if m.pending_application and _at_level(subject, m, APPROVER_LEVEL.get(m.holder_level, "")):
        found.add(Actor.approver)
    if m.status == Status.verifying and any(
        _at_level(subject, m, level) for level in VERIFIER_LEVELS.get(m.holder_level, ())
    ):
        found.add(Actor.verifier)
    if cooperating and subject.role == Role.department_officer:
        found.add(Actor.cooperator)
    if subject.role in GRID_STAFF and m.grid_id is not None and (subject.grid_id == m.grid_id or m.grid_id in covering):
        found.add(Actor.grid_staff)
    if subject.role == Role.station_chief and subject.community_id == m.community_id:
        found.add(Actor.station)
    if subject.role == Role.street_officer and subject.street_id == m.street_id:
        # The street holds it; or a department of it resolved it and the street calls back (loop_views.callbacks).
        if m.holder_level == "street" or (m.status == Status.resolved and m.holder_level == "department"):
            found.add(Actor.street)
    if (
        subject.role == Role.department_officer
        and m.holder_level == "department"
        and subject.department_id == m.holder_department_id
    ):
        found.add(Actor.department)
    return found


def facts_for(
    m: Matter, now: datetime, subject: Subject | None = None, rules: dict[str, Any] | None = None
) -> flow.Facts:
    """What the guards know: the record's own facts, the caller's part in it, and its category's rules."""
    return flow.Facts(
        reopen_count=m.reopen_count,
        notice_over=m.notice_ends_at is not None and as_utc(m.notice_ends_at) <= now,
        has_requester=bool(m.reporter_phone),
        pending=m.pending_application,
        own_resolution=subject is not None and bool(subject.user_id) and subject.user_id == m.resolved_by_id,
        dispute=bool((rules or {}).get("mediation")),
        contact_owed=m.contact_due_at is not None and m.first_contact_at is None,
    )


def transition(
    m: Matter,
    action: Action | str,
    actors: set[Actor],
    now: datetime,
    facts: flow.Facts | None = None,
) -> flow.Rule:
    """The table's rule for taking `action` on `m` now; a refusal is a 409 that names the state and the actions
    the caller may take (every place that applies a transition goes through here)."""
    try:
        return flow.transition(Status(m.status), action, actors, facts or facts_for(m, now))
    except flow.Refused as exc:
        raise Conflict(
            str(exc),
            code="action-not-allowed",
            current_status=exc.state.value,
            allowed_actions=[a.value for a in exc.allowed_actions],
        ) from None


async def covering_of(db: AsyncSession, subject: Subject | None) -> frozenset[int]:
    """The grids `subject` covers now (empty for anyone but a grid leader covering a partner's leave)."""
    return await people.covered_grids(db, subject) if subject is not None else frozenset()


async def cooperates(db: AsyncSession, subject: Subject | None, m: Matter) -> bool:
    """Whether the caller's department is convened to co-operate on `m` (one indexed lookup, officers only)."""
    if subject is None or subject.role != Role.department_officer or subject.department_id is None:
        return False
    found = await db.execute(
        select(Cooperator.id).where(Cooperator.matter_id == m.id, Cooperator.department_id == subject.department_id)
    )
    return found.first() is not None


async def relation(
    db: AsyncSession,
    subject: Subject | None,
    m: Matter,
    now: datetime,
    *,
    system: bool = False,
    resident: bool = False,
    rules: dict[str, Any] | None = None,
) -> tuple[set[Actor], flow.Facts]:
    """The caller's actors on `m` and the facts the guards read, as every path that lists or takes actions needs
    (`rules`: the category's loop rules when the caller has the category at hand)."""
    actors = actors_for(subject, m, await covering_of(db, subject), cooperating=await cooperates(db, subject, m))
    if system:
        actors.add(Actor.system)
    if resident:
        actors.add(Actor.resident)
    if rules is None:
        rules = (await category_rules(db)).get(m.category_id, {})
    return actors, facts_for(m, now, subject, rules)


async def allowed_actions(
    db: AsyncSession, subject: Subject | None, m: Matter, rules: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The actions `subject` may take now, each with the fields its body must carry (the table's `needs`), so
    that a client builds its forms from the record instead of mirroring the rules."""
    actors, facts = await relation(db, subject, m, utcnow(), rules=rules)
    rules = flow.allowed_rules(Status(m.status), actors, facts)
    return [{"action": a.value, "needs": sorted(rule.needs), "accepts": sorted(rule.accepts)} for a, rule in rules]


async def get_visible(db: AsyncSession, subject: Subject, matter_id: int) -> Matter:
    m = (await db.execute(select(Matter).where(Matter.id == matter_id, readable(subject, Matter)))).scalar()
    if m is None:
        raise NotFound(f"No matter with id {matter_id} in your scope")
    return m


# --- time limits -----------------------------------------------------------------------------------------------


# Categories and calendar overrides change rarely and are read on every intake: each process keeps them for a
# short while (a change made through this process clears them at once; other processes see it within the TTL).
CACHE_SECONDS = 30.0
_cache: dict[str, tuple[float, Any]] = {}


def clear_cache() -> None:
    _cache.clear()


async def _cached(key: str, load: Any) -> Any:
    hit = _cache.get(key)
    now = time.monotonic()
    if hit is not None and hit[0] > now:
        return hit[1]
    value = await load()
    _cache[key] = (now + CACHE_SECONDS, value)
    return value


async def work_calendar(db: AsyncSession) -> WorkCalendar:
    async def load() -> WorkCalendar:
        overrides = {row.day: row.is_workday for row in (await db.execute(select(CalendarOverride))).scalars()}
        complete = (await db.execute(select(CalendarYear.year).where(CalendarYear.complete.is_(True)))).scalars()
        return WorkCalendar(overrides=overrides, complete_years=list(complete))

    return await _cached("calendar", load)


def _limit(category: Category, level: str, kind: str) -> TimeLimit | None:
    data = (category.time_limits or {}).get(level, {}).get(kind)
    return TimeLimit.from_dict(data) if data else None


def _deadline(cal: WorkCalendar, category: Category, level: str, kind: str, start: datetime) -> datetime | None:
    limit = _limit(category, level, kind)
    return None if limit is None else cal.deadline(start, limit)


def _start_step(m: Matter, cal: WorkCalendar, category: Category, level: str, now: datetime, *, sign: bool) -> None:
    """A new step with its own clock: time to sign for it (when someone must sign) and time to complete it."""
    m.sign_due_at = _deadline(cal, category, level, "sign", now) if sign else None
    m.due_at = _deadline(cal, category, level, "complete", now)
    m.overdue_notified_at = None


# --- routing ---------------------------------------------------------------------------------------------------


@dataclass
class Placement:
    grid: Grid | None
    community: Community


_LOCATE: dict[bool, Any] = {}


def _locate_statement(sqlite: bool) -> Any:
    """Built once per engine with bound lon/lat, so SQLAlchemy's statement cache serves every later request."""
    if sqlite not in _LOCATE:
        lon, lat = bindparam("lon", type_=Float), bindparam("lat", type_=Float)
        cond = geo.point_in_polygon_condition(Grid.__table__.c.geom, "grids", lon, lat, sqlite=sqlite)
        _LOCATE[sqlite] = (
            select(Grid, Community)
            .join(Community, Community.id == Grid.community_id)
            .options(defer(Grid.geom), defer(Community.geom))
            .where(cond, Grid.is_active.is_(True))
            .order_by(Grid.id)
            .limit(1)
        )
    return _LOCATE[sqlite]


async def locate(db: AsyncSession, lat: float, lon: float) -> tuple[Grid, Community] | None:
    """The active grid covering the point, with its community (geometries not loaded)."""
    row = (await db.execute(_locate_statement(is_sqlite(db)), {"lon": lon, "lat": lat})).first()
    return (row[0], row[1]) if row else None


@dataclass(frozen=True)
class CategoryInfo:
    """What intake needs of a category, cached between requests."""

    id: int
    code: str
    name_zh: str
    level: str
    department_id: int | None
    is_emergency: bool
    time_limits: dict[str, Any]
    loop_rules: dict[str, Any]
    is_active: bool = True
    name_en: str = ""


async def _categories(db: AsyncSession) -> dict[str, CategoryInfo]:
    """Every category by code (the inactive ones too, for their rules), loaded once for intake and the guards."""

    async def load() -> dict[str, CategoryInfo]:
        rows = (await db.execute(select(Category))).scalars()
        return {
            c.code: CategoryInfo(
                c.id,
                c.code,
                c.name_zh,
                c.level,
                c.department_id,
                c.is_emergency,
                c.time_limits,
                c.loop_rules or {},
                c.is_active,
                c.name_en,
            )
            for c in rows
        }

    return await _cached("categories", load)


async def category_rules(db: AsyncSession) -> dict[int, dict[str, Any]]:
    """Every category's loop rules by id (models.Category.loop_rules), from the categories' cache."""
    return {c.id: c.loop_rules for c in (await _categories(db)).values()}


async def category_by_code(db: AsyncSession, code: str) -> CategoryInfo:
    cat = (await _categories(db)).get(code)
    if cat is None or not cat.is_active:
        raise Invalid(
            f"There is no category '{code}'",
            errors=[{"loc": ["body", "category"], "msg": "unknown category", "type": "value_error"}],
        )
    return cat


# --- recipients ------------------------------------------------------------------------------------------------


def unit_of(m: Matter, level: str, department_id: int | None = None) -> dict[str, Any]:
    """The unit of `m` at `level` (the grid's staff, the station chiefs, the street officers, a department's
    officers); the worker resolves it to people when it delivers the notification."""
    return recipients.unit(
        level, grid_id=m.grid_id, community_id=m.community_id, street_id=m.street_id, department_id=department_id
    )


def _emergency_units(m: Matter) -> list[dict[str, Any]]:
    # Station and street are told at once; the grid's leader tracks it on the scene.
    return [unit_of(m, "station"), unit_of(m, "street"), unit_of(m, "grid")]


# --- events ----------------------------------------------------------------------------------------------------


def _actor_label(subject: Subject | None, fallback: str) -> str:
    return subject.username if subject is not None else fallback


def record(
    db: AsyncSession,
    m: Matter,
    subject: Subject | None,
    action: str,
    from_status: str | None,
    to_status: str | None,
    data: dict[str, Any] | None = None,
    *,
    actor_label: str = "resident",
) -> None:
    db.add(
        MatterEvent(
            matter_id=m.id,
            at=utcnow(),
            actor_id=subject.user_id if subject and subject.user_id else None,
            actor_label=_actor_label(subject, actor_label),
            action=action,
            from_status=from_status,
            to_status=to_status,
            data=data or {},
        )
    )


def _payload(m: Matter, **extra: Any) -> dict[str, Any]:
    return {
        "matter_id": m.id,
        "tracking_code": m.tracking_code,
        "status": m.status,
        "route": m.route,
        "holder_level": m.holder_level,
        "holder_department_id": m.holder_department_id,
        **extra,
    }


def raise_forbidden(subject: Subject, what: str) -> None:
    from wangge.errors import Forbidden

    raise Forbidden(f"Your role ({subject.role}) may not {what}")


# --- actions ---------------------------------------------------------------------------------------------------


def _resolve(
    m: Matter, subject: Subject | None, result: str | None, now: datetime, *, outcome: str, verify: bool = False
) -> None:
    """The handler's resolution: `verifying` when the category needs verification (flow.DONE), else `resolved`."""
    m.handler_status = m.status
    m.resolved_due_at = m.due_at  # kept for the hotline and the assessment: resolved in time or not
    m.status = Status.verifying if verify else Status.resolved
    m.verified_at = m.verified_by_id = None
    m.result = result if result is not None else m.result
    m.outcome = outcome
    m.resolved_at = now
    m.resolved_by_id = subject.user_id if subject else None
    m.sign_due_at = m.due_at = None


async def _pending_handoff(db: AsyncSession, m: Matter) -> Handoff | None:
    return (
        (
            await db.execute(
                select(Handoff)
                .where(Handoff.matter_id == m.id, Handoff.signed_at.is_(None), Handoff.returned_at.is_(None))
                .order_by(Handoff.id.desc())
            )
        )
        .scalars()
        .first()
    )


async def _escalation_target(db: AsyncSession, m: Matter, category: Category, body: Any) -> tuple[str, int | None]:
    target = body.target if body is not None else None
    if target is None:
        if m.holder_level == "street" or category.department_id is None:
            if category.department_id is None and m.holder_level == "street":
                raise Invalid(
                    "Say which department: the category has no owning department",
                    errors=[{"loc": ["body", "target"], "msg": "required", "type": "missing"}],
                )
            level, dept_id = ("department", category.department_id) if m.holder_level == "street" else ("street", None)
        else:
            level, dept_id = "department", category.department_id
    else:
        level, dept_id = target.level, target.department_id
    if level == "street":
        if m.holder_level == "street":
            raise Invalid(
                "The street already holds this matter; escalate it to a department",
                errors=[{"loc": ["body", "target", "level"], "msg": "already at the street", "type": "value_error"}],
            )
        return "street", None
    if dept_id is None:
        raise Invalid(
            "A department target needs department_id",
            errors=[{"loc": ["body", "target", "department_id"], "msg": "required", "type": "missing"}],
        )
    dept = await db.get(Department, dept_id)
    if (
        dept is None
        or not dept.is_active
        or dept.district_id != m.district_id
        or (dept.street_id is not None and dept.street_id != m.street_id)
    ):
        raise Invalid(
            f"No active department {dept_id} serves this place",
            errors=[{"loc": ["body", "target", "department_id"], "msg": "unknown department", "type": "value_error"}],
        )
    return "department", dept.id


@dataclass
class Step:
    """One action being applied: what the effect functions below read and write."""

    db: AsyncSession
    m: Matter
    category: Any
    subject: Subject | None
    action: Action
    rule: flow.Rule
    body: Any
    now: datetime
    cal: WorkCalendar
    data: dict[str, Any]

    def field(self, name: str) -> Any:
        return getattr(self.body, name, None) if self.body is not None else None


_UNSIGNED = (Status.submitted, Status.emergency)


async def _apply(
    db: AsyncSession,
    m: Matter,
    category: Category,
    subject: Subject | None,
    action: Action,
    body: Any,
    now: datetime,
    cal: WorkCalendar,
    *,
    system: bool = False,
    resident: bool = False,
) -> Step:
    """Take `action` on `m`: the table says whether it may be taken and what it does (the holder after it, the
    clock that starts); the action's own effect below does the rest (a handoff, a merge), then it is recorded."""
    rules = getattr(category, "loop_rules", None) or {}
    actors, facts = await relation(db, subject, m, now, system=system, resident=resident, rules=rules)
    rule = transition(m, action, actors, now, facts)
    action = Action(action)
    for name in rule.needs:
        value = getattr(body, name, None) if body is not None else None
        if value in (None, "", []) and not (name == "target" and action == Action.escalate):
            raise Invalid(
                f"'{action.value}' needs {name}",
                errors=[{"loc": ["body", name], "msg": "required for this action", "type": "missing"}],
            )
    step = Step(db, m, category, subject, action, rule, body, now, cal, {})
    step.data = {k: v for k in ("reason", "result") if (v := step.field(k))}
    from_status = m.status
    if m.owner_id is None and subject is not None and subject.user_id and not resident:
        m.owner_id = subject.user_id  # 首问责任: the first staff member to take it
    if rule.route:
        m.route = rule.route
    await EFFECTS.get(action, _move_and_clock)(step)
    if m.responded_at is None and from_status in _UNSIGNED and not system:
        m.responded_at = now  # the first step a person takes on an unsigned matter is its response (the assessment's)
    if m.pending_application and m.status != from_status:
        await loop.withdraw_pending(db, m, now)  # an application lapses when the matter moves on
    label = "resident" if resident else "system"
    record(db, m, subject, action.value, from_status, m.status, step.data, actor_label=label)
    return step


# --- what each action does -------------------------------------------------------------------------------------


def _move(s: Step) -> None:
    """The state and the holder the rule names."""
    m, holder = s.m, s.rule.holder
    if s.rule.to not in flow.PLACEHOLDERS:
        m.status = Status(s.rule.to)
    if holder == flow.CATEGORY_DEPARTMENT:
        if s.category.department_id is None:
            raise Conflict(
                f"The category {s.category.name_zh} has no approving department; an administrator must set one"
            )
        m.holder_level, m.holder_department_id = "department", s.category.department_id
    elif holder in ("grid", "station", "street"):
        m.holder_level, m.holder_department_id = holder, None


def _clock(s: Step) -> None:
    """The clock the rule starts (escalations keep theirs on the handoff: `_escalate`)."""
    m, clock = s.m, s.rule.clock
    if clock == flow.Clock.signed:
        m.sign_due_at = None
    elif clock == flow.Clock.handle:
        _start_step(m, s.cal, s.category, m.holder_level, s.now, sign=False)
    elif clock == flow.Clock.emergency:
        # Emergencies run on the clock in minutes, whatever the category's ordinary limits are.
        limits = s.category.time_limits if s.category.is_emergency else seed.EMERGENCY_LIMITS
        m.sign_due_at = s.cal.deadline(s.now, TimeLimit.from_dict(limits["station"]["sign"]))
        m.due_at = s.cal.deadline(s.now, TimeLimit.from_dict(limits["station"]["complete"]))
        m.overdue_notified_at = None
    elif clock == flow.Clock.notice:
        m.notice_ends_at = _deadline(s.cal, s.category, "notice", "complete", s.now)
        m.due_at, m.sign_due_at, m.overdue_notified_at = m.notice_ends_at, None, None
    elif clock == flow.Clock.stop:
        m.sign_due_at = m.due_at = None


async def _move_and_clock(s: Step) -> None:
    _move(s)
    _clock(s)


async def _escalate(s: Step) -> None:
    m = s.m
    level, dept_id = await _escalation_target(s.db, m, s.category, s.body)
    handoff = Handoff(
        matter_id=m.id,
        from_level=m.holder_level,
        from_department_id=m.holder_department_id,
        from_user_id=s.subject.user_id if s.subject else None,
        from_status=m.status,
        to_level=level,
        to_department_id=dept_id,
        reason=s.field("reason") or "",
        created_at=s.now,
        sign_due_at=_deadline(s.cal, s.category, level, "sign", s.now),
        due_at=_deadline(s.cal, s.category, level, "complete", s.now),
    )
    s.db.add(handoff)
    m.status, m.holder_level, m.holder_department_id = Status.escalated, level, dept_id
    m.sign_due_at, m.due_at, m.overdue_notified_at = handoff.sign_due_at, handoff.due_at, None
    s.data["target"] = {"level": level, "department_id": dept_id}


async def _sign(s: Step) -> None:
    handoff = await _pending_handoff(s.db, s.m)
    if handoff is not None:
        handoff.signed_at, handoff.to_user_id = s.now, s.subject.user_id if s.subject else None
    await _move_and_clock(s)


async def _return(s: Step) -> None:
    m = s.m
    handoff = await _pending_handoff(s.db, m)
    if handoff is None:
        raise Conflict("There is no pending handoff to return")
    handoff.returned_at, handoff.return_reason = s.now, s.field("reason")
    m.status, m.holder_level, m.holder_department_id = (
        handoff.from_status,
        handoff.from_level,
        handoff.from_department_id,
    )
    _clock(s)
    s.data["returned_to"] = handoff.from_level


async def _resolve_step(s: Step) -> None:
    verify = s.rule.to == flow.DONE and bool((s.category.loop_rules or {}).get("verify"))
    outcome = "refused" if s.action == Action.refuse else "done"
    if "photos" in s.rule.accepts:
        await _attach_after_photos(s)
    _resolve(s.m, s.subject, s.field("result"), s.now, outcome=outcome, verify=verify)


async def _attach_after_photos(s: Step) -> None:
    """The "after" photos 处理后照片 of a resolution: only photos the caller uploaded and nobody attached yet."""
    from wangge.matters.intake import staff_photos

    ids = list(s.field("photos") or [])
    if not ids:
        return
    if s.subject is None:
        raise Invalid(
            "Only staff attach photos to a resolution",
            code="unknown-photo",
            errors=[{"loc": ["body", "photos"], "msg": "unknown photo", "type": "value_error"}],
        )
    photos = await staff_photos(s.db, s.subject, ids, "photos")
    for p in photos:
        p.matter_id, p.stage = s.m.id, "after"
    s.data["after_photos"] = len(photos)


async def _confirm(s: Step) -> None:
    s.m.status, s.m.closed_at = Status.closed, s.now


async def _reopen(s: Step) -> None:
    m = s.m
    m.reopen_count += 1
    m.resolved_at = m.resolved_by_id = None
    if s.action == Action.reopen:
        m.status = m.handler_status or Status.at_station  # back to the handler, at the level that held it
    else:
        _move(s)
    _clock(s)


def reopen_as_rating(m: Matter) -> str:
    """A dissatisfaction goes back to the same handler the first time, to the station after (public_rate, callback)."""
    return "reopen" if m.reopen_count == 0 else "reopen_to_station"


async def _approve(s: Step) -> None:
    s.m.result = s.field("result")
    await _move_and_clock(s)


async def _close(s: Step) -> None:
    m = s.m
    m.status, m.closed_at, m.outcome, m.result = Status.closed, s.now, "closed", s.field("reason")
    _clock(s)


async def _merge(s: Step) -> None:
    m, into_id = s.m, s.field("into")
    target = await s.db.get(Matter, into_id) if into_id else None
    if (
        target is None
        or target.id == m.id
        or target.status not in {st.value for st in flow.OPEN}
        or target.community_id != m.community_id
    ):
        raise Invalid(
            "Merge into an open matter of the same community",
            code="merge-target",
            errors=[{"loc": ["body", "into"], "msg": "not an open matter of this community", "type": "value_error"}],
        )
    m.status, m.merged_into_id, m.closed_at, m.outcome = Status.merged, target.id, s.now, "merged"
    _clock(s)
    s.data["into"] = target.tracking_code


# One small function per action that does more than the table's move and clock; the others use _move_and_clock.
EFFECTS: dict[Action, Callable[[Step], Awaitable[None]]] = {
    Action.escalate: _escalate,
    Action.sign: _sign,
    Action.return_: _return,
    Action.resolve: _resolve_step,
    Action.handle_on_spot: _resolve_step,
    Action.refuse: _resolve_step,
    Action.end_notice: _resolve_step,
    Action.confirm: _confirm,
    Action.reopen: _reopen,
    Action.reopen_to_station: _reopen,
    Action.approve: _approve,
    Action.close: _close,
    Action.merge: _merge,
}


async def act(
    db: AsyncSession,
    subject: Subject | None,
    m: Matter,
    action: str,
    body: Any,
    *,
    resident: bool = False,
    system: bool = False,
) -> Matter:
    now = utcnow()
    category = await db.get(Category, m.category_id)
    cal = await work_calendar(db)
    from_status = m.status
    step = await _apply(db, m, category, subject, action, body, now, cal, resident=resident, system=system)
    await _notify_change(db, m, subject, action, from_status, category, step.rule, step.data)
    loop.tell_hotline(db, m, step, from_status)
    return m


async def _notify_change(
    db: AsyncSession,
    m: Matter,
    subject: Subject | None,
    action: str,
    from_status: str,
    category: Category,
    rule: flow.Rule,
    data: dict[str, Any],
) -> None:
    """Tell whom the rule names (flow.Told), and the first-ask owner of every change."""
    units: list[dict[str, Any]] = []
    if flow.Told.holder in rule.told or data.get("reopened"):  # a callback's "not satisfied" puts it on a desk again
        units.append(unit_of(m, m.holder_level, m.holder_department_id))
    if flow.Told.emergency in rule.told:
        units += _emergency_units(m)
    if flow.Told.approver in rule.told:
        level = APPROVER_LEVEL.get(m.holder_level, "station")
        units.append(
            recipients.unit(level, community_id=m.community_id, street_id=m.street_id, district_id=m.district_id)
        )
    if flow.Told.cooperators in rule.told:
        units += [unit_of(m, "department", d) for d in data.get("departments", [])]
    if rule.to == flow.SAME:  # a step that keeps the state: named by what was done
        step = messages.both(loop.STEP_ZH.get(action, action), messages.STEP_EN.get(action, action))
        title = messages.notice("matter-step", code=m.tracking_code, step=step)
    else:
        title = messages.notice(
            "matter-moved", code=m.tracking_code, before=status_names(from_status), after=status_names(m.status)
        )
    emit(
        db,
        "matter.changed",
        _payload(m, action=action, from_status=from_status),
        recipients=[m.owner_id] if m.owner_id else [],  # the first-ask owner hears of every change
        units=units,
        exclude=subject.user_id if subject is not None else None,
        title=title,
        body=messages.notice(
            "matter-body", category=messages.both(category.name_zh, category.name_en), text=m.description[:60]
        ),
    )
    if flow.Told.reporter in rule.told and m.status in (Status.resolved, Status.closed):
        emit(
            db,
            "matter.resolved",
            _payload(
                m,
                result=m.result,
                outcome=m.outcome,
                category=category.code,
                reporter={"name": m.reporter_name, "phone": m.reporter_phone},
            ),
        )


# The steps around the routes (contact, applications, verification, callbacks, mediation, joint handling) have their
# effects in matters.loop, which reads the names above: imported last, and its effects join the table's.
from wangge.matters import loop  # noqa: E402

EFFECTS.update(loop.EFFECTS)
