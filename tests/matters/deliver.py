"""Delivering the outbox in tests, through the real worker, and reading who was notified."""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy import select

from wangge.database import Database
from wangge.notify.models import Notification
from wangge.notify.worker import OutboxWorker


def deliver(live) -> int:
    """Run the worker until the outbox is empty (in a thread: the test's own loop may be busy)."""
    delivered: list[int] = []

    async def run() -> None:
        db = Database(live.settings.database_url)
        try:
            async with OutboxWorker(db, live.settings) as worker:
                while n := await worker.run_once():
                    delivered.append(n)
        finally:
            await db.dispose()

    t = threading.Thread(target=lambda: asyncio.run(run()))
    t.start()
    t.join()
    return sum(delivered)


def notified(live, user_id: int, topic: str | None = None) -> list[Notification]:
    with live.session() as s:
        q = select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
        if topic:
            q = q.where(Notification.topic == topic)
        return list(s.execute(q).scalars())
