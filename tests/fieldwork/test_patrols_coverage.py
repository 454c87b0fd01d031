"""Coverage of a grid by its patrols, computed by the database, on a known track and polygon; and the station chief's
list of grids nobody patrolled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from conftest import assert_problem
from wangge.hierarchy.models import Grid

from .test_patrols import GEOD, LON, T0, sent, started, walk

BUFFER_M = 30.0  # settings.coverage_buffer_m


def coverage(client, world, grid: str = "G1a", who: str = "station_chief", **params):
    return client.get(f"/api/v1/grids/{world.ids[grid]}/coverage", params=params, headers=world.headers(who))


def strip_share(live, world, lon: float) -> float:
    """What a straight south–north track through the whole grid covers: a 60 m strip as tall as the grid."""
    with live.session() as s:
        area = s.execute(select(Grid.area_m2).where(Grid.id == world.ids["G1a"])).scalar_one()
    height = GEOD.line_length([lon, lon], [28.100, 28.103])
    return 2 * BUFFER_M * height / area


def test_a_straight_track_through_the_middle_covers_a_60_m_strip(world, client, live):
    p = started(client, world)
    # 31 points from the south edge to the north edge of G1a (28.100–28.103), ~11 m apart, every 5 s.
    sent(client, world, p["id"], "b-1", walk(31))
    r = coverage(client, world, day="2026-03-02")
    assert r.status_code == 200, r.text
    c = r.json()
    assert c["grid_id"] == world.ids["G1a"] and c["from"] == c["to"] == "2026-03-02"
    assert c["patrolled"] is True and c["patrol_count"] == 1
    assert c["distance_m"] == pytest.approx(GEOD.line_length([LON, LON], [28.100, 28.103]), rel=1e-6)
    expected = strip_share(live, world, LON)
    assert 0.19 < expected < 0.22
    assert c["covered_share"] == pytest.approx(expected, rel=0.03)
    assert (c["buildings_visited"], c["buildings_total"]) == (0, 1)


def test_a_week_adds_up_its_days_and_overlapping_tracks_count_once(world, client, live):
    monday = started(client, world)
    sent(client, world, monday["id"], "b-1", walk(31))
    tuesday = T0 + timedelta(days=1)
    again = started(client, world, client_id="trip-2", started_at=tuesday)
    sent(client, world, again["id"], "b-1", walk(31, base=tuesday))  # the same street again
    west = started(client, world, client_id="trip-3", started_at=tuesday + timedelta(hours=2))
    west_points = [
        {**p, "lon": 113.0005, "client_id": "w" + p["client_id"]} for p in walk(31, base=tuesday + timedelta(hours=2))
    ]
    sent(client, world, west["id"], "b-1", west_points)
    h = world.headers("grid_leader")
    client.post(
        f"/api/v1/patrols/{west['id']}/checkins",
        json={"client_id": "c1", "building_id": world.ids["B_G1a"], "at": tuesday.isoformat()},
        headers=h,
    )

    day = coverage(client, world, day="2026-03-02").json()
    week = coverage(client, world, week="2026-03-02").json()
    assert (week["from"], week["to"]) == ("2026-03-02", "2026-03-08")
    assert week["patrol_count"] == 3 and week["distance_m"] == pytest.approx(3 * day["distance_m"], rel=1e-6)
    # Two strips 0.001° (~98 m) apart do not overlap: twice one strip; the repeated street adds nothing.
    assert week["covered_share"] == pytest.approx(2 * strip_share(live, world, LON), rel=0.03)
    assert (week["buildings_visited"], week["buildings_total"]) == (1, 1)

    empty = coverage(client, world, day="2026-03-04").json()
    assert (empty["patrolled"], empty["patrol_count"], empty["distance_m"], empty["covered_share"]) == (False, 0, 0, 0)


def test_coverage_needs_a_day_or_a_monday_and_a_grid_in_scope(world, client):
    assert_problem(coverage(client, world), 422)
    assert_problem(coverage(client, world, day="2026-03-02", week="2026-03-02"), 422)
    assert_problem(coverage(client, world, week="2026-03-03"), 422)
    assert coverage(client, world, who="grid_leader", day="2026-03-02").status_code == 200
    assert_problem(coverage(client, world, who="leader_g2", day="2026-03-02"), 404)
    assert_problem(coverage(client, world, who="resident", day="2026-03-02"), 403)


def test_the_chief_sees_the_grids_nobody_patrolled(world, client):
    started(client, world)
    r = client.get(
        "/api/v1/fieldwork/unpatrolled", params={"day": "2026-03-02"}, headers=world.headers("station_chief")
    )
    assert r.status_code == 200, r.text
    assert r.json()["day"] == "2026-03-02"
    assert [g["id"] for g in r.json()["grids"]] == [world.ids["G1b"]]  # C1 has G1a (patrolled) and G1b
    street = client.get(
        "/api/v1/fieldwork/unpatrolled", params={"day": "2026-03-02"}, headers=world.headers("street_officer")
    )
    assert {g["id"] for g in street.json()["grids"]} == {world.ids["G1b"], world.ids["G2"]}
    other_day = client.get(
        "/api/v1/fieldwork/unpatrolled", params={"day": "2026-03-03"}, headers=world.headers("station_chief")
    )
    assert {g["id"] for g in other_day.json()["grids"]} == {world.ids["G1a"], world.ids["G1b"]}
    for who in ("grid_leader", "grid_member", "resident", "department_officer"):
        assert_problem(client.get("/api/v1/fieldwork/unpatrolled", headers=world.headers(who)), 403)
