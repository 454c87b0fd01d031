"""Small helpers for the sweeps' tests: houses in the registry, a campaign over grids, a tick."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from registries.helpers import house
from support.world import World
from wangge.sweeps.service import today

API = "/api/v1/sweeps"


def houses(client, world: World, grid: str, rooms: list[str], unit: str = "1", who: str = "station_chief"):
    return [house(client, world, grid=grid, room=room, unit=unit, who=who) for room in rooms]


def sweep(client, world: World, grids: list[str], who: str = "station_chief", expect: int = 201, **body: Any):
    payload = {
        "title": "冬季疫情排查",
        "purpose": "epidemic",
        "grid_ids": [world.ids[g] for g in grids],
        "start_on": today().isoformat(),
        "due_on": (today() + timedelta(days=7)).isoformat(),
        **body,
    }
    r = client.post(API, json=payload, headers=world.headers(who))
    assert r.status_code == expect, r.text
    return r.json()


def tasks(client, world: World, sweep_id: int, who: str = "station_chief", **params: Any) -> list[dict[str, Any]]:
    r = client.get(f"{API}/{sweep_id}/tasks", params=params, headers=world.headers(who))
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["total"] == len(page["items"])
    return page["items"]


def tick(client, world: World, sweep_id: int, task_id: int, who: str = "grid_leader", key: str | None = None, **body):
    headers = {**world.headers(who), **({"Idempotency-Key": key} if key else {})}
    return client.post(f"{API}/{sweep_id}/tasks/{task_id}/tick", json={"result": "normal", **body}, headers=headers)


def detail(client, world: World, sweep_id: int, who: str = "station_chief") -> dict[str, Any]:
    r = client.get(f"{API}/{sweep_id}", headers=world.headers(who))
    assert r.status_code == 200, r.text
    return r.json()
