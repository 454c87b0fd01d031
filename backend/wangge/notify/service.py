"""A staff member's in-app notifications. Every query is limited to the caller's own rows in SQL, so someone
else's notification is simply not found."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.scope import Subject
from wangge.errors import NotFound
from wangge.models_common import utcnow
from wangge.notify.models import Notification, OutboxEvent


def _mine(subject: Subject) -> Select[tuple[Notification]]:
    return select(Notification).where(Notification.user_id == subject.user_id)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def notification_out(n: Notification, payload: dict[str, Any] | None) -> dict[str, Any]:
    """The notification with the facts of its event that tell what kind of news it is."""
    data = (payload or {}).get("data") or {}
    if not isinstance(data, dict):
        data = {}
    return {
        "id": n.id,
        "topic": n.topic,
        "title": n.title,
        "body": n.body,
        "matter_id": n.matter_id,
        "created_at": n.created_at,
        "read_at": n.read_at,
        "incident_id": _int(data.get("incident_id")),
        "activation_id": _int(data.get("activation_id")),
        "action": _str(data.get("action")),
        "matter_status": _str(data.get("status")),
        "place": _str(data.get("place")),
        "warning_id": _int(data.get("warning_id")),
        "warning_level": _str(data.get("level")) if _int(data.get("warning_id")) else None,
    }


async def list_mine(
    db: AsyncSession, subject: Subject, *, unread_only: bool, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    query = _mine(subject)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    total = (await db.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = await db.execute(
        query.add_columns(OutboxEvent.payload)
        .outerjoin(OutboxEvent, OutboxEvent.event_id == Notification.event_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [notification_out(n, payload) for n, payload in rows.all()], total


async def mark_read(db: AsyncSession, subject: Subject, notification_id: int) -> Notification:
    """Mark one notification read; reading it again keeps the first time it was read."""
    found = (await db.execute(_mine(subject).where(Notification.id == notification_id))).scalar()
    if found is None:
        raise NotFound(f"No notification {notification_id}")
    if found.read_at is None:
        found.read_at = utcnow()
        await db.commit()
    return found


async def mark_all_read(db: AsyncSession, subject: Subject) -> int:
    result = await db.execute(
        update(Notification)
        .where(Notification.user_id == subject.user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    await db.commit()
    return result.rowcount
