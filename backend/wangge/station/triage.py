"""The daily triage meeting 每天一研判: the agenda of what was brought back to the station since the last meeting,
the chief's decision on each item (acting on the matter through its own transition rules), attendance, minutes and
the lock that closing puts on it. Also the supervision notes 督办 a chief or the street adds to a matter."""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import messages
from wangge.accounts.models import Role, User
from wangge.accounts.scope import Subject
from wangge.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from wangge.hierarchy.models import Community, Grid
from wangge.matters import service as matters
from wangge.matters import views as matter_views
from wangge.matters.flow import Status
from wangge.matters.models import Category, Matter, MatterEvent
from wangge.matters.schemas import ActionIn
from wangge.models_common import utcnow
from wangge.notify.outbox import emit
from wangge.policy import readable
from wangge.station.models import SupervisionNote, TriageAttendee, TriageItem, TriageMeeting
from wangge.workcalendar import SHANGHAI

# Before any meeting: the first meeting's agenda is every matter at the station.
BEGINNING = datetime(2000, 1, 1, tzinfo=UTC)
SUPERVISORS = {Role.station_chief.value, Role.street_officer.value, Role.administrator.value}


def beijing_today() -> date:
    return utcnow().astimezone(SHANGHAI).date()


def _require_staff(subject: Subject) -> None:
    if subject.role == Role.resident:
        raise Forbidden("Residents may not read the station's meetings")


def _require_chief(subject: Subject, community_id: int) -> None:
    if subject.role != Role.station_chief or subject.community_id != community_id:
        raise Forbidden("Only the station chief of the community runs its triage meeting")


async def visible_community(db: AsyncSession, subject: Subject, community_id: int) -> Community:
    c = (await db.execute(select(Community).where(Community.id == community_id, readable(subject, Community)))).scalar()
    if c is None:
        raise NotFound(f"No community with id {community_id} in your scope")
    return c


async def in_visible_community(db: AsyncSession, subject: Subject, model: Any, obj_id: int, label: str) -> Any:
    """A row of `model` (which has a `community_id`) whose community the subject may see; NotFound otherwise."""
    obj = (
        await db.execute(
            select(model)
            .join(Community, Community.id == model.community_id)
            .where(model.id == obj_id, readable(subject, Community))
        )
    ).scalar()
    if obj is None:
        raise NotFound(f"No {label} with id {obj_id} in your scope")
    return obj


# --- meetings ----------------------------------------------------------------------------------------------------


async def _agenda(db: AsyncSession, community_id: int, since: datetime, first: bool) -> list[Matter]:
    """Matters at the station brought back (or taken at the front desk) after `since`; all of them the first time."""
    q = select(Matter).where(
        Matter.community_id == community_id,
        Matter.open_due_at.is_not(None),  # the community's open matters (a partial index), then the station's
        Matter.status == Status.at_station.value,
    )
    if not first:  # brought back since: asked of each candidate's own events, never of the whole trail
        q = q.where(
            exists().where(
                MatterEvent.matter_id == Matter.id,
                MatterEvent.action.in_(("bring_back", "create")),
                MatterEvent.to_status == Status.at_station.value,
                MatterEvent.at > since,
            )
        )
    return list((await db.execute(q.order_by(Matter.id))).scalars())


async def open_meeting(db: AsyncSession, *, subject: Subject, day: date | None) -> TriageMeeting:
    if subject.role != Role.station_chief or subject.community_id is None:
        raise Forbidden("Only a station chief opens a triage meeting")
    day = day or beijing_today()
    community_id = subject.community_id
    exists = (
        await db.execute(
            select(TriageMeeting.id).where(TriageMeeting.community_id == community_id, TriageMeeting.day == day)
        )
    ).scalar()
    if exists is not None:
        raise Conflict(f"The meeting of {day.isoformat()} is already open (id {exists})", meeting_id=exists)
    previous = (
        await db.execute(select(func.max(TriageMeeting.opened_at)).where(TriageMeeting.community_id == community_id))
    ).scalar()
    now = utcnow()
    meeting = TriageMeeting(
        community_id=community_id,
        day=day,
        chair_id=subject.user_id,
        opened_at=now,
        minutes="",
        since=previous or BEGINNING,
    )
    db.add(meeting)
    await db.flush()
    for m in await _agenda(db, community_id, meeting.since, first=previous is None):
        db.add(TriageItem(meeting_id=meeting.id, matter_id=m.id))
    await db.commit()
    return meeting


