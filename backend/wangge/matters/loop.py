"""The steps around the routes (issue 11), as effects of the transition table's rows (flow.py): contact first
先行联系, applications for an extension 延期 or a suspension 缓办 and their decision, verification 核查 before
closing, callbacks 回访, mediation 调解 and joint handling 协商; and what goes back to the 12345 hotline.

Imported by service.py after its own effects (their EFFECTS join the table's); the queues and the record's view of
these steps are in matters.loop_views.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.errors import Conflict, Invalid
from wangge.hierarchy.models import Department
from wangge.matters import flow
from wangge.matters.flow import Action, Status
from wangge.matters.models import Application, Cooperator, Matter, Mediation, MediationSession
from wangge.models_common import as_utc
from wangge.notify.outbox import emit
from wangge.workcalendar import SHANGHAI, TimeLimit

# How the app and the notifications name the steps that keep the state.
STEP_ZH = {
    "contact": "已先行联系",
    "apply_extension": "申请延期",
    "apply_suspension": "申请缓办",
    "approve_application": "申请已批准",
    "refuse_application": "申请未批准",
    "mediate": "调解记录",
    "coordinate": "协商协办",
    "record_part": "协办情况",
}
KIND_ZH = {"extension": "延期", "suspension": "缓办"}
DEFAULT_RULES: dict[str, Any] = {
    "contact": None,
    "extension": {"max_count": 2, "max_days": 10},
    "suspension": {"max_count": 1, "max_days": 30},
    "verify": False,
    "close_on": "rating",
    "callback_after_days": 3,
    "callback_tries": 3,
    "mediation": False,
}


def rules_of(category: Any) -> dict[str, Any]:
    """The category's loop rules over the defaults (a category saved before 0016 has none)."""
    return {**DEFAULT_RULES, **(getattr(category, "loop_rules", None) or {})}


def invalid(field: str, message: str, *, code: str | None = None) -> Invalid:
    return Invalid(
        message, code=code, errors=[{"loc": ["body", *field.split(".")], "msg": message, "type": "value_error"}]
    )


def end_of_day(day: date) -> datetime:
    """The end of `day` in Beijing, as the deadline a date names."""
    return datetime.combine(day, time(23, 59, 59), SHANGHAI)


def contact_due(cal: Any, category: Any, m: Matter, now: datetime) -> datetime | None:
    """When the requester must be contacted by: the category's limit in working time, for a matter with a phone."""
    limit = rules_of(category).get("contact")
    if not m.reporter_phone or not limit:
        return None
    return cal.deadline(now, TimeLimit.from_dict(limit))


# --- contact first -------------------------------------------------------------------------------------------------


async def _contact(s: Any) -> None:
    c, m = s.field("contact"), s.m
    at = as_utc(c.at) if c.at is not None else s.now
    if at > s.now + timedelta(minutes=5):
        raise invalid("contact.at", "A contact cannot be in the future")
    if at < as_utc(m.created_at) - timedelta(minutes=5):
        raise invalid("contact.at", "A contact cannot be before the matter came in")
    if m.first_contact_at is None or at < as_utc(m.first_contact_at):
        m.first_contact_at = at
    due = as_utc(m.contact_due_at) if m.contact_due_at else None
    s.data["contact"] = {
        "method": c.method,
        "answered": c.answered,
        "tries": c.tries,
        "at": at.isoformat(),
        "agreed": c.agreed,
        "on_time": due is None or at <= due,
    }


# --- extensions and suspensions ------------------------------------------------------------------------------------


async def _apply_for(s: Any) -> None:
    from wangge.matters.service import APPROVER_LEVEL

    m = s.m
    kind = "extension" if s.action == Action.apply_extension else "suspension"
    limits = rules_of(s.category)[kind] or {}
    used = (
        await s.db.execute(
            select(func.count())
            .select_from(Application)
            .where(Application.matter_id == m.id, Application.kind == kind, Application.decision == "approved")
        )
    ).scalar_one()
    if used >= int(limits.get("max_count", 0)):
        raise Conflict(
            f"This category allows {limits.get('max_count', 0)} {kind}(s) per matter; {used} already approved",
            code="application-limit",
        )
    until = end_of_day(s.field("until"))
    base = as_utc(m.due_at) if (kind == "extension" and m.due_at) else s.now
    if until <= base:
        what = "the current deadline" if kind == "extension" else "today"
        raise invalid("until", f"The date must be after {what}", code="application-date")
    if (until - base) > timedelta(days=int(limits.get("max_days", 0)) + 1):
        raise invalid(
            "until",
            f"This category allows a {kind} of at most {limits.get('max_days', 0)} days",
            code="application-too-long",
        )
    s.db.add(
        Application(
            matter_id=m.id,
            kind=kind,
            reason=s.field("reason"),
            until=until,
            due_at_before=m.due_at,
            holder_level=m.holder_level,
            approver_level=APPROVER_LEVEL.get(m.holder_level, "station"),
            applied_by_id=s.subject.user_id if s.subject else None,
            applied_at=s.now,
        )
    )
    m.pending_application = kind
    s.data.update(kind=kind, until=until.isoformat())


