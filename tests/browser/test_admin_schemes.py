"""考核方案 in Chromium: a system administrator (1280×800) opens 一街道's scheme, makes version 1 from the one in
force (the built-in 三率 30/35/35) with other weights — the sum is shown live and the save waits for 100 — and sees
it listed, as the API does; a street's administrator on a phone (360×740) sees it on their street, without the
district-wide default, and the form fits the screen."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect

from browser.conftest import DESK, PHONE, new_page
from support.world import PASSWORD


def _login(browser, base, username, viewport):
    page = new_page(browser, viewport)
    page.goto(base + "/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    return page


def test_an_administrator_makes_the_next_version_of_a_streets_scheme(world, browser, app_server):
    base = app_server.base_url
    page = _login(browser, base, "system_admin", DESK)
    page.goto(base + "/admin")
    page.get_by_test_id("admin-schemes").click()
    expect(page).to_have_url(re.compile(r"/admin/schemes$"))
    # The district-wide default first: nothing stored, the built-in 三率 in use.
    expect(page.get_by_test_id("scheme-none")).to_contain_text("三率 30/35/35")
    page.get_by_test_id("scheme-street").select_option(str(world.ids["S1"]))
    expect(page.get_by_test_id("scheme-none")).to_contain_text("响应率 30 · 解决率 35 · 满意率 35")

    page.get_by_test_id("scheme-new").click()
    form = page.get_by_test_id("scheme-form")
    expect(form).to_contain_text("新建第 1 版")
    weights = page.get_by_test_id("scheme-indicator-weight")
    expect(weights).to_have_count(3)
    expect(page.get_by_test_id("scheme-sum")).to_have_text("权重合计 100 / 100")
    weights.nth(0).fill("20")
    expect(page.get_by_test_id("scheme-sum")).to_have_text("权重合计 90 / 100")
    expect(page.get_by_test_id("scheme-problems")).to_contain_text("各指标权重之和必须等于 100")
    expect(page.get_by_test_id("scheme-save")).to_be_disabled()
    form.get_by_role("button", name="添加指标").click()
    rows = page.get_by_test_id("scheme-indicator")
    expect(rows).to_have_count(4)
    rows.nth(3).get_by_test_id("scheme-indicator-key").select_option("patrol_coverage")
    weights.nth(3).fill("10")
    expect(page.get_by_test_id("scheme-sum")).to_have_text("权重合计 100 / 100")
    expect(page.get_by_test_id("scheme-problems")).to_have_count(0)
    page.get_by_test_id("scheme-green").fill("85")
    # A month already closed is frozen with the scheme that scored it: the form refuses it, in words.
    page.get_by_test_id("scheme-month").fill("2020-01")
    expect(page.get_by_test_id("scheme-problems")).to_contain_text("新版本请从本月或以后生效")
    expect(page.get_by_test_id("scheme-save")).to_be_disabled()
    page.get_by_test_id("scheme-month").fill("2099-01")
    page.get_by_test_id("scheme-save").click()

    row = page.locator('[data-testid="scheme-row"][data-version="1"]')
    expect(row).to_contain_text("响应率 20 · 解决率 35 · 满意率 35 · 巡查覆盖率 10")
    expect(row).to_contain_text("2099-01")
    expect(row).to_contain_text("绿 ≥ 85，黄 ≥ 75")
    expect(page.get_by_test_id("scheme-new")).to_contain_text("新建第 2 版")
    # Version 1 scores from 2099: this month is still scored with the built-in scheme, and the page says so.
    expect(page.get_by_test_id("scheme-none")).to_contain_text("本月使用： 内置默认（三率 30/35/35）")
    listed = httpx.get(
        f"{base}/api/v1/assessment/schemes",
        params={"street_id": world.ids["S1"]},
        headers=world.headers("system_admin"),
        timeout=30,
    ).json()
    assert [(s["version"], s["effective_from"]) for s in listed] == [(1, "2099-01-01")]
    assert [(i["key"], i["weight"]) for i in listed[0]["rules"]["indicators"]] == [
        ("response_rate", 20),
        ("resolution_rate", 35),
        ("satisfaction_rate", 35),
        ("patrol_coverage", 10),
    ]
    assert listed[0]["rules"]["green"] == 85
    page.context.close()

    phone = _login(browser, base, "administrator", PHONE)
    phone.goto(base + "/admin/schemes")
    # A street's administrator starts on their street and is not offered the district-wide default.
    expect(phone.locator('[data-testid="scheme-row"][data-version="1"]')).to_contain_text("巡查覆盖率 10")
    expect(phone.get_by_test_id("scheme-street").locator("option")).to_have_count(1)
    phone.get_by_test_id("scheme-new").click()
    expect(phone.get_by_test_id("scheme-indicator")).to_have_count(4)
    expect(phone.get_by_test_id("scheme-sum")).to_have_text("权重合计 100 / 100")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.context.close()
