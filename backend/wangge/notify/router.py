"""HTTP routes of the caller's in-app notifications: thin functions that hand the work to notify.service."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from wangge.accounts.dependencies import CurrentSubject
from wangge.deps import Limit, Offset, SessionDep
from wangge.notify import schemas, service
from wangge.schemas_common import Id, Page

router = APIRouter(tags=["Notifications"])


@router.get("/notifications", response_model=Page[schemas.NotificationOut])
async def list_notifications(
    db: SessionDep,
    subject: CurrentSubject,
    unread_only: Annotated[bool, Query(description="Only notifications not read yet")] = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The caller's notifications, newest first."""
    items, total = await service.list_mine(db, subject, unread_only=unread_only, limit=limit, offset=offset)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.post("/notifications/read-all", response_model=schemas.ReadAllOut)
async def read_all_notifications(db: SessionDep, subject: CurrentSubject) -> dict[str, int]:
    """Mark all of the caller's unread notifications read; says how many changed."""
    return {"updated": await service.mark_all_read(db, subject)}


@router.post("/notifications/{notification_id}/read", response_model=schemas.NotificationOut)
async def read_notification(db: SessionDep, subject: CurrentSubject, notification_id: Id) -> Any:
    """Mark one of the caller's notifications read (404 if it is not theirs)."""
    return await service.mark_read(db, subject, notification_id)
