"""Supplies in reserve and the duty roster in Chromium. At 1280×800 the station chief adds an item below its minimum
(库存不足 shows), takes stock out with a reason, is refused taking more than is there (the app's own message), and
puts a grid leader on duty today by tapping the day in the roster's month; the public /who page then names today's
duty officer. At 360×740 the chief's phone shows the reserve as cards with today's duty officer on top."""

from __future__ import annotations

from datetime import timedelta

import httpx
from playwright.sync_api import expect

from browser.conftest import DESK, PHONE, assert_one_language, new_page, signed_in
from wangge.fieldwork.people import local_today


def test_the_chief_keeps_the_reserve_and_the_roster_at_the_desk(world, browser, app_server):
    base = app_server.base_url
    page = signed_in(browser, base, "station_chief", DESK, "/admin")
    page.get_by_test_id("admin-reserve").click()
    expect(page.get_by_test_id("reserve-duty")).to_contain_text("今日未排班")

    page.get_by_test_id("reserve-new").click()
    form = page.get_by_test_id("reserve-form")
    form.get_by_test_id("reserve-name").locator("input").fill("沙袋")
    form.get_by_test_id("reserve-save").click()
    expect(form.get_by_test_id("reserve-error")).to_be_visible()  # no unit of measure nor place yet
    form.get_by_test_id("reserve-measure").locator("input").fill("袋")
    form.get_by_test_id("reserve-qty").locator("input").fill("40")
    form.get_by_test_id("reserve-minimum").locator("input").fill("30")
    form.get_by_test_id("reserve-location").locator("input").fill("服务站一楼仓库")
    form.get_by_test_id("reserve-category").select_option("flood")
    form.get_by_test_id("reserve-keeper").select_option(str(world.users["grid_leader"]))
    form.get_by_test_id("reserve-save").click()
    row = page.locator('[data-testid="reserve-row"][data-name="沙袋"]')
    expect(row.get_by_test_id("reserve-quantity")).to_contain_text("40 袋")
    expect(row.locator("[data-alert]")).to_have_count(0)

    row.get_by_test_id("reserve-out").click()
    move = page.get_by_test_id("move-form")
    move.get_by_test_id("move-quantity").locator("input").fill("15")
    move.get_by_test_id("move-reason").locator("input").fill("汛期转移群众")
    move.get_by_test_id("move-save").click()
    expect(row.get_by_test_id("reserve-quantity")).to_contain_text("25 袋")
    expect(row.locator('[data-alert="low"]')).to_have_text("库存不足")
    expect(page.locator('[data-testid="reserve-alerts"] [data-alert="low"]')).to_contain_text("1")

    row.get_by_test_id("reserve-out").click()
    move.get_by_test_id("move-quantity").locator("input").fill("100")
    move.get_by_test_id("move-reason").locator("input").fill("抢险")
    move.get_by_test_id("move-save").click()
    expect(move.get_by_test_id("move-error")).to_have_text("库存不足，出库数量不能超过现有数量")
    assert_one_language(page)
    page.keyboard.press("Escape")

    # The roster: pick the grid leader, type the day's duty phone, tap today, save.
    page.goto(base + "/admin/roster")
    today = local_today().isoformat()
    page.get_by_test_id("roster-brush").select_option(str(world.users["grid_leader"]))
    page.get_by_test_id("roster-phone").fill("0731-8888 0000")
    page.locator(f'[data-day="{today}"]').click()
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    if tomorrow[:7] == today[:7]:
        page.get_by_test_id("roster-brush").select_option(str(world.users["leader_g1b"]))
        page.locator(f'[data-day="{tomorrow}"]').click()
    page.get_by_test_id("roster-save").click()
    expect(page.locator(f'[data-day="{today}"]')).to_contain_text("grid_leader的名字")
    expect(page.get_by_test_id("roster-save")).to_be_disabled()  # nothing left to save
    assert_one_language(page)

    r = httpx.get(f"{base}/api/v1/public/who", params={"community_id": world.ids["C1"]}, timeout=30)
    assert r.json()["station"]["on_duty"] == {"name": "grid_leader的名字", "phone": "0731-8888 0000"}
    page.context.close()

    # A resident's /who page names today's duty officer with the day's phone.
    public = new_page(browser, PHONE)
    public.goto(f"{base}/who?community={world.ids['C1']}")
    expect(public.get_by_test_id("who-station-duty")).to_contain_text("grid_leader的名字")
    expect(public.get_by_test_id("who-station-duty")).to_contain_text("0731-8888 0000")
    public.context.close()


def test_the_chiefs_phone_shows_the_reserve_and_todays_duty(world, browser, app_server):
    base = app_server.base_url
    headers = world.headers("station_chief")
    body = {"unit_level": "community", "unit_id": world.ids["C1"], "measure": "瓶", "location": "二楼"}
    for name, extra in (("消毒液", {"expires_on": (local_today() + timedelta(days=5)).isoformat()}), ("手电筒", {})):
        r = httpx.post(
            f"{base}/api/v1/reserve/items",
            json={**body, "name": name, "quantity": 3, **extra},
            headers=headers,
            timeout=30,
        )
        assert r.status_code == 201, r.text
    day = {"day": local_today().isoformat(), "user_id": world.users["station_chief"], "duty_phone": "12345"}
    r = httpx.put(
        f"{base}/api/v1/duty-roster",
        json={"unit_level": "community", "unit_id": world.ids["C1"], "days": [day]},
        headers=headers,
        timeout=30,
    )
    assert r.status_code == 200, r.text

    page = signed_in(browser, base, "station_chief", PHONE, "/admin/reserve")
    expect(page.get_by_test_id("reserve-duty-name")).to_have_text("station_chief的名字")
    expect(page.get_by_test_id("reserve-duty")).to_contain_text("12345")
    expect(page.get_by_test_id("reserve-row")).to_have_count(2)
    soon = page.locator('[data-testid="reserve-row"][data-name="消毒液"]')
    expect(soon.locator('[data-alert="expiring"]')).to_have_text("即将过期")
    # Cards, not a table wider than the phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    page.locator('[data-testid="reserve-alerts"] [data-alert="expiring"]').click()
    expect(page.get_by_test_id("reserve-row")).to_have_count(1)
    assert_one_language(page)
    page.goto(base + "/admin/roster")
    expect(page.locator(f'[data-day="{local_today().isoformat()}"]')).to_contain_text("station_chief的名字")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    page.context.close()
