"""The desk map's layers (GET /map/layers): each layer limited to the caller's scope (a grid leader their grid, a
chief their community, a street officer their street, another district nothing), open and overdue matters told
apart by the step's deadline, only today's (Beijing) patrols as simplified lines, the bounding box, at most 2,000
features a layer with `truncated`, the same few statements however many rows, no personal data, and 422
problem+json (never 500) for a malformed box or layer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from shapely.geometry import LineString
from sqlalchemy import insert

from assessment.helpers import add_matter
from conftest import assert_problem
from matters.test_lists import statements
from support.world import G_SIZE, GRIDS, ORIGINS, grid_point
from wangge import geo
from wangge.emergencies.models import Incident
from wangge.fieldwork.models import Patrol, PatrolPoint
from wangge.fieldwork.patrols import day_bounds, today
from wangge.models_common import utcnow
from wangge.station.models import Hazard

URL = "/api/v1/map/layers"
COMMUNITY = {"G1a": "C1", "G1b": "C1", "G2": "C2", "G3": "C3", "G4": "C4"}
STREET = {"C1": "S1", "C2": "S1", "C3": "S2", "C4": "S3"}


def _get(client, world, who: str, **params: Any) -> dict[str, Any]:
    r = client.get(URL, params=params, headers=world.headers(who))
    assert r.status_code == 200, r.text
    return r.json()


def _ids(body: dict[str, Any], layer: str) -> set[int]:
    return {f["id"] for f in body[layer]["features"]}


def _line(grid: str, n: int = 5) -> LineString:
    """A straight line of `n` points across the middle of `grid`: the database simplifies it to its two ends."""
    lon, lat = ORIGINS[COMMUNITY[grid]]
    lon += GRIDS[grid][1]
    y = lat + G_SIZE / 2
    return LineString([(lon + G_SIZE * (0.1 + 0.8 * k / (n - 1)), y) for k in range(n)])


def _hazard(world, grid: str, status: str = "open", days: int = 7) -> dict[str, Any]:
    lon, lat = grid_point(grid)
    return dict(
        community_id=world.ids[COMMUNITY[grid]],
        grid_id=world.ids[grid],
        place="1栋楼道",
        lat=lat,
        lon=lon,
        hazard_type="fire",
        risk_level="medium",
        description="楼道堆放杂物",
        responsible_unit="物业公司",
        deadline=today() + timedelta(days=days),
        status=status,
        photo_ids=[],
    )


def _incident(world, grid: str, status: str = "open") -> Incident:
    lon, lat = grid_point(grid)
    community = COMMUNITY[grid]
    street = STREET[community]
    now = utcnow()
    return Incident(
        code=f"MI{grid}{status}",
        incident_type="fire",
        severity=2,
        title=f"{grid}起火",
        place="幸福路",
        lat=lat,
        lon=lon,
        district_id=world.ids["D2" if street == "S3" else "D1"],
        street_id=world.ids[street],
        community_id=world.ids[community],
        grid_id=world.ids[grid],
        raised_by_id=world.users[{"G1a": "grid_leader", "G2": "leader_g2"}[grid]],
        occurred_at=now,
        known_at=now,
        first_report_due_at=now + timedelta(minutes=30),
        followup_minutes=60,
        status=status,
    )


def _patrol(world, user: str, grid: str, started_at, line: LineString | None) -> Patrol:
    return Patrol(
        client_id=f"map-{user}-{started_at:%d%H%M}",
        user_id=world.users[user],
        grid_id=world.ids[grid],
        started_at=started_at,
        distance_m=800.0,
        point_count=5,
        track=geo.to_db(line) if line is not None else None,
    )


@pytest.fixture
def scene(world, live) -> dict[str, Any]:
    """An open matter in each of G1a, G1b, G2, G3 and an overdue one in G1a; hazards open in G1a and G2, assigned
    in G1b, fixed in G1a; incidents open in G1a and G2, closed in G1a; patrols today in G1a (the G1a leader's) and
    G2, yesterday in G1a."""
    now = utcnow()
    start, _ = day_bounds(today())
    ids: dict[str, Any] = {}
    with live.session() as s:
        for grid in ("G1a", "G1b", "G2", "G3"):
            ids[f"open_{grid}"] = add_matter(
                s, world, grid=grid, status="accepted", due_at=now + timedelta(days=3), reporter_phone="13912345678"
            )
        ids["overdue_G1a"] = add_matter(s, world, grid="G1a", status="handling", due_at=now - timedelta(hours=2))
        hazards = [("G1a", "open"), ("G2", "open"), ("G1b", "assigned"), ("G1a", "fixed")]
        for grid, status in hazards:
            h = Hazard(**_hazard(world, grid, status))
            s.add(h)
            s.flush()
            ids[f"hazard_{grid}_{status}"] = h.id
        for grid, status in (("G1a", "open"), ("G2", "open"), ("G1a", "closed")):
            i = _incident(world, grid, status)
            s.add(i)
            s.flush()
            ids[f"incident_{grid}_{status}"] = i.id
        for key, user, grid, at in (
            ("today_G1a", "grid_leader", "G1a", start + timedelta(minutes=5)),
            ("today_G2", "leader_g2", "G2", start + timedelta(minutes=10)),
            ("yesterday_G1a", "grid_leader", "G1a", start - timedelta(hours=3)),
        ):
            p = _patrol(world, user, grid, at, _line(grid))
            s.add(p)
            s.flush()
            ids[key] = p.id
        s.commit()
    return ids


def test_each_layer_within_the_callers_scope(world, client, scene):
    expected = {
        # who: (open matters' grids, hazards, incidents, tracks)
        "grid_leader": ({"G1a"}, {"hazard_G1a_open"}, {"incident_G1a_open"}, {"today_G1a"}),
        "station_chief": (
            {"G1a", "G1b"},
            {"hazard_G1a_open", "hazard_G1b_assigned"},
            {"incident_G1a_open"},
            {"today_G1a"},
        ),
        "street_officer": (
            {"G1a", "G1b", "G2"},
            {"hazard_G1a_open", "hazard_G1b_assigned", "hazard_G2_open"},
            {"incident_G1a_open", "incident_G2_open"},
            {"today_G1a", "today_G2"},
        ),
        "chief_c4": (set(), set(), set(), set()),
        "leader_g1b": ({"G1b"}, {"hazard_G1b_assigned"}, set(), set()),  # another leader's track: never
    }
    for who, (grids, hazards, incidents, tracks) in expected.items():
        body = _get(client, world, who)
        assert _ids(body, "matters") == {scene[f"open_{g}"] for g in grids}, who
        overdue = {scene["overdue_G1a"]} if "G1a" in grids else set()
        assert _ids(body, "overdue") == overdue, who
        assert _ids(body, "hazards") == {scene[k] for k in hazards}, who
        assert _ids(body, "incidents") == {scene[k] for k in incidents}, who
        assert _ids(body, "tracks") == {scene[k] for k in tracks}, who
        for name in ("matters", "overdue", "incidents", "tracks", "hazards"):
            layer = body[name]
            assert layer["type"] == "FeatureCollection" and layer["count"] == len(layer["features"])
            assert layer["truncated"] is False
    # A department officer reads only what was handed to their department: none of these.
    assert _ids(_get(client, world, "department_officer"), "matters") == set()
    r = client.get(URL, headers=world.headers("resident"))
    assert_problem(r, 403)


def test_overdue_is_the_current_steps_deadline_passed(world, client, live):
    now = utcnow()
    with live.session() as s:
        late_sign = add_matter(
            s, world, status="submitted", sign_due_at=now - timedelta(minutes=5), due_at=now + timedelta(days=2)
        )
        in_time = add_matter(s, world, status="submitted", sign_due_at=now + timedelta(hours=1))
        undated = add_matter(s, world, status="accepted")
        finished = add_matter(s, world, status="resolved", due_at=now - timedelta(days=1))
        s.commit()
    body = _get(client, world, "station_chief", layers="matters,overdue")
    assert _ids(body, "overdue") == {late_sign}
    assert _ids(body, "matters") == {in_time, undated}
    assert finished not in _ids(body, "matters") | _ids(body, "overdue")
    assert body["incidents"] is None and body["tracks"] is None and body["hazards"] is None  # not asked for
    late = body["overdue"]["features"][0]
    assert late["properties"]["overdue"] is True and late["properties"]["status"] == "submitted"
    assert late["properties"]["deadline"].startswith((now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"))
    assert late["properties"]["category"]["code"] == "sanitation"
    lon, lat = grid_point("G1a")
    assert late["geometry"] == {"type": "Point", "coordinates": [pytest.approx(lon), pytest.approx(lat)]}


def test_tracks_are_todays_simplified_lines(world, client, scene):
    body = _get(client, world, "station_chief", layers="tracks")
    (track,) = body["tracks"]["features"]
    assert track["id"] == scene["today_G1a"]
    assert track["geometry"]["type"] == "LineString"
    ends = list(_line("G1a").coords)
    coordinates = track["geometry"]["coordinates"]
    assert len(coordinates) == 2  # five points on one straight line: the ends are enough
    assert coordinates[0] == [pytest.approx(ends[0][0]), pytest.approx(ends[0][1])]
    assert coordinates[-1] == [pytest.approx(ends[-1][0]), pytest.approx(ends[-1][1])]
    assert track["properties"]["leader"] == "grid_leader的名字"
    assert track["properties"]["grid"]["id"] == world.ids["G1a"]
    assert body["day"] == today().isoformat()


def test_the_bounding_box_keeps_what_lies_in_it(world, client, scene):
    lon, lat = ORIGINS["C1"]
    g1a = f"{lat},{lon},{lat + G_SIZE},{lon + G_SIZE * 0.95}"  # G1a only, not G1b beside it
    body = _get(client, world, "street_officer", bbox=g1a)
    assert _ids(body, "matters") == {scene["open_G1a"]}
    assert _ids(body, "overdue") == {scene["overdue_G1a"]}
    assert _ids(body, "hazards") == {scene["hazard_G1a_open"]}
    assert _ids(body, "incidents") == {scene["incident_G1a_open"]}
    assert _ids(body, "tracks") == {scene["today_G1a"]}
    far = _get(client, world, "street_officer", bbox="10,10,11,11")
    assert all(far[name]["count"] == 0 for name in ("matters", "overdue", "incidents", "tracks", "hazards"))


def test_no_personal_data(world, client, scene):
    r = client.get(URL, headers=world.headers("station_chief"))
    assert r.status_code == 200
    assert "13912345678" not in r.text and "reporter" not in r.text and "description" not in r.text


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "28,113,29"},
        {"bbox": "a,b,c,d"},
        {"bbox": "29,113,28,114"},  # south above north
        {"bbox": "28,114,29,113"},  # west east of east
        {"bbox": "nan,113,29,114"},
        {"bbox": "28,113,29,190"},
        {"bbox": "28,113,29,114,5"},
    ],
)
def test_a_malformed_box_is_422(world, client, params):
    body = assert_problem(client.get(URL, params=params, headers=world.headers("station_chief")), 422)
    assert body["code"] == "map-bbox-invalid"


def test_an_unknown_layer_is_422(world, client):
    r = client.get(URL, params={"layers": "matters,people"}, headers=world.headers("station_chief"))
    assert assert_problem(r, 422)["code"] == "map-layers-invalid"
    r = client.get(URL, params={"layers": "x" * 300}, headers=world.headers("station_chief"))
    assert assert_problem(r, 422)["code"] == "validation-error"


def test_bounded_and_a_few_statements_however_many_rows(world, client, live, scene):
    with statements(live) as few:
        _get(client, world, "station_chief")
    with live.session() as s:
        s.execute(insert(Hazard), [_hazard(world, "G1a", days=n % 30) for n in range(2001)])
        s.commit()
    with statements(live) as many:
        body = _get(client, world, "station_chief")
    assert body["hazards"]["count"] == 2000 and body["hazards"]["truncated"] is True
    assert len(body["hazards"]["features"]) == 2000
    assert body["matters"]["truncated"] is False and body["limit"] == 2000
    assert len(many) == len(few) <= 8, many


def test_hazards_and_incidents_without_a_point_are_shown_inside_their_grid(world, client, live):
    with live.session() as s:
        hazard = Hazard(**{**_hazard(world, "G1b"), "lat": None, "lon": None})
        incident = _incident(world, "G1a")
        incident.lat = incident.lon = None
        s.add_all([hazard, incident])
        s.commit()
        ids = {"hazard": hazard.id, "incident": incident.id}
    body = _get(client, world, "station_chief", layers="incidents,hazards")
    for layer, grid in (("hazards", "G1b"), ("incidents", "G1a")):
        (feature,) = body[layer]["features"]
        assert feature["id"] == ids[layer[:-1]] and feature["properties"]["approximate"] is True
        lon, lat = feature["geometry"]["coordinates"]
        west, south = ORIGINS["C1"][0] + GRIDS[grid][1], ORIGINS["C1"][1]
        assert west < lon < west + G_SIZE and south < lat < south + G_SIZE, (layer, lon, lat)
    lon, lat = ORIGINS["C1"]
    g1a = f"{lat},{lon},{lat + G_SIZE},{lon + G_SIZE * 0.95}"
    boxed = _get(client, world, "station_chief", layers="incidents,hazards", bbox=g1a)
    assert _ids(boxed, "incidents") == {ids["incident"]} and _ids(boxed, "hazards") == set()


def test_a_patrol_with_one_point_is_counted_and_shown_as_that_point(world, client, live, scene):
    """A patrol just started has one point and no line yet: it is on the map (a point), counted, and kept to the
    box like the lines; one whose only point was flagged (an impossible jump) is not shown."""
    start, _ = day_bounds(today())
    lon, lat = grid_point("G1a")
    ids = {}
    with live.session() as s:
        for key, flagged in (("one", False), ("flagged", True)):
            p = _patrol(world, "grid_leader", "G1a", start + timedelta(minutes=30 if flagged else 20), None)
            s.add(p)
            s.flush()
            s.add(
                PatrolPoint(
                    patrol_id=p.id,
                    client_id="pt-1",
                    recorded_at=start + timedelta(minutes=21),
                    lat=lat,
                    lon=lon,
                    flagged=flagged,
                )
            )
            ids[key] = p.id
        s.commit()
    body = _get(client, world, "station_chief", layers="tracks")
    assert body["tracks"]["count"] == 2
    assert _ids(body, "tracks") == {scene["today_G1a"], ids["one"]}
    (single,) = [f for f in body["tracks"]["features"] if f["id"] == ids["one"]]
    assert single["geometry"] == {"type": "Point", "coordinates": [pytest.approx(lon), pytest.approx(lat)]}
    assert single["properties"]["leader"] == "grid_leader的名字"
    g1a = f"{ORIGINS['C1'][1]},{ORIGINS['C1'][0]},{ORIGINS['C1'][1] + G_SIZE},{ORIGINS['C1'][0] + G_SIZE * 0.95}"
    assert _ids(_get(client, world, "street_officer", layers="tracks", bbox=g1a), "tracks") == {
        scene["today_G1a"],
        ids["one"],
    }
    assert _get(client, world, "street_officer", layers="tracks", bbox="10,10,11,11")["tracks"]["count"] == 0
    assert _ids(_get(client, world, "leader_g1b", layers="tracks"), "tracks") == set()  # another leader's: never
