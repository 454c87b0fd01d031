"""Small helpers for the people-and-posts tests: pair grids, ask for and approve leave, read on-duty answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from support.world import World


def pair(client, world: World, a: str = "G1a", b: str = "G1b", who: str = "station_chief") -> dict[str, Any]:
    r = client.post(
        "/api/v1/post-pairs", json={"grid_a_id": world.ids[a], "grid_b_id": world.ids[b]}, headers=world.headers(who)
    )
    assert r.status_code == 201, r.text
    return r.json()


def ask_leave(client, world: World, who: str, start: datetime, end: datetime, reason: str = "事假") -> dict[str, Any]:
    r = client.post(
        "/api/v1/leaves",
        json={"start_at": start.isoformat(), "end_at": end.isoformat(), "reason": reason},
        headers=world.headers(who),
    )
    assert r.status_code == 201, r.text
    return r.json()


def approve(client, world: World, leave_id: int, expect: int = 200, **body: Any) -> dict[str, Any]:
    r = client.post(f"/api/v1/leaves/{leave_id}/approve", json=body or None, headers=world.headers("station_chief"))
    assert r.status_code == expect, r.text
    return r.json()


def on_leave(client, world: World, who: str, start: datetime, end: datetime) -> dict[str, Any]:
    return approve(client, world, ask_leave(client, world, who, start, end)["id"])


def on_duty(client, world: World, grid: str, at: datetime | None = None, who: str = "station_chief") -> dict[str, Any]:
    params = {"at": at.isoformat()} if at is not None else {}
    r = client.get(f"/api/v1/grids/{world.ids[grid]}/on-duty", params=params, headers=world.headers(who))
    assert r.status_code == 200, r.text
    return r.json()
