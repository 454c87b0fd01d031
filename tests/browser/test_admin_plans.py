"""应急预案与演练 in Chromium (1280×800): the station chief writes a fire plan for 枫溪's community C1 (a plan without
an incident type is refused in the form), records a drill under it with two of the community's staff, and the API
answers both."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from browser.conftest import DESK, signed_in


def test_a_chief_writes_a_plan_and_records_a_drill(world, browser, app_server):
    base = app_server.base_url
    page = signed_in(browser, base, "station_chief", DESK, "/admin")
    page.get_by_test_id("admin-plans").click()

    page.get_by_test_id("plan-new").click()
    form = page.get_by_test_id("plan-form")
    form.get_by_test_id("plan-title").locator("input").fill("高层住宅火灾处置预案")
    form.get_by_test_id("plan-due").fill("2027-06-30")
    form.get_by_test_id("plan-save").click()
    expect(form.get_by_test_id("plan-error")).to_be_visible()  # no incident type yet
    form.locator('[data-type="fire"]').click()
    form.get_by_test_id("plan-save").click()
    row = page.locator('[data-testid="plan-row"][data-title="高层住宅火灾处置预案"]')
    expect(row).to_contain_text("2027-06-30")
    expect(row).to_contain_text("火灾")

    page.get_by_test_id("drill-new").click()
    drill = page.get_by_test_id("drill-form")
    drill.get_by_test_id("drill-title").locator("input").fill("消防疏散演练")
    for username in ("grid_leader", "leader_g1b"):
        drill.locator(f'[data-user="{world.users[username]}"]').click()
    drill.get_by_test_id("drill-save").click()
    expect(page.get_by_test_id("drill-row").first).to_contain_text("消防疏散演练")

    headers = world.headers("station_chief")
    plans = httpx.get(f"{base}/api/v1/contingency-plans", headers=headers, timeout=30).json()
    plan = next(p for p in plans if p["title"] == "高层住宅火灾处置预案")
    assert (plan["unit_level"], plan["unit_id"], plan["incident_types"]) == ("community", world.ids["C1"], ["fire"])
    drills = httpx.get(f"{base}/api/v1/drills", headers=headers, timeout=30).json()
    held = next(d for d in drills if d["title"] == "消防疏散演练")
    assert held["plan_id"] == plan["id"]
    assert {p["user_id"] for p in held["participants"]} == {world.users["grid_leader"], world.users["leader_g1b"]}
    page.context.close()
