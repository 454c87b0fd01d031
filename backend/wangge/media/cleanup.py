"""Removing uploads nobody used: a photo uploaded (publicly or by staff) but attached to no matter and named by no
hazard within `unattached_upload_hours` is deleted, row and files, by the worker's periodic rounds. Anonymous
uploads of several megabytes each would otherwise be kept forever."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.config import Settings
from wangge.matters.models import Photo
from wangge.media import storage
from wangge.station.models import Hazard

BATCH = 500


async def purge_unattached(db: AsyncSession, settings: Settings, *, now: datetime) -> int:
    """Delete up to BATCH unattached photos older than the setting; the rows first (a photo attached meanwhile is
    kept: the DELETE checks again), then their files. Returns how many were removed."""
    cutoff = now - timedelta(hours=settings.unattached_upload_hours)
    candidates = list(
        (
            await db.execute(
                select(Photo.id)
                .where(Photo.matter_id.is_(None), Photo.created_at < cutoff)
                .order_by(Photo.id)
                .limit(BATCH)
            )
        ).scalars()
    )
    if not candidates:
        return 0
    # Hazards name their photos in a list, not by a column on the photo.
    named: set[int] = set()
    for ids in (await db.execute(select(Hazard.photo_ids))).scalars():
        named.update(ids or ())
    unused = [pid for pid in candidates if pid not in named]
    if not unused:
        return 0
    tokens = list(
        (
            await db.execute(
                delete(Photo).where(Photo.id.in_(unused), Photo.matter_id.is_(None)).returning(Photo.token)
            )
        ).scalars()
    )
    await db.commit()
    await asyncio.to_thread(storage.store_for(settings).remove, tokens)
    return len(tokens)
