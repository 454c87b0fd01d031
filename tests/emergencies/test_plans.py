"""Contingency plans 预案 with review dates, drills 演练, and the plans an incident links to; on both engines."""

from __future__ import annotations

from datetime import timedelta

from conftest import assert_problem
from emergencies.helpers import API, detail, raise_incident
from wangge.fieldwork.people import local_today


def plan(client, world, who="station_chief", expect=201, **extra):
    body = {
        "unit_level": "community",
        "unit_id": world.ids["C1"],
        "title": "社区火灾应急预案",
        "incident_types": ["fire"],
        "owner_id": world.users["station_chief"],
        "review_due_on": (local_today() + timedelta(days=30)).isoformat(),
        **extra,
    }
    r = client.post(f"{API}/contingency-plans", json=body, headers=world.headers(who))
    assert r.status_code == expect, r.text
    return r.json()


def test_plans_overdue_reviews_and_links_to_incidents(client, world):
    fire = plan(client, world)
    assert fire["review_overdue"] is False and fire["is_active"] is True
    overdue = plan(
        client,
        world,
        who="street_officer",
        unit_level="street",
        unit_id=world.ids["S1"],
        title="街道防汛预案",
        incident_types=["flood", "fire"],
        review_due_on=(local_today() - timedelta(days=1)).isoformat(),
    )
    assert overdue["review_overdue"] is True
    elsewhere = plan(client, world, who="chief_c3", unit_id=world.ids["C3"], review_due_on="2020-01-01")

    listed = client.get(f"{API}/contingency-plans/overdue-reviews", headers=world.headers("station_chief")).json()
    assert [p["id"] for p in listed] == [overdue["id"]]
    theirs = client.get(f"{API}/contingency-plans/overdue-reviews", headers=world.headers("chief_c3")).json()
    assert [p["id"] for p in theirs] == [elsewhere["id"]]

    # Reviewed: set the next review date, and it leaves the overdue list.
    r = client.patch(
        f"{API}/contingency-plans/{overdue['id']}",
        json={
            "reviewed_on": local_today().isoformat(),
            "review_due_on": (local_today() + timedelta(days=365)).isoformat(),
        },
        headers=world.headers("street_officer"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["review_overdue"] is False
    assert client.get(f"{API}/contingency-plans/overdue-reviews", headers=world.headers("station_chief")).json() == []
    # The chief reads the street's plan but may not change it; another street's chief does not see it.
    assert_problem(
        client.patch(
            f"{API}/contingency-plans/{overdue['id']}", json={"title": "x"}, headers=world.headers("station_chief")
        ),
        403,
    )
    assert_problem(
        client.patch(
            f"{API}/contingency-plans/{overdue['id']}", json={"title": "x"}, headers=world.headers("chief_c3")
        ),
        404,
    )
    assert_problem(
        client.patch(
            f"{API}/contingency-plans/{fire['id']}", json={"title": None}, headers=world.headers("station_chief")
        ),
        422,
    )

    fires = client.get(
        f"{API}/contingency-plans", params={"incident_type": "fire"}, headers=world.headers("grid_leader")
    ).json()
    assert {p["id"] for p in fires} == {fire["id"], overdue["id"]}
    inc = raise_incident(client, world)
    assert {p["id"] for p in detail(client, world, inc["id"])["plans"]} == {fire["id"], overdue["id"]}
    gas = raise_incident(client, world, incident_type="gas")
    assert detail(client, world, gas["id"])["plans"] == []
    client.patch(
        f"{API}/contingency-plans/{fire['id']}", json={"is_active": False}, headers=world.headers("station_chief")
    )
    assert {p["id"] for p in detail(client, world, inc["id"])["plans"]} == {overdue["id"]}

    assert_problem(client.get(f"{API}/contingency-plans", headers=world.headers("resident")), 403)
    plan(client, world, who="grid_leader", expect=403)


def test_drills_are_recorded_with_participants_and_findings(client, world):
    p = plan(client, world)
    body = {
        "plan_id": p["id"],
        "unit_level": "community",
        "unit_id": world.ids["C1"],
        "held_on": (local_today() - timedelta(days=2)).isoformat(),
        "title": "消防疏散演练",
        "participants": [{"user_id": world.users["grid_leader"], "name": "网格长"}, {"name": "物业保安"}],
        "findings": "疏散通道堆物，需清理",
    }
    r = client.post(f"{API}/drills", json=body, headers=world.headers("station_chief"))
    assert r.status_code == 201, r.text
    drill = r.json()
    assert drill["participants"][1] == {"user_id": None, "name": "物业保安"} and drill["findings"].startswith("疏散")
    listed = client.get(f"{API}/drills", params={"plan_id": p["id"]}, headers=world.headers("street_officer")).json()
    assert [d["id"] for d in listed] == [drill["id"]]
    assert client.get(f"{API}/drills", headers=world.headers("chief_c3")).json() == []
    assert_problem(client.post(f"{API}/drills", json=body, headers=world.headers("chief_c3")), 403)
    future = {**body, "held_on": (local_today() + timedelta(days=3)).isoformat()}
    assert_problem(client.post(f"{API}/drills", json=future, headers=world.headers("station_chief")), 422)
    assert drill["held_on"] == body["held_on"] and drill["plan_id"] == p["id"]
