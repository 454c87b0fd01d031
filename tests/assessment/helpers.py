"""Matters written straight into the tables, each with exactly the facts a figure reads, so that a test can say
by hand what every figure must be."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from support.world import World, grid_point
from wangge.matters.models import Matter
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
