"""The desk map's layers in Chromium. At 1280×800 a station chief opens the map: the layers panel shows 开放事项,
超期事项, 突发事件, 今日巡查轨迹 and 隐患 with the counts the API gives; the overdue matter is a red marker, the patrol
the grid leader walked today (sent through the API as the phone sends it) is a line; a layer toggles off and on;
the overdue marker's popup links to the matter's record. At 360×740 the panel opens from 图层 and fits the screen."""

from __future__ import annotations

from datetime import timedelta

import httpx
from playwright.sync_api import Page, expect

from assessment.helpers import add_matter
from browser.conftest import DESK, PHONE, signed_in
from conftest import TLS
from support.world import G_SIZE, ORIGINS
from wangge.emergencies.models import Incident
from wangge.fieldwork.patrols import day_bounds, today
from wangge.models_common import utcnow
from wangge.station.models import Hazard

LAYERS = ("matters", "overdue", "incidents", "tracks", "hazards")
NAMES = ("开放事项", "超期事项", "突发事件", "今日巡查轨迹", "隐患")


def _at(dx: float, dy: float) -> tuple[float, float]:
    """(lat, lon) at a fraction of G1a's square from its south-west corner."""
    lon, lat = ORIGINS["C1"]
    return lat + G_SIZE * dy, lon + G_SIZE * dx


def _scene(live, world) -> dict[str, int]:
    """Open matters in G1a and G1b, an overdue one in G1a, an open incident and an open hazard in G1a, a hazard in
    C2 the chief never sees; each at a point of its own."""
    now = utcnow()
    ids: dict[str, int] = {}
    with live.session() as s:
        lat, lon = _at(0.2, 0.8)
        ids["open"] = add_matter(s, world, status="accepted", due_at=now + timedelta(days=2), lat=lat, lon=lon)
        ids["open_g1b"] = add_matter(s, world, grid="G1b", status="accepted", due_at=now + timedelta(days=2))
        lat, lon = _at(0.5, 0.5)
        ids["overdue"] = add_matter(s, world, status="handling", due_at=now - timedelta(hours=3), lat=lat, lon=lon)
        lat, lon = _at(0.8, 0.8)
        incident = Incident(
            code="MAPI1",
            incident_type="fire",
            severity=2,
            title="3号楼厨房起火",
            place="幸福小区3号楼",
            lat=lat,
            lon=lon,
            district_id=world.ids["D1"],
            street_id=world.ids["S1"],
            community_id=world.ids["C1"],
            grid_id=world.ids["G1a"],
            raised_by_id=world.users["grid_leader"],
            occurred_at=now,
            known_at=now,
            first_report_due_at=now + timedelta(minutes=30),
            followup_minutes=60,
            status="open",
        )
        s.add(incident)
        for grid, community, (lat, lon) in (("G1a", "C1", _at(0.8, 0.2)), ("G2", "C2", (28.1015, 113.0215))):
            s.add(
                Hazard(
                    community_id=world.ids[community],
                    grid_id=world.ids[grid],
                    place="1栋楼道",
                    lat=lat,
                    lon=lon,
                    hazard_type="fire",
                    risk_level="high",
                    description="楼道堆放杂物",
                    responsible_unit="物业公司",
                    deadline=today() + timedelta(days=5),
                    status="open",
                    photo_ids=[],
                )
            )
        s.commit()
        ids["incident"] = incident.id
    return ids


def _patrol_today(base_url: str, world) -> int:
    """The grid leader's patrol of today, sent as the phone sends it: started, then a batch of points."""
    start = max(utcnow() - timedelta(minutes=3), day_bounds(today())[0] + timedelta(seconds=1))
    auth = world.headers("grid_leader")
    with httpx.Client(base_url=base_url + "/api/v1", timeout=30, verify=TLS) as c:
        r = c.post(
            "/patrols",
            json={"client_id": "map-walk", "started_at": start.isoformat(), "grid_id": world.ids["G1a"]},
            headers=auth,
        )
        assert r.status_code == 201, r.text
        patrol = r.json()["id"]
        points = []
        for k in range(6):
            lat, lon = _at(0.1 + 0.15 * k, 0.3 + (0.05 if k % 2 else 0.0))
            at = start + timedelta(seconds=20 * k)
            points.append({"client_id": f"pt{k}", "recorded_at": at.isoformat(), "lat": lat, "lon": lon})
        r = c.post(f"/patrols/{patrol}/points", json={"batch_id": "b1", "points": points}, headers=auth)
        assert r.status_code == 200, r.text
    return patrol


def _api_counts(base_url: str, world, who: str) -> dict[str, int]:
    r = httpx.get(base_url + "/api/v1/map/layers", headers=world.headers(who), timeout=30, verify=TLS)
    assert r.status_code == 200, r.text
    return {name: r.json()[name]["count"] for name in LAYERS}


def _legend_matches(page: Page, counts: dict[str, int]) -> None:
    panel = page.get_by_test_id("map-layers")
    expect(panel).to_be_visible()
    for name in NAMES:
        expect(panel).to_contain_text(name)
    for name, count in counts.items():
        expect(page.get_by_test_id(f"layer-count-{name}")).to_have_text(str(count))


