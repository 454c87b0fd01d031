"""Matters written straight into the tables, each with exactly the facts a figure reads, so that a test can say
by hand what every figure must be."""

from __future__ import annotations

import asyncio
import secrets
import threading
from datetime import UTC, date, datetime
from typing import Any

from support.world import World, grid_point
from wangge.assessment import results
from wangge.database import Database
from wangge.matters.models import Application, Handoff, Matter
from wangge.workcalendar import SHANGHAI


def bj(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A Beijing wall-clock time as a UTC instant."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def add_matter(session: Any, world: World, *, grid: str = "G1a", category: str = "sanitation", **fields: Any) -> int:
    lon, lat = grid_point(grid)
    community = {"G1a": "C1", "G1b": "C1", "G2": "C2", "G3": "C3", "G4": "C4"}[grid]
    street = {"C1": "S1", "C2": "S1", "C3": "S2", "C4": "S3"}[community]
    district = "D2" if street == "S3" else "D1"
    values: dict[str, Any] = {
        "tracking_code": "WG" + secrets.token_hex(5).upper()[:10],
        "category_id": world.categories[category],
        "description": "测试事项",
        "lat": lat,
        "lon": lon,
        "district_id": world.ids[district],
        "street_id": world.ids[street],
        "community_id": world.ids[community],
        "grid_id": world.ids[grid],
        "source": "resident",
        "status": "submitted",
        "holder_level": "grid",
        "reopen_count": 0,
        "version": 1,
    }
    values.update(fields)
    values.setdefault("updated_at", values.get("created_at"))
    m = Matter(**values)
    session.add(m)
    session.flush()
    return m.id


def add_handoff(session: Any, matter_id: int, **fields: Any) -> None:
    values = {"from_level": "station", "from_status": "at_station", "to_level": "street", "reason": "上报"}
    values.update(fields)
    session.add(Handoff(matter_id=matter_id, **values))
    session.flush()


def add_application(session: Any, matter_id: int, **fields: Any) -> None:
    values = {"kind": "extension", "reason": "需协调", "holder_level": "grid", "approver_level": "station"}
    values.update(fields)
    session.add(Application(matter_id=matter_id, **values))
    session.flush()


def freeze(live: Any, month: date) -> int:
    """The month frozen as the worker freezes it (in a thread: the test's own loop may be busy)."""
    out: list[int] = []

    async def run() -> None:
        db = Database(live.settings.database_url, spatialite_library=live.settings.spatialite_library)
        try:
            async with db.sessionmaker() as session:
                out.append(await results.freeze_month(session, month=month))
                await session.commit()
        finally:
            await db.dispose()

    t = threading.Thread(target=lambda: asyncio.run(run()))
    t.start()
    t.join()
    return out[0]


def figures(client: Any, world: World, who: str, level: str, unit: str, **params: Any) -> dict[str, Any]:
    query = {"level": level, "id": world.ids[unit] if unit in world.ids else world.users[unit], **params}
    r = client.get("/api/v1/assessment/figures", params=query, headers=world.headers(who))
    assert r.status_code == 200, r.text
    return r.json()


def rate(num: int, den: int) -> dict[str, Any]:
    return {"num": num, "den": den, "value": round(num / den, 4) if den else None}
