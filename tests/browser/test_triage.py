"""The station chief's triage board in Chromium at a 1280×800 desk: two matters brought back to the station are on
today's agenda; both are selected and closed with one explanation (each applied on its own), then the meeting is
closed and locked. Screenshots go to test-results/triage-*.png."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import expect

from browser.conftest import DESK, signed_in
from support.world import PASSWORD, grid_point

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _token(base: str, username: str) -> dict[str, str]:
    r = httpx.post(f"{base}/api/v1/auth/token", data={"username": username, "password": PASSWORD}, timeout=30)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _brought_back(base: str, leader: dict[str, str], description: str) -> tuple[int, str]:
    """A resident's report in G1a that the grid leader brings back to the station (over HTTP)."""
    lon, lat = grid_point("G1a")
    r = httpx.post(
        f"{base}/api/v1/public/matters",
        json={
            "category": "sanitation",
            "description": description,
            "lat": lat,
            "lon": lon,
            "reporter_phone": "13812345678",
        },
        timeout=30,
    )
    assert r.status_code == 201, r.text
    code = r.json()["tracking_code"]
    query = {"box": "grid", "status": "open", "limit": 50}
    found = httpx.get(f"{base}/api/v1/matters", params=query, headers=leader, timeout=30)
    assert found.status_code == 200, found.text
    mid = next(m["id"] for m in found.json()["items"] if m["tracking_code"] == code)
    current = httpx.get(f"{base}/api/v1/matters/{mid}", headers=leader, timeout=30)
    assert current.status_code == 200, current.text
    done = httpx.post(
        f"{base}/api/v1/matters/{mid}/actions/bring_back",
        headers={**leader, "If-Match": current.headers["etag"]},
        json={"reason": "网格内处理不了，带回服务站"},
        timeout=30,
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "at_station"
    return mid, code


def test_triage_board_batch_close_and_lock(world, browser, app_server):
    base = app_server.base_url
    leader = _token(base, "grid_leader")
    first = _brought_back(base, leader, "楼道堆放杂物，影响通行")
    second = _brought_back(base, leader, "小区门口垃圾桶满溢")

    page = signed_in(browser, base, "station_chief", DESK, "/map")
    page.get_by_test_id("nav-matters").click()
    page.get_by_test_id("link-triage").click()
    expect(page).to_have_url(re.compile(r"/triage$"))

    page.get_by_test_id("triage-open").click()
    # The community's first meeting takes everything brought back so far, and says so (no "since 2000-01-01").
    expect(page.get_by_test_id("triage-page")).to_contain_text("首次研判")
    expect(page.get_by_test_id("triage-page")).not_to_contain_text("2000-01-01")
    items = page.get_by_test_id("triage-item")
    for mid, _ in (first, second):
        expect(items.and_(page.locator(f'[data-matter-id="{mid}"]'))).to_have_attribute("data-decision", "")
    expect(page.get_by_test_id("triage-group").first).to_contain_text("环境卫生")

    for mid, _ in (first, second):
        page.locator(f'[data-testid="triage-item"][data-matter-id="{mid}"] [data-testid="triage-select"]').check()
    expect(page.get_by_test_id("triage-selected")).to_have_attribute("data-count", "2")
    page.get_by_test_id("triage-batch-decision").select_option("close")
    page.get_by_test_id("triage-batch-reason").fill("经研判，已由物业当日清理完毕")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "triage-board.png"))
    page.get_by_test_id("triage-batch-apply").click()

    results = page.get_by_test_id("triage-result")
    expect(results).to_have_count(2)
    for i in range(2):
        expect(results.nth(i)).to_have_attribute("data-ok", "true")
    expect(results.first).to_contain_text("已执行")
    for mid, _ in (first, second):
        item = page.locator(f'[data-testid="triage-item"][data-matter-id="{mid}"]')
        expect(item).to_have_attribute("data-decision", "close")
    page.screenshot(path=str(SHOTS / "triage-results.png"))

    page.get_by_test_id("triage-attendees").fill("张站长、李网格长")
    page.get_by_test_id("triage-attendees-save").click()
    page.get_by_test_id("triage-minutes").fill("研判两件环境卫生事项，均已办结。")
    page.get_by_test_id("triage-close").click()
    page.locator(".van-dialog__confirm").click()
    expect(page.get_by_test_id("triage-locked")).to_be_visible()
    expect(page.get_by_test_id("triage-close")).to_have_count(0)
    expect(page.get_by_test_id("triage-minutes")).to_be_disabled()
    page.screenshot(path=str(SHOTS / "triage-locked.png"))

    # The matters were closed through their own rules; the minutes were kept with the meeting.
    chief = _token(base, "station_chief")
    for mid, _ in (first, second):
        m = httpx.get(f"{base}/api/v1/matters/{mid}", headers=chief, timeout=30).json()
        assert m["status"] == "closed", m["status"]
    meetings = httpx.get(f"{base}/api/v1/triage/meetings", headers=chief, timeout=30).json()["items"]
    meeting = httpx.get(f"{base}/api/v1/triage/meetings/{meetings[0]['id']}", headers=chief, timeout=30).json()
    assert meeting["closed_at"] and "均已办结" in meeting["minutes"]
    assert [a["name"] for a in meeting["attendees"]] == ["张站长", "李网格长"]
