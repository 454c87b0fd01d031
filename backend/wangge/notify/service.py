"""A staff member's in-app notifications. Every query is limited to the caller's own rows in SQL, so someone
else's notification is simply not found."""

from __future__ import annotations

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.scope import Subject
from wangge.errors import NotFound
from wangge.models_common import utcnow
from wangge.notify.models import Notification


def _mine(subject: Subject) -> Select[tuple[Notification]]:
    return select(Notification).where(Notification.user_id == subject.user_id)


async def list_mine(
    db: AsyncSession, subject: Subject, *, unread_only: bool, limit: int, offset: int
) -> tuple[list[Notification], int]:
    query = _mine(subject)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    total = (await db.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = await db.execute(
        query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit).offset(offset)
    )
    return list(rows.scalars()), total


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
