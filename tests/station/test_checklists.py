"""Checklist templates of the hazard inspection: created, listed, edited and deactivated (never deleted, audited) by
system administrators (for every street) and by a street's officers and administrators (the street's own); an
edited template never changes the tasks already issued; a grid leader reads their grid's tasks of the month and
fills the checklist with a note per item."""

from __future__ import annotations

from conftest import assert_problem

API = "/api/v1/hazards/checklists"
TASKS = "/api/v1/hazards/tasks"


def body(code: str, **extra) -> dict:
    return {
        "code": code,
        "name_zh": "屋顶检查",
        "name_en": "Roof check",
        "hazard_type": "building",
        "items": [
            {"code": "a", "text_zh": "屋面无渗漏"},
            {"code": "b", "text_zh": "女儿墙无松动", "text_en": "Parapet"},
        ],
        **extra,
    }


def create(client, world, who: str, code: str, **extra):
    return client.post(API, json=body(code, **extra), headers=world.headers(who))


def codes(client, world, who: str, **params) -> set[str]:
    r = client.get(API, params=params, headers=world.headers(who))
    assert r.status_code == 200, r.text
    return {t["code"] for t in r.json()["items"]}


def test_who_makes_which_checklists_and_who_reads_them(world, client):
    g = create(client, world, "system_admin", "roof_all")
    assert g.status_code == 201, g.text
    assert g.json()["street"] is None and g.json()["items"][1]["text_en"] == "Parapet" and g.json()["can_edit"]
    s = create(client, world, "street_officer", "roof_s1")  # their street's own
    assert s.status_code == 201, s.text
    assert s.json()["street"] == {"id": world.ids["S1"], "name": "一街道"} and s.json()["can_edit"]
    a = create(client, world, "administrator", "roof_s1_admin", street_id=world.ids["S1"])
    assert a.status_code == 201, a.text

    assert_problem(create(client, world, "administrator", "roof_global"), 403)  # for every street: system only
    assert_problem(create(client, world, "street_officer", "roof_s2", street_id=world.ids["S2"]), 404)
    for who in ("station_chief", "grid_leader", "department_officer"):
        assert_problem(create(client, world, who, "roof_x"), 403)
    assert assert_problem(create(client, world, "system_admin", "roof_all"), 409)["code"] == "checklist-code-taken"
    twice = [{"code": "a", "text_zh": "一"}, {"code": "a", "text_zh": "二"}]
    for bad in ({"items": twice}, {"items": []}, {"name_zh": "名" * 51}, {"code": "Bad Code"}, {"hazard_type": "X"}):
        assert_problem(client.post(API, json={**body("roof_bad"), **bad}, headers=world.headers("system_admin")), 422)

    # The street's own are read in that street only; those for every street everywhere.
    assert {"roof_all", "roof_s1", "roof_s1_admin"} <= codes(client, world, "station_chief")
    c3 = codes(client, world, "chief_c3")
    assert "roof_all" in c3 and not {"roof_s1", "roof_s1_admin"} & c3
    assert_problem(client.get(f"{API}/{s.json()['id']}", headers=world.headers("chief_c3")), 404)
    assert_problem(client.get(API, headers=world.headers("resident")), 403)
    seen = {t["code"]: t for t in client.get(API, headers=world.headers("street_officer")).json()["items"]}
    assert seen["roof_all"]["can_edit"] is False and seen["roof_s1"]["can_edit"] is True

    # Edited by who manages it; deactivated, never deleted; every change audited.
    assert_problem(
        client.patch(f"{API}/{g.json()['id']}", json={"name_zh": "改"}, headers=world.headers("street_officer")), 403
    )
    r = client.patch(f"{API}/{s.json()['id']}", json={"name_zh": "屋顶巡检"}, headers=world.headers("street_officer"))
    assert r.status_code == 200 and r.json()["name_zh"] == "屋顶巡检"
    r = client.patch(f"{API}/{s.json()['id']}", json={"is_active": False}, headers=world.headers("street_officer"))
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert "roof_s1" not in codes(client, world, "street_officer", active="true")
    assert "roof_s1" in codes(client, world, "street_officer", active="false")
    assert client.delete(f"{API}/{s.json()['id']}", headers=world.headers("system_admin")).status_code == 405
    assert_problem(
        client.patch(f"{API}/{s.json()['id']}", json={"items": []}, headers=world.headers("street_officer")), 422
    )
    entries = client.get(
        "/api/v1/audit",
        params={"entity": "checklist", "entity_id": str(s.json()["id"])},
        headers=world.headers("system_admin"),
    ).json()["items"]
    assert [e["action"] for e in entries] == ["deactivate", "update", "create"]
    assert entries[1]["changes"]["name_zh"] == ["屋顶检查", "屋顶巡检"]


