"""Patrols through the API: idempotent start, batches of points that arrive repeated and out of order, impossible
jumps flagged and kept, stopped patrols, check-ins, findings that become matters, and who may read a track."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pyproj import Geod
from sqlalchemy import func, select

from conftest import assert_problem
from support.statements import statements
from support.world import World
from wangge.fieldwork.models import PatrolBatch, PatrolPoint
from wangge.matters.models import Matter

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # a Monday, 09:00 in Beijing
LON = 113.0015  # the middle of G1a (113.000–113.003)
GEOD = Geod(ellps="WGS84")


def start(
    client, world: World, who: str = "grid_leader", client_id: str = "trip-1", started_at: datetime = T0, **extra: Any
):
    body = {"client_id": client_id, "started_at": started_at.isoformat(), **extra}
    return client.post("/api/v1/patrols", json=body, headers=world.headers(who))


def started(client, world: World, who: str = "grid_leader", **kw: Any) -> dict[str, Any]:
    r = start(client, world, who, **kw)
    assert r.status_code == 201, r.text
    return r.json()


def point(i: int, seconds: float, lat: float, lon: float = LON, base: datetime = T0) -> dict[str, Any]:
    return {
        "client_id": f"pt-{i}",
        "recorded_at": (base + timedelta(seconds=seconds)).isoformat(),
        "lat": lat,
        "lon": lon,
    }


def walk(n: int, *, lat0: float = 28.1000, step: float = 0.0001, dt: float = 5, base: datetime = T0, first: int = 0):
    """n points north along LON, ~11 m apart every `dt` seconds."""
    return [point(first + i, (first + i) * dt, lat0 + (first + i) * step, base=base) for i in range(n)]


def send(client, world: World, patrol_id: int, batch_id: str, points: list[dict], who: str = "grid_leader", **kw):
    headers = {**world.headers(who), "Idempotency-Key": kw.pop("key", batch_id)}
    return client.post(
        f"/api/v1/patrols/{patrol_id}/points", json={"batch_id": batch_id, "points": points}, headers=headers
    )


def sent(client, world: World, patrol_id: int, batch_id: str, points: list[dict], **kw) -> dict[str, Any]:
    r = send(client, world, patrol_id, batch_id, points, **kw)
    assert r.status_code == 200, r.text
    return r.json()


def detail(client, world: World, patrol_id: int, who: str = "grid_leader") -> dict[str, Any]:
    r = client.get(f"/api/v1/patrols/{patrol_id}", headers=world.headers(who))
    assert r.status_code == 200, r.text
    return r.json()


def length(points: list[dict]) -> float:
    return GEOD.line_length([p["lon"] for p in points], [p["lat"] for p in points])


def flat(coords: list[list[float]]) -> list[float]:
    return [v for c in coords for v in c]


def stored_points(live, patrol_id: int) -> int:
    with live.session() as s:
        return s.execute(select(func.count()).where(PatrolPoint.patrol_id == patrol_id)).scalar_one()


# --- start and stop ------------------------------------------------------------------------------------------------


def test_a_patrol_starts_once_per_client_id_in_the_callers_grid(world, client):
    first = start(client, world)
    assert first.status_code == 201, first.text
    p = first.json()
    assert p["grid_id"] == world.ids["G1a"] and p["user_id"] == world.users["grid_leader"]
    assert (p["ended_at"], p["distance_m"], p["point_count"], p["flagged_count"]) == (None, 0.0, 0, 0)
    again = start(client, world)
    assert again.status_code == 200 and again.json() == p
    # A member of the grid patrols too; the client id is per person.
    assert started(client, world, "grid_member")["id"] != p["id"]


@pytest.mark.parametrize("who", ["station_chief", "street_officer", "resident", "department_officer"])
def test_only_grid_staff_patrol(world, client, who):
    assert_problem(start(client, world, who), 403)


def test_a_leader_may_not_patrol_another_grid(world, client):
    body = assert_problem(start(client, world, grid_id=world.ids["G1b"]), 403)
    assert "own grid" in body["detail"]


def test_stop_is_idempotent_and_refuses_an_end_before_the_start(world, client):
    p = started(client, world)
    url = f"/api/v1/patrols/{p['id']}/stop"
    h = world.headers("grid_leader")
    assert_problem(client.post(url, json={"ended_at": (T0 - timedelta(minutes=1)).isoformat()}, headers=h), 422)
    end = T0 + timedelta(hours=1)
    r = client.post(url, json={"ended_at": end.isoformat()}, headers=h)
    assert r.status_code == 200 and datetime.fromisoformat(r.json()["ended_at"]) == end
    again = client.post(url, json={"ended_at": (end + timedelta(hours=1)).isoformat()}, headers=h)
    assert again.status_code == 200 and again.json() == r.json()
    assert_problem(client.post(url, json={"ended_at": end.isoformat()}, headers=world.headers("grid_member")), 404)


def test_a_phone_finds_the_leaders_patrol_still_going_on_that_another_phone_started(world, client):
    ended = started(client, world, client_id="phone-a-yesterday", started_at=T0 - timedelta(days=1))
    h = world.headers("grid_leader")
    stop = {"ended_at": (T0 - timedelta(hours=20)).isoformat()}
    assert client.post(f"/api/v1/patrols/{ended['id']}/stop", json=stop, headers=h).status_code == 200
    going = started(client, world, client_id="phone-a-today")
    started(client, world, "grid_member", client_id="member-phone")  # somebody else's: not theirs to end

    def listed(state: str) -> list[int]:
        r = client.get("/api/v1/patrols", params={"state": state}, headers=h)
        assert r.status_code == 200, r.text
        return [p["id"] for p in r.json()["items"]]

    assert listed("ongoing") == [going["id"]]
    assert listed("ended") == [ended["id"]]
    assert_problem(client.get("/api/v1/patrols", params={"state": "paused"}, headers=h), 422)
    # The other phone ends it by its id.
    r = client.post(f"/api/v1/patrols/{going['id']}/stop", json={"ended_at": T0.isoformat()}, headers=h)
    assert r.status_code == 200 and listed("ongoing") == []


def test_naive_times_are_refused(world, client):
    r = client.post(
        "/api/v1/patrols",
        json={"client_id": "x", "started_at": "2026-03-02T09:00:00"},
        headers=world.headers("grid_leader"),
    )
    assert_problem(r, 422)


# --- points --------------------------------------------------------------------------------------------------------


def test_a_repeated_batch_returns_the_first_answer_and_stores_nothing(world, client, live):
    p = started(client, world)
    pts = walk(5)
    first = send(client, world, p["id"], "b-1", pts)
    assert first.status_code == 200, first.text
    answer = first.json()
    assert (answer["batch_id"], answer["received"], answer["new_points"], answer["duplicates"]) == ("b-1", 5, 5, 0)
    assert answer["flagged"] == [] and answer["patrol"]["point_count"] == 5
    assert answer["patrol"]["distance_m"] == pytest.approx(length(pts), abs=1e-6)

    again = send(client, world, p["id"], "b-1", pts)
    assert again.status_code == 200 and again.json() == answer
    assert again.headers.get("idempotent-replayed") == "true"
    assert stored_points(live, p["id"]) == 5
    with live.session() as s:
        assert s.execute(select(func.count()).where(PatrolBatch.patrol_id == p["id"])).scalar_one() == 1

    # The same batch id with other points is a mistake of the phone, not a replay.
    assert_problem(send(client, world, p["id"], "b-1", walk(2, first=10)), 422)
    # The key must be the batch id.
    assert_problem(send(client, world, p["id"], "b-2", walk(2, first=10), key="other"), 422)


def test_out_of_order_and_overlapping_batches_merge_into_one_ordered_track(world, client, live):
    p = started(client, world)
    pts = walk(12)
    late = sent(client, world, p["id"], "b-late", pts[6:])
    assert late["new_points"] == 6
    early = sent(client, world, p["id"], "b-early", pts[:6])
    assert early["new_points"] == 6
    overlap = sent(client, world, p["id"], "b-overlap", pts[3:9])
    assert (overlap["new_points"], overlap["duplicates"]) == (0, 6)
    assert stored_points(live, p["id"]) == 12

    d = detail(client, world, p["id"])
    assert [x["client_id"] for x in d["points"]] == [x["client_id"] for x in pts]
    assert d["track"]["type"] == "LineString"
    assert flat(d["track"]["coordinates"]) == pytest.approx(flat([[x["lon"], x["lat"]] for x in pts]))
    assert d["point_count"] == 12 and d["flagged_count"] == 0
    assert d["distance_m"] == pytest.approx(length(pts), abs=1e-6)


def test_an_impossible_jump_is_flagged_kept_and_left_out_of_the_distance(world, client):
    p = started(client, world)
    pts = walk(6)
    jump = point(99, 12, 28.1200)  # ~2 km north, 2 s after the point before it
    answer = sent(client, world, p["id"], "b-1", [*pts[:3], jump, *pts[3:]])
    assert answer["flagged"] == ["pt-99"]
    assert answer["patrol"]["flagged_count"] == 1 and answer["patrol"]["point_count"] == 7
    assert answer["patrol"]["distance_m"] == pytest.approx(length(pts), abs=1e-6)

    d = detail(client, world, p["id"])
    flagged = [x for x in d["points"] if x["flagged"]]
    assert [x["client_id"] for x in flagged] == ["pt-99"]
    assert (
        flagged[0]["flag_reason"].startswith("implies ") and "m/s from the previous point" in flagged[0]["flag_reason"]
    )
    assert all(c[1] < 28.11 for c in d["track"]["coordinates"]) and len(d["track"]["coordinates"]) == 6


def test_a_late_batch_recomputes_its_neighbours_flags(world, client):
    p = started(client, world)
    a, c = point(1, 0, 28.1000), point(3, 20, 28.1018)  # ~200 m in 20 s: fine
    assert sent(client, world, p["id"], "b-1", [a, c])["flagged"] == []
    b = point(2, 19, 28.1000)  # a late fix one second before c, still at a's place: c is now too fast
    answer = sent(client, world, p["id"], "b-2", [b])
    assert answer["flagged"] == [] and answer["patrol"]["flagged_count"] == 1
    d = detail(client, world, p["id"])
    assert [(x["client_id"], x["flagged"]) for x in d["points"]] == [("pt-1", False), ("pt-2", False), ("pt-3", True)]
    assert flat(d["track"]["coordinates"]) == pytest.approx([LON, 28.1000, LON, 28.1000])
    assert d["distance_m"] == pytest.approx(0.0, abs=1e-6)


def test_one_point_makes_no_track(world, client):
    p = started(client, world)
    sent(client, world, p["id"], "b-1", walk(1))
    d = detail(client, world, p["id"])
    assert d["track"] is None and d["distance_m"] == 0 and d["point_count"] == 1


def test_a_stopped_patrol_takes_points_recorded_before_its_end_only(world, client, live):
    p = started(client, world)
    end = T0 + timedelta(seconds=30)
    client.post(
        f"/api/v1/patrols/{p['id']}/stop", json={"ended_at": end.isoformat()}, headers=world.headers("grid_leader")
    )
    assert sent(client, world, p["id"], "offline", walk(6))["new_points"] == 6  # up to 25 s: recorded before the end
    body = assert_problem(send(client, world, p["id"], "after", walk(3, first=6)), 409)
    assert "ended" in body["detail"] and body["late"] == ["pt-7", "pt-8"]
    assert stored_points(live, p["id"]) == 6


def test_only_the_owner_adds_points(world, client):
    p = started(client, world)
    for who in ("grid_member", "station_chief", "leader_g1b"):
        assert_problem(send(client, world, p["id"], "b-x", walk(2), who=who), 404)


def test_batch_size_and_coordinates_are_checked(world, client):
    p = started(client, world)
    assert_problem(send(client, world, p["id"], "empty", []), 422)
    assert_problem(send(client, world, p["id"], "bad", [point(1, 0, 95.0)]), 422)
    too_many = [point(i, i, 28.1) for i in range(2001)]
    assert_problem(send(client, world, p["id"], "big", too_many), 422)


# --- check-ins and findings ----------------------------------------------------------------------------------------


def test_check_ins_are_at_buildings_of_the_patrols_grid_and_idempotent(world, client):
    p = started(client, world)
    url, h = f"/api/v1/patrols/{p['id']}/checkins", world.headers("grid_leader")
    body = {"client_id": "c-1", "building_id": world.ids["B_G1a"], "at": (T0 + timedelta(minutes=5)).isoformat()}
    first = client.post(url, json=body, headers=h)
    assert first.status_code == 201, first.text
    again = client.post(url, json=body, headers=h)
    assert again.status_code == 200 and again.json() == first.json()
    other = {**body, "client_id": "c-2", "building_id": world.ids["B_G1b"]}
    assert_problem(client.post(url, json=other, headers=h), 422)
    assert [c["building_id"] for c in detail(client, world, p["id"])["checkins"]] == [world.ids["B_G1a"]]


def test_findings_become_matters_once_and_handled_on_the_spot_is_resolved(world, client, live):
    p = started(client, world)
    url, h = f"/api/v1/patrols/{p['id']}/findings", world.headers("grid_leader")
    at = (T0 + timedelta(minutes=10)).isoformat()
    spot = {
        "client_id": "f-1",
        "at": at,
        "category": "sanitation",
        "description": "垃圾堆放",
        "lat": 28.1015,
        "lon": LON,
        "handled_on_spot": True,
        "result": "已清理",
    }
    first = client.post(url, json=spot, headers=h)
    assert first.status_code == 201, first.text
    f = first.json()
    assert f["client_id"] == "f-1" and f["matter"]["status"] == "resolved" and f["matter"]["tracking_code"]
    again = client.post(url, json=spot, headers=h)
    assert again.status_code == 200 and again.json()["id"] == f["id"] and again.json()["matter"] == f["matter"]

    brought = {**spot, "client_id": "f-2", "handled_on_spot": False, "result": None}
    second = client.post(url, json=brought, headers=h)
    assert second.status_code == 201 and second.json()["matter"]["status"] == "accepted"
    with live.session() as s:
        assert s.execute(select(func.count()).select_from(Matter)).scalar_one() == 2
        m = s.get(Matter, f["matter"]["id"])
        assert (m.source, m.owner_id, m.grid_id) == ("field", world.users["grid_leader"], world.ids["G1a"])
    assert_problem(client.post(url, json={**spot, "client_id": "f-3", "result": None}, headers=h), 422)
    assert len(detail(client, world, p["id"])["findings"]) == 2


# --- privacy -------------------------------------------------------------------------------------------------------

READERS = {
    "grid_leader": 200,  # the owner
    "station_chief": 200,  # of the community
    "street_officer": 200,  # of the street
    "administrator": 200,  # of the street
    "system_admin": 200,
    "grid_member": 404,  # the same grid, but not their track
    "leader_g1b": 404,
    "leader_g2": 404,
    "chief_c3": 404,  # another community
    "department_officer": 404,
    "dept_dd1": 404,
    "resident": 404,
}


def test_only_the_owner_and_chiefs_and_above_in_scope_read_a_track(world, client):
    p = started(client, world)
    sent(client, world, p["id"], "b-1", walk(3))
    for who, expected in READERS.items():
        r = client.get(f"/api/v1/patrols/{p['id']}", headers=world.headers(who))
        assert r.status_code == expected, (who, r.text)
        listed = client.get(
            "/api/v1/patrols", params={"user_id": world.users["grid_leader"]}, headers=world.headers(who)
        )
        assert listed.status_code == 200, (who, listed.text)
        ids = [x["id"] for x in listed.json()["items"]]
        assert ids == ([p["id"]] if expected == 200 else []), who


def test_the_list_is_mine_by_default_and_filters_by_beijing_day(world, client):
    mine = started(client, world)
    started(client, world, "grid_member", client_id="m-1")
    late_evening = started(client, world, client_id="trip-2", started_at=datetime(2026, 3, 2, 15, 30, tzinfo=UTC))
    r = client.get("/api/v1/patrols", headers=world.headers("grid_leader"))
    assert {x["id"] for x in r.json()["items"]} == {mine["id"], late_evening["id"]}
    # 15:30 UTC is 23:30 in Beijing on 2 March; 16:30 UTC would be the 3rd.
    r = client.get("/api/v1/patrols", params={"day": "2026-03-02"}, headers=world.headers("grid_leader"))
    assert r.json()["total"] == 2
    r = client.get("/api/v1/patrols", params={"day": "2026-03-03"}, headers=world.headers("grid_leader"))
    assert r.json()["items"] == []
    chief = client.get("/api/v1/patrols", params={"grid_id": world.ids["G1a"]}, headers=world.headers("station_chief"))
    assert chief.json()["total"] == 3


def test_a_leader_covering_for_a_partner_on_leave_may_patrol_the_partners_grid(world, client):
    from .people_helpers import on_leave, pair

    pair(client, world, "G1a", "G1b")
    now = datetime.now(UTC)
    on_leave(client, world, "leader_g1b", now + timedelta(days=1), now + timedelta(days=3))
    during = now + timedelta(days=2)
    r = start(client, world, client_id="cover-1", started_at=during, grid_id=world.ids["G1b"])
    assert r.status_code == 201, r.text
    assert r.json()["grid_id"] == world.ids["G1b"]
    after = now + timedelta(days=4)
    assert_problem(start(client, world, client_id="cover-2", started_at=after, grid_id=world.ids["G1b"]), 403)
    # The track is the covering leader's own: the absent leader of the grid does not see it.
    assert_problem(client.get(f"/api/v1/patrols/{r.json()['id']}", headers=world.headers("leader_g1b")), 404)


def test_batches_appended_in_time_order_extend_the_stored_line_in_the_database(world, client):
    """The phone's usual case: each batch after the last. The line grows in the database (one point, then the
    start of the line, then short and long tails, a wild fix among them) and ends as the line through every good
    point, in order, with the distance of the whole walk."""
    p = started(client, world)
    pts = walk(90, step=0.00003)
    jump = point(999, 46, 28.1200)  # 2 km away a second after the tenth point (45 s), before the next (50 s)
    # Batches of one point, of two, of eight with a wild fix, and a long one of eighty.
    batches = [pts[:1], pts[1:3], [*pts[3:10], jump], pts[10:90]]
    for i, batch in enumerate(batches):
        sent(client, world, p["id"], f"append-{i}", batch)
    d = detail(client, world, p["id"])
    assert [x["client_id"] for x in d["points"] if x["flagged"]] == ["pt-999"]
    assert flat(d["track"]["coordinates"]) == pytest.approx(flat([[x["lon"], x["lat"]] for x in pts]))
    assert d["distance_m"] == pytest.approx(length(pts), abs=1e-6)
    assert d["point_count"] == len(d["points"])


def test_a_batch_after_the_last_point_is_stored_in_a_fixed_number_of_statements(world, client, live):
    """The patrol locked, the batch id looked up, what the batch is appended to read in one statement (the points it
    repeats, the last point and the last good one), the points inserted, the patrol updated once (line, counts and
    length together), the batch and its answer recorded: the same however long the track or the batch. SQLite
    also checks the sign-in through SQLAlchemy and reads the line to extend it in Python."""
    p = started(client, world)
    pts = walk(60, step=0.00003)
    sent(client, world, p["id"], "first", pts[:20])
    counts = []
    for i, batch in enumerate((pts[20:21], pts[21:60])):
        with statements(live) as seen:
            answer = sent(client, world, p["id"], f"next-{i}", [*pts[19:20], *batch])  # one point repeated
        assert answer["new_points"] == len(batch) and answer["duplicates"] == 1
        counts.append(len(seen))
        assert sum(1 for s in seen if s.lstrip().upper().startswith("UPDATE PATROLS")) == 1, seen
    assert counts == [7, 7] if live.engine_name == "postgres" else counts == [9, 9], counts
    d = detail(client, world, p["id"])
    assert flat(d["track"]["coordinates"]) == pytest.approx(flat([[x["lon"], x["lat"]] for x in pts]))
    assert d["distance_m"] == pytest.approx(length(pts), abs=1e-6) and d["point_count"] == 60
