"""Splitting a grid along a drawn line and merging two adjacent grids: the shapes, what moves with them, the
refusals (each with its code, nothing half-written), the scope, and the audit entries."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from conftest import assert_problem
from support.world import ORIGINS, square_geojson
from wangge.fieldwork.models import PostPair, TeamMember

C1_LON, C1_LAT = ORIGINS["C1"]
# Two free squares side by side in the north half of C1, sharing the edge at C1_LON + 0.003.
A_SW = (C1_LON + 0.001, C1_LAT + 0.006)
B_SW = (C1_LON + 0.003, C1_LAT + 0.006)
SIZE = 0.002


def _grid(client, world, suffix: str, sw: tuple[float, float], size: float = SIZE, **extra) -> dict:
    body = {
        "community_id": world.ids["C1"],
        "code": world.codes["C1"] + suffix,
        "name": f"网格{suffix}",
        "geometry": square_geojson(sw[0], sw[1], size),
        **extra,
    }
    r = client.post("/api/v1/grids", json=body, headers=world.headers("administrator"))
    assert r.status_code == 201, r.text
    return r.json()


def _building(client, world, grid_id: int, lon: float, lat: float) -> int:
    body = {"name": "测试楼", "lon": lon, "lat": lat}
    r = client.post(f"/api/v1/grids/{grid_id}/buildings", json=body, headers=world.headers("administrator"))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _get(client, world, path: str) -> dict:
    r = client.get(path, headers=world.headers("administrator"))
    assert r.status_code == 200, r.text
    return r.json()


def _coverage(client, world) -> dict:
    return _get(client, world, f"/api/v1/communities/{world.ids['C1']}/coverage")


def _grids(client, world) -> dict[str, dict]:
    page = _get(client, world, f"/api/v1/grids?community_id={world.ids['C1']}&with_geometry=true")
    return {g["code"]: g for g in page["items"]}


def _audit(client, world, grid_id: int) -> list[dict]:
    return _get(client, world, f"/api/v1/audit?entity=grid&entity_id={grid_id}")["items"]


def _across(lat: float) -> dict:
    """A west-east line across A at latitude `lat`, starting and ending outside it."""
    return {"type": "LineString", "coordinates": [[A_SW[0] - 0.0005, lat], [A_SW[0] + SIZE + 0.0005, lat]]}


def _split(client, world, grid_id: int, line: dict, suffix: str = "201", who: str = "administrator", **extra):
    body = {"line": line, "code": world.codes["C1"] + suffix, "name": "新网格", **extra}
    return client.post(f"/api/v1/grids/{grid_id}/split", json=body, headers=world.headers(who))


def _merge(client, world, grid_id: int, other_id, who: str = "administrator"):
    return client.post(f"/api/v1/grids/{grid_id}/merge", json={"other_id": other_id}, headers=world.headers(who))


def test_a_line_across_a_grid_splits_it_in_two_and_the_smaller_part_becomes_a_new_grid(world, client):
    a = _grid(client, world, "101", A_SW, households=80)
    south = _building(client, world, a["id"], A_SW[0] + 0.001, A_SW[1] + 0.0002)
    north = _building(client, world, a["id"], A_SW[0] + 0.001, A_SW[1] + 0.0015)
    before = _coverage(client, world)
    cut_lat = A_SW[1] + 0.0005  # a quarter of the way up

    r = _split(client, world, a["id"], _across(cut_lat), kind="self_managed")
    assert r.status_code == 200, r.text
    kept, new = r.json()["grid"], r.json()["new_grid"]
    assert kept["id"] == a["id"] and kept["code"] == a["code"] and kept["households"] == 80
    assert new["code"] == world.codes["C1"] + "201" and new["kind"] == "self_managed" and new["households"] == 0
    assert kept["area_m2"] + new["area_m2"] == pytest.approx(a["area_m2"], abs=1)
    assert new["area_m2"] == pytest.approx(a["area_m2"] / 4, rel=0.01)
    new_lats = [p[1] for p in new["geometry"]["coordinates"][0]]
    kept_lats = [p[1] for p in kept["geometry"]["coordinates"][0]]
    assert max(new_lats) == pytest.approx(cut_lat) and min(kept_lats) == pytest.approx(cut_lat)
    # The buildings follow the ground they stand on; the community stays covered as it was.
    assert _get(client, world, f"/api/v1/buildings/{south}")["grid_id"] == new["id"]
    assert _get(client, world, f"/api/v1/buildings/{north}")["grid_id"] == a["id"]
    after = _coverage(client, world)
    assert after["grid_count"] == before["grid_count"] + 1
    assert after["uncovered_area_m2"] == pytest.approx(before["uncovered_area_m2"], abs=1)
    assert [e["action"] for e in _audit(client, world, new["id"])] == ["create"]
    changed = _audit(client, world, a["id"])[0]
    assert changed["action"] == "update" and "geom" in changed["changes"] and "area_m2" in changed["changes"]


def test_a_split_is_refused_with_a_reason_and_changes_nothing(world, client):
    a = _grid(client, world, "101", A_SW)
    grids_before, entries_before = _grids(client, world), _audit(client, world, a["id"])
    inside = {
        "type": "LineString",
        "coordinates": [[A_SW[0] - 0.0005, A_SW[1] + 0.001], [A_SW[0] + 0.001, A_SW[1] + 0.001]],
    }
    beside = {"type": "LineString", "coordinates": [[A_SW[0] - 0.001, A_SW[1]], [A_SW[0] - 0.001, A_SW[1] + 0.002]]}
    zigzag = {
        "type": "LineString",
        "coordinates": [
            [A_SW[0] - 0.0005, A_SW[1] + 0.0005],
            [A_SW[0] + 0.0025, A_SW[1] + 0.0005],
            [A_SW[0] + 0.0025, A_SW[1] + 0.0015],
            [A_SW[0] - 0.0005, A_SW[1] + 0.0015],
        ],
    }
    for line in (inside, beside, zigzag):
        problem = assert_problem(_split(client, world, a["id"], line), 422)
        assert problem["code"] == "split-not-two-parts" and problem["errors"][0]["loc"][-1] == "line"
    for bad in ({"type": "Point", "coordinates": [113, 28]}, {"type": "LineString", "coordinates": [[113, 28]]}):
        assert assert_problem(_split(client, world, a["id"], bad), 422)["code"] == "invalid"
    assert_problem(_split(client, world, a["id"], _across(A_SW[1] + 0.001), suffix="20"), 422)  # 14 digits
    assert _grids(client, world) == grids_before and _audit(client, world, a["id"]) == entries_before
    other = _split(client, world, a["id"], _across(A_SW[1] + 0.0005))
    other_community = {"line": _across(A_SW[1] + 0.001), "code": world.codes["C2"] + "201", "name": "x"}
    assert other.status_code == 200  # the one that succeeds, to take its code below
    grids_before, entries_before = _grids(client, world), _audit(client, world, a["id"])
    r = client.post(f"/api/v1/grids/{a['id']}/split", json=other_community, headers=world.headers("administrator"))
    assert assert_problem(r, 422)["errors"][0]["loc"][-1] == "code"
    taken = _split(client, world, a["id"], _across(A_SW[1] + 0.0015))  # the code 201 is the new grid's now
    assert assert_problem(taken, 409)["errors"][0]["loc"][-1] == "code"
    r = client.post(f"/api/v1/grids/{a['id']}/split", json={"line": "x"}, headers=world.headers("administrator"))
    assert assert_problem(r, 422)["code"] == "validation-error"
    assert _grids(client, world) == grids_before and _audit(client, world, a["id"]) == entries_before


def test_a_split_outside_the_callers_scope_is_not_found_and_needs_an_administrator(world, client):
    line = {"type": "LineString", "coordinates": [[113.03, 28.1015], [113.05, 28.1015]]}
    assert_problem(_split(client, world, world.ids["G3"], line), 404)  # G3 is in the other street
    assert_problem(_split(client, world, 987654, line), 404)
    assert_problem(_split(client, world, world.ids["G1a"], line, who="station_chief"), 403)
    assert_problem(_merge(client, world, world.ids["G1a"], world.ids["G1b"], who="street_officer"), 403)


def test_two_adjacent_grids_merge_into_the_first_and_the_other_is_deactivated(world, client, live):
    a = _grid(client, world, "101", A_SW, households=10, registered_population=30)
    b = _grid(client, world, "102", B_SW, households=5, floating_population=7)
    building = _building(client, world, b["id"], B_SW[0] + 0.001, B_SW[1] + 0.001)
    with live.session() as s:
        pair = PostPair(grid_a_id=world.ids["G1a"], grid_b_id=b["id"])
        member = TeamMember(grid_id=b["id"], name="志愿者", team_role="volunteer", start_date=date(2026, 1, 1))
        s.add_all([pair, member])
        s.commit()
        pair_id, member_id = pair.id, member.id
    before = _coverage(client, world)

    r = _merge(client, world, a["id"], b["id"])
    assert r.status_code == 200, r.text
    merged, absorbed = r.json()["grid"], r.json()["absorbed"]
    assert merged["id"] == a["id"] and absorbed["id"] == b["id"] and not absorbed["is_active"]
    assert merged["area_m2"] == pytest.approx(a["area_m2"] + b["area_m2"], abs=1)
    lons = sorted({p[0] for p in merged["geometry"]["coordinates"][0]})
    assert lons == pytest.approx([A_SW[0], B_SW[0] + SIZE])  # one rectangle: the shared edge is gone
    assert (merged["households"], merged["registered_population"], merged["floating_population"]) == (15, 30, 7)
    assert _get(client, world, f"/api/v1/buildings/{building}")["grid_id"] == a["id"]
    with live.session() as s:
        assert s.get(PostPair, pair_id).ended_at is not None
        assert s.scalar(select(TeamMember.grid_id).where(TeamMember.id == member_id)) == a["id"]
    after = _coverage(client, world)
    assert after["grid_count"] == before["grid_count"] - 1
    assert after["uncovered_area_m2"] == pytest.approx(before["uncovered_area_m2"], abs=1)
    assert b["code"] not in _grids(client, world) or not _grids(client, world)[b["code"]]["is_active"]
    deactivated = _audit(client, world, b["id"])[0]
    assert deactivated["action"] == "deactivate" and deactivated["changes"]["is_active"] == [True, False]
    assert "geom" in _audit(client, world, a["id"])[0]["changes"]


def test_a_merge_is_refused_with_a_reason_and_changes_nothing(world, client):
    a = _grid(client, world, "101", A_SW)
    far = _grid(client, world, "103", (C1_LON + 0.007, C1_LAT + 0.006))
    corner = _grid(client, world, "104", (A_SW[0] + SIZE, A_SW[1] + SIZE))  # touches A at one corner only
    before = _grids(client, world)
    for other in (far, corner):
        assert assert_problem(_merge(client, world, a["id"], other["id"]), 422)["code"] == "grids-not-adjacent"
    # G1a and G1b share an edge, but G1b has its leader: moved first.
    assert assert_problem(_merge(client, world, world.ids["G1a"], world.ids["G1b"]), 409)["code"] == "grid-has-staff"
    # G2 is in the next community (same street, in scope); G3 is in another street (out of scope).
    assert assert_problem(_merge(client, world, world.ids["G1b"], world.ids["G2"]), 422)["code"] == "grids-not-adjacent"
    assert_problem(_merge(client, world, a["id"], world.ids["G3"]), 404)
    assert_problem(_merge(client, world, world.ids["G3"], a["id"]), 404)
    assert assert_problem(_merge(client, world, a["id"], a["id"]), 422)["errors"][0]["loc"][-1] == "other_id"
    for bad in ("x", 0, None):
        assert assert_problem(_merge(client, world, a["id"], bad), 422)["code"] == "validation-error"
    assert _grids(client, world) == before
    assert [e["action"] for e in _audit(client, world, world.ids["G1b"])] == []


def test_a_deactivated_grid_is_neither_split_nor_merged(world, client):
    a = _grid(client, world, "101", A_SW)
    b = _grid(client, world, "102", B_SW)
    r = client.post(f"/api/v1/grids/{b['id']}/deactivate", headers=world.headers("administrator"))
    assert r.status_code == 200, r.text
    assert_problem(_merge(client, world, a["id"], b["id"]), 409)
    line = {
        "type": "LineString",
        "coordinates": [[B_SW[0] - 0.001, B_SW[1] + 0.001], [B_SW[0] + 0.003, B_SW[1] + 0.001]],
    }
    assert_problem(_split(client, world, b["id"], line), 409)


def test_a_cut_that_ends_on_the_grids_edges_splits_it(world, client):
    """A line snapped onto the edges (as the map's snapping draws it) may stop a rounding error short of a slanted
    edge: it still cuts the grid."""
    w, s = A_SW
    slanted = [[w, s], [w + 0.003, s], [w + 0.004, s + 0.004], [w, s + 0.003], [w, s]]
    body = {
        "community_id": world.ids["C1"],
        "code": world.codes["C1"] + "101",
        "name": "斜边网格",
        "geometry": {"type": "Polygon", "coordinates": [slanted]},
    }
    r = client.post("/api/v1/grids", json=body, headers=world.headers("administrator"))
    assert r.status_code == 201, r.text
    grid_id = r.json()["id"]
    for i, t in enumerate((0.123456789, 0.5, 0.87654321)):
        on_slant = [w + 0.003 + 0.001 * t, s + 0.004 * t]
        line = {"type": "LineString", "coordinates": [[w, s + 0.003 * t], on_slant]}
        r = _split(client, world, grid_id, line, suffix=f"20{i}")
        assert r.status_code == 200, r.text
        assert r.json()["new_grid"]["area_m2"] > 1


def test_a_new_shape_is_in_the_audit_log_and_the_same_shape_again_is_not(world, client):
    a = _grid(client, world, "101", A_SW)
    admin = world.headers("administrator")
    same = client.patch(f"/api/v1/grids/{a['id']}", json={"geometry": a["geometry"]}, headers=admin)
    assert same.status_code == 200, same.text
    assert [e["action"] for e in _audit(client, world, a["id"])] == ["create"]
    bigger = square_geojson(A_SW[0], A_SW[1], SIZE + 0.0005)
    r = client.patch(f"/api/v1/grids/{a['id']}", json={"geometry": bigger}, headers=admin)
    assert r.status_code == 200, r.text
    changed = _audit(client, world, a["id"])[0]
    assert changed["action"] == "update" and changed["changes"]["geom"] == ["（地图形状）", "（地图形状）"]
    assert changed["changes"]["area_m2"][1] > changed["changes"]["area_m2"][0]
