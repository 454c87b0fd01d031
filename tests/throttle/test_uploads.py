"""Uploads never attached to a matter (or named by a hazard) are removed, rows and files, by the worker's rounds
once they are older than `unattached_upload_hours`."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from sqlalchemy import select, update

from conftest import make_settings
from matters.helpers import submit
from throttle.test_public import png
from wangge.database import Database
from wangge.matters.models import Photo
from wangge.media import storage
from wangge.models_common import utcnow
from wangge.notify.worker import OutboxWorker
from wangge.station.models import Hazard


def rounds(live, **overrides) -> dict[str, int]:
    settings = make_settings(live.settings.database_url, **overrides)

    async def main() -> dict[str, int]:
        db = Database(settings.database_url)
        try:
            async with OutboxWorker(db, settings) as worker:
                return await worker.rounds()
        finally:
            await db.dispose()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


def upload(client, headers=None) -> dict:
    url = "/api/v1/photos" if headers else "/api/v1/public/photos"
    r = client.post(url, files={"file": ("a.png", png(), "image/png")}, headers=headers or {})
    assert r.status_code == 201, r.text
    return r.json()


def test_unattached_uploads_are_removed_after_a_day_with_their_files(world, client, live):
    store = storage.store_for(live.settings)
    public_unused = upload(client)
    staff_unused = upload(client, world.headers("grid_leader"))
    attached = upload(client)
    submit(client, photo_tokens=[attached["token"]])
    on_hazard = upload(client, world.headers("grid_leader"))  # hazards name photos by id, not on the photo
    fresh = upload(client)
    old = utcnow() - timedelta(hours=live.settings.unattached_upload_hours, minutes=5)
    with live.session() as s:
        s.execute(update(Photo).where(Photo.token != fresh["token"]).values(created_at=old))
        s.add(
            Hazard(
                community_id=world.ids["C1"],
                grid_id=world.ids["G1a"],
                place="楼道",
                hazard_type="fire",
                risk_level="low",
                description="杂物堆放",
                responsible_unit="物业",
                deadline=date(2026, 12, 31),
                photo_ids=[on_hazard["id"]],
            )
        )
        s.commit()
    for p in (public_unused, staff_unused, attached, on_hazard, fresh):
        assert store.find(p["token"], "public") is not None
    done = rounds(live)
    assert done["uploads_removed"] == 2
    with live.session() as s:
        left = set(s.execute(select(Photo.token)).scalars())
    assert left == {attached["token"], on_hazard["token"], fresh["token"]}
    for gone in (public_unused, staff_unused):
        assert not store.folder(gone["token"]).exists()
    for kept in (attached, on_hazard, fresh):
        assert store.find(kept["token"], "public") is not None
    assert rounds(live).get("uploads_removed", 0) == 0