async def get_meeting(db: AsyncSession, *, subject: Subject, meeting_id: int) -> TriageMeeting:
    _require_staff(subject)
    return await in_visible_community(db, subject, TriageMeeting, meeting_id, "triage meeting")


async def list_meetings(
    db: AsyncSession, *, subject: Subject, community_id: int | None, day: date | None
) -> list[dict[str, Any]]:
    _require_staff(subject)
    q = (
        select(TriageMeeting, Community.name)
        .join(Community, Community.id == TriageMeeting.community_id)
        .where(readable(subject, Community))
    )
    if community_id is not None:
        q = q.where(TriageMeeting.community_id == community_id)
    if day is not None:
        q = q.where(TriageMeeting.day == day)
    rows = (await db.execute(q.order_by(TriageMeeting.day.desc(), TriageMeeting.id.desc()).limit(200))).all()
    counts = dict(
        (
            await db.execute(
                select(TriageItem.meeting_id, func.count())
                .where(TriageItem.meeting_id.in_([m.id for m, _ in rows] or [0]))
                .group_by(TriageItem.meeting_id)
            )
        ).all()
    )
    return [
        {
            "id": m.id,
            "day": m.day,
            "community": {"id": m.community_id, "name": name},
            "opened_at": m.opened_at,
            "closed_at": m.closed_at,
            "items": counts.get(m.id, 0),
        }
        for m, name in rows
    ]


async def meeting_out(db: AsyncSession, meeting: TriageMeeting) -> dict[str, Any]:
    community = await db.get(Community, meeting.community_id)
    rows = (
        await db.execute(
            select(TriageItem, Matter, Category, Grid)
            .join(Matter, Matter.id == TriageItem.matter_id)
            .join(Category, Category.id == Matter.category_id)
            .outerjoin(Grid, Grid.id == Matter.grid_id)
            .where(TriageItem.meeting_id == meeting.id)
            .order_by(Category.sort_order, Category.id, TriageItem.id)
        )
    ).all()
    attendees = list(
        (
            await db.execute(
                select(TriageAttendee).where(TriageAttendee.meeting_id == meeting.id).order_by(TriageAttendee.id)
            )
        ).scalars()
    )
    names = await matter_views.names_of(db, {meeting.chair_id} | {i.assignee_user_id for i, *_ in rows})
    groups: OrderedDict[int, dict[str, Any]] = OrderedDict()
    for item, m, cat, grid in rows:
        group = groups.setdefault(
            cat.id, {"category": {"code": cat.code, "name": cat.name_zh}, "count": 0, "items": []}
        )
        group["count"] += 1
        group["items"].append(
            {
                "item_id": item.id,
                "matter": {
                    "id": m.id,
                    "tracking_code": m.tracking_code,
                    "description": m.description,
                    "grid": {"id": grid.id, "name": grid.name} if grid else None,
                    "status": m.status,
                },
                "decision": item.decision,
                "assignee": item.assignee,
                "assignee_user": {"id": item.assignee_user_id, "name": names.get(item.assignee_user_id, "")}
                if item.assignee_user_id
                else None,
                "note": item.note,
                "decided_at": item.decided_at,
            }
        )
    return {
        "id": meeting.id,
        "day": meeting.day,
        "community": {"id": community.id, "name": community.name},
        "chair": {"id": meeting.chair_id, "name": names.get(meeting.chair_id, "")},
        "opened_at": meeting.opened_at,
        "closed_at": meeting.closed_at,
        "since": meeting.since,
        "minutes": meeting.minutes,
        "attendees": [{"user_id": a.user_id, "name": a.name, "role": a.role} for a in attendees],
        "groups": list(groups.values()),
    }


def _check_open(meeting: TriageMeeting) -> None:
    if meeting.closed_at is not None:
        raise Conflict("The meeting is closed", code="meeting-closed")


