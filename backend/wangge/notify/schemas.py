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
    # From the event the notification came from (none when the event has been purged), so the app can tell an
    # emergency or a tier call-out from ordinary news and open or answer it: the incident and the activation it
    # is about, what was done to the matter and its status after, and the place.
    incident_id: int | None = None
    activation_id: int | None = None
    action: str | None = None
    matter_status: str | None = None
    place: str | None = None
    # An early warning 预警: its id and level (blue, yellow, orange, red); orange and red open the full-screen alert.
    warning_id: int | None = None
    warning_level: str | None = None


class ReadAllOut(Output):
    updated: int