async def pending_of(db: AsyncSession, m: Matter) -> Application | None:
    found = await db.execute(
        select(Application)
        .where(Application.matter_id == m.id, Application.decision.is_(None))
        .order_by(Application.id.desc())
        .limit(1)
    )
    return found.scalar()


async def _decide(s: Any) -> None:
    m = s.m
    app = await pending_of(s.db, m)
    if app is None:  # the column said pending, the table does not: put the column right and refuse
        m.pending_application = None
        raise Conflict("No application awaits a decision", code="action-not-allowed")
    approved = s.action == Action.approve_application
    app.decision = "approved" if approved else "refused"
    app.decision_note = s.field("reason")
    app.decided_by_id = s.subject.user_id if s.subject else None
    app.decided_at = s.now
    m.pending_application = None
    s.data.update(kind=app.kind, until=as_utc(app.until).isoformat())
    if not approved:
        return  # the deadline stays where it was
    if app.kind == "extension":
        m.due_at = app.until
    else:
        # Suspended 缓办 until the date: the clocks stop meanwhile, so each deadline moves by the time suspended.
        paused = as_utc(app.until) - s.now
        m.suspended_until = app.until
        m.due_at = as_utc(m.due_at) + paused if m.due_at else None
        m.sign_due_at = as_utc(m.sign_due_at) + paused if m.sign_due_at else None
    m.overdue_notified_at = None
    s.data["due_at"] = as_utc(m.due_at).isoformat() if m.due_at else None


async def withdraw_pending(db: AsyncSession, m: Matter, now: datetime) -> None:
    """The matter moved on (resolved, handed up, closed) while an application waited: it lapses."""
    app = await pending_of(db, m)
    if app is not None:
        app.decision, app.decided_at, app.decision_note = "withdrawn", now, None
    m.pending_application = None


# --- verification --------------------------------------------------------------------------------------------------


async def _verify(s: Any) -> None:
    from wangge.matters.intake import staff_photos

    m = s.m
    photos = await staff_photos(s.db, s.subject, list(s.field("photos") or []), "photos")
    for p in photos:
        p.matter_id = m.id
    m.verified_at, m.verified_by_id = s.now, s.subject.user_id if s.subject else None
    if rules_of(s.category)["close_on"] == "verification":
        m.status, m.closed_at = Status.closed, s.now
    else:
        m.status = Status.resolved  # now the resident rates it (or the station calls them back)
    m.sign_due_at = m.due_at = None
    s.data.update(note=s.field("note"), photos=[p.token for p in photos])


async def _send_back(s: Any) -> None:
    from wangge.matters.service import _clock

    m = s.m
    m.status = m.handler_status or Status.at_station  # back to the handler, at the level that held it
    if m.status == Status.submitted:  # resolved on the spot as it came in: the grid has it in hand now
        m.status = Status.accepted
    m.resolved_at = m.resolved_by_id = None
    m.result = m.outcome = None  # the verifier did not accept it (the timeline keeps what it said)
    _clock(s)


# --- callbacks -----------------------------------------------------------------------------------------------------


async def _callback(s: Any) -> None:
    from wangge.matters import service

    m, answer, note = s.m, s.field("answer"), s.field("note")
    rules = rules_of(s.category)
    s.data.update(answer=answer, note=note)
    if answer == "unreachable":
        m.callback_tries = (m.callback_tries or 0) + 1
        s.data["tries"] = m.callback_tries
        if m.callback_tries >= int(rules["callback_tries"]):
            # Nobody answered after the tries the category asks for: closed without a rating.
            m.status, m.closed_at = Status.closed, s.now
            s.data["closed_unreachable"] = True
        return
    m.rating, m.rating_comment, m.rated_at, m.rating_source = answer, note, s.now, "callback"
    if answer != "not_satisfied":
        m.status, m.closed_at = Status.closed, s.now
        return
    # Not satisfied: reopened as the resident's own rating would (the same handler first, then the station).
    reopen = Action(service.reopen_as_rating(m))
    s.data["reopened"] = reopen.value
    inner = service.Step(
        s.db, m, s.category, s.subject, reopen, flow.TABLE[(Status.resolved, reopen)], s.body, s.now, s.cal, s.data
    )
    await service._reopen(inner)


# --- mediation -----------------------------------------------------------------------------------------------------