async def _assignee_in_community(db: AsyncSession, user_id: int, community_id: int) -> User:
    user = await db.get(User, user_id)
    if user is None or not user.is_active or user.community_id != community_id:
        raise Invalid(
            f"No active staff member {user_id} in this community",
            errors=[{"loc": ["body", "assignee_user_id"], "msg": "unknown user", "type": "value_error"}],
        )
    return user


async def _decide_one(db: AsyncSession, subject: Subject, meeting: TriageMeeting, item: TriageItem, body: Any) -> None:
    """Apply one decision to its matter (not committed): the matter's own transition rules decide."""
    if item.decision is not None:
        raise Conflict(f"The item was already decided ({item.decision})", code="already-decided")
    m = await db.get(Matter, item.matter_id)
    data: dict[str, Any] = {"meeting_id": meeting.id, "decision": body.decision}
    if body.decision == "station":
        if m.status != Status.at_station:
            raise Conflict(
                f"'station' is not allowed while the matter is {m.status}; it is no longer at the station",
                code="action-not-allowed",
                current_status=m.status,
            )
        if body.assignee_user_id is not None:
            await _assignee_in_community(db, body.assignee_user_id, meeting.community_id)
        data.update(assignee=body.assignee, assignee_user_id=body.assignee_user_id, note=body.note)
        matters.record(db, m, subject, "triage", m.status, m.status, data)
        if body.assignee_user_id is not None:
            emit(
                db,
                "matter.assigned",
                {"matter_id": m.id, "tracking_code": m.tracking_code, "meeting_id": meeting.id, "status": m.status},
                recipients=[body.assignee_user_id],
                exclude=subject.user_id,
                title=messages.notice("triage-assigned", code=m.tracking_code),
                body=(body.note or m.description)[:60],
            )
    else:
        action = {"escalate": "escalate", "close": "close", "merge": "merge"}[body.decision]
        reason = body.reason or (body.note if body.decision in ("close", "escalate") else None)
        await matters.act(db, subject, m, action, ActionIn(reason=reason, target=body.target, into=body.into))
    item.decision = body.decision
    item.assignee = body.assignee
    item.assignee_user_id = body.assignee_user_id
    item.note = body.note or body.reason
    item.decided_at = utcnow()
    item.decided_by_id = subject.user_id


async def _item(db: AsyncSession, meeting: TriageMeeting, item_id: int) -> TriageItem:
    item = (
        await db.execute(select(TriageItem).where(TriageItem.id == item_id, TriageItem.meeting_id == meeting.id))
    ).scalar()
    if item is None:
        raise NotFound(f"No item {item_id} in this meeting")
    return item


async def decide(db: AsyncSession, *, subject: Subject, meeting: TriageMeeting, item_id: int, body: Any) -> None:
    _require_chief(subject, meeting.community_id)
    _check_open(meeting)
    item = await _item(db, meeting, item_id)
    await _decide_one(db, subject, meeting, item, body)
    await db.commit()


async def decide_batch(db: AsyncSession, *, subject: Subject, meeting: TriageMeeting, body: Any) -> dict[str, Any]:
    """Each item on its own: apply and commit, or roll that one back and say why; the others are not held up."""
    _require_chief(subject, meeting.community_id)
    _check_open(meeting)
    meeting_id = meeting.id
    applied: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    for item_id in dict.fromkeys(body.item_ids):
        try:
            meeting = await db.get(TriageMeeting, meeting_id)
            item = await _item(db, meeting, item_id)
            await _decide_one(db, subject, meeting, item, body)
            await db.commit()
            m = await db.get(Matter, item.matter_id)
            applied.append(
                {"item_id": item_id, "matter_id": m.id, "tracking_code": m.tracking_code, "status": m.status}
            )
        except DomainError as exc:
            await db.rollback()  # this item only: the ones before it are committed
            row = (
                await db.execute(
                    select(Matter.id, Matter.tracking_code, Matter.status)
                    .join(TriageItem, TriageItem.matter_id == Matter.id)
                    .where(TriageItem.id == item_id, TriageItem.meeting_id == meeting_id)
                )
            ).first()
            refused.append(
                {
                    "item_id": item_id,
                    "matter_id": row[0] if row else None,
                    "tracking_code": row[1] if row else None,
                    "status": exc.status,
                    "code": exc.code,
                    "detail": exc.detail,
                }
            )
    return {"decision": body.decision, "applied": applied, "refused": refused}


