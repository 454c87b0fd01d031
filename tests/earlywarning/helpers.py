"""Helpers of the early-warning and district-report tests: issue a warning, and deliver the outbox through the real
worker to a real webhook receiver."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from typing import Any

from conftest import Live, make_settings
from support.world import World
from wangge.database import Database
from wangge.models_common import utcnow
from wangge.notify.worker import OutboxWorker

API = "/api/v1"
SECRET = "webhook-secret-for-warning-tests-0123"


def issue(client, world: World, grids: list[str], who: str = "street_officer", expect: int = 201, **extra: Any):
    body = {
        "kind": "rainstorm",
        "level": "red",
        "text": "今夜有特大暴雨，请立即巡查低洼地带",
        "valid_until": (utcnow() + timedelta(hours=12)).isoformat(),
        "grid_ids": [world.ids[g] for g in grids],
        **extra,
    }
    r = client.post(f"{API}/warnings", json=body, headers=world.headers(who))
    assert r.status_code == expect, r.text
    return r.json()


def deliver_to(live: Live, url: str) -> int:
    """Run the worker, posting to `url` signed with SECRET, until the outbox is empty."""
    settings = make_settings(live.settings.database_url, webhook_secret=SECRET, webhook_url=url)
    delivered: list[int] = []

    async def run() -> None:
        db = Database(settings.database_url)
        try:
            async with OutboxWorker(db, settings) as worker:
                while n := await worker.run_once():
                    delivered.append(n)
        finally:
            await db.dispose()

    t = threading.Thread(target=lambda: asyncio.run(run()))
    t.start()
    t.join()
    return sum(delivered)
