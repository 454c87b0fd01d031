"""Small helpers for matter tests: submit as a resident, act with the record's ETag, read the outbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from support.world import World, grid_point
from wangge.matters.models import Matter
from wangge.notify.models import OutboxEvent

PHONE = "13812345678"


def submit(client, category: str = "sanitation", grid: str = "G1a", **extra: Any) -> dict[str, Any]:
    lon, lat = grid_point(grid)
    body = {
        "category": category,
        "description": "居民反映的问题描述",  # Chinese, as a resident writes it (no English on a Chinese screen)
        "lat": lat,
        "lon": lon,
        "reporter_phone": PHONE,
        "reporter_name": "李阿姨",
        **extra,
    }
    r = client.post("/api/v1/public/matters", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def matter_id(live, code: str) -> int:
    with live.session() as s:
        return s.execute(select(Matter.id).where(Matter.tracking_code == code)).scalar_one()


def get(client, world: World, who: str, mid: int):
    return client.get(f"/api/v1/matters/{mid}", headers=world.headers(who))


def act(client, world: World, who: str, mid: int, action: str, expect: int = 200, **body: Any) -> dict[str, Any]:
    current = get(client, world, who, mid)
    assert current.status_code == 200, current.text
    r = client.post(
        f"/api/v1/matters/{mid}/actions/{action}",
        json=body or None,
        headers={**world.headers(who), "If-Match": current.headers["etag"]},
    )
    assert r.status_code == expect, r.text
    return r.json()


def rate(client, code: str, rating: str, comment: str | None = None, expect: int = 200) -> dict[str, Any]:
    r = client.post(
        f"/api/v1/public/matters/{code}/rating", json={"phone_last4": PHONE[-4:], "rating": rating, "comment": comment}
    )
    assert r.status_code == expect, r.text
    return r.json()


def events(live, topic: str | None = None) -> list[OutboxEvent]:
    with live.session() as s:
        q = select(OutboxEvent).order_by(OutboxEvent.id)
        if topic:
            q = q.where(OutboxEvent.topic == topic)
        return list(s.execute(q).scalars())
