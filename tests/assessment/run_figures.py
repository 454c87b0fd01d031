"""Running the figure functions of a family against a test database, and Beijing instants written as text."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime
from typing import Any

from wangge.database import Database
from wangge.workcalendar import SHANGHAI


def bj(text: str) -> datetime:
    """A Beijing wall-clock time "2026-11-09 07:00" as a UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).astimezone(UTC)


def run_figures(live: Any, fn: Any, **kwargs: Any) -> dict[int, dict[str, Any]]:
    """Call `fn(db, **kwargs)` on a session of its own, in a thread with its own event loop (the test's thread has
    none to spare: the server runs in another one)."""
    done: list[Any] = []

    async def run() -> None:
        db = Database(live.settings.database_url)
        try:
            async with db.sessionmaker() as session:
                done.append(await fn(session, **kwargs))
        finally:
            await db.dispose()

    t = threading.Thread(target=lambda: asyncio.run(run()))
    t.start()
    t.join()
    assert done, "the figures call failed (see the thread's traceback above)"
    return done[0]


def r(num: int, den: int) -> dict[str, Any]:
    """The rate shape a figure must equal."""
    return {"num": num, "den": den, "value": round(num / den, 4) if den else None}
