"""Response tiers 出动层次, activations and muster against the target, on both engines."""

from __future__ import annotations

from conftest import assert_problem
from emergencies.helpers import API, detail, move_back, put_tier, raise_incident
from matters.deliver import deliver, notified
from wangge.emergencies.models import Activation


def test_tiers_are_managed_data_with_members_of_the_unit(client, world):
    r = put_tier(client, world, ["grid_leader", "leader_g1b"])
    assert r.status_code == 200, r.text
    tier = r.json()
    assert tier["tier"] == 1 and [m["user_id"] for m in tier["members"]] == [
        world.users["grid_leader"],
        world.users["leader_g1b"],
    ]
    # Replacing keeps the tier, swaps the members.
    again = put_tier(client, world, ["grid_member"], name="社区书记和单位负责人").json()
    assert again["id"] == tier["id"] and again["name"] == "社区书记和单位负责人"
    assert [m["user_id"] for m in again["members"]] == [world.users["grid_member"]]
    # Members must be active users of the community; each once.
    assert_problem(put_tier(client, world, ["chief_c3"]), 422)
    assert_problem(put_tier(client, world, ["grid_leader", "grid_leader"]), 422)
    # Only the community's chief, or the street's officer/administrator.
    assert_problem(put_tier(client, world, ["grid_member"], who="chief_c3"), 403)
    assert_problem(put_tier(client, world, ["grid_member"], who="grid_leader"), 403)
    street = put_tier(
        client, world, ["street_officer"], who="administrator", unit_level="street", unit_id=world.ids["S1"], tier=3
    )
    assert street.status_code == 200, street.text

    listed = client.get(
        f"{API}/response-tiers", params={"unit_level": "community"}, headers=world.headers("grid_leader")
    ).json()
    assert [t["id"] for t in listed] == [tier["id"]]
    both = client.get(f"{API}/response-tiers", headers=world.headers("station_chief")).json()
    assert {t["unit_level"] for t in both} == {"community", "street"}
    assert client.get(f"{API}/response-tiers", headers=world.headers("chief_c3")).json() == []
    assert_problem(client.get(f"{API}/response-tiers", headers=world.headers("resident")), 403)


def test_activation_notifies_members_and_muster_times_against_the_target(client, world, live):
    tier = put_tier(client, world, ["grid_leader", "leader_g1b"]).json()
    inc = raise_incident(client, world)
    iid = inc["id"]
    r = client.post(
        f"{API}/incidents/{iid}/activations", json={"tier_id": tier["id"]}, headers=world.headers("station_chief")
    )
    assert r.status_code == 201, r.text
    a = r.json()
    assert a["target_minutes"] == 5 and a["all_arrived"] is False and a["within_target"] is None
    assert a["muster_seconds"] is None and a["mustered_at"] is None
    deliver(live)
    for who in ("grid_leader", "leader_g1b"):
        told = notified(live, world.users[who], "incident.activation")
        assert len(told) == 1 and told[0].title.startswith("出动通知"), who

    # Same tier twice: refused.
    again = client.post(
        f"{API}/incidents/{iid}/activations", json={"tier_id": tier["id"]}, headers=world.headers("street_officer")
    )
    assert_problem(again, 409)

    # The first member acknowledges and arrives at once; a repeat keeps the first times.
    leader = world.headers("grid_leader")
    acked = client.post(f"{API}/activations/{a['id']}/ack", headers=leader).json()
    first_ack = next(m for m in acked["members"] if m["user_id"] == world.users["grid_leader"])["acknowledged_at"]
    assert first_ack is not None
    client.post(f"{API}/activations/{a['id']}/arrive", headers=leader)
    twice = client.post(f"{API}/activations/{a['id']}/arrive", headers=leader).json()
    mine = next(m for m in twice["members"] if m["user_id"] == world.users["grid_leader"])
    assert mine["acknowledged_at"] == first_ack and mine["within_target"] is True and mine["muster_seconds"] <= 60
    assert twice["all_arrived"] is False and twice["within_target"] is None

    # Non-members: 404.
    assert_problem(client.post(f"{API}/activations/{a['id']}/ack", headers=world.headers("station_chief")), 404)

    # The call-out was 8 minutes ago: the second member arrives late, the target is missed.
    move_back(live, Activation, a["id"], 8, "activated_at")
    late = client.post(f"{API}/activations/{a['id']}/arrive", headers=world.headers("leader_g1b")).json()
    other = next(m for m in late["members"] if m["user_id"] == world.users["leader_g1b"])
    assert other["within_target"] is False and other["muster_seconds"] >= 8 * 60 - 5
    assert other["acknowledged_at"] == other["arrived_at"]
    assert late["all_arrived"] is True and late["within_target"] is False
    assert late["muster_seconds"] == other["muster_seconds"] and late["mustered_at"] == other["arrived_at"]
    # Moving the call-out back moved the first member's arrival to 8 minutes after it too: the console agrees.
    shown = detail(client, world, iid)["activations"]
    assert [x["id"] for x in shown] == [a["id"]] and shown[0]["within_target"] is False


def test_any_tier_any_order_and_all_within_target(client, world):
    put_tier(client, world, ["grid_leader"], tier=1)
    tier3 = put_tier(client, world, ["grid_member", "leader_g1b"], tier=3).json()
    inc = raise_incident(client, world)
    a = client.post(
        f"{API}/incidents/{inc['id']}/activations",
        json={"tier_id": tier3["id"]},
        headers=world.headers("street_officer"),
    ).json()
    for who in ("grid_member", "leader_g1b"):
        r = client.post(f"{API}/activations/{a['id']}/arrive", headers=world.headers(who))
        assert r.status_code == 200, r.text
    done = r.json()
    assert done["all_arrived"] is True and done["within_target"] is True and done["muster_seconds"] < 300
    assert all(m["within_target"] for m in done["members"])


def test_who_may_activate(client, world):
    tier = put_tier(client, world, ["grid_leader"]).json()
    inc = raise_incident(client, world)
    url = f"{API}/incidents/{inc['id']}/activations"
    assert_problem(client.post(url, json={"tier_id": tier["id"]}, headers=world.headers("grid_leader")), 403)
    assert_problem(client.post(url, json={"tier_id": tier["id"]}, headers=world.headers("chief_c3")), 404)
    assert_problem(client.post(url, json={"tier_id": tier["id"]}, headers=world.headers("resident")), 403)
    # A tier of another unit is not for this incident.
    other = put_tier(client, world, ["chief_c3"], who="chief_c3", unit_id=world.ids["C3"]).json()
    assert_problem(client.post(url, json={"tier_id": other["id"]}, headers=world.headers("station_chief")), 422)
