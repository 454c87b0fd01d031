"""The grid leader's matter page and day on a 360×740 phone (issue 13): the place on a small map (inside its grid's
outline) with links that open
高德, 百度 and 腾讯 maps at the point converted to each app's datum; handling on the spot with an after photo, shown
beside the before one and on the resident's tracking page; my day resolving a matter from its row.

The links' coordinates are checked against gcoord run by Node (the library src/map/coords.ts wraps, the one the app
ships): exact values from the same published algorithm, with no second implementation of it in Python; and the
shift itself is checked to be the few hundred metres of China's datums, so a link left in WGS 84 fails."""

from __future__ import annotations

import io
import json
import math
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
from PIL import Image
from playwright.sync_api import expect

from browser.conftest import PHONE, signed_in
from support.world import PASSWORD, grid_point

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"


def _token(base: str, username: str) -> dict[str, str]:
    r = httpx.post(f"{base}/api/v1/auth/token", data={"username": username, "password": PASSWORD}, timeout=30)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, "JPEG", quality=80)
    return out.getvalue()


def _converted(lat: float, lon: float) -> dict[str, tuple[float, float]]:
    """[lat, lon] in GCJ-02 and BD-09 as gcoord computes them (Node, the app's own dependency)."""
    script = (
        "const g=require('gcoord');const p=JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify({gcj02:g.transform(p,g.WGS84,g.GCJ02),bd09:g.transform(p,g.WGS84,g.BD09)}))"
    )
    out = subprocess.run(
        ["node", "-e", script, json.dumps([lon, lat])], cwd=FRONTEND, capture_output=True, text=True, check=True
    )
    return {k: (v[1], v[0]) for k, v in json.loads(out.stdout).items()}


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = math.radians(b[0] - a[0])
    dlon = math.radians(b[1] - a[1]) * math.cos(math.radians(a[0]))
    return 6371008.8 * math.hypot(dlat, dlon)


def _link_point(app: str, href: str) -> tuple[float, float]:
    query = parse_qs(urlparse(href).query)
    if app == "amap":
        lon, lat = query["position"][0].split(",")
        return float(lat), float(lon)
    if app == "baidu":
        lat, lon = query["location"][0].split(",")
        return float(lat), float(lon)
    lat, lon = query["marker"][0].split(";")[0].removeprefix("coord:").split(",")
    return float(lat), float(lon)


