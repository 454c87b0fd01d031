"""The audit log: every administrative change written with who, when, before and after, in the same transaction
as the change; secrets never stored, phones masked; each administrator reads their own area's entries."""

from __future__ import annotations

from conftest import assert_problem


def _entries(client, headers, **params):
    r = client.get("/api/v1/audit", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _new_user(client, world, **extra):
    body = {
        "username": "auditee",
        "display_name": "被记录者",
        "password": "first-password",
        "role": "grid_member",
        "scope_level": "grid",
        "scope_id": world.ids["G1b"],
        "phone": "13712345678",
    }
    return client.post("/api/v1/users", headers=world.headers("administrator"), json=body | extra)


def test_creating_changing_and_deactivating_a_user_is_logged(world, client):
    admin = world.headers("administrator")
    created = _new_user(client, world)
    assert created.status_code == 201, created.text
    uid = created.json()["id"]
    client.patch(f"/api/v1/users/{uid}", headers=admin, json={"display_name": "改过的名字", "password": "second-pass"})
    client.post(f"/api/v1/users/{uid}/deactivate", headers=admin)

    log = _entries(client, admin, entity="user", entity_id=str(uid))["items"]
    assert [e["action"] for e in log] == ["deactivate", "update", "create"]  # newest first
    deactivated, updated, create = log
    assert deactivated["changes"] == {"is_active": [True, False]}
    assert updated["changes"]["display_name"] == ["被记录者", "改过的名字"]
    assert updated["changes"]["password_hash"] == ["（已修改）", "（已修改）"]  # never the hash
    assert updated["changes"]["must_change_password"] == [False, True]
    assert create["changes"]["username"] == [None, "auditee"] and create["label"] == "auditee"
    assert create["changes"]["phone"] == [None, "137****5678"]  # masked
    assert create["changes"]["password_hash"] == [None, "（已修改）"]
    assert all(e["actor_id"] == world.users["administrator"] and e["actor_name"] == "administrator的名字" for e in log)
    for entry in log:
        assert "first-password" not in str(entry) and "argon2" not in str(entry) and "13712345678" not in str(entry)


def test_a_refused_change_leaves_no_entry(world, client):
    admin = world.headers("administrator")
    assert _new_user(client, world).status_code == 201
    before = _entries(client, admin)["items"]
    assert_problem(_new_user(client, world), 409)  # the username is taken
    assert_problem(_new_user(client, world, username="other1", scope_id=987654), 404)
    assert _entries(client, admin)["items"] == before


def test_each_administrator_reads_their_own_area(world, client):
    admin = world.headers("administrator")  # street S1
    assert _new_user(client, world).status_code == 201  # in C1 of S1
    # A station chief of S2 (C3), created by the system administrator, is in S2's log only.
    r = client.post(
        "/api/v1/users",
        headers=world.headers("system_admin"),
        json={
            "username": "chief_new",
            "display_name": "新站长",
            "password": "long-enough-1",
            "role": "station_chief",
            "scope_level": "community",
            "scope_id": world.ids["C3"],
        },
    )
    assert r.status_code == 201, r.text
    mine = {e["label"] for e in _entries(client, admin)["items"]}
    everything = {e["label"] for e in _entries(client, world.headers("system_admin"))["items"]}
    assert "auditee" in mine and "chief_new" not in mine
    assert {"auditee", "chief_new"} <= everything
    for role in ("station_chief", "street_officer", "grid_leader", "resident"):
        assert_problem(client.get("/api/v1/audit", headers=world.headers(role)), 403)


def test_the_log_pages_newest_first_and_filters(world, client):
    admin = world.headers("administrator")
    uid = _new_user(client, world).json()["id"]
    for n in range(5):
        client.patch(f"/api/v1/users/{uid}", headers=admin, json={"display_name": f"名字{n}"})
    first = _entries(client, admin, entity="user", limit=2)
    assert len(first["items"]) == 2 and first["next_before"] == first["items"][-1]["id"]
    second = _entries(client, admin, entity="user", limit=2, before=first["next_before"])
    assert all(e["id"] < first["next_before"] for e in second["items"])
    names = [e["changes"]["display_name"][1] for e in first["items"] + second["items"]]
    assert names == ["名字4", "名字3", "名字2", "名字1"]
    assert [e["action"] for e in _entries(client, admin, action="create")["items"]] == ["create"]
    assert _entries(client, admin, actor_id=world.users["system_admin"])["items"] == []
    assert _entries(client, admin, since="2099-01-01T00:00:00Z")["items"] == []
    assert_problem(client.get("/api/v1/audit", params={"entity": "Robert'); DROP"}, headers=admin), 422)


def test_an_unchanged_value_written_again_is_not_logged(world, client):
    admin = world.headers("administrator")
    uid = _new_user(client, world).json()["id"]
    client.patch(f"/api/v1/users/{uid}", headers=admin, json={"display_name": "被记录者"})
    assert [e["action"] for e in _entries(client, admin, entity_id=str(uid))["items"]] == ["create"]


def test_changes_that_belong_to_no_area_are_the_system_administrators(world, client):
    system = world.headers("system_admin")
    r = client.put("/api/v1/calendar/overrides/2027-02-11", headers=system, json={"is_workday": False, "note": "春节"})
    assert r.status_code == 200, r.text
    category = world.categories["sanitation"]
    limits = {
        "grid": {"sign": {"amount": 1, "unit": "working_days"}, "complete": {"amount": 3, "unit": "working_days"}}
    }
    r = client.patch(f"/api/v1/categories/{category}", headers=system, json={"time_limits": limits})
    assert r.status_code == 200, r.text
    log = _entries(client, system)["items"]
    day = next(e for e in log if e["entity"] == "calendar_day")
    assert day["entity_id"] == "2027-02-11" and day["action"] == "create"
    assert day["changes"]["is_workday"] == [None, False] and day["changes"]["note"] == [None, "春节"]
    changed = next(e for e in log if e["entity"] == "category")
    assert changed["entity_id"] == str(category) and changed["changes"]["time_limits"][1] == limits
    street = {e["entity"] for e in _entries(client, world.headers("administrator"))["items"]}
    assert not street & {"calendar_day", "category"}
