"""The matters' part of the worker's periodic round: overdue notices to the owner and the level up, and public
notice periods that ended."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from wangge import messages
from wangge.errors import Conflict
from wangge.matters.flow import Action, Status
from wangge.matters.models import Matter, MatterEvent
from wangge.matters.service import _payload, act, status_names, unit_of
from wangge.models_common import utcnow
from wangge.notify.outbox import emit


async def _claim(db: AsyncSession, m: Matter, column: Any, now: datetime) -> bool:
    """Mark `column` of `m` as told, unless another worker did first. A plain UPDATE (not the ORM's) so the record's
    version, and so its ETag, stays as it is."""
    claimed = await db.execute(
        update(Matter)
        .where(Matter.id == m.id, column.is_(None))
        .values({column.key: now})
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def _system_event(db: AsyncSession, m: Matter, action: str, now: datetime, data: dict[str, Any]) -> None:
    db.add(
        MatterEvent(
            matter_id=m.id,
            at=now,
            actor_label="system",
            action=action,
            from_status=m.status,
            to_status=m.status,
            data=data,
        )
    )


async def notify_overdue(db: AsyncSession) -> int:
    """Tell the owner and the next level up, once per step, that a step is overdue. Run by the worker; with several
    workers, the conditional update lets exactly one of them announce each step."""
    now = utcnow()
    rows = list(
        (
            await db.execute(
                select(Matter)
                .where(
                    Matter.open_due_at < now,  # open, and a step is overdue (partial index ix_matters_open_due)
                    Matter.overdue_notified_at.is_(None),
                )
                .limit(200)
            )
        ).scalars()
    )
    up = {"grid": "station", "station": "street", "street": "street", "department": "street"}
    told = 0
    for m in rows:
        if not await _claim(db, m, Matter.overdue_notified_at, now):
            continue
        told += 1
        emit(
            db,
            "matter.overdue",
            _payload(m, due_at=(m.sign_due_at or m.due_at).isoformat()),
            recipients=[m.owner_id] if m.owner_id else [],
            units=[unit_of(m, m.holder_level, m.holder_department_id), unit_of(m, up.get(m.holder_level, "street"))],
            title=messages.notice("matter-overdue", code=m.tracking_code),
            body=status_names(m.status),
        )
        _system_event(db, m, "overdue", now, {})
    await db.commit()
    return told


async def notify_contact_late(db: AsyncSession) -> int:
    """Tell the holder and the first-ask owner, once, that nobody has contacted the requester within the category's
    limit (先行联系). Read off the partial index of the uncontacted open matters; claimed like the overdue notices."""
    now = utcnow()
    rows = list(
        (
            await db.execute(
                select(Matter)
                .where(
                    Matter.open_due_at.is_not(None),
                    Matter.contact_due_at.is_not(None),
                    Matter.first_contact_at.is_(None),
                    Matter.contact_notified_at.is_(None),
                    Matter.contact_due_at < now,
                )
                .limit(200)
            )
        ).scalars()
    )
    told = 0
    for m in rows:
        if not await _claim(db, m, Matter.contact_notified_at, now):
            continue
        told += 1
        emit(
            db,
            "matter.contact_late",
            _payload(m, contact_due_at=m.contact_due_at.isoformat()),
            recipients=[m.owner_id] if m.owner_id else [],
            units=[unit_of(m, m.holder_level, m.holder_department_id)],
            title=messages.notice("contact-late", code=m.tracking_code),
            body=messages.notice("contact-late-body"),
        )
        _system_event(db, m, "contact_late", now, {"contact_due_at": m.contact_due_at.isoformat()})
    await db.commit()
    return told


async def end_due_notices(db: AsyncSession) -> int:
    """Public notices whose period is over and that drew no objection end by themselves. Run by the worker; if
    another worker or a person got there first, the record's version has moved and this one steps back."""
    now = utcnow()
    ids = list(
        (
            await db.execute(
                select(Matter.id).where(Matter.status == Status.public_notice, Matter.notice_ends_at <= now).limit(100)
            )
        ).scalars()
    )
    ended = 0
    for matter_id in ids:
        try:
            m = await db.get(Matter, matter_id)
            if m is None or m.status != Status.public_notice:
                continue
            await act(db, None, m, Action.end_notice.value, None, system=True)
            await db.commit()
            ended += 1
        except (StaleDataError, Conflict):
            await db.rollback()
    return ended


async def periodic(db: AsyncSession) -> dict[str, int]:
    """The matters' share of the worker's rounds: overdue notices, late first contacts and notice periods that
    ended."""
    return {
        "overdue": await notify_overdue(db),
        "contact_late": await notify_contact_late(db),
        "notices_ended": await end_due_notices(db),
    }