def test_an_edited_checklist_leaves_the_issued_tasks_as_they_were(world, client):
    t = create(client, world, "street_officer", "roof_issue").json()
    chief = world.headers("station_chief")
    r = client.post(
        "/api/v1/hazards/cycles",
        json={"community_id": world.ids["C1"], "month": "2031-05", "template_codes": ["roof_issue"]},
        headers=chief,
    )
    assert r.status_code == 201, r.text
    cycle = r.json()
    new_items = [{"code": "c", "text_zh": "新的检查项"}]
    r = client.patch(
        f"{API}/{t['id']}", json={"items": new_items, "name_zh": "新名"}, headers=world.headers("street_officer")
    )
    assert r.status_code == 200, r.text

    again = client.get(f"/api/v1/hazards/cycles/{cycle['id']}", headers=chief).json()
    assert {tuple(i["code"] for i in task["template"]["items"]) for task in again["tasks"]} == {("a", "b")}
    assert {task["template"]["name"] for task in again["tasks"]} == {"屋顶检查"}

    # The leader's tasks of the month: their grid's only, with the checklist as issued.
    mine = client.get(TASKS, params={"month": "2031-05"}, headers=world.headers("grid_leader")).json()["items"]
    assert len(mine) == 1 and mine[0]["grid"]["id"] == world.ids["G1a"] and mine[0]["may_submit"] is True
    assert [i["code"] for i in mine[0]["checklist"]["items"]] == ["a", "b"] and mine[0]["checklist"][
        "name_zh"
    ] == "屋顶检查"
    assert client.get(TASKS, params={"month": "2031-05"}, headers=world.headers("leader_g2")).json()["items"] == []
    assert len(client.get(TASKS, params={"month": "2031-05"}, headers=chief).json()["items"]) == 2
    assert_problem(client.get(f"{TASKS}/{mine[0]['id']}", headers=world.headers("leader_g2")), 404)
    assert_problem(client.get(TASKS, params={"month": "2031-13"}, headers=chief), 422)

    task = mine[0]["id"]
    results = f"{TASKS}/{task}/results"
    leader = world.headers("grid_leader")
    assert_problem(client.post(results, json={"results": {"c": "ok"}}, headers=leader), 422)
    assert_problem(client.post(results, json={"results": {"a": "ok"}, "remarks": {"z": "x"}}, headers=leader), 422)
    assert_problem(
        client.post(results, json={"results": {"a": "ok"}, "remarks": {"a": "长" * 501}}, headers=leader), 422
    )
    r = client.post(
        results, json={"results": {"a": "ok", "b": "hazard"}, "remarks": {"b": "东侧女儿墙松动"}}, headers=leader
    )
    assert r.status_code == 200, r.text
    done = client.get(f"{TASKS}/{task}", headers=leader).json()
    assert done["done"] and done["results"] == {"a": "ok", "b": "hazard"} and done["remarks"] == {"b": "东侧女儿墙松动"}
    assert done["may_submit"] is False

    # The next cycle issues the checklist as it reads now; another street's community never gets this one.
    r = client.post(
        "/api/v1/hazards/cycles",
        json={"community_id": world.ids["C1"], "month": "2031-06", "template_codes": ["roof_issue"]},
        headers=chief,
    )
    assert {tuple(i["code"] for i in task["template"]["items"]) for task in r.json()["tasks"]} == {("c",)}
    r = client.post(
        "/api/v1/hazards/cycles",
        json={"community_id": world.ids["C3"], "month": "2031-06"},
        headers=world.headers("chief_c3"),
    )
    assert r.status_code == 201, r.text
    assert "roof_issue" not in {task["template"]["code"] for task in r.json()["tasks"]}
