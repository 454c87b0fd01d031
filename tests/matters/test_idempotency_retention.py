"""Idempotency-Key records keep the first response, so the worker's rounds remove them after the retention period."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

from sqlalchemy import select, update

from matters.helpers import PHONE
from support.world import grid_point
from wangge.database import Database
from wangge.idempotency import IdempotencyKey
from wangge.models_common import utcnow
from wangge.notify.worker import OutboxWorker


def submit_with_key(client, key: str):
    lon, lat = grid_point("G1a")
    body = {"category": "sanitation", "description": "楼道堆物", "lat": lat, "lon": lon, "reporter_phone": PHONE}
    return client.post("/api/v1/public/matters", json=body, headers={"Idempotency-Key": key})


def run_rounds(live) -> dict[str, int]:
    done: list[dict[str, int]] = []

    async def run() -> None:
        db = Database(live.settings.database_url)
        try:
            async with OutboxWorker(db, live.settings) as worker:
                done.append(await worker.rounds())
        finally:
            await db.dispose()

    # The test's own thread has no event loop of its own to spare (the server runs in another one).
    t = threading.Thread(target=lambda: asyncio.run(run()))
    t.start()
    t.join()
    return done[0]


def test_idempotency_records_are_purged_by_the_rounds_after_the_retention_period(live, world, client):
    hours = live.settings.idempotency_retention_hours
    assert hours == 72  # the default the README promises
    first = submit_with_key(client, "old-key")
    recent = submit_with_key(client, "recent-key")
    assert first.status_code == recent.status_code == 201
    assert submit_with_key(client, "old-key").headers.get("idempotent-replayed") == "true"

    with live.session() as s:
        s.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.key == "old-key")
            .values(created_at=utcnow() - timedelta(hours=hours, minutes=5))
        )
        s.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.key == "recent-key")
            .values(created_at=utcnow() - timedelta(hours=hours, minutes=-5))
        )
        s.commit()

    assert run_rounds(live)["idempotency_purged"] == 1
    with live.session() as s:
        assert sorted(s.execute(select(IdempotencyKey.key)).scalars()) == ["recent-key"]
    assert run_rounds(live).get("idempotency_purged", 0) == 0  # nothing more to do

    # The forgotten key is new again; the kept one still replays.
    again = submit_with_key(client, "old-key")
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers
    assert again.json()["tracking_code"] != first.json()["tracking_code"]
    assert submit_with_key(client, "recent-key").headers.get("idempotent-replayed") == "true"
