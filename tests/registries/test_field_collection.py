"""Field collection 入户采集 from the phone's offline outbox: the registry writes it sends (create and change a house,
create and change a person, a move) accept an Idempotency-Key. A replay answers the first response and changes
nothing (one row, one event); the same key with another body, or sent to another route, is a 422."""

from __future__ import annotations

from sqlalchemy import func, select

from conftest import assert_problem
from registries.helpers import API, house, id_number
from wangge.idempotency import IdempotencyKey
from wangge.registries.models import House, Person, RegistryEvent
from wangge.registries.service import today


def _count(live, model, *where) -> int:
    with live.session() as s:
        return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _post(client, world, url: str, body: dict, key: str, method: str = "post"):
    headers = {**world.headers("grid_leader"), "Idempotency-Key": key}
    return client.request(method.upper(), url, json=body, headers=headers)


def test_a_person_created_twice_with_one_key_is_one_person_and_one_event(world, client, live):
    h = house(client, world, room="301")
    url = f"{API}/grids/{world.ids['G1a']}/people"
    number = id_number("43011119900101002")
    body = {"name": "孙七", "residence": "floating", "relation": "tenant", "house_id": h["id"], "id_number": number}
    first = _post(client, world, url, body, "person-key-1")
    assert first.status_code == 201, first.text
    assert first.json()["id_number"] == number[:4] + "*" * 10 + number[-4:]
    again = _post(client, world, url, body, "person-key-1")
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert _count(live, Person, Person.name == "孙七") == 1
    assert _count(live, RegistryEvent, RegistryEvent.person_id == first.json()["id"]) == 1

    changed = _post(client, world, url, {**body, "name": "孙八"}, "person-key-1")
    assert assert_problem(changed, 422)["code"] == "idempotency-key-reused"
    elsewhere = _post(client, world, f"{API}/houses/{h['id']}", {"use": "rented"}, "person-key-1", "patch")
    assert assert_problem(elsewhere, 422)["code"] == "idempotency-key-reused"
    assert _count(live, Person) == 1
    # A refusal is not remembered: the same key may be sent again once the body is right.
    bad = _post(client, world, url, {**body, "name": "周九", "id_number": number[:17] + "0"}, "person-key-2")
    assert bad.status_code in (409, 422)
    fixed = _post(client, world, url, {**body, "name": "周九", "id_number": None}, "person-key-2")
    assert fixed.status_code == 201, fixed.text
    with live.session() as s:
        stored = s.execute(
            select(IdempotencyKey.key).where(IdempotencyKey.principal == f"user:{world.users['grid_leader']}")
        )
        assert sorted(stored.scalars()) == ["person-key-1", "person-key-2"]


def test_a_house_change_a_person_change_and_a_move_replay_without_changing_anything(world, client, live):
    h = house(client, world, room="302")
    created = _post(
        client, world, f"{API}/grids/{world.ids['G1a']}/houses",
        {"building_id": world.ids["B_G1a"], "unit": "1", "floor": 3, "room": "303"}, "house-key",
    )  # fmt: skip
    assert created.status_code == 201, created.text
    replayed = _post(
        client, world, f"{API}/grids/{world.ids['G1a']}/houses",
        {"building_id": world.ids["B_G1a"], "unit": "1", "floor": 3, "room": "303"}, "house-key",
    )  # fmt: skip
    assert replayed.status_code == 201 and replayed.json() == created.json()
    assert _count(live, House, House.room == "303") == 1

    patched = _post(client, world, f"{API}/houses/{h['id']}", {"use": "rented"}, "use-key", "patch")
    assert patched.status_code == 200 and patched.json()["use"] == "rented"
    assert patched.json()["last_recorded_at"] is not None
    again = _post(client, world, f"{API}/houses/{h['id']}", {"use": "rented"}, "use-key", "patch")
    assert again.status_code == 200 and again.json() == patched.json()
    events = _count(live, RegistryEvent, RegistryEvent.house_id == h["id"], RegistryEvent.kind == "use_changed")
    assert events == 1
    other = _post(client, world, f"{API}/houses/{h['id']}", {"use": "vacant"}, "use-key", "patch")
    assert assert_problem(other, 422)["code"] == "idempotency-key-reused"
    with live.session() as s:
        assert s.get(House, h["id"]).use == "rented"

    p = _post(
        client, world, f"{API}/grids/{world.ids['G1a']}/people",
        {"name": "吴十", "residence": "registered", "house_id": h["id"]}, "p-key",
    ).json()  # fmt: skip
    renamed = _post(client, world, f"{API}/people/{p['id']}", {"phone": "13800001111"}, "phone-key", "patch")
    assert renamed.status_code == 200 and renamed.json()["phone"] == "138****1111"
    assert _post(client, world, f"{API}/people/{p['id']}", {"phone": "13800001111"}, "phone-key", "patch").json() == (
        renamed.json()
    )
    move = {"kind": "moved_out", "on": today().isoformat()}
    out = _post(client, world, f"{API}/people/{p['id']}/moves", move, "move-key")
    assert out.status_code == 200 and out.json()["living_here"] is False
    # Without the key the second move would be a 409 `not-living-here`; with it, the first answer again.
    replay = _post(client, world, f"{API}/people/{p['id']}/moves", move, "move-key")
    assert replay.status_code == 200 and replay.json() == out.json()
    with live.session() as s:
        kinds = s.scalars(
            select(RegistryEvent.kind).where(RegistryEvent.person_id == p["id"]).order_by(RegistryEvent.id)
        )
        assert list(kinds) == ["moved_in", "moved_out"]
    bad_key = _post(client, world, f"{API}/people/{p['id']}/moves", move, "x" * 101)
    assert assert_problem(bad_key, 422)["code"]


def test_keys_are_each_users_own(world, client, live):
    h = house(client, world, room="304")
    body = {"name": "郑十一", "residence": "registered", "house_id": h["id"]}
    mine = _post(client, world, f"{API}/grids/{world.ids['G1a']}/people", body, "shared-key")
    assert mine.status_code == 201
    # The station chief's "shared-key" is not the leader's: another body under it is no reuse, and is run.
    theirs = client.post(
        f"{API}/grids/{world.ids['G1a']}/people",
        json={**body, "name": "王十二"},
        headers={**world.headers("station_chief"), "Idempotency-Key": "shared-key"},
    )
    assert theirs.status_code == 201, theirs.text
    assert _count(live, Person, Person.name.in_(["郑十一", "王十二"])) == 2
