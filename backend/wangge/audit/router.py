"""GET /audit: the log of administrative changes, newest first, filtered, a page at a time (keyset on id)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from wangge import policy
from wangge.accounts.dependencies import requires
from wangge.accounts.models import Role
from wangge.accounts.scope import Subject
from wangge.audit import schemas
from wangge.audit.models import AuditEntry
from wangge.deps import Limit, SessionDep
from wangge.schemas_common import Id

router = APIRouter(tags=["Audit"])
AuditReader = Annotated[Subject, requires(Role.administrator, doing="read the audit log: administrators do")]
Entity = Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]+$", description="user, grid, category, …")]


@router.get("/audit", response_model=schemas.AuditPage)
async def list_audit(
    db: SessionDep,
    subject: AuditReader,
    entity: Entity = None,
    entity_id: Annotated[str | None, Query(max_length=40)] = None,
    actor_id: Id | None = None,
    action: schemas.Action | None = None,
    since: Annotated[datetime | None, Query(description="At or after this time")] = None,
    until: Annotated[datetime | None, Query(description="Before this time")] = None,
    before: Annotated[
        Id | None, Query(description="Entries older than this id (the previous page's next_before)")
    ] = None,
    limit: Limit = 50,
) -> dict[str, Any]:
    conditions = [policy.readable(subject, AuditEntry)]
    for column, value in (
        (AuditEntry.entity, entity),
        (AuditEntry.entity_id, entity_id),
        (AuditEntry.actor_id, actor_id),
        (AuditEntry.action, action),
    ):
        if value is not None:
            conditions.append(column == value)
    if since is not None:
        conditions.append(AuditEntry.at >= since)
    if until is not None:
        conditions.append(AuditEntry.at < until)
    if before is not None:
        conditions.append(AuditEntry.id < before)
    rows = (
        (await db.execute(select(AuditEntry).where(*conditions).order_by(AuditEntry.id.desc()).limit(limit + 1)))
        .scalars()
        .all()
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_before": rows[-1].id if more else None}
