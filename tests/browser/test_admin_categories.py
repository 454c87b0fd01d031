"""事项类别与时限 in Chromium: the system administrator opens it from the admin home (desk, 1280×800), is stopped by
the form on an amount that is not a whole number, sets sanitation's grid-level completion limit to 3 working days and
saves, and the public category list then carries it; they deactivate a category and reactivate it from the same
table. A street's administrator reads the page on a phone (360×740) with no edit or save. Screenshots go to
test-results/admin-categories-*.png."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, expect

from browser.conftest import DESK, PHONE, new_page
from support.world import PASSWORD

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"admin-categories-{name}.png"), full_page=True)


def _login(browser: Browser, base: str, username: str, viewport: dict[str, int]) -> Page:
    page = new_page(browser, viewport)
    page.goto(base + "/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(re.compile(r"/map"))
    return page


def _sanitation(base: str) -> dict:
    (found,) = [c for c in httpx.get(f"{base}/api/v1/categories", timeout=30).json() if c["code"] == "sanitation"]
    return found


def test_a_system_administrator_sets_a_time_limit(world, browser, app_server):
    base = app_server.base_url
    before = _sanitation(base)
    assert before["time_limits"]["grid"]["complete"] != {"amount": 3, "unit": "working_days"}

    admin = _login(browser, base, "system_admin", DESK)
    admin.goto(base + "/admin")
    admin.get_by_test_id("admin-categories").click()
    row = admin.locator('[data-testid="category-row"][data-code="sanitation"]')
    expect(row).to_contain_text("环境卫生")
    expect(admin.get_by_test_id("categories-readonly")).to_have_count(0)
    _shot(admin, "desk")

    row.get_by_test_id("category-edit").click()
    form = admin.get_by_test_id("category-form")
    expect(form.get_by_test_id("category-name-zh").locator("input")).to_have_value("环境卫生")
    amount = form.get_by_test_id("limit-grid-complete-amount")
    amount.fill("1.5")
    form.get_by_test_id("category-save").click()
    expect(form.get_by_test_id("category-form-error")).to_contain_text("整数")  # said here, nothing sent
    assert _sanitation(base)["time_limits"] == before["time_limits"]

    amount.fill("3")
    form.get_by_test_id("limit-grid-complete-unit").select_option("working_days")
    form.get_by_test_id("category-route").select_option("station")
    _shot(admin, "form")
    form.get_by_test_id("category-save").click()
    expect(form).to_be_hidden()
    expect(row.locator('[data-level="grid"]')).to_contain_text("3 工作日")
    expect(row).to_contain_text("带回服务站")

    after = _sanitation(base)
    assert after["time_limits"]["grid"]["complete"] == {"amount": 3, "unit": "working_days"}
    assert after["default_route"] == "station"
    # The rest of the dict went back as it was: a PATCH replaces it whole.
    assert {k: v for k, v in after["time_limits"].items() if k != "grid"} == {
        k: v for k, v in before["time_limits"].items() if k != "grid"
    }
    assert after["time_limits"]["grid"]["sign"] == before["time_limits"]["grid"]["sign"]

    # Deactivated, it leaves the public list and stays in the table to be reactivated.
    culture = admin.locator('[data-testid="category-row"][data-code="culture"]')
    culture.get_by_test_id("category-toggle").click()
    admin.locator(".van-dialog__confirm").click()
    expect(culture).to_contain_text("已停用")
    codes = {c["code"] for c in httpx.get(f"{base}/api/v1/categories", timeout=30).json()}
    assert "culture" not in codes
    culture.get_by_test_id("category-toggle").click()
    admin.locator(".van-dialog__confirm").click()
    expect(culture).to_contain_text("在用")
    assert "culture" in {c["code"] for c in httpx.get(f"{base}/api/v1/categories", timeout=30).json()}
    admin.context.close()


def test_a_street_administrator_reads_the_categories_on_a_phone(world, browser, app_server):
    base = app_server.base_url
    street_admin = _login(browser, base, "administrator", PHONE)
    street_admin.goto(base + "/admin")
    street_admin.get_by_test_id("admin-categories").click()
    expect(street_admin.get_by_test_id("categories-readonly")).to_be_visible()
    row = street_admin.locator('[data-testid="category-row"][data-code="sanitation"]')
    expect(row).to_contain_text("环境卫生")
    expect(row.locator('[data-level="grid"]')).to_contain_text("工作")
    expect(street_admin.get_by_test_id("category-edit")).to_have_count(0)
    expect(street_admin.get_by_test_id("category-toggle")).to_have_count(0)
    expect(street_admin.get_by_test_id("category-save")).to_have_count(0)
    assert street_admin.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(street_admin, "phone")
    street_admin.context.close()


def test_the_form_fits_a_phone(world, browser, app_server):
    """The time-limit grid is the widest thing on the page: on a 360 px phone the popup takes the screen and the
    grid stays inside it."""
    base = app_server.base_url
    admin = _login(browser, base, "system_admin", PHONE)
    admin.goto(base + "/admin/categories")
    admin.locator('[data-testid="category-row"][data-code="fire_safety"]').get_by_test_id("category-edit").click()
    form = admin.get_by_test_id("category-form")
    expect(form.get_by_test_id("limits-notice")).to_be_visible()
    overflow = form.evaluate("f => f.scrollWidth - f.clientWidth")
    assert overflow <= 0, f"the form is {overflow}px wider than the screen"
    form.get_by_test_id("limit-grid-sign-unit").select_option("working_minutes")  # the longest unit, to see it fit
    form.get_by_test_id("limit-station-complete-amount").fill("")
    form.get_by_test_id("category-save").click()
    expect(form.get_by_test_id("category-form-error")).to_contain_text("服务站")  # an emergency keeps the station's
    admin.wait_for_timeout(400)  # the popup's slide-in, for the screenshot
    _shot(admin, "form-phone")
    admin.context.close()
