"""The same GPS batch sent many times at once (a phone retrying on a bad network): one is stored, and every answer
is the same — the first answer, the others marked as replays — never a 500."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
from sqlalchemy import func, select

from wangge.fieldwork.models import PatrolBatch

from .test_patrols import started, stored_points, walk


async def _send_all(base_url: str, url: str, body: dict, headers: dict, n: int) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as c:
        return await asyncio.gather(*(c.post(url, json=body, headers=headers) for _ in range(n)))


def test_50_copies_of_one_batch_at_once_store_it_once_and_answer_the_same(world, client, live):
    patrol = started(client, world)
    body = {"batch_id": "batch-1", "points": walk(500)}  # big enough that the copies overlap
    headers = {**world.headers("grid_leader"), "Idempotency-Key": "batch-1"}
    answers = asyncio.run(_send_all(live.base_url, f"/api/v1/patrols/{patrol['id']}/points", body, headers, 50))
    assert Counter(r.status_code for r in answers) == {200: 50}, [r.text for r in answers if r.status_code != 200][:3]
    assert len({r.content for r in answers}) == 1  # byte for byte the first answer
    assert answers[0].json()["new_points"] == 500
    assert sum(r.headers.get("idempotent-replayed") == "true" for r in answers) == 49
    assert stored_points(live, patrol["id"]) == 500
    with live.session() as s:
        assert s.execute(select(func.count()).select_from(PatrolBatch)).scalar_one() == 1
