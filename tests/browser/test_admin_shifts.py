"""排班 in Chromium: the station chief (1280×800) gives the grid leader an evening shift on Wednesdays, which the
week's roster then shows on Wednesday, and removes a shift again; an end before the start is refused in the form.
A street officer (360×740) reads the shifts without the buttons to change them. Screenshots go to
test-results/admin-shifts-*.png."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from browser.conftest import DESK, PHONE, signed_in

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"admin-shifts-{name}.png"), full_page=True)


def test_a_chief_sets_an_evening_shift_and_the_roster_shows_it(world, browser, app_server):
    base = app_server.base_url
    leader = world.users["grid_leader"]
    chief = signed_in(browser, base, "station_chief", DESK, "/map")
    chief.get_by_test_id("nav-admin").click()
    chief.get_by_test_id("admin-shifts").click()
    row = chief.locator(f'[data-testid="shift-row"][data-user="{leader}"]')
    expect(row).to_be_visible()
    wednesday = row.locator('td[data-day="2"]')
    wednesday.get_by_test_id("shift-add").click()
    form = chief.get_by_test_id("shift-form")
    expect(form.get_by_test_id("shift-weekday")).to_have_value("2")
    form.get_by_test_id("shift-start").fill("18:00")
    form.get_by_test_id("shift-end").fill("17:00")
    form.get_by_test_id("shift-save").click()
    expect(form.get_by_test_id("shift-error")).to_be_visible()
    form.get_by_test_id("shift-end").fill("21:00")
    form.get_by_test_id("shift-label").fill("晚班")
    form.get_by_test_id("shift-save").click()
    expect(wednesday.get_by_test_id("shift-chip")).to_contain_text(re.compile(r"18:00–21:00\s*晚班"))
    roster_wednesday = chief.get_by_test_id("roster-day").nth(2)
    expect(roster_wednesday).to_contain_text("18:00–21:00")
    expect(roster_wednesday).to_contain_text("grid_leader的名字")
    _shot(chief, "desk")
    shifts = httpx.get(f"{base}/api/v1/shifts", headers=world.headers("station_chief"), timeout=30).json()
    assert [
        (s["user"]["id"], s["weekday"], s["start_time"], s["end_time"], s["label"])
        for s in shifts
        if s["weekday"] == 2 and s["start_time"] == "18:00"
    ] == [(leader, 2, "18:00", "21:00", "晚班")]
    count = wednesday.get_by_test_id("shift-chip").count()
    wednesday.get_by_test_id("shift-chip").filter(has_text="18:00–21:00").get_by_test_id("shift-remove").click()
    expect(wednesday.get_by_test_id("shift-chip")).to_have_count(count - 1)
    chief.context.close()

    officer = signed_in(browser, base, "street_officer", PHONE, "/admin/shifts")
    expect(officer.get_by_test_id("roster")).to_be_visible()
    expect(officer.get_by_test_id("shift-add")).to_have_count(0)
    assert officer.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(officer, "phone")
    officer.context.close()