def test_matter_page_map_navigation_links_and_after_photo(world, browser, app_server):
    base = app_server.base_url
    lon, lat = grid_point("G1a")
    before = httpx.post(f"{base}/api/v1/public/photos", files={"file": ("b.jpg", _jpeg((200, 60, 60)))}, timeout=30)
    assert before.status_code == 201, before.text
    created = httpx.post(
        f"{base}/api/v1/public/matters",
        json={
            "category": "sanitation",
            "description": "楼下垃圾堆积",
            "lat": lat,
            "lon": lon,
            "reporter_phone": "13812345678",
            "photo_tokens": [before.json()["token"]],
        },
        timeout=30,
    )
    assert created.status_code == 201, created.text
    code, token = created.json()["tracking_code"], created.json()["tracking_token"]
    leader = _token(base, "grid_leader")
    found = httpx.get(f"{base}/api/v1/matters", params={"box": "grid", "status": "open", "limit": 50}, headers=leader)
    mid = next(m["id"] for m in found.json()["items"] if m["tracking_code"] == code)

    page = signed_in(browser, base, "grid_leader", PHONE, f"/matters/{mid}")
    expect(page.get_by_test_id("matter-map")).to_be_visible()
    expect(page.get_by_test_id("matter-map").locator(".leaflet-marker-icon")).to_have_count(1)
    # The matter's grid around the point, the point inside it (named on a map without tiles: test_basemap.py).
    outline = page.get_by_test_id("matter-map").locator("path.grid-outline")
    expect(outline).to_have_count(1)
    marker, area = page.locator(".leaflet-marker-icon").bounding_box(), outline.bounding_box()
    assert marker and area and area["width"] > 60 and area["height"] > 60
    tip = (marker["x"] + marker["width"] / 2, marker["y"] + marker["height"])
    assert area["x"] < tip[0] < area["x"] + area["width"] and area["y"] < tip[1] < area["y"] + area["height"]
    page.screenshot(path=str(FRONTEND.parent / "test-results" / "field-matter-map.png"))
    expected = _converted(lat, lon)
    for app, datum in (("amap", "gcj02"), ("baidu", "bd09"), ("tencent", "gcj02")):
        link = page.get_by_test_id(f"nav-{app}")
        expect(link).to_be_visible()
        point = _link_point(app, link.get_attribute("href") or "")
        assert abs(point[0] - expected[datum][0]) < 2e-6 and abs(point[1] - expected[datum][1]) < 2e-6, (app, point)
        assert 100 < _metres((lat, lon), point) < 1500, (app, point)  # converted, not left in WGS 84
        assert link.get_attribute("target") == "_blank"
    assert [page.get_by_test_id(f"nav-{a}").inner_text() for a in ("amap", "baidu", "tencent")] == [
        "高德地图",
        "百度地图",
        "腾讯地图",
    ]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # 先行联系 first (the resident left a phone), then 现场处置 with an after photo.
    page.get_by_test_id("action-contact").click()
    page.get_by_test_id("action-dialog").get_by_test_id("action-confirm").click()
    page.get_by_test_id("action-handle_on_spot").click()
    dialog = page.get_by_test_id("action-dialog")
    dialog.get_by_test_id("action-text").fill("已清运干净")
    picker = dialog.get_by_test_id("action-after-photos")
    expect(picker).to_contain_text("处理后照片")
    picker.locator("input[type=file]").set_input_files(
        {"name": "after.jpg", "mimeType": "image/jpeg", "buffer": _jpeg((60, 160, 60))}
    )
    expect(picker.get_by_test_id("report-photo-thumb")).to_have_count(1)
    dialog.get_by_test_id("action-confirm").click()
    expect(page.get_by_test_id("matter-status")).to_contain_text("已办结")
    expect(page.get_by_test_id("photos-before").locator("img")).to_have_count(1)
    expect(page.get_by_test_id("photos-after").locator("img")).to_have_count(1)
    expect(page.get_by_test_id("photos-after")).to_contain_text("处理后")
    box_before = page.get_by_test_id("photos-before").bounding_box()
    box_after = page.get_by_test_id("photos-after").bounding_box()
    assert box_before and box_after and abs(box_before["y"] - box_after["y"]) < 2 and box_after["x"] > box_before["x"]
    page.context.close()

    # The resident sees both on the tracking page.
    resident = signed_in(browser, base, "grid_leader", PHONE, f"/track/{code}#t={token}")
    expect(resident.get_by_test_id("photos-after").locator("img")).to_have_count(1)
    expect(resident.get_by_test_id("photos-before").locator("img")).to_have_count(1)
    after_src = resident.get_by_test_id("photos-after").locator("img").get_attribute("src") or ""
    assert after_src.startswith("/api/v1/photos/") and httpx.get(base + after_src).status_code == 200
    resident.context.close()


def test_my_day_resolves_a_matter_from_its_row(world, browser, app_server):
    base = app_server.base_url
    lon, lat = grid_point("G1a")
    leader = _token(base, "grid_leader")
    r = httpx.post(
        f"{base}/api/v1/matters",
        json={"category": "sanitation", "description": "井盖松动", "lat": lat, "lon": lon},
        headers=leader,
        timeout=30,
    )
    assert r.status_code == 201, r.text
    mid = r.json()["id"]

    page = signed_in(browser, base, "grid_leader", PHONE, "/my-day")
    row = page.locator(f"[data-testid=myday-item][data-kind=matter][data-id='{mid}']")
    expect(row).to_contain_text("待处置")
    row.get_by_test_id("myday-dispose").click()
    picker = page.get_by_test_id("myday-picker")
    expect(picker.get_by_test_id("myday-act-resolve")).to_be_visible()
    expect(picker.get_by_test_id("myday-choice-handled")).to_have_count(0)  # never by hand for a matter
    picker.get_by_test_id("myday-act-resolve").click()
    dialog = page.get_by_test_id("action-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_test_id("action-text").fill("已更换井盖")
    dialog.get_by_test_id("action-confirm").click()
    expect(row.get_by_test_id("myday-disposition")).to_contain_text("已处理")
    expect(row.get_by_test_id("myday-dispose")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    current = httpx.get(f"{base}/api/v1/matters/{mid}", headers=leader, timeout=30).json()
    assert current["status"] == "resolved" and current["result"] == "已更换井盖"
    page.goto(f"{base}/matters/{mid}")
    expect(page.get_by_test_id("matter-status")).to_contain_text("已办结")
    page.context.close()
