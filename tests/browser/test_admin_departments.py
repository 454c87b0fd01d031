"""职能部门 in Chromium (1280×800): a street's administrator adds a street-level department owning 环境卫生
(sanitation), the table shows it and the API answers it; a code with spaces is refused in the form; the
department's categories are changed and it is deactivated. Screenshot: test-results/admin-departments.png."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import expect

from browser.conftest import DESK, signed_in

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def test_an_administrator_keeps_the_departments(world, browser, app_server):
    base = app_server.base_url
    page = signed_in(browser, base, "administrator", DESK, "/admin")
    page.get_by_test_id("admin-departments").click()
    page.get_by_test_id("department-new").click()
    form = page.get_by_test_id("department-form")
    form.get_by_test_id("department-code").locator("input").fill("bad code")
    form.get_by_test_id("department-name").locator("input").fill("一街道环卫所")
    form.get_by_test_id("department-unit").select_option(str(world.ids["S1"]))
    form.locator('[data-code="sanitation"]').click()
    form.get_by_test_id("department-save").click()
    expect(form.get_by_test_id("department-error")).to_be_visible()
    form.get_by_test_id("department-code").locator("input").fill("S1-HW")
    form.get_by_test_id("department-save").click()
    row = page.locator('[data-testid="department-row"][data-code="S1-HW"]')
    expect(row).to_contain_text("一街道环卫所")
    expect(row).to_contain_text("一街道")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-departments.png"), full_page=True)
    found = httpx.get(
        f"{base}/api/v1/departments", params={"limit": 1000}, headers=world.headers("administrator"), timeout=30
    )
    dept = next(d for d in found.json()["items"] if d["code"] == "S1-HW")
    assert (dept["level"], dept["street_id"], dept["categories"]) == ("street", world.ids["S1"], ["sanitation"])

    row.get_by_test_id("department-edit").click()
    form.locator('[data-code="sanitation"]').click()  # no longer
    form.get_by_test_id("department-save").click()
    expect(row).to_contain_text("—")
    row.get_by_text("停用").click()
    page.locator(".van-dialog__confirm").click()
    expect(row).to_contain_text("已停用")
    page.context.close()
