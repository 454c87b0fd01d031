"""The registries 一标三实: standard addresses and houses, people and their moves, the state on a past day, tenancies,
residence registrations due, the grid's figures from the registry, and scope (each role their grids, 404 outside)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from conftest import assert_problem
from fieldwork.people_helpers import on_leave, pair
from registries.helpers import API, house, id_number, person
from wangge.models_common import utcnow
from wangge.registries.models import RegistryEvent
from wangge.registries.service import today


def test_a_house_has_a_standard_address_label_and_one_registration(world, client):
    h = house(client, world, room="501", unit="2")
    assert h["label"] == "G1a-1栋2单元501" and h["use"] == "owner_occupied" and h["residents"] == []
    again = client.post(
        f"{API}/grids/{world.ids['G1a']}/houses",
        json={"building_id": world.ids["B_G1a"], "unit": "2", "floor": 5, "room": "501"},
        headers=world.headers("station_chief"),
    )
    assert assert_problem(again, 409)["code"] == "address-exists"
    elsewhere = client.post(
        f"{API}/grids/{world.ids['G1a']}/houses",
        json={"building_id": world.ids["B_G1b"], "floor": 1, "room": "101"},
        headers=world.headers("station_chief"),
    )
    assert assert_problem(elsewhere, 422)["code"] == "building-not-in-grid"
    rented = client.patch(f"{API}/houses/{h['id']}", json={"use": "rented"}, headers=world.headers("grid_leader"))
    assert rented.status_code == 200 and rented.json()["use"] == "rented"


def test_each_house_shows_when_the_registry_last_recorded_a_change_there(world, client, live):
    """`last_recorded_at` is the newest of the house's own events (not the grid's, not another house's); a house
    with none has none."""
    a, b, c = house(client, world, room="501"), house(client, world, room="502"), house(client, world, room="503")
    person(client, world, a["id"], name="李四")  # a's first event: 李四 moved in
    with live.session() as s:  # a's older events, recorded before; b's one, newer than any of a's
        grid = world.ids["G1a"]
        by = world.users["station_chief"]
        old, new = utcnow() - timedelta(days=30), utcnow() + timedelta(minutes=5)
        for house_id, at in ((a["id"], old), (a["id"], old - timedelta(days=1)), (b["id"], new)):
            s.add(
                RegistryEvent(grid_id=grid, kind="swept", house_id=house_id, effective_on=today(), recorded_by_id=by,
                              recorded_at=at)
            )  # fmt: skip
        s.commit()
    listed = client.get(f"{API}/grids/{world.ids['G1a']}/houses", headers=world.headers("station_chief")).json()
    last = {h["room"]: h["last_recorded_at"] for h in listed}
    moved_in = datetime.fromisoformat(last["501"])
    assert old < moved_in <= utcnow() and datetime.fromisoformat(last["502"]) == new
    assert last["503"] is None and c["last_recorded_at"] is None


def test_the_registry_on_a_past_day_after_a_sequence_of_moves(world, client):
    a, b = house(client, world, room="501"), house(client, world, room="502")
    d = date(2026, 3, 1)
    p = person(client, world, a["id"], name="李四", moved_in_on=d.isoformat())
    q = person(client, world, a["id"], name="王五", relation="spouse", moved_in_on=d.isoformat())

    def move(pid: int, kind: str, on: date, house_id: int | None = None, expect: int = 200):
        body = {"kind": kind, "on": on.isoformat(), **({"house_id": house_id} if house_id else {})}
        r = client.post(f"{API}/people/{pid}/moves", json=body, headers=world.headers("grid_leader"))
        assert r.status_code == expect, r.text
        return r.json()

    move(p["id"], "moved_in", date(2026, 4, 1), b["id"])  # 李四 moves next door
    move(q["id"], "moved_out", date(2026, 5, 1))  # 王五 leaves the grid
    move(p["id"], "died", date(2026, 6, 1))
    assert move(p["id"], "moved_out", date(2026, 7, 1), expect=409)["code"] == "person-deceased"

    def living(on: date) -> dict[str, str | None]:
        r = client.get(
            f"{API}/grids/{world.ids['G1a']}/people",
            params={"on": on.isoformat()},
            headers=world.headers("grid_leader"),
        )
        assert r.status_code == 200, r.text
        return {x["name"]: x["address"] for x in r.json()["items"]}

    assert living(date(2026, 2, 28)) == {}
    assert living(date(2026, 3, 15)) == {"李四": "G1a-1栋2单元501", "王五": "G1a-1栋2单元501"}
    assert living(date(2026, 4, 15)) == {"李四": "G1a-1栋2单元502", "王五": "G1a-1栋2单元501"}
    assert living(date(2026, 5, 15)) == {"李四": "G1a-1栋2单元502"}
    assert living(date(2026, 6, 15)) == {}
    houses = client.get(
        f"{API}/grids/{world.ids['G1a']}/houses", params={"on": "2026-04-15"}, headers=world.headers("station_chief")
    ).json()
    assert {h["room"]: [r["name"] for r in h["residents"]] for h in houses} == {"501": ["王五"], "502": ["李四"]}
    events = client.get(f"{API}/grids/{world.ids['G1a']}/events", headers=world.headers("station_chief")).json()
    kinds = [(e["kind"], e["person_name"], e["effective_on"]) for e in events]
    assert kinds[:3] == [
        ("died", "李四", "2026-06-01"),
        ("moved_out", "王五", "2026-05-01"),
        ("moved_in", "李四", "2026-04-01"),
    ]
    assert all(e["recorded_by"] for e in events) and len(events) == 5  # 2 registrations + 3 changes


def test_tenancies_and_special_group_changes_are_events(world, client):
    h = house(client, world)
    p = person(client, world, h["id"], name="租客", residence="floating", relation="tenant")
    t = client.post(
        f"{API}/tenancies",
        json={"house_id": h["id"], "person_id": p["id"], "start_on": "2026-01-01"},
        headers=world.headers("grid_member"),
    )
    assert t.status_code == 201, t.text
    # Named: the desk shows the tenant and the address whatever page of the people list the tenant is on.
    assert (t.json()["person_name"], t.json()["house_label"]) == ("租客", h["label"])
    again = client.post(
        f"{API}/tenancies",
        json={"house_id": h["id"], "person_id": p["id"], "start_on": "2026-02-01"},
        headers=world.headers("grid_member"),
    )
    assert assert_problem(again, 409)["code"] == "tenancy-exists"
    bad_end = client.post(
        f"{API}/tenancies/{t.json()['id']}/end", json={"end_on": "2025-12-01"}, headers=world.headers("grid_leader")
    )
    assert assert_problem(bad_end, 422)["code"] == "tenancy-dates"
    ended = client.post(
        f"{API}/tenancies/{t.json()['id']}/end", json={"end_on": "2026-06-30"}, headers=world.headers("grid_leader")
    )
    assert ended.status_code == 200 and ended.json()["end_on"] == "2026-06-30"
    assert ended.json()["person_name"] == "租客"
    running = client.get(
        f"{API}/grids/{world.ids['G1a']}/tenancies", params={"on": "2026-03-01"}, headers=world.headers("grid_leader")
    ).json()["items"]
    assert [(x["id"], x["person_name"], x["house_label"]) for x in running] == [(t.json()["id"], "租客", h["label"])]
    assert (
        client.get(
            f"{API}/grids/{world.ids['G1a']}/tenancies",
            params={"on": "2026-07-01"},
            headers=world.headers("grid_leader"),
        ).json()["items"]
        == []
    )
    changed = client.patch(
        f"{API}/people/{p['id']}", json={"special_groups": ["elderly_alone"]}, headers=world.headers("grid_leader")
    )
    assert changed.status_code == 200 and changed.json()["special_groups"] == ["elderly_alone"]
    unknown = client.patch(
        f"{API}/people/{p['id']}", json={"special_groups": ["nonsense"]}, headers=world.headers("grid_leader")
    )
    assert assert_problem(unknown, 422)["code"] == "special-group-unknown"
    events = client.get(f"{API}/grids/{world.ids['G1a']}/events", headers=world.headers("grid_leader")).json()
    assert [e["kind"] for e in events][:3] == ["groups_changed", "tenancy_ended", "tenancy_started"]
    assert events[0]["detail"] == {"from": [], "to": ["elderly_alone"]}


def test_floating_residents_due_for_renewal_within_30_days_are_listed(world, client):
    h = house(client, world)
    t = today()
    soon = person(client, world, h["id"], name="将到期", residence="floating",
                  registration_due=(t + timedelta(days=10)).isoformat())  # fmt: skip
    person(
        client, world, h["id"], name="还早", residence="floating", registration_due=(t + timedelta(days=60)).isoformat()
    )
    late = person(client, world, h["id"], name="已过期", residence="floating",
                  registration_due=(t - timedelta(days=2)).isoformat())  # fmt: skip
    person(client, world, h["id"], name="户籍", registration_due=(t + timedelta(days=5)).isoformat())  # not floating
    due = client.get(f"{API}/grids/{world.ids['G1a']}/renewals", headers=world.headers("grid_leader"))
    assert due.status_code == 200, due.text
    assert [p["id"] for p in due.json()] == [late["id"], soon["id"]]


def test_the_grids_figures_come_from_the_registry_once_it_holds_data(world, client):
    def figures(grid: str) -> tuple[int, int, int]:
        g = client.get(f"/api/v1/grids/{world.ids[grid]}", headers=world.headers("station_chief")).json()
        return g["households"], g["registered_population"], g["floating_population"]

    assert figures("G1a") == (101, 301, 21)  # typed in, before the registry holds anything
    a, b = house(client, world, room="101"), house(client, world, room="102")
    house(client, world, room="103")  # vacant: no household
    person(client, world, a["id"])
    person(client, world, a["id"], name="流动甲", residence="floating")
    p = person(client, world, b["id"], name="流动乙", residence="floating")
    assert figures("G1a") == (2, 1, 2)
    r = client.post(
        f"{API}/people/{p['id']}/moves", json={"kind": "moved_out", "on": today().isoformat()},
        headers=world.headers("grid_leader"),
    )  # fmt: skip
    assert r.status_code == 200, r.text
    assert figures("G1a") == (1, 1, 1)
    assert figures("G1b") == (102, 302, 22)  # a grid without registry data keeps its typed-in figures


@pytest.mark.parametrize(
    ("who", "g1a", "g2", "writes"),
    [
        ("grid_leader", 200, 404, 201),
        ("grid_member", 200, 404, 201),
        ("leader_g1b", 404, 404, 404),
        ("leader_g2", 404, 200, 404),
        ("station_chief", 200, 404, 201),
        ("chief_c3", 404, 404, 404),
        ("street_officer", 200, 200, 403),
        ("administrator", 200, 200, 201),
        ("system_admin", 200, 200, 201),
        ("department_officer", 403, 403, 403),
        ("resident", 403, 403, 403),
    ],
)
def test_scope_matrix(world, client, who, g1a, g2, writes):
    h1 = house(client, world, grid="G1a")
    p1 = person(client, world, h1["id"], grid="G1a", id_number=id_number("43011119900101001"))
    h2 = house(client, world, grid="G2", who="administrator")
    person(client, world, h2["id"], grid="G2", who="administrator")
    headers = world.headers(who)
    for grid, expect in (("G1a", g1a), ("G2", g2)):
        for path in ("houses", "people", "events", "renewals", "tenancies", "units"):
            r = client.get(f"{API}/grids/{world.ids[grid]}/{path}", headers=headers)
            assert r.status_code == expect, (who, grid, path, r.text)
    assert client.get(f"{API}/people/{p1['id']}", headers=headers).status_code == g1a
    found = client.get(f"{API}/people", params={"id_number": id_number("43011119900101001")}, headers=headers)
    if g1a == 200:
        assert [x["id"] for x in found.json()] == [p1["id"]]
    elif found.status_code == 200:
        assert found.json() == []  # outside scope: the search finds nobody
    else:
        assert found.status_code == 403
    added = client.post(
        f"{API}/grids/{world.ids['G1a']}/people",
        json={"name": "新住户", "residence": "registered", "house_id": h1["id"]},
        headers=headers,
    )
    assert added.status_code == writes, (who, added.text)


def test_a_leader_covering_during_leave_sees_the_partners_registry(world, client):
    h = house(client, world, grid="G1a")
    person(client, world, h["id"], grid="G1a")
    url = f"{API}/grids/{world.ids['G1a']}/people"
    assert client.get(url, headers=world.headers("leader_g1b")).status_code == 404
    pair(client, world, "G1a", "G1b")
    now = utcnow()
    on_leave(client, world, "grid_leader", now - timedelta(hours=1), now + timedelta(days=1))
    r = client.get(url, headers=world.headers("leader_g1b"))
    assert r.status_code == 200 and [p["name"] for p in r.json()["items"]] == ["张三"]
