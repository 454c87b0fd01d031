"""Patrol coverage and home visits in Chromium on a 360×740 phone.

The station chief opens 今日巡查 (/coverage) in a fresh world, where nobody has patrolled: G1a and G1b are listed in red
as not patrolled, and every grid row says so. Then the chief adds a resident living alone in G1a through the API, and
the grid leader opens 入户走访 (/visits): the resident is overdue (never visited); a visit is recorded with notes, the
server's visitors are shown and the resident leaves the overdue list. Screenshots go to test-results/coverage-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect
from sqlalchemy import select

from browser.conftest import PHONE, signed_in
from support.world import PASSWORD
from wangge.fieldwork.models import HomeVisit

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"coverage-{name}.png"), full_page=True)


def _no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.app-main, .van-popup')]"
        ".map(e => e.scrollWidth - e.clientWidth), 0)"
    )
    assert widest <= 0, f"something is {widest}px wider than the screen"


def _token(base: str, username: str) -> dict[str, str]:
    r = httpx.post(f"{base}/api/v1/auth/token", data={"username": username, "password": PASSWORD}, timeout=30)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_coverage_then_home_visit(world, live, browser, app_server):
    base = app_server.base_url
    g1a, g1b = world.codes["G1a"], world.codes["G1b"]

    # --- 今日巡查: the station chief, from the Me page --------------------------------------------------------------
    page = signed_in(browser, base, "station_chief", PHONE, "/me")
    page.get_by_test_id("me-coverage").click()
    expect(page).to_have_url(re.compile(r"/coverage$"))
    unpatrolled = page.get_by_test_id("coverage-unpatrolled")
    expect(page.locator(f'[data-testid="coverage-unpatrolled"][data-grid-code="{g1a}"]')).to_be_visible()
    expect(page.locator(f'[data-testid="coverage-unpatrolled"][data-grid-code="{g1b}"]')).to_be_visible()
    codes = {unpatrolled.nth(i).get_attribute("data-grid-code") for i in range(unpatrolled.count())}
    assert {g1a, g1b} <= codes
    # Unpatrolled grids are red.
    colour = unpatrolled.first.evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(238, 10, 36)", colour

    for code in (g1a, g1b):
        row = page.locator(f'[data-testid="coverage-row"][data-grid-code="{code}"]')
        expect(row).to_have_attribute("data-patrolled", "false")
        expect(row.get_by_test_id("coverage-share")).to_have_text("0%")
        expect(row.get_by_test_id("coverage-distance")).to_have_text("0 米")
    _no_horizontal_scroll(page)
    _shot(page, "day")

    # The week: asked from its Monday, still nothing patrolled.
    page.get_by_test_id("coverage-mode-week").click()
    expect(page.get_by_test_id("coverage-period")).to_contain_text("至")
    expect(page.locator(f'[data-testid="coverage-row"][data-grid-code="{g1a}"]')).to_have_attribute(
        "data-patrolled", "false"
    )
    _no_horizontal_scroll(page)
    _shot(page, "week")

    # The supervision page links here too.
    page.goto(base + "/supervision")
    page.get_by_test_id("link-coverage").click()
    expect(page).to_have_url(re.compile(r"/coverage$"))
    page.context.close()

    # --- a resident living alone in G1a, added by the station chief through the API -------------------------------
    chief = _token(base, "station_chief")
    groups = httpx.get(f"{base}/api/v1/special-groups", headers=chief, timeout=30)
    assert groups.status_code == 200, groups.text
    group_id = next(g["id"] for g in groups.json() if g["code"] == "elderly_alone")
    created = httpx.post(
        f"{base}/api/v1/special-residents",
        headers=chief,
        json={
            "grid_id": world.ids["G1a"],
            "group_id": group_id,
            "name": "李奶奶",
            "phone": "13907310011",
            "address": "1栋101",
        },
        timeout=30,
    )
    assert created.status_code == 201, created.text
    resident_id = created.json()["id"]

    # --- 入户走访: the grid leader, from My day ----------------------------------------------------------------------
    page = signed_in(browser, base, "grid_leader", PHONE, "/my-day")
    page.get_by_test_id("myday-visits").click()
    expect(page).to_have_url(re.compile(r"/visits$"))
    item = page.locator(f'[data-testid="visit-overdue"][data-id="{resident_id}"]')
    expect(item).to_be_visible()
    expect(item).to_contain_text("李奶奶")
    expect(item).to_contain_text("从未走访")
    expect(item).to_contain_text("独居老人")
    expect(item).to_contain_text("1栋101")
    # The phone exactly as the API gives it to the grid leader (masked unless they may read personal data).
    overdue = httpx.get(f"{base}/api/v1/fieldwork/visits/overdue", headers=_token(base, "grid_leader"), timeout=30)
    assert overdue.status_code == 200, overdue.text
    phone = next(o["resident"]["phone"] for o in overdue.json() if o["resident"]["id"] == resident_id)
    expect(item.get_by_test_id("visit-phone")).to_have_text(f"电话:{phone}")
    _no_horizontal_scroll(page)
    _shot(page, "visits")

    item.click()
    expect(page.get_by_test_id("visit-time")).not_to_have_value("")
    page.get_by_test_id("visit-notes").fill("身体状况良好，已提醒注意用电安全")
    _no_horizontal_scroll(page)
    _shot(page, "visit-form")
    page.get_by_test_id("visit-submit").click()

    expect(page.get_by_test_id("visit-done")).to_contain_text("李奶奶")
    expect(page.get_by_test_id("visit-visitors")).to_contain_text("走访人")
    expect(item).to_have_count(0)
    expect(page.get_by_test_id("visit-form")).to_be_hidden()
    _no_horizontal_scroll(page)
    _shot(page, "visited")
    page.context.close()

    with live.session() as db:
        visits = db.scalars(select(HomeVisit).where(HomeVisit.resident_id == resident_id)).all()
        assert len(visits) == 1
        assert visits[0].notes == "身体状况良好，已提醒注意用电安全"
        assert world.users["grid_leader"] in visits[0].visitor_ids
