"""Who a response tier may name: the unit's active staff, listed for the unit's managers only."""

from __future__ import annotations

from conftest import assert_problem


def test_a_chief_lists_their_communitys_staff_and_no_one_elses(world, client):
    chief = world.headers("station_chief")
    r = client.get(
        "/api/v1/response-tiers/candidates",
        params={"unit_level": "community", "unit_id": world.ids["C1"]},
        headers=chief,
    )
    assert r.status_code == 200, r.text
    names = {c["user_id"]: c for c in r.json()}
    assert world.users["grid_leader"] in names and world.users["station_chief"] in names
    assert world.users["resident"] not in names  # residents are not staff
    assert world.users["leader_g2"] not in names and world.users["chief_c3"] not in names  # other communities
    assert set(names[world.users["grid_leader"]]) == {"user_id", "name", "role"}  # no phone
    assert_problem(
        client.get(
            "/api/v1/response-tiers/candidates",
            params={"unit_level": "community", "unit_id": world.ids["C3"]},
            headers=chief,
        ),
        403,
    )
    assert_problem(
        client.get(
            "/api/v1/response-tiers/candidates",
            params={"unit_level": "community", "unit_id": world.ids["C1"]},
            headers=world.headers("grid_leader"),
        ),
        403,
    )


def test_a_street_lists_its_whole_staff(world, client):
    r = client.get(
        "/api/v1/response-tiers/candidates",
        params={"unit_level": "street", "unit_id": world.ids["S1"]},
        headers=world.headers("street_officer"),
    )
    assert r.status_code == 200, r.text
    ids = {c["user_id"] for c in r.json()}
    assert {world.users["grid_leader"], world.users["leader_g2"], world.users["street_officer"]} <= ids
    assert world.users["chief_c3"] not in ids  # another street's
