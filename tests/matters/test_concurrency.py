"""Concurrent writes on one matter: many requests with the same If-Match race; exactly one wins, the rest are told
the record moved (412) or conflicts (409) — never a 500 — and the timeline has the one event."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
from sqlalchemy import select

from conftest import assert_problem
from matters.helpers import get, matter_id, submit
from wangge.matters.models import MatterEvent


async def _burst(base_url: str, requests: list[tuple[str, str, dict[str, str]]]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as c:
        return await asyncio.gather(*(c.request(method, url, headers=headers) for method, url, headers in requests))


def test_200_identical_actions_with_one_etag_one_wins_and_one_event(world, client, live):
    mid = matter_id(live, submit(client)["tracking_code"])
    etag = get(client, world, "grid_leader", mid).headers["etag"]
    headers = {**world.headers("grid_leader"), "If-Match": etag}
    url = f"/api/v1/matters/{mid}/actions/accept"
    answers = asyncio.run(_burst(live.base_url, [("POST", url, headers)] * 200))
    statuses = Counter(r.status_code for r in answers)
    assert statuses[200] == 1, statuses
    assert set(statuses) <= {200, 409, 412}, statuses
    for r in answers:
        if r.status_code != 200:
            problem = assert_problem(r, r.status_code)
            assert problem["type"].rsplit("/", 1)[1] in ("precondition-failed", "edit-conflict", "action-not-allowed")
    with live.session() as s:
        accepted = s.execute(select(MatterEvent).where(MatterEvent.matter_id == mid, MatterEvent.action == "accept"))
        assert len(accepted.all()) == 1
    after = get(client, world, "grid_leader", mid)
    assert after.json()["status"] == "accepted" and after.headers["etag"] != etag


def test_a_weak_etag_is_refused(world, client, live):
    mid = matter_id(live, submit(client)["tracking_code"])
    etag = get(client, world, "grid_leader", mid).headers["etag"]
    url = f"/api/v1/matters/{mid}/actions/accept"
    weak = client.post(url, headers={**world.headers("grid_leader"), "If-Match": f"W/{etag}"})
    assert_problem(weak, 412)
    assert get(client, world, "grid_leader", mid).json()["status"] == "submitted"
    listed = client.post(url, headers={**world.headers("grid_leader"), "If-Match": f'"999", {etag}'})
    assert listed.status_code == 200, listed.text
