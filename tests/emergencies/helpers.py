"""Small helpers for emergency tests: raise an incident, send a report, set up a tier, move times back."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update

from support.world import World, grid_point

API = "/api/v1"
CASUALTIES = {"dead": 0, "injured": 1, "missing": 0}


def raise_incident(client, world: World, who: str = "grid_leader", grid: str | None = "G1a", **extra: Any) -> dict:
    body: dict[str, Any] = {"incident_type": "fire", "severity": 3, "title": "楼道起火", "place": "1栋2单元", **extra}
    if grid is not None:
        lon, lat = grid_point(grid)
        body.update(lat=lat, lon=lon)
    r = client.post(f"{API}/incidents", json=body, headers=world.headers(who))
    assert r.status_code == 201, r.text
    return r.json()


def report(client, world: World, incident_id: int, kind: str, who: str = "grid_leader", expect: int = 201) -> dict:
    body = {"kind": kind, "nature": "电动车充电起火", "casualties": CASUALTIES, "scene_status": "明火已扑灭"}
    r = client.post(f"{API}/incidents/{incident_id}/reports", json=body, headers=world.headers(who))
    assert r.status_code == expect, r.text
    return r.json()


def detail(client, world: World, incident_id: int, who: str = "station_chief") -> dict:
    r = client.get(f"{API}/incidents/{incident_id}", headers=world.headers(who))
    assert r.status_code == 200, r.text
    return r.json()


def put_tier(client, world: World, members: list[str], who: str = "station_chief", tier: int = 1, **extra: Any):
    body = {
        "unit_level": "community",
        "unit_id": world.ids["C1"],
        "tier": tier,
        "name": f"第{tier}出动层次",
        "members": [{"user_id": world.users[m], "duty": "现场处置"} for m in members],
        **extra,
    }
    return client.put(f"{API}/response-tiers", json=body, headers=world.headers(who))


def move_back(live, model: Any, row_id: int, minutes: float, *columns: str) -> None:
    """Move the given timestamp columns of one row `minutes` into the past."""
    with live.session() as s:
        row = s.get(model, row_id)
        values = {c: getattr(row, c) - timedelta(minutes=minutes) for c in columns}
        s.execute(update(model).where(model.id == row_id).values(**values))
        s.commit()
