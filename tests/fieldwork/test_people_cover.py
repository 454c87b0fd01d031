"""Matters follow cover: during an approved leave a new matter of the grid reaches the A/B partner, who sees it,
may act on it and is notified; after the leave new matters are the leader's again, while the partner keeps the
matter they took during cover as its first-ask owner."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from fieldwork.people_helpers import on_leave, pair
from matters.deliver import deliver, notified
from matters.helpers import act, get, matter_id, submit
from wangge.fieldwork.models import Leave
from wangge.models_common import utcnow

API = "/api/v1"


def _created_for(live, user_id: int, mid: int) -> bool:
    return any(n.matter_id == mid for n in notified(live, user_id, "matter.created"))


def _unit_box(client, world, who: str) -> set[int]:
    r = client.get(f"{API}/matters?box=unit", headers=world.headers(who))
    assert r.status_code == 200, r.text
    return {m["id"] for m in r.json()["items"]}


def test_cover_during_leave_routes_a_new_matter_to_the_partner_and_back_after(world, client, live):
    pair(client, world, "G1a", "G1b")
    now = utcnow()
    leave = on_leave(client, world, "grid_leader", now - timedelta(hours=1), now + timedelta(days=1))
    leader, partner = world.users["grid_leader"], world.users["leader_g1b"]

    # During the leave: the resident's matter in G1a reaches the partner, who can see and accept it.
    during = matter_id(live, submit(client, grid="G1a")["tracking_code"])
    deliver(live)
    assert _created_for(live, partner, during)
    assert not _created_for(live, world.users["leader_g2"], during)
    m = get(client, world, "leader_g1b", during)
    assert m.status_code == 200, m.text
    assert "accept" in m.json()["allowed_actions"]
    assert m.json()["covered_by"] == {"id": partner, "name": "leader_g1b的名字"}
    assert during in _unit_box(client, world, "leader_g1b")
    cover = client.get(f"{API}/fieldwork/cover", headers=world.headers("leader_g1b")).json()
    assert [c["grid"]["id"] for c in cover["covering"]] == [world.ids["G1a"]] and cover["covered_by"] is None
    mine = client.get(f"{API}/fieldwork/cover", headers=world.headers("grid_leader")).json()
    assert mine["covering"] == [] and mine["covered_by"]["user"]["id"] == partner
    accepted = act(client, world, "leader_g1b", during, "accept")
    assert accepted["owner"]["id"] == partner and accepted["status"] == "accepted"
    # A grid member of G1b is not a leader: the cover is the leader's, not the partner grid's whole team.
    assert get(client, world, "grid_member", during).status_code == 200  # G1a's own member still sees it

    # The leave ends (moved into the past through the database).
    with live.session() as s:
        s.execute(update(Leave).where(Leave.id == leave["id"]).values(end_at=utcnow() - timedelta(minutes=1)))
        s.commit()
    after = matter_id(live, submit(client, grid="G1a")["tracking_code"])
    deliver(live)
    assert not _created_for(live, partner, after)
    assert _created_for(live, leader, after)
    assert get(client, world, "leader_g1b", after).status_code == 404
    assert after not in _unit_box(client, world, "leader_g1b")
    back = get(client, world, "grid_leader", after).json()
    assert "accept" in back["allowed_actions"] and back["covered_by"] is None
    # The matter taken during cover stays the partner's: they own it toward the resident (first-ask).
    kept = get(client, world, "leader_g1b", during)
    assert kept.status_code == 200 and kept.json()["owner"]["id"] == partner and kept.json()["covered_by"] is None
    assert kept.json()["allowed_actions"] == []  # no longer the grid's staff there, so no grid actions


def test_no_cover_without_approval_or_when_both_are_away(world, client, live):
    pair(client, world, "G1a", "G1b")
    now = utcnow()
    # A requested (not yet approved) leave does not move work.
    r = client.post(
        f"{API}/leaves",
        json={"start_at": (now - timedelta(hours=1)).isoformat(), "end_at": (now + timedelta(days=1)).isoformat()},
        headers=world.headers("grid_leader"),
    )
    assert r.status_code == 201
    first = matter_id(live, submit(client, grid="G1a")["tracking_code"])
    assert get(client, world, "leader_g1b", first).status_code == 404
    # Both away (accepted by the chief): nobody covers, the partner is not handed the grid.
    on_leave(client, world, "leader_g1b", now - timedelta(hours=2), now + timedelta(days=2))
    r = client.post(
        f"{API}/leaves/{r.json()['id']}/approve",
        json={"accept_both_away": True},
        headers=world.headers("station_chief"),
    )
    assert r.status_code == 200 and r.json()["both_away"]
    second = matter_id(live, submit(client, grid="G1a")["tracking_code"])
    assert get(client, world, "leader_g1b", second).status_code == 404
    duty = client.get(f"{API}/grids/{world.ids['G1a']}/on-duty", headers=world.headers("station_chief")).json()
    assert duty["user"] is None and duty["reason"] == "both away"
    assert get(client, world, "grid_leader", second).json()["covered_by"] is None
