"""The demo geography is a consistent world: exact tilings, the seed community's figures, valid codes."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import LinearRing, Point, shape

from wangge.demo.geography import demo_world, feature_collection

GEOD = Geod(ellps="WGS84")
CATEGORIES = {
    "sanitation",
    "civil_affairs",
    "family_planning",
    "employment",
    "social_security",
    "urban_construction",
    "public_order",
    "party_building",
    "party_integrity",
    "culture",
    "livelihood",
    "illegal_construction",
    "fire_safety",
    "gas_safety",
    "public_health",
    "road_safety",
    "production_safety",
    "environment",
}
GRID_KINDS = {"self_managed", "property_managed", "work_unit", "other"}
PHONE = re.compile(r"^1\d{10}$")


def area_m2(geom) -> float:
    if geom.is_empty:
        return 0.0
    return abs(GEOD.geometry_area_perimeter(geom)[0])


@pytest.fixture(scope="module")
def world():
    return demo_world()


def all_polygons(world):
    yield "street", world["street"]["geometry"]
    for c in world["communities"]:
        yield c["name"], c["geometry"]
        for g in c["grids"]:
            yield f"{c['name']}/{g['name']}", g["geometry"]


def assert_tiles(community):
    whole = shape(community["geometry"])
    grids = [shape(g["geometry"]) for g in community["grids"]]
    for (i, a), (j, b) in itertools.combinations(enumerate(grids), 2):
        overlap = area_m2(a.intersection(b))
        assert overlap < 0.01, f"grids {i} and {j} of {community['name']} overlap by {overlap} m²"
    gap = area_m2(shapely.symmetric_difference(shapely.union_all(grids), whole))
    assert gap < 0.5, f"grids of {community['name']} differ from the community by {gap} m²"


def test_shape_of_the_hierarchy(world):
    assert world["district"]["code"] == "430111"
    assert world["district"]["name"] == "雨花区"
    assert world["street"]["name"].endswith("街道")
    assert len(world["communities"]) == 3
    for c in world["communities"]:
        assert c["name"].endswith("社区")
        for g in c["grids"]:
            assert g["kind"] in GRID_KINDS
            assert g["households"] > 0 and g["registered_population"] > 0 and g["floating_population"] >= 0


def test_every_polygon_is_valid_closed_ccw_and_in_range(world):
    for where, geometry in all_polygons(world):
        assert geometry["type"] == "Polygon", where
        ring = geometry["coordinates"][0]
        assert ring[0] == ring[-1], f"{where}: ring not closed"
        assert LinearRing(ring).is_ccw, f"{where}: exterior must be counter-clockwise (RFC 7946)"
        for lon, lat in ring:
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert round(lon, 7) == lon and round(lat, 7) == lat, f"{where}: more than 7 decimals"
            assert 112.9 < lon < 113.2 and 27.9 < lat < 28.3, f"{where}: not in 雨花区, Changsha"
        assert shapely.is_valid(shape(geometry)), where


def test_main_community_matches_the_seed_report(world):
    main = world["communities"][0]
    assert area_m2(shape(main["geometry"])) == pytest.approx(450_000, rel=0.03)
    grids = main["grids"]
    assert 8 <= len(grids) <= 12
    assert sum(g["households"] for g in grids) == 3654
    assert 11_800 <= sum(g["registered_population"] + g["floating_population"] for g in grids) <= 12_200
    assert sum(len(g["institutions"]) for g in grids) == 15
    assert sum(len(g["businesses"]) for g in grids) == 98
    kinds = [g["kind"] for g in grids]
    assert kinds.count("work_unit") == 1 and kinds.count("other") == 1
    assert kinds.count("property_managed") + kinds.count("self_managed") == len(grids) - 2
    assert kinds.count("property_managed") >= 2 and kinds.count("self_managed") >= 2
    assert_tiles(main)


def test_other_communities_are_smaller_tiled_and_disjoint(world):
    main, *others = world["communities"]
    for c in others:
        assert 200_000 <= area_m2(shape(c["geometry"])) <= 400_000, c["name"]
        assert 3 <= len(c["grids"]) <= 5
        assert_tiles(c)
    for a, b in itertools.combinations(world["communities"], 2):
        overlap = area_m2(shape(a["geometry"]).intersection(shape(b["geometry"])))
        assert overlap < 0.01, f"{a['name']} and {b['name']} overlap by {overlap} m²"


def test_communities_lie_in_the_street(world):
    street = shape(world["street"]["geometry"])
    for c in world["communities"]:
        outside = area_m2(shape(c["geometry"]).difference(street))
        assert outside < 0.01, f"{c['name']} sticks out of the street by {outside} m²"


def test_points_lie_strictly_inside_their_grid(world):
    for c in world["communities"]:
        for g in c["grids"]:
            poly = shape(g["geometry"])
            for item in g["buildings"] + g["institutions"] + g["businesses"]:
                inside = poly.contains(Point(item["point"]))
                assert inside, f"{item['name']} is not strictly inside {g['name']}"


def test_buildings_institutions_businesses(world):
    for c in world["communities"]:
        for g in c["grids"]:
            names = [b["name"] for b in g["buildings"]]
            assert 3 <= len(names) <= 15, g["name"]
            assert len(set(names)) == len(names), g["name"]
            for b in g["buildings"]:
                assert b["head_name"] and PHONE.match(b["head_phone"])
                assert b["floors"] >= 1 and b["households"] >= 1
            assert sum(b["households"] for b in g["buildings"]) == g["households"]
            for i in g["institutions"]:
                assert i["kind"] in {"government", "public_institution", "enterprise", "school", "other"}
                assert i["address"]
            for b in g["businesses"]:
                assert b["kind"] in {"retail", "catering", "services", "repair", "other"}
                assert b["address"]
            assert g["leader"]["name"] and PHONE.match(g["leader"]["phone"])


def test_codes_follow_db11_t_2157(world):
    street = world["street"]["code"]
    assert len(street) == 9 and street.startswith(world["district"]["code"])
    codes = [world["district"]["code"], street]
    for c in world["communities"]:
        assert len(c["code"]) == 12 and c["code"].startswith(street) and c["code"].isdigit()
        codes.append(c["code"])
        for g in c["grids"]:
            assert len(g["code"]) == 15 and g["code"].startswith(c["code"]) and g["code"].isdigit()
            codes.append(g["code"])
    codes += [d["code"] for d in world["departments"]]
    assert len(codes) == len(set(codes))


def test_each_category_has_exactly_one_department(world):
    departments = world["departments"]
    assert 6 <= len(departments) <= 8
    owned = [cat for d in departments for cat in d["categories"]]
    assert sorted(owned) == sorted(CATEGORIES)
    assert {d["level"] for d in departments} == {"street", "district"}
    for d in departments:
        parent = world["street"]["code"] if d["level"] == "street" else world["district"]["code"]
        assert d["code"].startswith(parent)


def test_feature_collection_round_trips(world):
    for c in world["communities"]:
        fc = json.loads(json.dumps(feature_collection(c), ensure_ascii=False))
        assert fc["type"] == "FeatureCollection"
        assert len(fc["features"]) == len(c["grids"])
        for feature, grid in zip(fc["features"], c["grids"], strict=True):
            assert feature["type"] == "Feature"
            assert shape(feature["geometry"]).equals_exact(shape(grid["geometry"]), 0)
            assert feature["properties"] == {
                k: grid[k]
                for k in ("code", "name", "kind", "households", "registered_population", "floating_population")
            }


def test_fresh_and_deterministic():
    first = demo_world()
    snapshot = json.dumps(first, sort_keys=True, ensure_ascii=False)
    first["communities"][0]["grids"][0]["buildings"].clear()
    first["street"]["geometry"]["coordinates"][0][0][0] = 0.0
    assert json.dumps(demo_world(), sort_keys=True, ensure_ascii=False) == snapshot


def test_same_output_in_other_processes():
    # Different hash seeds: nothing may depend on set or dict-of-str iteration order.
    script = (
        "import hashlib, json; from wangge.demo.geography import demo_world; "
        "print(hashlib.sha256(json.dumps(demo_world(), sort_keys=True).encode()).hexdigest())"
    )
    here = hashlib.sha256(json.dumps(demo_world(), sort_keys=True).encode()).hexdigest()
    backend = str(Path(__file__).resolve().parents[2] / "backend")
    for seed in ("1", "2"):
        env = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "PYTHONPATH": os.pathsep.join(filter(None, [backend, os.environ.get("PYTHONPATH")])),
        }
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        assert out.stdout.strip() == here


def test_buildings_are_named_with_their_estate_so_that_searching_the_estate_finds_them(world):
    for c in world["communities"]:
        for g in c["grids"]:
            estate = c["name"] if g["name"].endswith("网格") else g["name"]
            assert [b["name"] for b in g["buildings"]] == [f"{estate}{i}栋" for i in range(1, len(g["buildings"]) + 1)]
    main = world["communities"][0]
    jinhu = next(g for g in main["grids"] if g["name"] == "锦湖苑")
    assert "锦湖苑3栋" in {b["name"] for b in jinhu["buildings"]}
