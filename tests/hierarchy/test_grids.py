"""Grids: import and export as GeoJSON, the checks that reject bad geometry, locate, coverage, codes."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from conftest import assert_problem
from support.language import english_words
from support.world import C_SIZE, ORIGINS, grid_point, square_geojson

C1_LON, C1_LAT = ORIGINS["C1"]


def feature(code: str, geometry: dict, name: str = "导入网格", **props) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": {"code": code, "name": name, **props}}


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def free(dx: float, dy: float = 0.006, size: float = 0.002) -> dict:
    return square_geojson(C1_LON + dx, C1_LAT + dy, size)


def import_c1(client, world, body, who="administrator"):
    return client.post(f"/api/v1/communities/{world.ids['C1']}/grids/import", json=body, headers=world.headers(who))


def grid_count(client, world) -> int:
    r = client.get(f"/api/v1/grids?community_id={world.ids['C1']}", headers=world.headers("administrator"))
    return r.json()["total"]


def test_import_creates_then_updates_by_code_and_computes_area(world, client):
    code_a, code_b = world.codes["C1"] + "101", world.codes["C1"] + "102"
    body = collection(
        feature(code_a, free(0.0), households=120, kind="self_managed"),
        feature(code_b, free(0.004), registered_population=55),
    )
    r = import_c1(client, world, body)
    assert r.status_code == 200, r.text
    assert r.json() == {"community_id": world.ids["C1"], "created": [code_a, code_b], "updated": []}
    assert grid_count(client, world) == 4
    again = import_c1(client, world, body)
    assert again.json()["created"] == [] and again.json()["updated"] == [code_a, code_b]
    assert grid_count(client, world) == 4
    grids = client.get(f"/api/v1/grids?community_id={world.ids['C1']}", headers=world.headers("administrator"))
    a = next(g for g in grids.json()["items"] if g["code"] == code_a)
    # A 0.002° square at latitude 28.1° is about 196 m × 222 m.
    assert 43_000 < a["area_m2"] < 44_000
    assert a["households"] == 120 and a["kind"] == "self_managed"


def test_area_cannot_be_typed_in(world, client):
    body = {
        "community_id": world.ids["C1"],
        "code": world.codes["C1"] + "103",
        "name": "x",
        "area_m2": 5,
        "geometry": free(0.0),
    }
    problem = assert_problem(client.post("/api/v1/grids", json=body, headers=world.headers("administrator")), 422)
    assert any(e["loc"][-1] == "area_m2" for e in problem["errors"])


BAD_GEOMETRIES = {
    "self-intersecting": (
        {
            "type": "Polygon",
            "coordinates": [
                [
                    [C1_LON + 0.001, C1_LAT + 0.006],
                    [C1_LON + 0.003, C1_LAT + 0.008],
                    [C1_LON + 0.003, C1_LAT + 0.006],
                    [C1_LON + 0.001, C1_LAT + 0.008],
                    [C1_LON + 0.001, C1_LAT + 0.006],
                ]
            ],
        },
        "crosses itself",
    ),
    "unclosed": (
        {
            "type": "Polygon",
            "coordinates": [
                [
                    [C1_LON + 0.001, C1_LAT + 0.006],
                    [C1_LON + 0.003, C1_LAT + 0.006],
                    [C1_LON + 0.003, C1_LAT + 0.008],
                    [C1_LON + 0.001, C1_LAT + 0.008],
                ]
            ],
        },
        "not closed",
    ),
    "too few points": (
        {
            "type": "Polygon",
            "coordinates": [[[C1_LON, C1_LAT + 0.006], [C1_LON + 0.001, C1_LAT + 0.007], [C1_LON, C1_LAT + 0.006]]],
        },
        "at least 4 positions",
    ),
    "longitude out of range": (
        {"type": "Polygon", "coordinates": [[[190, 28], [191, 28], [191, 29], [190, 28]]]},
        "out of range",
    ),
    "latitude out of range": (
        {"type": "Polygon", "coordinates": [[[113, 95], [114, 95], [114, 96], [113, 95]]]},
        "out of range",
    ),
    "not a polygon": ({"type": "Point", "coordinates": [113, 28]}, "one Polygon"),
    "no coordinates": ({"type": "Polygon"}, "at least one ring"),
}


@pytest.mark.parametrize("name", list(BAD_GEOMETRIES))
def test_import_rejects_invalid_polygons_naming_the_feature_and_changes_nothing(world, client, name):
    geometry, words = BAD_GEOMETRIES[name]
    good, bad = world.codes["C1"] + "101", world.codes["C1"] + "102"
    r = import_c1(client, world, collection(feature(good, free(0.0)), feature(bad, geometry)))
    problem = assert_problem(r, 422)
    messages = [e["msg"] for e in problem["errors"]]
    assert any(f"feature 1 (code {bad})" in m and words in m for m in messages), messages
    assert "nothing was changed" in problem["detail"]
    assert grid_count(client, world) == 2  # the good feature was not stored either


def test_import_rejects_a_grid_outside_the_community_with_the_area(world, client):
    # Half of this 0.002° square hangs over C1's east edge.
    outside = square_geojson(C1_LON + C_SIZE - 0.001, C1_LAT + 0.006, 0.002)
    problem = assert_problem(import_c1(client, world, collection(feature(world.codes["C1"] + "101", outside))), 422)
    msg = problem["errors"][0]["msg"]
    assert msg.startswith(f"feature 0 (code {world.codes['C1']}101): lies ") and "outside the boundary" in msg
    metres = float(msg.split("lies ")[1].split(" m²")[0].replace(",", ""))
    assert 21_000 < metres < 22_500  # half of ~43,600 m²


def test_import_rejects_overlaps_with_existing_and_within_the_file_saying_by_how_much(world, client):
    # G1a is the 0.003° square at C1's origin; this one overlaps it by 0.001° × 0.001° (~10,900 m²).
    over_existing = square_geojson(C1_LON + 0.002, C1_LAT + 0.002, 0.002)
    a, b = free(0.0), free(0.001)  # overlap each other by half
    body = collection(
        feature(world.codes["C1"] + "101", over_existing),
        feature(world.codes["C1"] + "102", a),
        feature(world.codes["C1"] + "103", b),
    )
    problem = assert_problem(import_c1(client, world, body), 422)
    messages = [e["msg"] for e in problem["errors"]]
    first = next(m for m in messages if m.startswith("feature 0"))
    assert f"overlaps grid {world.codes['G1a']} by " in first
    assert 10_500 < float(first.split(" by ")[1].split(" m²")[0].replace(",", "")) < 11_300
    # G1b starts at +0.003, so feature 0 (0.002–0.004) overlaps it too.
    assert any(m.startswith("feature 0") and world.codes["G1b"] in m for m in messages)
    assert any(m.startswith("feature 1") and f"overlaps grid {world.codes['C1']}103" in m for m in messages)
    assert grid_count(client, world) == 2


def test_grids_that_only_share_an_edge_are_accepted(world, client):
    body = collection(feature(world.codes["C1"] + "101", free(0.0)), feature(world.codes["C1"] + "102", free(0.002)))
    assert import_c1(client, world, body).status_code == 200


def test_import_checks_codes_and_properties(world, client):
    body = collection(
        feature("430111999999001", free(0.0)),  # not under C1
        feature(world.codes["C1"] + "102", free(0.004), name=""),
        feature(world.codes["C1"] + "103", free(0.007, size=0.001), kind="castle", households=-3),
    )
    problem = assert_problem(import_c1(client, world, body), 422)
    text = " | ".join(e["msg"] for e in problem["errors"])
    assert "does not match the community" in text
    assert "properties.name" in text and "properties.kind" in text and "figures are not valid" in text
    assert_problem(import_c1(client, world, {"type": "Feature"}), 422)
    assert_problem(import_c1(client, world, collection()), 422)


def test_the_import_problems_are_in_chinese_when_the_request_asks_for_none(world, client):
    """The grids import names each problem in the request's language (Chinese by default): the detail and every
    field error, with the feature and its code; no English word in them (tests/support/language.py's rule)."""
    c1 = world.codes["C1"]
    zh = {**world.headers("administrator"), "Accept-Language": "zh-CN"}
    url = f"/api/v1/communities/{world.ids['C1']}/grids/import"

    def problems(body: dict) -> tuple[str, list[str]]:
        problem = assert_problem(client.post(url, json=body, headers=zh), 422)
        return problem["detail"], [e["msg"] for e in problem["errors"]]

    bodies = [collection(feature(c1 + "101", free(0.0)), feature(c1 + "102", g)) for g, _ in BAD_GEOMETRIES.values()]
    bodies.append(
        collection(
            feature("430111999999001", free(0.0)),
            feature(c1 + "102", free(0.004), name=""),
            feature(c1 + "103", free(0.007, size=0.001), kind="castle", households=-3),
            feature("12", free(0.0)),
        )
    )
    bodies.append(collection(feature(c1 + "101", square_geojson(C1_LON + 0.002, C1_LAT + 0.002, 0.002))))
    bodies.append(collection(feature(c1 + "101", square_geojson(C1_LON + C_SIZE - 0.001, C1_LAT + 0.006, 0.002))))
    bodies += [{"type": "Feature"}, collection()]
    seen = []
    for body in bodies:
        detail, messages = problems(body)
        assert detail.startswith("导入被拒绝") or detail.startswith("要素集合") or detail.startswith("导入的文件"), (
            detail
        )
        for text in [detail, *messages]:
            assert english_words(text) == [], text
        seen += messages
    joined = " | ".join(seen)
    for words in (
        "第 1 个要素（编码 " + c1 + "102）",
        "边界自相交",
        "环没有闭合",
        "网格编码须为 15 位数字",
        "名称须为 1 到 100 个字",
    ):
        assert words in joined, (words, joined)
    assert f"与网格 {world.codes['G1a']} 重叠" in joined and "平方米在社区" in joined
    assert grid_count(client, world) == 2

    # Drawing one grid over another, and merging a grid with itself, say so in Chinese too.
    body = {"community_id": world.ids["C1"], "code": c1 + "101", "name": "新网格", "geometry": free(0.0, 0.0)}
    problem = assert_problem(client.post("/api/v1/grids", json=body, headers=zh), 422)
    assert problem["detail"].startswith(f"网格 {c1}101：与网格 ") and english_words(problem["detail"]) == []
    merge = {"other_id": world.ids["G1a"]}
    problem = assert_problem(client.post(f"/api/v1/grids/{world.ids['G1a']}/merge", json=merge, headers=zh), 422)
    assert problem["errors"][0]["msg"] == "网格不能与自己合并"
    # The same in English for a client that asks for it.
    en = {**zh, "Accept-Language": "en"}
    problem = assert_problem(client.post(f"/api/v1/grids/{world.ids['G1a']}/merge", json=merge, headers=en), 422)
    assert problem["errors"][0]["msg"] == "A grid cannot be merged with itself"


def test_create_grid_code_must_match_its_community_and_be_free(world, client):
    headers = world.headers("administrator")
    body = {"community_id": world.ids["C1"], "code": world.codes["C2"] + "101", "name": "x", "geometry": free(0.0)}
    problem = assert_problem(client.post("/api/v1/grids", json=body, headers=headers), 422)
    assert "does not match" in problem["detail"] and problem["errors"][0]["loc"] == ["body", "code"]
    body["code"] = world.codes["G1a"]
    assert_problem(client.post("/api/v1/grids", json=body, headers=headers), 409)
    body["code"] = "12345"
    problem = assert_problem(client.post("/api/v1/grids", json=body, headers=headers), 422)
    assert problem["errors"][0]["loc"] == ["body", "code"]


def test_export_round_trips_through_import(world, client):
    headers = world.headers("administrator")
    exported = client.get(f"/api/v1/grids/export?community_id={world.ids['C1']}", headers=headers)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/geo+json")
    fc = exported.json()
    assert [f["properties"]["code"] for f in fc["features"]] == [world.codes["G1a"], world.codes["G1b"]]
    props = fc["features"][0]["properties"]
    assert props["community_name"] == "C1社区" and props["building_count"] == 1 and props["business_count"] == 1
    assert props["leader_name"] == "grid_leader的名字"
    assert fc["features"][0]["geometry"]["type"] == "Polygon"
    modified = copy.deepcopy(fc)
    modified["features"][0]["properties"]["households"] = 999
    r = import_c1(client, world, modified)
    assert r.status_code == 200 and r.json()["updated"] == [world.codes["G1a"], world.codes["G1b"]]
    g = client.get(f"/api/v1/grids/{world.ids['G1a']}", headers=headers).json()
    assert g["households"] == 999 and g["geometry"]["type"] == "Polygon"


def test_locate_returns_the_whole_path_and_404_outside_any_grid(world, client):
    headers = world.headers("system_admin")
    for name, community, street, district in (("G1b", "C1", "S1", "D1"), ("G4", "C4", "S3", "D2")):
        lon, lat = grid_point(name)
        r = client.get(f"/api/v1/grids/locate?lat={lat}&lon={lon}", headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["grid"]["code"] == world.codes[name]
        assert (body["community"]["code"], body["street"]["code"], body["district"]["code"]) == (
            world.codes[community],
            world.codes[street],
            world.codes[district],
        )
    # In C1 but in no grid (its north half is free).
    problem = assert_problem(
        client.get(f"/api/v1/grids/locate?lat={C1_LAT + 0.008}&lon={C1_LON + 0.005}", headers=headers), 404
    )
    assert "No grid" in problem["detail"] and "contains the point" in problem["detail"]
    # On the shared edge of G1a and G1b the lower id wins, deterministically.
    r = client.get(f"/api/v1/grids/locate?lat={C1_LAT + 0.001}&lon={C1_LON + 0.003}", headers=headers)
    assert r.json()["grid"]["code"] == world.codes["G1a"]
    problem = assert_problem(client.get("/api/v1/grids/locate?lat=95&lon=113", headers=headers), 422)
    assert problem["errors"][0]["loc"] == ["query", "lat"]


def test_locate_ignores_deactivated_grids(world, client):
    headers = world.headers("system_admin")
    lon, lat = grid_point("G2")
    assert client.post(f"/api/v1/grids/{world.ids['G2']}/deactivate", headers=headers).status_code == 200
    assert_problem(client.get(f"/api/v1/grids/locate?lat={lat}&lon={lon}", headers=headers), 404)
    # Deactivated, not deleted: it is still there to read.
    r = client.get(f"/api/v1/grids/{world.ids['G2']}", headers=headers)
    assert r.status_code == 200 and r.json()["is_active"] is False


def test_coverage_reports_the_uncovered_part(world, client):
    r = client.get(f"/api/v1/communities/{world.ids['C1']}/coverage", headers=world.headers("station_chief"))
    assert r.status_code == 200, r.text
    body = r.json()
    # C1 is 0.01° square; G1a + G1b cover 2 × 0.003° squares: 18 % of it.
    assert body["grid_count"] == 2
    assert body["covered_area_m2"] / body["community_area_m2"] == pytest.approx(0.18, rel=0.01)
    assert body["uncovered_area_m2"] == pytest.approx(body["community_area_m2"] - body["covered_area_m2"], abs=1)
    assert body["uncovered"]["type"] == "MultiPolygon" and body["uncovered"]["coordinates"]


def test_a_community_with_active_grids_cannot_be_deactivated(world, client):
    problem = assert_problem(
        client.post(f"/api/v1/communities/{world.ids['C2']}/deactivate", headers=world.headers("administrator")), 409
    )
    assert "1 active grid" in problem["detail"]


def test_grid_geometry_update_is_checked_like_an_import(world, client):
    headers = world.headers("administrator")
    overlapping = square_geojson(C1_LON + 0.002, C1_LAT, 0.002)  # G1a stretched into G1b
    problem = assert_problem(
        client.patch(f"/api/v1/grids/{world.ids['G1a']}", json={"geometry": overlapping}, headers=headers), 422
    )
    assert world.codes["G1b"] in problem["detail"]
    smaller = square_geojson(C1_LON, C1_LAT, 0.002)
    r = client.patch(f"/api/v1/grids/{world.ids['G1a']}", json={"geometry": smaller}, headers=headers)
    assert r.status_code == 200
    assert 43_000 < r.json()["area_m2"] < 44_000


def test_building_points_must_lie_in_their_grid_and_phones_are_masked(world, client):
    lon, lat = grid_point("G1b")
    problem = assert_problem(
        client.post(
            f"/api/v1/grids/{world.ids['G1a']}/buildings",
            json={"name": "5栋", "lon": lon, "lat": lat},
            headers=world.headers("administrator"),
        ),
        422,
    )
    assert "outside the grid" in problem["detail"] and problem["code"] == "point-outside-grid"
    building = f"/api/v1/buildings/{world.ids['B_G1a']}"
    assert client.get(building, headers=world.headers("grid_leader")).json()["head_phone"] == "13812345678"
    assert client.get(building, headers=world.headers("street_officer")).json()["head_phone"] == "138****5678"
    assert client.get(building, headers=world.headers("resident")).json()["head_phone"] == "138****5678"


def test_cli_import_and_export(world, live, tmp_path):
    env = {"WANGGE_DATABASE_URL": live.settings.database_url, "PATH": "/usr/bin:/bin"}
    path = tmp_path / "grids.geojson"
    path.write_text(json.dumps(collection(feature(world.codes["C1"] + "101", free(0.0)))), encoding="utf-8")
    run = [sys.executable, "-m", "wangge.cli"]
    done = subprocess.run(
        [*run, "import-grids", world.codes["C1"], str(path)], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "1 created, 0 updated" in done.stdout
    path.write_text(json.dumps(collection(feature(world.codes["C1"] + "102", free(0.0)))), encoding="utf-8")
    done = subprocess.run(
        [*run, "import-grids", world.codes["C1"], str(path)], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1 and "overlaps grid" in done.stderr
    out = tmp_path / "out.geojson"
    done = subprocess.run(
        [*run, "export-grids", world.codes["C1"], "-o", str(out)], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) == 3


def _tiles(world, count: int) -> list[dict]:
    """`count` small rectangles tiling C1's free north half (25 to a row), codes 000.. in the community's range."""
    features = []
    for i in range(count):
        row, col = divmod(i, 25)
        lon, lat = C1_LON + col * 0.0004, C1_LAT + 0.004 + row * 0.000125
        ring = [[lon, lat], [lon + 0.0004, lat], [lon + 0.0004, lat + 0.000125], [lon, lat + 0.000125], [lon, lat]]
        ring = [[round(x, 7), round(y, 7)] for x, y in ring]
        features.append(feature(f"{world.codes['C1']}{i + 100:03d}", {"type": "Polygon", "coordinates": [ring]}, "g"))
    return features


def test_an_import_as_large_as_a_community_can_hold_is_accepted_whole(world, client):
    # 900 grids (codes 100..999): the overlap check goes through a spatial index and the code lookup is one
    # statement, so the size of the file does not bind one query parameter per feature.
    body = json.dumps(collection(*_tiles(world, 900)), separators=(",", ":"))
    r = client.post(
        f"/api/v1/communities/{world.ids['C1']}/grids/import",
        content=body,
        headers={**world.headers("administrator"), "Content-Type": "application/json"},
    )
    assert r.status_code == 200, r.text[:500]
    assert len(r.json()["created"]) == 900
    assert grid_count(client, world) == 902


def test_an_import_of_more_features_than_a_community_can_hold_is_one_422(world, client):
    # 50,000 empty features: once a 500 on PostgreSQL (one query parameter per feature); refused before any query.
    body = json.dumps({"type": "FeatureCollection", "features": [{}] * 50_000}, separators=(",", ":"))
    r = client.post(
        f"/api/v1/communities/{world.ids['C1']}/grids/import",
        content=body,
        headers={**world.headers("administrator"), "Content-Type": "application/json"},
    )
    problem = assert_problem(r, 422)
    assert "50,000 features" in problem["detail"] and "at most 1,000" in problem["detail"]
    assert grid_count(client, world) == 2


def test_an_import_with_one_overlap_among_many_changes_nothing(world, client):
    features = _tiles(world, 300)
    features[-1]["geometry"] = copy.deepcopy(features[0]["geometry"])  # the last one lies on the first
    problem = assert_problem(import_c1(client, world, collection(*features)), 422)
    messages = [e["msg"] for e in problem["errors"]]
    assert messages == [
        f"feature 0 (code {world.codes['C1']}100): overlaps grid {world.codes['C1']}399 by "
        + messages[0].split(" by ")[1]
    ]
    assert grid_count(client, world) == 2
