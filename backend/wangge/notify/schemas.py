"""API shapes of in-app notifications."""

from __future__ import annotations

from datetime import datetime

from wangge.schemas_common import Output


class NotificationOut(Output):
    id: int
    topic: str
    title: str
    body: str
    matter_id: int | None
    created_at: datetime
    read_at: datetime | None


class ReadAllOut(Output):
    updated: int
