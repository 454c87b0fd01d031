"""Writing to the outbox. `emit` adds an event to the caller's session, so it commits (or rolls back) together
with the change it announces; the worker (notify/worker.py) delivers it later."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from wangge.matters.models import OutboxEvent
from wangge.models_common import utcnow


def emit(
    db: AsyncSession,
    topic: str,
    payload: dict[str, Any],
    *,
    recipients: list[int] | None = None,
    title: str = "",
    body: str = "",
) -> OutboxEvent:
    """Queue an event. `recipients` are user ids that get an in-app notification with `title` and `body`;
    every event also goes to the webhook (if one is configured) with `payload`."""
    now = utcnow()
    event = OutboxEvent(
        event_id=str(uuid.uuid4()),
        topic=topic,
        created_at=now,
        available_at=now,
        attempts=0,
        payload={
            "topic": topic,
            "occurred_at": now.isoformat(),
            "data": payload,
            "notify": {"user_ids": sorted(set(recipients or [])), "title": title, "body": body},
        },
    )
    db.add(event)
    return event
