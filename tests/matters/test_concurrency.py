"""Concurrent writes on one matter: many requests with the same If-Match race; exactly one wins, the rest are told
the record moved (412) or conflicts (409) — never a 500 — and the timeline has the one event."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest
from sqlalchemy import select

from conftest import assert_problem
from matters.helpers import get, matter_id, submit
from station.helpers import at_station, items_by_matter
from wangge.matters.models import MatterEvent

CONFLICT_CODES = ("precondition-failed", "edit-conflict", "write-conflict", "action-not-allowed")


async def _burst(base_url: str, requests: list[tuple[str, str, dict[str, str]]], json=None) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as c:
        return await asyncio.gather(
            *(c.request(method, url, headers=headers, json=json) for method, url, headers in requests)
        )


def _one_winner(answers: list[httpx.Response], also: tuple[str, ...] = ()) -> Counter:
    statuses = Counter(r.status_code for r in answers)
    assert statuses[200] == 1, statuses
    assert set(statuses) <= {200, 409, 412}, statuses
    for r in answers:
        if r.status_code != 200:
            assert assert_problem(r, r.status_code)["type"].rsplit("/", 1)[1] in CONFLICT_CODES + also
    return statuses


def test_200_identical_actions_with_one_etag_one_wins_and_one_event(world, client, live):
    mid = matter_id(live, submit(client)["tracking_code"])
    etag = get(client, world, "grid_leader", mid).headers["etag"]
    headers = {**world.headers("grid_leader"), "If-Match": etag}
    url = f"/api/v1/matters/{mid}/actions/accept"
    _one_winner(asyncio.run(_burst(live.base_url, [("POST", url, headers)] * 200)))
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


def test_concurrent_triage_decisions_on_one_item_one_wins_the_rest_409(world, client, live):
    # The meeting's decision acts on the matter too (no If-Match there): the matter's version still decides.
    chief = world.headers("station_chief")
    mid = at_station(client, live, world)
    meeting = client.post("/api/v1/triage/meetings", headers=chief, json={}).json()
    item = items_by_matter(meeting)[mid]["item_id"]
    url = f"/api/v1/triage/meetings/{meeting['id']}/items/{item}/decide"
    decision = {"decision": "close", "reason": "经核实已处理"}
    answers = asyncio.run(_burst(live.base_url, [("POST", url, chief)] * 40, json=decision))
    _one_winner(answers, also=("already-decided",))  # the item's own answer to a request that came after
    with live.session() as s:
        closes = s.execute(select(MatterEvent).where(MatterEvent.matter_id == mid, MatterEvent.action == "close"))
        assert len(closes.all()) == 1
    assert get(client, world, "station_chief", mid).json()["status"] == "closed"


def test_sqlite_database_is_locked_is_a_503_busy_to_retry(world, client, live):
    """Past SQLite's busy timeout other writers held its single write lock that long: the service is busy (load),
    not a conflict over the same rows, so 503 `busy` with Retry-After, which the app's outbox retries by itself."""
    if live.engine_name != "sqlite":
        pytest.skip("SQLite's single writer only")
    mid = matter_id(live, submit(client)["tracking_code"])
    etag = get(client, world, "grid_leader", mid).headers["etag"]
    headers = {**world.headers("grid_leader"), "If-Match": etag}
    url = f"/api/v1/matters/{mid}/actions/accept"
    with live.sync_engine.connect() as conn:
        # Another process holds the write lock past the busy timeout (10 s): the request cannot write.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            blocked = client.post(url, headers=headers)
        finally:
            conn.exec_driver_sql("ROLLBACK")
    problem = assert_problem(blocked, 503)
    assert problem["code"] == "busy" and blocked.headers["retry-after"] == "1"
    assert client.post(url, headers=headers).status_code == 200  # nothing was half-written: the retry succeeds
