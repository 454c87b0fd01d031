"""The resident's report map, no account: the active grids with outlines and names, where a point belongs (outside
every grid: the nearest community and its station's duty phone), buildings and places by name inside the grids, the
open public-space reports nearby with nothing personal, and "me too" once per device, counted for staff too."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import func, select, update

from conftest import assert_problem
from matters.helpers import get, matter_id, submit
from support.world import ORIGINS, grid_point
from wangge.hierarchy.models import Building, Community, Grid
from wangge.matters.models import Category, Matter, Supporter

API = "/api/v1/public"
PERSONAL = {"phone", "reporter_phone", "name", "reporter_name", "address", "description", "tracking_code", "lat", "lon"}


def _device() -> str:
    return secrets.token_urlsafe(24)


def test_the_grids_are_the_active_ones_with_outlines_names_and_their_community(world, client, live):
    r = client.get(f"{API}/grids")
    assert r.status_code == 200, r.text
    grids = {g["code"]: g for g in r.json()}
    assert set(grids) == {world.codes[g] for g in ("G1a", "G1b", "G2", "G3", "G4")}
    g1a = grids[world.codes["G1a"]]
    assert g1a["name"] == "G1a网格" and g1a["community_name"] == "C1社区" and g1a["community_id"] == world.ids["C1"]
    assert g1a["geometry"]["type"] == "Polygon" and len(g1a["geometry"]["coordinates"][0]) == 5
    assert set(g1a) == {"id", "code", "name", "community_id", "community_name", "geometry"}  # no figures, no phones

    only_c1 = client.get(f"{API}/grids", params={"community_id": world.ids["C1"]}).json()
    assert sorted(g["name"] for g in only_c1) == ["G1a网格", "G1b网格"]
    lon, lat = ORIGINS["C4"]
    boxed = client.get(f"{API}/grids", params={"bbox": f"{lat - 0.001},{lon - 0.001},{lat + 0.001},{lon + 0.001}"})
    assert [g["name"] for g in boxed.json()] == ["G4网格"]

    with live.session() as s:
        s.execute(update(Grid).where(Grid.id == world.ids["G2"]).values(is_active=False))
        s.commit()
    assert "G2网格" not in {g["name"] for g in client.get(f"{API}/grids").json()}
    assert_problem(client.get(f"{API}/grids/{world.ids['G2']}"), 404)


def test_one_grid_carries_a_point_inside_it_to_open_the_report_there(world, client):
    r = client.get(f"{API}/grids/{world.ids['G1b']}")
    assert r.status_code == 200, r.text
    lon, lat = grid_point("G1b")
    assert r.json()["name"] == "G1b网格" and r.json()["centroid"] == pytest.approx([lat, lon], abs=1e-6)
    assert_problem(client.get(f"{API}/grids/999999"), 404)


def test_locate_names_the_grid_or_outside_every_grid_the_nearest_station_and_its_duty_phone(world, client, live):
    with live.session() as s:
        s.execute(update(Community).where(Community.id == world.ids["C1"]).values(duty_phone="0731-8888001"))
        s.commit()
    lon, lat = grid_point("G1b")
    inside = client.get(f"{API}/locate", params={"lat": lat, "lon": lon}).json()
    assert inside["grid"] == {"id": world.ids["G1b"], "code": world.codes["G1b"], "name": "G1b网格"}
    assert inside["community"] == {
        "id": world.ids["C1"],
        "name": "C1社区",
        "duty_phone": "0731-8888001",
        "on_duty": None,
    }

    c1_lon, c1_lat = ORIGINS["C1"]
    outside = client.get(f"{API}/locate", params={"lat": c1_lat + 0.008, "lon": c1_lon + 0.002}).json()
    assert outside == {
        "grid": None,
        "community": {"id": world.ids["C1"], "name": "C1社区", "duty_phone": "0731-8888001", "on_duty": None},
    }
    c4_lon, c4_lat = ORIGINS["C4"]  # far out to the north-east of everything: C4 is the nearest
    far = client.get(f"{API}/locate", params={"lat": c4_lat + 0.05, "lon": c4_lon + 0.05}).json()
    assert far["grid"] is None and far["community"]["name"] == "C4社区" and far["community"]["duty_phone"] is None
    # The server still refuses a report there, with the same code the page knew before sending.
    body = {"category": "sanitation", "description": "x", "lat": c1_lat + 0.008, "lon": c1_lon + 0.002}
    assert (
        assert_problem(client.post(f"{API}/matters", json={**body, "reporter_phone": "13812345678"}), 422)["code"]
        == "outside-grid"
    )


def test_places_are_found_by_name_inside_active_grids_only_and_active_only(world, client, live):
    r = client.get(f"{API}/places", params={"q": "1栋"})
    assert r.status_code == 200, r.text
    found = r.json()
    assert {p["name"] for p in found} == {f"{g}-1栋" for g in ("G1a", "G1b", "G2", "G3", "G4")}
    g1a = next(p for p in found if p["name"] == "G1a-1栋")
    lon, lat = grid_point("G1a")
    assert g1a["kind"] == "building" and g1a["grid_id"] == world.ids["G1a"] and g1a["grid_name"] == "G1a网格"
    assert g1a["point"] == pytest.approx([lat, lon])
    assert "head_phone" not in g1a and "head_name" not in g1a
    shop = client.get(f"{API}/places", params={"q": "G2小卖"}).json()
    assert [(p["kind"], p["name"]) for p in shop] == [("place", "G2小卖部")]

    with live.session() as s:
        s.execute(update(Building).where(Building.id == world.ids["B_G1b"]).values(is_active=False))
        s.execute(update(Grid).where(Grid.id == world.ids["G3"]).values(is_active=False))
        s.commit()
    names = {p["name"] for p in client.get(f"{API}/places", params={"q": "1栋"}).json()}
    assert names == {"G1a-1栋", "G2-1栋", "G4-1栋"}
    assert client.get(f"{API}/places", params={"q": "%"}).json() == []  # a wildcard is a character like any other


def test_the_lists_are_bounded(world, client, live):
    with live.session() as s:
        grid = s.get(Grid, world.ids["G1a"])
        s.add_all(
            Building(grid_id=grid.id, name=f"同名楼{i}", households=1, geom=s.get(Building, world.ids["B_G1a"]).geom)
            for i in range(30)
        )
        s.commit()
    assert len(client.get(f"{API}/places", params={"q": "同名楼"}).json()) == 20


def test_nearby_shows_open_public_space_reports_near_the_point_and_nothing_personal(world, client, live):
    lon, lat = grid_point("G1a")
    near = submit(client, "sanitation", "G1a")
    private = submit(client, "dispute", "G1a")  # between neighbours: not a public-space report
    closed = submit(client, "urban_construction", "G1a")
    far = submit(client, "sanitation", "G2")
    with live.session() as s:
        s.execute(update(Matter).where(Matter.tracking_code == closed["tracking_code"]).values(status="closed"))
        s.commit()
    r = client.get(f"{API}/nearby", params={"lat": lat, "lon": lon})
    assert r.status_code == 200, r.text
    rows = r.json()
    ids = {row["id"] for row in rows}
    assert matter_id(live, near["tracking_code"]) in ids
    for excluded in (private, closed, far):
        assert matter_id(live, excluded["tracking_code"]) not in ids
    row = next(x for x in rows if x["id"] == matter_id(live, near["tracking_code"]))
    assert row["category_name"] == "垃圾与环境卫生" and row["status"] == "submitted" and row["supporters"] == 0
    assert row["distance_m"] < 1
    for x in rows:
        assert not PERSONAL & set(x), x
        assert near["tracking_code"] not in str(x)
    # 150 m to the north it is still near; 400 m away it is not.
    assert ids <= {x["id"] for x in client.get(f"{API}/nearby", params={"lat": lat + 0.00135, "lon": lon}).json()}
    assert client.get(f"{API}/nearby", params={"lat": lat + 0.0036, "lon": lon}).json() == []


def test_me_too_is_counted_once_per_device_and_shows_to_staff(world, client, live):
    created = submit(client, "sanitation", "G1a")
    mid = matter_id(live, created["tracking_code"])
    one, two = _device(), _device()
    url = f"{API}/matters/{mid}/support"
    assert client.post(url, json={"client": one}).json() == {"supporters": 1}
    assert client.post(url, json={"client": one}).json() == {"supporters": 1}  # again: nothing changes
    assert client.post(url, json={"client": two}).json() == {"supporters": 2}
    with live.session() as s:
        hashes = s.execute(select(Supporter.client_hash).where(Supporter.matter_id == mid)).scalars().all()
        assert len(hashes) == 2 and one not in hashes and two not in hashes and all(len(h) == 64 for h in hashes)
    lon, lat = grid_point("G1a")
    nearby = client.get(f"{API}/nearby", params={"lat": lat, "lon": lon}).json()
    assert next(x for x in nearby if x["id"] == mid)["supporters"] == 2
    staff = get(client, world, "grid_leader", mid)
    assert staff.status_code == 200 and staff.json()["supporters"] == 2


def test_me_too_is_refused_for_closed_private_and_missing_matters(world, client, live):
    private = matter_id(live, submit(client, "dispute", "G1a")["tracking_code"])
    closed = matter_id(live, submit(client, "sanitation", "G1a")["tracking_code"])
    with live.session() as s:
        s.execute(update(Matter).where(Matter.id == closed).values(status="closed"))
        s.commit()
    for mid in (private, closed, 999999):
        assert_problem(client.post(f"{API}/matters/{mid}/support", json={"client": _device()}), 404)
    with live.session() as s:
        assert s.execute(select(func.count(Supporter.id))).scalar_one() == 0


@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        ("get", "/locate", {"lat": "north", "lon": "113"}),
        ("get", "/locate", {"lat": "91", "lon": "113"}),
        ("get", "/locate", {"lat": "28"}),
        ("get", "/nearby", {"lat": "28", "lon": "181"}),
        ("get", "/places", {"q": ""}),
        ("get", "/places", {"q": "x" * 51}),
        ("get", "/grids", {"bbox": "1,2,3"}),
        ("get", "/grids", {"bbox": "28,113,27,114"}),
        ("get", "/grids", {"bbox": "a,b,c,d"}),
        ("get", "/grids", {"community_id": "0"}),
        ("get", "/grids/abc", {}),
        ("post", "/matters/abc/support", {}),
    ],
)
def test_malformed_requests_are_422_problems(world, client, method, path, params):
    if method == "get":
        r = client.get(API + path, params=params)
    else:
        r = client.post(API + path, json={"client": _device()})
    assert assert_problem(r, 422)["code"]


def test_me_too_needs_a_device_token(world, client, live):
    mid = matter_id(live, submit(client, "sanitation", "G1a")["tracking_code"])
    for body in ({}, {"client": "short"}, {"client": "has spaces in it and more"}, {"client": _device(), "x": 1}):
        assert_problem(client.post(f"{API}/matters/{mid}/support", json=body), 422)


def test_the_tracking_view_says_when_the_next_step_is_due_and_nothing_once_resolved(world, client, live):
    created = submit(client, "sanitation", "G1a")
    track = f"{API}/matters/{created['tracking_code']}"
    headers = {"X-Tracking-Token": created["tracking_token"]}
    view = client.get(track, headers=headers).json()
    with live.session() as s:
        m = s.execute(select(Matter).where(Matter.tracking_code == created["tracking_code"])).scalar_one()
        due = m.sign_due_at or m.due_at
    assert due is not None and view["next_due_at"] is not None
    assert view["next_due_at"][:16] == due.isoformat()[:16]
    with live.session() as s:
        s.execute(update(Matter).where(Matter.id == m.id).values(status="resolved"))
        s.commit()
    assert client.get(track, headers=headers).json()["next_due_at"] is None


def test_an_administrator_offers_a_category_to_residents_under_a_public_name(world, client):
    url = f"/api/v1/categories/{world.categories['culture']}"
    admin = world.headers("system_admin")
    assert "culture" not in {c["code"] for c in client.get(f"{API}/categories").json()}
    body = {"resident_facing": True, "public_name_zh": "文体活动", "public_name_en": "Sports"}
    r = client.patch(url, headers=admin, json=body)
    assert r.status_code == 200, r.text
    assert (r.json()["resident_facing"], r.json()["public_name_zh"]) == (True, "文体活动")
    offered = {c["code"]: c for c in client.get(f"{API}/categories").json()}
    assert offered["culture"]["public_name_zh"] == "文体活动" and offered["culture"]["public_name_en"] == "Sports"
    assert_problem(client.patch(url, headers=admin, json={"public_name_zh": "x" * 51}), 422)
    assert_problem(client.patch(url, headers=world.headers("grid_leader"), json={"resident_facing": False}), 403)
    log = client.get("/api/v1/audit", headers=admin).json()["items"]
    changed = next(e for e in log if e["entity"] == "category" and e["entity_id"] == str(world.categories["culture"]))
    assert (
        changed["changes"]["resident_facing"] == [False, True] and changed["changes"]["public_name_zh"][1] == "文体活动"
    )


def test_the_tracking_view_names_the_category_as_residents_know_it(world, client):
    created = submit(client, "sanitation", "G1a")
    view = client.get(
        f"{API}/matters/{created['tracking_code']}", headers={"X-Tracking-Token": created["tracking_token"]}
    ).json()
    assert view["category"]["code"] == "sanitation" and view["category"]["name"] == "垃圾与环境卫生"


def test_nearby_names_a_staff_line_neutrally_and_a_residents_category_by_its_public_name(world, client, live):
    # A leader's 民生工程 finding is public space (Open311 publishes it) but not a category residents choose from.
    lon, lat = grid_point("G1a")
    body = {"category": "livelihood", "description": "小区路灯改造", "lat": lat, "lon": lon, "source": "field"}
    staff = client.post("/api/v1/matters", headers=world.headers("grid_leader"), json=body)
    assert staff.status_code == 201, staff.text
    resident = matter_id(live, submit(client, "urban_construction", "G1a")["tracking_code"])
    rows = {x["id"]: x for x in client.get(f"{API}/nearby", params={"lat": lat, "lon": lon}).json()}
    line = rows[staff.json()["id"]]
    assert (line["category_name"], line["category_name_en"]) == ("其他", "Other")
    assert (rows[resident]["category_name"], rows[resident]["category_name_en"]) == (
        "道路与市政设施损坏",
        "Broken roads and street facilities",
    )
    # Given a public name, the staff line is shown under it.
    with live.session() as s:
        s.execute(update(Category).where(Category.code == "livelihood").values(public_name_zh="社区改造工程"))
        s.commit()
    rows = {x["id"]: x for x in client.get(f"{API}/nearby", params={"lat": lat, "lon": lon}).json()}
    assert rows[staff.json()["id"]]["category_name"] == "社区改造工程"
