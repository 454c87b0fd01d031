"""Writing to the outbox. `emit` adds an event to the caller's session, so it commits (or rolls back) together
with the change it announces; the worker (notify/worker.py) delivers it later."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from wangge.messages import DEFAULT_LANGUAGE, Text
from wangge.models_common import utcnow
from wangge.notify.models import OutboxEvent


def emit(
    db: AsyncSession,
    topic: str,
    payload: dict[str, Any],
    *,
    recipients: list[int] | None = None,
    units: list[dict[str, Any]] | None = None,
    exclude: int | None = None,
    title: str | Text = "",
    body: str | Text = "",
) -> OutboxEvent:
    """Queue an event. `recipients` (user ids) and the staff of `units` (see notify/recipients.py, resolved at
    delivery) get an in-app notification with `title` and `body`, except `exclude` (the one who made the change);
    every event also goes to the webhook (if one is configured) with `payload`.

    A title or body given in every language (wangge.messages.notice) is kept so in the payload (`texts`, the webhook
    sees them too) and each recipient's notification is written in their own language (users.language) when it is
    delivered; `title` and `body` stay the Chinese text."""
    texts = {
        language: {
            "title": title if isinstance(title, str) else title.get(language, ""),
            "body": body if isinstance(body, str) else body.get(language, ""),
        }
        for language in ("zh-CN", "en")
    }
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
            "notify": {
                "user_ids": sorted(set(recipients or []) - {exclude}),
                "units": units or [],
                "exclude": exclude,
                "title": texts[DEFAULT_LANGUAGE]["title"],
                "body": texts[DEFAULT_LANGUAGE]["body"],
                "texts": texts,
            },
        },
    )
    db.add(event)
    return event
