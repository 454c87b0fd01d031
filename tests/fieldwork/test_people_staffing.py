"""What the staffing screens (网格人员) ask beyond the people API: the suggested A/B pairs of a community (adjacent by
the rule POST /post-pairs applies, neither grid paired yet) and the grid leaders a chief may name, on both engines."""

from __future__ import annotations

from conftest import assert_problem
from fieldwork.people_helpers import pair
from support.world import ORIGINS, square_geojson

API = "/api/v1"


def suggestions(client, world, who: str = "station_chief", community: str = "C1") -> list[dict]:
    r = client.get(
        f"{API}/post-pairs/suggestions", params={"community_id": world.ids[community]}, headers=world.headers(who)
    )
    assert r.status_code == 200, r.text
    return r.json()


def as_codes(found: list[dict]) -> list[tuple[str, str]]:
    return [(s["grid_a"]["code"], s["grid_b"]["code"]) for s in found]


def add_grid(client, world, dx: float, dy: float, code: str) -> dict:
    """A 0.002° square in C1's free north half, its south-west corner `dx`, `dy` degrees from C1's."""
    lon, lat = ORIGINS["C1"]
    r = client.post(
        f"{API}/grids",
        json={
            "community_id": world.ids["C1"],
            "code": world.codes["C1"] + code,
            "name": f"北{code}网格",
            "kind": "other",
            "geometry": square_geojson(lon + dx, lat + dy, 0.002),
        },
        headers=world.headers("administrator"),
    )
    assert r.status_code == 201, r.text
    return r.json()


def test_touching_grids_are_suggested_until_one_of_them_is_paired(world, client):
    found = suggestions(client, world)
    assert as_codes(found) == [(world.codes["G1a"], world.codes["G1b"])]
    assert found[0]["distance_m"] == 0
    assert found[0]["grid_a"]["leader"]["id"] == world.users["grid_leader"]
    assert found[0]["grid_b"]["leader"]["id"] == world.users["leader_g1b"]

    made = pair(client, world, "G1a", "G1b")
    assert suggestions(client, world) == []
    ended = client.post(f"{API}/post-pairs/{made['id']}/end", headers=world.headers("station_chief"))
    assert ended.status_code == 200, ended.text
    assert as_codes(suggestions(client, world, who="administrator")) == [(world.codes["G1a"], world.codes["G1b"])]


def test_suggestions_follow_the_pairing_distance_and_every_one_is_accepted(world, client, live):
    # G1a and G1b are 0.003° squares along C1's south edge. `near` lies 0.0015° (about 165 m) north of G1a and about
    # 175 m from G1b's corner: within the 200 m of the rule though touching neither; `far` is over 400 m from all.
    near = add_grid(client, world, 0.0005, 0.0045, "011")
    add_grid(client, world, 0.0075, 0.0065, "012")
    found = suggestions(client, world)
    g1a, g1b = world.codes["G1a"], world.codes["G1b"]
    assert as_codes(found) == [(g1a, g1b), (g1a, near["code"]), (g1b, near["code"])]
    by_pair = {(s["grid_a"]["code"], s["grid_b"]["code"]): s for s in found}
    assert 150 < by_pair[(g1a, near["code"])]["distance_m"] < 200
    assert by_pair[(g1a, near["code"])]["distance_m"] <= live.settings.pair_max_distance_m

    # Accepting one suggestion (the POST agrees it is adjacent) takes the other pairs of its grids off the list.
    accepted = by_pair[(g1a, near["code"])]
    r = client.post(
        f"{API}/post-pairs",
        json={"grid_a_id": accepted["grid_a"]["id"], "grid_b_id": accepted["grid_b"]["id"]},
        headers=world.headers("station_chief"),
    )
    assert r.status_code == 201, r.text
    assert suggestions(client, world) == []

    # A deactivated grid is not suggested.
    client.post(f"{API}/post-pairs/{r.json()['id']}/end", headers=world.headers("station_chief"))
    off = client.post(f"{API}/grids/{near['id']}/deactivate", headers=world.headers("administrator"))
    assert off.status_code == 200, off.text
    assert as_codes(suggestions(client, world)) == [(g1a, g1b)]


def test_suggestions_are_read_in_scope(world, client):
    c1 = world.ids["C1"]
    assert as_codes(suggestions(client, world, who="grid_leader")) == [(world.codes["G1a"], world.codes["G1b"])]
    assert len(suggestions(client, world, who="street_officer")) == 1
    for who, status in (("chief_c4", 404), ("chief_c3", 404), ("department_officer", 403), ("resident", 403)):
        r = client.get(f"{API}/post-pairs/suggestions", params={"community_id": c1}, headers=world.headers(who))
        assert_problem(r, status)


def test_a_chief_lists_the_grid_leaders_to_name_and_names_one(world, client):
    c1 = world.ids["C1"]
    r = client.get(f"{API}/communities/{c1}/leader-candidates", headers=world.headers("station_chief"))
    assert r.status_code == 200, r.text
    found = {c["user_id"]: c for c in r.json()}
    assert set(found) == {world.users["grid_leader"], world.users["leader_g1b"]}  # no chief, member or resident
    assert found[world.users["leader_g1b"]] == {
        "user_id": world.users["leader_g1b"],
        "name": "leader_g1b的名字",
        "role": "grid_leader",
        "grid_id": world.ids["G1b"],
    }  # no phone

    admin = client.get(f"{API}/communities/{c1}/leader-candidates", headers=world.headers("administrator"))
    assert {c["user_id"] for c in admin.json()} == set(found)
    c2 = client.get(f"{API}/communities/{world.ids['C2']}/leader-candidates", headers=world.headers("administrator"))
    assert [c["user_id"] for c in c2.json()] == [world.users["leader_g2"]]

    for who, status in (("chief_c3", 404), ("chief_c4", 404), ("street_officer", 403), ("grid_leader", 403)):
        assert_problem(client.get(f"{API}/communities/{c1}/leader-candidates", headers=world.headers(who)), status)
    assert_problem(
        client.get(f"{API}/communities/{world.ids['C2']}/leader-candidates", headers=world.headers("station_chief")),
        404,
    )

    # The candidate of G1b is the one PUT /leader accepts for it.
    named = client.put(
        f"{API}/grids/{world.ids['G1b']}/leader",
        json={"user_id": world.users["leader_g1b"]},
        headers=world.headers("station_chief"),
    )
    assert named.status_code == 200, named.text
