"""特护期 in Chromium (1280×800): a street officer declares a special period for 一街道 that covers today (an end
before the start is refused in the form); the table marks it 进行中 and the API answers it. A station chief has no
such card."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from playwright.sync_api import expect

from browser.conftest import DESK, signed_in


def test_a_street_officer_declares_a_special_period(world, browser, app_server):
    base = app_server.base_url
    page = signed_in(browser, base, "street_officer", DESK, "/admin")
    page.get_by_test_id("admin-periods").click()
    today = date.today()
    page.get_by_test_id("period-name").locator("input").fill("春节特护期")
    page.get_by_test_id("period-start").fill((today + timedelta(days=1)).isoformat())
    page.get_by_test_id("period-end").fill((today - timedelta(days=1)).isoformat())
    page.get_by_test_id("period-save").click()
    expect(page.get_by_test_id("period-error")).to_be_visible()
    page.get_by_test_id("period-start").fill((today - timedelta(days=1)).isoformat())
    page.get_by_test_id("period-end").fill((today + timedelta(days=6)).isoformat())
    page.get_by_test_id("period-save").click()
    row = page.locator('[data-testid="period-row"][data-name="春节特护期"]')
    expect(row).to_contain_text("进行中")
    expect(row).to_contain_text("一街道")
    listed = httpx.get(f"{base}/api/v1/hazards/special-periods", headers=world.headers("street_officer"), timeout=30)
    assert [(p["street_id"], p["name"]) for p in listed.json()["items"]] == [(world.ids["S1"], "春节特护期")]
    page.context.close()

    chief = signed_in(browser, base, "station_chief", DESK, "/admin")
    expect(chief.get_by_test_id("admin-tiers")).to_be_visible()
    expect(chief.get_by_test_id("admin-periods")).to_have_count(0)
    chief.context.close()