async def set_attendees(db: AsyncSession, *, subject: Subject, meeting: TriageMeeting, attendees: list[Any]) -> None:
    _require_chief(subject, meeting.community_id)
    _check_open(meeting)
    names = [a.name for a in attendees]
    if len(set(names)) != len(names):
        raise Invalid(
            "Each attendee is listed once", errors=[{"loc": ["body"], "msg": "duplicate name", "type": "value_error"}]
        )
    for a in attendees:
        if a.user_id is not None and await db.get(User, a.user_id) is None:
            raise Invalid(
                f"No user {a.user_id}",
                errors=[{"loc": ["body", "user_id"], "msg": "unknown user", "type": "value_error"}],
            )
    for old in (await db.execute(select(TriageAttendee).where(TriageAttendee.meeting_id == meeting.id))).scalars():
        await db.delete(old)
    await db.flush()
    for a in attendees:
        db.add(TriageAttendee(meeting_id=meeting.id, user_id=a.user_id, name=a.name, role=a.role))
    await db.commit()


async def set_minutes(db: AsyncSession, *, subject: Subject, meeting: TriageMeeting, text: str) -> None:
    _require_chief(subject, meeting.community_id)
    _check_open(meeting)
    meeting.minutes = text
    await db.commit()


async def close_meeting(db: AsyncSession, *, subject: Subject, meeting: TriageMeeting) -> list[dict[str, Any]]:
    """Lock the meeting. Items left undecided are allowed; they are named in the answer and in the minutes."""
    _require_chief(subject, meeting.community_id)
    _check_open(meeting)
    meeting.closed_at = utcnow()
    await db.commit()
    return await undecided(db, meeting)


async def undecided(db: AsyncSession, meeting: TriageMeeting) -> list[dict[str, Any]]:
    rows = (
        await db.execute(
            select(TriageItem.id, Matter.id, Matter.tracking_code)
            .join(Matter, Matter.id == TriageItem.matter_id)
            .where(TriageItem.meeting_id == meeting.id, TriageItem.decision.is_(None))
            .order_by(TriageItem.id)
        )
    ).all()
    return [{"item_id": i, "matter_id": mid, "tracking_code": code} for i, mid, code in rows]


# --- supervision 督办 ----------------------------------------------------------------------------------------------


async def add_supervision_note(db: AsyncSession, *, subject: Subject, matter_id: int, text: str) -> SupervisionNote:
    m = await matters.get_visible(db, subject, matter_id)
    note = SupervisionNote(matter_id=m.id, author_id=subject.user_id, text=text, created_at=utcnow())
    db.add(note)
    matters.record(db, m, subject, "supervise", m.status, m.status, {"text": text[:500]})
    emit(
        db,
        "matter.supervised",
        {"matter_id": m.id, "tracking_code": m.tracking_code, "status": m.status, "text": text},
        recipients=[m.owner_id] if m.owner_id else [],
        units=[matters.unit_of(m, m.holder_level, m.holder_department_id)],
        exclude=subject.user_id,
        title=messages.notice("supervised", code=m.tracking_code),
        body=text[:60],
    )
    await db.commit()
    return note


async def supervision_notes(db: AsyncSession, *, subject: Subject, matter_id: int) -> list[dict[str, Any]]:
    m = await matters.get_visible(db, subject, matter_id)
    rows = list(
        (
            await db.execute(
                select(SupervisionNote).where(SupervisionNote.matter_id == m.id).order_by(SupervisionNote.id)
            )
        ).scalars()
    )
    names = await matter_views.names_of(db, {n.author_id for n in rows})
    return [note_out(n, names.get(n.author_id, "")) for n in rows]


def note_out(n: SupervisionNote, author: str = "") -> dict[str, Any]:
    return {
        "id": n.id,
        "matter_id": n.matter_id,
        "author": {"id": n.author_id, "name": author},
        "text": n.text,
        "created_at": n.created_at,
    }
