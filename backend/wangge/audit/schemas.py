"""API shapes of the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from wangge.schemas_common import Output

Action = Literal["create", "update", "deactivate", "reactivate", "delete"]


class AuditEntryOut(Output):
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    action: Action
    entity: str
    entity_id: str
    label: str
    changes: dict[str, list[Any]]


class AuditPage(Output):
    items: list[AuditEntryOut]
    next_before: int | None  # pass as `before` for the next (older) page; null at the end