async def _mediate(s: Any) -> None:
    m, session = s.m, s.field("session")
    if session.held_on > s.now.astimezone(SHANGHAI).date():
        raise invalid("session.held_on", "A session cannot be held in the future")
    if session.outcome == "agreed" and not session.agreement:
        raise invalid("session.agreement", "An agreement needs its text", code="agreement-required")
    med = await s.db.get(Mediation, m.id)
    if med is None:
        med = Mediation(matter_id=m.id, parties=[])
        s.db.add(med)
    if session.parties is not None:
        med.parties = [p.model_dump() for p in session.parties]
    if session.agreement:
        med.agreement = session.agreement
    if session.follow_up_on is not None:
        med.follow_up_on = session.follow_up_on
    med.outcome = session.outcome
    med.updated_at = s.now
    s.db.add(
        MediationSession(
            matter_id=m.id,
            held_on=session.held_on,
            mediators=session.mediators,
            outcome=session.outcome,
            note=session.note,
            recorded_by_id=s.subject.user_id if s.subject else None,
            recorded_at=s.now,
        )
    )
    # The event names the session, never the parties (personal data stays in the mediation's own row).
    s.data["session"] = {"held_on": session.held_on.isoformat(), "outcome": session.outcome}


# --- joint handling ------------------------------------------------------------------------------------------------


async def _coordinate(s: Any) -> None:
    m = s.m
    wanted = list(dict.fromkeys(s.field("departments") or []))
    found = {
        d.id: d
        for d in (await s.db.execute(select(Department).where(Department.id.in_(wanted)))).scalars()
        if d.is_active
        and d.district_id == m.district_id
        and (d.street_id is None or d.street_id == m.street_id)
        and d.id != m.holder_department_id
    }
    unknown = [i for i in wanted if i not in found]
    if unknown:
        raise invalid(
            "departments", f"No other active department {unknown[0]} serves this place", code="cooperator-department"
        )
    already = set((await s.db.execute(select(Cooperator.department_id).where(Cooperator.matter_id == m.id))).scalars())
    added = [i for i in wanted if i not in already]
    for dept_id in added:
        s.db.add(
            Cooperator(
                matter_id=m.id,
                department_id=dept_id,
                added_by_id=s.subject.user_id if s.subject else None,
                added_at=s.now,
            )
        )
    s.data.update(departments=added, names=[found[i].name for i in added])


async def _record_part(s: Any) -> None:
    coop = (
        await s.db.execute(
            select(Cooperator).where(
                Cooperator.matter_id == s.m.id, Cooperator.department_id == s.subject.department_id
            )
        )
    ).scalar_one()
    coop.part, coop.part_by_id, coop.part_at = s.field("part"), s.subject.user_id, s.now
    s.data.update(part=s.field("part"), department_id=coop.department_id)


EFFECTS: dict[Action, Callable[[Any], Awaitable[None]]] = {
    Action.contact: _contact,
    Action.apply_extension: _apply_for,
    Action.apply_suspension: _apply_for,
    Action.approve_application: _decide,
    Action.refuse_application: _decide,
    Action.verify: _verify,
    Action.send_back: _send_back,
    Action.callback: _callback,
    Action.mediate: _mediate,
    Action.coordinate: _coordinate,
    Action.record_part: _record_part,
}


# --- back to the hotline -------------------------------------------------------------------------------------------

FINISHED = (Status.resolved, Status.closed, Status.merged)


def hotline_result(m: Matter) -> dict[str, Any]:
    """A hotline order's result in the import's terms (its order_no), with the times the platform assesses."""

    def iso(value: datetime | None) -> str | None:
        return as_utc(value).isoformat() if value else None

    return {
        "order_no": m.external_id,
        "tracking_code": m.tracking_code,
        "status": m.status,
        "outcome": m.outcome,
        "result": m.result,
        "received_at": iso(m.created_at),
        "first_contact_at": iso(m.first_contact_at),
        "resolved_at": iso(m.resolved_at),
        "closed_at": iso(m.closed_at),
        "due_at": iso(m.due_at or m.resolved_due_at),
        "rating": m.rating,
        "rating_source": m.rating_source,
    }


def tell_hotline(db: AsyncSession, m: Matter, step: Any, from_status: str) -> None:
    """An order from the 12345 hotline goes back to it: its result when it is first finished, and each extension
    or suspension approved (the webhook carries them; GET /matters/hotline/results exports the same rows)."""
    if m.source != "hotline" or not m.external_id:
        return
    if m.status in FINISHED and from_status not in FINISHED:
        emit(db, "hotline.result", hotline_result(m))
    elif step.action == Action.approve_application:
        emit(
            db,
            "hotline.extension",
            {**hotline_result(m), "kind": step.data.get("kind"), "until": step.data.get("until")},
        )
