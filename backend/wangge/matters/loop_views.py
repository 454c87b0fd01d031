"""What the record and the desk show of the steps around the routes (matters.loop): a matter's contacts,
applications, verification, callbacks, mediation and co-operators; the queues of applications to decide,
resolutions to verify and residents to call back; the results going back to the 12345 hotline."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import Role
from wangge.accounts.scope import Subject, mask_phone
from wangge.config import Settings
from wangge.hierarchy.models import Department, Grid
from wangge.matters import loop
from wangge.matters.flow import Status
from wangge.matters.models import (
    Application,
    Category,
    Cooperator,
    Matter,
    MatterEvent,
    Mediation,
    MediationSession,
    Photo,
)
from wangge.matters.service import category_rules
from wangge.matters.views import deadlines, names_of, photo_out
from wangge.models_common import as_utc, utcnow
from wangge.policy import readable

# --- the record ----------------------------------------------------------------------------------------------------


async def record_loop(db: AsyncSession, m: Matter, subject: Subject) -> dict[str, Any]:
    """The steps around the routes on one record (the caller may read the matter: service.get_visible)."""
    category = await db.get(Category, m.category_id)
    rules = loop.rules_of(category)
    events = list(
        (
            await db.execute(
                select(MatterEvent)
                .where(
                    MatterEvent.matter_id == m.id,
                    MatterEvent.action.in_(("contact", "callback", "verify", "send_back")),
                )
                .order_by(MatterEvent.id)
            )
        ).scalars()
    )
    applications = list(
        (await db.execute(select(Application).where(Application.matter_id == m.id).order_by(Application.id))).scalars()
    )
    cooperators = (
        await db.execute(
            select(Cooperator, Department.name)
            .join(Department, Department.id == Cooperator.department_id)
            .where(Cooperator.matter_id == m.id)
            .order_by(Cooperator.id)
        )
    ).all()
    mediation = await db.get(Mediation, m.id) if rules["mediation"] else None
    sessions = (
        list(
            (
                await db.execute(
                    select(MediationSession)
                    .where(MediationSession.matter_id == m.id)
                    .order_by(MediationSession.held_on, MediationSession.id)
                )
            ).scalars()
        )
        if rules["mediation"]
        else []
    )
    names = await names_of(
        db,
        {e.actor_id for e in events}
        | {a.applied_by_id for a in applications}
        | {a.decided_by_id for a in applications}
        | {c.part_by_id for c, _ in cooperators}
        | {s.recorded_by_id for s in sessions}
        | {m.verified_by_id},
    )
    verify_events = [e for e in events if e.action == "verify"]
    tokens = verify_events[-1].data.get("photos", []) if verify_events else []
    photos = (
        list((await db.execute(select(Photo).where(Photo.token.in_(tokens)).order_by(Photo.id))).scalars())
        if tokens
        else []
    )
    show_phone = subject.can("personal_data:read")

    def who(e: MatterEvent) -> str:
        return names.get(e.actor_id or 0, e.actor_label)

    return {
        "rules": rules,
        "order_no": m.external_id if m.source == "hotline" else None,
        "contact": {
            "due_at": m.contact_due_at,
            "first_at": m.first_contact_at,
            "on_time": None
            if m.first_contact_at is None or m.contact_due_at is None
            else as_utc(m.first_contact_at) <= as_utc(m.contact_due_at),
            "records": [{**e.data.get("contact", {}), "by": who(e)} for e in events if e.action == "contact"],
        },
        "applications": [
            {
                "id": a.id,
                "kind": a.kind,
                "reason": a.reason,
                "until": a.until,
                "due_at_before": a.due_at_before,
                "approver_level": a.approver_level,
                "applied_by": names.get(a.applied_by_id or 0),
                "applied_at": a.applied_at,
                "decision": a.decision,
                "decision_note": a.decision_note,
                "decided_by": names.get(a.decided_by_id or 0),
                "decided_at": a.decided_at,
            }
            for a in applications
        ],
        "verification": {
            "needed": bool(rules["verify"]),
            "close_on": rules["close_on"],
            "verified_at": m.verified_at,
            "verified_by": names.get(m.verified_by_id or 0),
            "note": verify_events[-1].data.get("note") if verify_events else None,
            "photos": [photo_out(p) for p in photos],
            "sent_back": [
                {"at": e.at, "by": who(e), "reason": e.data.get("reason")} for e in events if e.action == "send_back"
            ],
        },
        "callbacks": [
            {
                "at": e.at,
                "by": who(e),
                "answer": e.data.get("answer"),
                "note": e.data.get("note"),
                "tries": e.data.get("tries"),
            }
            for e in events
            if e.action == "callback"
        ],
        "mediation": None
        if not rules["mediation"]
        else {
            "parties": [
                {**p, "phone": p.get("phone") if show_phone else mask_phone(p.get("phone"))}
                for p in (mediation.parties if mediation else [])
            ],
            "agreement": mediation.agreement if mediation else None,
            "follow_up_on": mediation.follow_up_on if mediation else None,
            "outcome": mediation.outcome if mediation else None,
            "sessions": [
                {
                    "id": s.id,
                    "held_on": s.held_on,
                    "mediators": s.mediators,
                    "outcome": s.outcome,
                    "note": s.note,
                    "recorded_by": names.get(s.recorded_by_id or 0),
                }
                for s in sessions
            ],
        },
        "cooperators": [
            {
                "department_id": c.department_id,
                "department": name,
                "added_at": c.added_at,
                "part": c.part,
                "part_by": names.get(c.part_by_id or 0),
                "part_at": c.part_at,
            }
            for c, name in cooperators
        ],
    }


# --- the queues ----------------------------------------------------------------------------------------------------

QUEUE_LIMIT = 100


def _item(m: Matter, cat_code: str, cat_name: str, grid: str | None, now: datetime, soon: timedelta) -> dict[str, Any]:
    return {
        "id": m.id,
        "tracking_code": m.tracking_code,
        "category": {"id": m.category_id, "code": cat_code, "name": cat_name},
        "description": m.description[:120],
        "status": m.status,
        "holder_level": m.holder_level,
        "grid": grid,
        "created_at": m.created_at,
        "resolved_at": m.resolved_at,
        "deadlines": deadlines(m, now, soon),
    }


def _levels_decided_by(subject: Subject) -> ColumnElement[bool]:
    """The matters whose applications the caller decides (service.APPROVER_LEVEL, the other way round)."""
    if subject.role == Role.station_chief:
        return and_(Matter.community_id == subject.community_id, Matter.holder_level == "grid")
    if subject.role == Role.street_officer:
        return and_(Matter.street_id == subject.street_id, Matter.holder_level == "station")
    if subject.role == Role.administrator and subject.scope_level == "district":
        return and_(Matter.district_id == subject.district_id, Matter.holder_level.in_(("street", "department")))
    return false()


def _verified_by(subject: Subject) -> ColumnElement[bool]:
    """The resolutions the caller verifies (service.VERIFIER_LEVELS, the other way round)."""
    if subject.role == Role.station_chief:
        return and_(Matter.community_id == subject.community_id, Matter.holder_level.in_(("grid", "station")))
    if subject.role == Role.street_officer:
        return and_(Matter.street_id == subject.street_id, Matter.holder_level.in_(("station", "street", "department")))
    if subject.role == Role.administrator and subject.scope_level == "district":
        return and_(Matter.district_id == subject.district_id, Matter.holder_level == "street")
    return false()


def _called_back_by(subject: Subject) -> ColumnElement[bool]:
    if subject.role == Role.station_chief:
        return Matter.community_id == subject.community_id
    if subject.role == Role.street_officer:
        return and_(Matter.street_id == subject.street_id, Matter.holder_level.in_(("street", "department")))
    return false()


async def _rows(db: AsyncSession, conds: list[Any], order: list[Any]) -> list[Any]:
    query = (
        select(Matter, Category.code, Category.name_zh, Grid.name)
        .join(Category, Category.id == Matter.category_id)
        .outerjoin(Grid, Grid.id == Matter.grid_id)
        .where(*conds)
        .order_by(*order)
        .limit(QUEUE_LIMIT)
    )
    return list((await db.execute(query)).all())


async def applications_queue(db: AsyncSession, subject: Subject, settings: Settings) -> list[dict[str, Any]]:
    """The applications for an extension or a suspension the caller decides, oldest first."""
    now, soon = utcnow(), timedelta(hours=settings.due_soon_hours)
    rows = (
        await db.execute(
            select(Matter, Category.code, Category.name_zh, Grid.name, Application)
            .join(Category, Category.id == Matter.category_id)
            .outerjoin(Grid, Grid.id == Matter.grid_id)
            .join(Application, and_(Application.matter_id == Matter.id, Application.decision.is_(None)))
            .where(Matter.pending_application.is_not(None), readable(subject, Matter), _levels_decided_by(subject))
            .order_by(Application.applied_at, Application.id)
            .limit(QUEUE_LIMIT)
        )
    ).all()
    names = await names_of(db, {a.applied_by_id for *_, a in rows})
    return [
        {
            **_item(m, code, name, grid, now, soon),
            "application": {
                "id": a.id,
                "kind": a.kind,
                "reason": a.reason,
                "until": a.until,
                "due_at_before": a.due_at_before,
                "applied_by": names.get(a.applied_by_id or 0),
                "applied_at": a.applied_at,
            },
        }
        for m, code, name, grid, a in rows
    ]


async def verifications_queue(db: AsyncSession, subject: Subject, settings: Settings) -> list[dict[str, Any]]:
    """Resolutions awaiting the caller's verification, oldest first; `own` marks the caller's own (which another
    must verify)."""
    now, soon = utcnow(), timedelta(hours=settings.due_soon_hours)
    rows = await _rows(
        db,
        [Matter.status == Status.verifying, readable(subject, Matter), _verified_by(subject)],
        [Matter.resolved_at, Matter.id],
    )
    return [
        {**_item(m, code, name, grid, now, soon), "result": m.result, "own": m.resolved_by_id == subject.user_id}
        for m, code, name, grid in rows
    ]


async def callbacks_queue(db: AsyncSession, subject: Subject, settings: Settings) -> list[dict[str, Any]]:
    """Resolved matters the resident has not rated within their category's days (callback_after_days), oldest
    first: the station calls them back 回访."""
    now, soon = utcnow(), timedelta(hours=settings.due_soon_hours)
    by_days: dict[int, list[int]] = {}
    for cat_id, rules in (await category_rules(db)).items():
        days = int({**loop.DEFAULT_RULES, **rules}["callback_after_days"])
        by_days.setdefault(days, []).append(cat_id)
    waited = or_(
        *(
            and_(Matter.category_id.in_(ids), Matter.resolved_at <= now - timedelta(days=days))
            for days, ids in by_days.items()
        )
    )
    rows = await _rows(
        db,
        [Matter.status == Status.resolved, waited, readable(subject, Matter), _called_back_by(subject)],
        [Matter.resolved_at, Matter.id],
    )
    show_phone = subject.can("personal_data:read")
    return [
        {
            **_item(m, code, name, grid, now, soon),
            "result": m.result,
            "reporter_name": m.reporter_name,
            "reporter_phone": m.reporter_phone if show_phone else mask_phone(m.reporter_phone),
            "callback_tries": m.callback_tries,
        }
        for m, code, name, grid in rows
    ]


# --- back to the hotline -------------------------------------------------------------------------------------------

EXPORT_LIMIT = 5000


async def hotline_results(db: AsyncSession, subject: Subject, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """The hotline orders finished in [since, until) in the caller's scope, in the import's terms (order_no)."""
    finished = Matter.resolved_at.is_not(None) | Matter.closed_at.is_not(None)
    when = and_(
        or_(
            and_(Matter.resolved_at >= since, Matter.resolved_at < until),
            and_(Matter.closed_at >= since, Matter.closed_at < until),
        ),
        finished,
    )
    rows = (
        await db.execute(
            select(Matter)
            .where(Matter.source == "hotline", Matter.external_id.is_not(None), when, readable(subject, Matter))
            .order_by(Matter.id)
            .limit(EXPORT_LIMIT + 1)
        )
    ).scalars()
    return [loop.hotline_result(m) for m in rows]
