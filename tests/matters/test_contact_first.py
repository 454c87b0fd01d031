"""Contact first 先行联系, then handle on the spot 现场处置 (DOMAIN.md: first-ask responsibility toward the resident,
and the response rate counts contacting the requester first): a matter whose requester left a phone is not handled
on the spot before the grid has contacted them, since handling closes it and the contact could never be recorded."""

from __future__ import annotations

from conftest import assert_problem
from matters.helpers import act, get, matter_id, submit
from support.world import grid_point


def _post(client, world, mid: int, action: str, body: dict):
    current = get(client, world, "grid_leader", mid)
    return client.post(
        f"/api/v1/matters/{mid}/actions/{action}",
        json=body,
        headers={**world.headers("grid_leader"), "If-Match": current.headers["etag"]},
    )


def test_a_residents_matter_is_handled_on_the_spot_only_after_the_first_contact(world, client, live):
    mid = matter_id(live, submit(client)["tracking_code"])
    m = get(client, world, "grid_leader", mid).json()
    assert "contact" in m["allowed_actions"] and "handle_on_spot" not in m["allowed_actions"]

    refused = assert_problem(_post(client, world, mid, "handle_on_spot", {"result": "已清运"}), 409)
    assert refused["code"] == "action-not-allowed" and "contact" in refused["allowed_actions"]
    assert get(client, world, "grid_leader", mid).json()["status"] == "submitted"  # nothing happened

    act(client, world, "grid_leader", mid, "contact", contact={"method": "phone", "agreed": "马上到现场"})
    assert "handle_on_spot" in get(client, world, "grid_leader", mid).json()["allowed_actions"]
    done = act(client, world, "grid_leader", mid, "handle_on_spot", result="已清运")
    assert done["status"] == "resolved" and done["route"] == "on_spot"
    loop = client.get(f"/api/v1/matters/{mid}/loop", headers=world.headers("grid_leader")).json()
    assert loop["contact"]["first_at"] is not None and loop["contact"]["on_time"] is True


def test_a_leaders_own_finding_with_nobody_to_contact_is_handled_on_the_spot_at_once(world, client, live):
    lon, lat = grid_point("G1a")
    body = {"category": "sanitation", "description": "路面有垃圾", "lat": lat, "lon": lon, "source": "field"}
    r = client.post("/api/v1/matters", headers=world.headers("grid_leader"), json=body)
    assert r.status_code == 201, r.text
    assert "handle_on_spot" in r.json()["allowed_actions"]


def test_entered_on_the_spot_with_the_requesters_phone_counts_as_contact_in_person(world, client, live):
    lon, lat = grid_point("G1a")
    body = {
        "category": "sanitation",
        "description": "垃圾桶满溢",
        "lat": lat,
        "lon": lon,
        "handled_on_spot": True,
        "result": "已清运",
        "reporter_phone": "13900001234",
    }
    r = client.post("/api/v1/matters", headers=world.headers("grid_leader"), json=body)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "resolved"
    mid = r.json()["id"]
    loop = client.get(f"/api/v1/matters/{mid}/loop", headers=world.headers("grid_leader")).json()
    [record] = loop["contact"]["records"]
    assert record["method"] == "visit" and loop["contact"]["on_time"] is True
    timeline = client.get(f"/api/v1/matters/{mid}/timeline", headers=world.headers("grid_leader")).json()
    steps = [e["action"] for e in timeline]
    assert steps.index("contact") < steps.index("handle_on_spot")
