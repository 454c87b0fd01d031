"""Small helpers for the station's tests: matters brought back to the station, a meeting's items by matter."""

from __future__ import annotations

from typing import Any

from matters.helpers import act, matter_id, submit


def at_station(client, live, world, category: str = "sanitation", grid: str = "G1a", **extra: Any) -> int:
    """A resident's request in `grid`, brought back to the station by the chief."""
    mid = matter_id(live, submit(client, category, grid, **extra)["tracking_code"])
    act(client, world, "station_chief", mid, "bring_back", reason="网格内处理不了，带回服务站")
    return mid


def items_by_matter(meeting: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {i["matter"]["id"]: i for g in meeting["groups"] for i in g["items"]}
