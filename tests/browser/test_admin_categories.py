"""事项类别与时限 in Chromium: the system administrator opens it from the admin home (desk, 1280×800), is stopped by
the form on an amount that is not a whole number, sets sanitation's grid-level completion limit to 3 working days and
saves, and the public category list then carries it; they deactivate a category and reactivate it from the same
table. They set a category's steps around the routes (办理规则: contact first, extensions, verification closing it,
callbacks, mediation), stopped under the field on a number out of the server's bounds, and read them back through
the API. A street's administrator reads the page on a phone (360×740) with no edit or save. Screenshots go to
test-results/admin-categories-*.png."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from browser.conftest import DESK, PHONE, signed_in

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    # Transitions (a popup's slide-in) are taken at their end rather than waited for.
    page.screenshot(path=str(SHOTS / f"admin-categories-{name}.png"), full_page=True, animations="disabled")


def _category(base: str, code: str) -> dict:
    (found,) = [c for c in httpx.get(f"{base}/api/v1/categories", timeout=30).json() if c["code"] == code]
    return found


def _sanitation(base: str) -> dict:
    return _category(base, "sanitation")


def test_a_system_administrator_sets_a_time_limit(world, browser, app_server):
    base = app_server.base_url
    before = _sanitation(base)
    assert before["time_limits"]["grid"]["complete"] != {"amount": 3, "unit": "working_days"}

    admin = signed_in(browser, base, "system_admin", DESK, "/admin")
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


def test_a_system_administrator_sets_the_steps_around_the_routes(world, browser, app_server):
    base = app_server.base_url
    before = _category(base, "party_integrity")["loop_rules"]
    assert before["verify"] is False and before["mediation"] is False

    admin = signed_in(browser, base, "system_admin", DESK, "/admin/categories")
    row = admin.locator('[data-testid="category-row"][data-code="party_integrity"]')
    expect(row.get_by_test_id("category-loop-summary")).to_contain_text("先行联系 2 工作小时")
    row.get_by_test_id("category-edit").click()
    form = admin.get_by_test_id("category-form")
    loop = form.get_by_test_id("category-loop")
    expect(loop.get_by_test_id("loop-contact-amount")).to_have_value("2")
    expect(loop.get_by_test_id("loop-extension-max-count")).to_have_value("2")
    expect(loop.get_by_test_id("loop-close-on")).to_have_count(0)  # only once verification is on

    # Eleven extensions is more than the server takes: said under the field, nothing sent.
    loop.get_by_test_id("loop-extension-max-count").fill("11")
    form.get_by_test_id("category-save").click()
    expect(loop.get_by_test_id("loop-error-extension")).to_contain_text("0–10")
    expect(form.get_by_test_id("category-form-error")).to_contain_text("办理规则")
    assert _category(base, "party_integrity")["loop_rules"] == before

    loop.get_by_test_id("loop-extension-max-count").fill("3")
    expect(loop.get_by_test_id("loop-error-extension")).to_have_count(0)  # the problem goes once the field changes
    loop.get_by_test_id("loop-contact-amount").fill("4")
    loop.get_by_test_id("loop-contact-unit").select_option("working_days")
    loop.get_by_test_id("loop-suspension-max-days").fill("15")
    loop.get_by_test_id("loop-verify").click()
    loop.get_by_test_id("loop-close-on-verification").check()
    loop.get_by_test_id("loop-callback-after-days").fill("5")
    loop.get_by_test_id("loop-callback-tries").fill("2")
    loop.get_by_test_id("loop-mediation").click()
    _shot(admin, "loop-form")
    form.get_by_test_id("category-save").click()
    expect(form).to_be_hidden()
    summary = row.get_by_test_id("category-loop-summary")
    expect(summary).to_contain_text("先行联系 4 工作日")
    expect(summary).to_contain_text("核查即结案")
    expect(summary).to_contain_text("调解")

    assert _category(base, "party_integrity")["loop_rules"] == {
        "contact": {"amount": 4, "unit": "working_days"},
        "extension": {"max_count": 3, "max_days": 10},
        "suspension": {"max_count": 1, "max_days": 15},
        "verify": True,
        "close_on": "verification",
        "callback_after_days": 5,
        "callback_tries": 2,
        "mediation": True,
    }

    # Opened again, the form shows what was saved; verification off and no contact limit go back as such.
    row.get_by_test_id("category-edit").click()
    expect(loop.get_by_test_id("loop-close-on-verification")).to_be_checked()
    expect(loop.get_by_test_id("loop-callback-tries")).to_have_value("2")
    loop.get_by_test_id("loop-contact-amount").fill("")
    loop.get_by_test_id("loop-verify").click()
    expect(loop.get_by_test_id("loop-close-on")).to_have_count(0)
    form.get_by_test_id("category-save").click()
    expect(form).to_be_hidden()
    expect(row.get_by_test_id("category-loop-summary")).not_to_contain_text("核查")
    saved = _category(base, "party_integrity")["loop_rules"]
    assert saved["contact"] is None and saved["verify"] is False and saved["close_on"] == "rating"
    assert saved["mediation"] is True and saved["suspension"] == {"max_count": 1, "max_days": 15}
    admin.context.close()


def test_a_street_administrator_reads_the_categories_on_a_phone(world, browser, app_server):
    base = app_server.base_url
    street_admin = signed_in(browser, base, "administrator", PHONE, "/admin")
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
    admin = signed_in(browser, base, "system_admin", PHONE, "/admin/categories")
    admin.locator('[data-testid="category-row"][data-code="fire_safety"]').get_by_test_id("category-edit").click()
    form = admin.get_by_test_id("category-form")
    expect(form.get_by_test_id("limits-notice")).to_be_visible()
    overflow = form.evaluate("f => f.scrollWidth - f.clientWidth")
    assert overflow <= 0, f"the form is {overflow}px wider than the screen"
    form.get_by_test_id("limit-grid-sign-unit").select_option("working_minutes")  # the longest unit, to see it fit
    form.get_by_test_id("limit-station-complete-amount").fill("")
    form.get_by_test_id("category-save").click()
    expect(form.get_by_test_id("category-form-error")).to_contain_text("服务站")  # an emergency keeps the station's
    loop = form.get_by_test_id("category-loop")
    loop.get_by_test_id("loop-verify").click()  # the widest rows: the closing choice and the callback's numbers
    expect(loop.get_by_test_id("loop-close-on")).to_be_visible()
    loop.scroll_into_view_if_needed()
    overflow = form.evaluate("f => f.scrollWidth - f.clientWidth")
    assert overflow <= 0, f"the rules make the form {overflow}px wider than the screen"
    _shot(admin, "form-phone")
    admin.context.close()
