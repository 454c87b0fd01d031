"""Raising incidents and their timed reports 首报/续报/终报, on both engines."""

from __future__ import annotations

from conftest import assert_problem
from emergencies.helpers import API, detail, move_back, raise_incident, report
from matters.deliver import deliver, notified
from wangge.emergencies.models import Incident, IncidentReport


def test_grid_leader_raises_from_a_point_and_station_and_street_are_told(client, world, live):
    inc = raise_incident(client, world, nature="三楼冒烟")
    assert inc["grid_id"] == world.ids["G1a"] and inc["community_id"] == world.ids["C1"]
    assert inc["street_id"] == world.ids["S1"] and inc["status"] == "open"
    assert inc["code"].startswith("EV") and len(inc["code"]) == 13
    assert inc["severity_label"] == "III" and inc["followup_minutes"] == 60
    assert inc["clock"] == {"next_kind": "first", "next_due_at": inc["first_report_due_at"], "overdue": False}
    assert inc["reports"] == [] and inc["activations"] == []

    deliver(live)
    for who in ("station_chief", "street_officer", "grid_member"):
        told = notified(live, world.users[who], "incident.raised")
        assert len(told) == 1 and inc["code"] in told[0].title, who
    assert notified(live, world.users["grid_leader"], "incident.raised") == []  # the one who raised it
    assert notified(live, world.users["chief_c3"], "incident.raised") == []

    second = raise_incident(client, world, who="station_chief", grid="G1b")
    assert second["grid_id"] == world.ids["G1b"] and second["code"][-3:] == "002"


def test_without_a_point_the_callers_own_grid_and_outside_every_grid_refused(client, world):
    inc = raise_incident(client, world, who="grid_member", grid=None)
    assert inc["grid_id"] == world.ids["G1a"] and inc["lat"] is None
    chief = raise_incident(client, world, who="station_chief", grid=None)
    assert chief["grid_id"] is None and chief["community_id"] == world.ids["C1"]

    body = {"incident_type": "fire", "severity": 2, "title": "t", "place": "p", "lat": 10.0, "lon": 10.0}
    problem = assert_problem(client.post(f"{API}/incidents", json=body, headers=world.headers("grid_leader")), 422)
    assert "not inside any grid" in problem["detail"]
    no_place = {"incident_type": "fire", "severity": 2, "title": "t", "place": "p"}
    assert_problem(client.post(f"{API}/incidents", json=no_place, headers=world.headers("street_officer")), 422)
    bad = {**body, "severity": 5}
    assert_problem(client.post(f"{API}/incidents", json=bad, headers=world.headers("grid_leader")), 422)


def test_report_order_first_once_final_closes_nothing_after(client, world):
    inc = raise_incident(client, world)
    iid = inc["id"]
    assert (
        "first"
        in assert_problem(
            client.post(
                f"{API}/incidents/{iid}/reports",
                json={"kind": "followup", "nature": "n", "scene_status": "s"},
                headers=world.headers("grid_leader"),
            ),
            409,
        )["detail"]
    )
    first = report(client, world, iid, "first")
    assert first["sequence"] == 1 and first["late"] is False and first["late_seconds"] == 0
    assert first["due_at"] == inc["first_report_due_at"]
    report(client, world, iid, "first", expect=409)
    report(client, world, iid, "followup", who="station_chief")
    final = report(client, world, iid, "final", who="street_officer")
    assert final["sequence"] == 3
    d = detail(client, world, iid)
    assert d["status"] == "closed" and d["closed_at"] is not None
    assert d["clock"] == {"next_kind": None, "next_due_at": None, "overdue": False}
    assert [r["kind"] for r in d["reports"]] == ["first", "followup", "final"]
    report(client, world, iid, "followup", expect=409)
    report(client, world, iid, "final", expect=409)
    closed = client.get(f"{API}/incidents?status=closed", headers=world.headers("station_chief")).json()
    assert [i["id"] for i in closed] == [iid]


def test_a_late_followup_is_recorded_and_the_clock_shows_the_next_due(client, world, live):
    inc = raise_incident(client, world)
    iid = inc["id"]
    # Known 3 hours ago: the first report (due 30 minutes after) is late by about 2.5 hours.
    move_back(live, Incident, iid, 180, "known_at", "first_report_due_at")
    overdue = detail(client, world, iid)["clock"]
    assert overdue["next_kind"] == "first" and overdue["overdue"] is True
    first = report(client, world, iid, "first")
    assert first["late"] is True and 150 * 60 - 5 <= first["late_seconds"] <= 150 * 60 + 60
    # The first report went up 90 minutes ago: the follow-up (due 60 minutes after it) is 30 minutes late.
    move_back(live, IncidentReport, first["id"], 90, "reported_at")
    clock = detail(client, world, iid)["clock"]
    assert clock["next_kind"] == "followup" and clock["overdue"] is True
    followup = report(client, world, iid, "followup")
    assert followup["late"] is True and 30 * 60 - 5 <= followup["late_seconds"] <= 30 * 60 + 60
    d = detail(client, world, iid)
    assert [r["late"] for r in d["reports"]] == [True, True]
    assert d["clock"]["next_kind"] == "followup" and d["clock"]["overdue"] is False
    assert d["clock"]["next_due_at"] > d["reports"][-1]["reported_at"]


def test_who_may_see_and_report(client, world):
    inc = raise_incident(client, world)
    iid = inc["id"]
    for who in ("chief_c3", "leader_g2", "resident"):
        r = client.get(f"{API}/incidents/{iid}", headers=world.headers(who))
        assert_problem(r, 404 if who != "resident" else 403)
        assert_problem(
            client.post(
                f"{API}/incidents/{iid}/reports",
                json={"kind": "first", "nature": "n", "scene_status": "s"},
                headers=world.headers(who),
            ),
            404 if who != "resident" else 403,
        )
    assert_problem(client.get(f"{API}/incidents", headers=world.headers("resident")), 403)
    assert client.get(f"{API}/incidents", headers=world.headers("chief_c3")).json() == []
    seen = client.get(f"{API}/incidents", headers=world.headers("street_officer")).json()
    assert [i["id"] for i in seen] == [iid]
    # A grid leader of the next grid sees the community's incidents only if in their grid: not this one.
    assert_problem(client.get(f"{API}/incidents/{iid}", headers=world.headers("leader_g1b")), 404)
    # The department officer sees it (their area is the street) but does not report.
    report(client, world, iid, "first", who="department_officer", expect=403)
    body = {"incident_type": "fire", "severity": 2, "title": "t", "place": "p"}
    assert_problem(client.post(f"{API}/incidents", json=body, headers=world.headers("resident")), 403)
