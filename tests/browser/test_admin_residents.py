"""特殊人群 in Chromium (1280×800): the station chief registers a resident of G1a in a special group, with phone and
identity number; the table shows her, the API answers her (and the grid leader's overdue visits list her), an edit
keeps the identity number unless one is typed, her whole identity number finds her, and deactivating takes her off the
list."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from browser.conftest import DESK, signed_in


def test_a_chief_registers_a_resident_for_home_visits(world, browser, app_server):
    base = app_server.base_url
    page = signed_in(browser, base, "station_chief", DESK, "/admin")
    page.get_by_test_id("admin-residents").click()
    page.get_by_test_id("residents-grid").select_option(str(world.ids["G1a"]))
    expect(page.get_by_test_id("groups-panel")).to_have_count(0)  # the groups are the district administrators'
    page.get_by_test_id("resident-new").click()
    form = page.get_by_test_id("resident-form")
    form.get_by_test_id("resident-save").click()
    expect(form.get_by_test_id("resident-error")).to_be_visible()
    form.get_by_test_id("resident-name").locator("input").fill("李奶奶")
    form.get_by_test_id("resident-phone").locator("input").fill("13800001234")
    form.get_by_test_id("resident-id-number").locator("input").fill("430111194501011238")
    form.get_by_test_id("resident-address").locator("input").fill("3栋201")
    form.get_by_test_id("resident-every").locator("input").fill("7")
    form.get_by_test_id("resident-save").click()
    row = page.locator('[data-testid="resident-row"][data-name="李奶奶"]')
    expect(row).to_contain_text("3栋201")
    expect(row).to_contain_text("每 7 天")
    expect(row).to_contain_text("从未走访")

    headers = world.headers("station_chief")
    listed = httpx.get(
        f"{base}/api/v1/special-residents", params={"grid_id": world.ids["G1a"]}, headers=headers, timeout=30
    )
    her = next(r for r in listed.json() if r["name"] == "李奶奶")
    assert (her["visit_every_days"], her["address"]) == (7, "3栋201") and her["id_number"].endswith("1238")

    row.get_by_test_id("resident-edit").click()
    form.get_by_test_id("resident-address").locator("input").fill("3栋202")
    form.get_by_test_id("resident-save").click()
    expect(row).to_contain_text("3栋202")
    again = httpx.get(f"{base}/api/v1/special-residents/{her['id']}", headers=headers, timeout=30).json()
    assert again["id_number"] == her["id_number"] and again["phone"] == her["phone"]  # untouched by the edit
    expect(row.get_by_test_id("resident-id")).to_have_text("430111194501011238")  # the chief may read it whole

    # Found by her whole identity number; another number finds nobody; back to the grid's list.
    page.get_by_test_id("residents-find").fill("430111194501011238")
    page.get_by_test_id("residents-find-go").click()
    expect(page.get_by_test_id("resident-row")).to_have_count(1)
    expect(row).to_be_visible()
    page.get_by_test_id("residents-find").fill("110101194501011230")
    page.get_by_test_id("residents-find-go").click()
    expect(page.get_by_test_id("residents-empty")).to_be_visible()
    page.get_by_test_id("residents-find-clear").click()
    expect(row).to_be_visible()

    row.get_by_text("停用").click()
    page.locator(".van-dialog__confirm").click()
    expect(row).to_have_count(0)
    page.context.close()


def test_a_system_administrator_changes_a_groups_visit_interval(world, browser, app_server):
    """特殊人群类别 under the residents' table: a wrong interval is said in the form and nothing is sent; a good one is
    stored, shown, and the group out of use leaves the registration form's choices."""
    base = app_server.base_url
    headers = world.headers("system_admin")
    groups = httpx.get(f"{base}/api/v1/special-groups", headers=headers, timeout=30).json()
    group = groups[0]
    try:
        page = signed_in(browser, base, "system_admin", DESK, "/admin/residents")
        row = page.locator(f'[data-testid="group-row"][data-code="{group["code"]}"]')
        expect(row).to_contain_text(group["name_zh"])
        expect(page.get_by_test_id("group-row")).to_have_count(len(groups))
        row.get_by_test_id("group-edit").click()
        form = page.get_by_test_id("group-form")
        form.get_by_test_id("group-every").locator("input").fill("0")
        form.get_by_test_id("group-save").click()
        expect(form.get_by_test_id("group-error")).to_contain_text("1–366")
        form.get_by_test_id("group-every").locator("input").fill("45")
        form.get_by_test_id("group-active").click()
        form.get_by_test_id("group-save").click()
        expect(form).to_be_hidden()
        expect(row).to_contain_text("每 45 天")
        expect(row).to_contain_text("已停用")
        stored = httpx.get(f"{base}/api/v1/special-groups", headers=headers, timeout=30).json()
        assert next((g["visit_every_days"], g["is_active"]) for g in stored if g["id"] == group["id"]) == (45, False)
        page.get_by_test_id("resident-new").click()
        choices = page.get_by_test_id("resident-form").get_by_test_id("resident-group").locator("option")
        expect(choices).to_have_count(len(groups) - 1)
        expect(choices.filter(has_text=group["name_zh"])).to_have_count(0)
        page.context.close()
    finally:  # the groups are seeded by the migration and survive the test world's reset: put this one back
        httpx.patch(
            f"{base}/api/v1/special-groups/{group['id']}",
            json={"visit_every_days": group["visit_every_days"], "is_active": group["is_active"]},
            headers=headers,
            timeout=30,
        )
