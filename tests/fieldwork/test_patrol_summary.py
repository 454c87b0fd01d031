"""The summary shown when a patrol ends: time, distance, the grid's coverage by this patrol's own track (computed by
the database, as the grid's coverage is), findings and check-ins; read only by those who may read the patrol."""

from __future__ import annotations

from datetime import timedelta

import pytest

from conftest import assert_problem

from .test_patrols import GEOD, LON, T0, sent, started, walk
from .test_patrols_coverage import strip_share


def summary(client, world, patrol_id: int, who: str = "grid_leader"):
    return client.get(f"/api/v1/patrols/{patrol_id}/summary", headers=world.headers(who))


def test_the_summary_of_a_known_track(world, client, live):
    h = world.headers("grid_leader")
    other = started(client, world, client_id="other-trip", started_at=T0 - timedelta(hours=3))
    west = [{**p, "lon": 113.0005, "client_id": "w" + p["client_id"]} for p in walk(31, base=T0 - timedelta(hours=3))]
    sent(client, world, other["id"], "b-1", west)  # another track of the same grid and day: not this patrol's
    p = started(client, world)
    sent(client, world, p["id"], "b-1", walk(31))  # 150 s from the south edge of G1a to its north edge
    checkin = {"client_id": "c-1", "building_id": world.ids["B_G1a"], "at": (T0 + timedelta(minutes=1)).isoformat()}
    assert client.post(f"/api/v1/patrols/{p['id']}/checkins", json=checkin, headers=h).status_code == 201
    finding = {
        "client_id": "f-1",
        "at": (T0 + timedelta(minutes=2)).isoformat(),
        "category": "sanitation",
        "description": "垃圾堆放",
        "lat": 28.1015,
        "lon": LON,
        "handled_on_spot": False,
    }
    made = client.post(f"/api/v1/patrols/{p['id']}/findings", json=finding, headers=h)
    assert made.status_code == 201, made.text
    ended = client.post(
        f"/api/v1/patrols/{p['id']}/stop", json={"ended_at": (T0 + timedelta(minutes=30)).isoformat()}, headers=h
    )
    assert ended.status_code == 200, ended.text

    r = summary(client, world, p["id"])
    assert r.status_code == 200, r.text
    s = r.json()
    assert (s["id"], s["grid_id"], s["grid_name"]) == (p["id"], world.ids["G1a"], "G1a网格")
    assert s["duration_s"] == 30 * 60 and s["point_count"] == 31
    assert s["distance_m"] == pytest.approx(GEOD.line_length([LON, LON], [28.100, 28.103]), rel=1e-6)
    # Only this patrol's 60 m strip, not the other patrol's strip 98 m to the west.
    assert s["covered_share"] == pytest.approx(strip_share(live, world, LON), rel=0.03)
    assert [(c["building_id"], c["building_name"]) for c in s["checkins"]] == [(world.ids["B_G1a"], "G1a-1栋")]
    [f] = s["findings"]
    assert (f["handled_on_spot"], f["category_code"], f["status"]) == (False, "sanitation", "accepted")
    matter = made.json()["matter"]
    assert (f["matter_id"], f["tracking_code"]) == (matter["id"], matter["tracking_code"])


def test_a_patrol_without_points_covers_nothing_and_is_still_running(world, client):
    p = started(client, world)
    s = summary(client, world, p["id"]).json()
    assert (s["covered_share"], s["distance_m"], s["checkins"], s["findings"], s["ended_at"]) == (0, 0, [], [], None)
    assert s["duration_s"] > 0  # running since T0: counted until now


@pytest.mark.parametrize(
    ("who", "status"),
    [("grid_leader", 200), ("station_chief", 200), ("grid_member", 404), ("leader_g2", 404), ("resident", 404)],
)
def test_the_summary_is_read_by_those_who_may_read_the_patrol(world, client, who, status):
    p = started(client, world)
    r = summary(client, world, p["id"], who)
    if status == 200:
        assert r.status_code == 200 and r.json()["id"] == p["id"]
    else:
        assert_problem(r, status)
    assert_problem(summary(client, world, 999_999), 404)