def test_a_chief_sees_the_layers_toggles_them_and_opens_an_overdue_matter(world, live, browser, app_server):
    ids = _scene(live, world)
    patrol = _patrol_today(app_server.base_url, world)
    counts = _api_counts(app_server.base_url, world, "station_chief")
    assert counts == {"matters": 2, "overdue": 1, "incidents": 1, "tracks": 1, "hazards": 1}

    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/map")
    expect(page.get_by_test_id("grid-map")).to_have_attribute("data-loaded", "true")
    _legend_matches(page, counts)
    overdue = page.locator(f'path[data-layer="overdue"][data-id="{ids["overdue"]}"]')
    expect(overdue).to_have_count(1)
    assert "map-layer-marker--overdue" in (overdue.get_attribute("class") or "")
    expect(page.locator('path[data-layer="matters"]')).to_have_count(2)
    expect(page.locator(f'path[data-layer="incidents"][data-id="{ids["incident"]}"]')).to_have_count(1)
    expect(page.locator('path[data-layer="hazards"]')).to_have_count(1)  # never C2's
    track = page.locator(f'path[data-layer="tracks"][data-id="{patrol}"]')
    expect(track).to_have_count(1)
    assert (track.get_attribute("d") or "").count("L") >= 1  # a line, not a point

    # Off and on again: the markers go and come back, the legend says so.
    page.get_by_test_id("layer-toggle-overdue").uncheck()
    expect(page.locator('path[data-layer="overdue"]')).to_have_count(0)
    expect(page.get_by_test_id("layer-count-overdue")).to_have_text("–")
    page.get_by_test_id("layer-toggle-tracks").uncheck()
    expect(page.locator('path[data-layer="tracks"]')).to_have_count(0)
    page.get_by_test_id("layer-toggle-overdue").check()
    expect(overdue).to_have_count(1)
    expect(page.get_by_test_id("layer-count-overdue")).to_have_text("1")

    # In English on request, the same counts.
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("map-layers")).to_contain_text("Overdue matters")
    expect(page.get_by_test_id("map-layers")).to_contain_text("Today's patrol tracks")
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("map-layers")).to_contain_text("超期事项")

    overdue.click()
    popup = page.get_by_test_id("layer-popup")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("办理中")
    expect(popup).to_contain_text("已超期")
    expect(popup).to_contain_text("环境卫生")
    page.get_by_test_id("layer-popup-link").click()
    expect(page).to_have_url(f"{app_server.base_url}/matters/{ids['overdue']}")
    page.context.close()

    # The choice is kept per browser: a new context shows every layer again.
    phone = signed_in(browser, app_server.base_url, "station_chief", PHONE, "/map")
    expect(phone.get_by_test_id("grid-map")).to_have_attribute("data-loaded", "true")
    expect(phone.get_by_test_id("map-layers")).to_have_count(0)  # not fetched until asked for
    phone.get_by_test_id("map-layers-open").click()
    _legend_matches(phone, counts)
    expect(phone.locator(f'path[data-layer="tracks"][data-id="{patrol}"]')).to_have_count(1)
    box = phone.get_by_test_id("map-layers").bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.get_by_test_id("map-layers").locator("summary").click()  # collapsed, the map is free again
    expect(phone.get_by_test_id("layer-toggle-matters")).to_be_hidden()
    phone.context.close()


def test_a_grid_leader_sees_their_own_grids_layers(world, live, browser, app_server):
    _scene(live, world)
    patrol = _patrol_today(app_server.base_url, world)
    counts = _api_counts(app_server.base_url, world, "grid_leader")
    assert counts == {"matters": 1, "overdue": 1, "incidents": 1, "tracks": 1, "hazards": 1}  # not G1b's matter
    page = signed_in(browser, app_server.base_url, "grid_leader", PHONE, "/map")
    page.get_by_test_id("map-layers-open").click()
    _legend_matches(page, counts)
    expect(page.locator(f'path[data-layer="tracks"][data-id="{patrol}"]')).to_have_count(1)
    page.context.close()


def test_a_patrol_with_one_point_is_counted_and_drawn_as_a_point(world, live, browser, app_server):
    """The G1b leader has just started (one point sent, no line yet): the desk counts the patrol and shows it."""
    line = _patrol_today(app_server.base_url, world)
    start = max(utcnow() - timedelta(minutes=2), day_bounds(today())[0] + timedelta(seconds=1))
    auth = world.headers("leader_g1b")
    with httpx.Client(base_url=app_server.base_url + "/api/v1", timeout=30, verify=TLS) as c:
        r = c.post(
            "/patrols",
            json={"client_id": "map-one", "started_at": start.isoformat(), "grid_id": world.ids["G1b"]},
            headers=auth,
        )
        assert r.status_code == 201, r.text
        one = r.json()["id"]
        lon, lat = ORIGINS["C1"][0] + G_SIZE * 1.5, ORIGINS["C1"][1] + G_SIZE / 2  # the middle of G1b
        point = {"client_id": "p0", "recorded_at": start.isoformat(), "lat": lat, "lon": lon}
        r = c.post(f"/patrols/{one}/points", json={"batch_id": "b1", "points": [point]}, headers=auth)
        assert r.status_code == 200, r.text
    assert _api_counts(app_server.base_url, world, "station_chief")["tracks"] == 2

    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/map")
    expect(page.get_by_test_id("layer-count-tracks")).to_have_text("2")
    expect(page.locator(f'path[data-layer="tracks"][data-id="{line}"]')).to_have_count(1)
    dot = page.locator(f'path[data-layer="tracks"][data-id="{one}"]')
    expect(dot).to_have_count(1)
    assert "map-layer-marker--tracks" in (dot.get_attribute("class") or "")  # a marker, not a line
    dot.click()
    expect(page.get_by_test_id("layer-popup")).to_contain_text("leader_g1b的名字")
    page.screenshot(path="test-results/map-layers-one-point.png")
    page.context.close()
