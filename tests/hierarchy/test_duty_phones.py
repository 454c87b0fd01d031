"""Administrators publish a grid's duty number and a station's duty phone, and record whether a person allows their
own phone on public pages — each change audited, a number that is not one refused with `phone-invalid`."""

from __future__ import annotations

import pytest

from conftest import assert_problem
from support.world import grid_point

API = "/api/v1"


def _audit(client, world, entity: str, entity_id: int) -> list[dict]:
    r = client.get(
        f"{API}/audit", params={"entity": entity, "entity_id": str(entity_id)}, headers=world.headers("administrator")
    )
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_a_grids_duty_phone_is_set_shown_cleared_and_audited(world, client):
    admin, gid = world.headers("administrator"), world.ids["G1a"]
    r = client.patch(f"{API}/grids/{gid}", json={"duty_phone": " 0731-8888  6666 "}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["duty_phone"] == "0731-8888 6666"  # spaces tidied
    assert client.get(f"{API}/grids/{gid}", headers=admin).json()["duty_phone"] == "0731-8888 6666"
    listed = client.get(f"{API}/grids", params={"community_id": world.ids["C1"]}, headers=admin).json()["items"]
    assert {g["id"]: g["duty_phone"] for g in listed}[gid] == "0731-8888 6666"
    # Other fields change without touching it; null (or an empty text) clears it.
    assert client.patch(f"{API}/grids/{gid}", json={"households": 7}, headers=admin).json()["duty_phone"]
    assert client.patch(f"{API}/grids/{gid}", json={"duty_phone": None}, headers=admin).json()["duty_phone"] is None
    assert client.patch(f"{API}/grids/{gid}", json={"duty_phone": "+86 731 12345"}, headers=admin).status_code == 200
    assert client.patch(f"{API}/grids/{gid}", json={"duty_phone": ""}, headers=admin).json()["duty_phone"] is None
    # Typed with a Chinese input method: full-width digits and dash.
    r = client.patch(f"{API}/grids/{gid}", json={"duty_phone": "０７３１－８８８８"}, headers=admin)
    assert r.json()["duty_phone"] == "0731-8888"

    changes = [e["changes"].get("duty_phone") for e in _audit(client, world, "grid", gid)]
    assert [None, "0731-8888 6666"] in changes and ["0731-8888 6666", None] in changes
    assert all(e["actor_id"] == world.users["administrator"] for e in _audit(client, world, "grid", gid))


@pytest.mark.parametrize(
    "bad", ["phone", "0731-", "-0731", "12", "0731--8888/6666", "1" * 31, "0731 8888 转 1", "+-1234", "٠٧٣١٢"]
)
def test_a_number_that_is_not_one_is_refused_with_its_code(world, client, bad):
    admin = world.headers("administrator")
    r = client.patch(f"{API}/grids/{world.ids['G1a']}", json={"duty_phone": bad}, headers=admin)
    body = assert_problem(r, 422)
    assert body["code"] == "phone-invalid" and body["errors"][0]["loc"] == ["body", "duty_phone"]
    r = client.patch(f"{API}/communities/{world.ids['C1']}", json={"duty_phone": bad}, headers=admin)
    assert assert_problem(r, 422)["code"] == "phone-invalid"
    assert client.get(f"{API}/grids/{world.ids['G1a']}", headers=admin).json()["duty_phone"] is None


def test_a_stations_duty_phone_belongs_to_its_community_and_is_audited(world, client):
    admin, cid = world.headers("administrator"), world.ids["C1"]
    r = client.patch(f"{API}/communities/{cid}", json={"duty_phone": "0731-5555 1234"}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["duty_phone"] == "0731-5555 1234"
    assert client.get(f"{API}/communities/{cid}", headers=admin).json()["duty_phone"] == "0731-5555 1234"
    assert [None, "0731-5555 1234"] in [e["changes"].get("duty_phone") for e in _audit(client, world, "community", cid)]
    # Streets and districts have no station: the field is not theirs.
    r = client.patch(
        f"{API}/streets/{world.ids['S1']}", json={"duty_phone": "0731-5555"}, headers=world.headers("system_admin")
    )
    assert assert_problem(r, 422)["code"] == "validation-error"
    # Outside one's area: not found; a station chief reads but may not change the hierarchy.
    r = client.patch(f"{API}/communities/{world.ids['C4']}", json={"duty_phone": "12345"}, headers=admin)
    assert_problem(r, 404)
    r = client.patch(f"{API}/communities/{cid}", json={"duty_phone": "12345"}, headers=world.headers("station_chief"))
    assert_problem(r, 403)


def test_a_persons_consent_to_a_public_phone_is_recorded_and_audited(world, client):
    admin, uid = world.headers("administrator"), world.users["leader_g1b"]
    assert client.get(f"{API}/users/{uid}", headers=admin).json()["phone_public"] is False
    r = client.patch(f"{API}/users/{uid}", json={"phone_public": True}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["phone_public"] is True
    assert [False, True] in [e["changes"].get("phone_public") for e in _audit(client, world, "user", uid)]
    lon_lat = client.get(f"{API}/grids/{world.ids['G1b']}", headers=admin).json()["geometry"]["coordinates"][0][0]
    who = client.get(f"{API}/public/who", params={"lon": lon_lat[0] + 0.001, "lat": lon_lat[1] + 0.001}).json()
    assert who["leader"] == {"name": "leader_g1b的名字", "phone": "13900001111"}

    created = client.post(
        f"{API}/users",
        json={
            "username": "new_leader",
            "display_name": "新网格长",
            "password": "first-password",
            "role": "grid_leader",
            "scope_level": "grid",
            "scope_id": world.ids["G1b"],
            "phone": "13711112222",
            "phone_public": True,
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    assert created.json()["phone_public"] is True
    assert_problem(client.patch(f"{API}/users/{uid}", json={"phone_public": "sometimes"}, headers=admin), 422)


def test_a_person_allows_their_own_phone_on_me_and_it_is_audited(world, client):
    me = world.headers("leader_g1b")
    lon, lat = grid_point("G1b")
    assert client.get(f"{API}/public/who", params={"lat": lat, "lon": lon}).json()["leader"]["phone"] is None
    r = client.patch(f"{API}/auth/me", json={"phone_public": True}, headers=me)
    assert r.status_code == 200, r.text
    assert r.json()["phone_public"] is True and r.json()["username"] == "leader_g1b"
    assert client.get(f"{API}/auth/me", headers=me).json()["phone_public"] is True
    assert client.get(f"{API}/public/who", params={"lat": lat, "lon": lon}).json()["leader"]["phone"] == "13900001111"
    entries = _audit(client, world, "user", world.users["leader_g1b"])
    assert entries[0]["changes"] == {"phone_public": [False, True]}
    assert entries[0]["actor_id"] == world.users["leader_g1b"]
    assert client.patch(f"{API}/auth/me", json={"phone_public": False}, headers=me).json()["phone_public"] is False
    # Nothing else of one's account changes here; signed out, nothing at all.
    assert assert_problem(client.patch(f"{API}/auth/me", json={"role": "administrator"}, headers=me), 422)
    assert_problem(client.patch(f"{API}/auth/me", json={"phone_public": True}), 401)
