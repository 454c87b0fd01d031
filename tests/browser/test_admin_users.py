"""The administration area in Chromium: an administrator (desk, 1280×800) creates a grid member for G1b from the
users page, finds them, resets their password and reads the temporary one off the dialog; the member signs in on a
phone (360×740) with it, is held on 修改密码 until they choose their own, then reaches the map. The administrator's
audit log shows the creation and the reset — never the password — and filters by action. A station chief's 管理
holds their community's response tiers only; a page their role may not use is not drawn. Screenshots go to
test-results/admin-*.png."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from browser.conftest import DESK, PHONE, new_page, signed_in

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    # Transitions (a dialog's fade-in) are taken at their end rather than waited for.
    page.screenshot(path=str(SHOTS / f"admin-{name}.png"), full_page=True, animations="disabled")


def _first_sign_in(browser: Browser, base: str, username: str, password: str, viewport: dict[str, int]) -> Page:
    """A new account's first sign-in, with the password it was given: through the form."""
    page = new_page(browser, viewport)
    page.goto(base + "/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()
    return page


def test_an_administrator_creates_a_user_and_resets_their_password(world, browser, app_server):
    base = app_server.base_url
    admin = signed_in(browser, base, "administrator", DESK, "/map")
    expect(admin).to_have_url(re.compile(r"/map"))
    admin.get_by_test_id("nav-admin").click()
    admin.get_by_test_id("admin-users").click()
    expect(admin.get_by_test_id("users-table")).to_be_visible()

    # --- create ------------------------------------------------------------------------------------------------
    admin.get_by_test_id("user-new").click()
    form = admin.get_by_test_id("user-form")
    form.get_by_test_id("user-username").locator("input").fill("member_new")
    form.get_by_test_id("user-name").locator("input").fill("新网格员")
    form.get_by_test_id("user-phone").locator("input").fill("13712345678")
    form.get_by_test_id("user-role").select_option("grid_member")
    expect(form.get_by_test_id("user-level")).to_have_value("grid")
    form.get_by_test_id("user-save").click()
    expect(form.get_by_test_id("user-form-error")).to_be_visible()  # no scope chosen yet: said, nothing sent
    scope = form.get_by_test_id("user-scope")
    g1b = scope.locator("option", has_text=world.codes["G1b"])
    expect(g1b).to_have_count(1)
    scope.select_option(value=g1b.get_attribute("value"))
    form.get_by_test_id("user-password").locator("input").fill("first-password")
    _shot(admin, "user-form")
    form.get_by_test_id("user-save").click()
    expect(form).to_be_hidden()

    admin.get_by_test_id("users-search").fill("member_new")
    row = admin.locator('[data-testid="user-row"][data-username="member_new"]')
    expect(row).to_be_visible()
    expect(admin.get_by_test_id("user-row")).to_have_count(1)
    expect(row).to_contain_text("新网格员")
    expect(row).to_contain_text("G1b")
    expect(row).to_contain_text("待改密码")  # 首次登录须修改密码 was ticked by default

    # --- reset the password --------------------------------------------------------------------------------------
    row.get_by_test_id("user-reset").click()
    admin.locator(".van-dialog__confirm").click()
    dialog = admin.locator(".reset-dialog")
    expect(dialog.get_by_test_id("temporary-password")).to_have_text(re.compile(r"^[A-Za-z0-9]{10}$"))
    temporary = re.match(r"^[A-Za-z0-9]{10}$", dialog.get_by_test_id("temporary-password").inner_text())
    assert temporary
    _shot(admin, "reset")
    dialog.locator(".van-dialog__confirm").click()

    # --- the member signs in on a phone with it, and must choose their own ------------------------------------
    member = _first_sign_in(browser, base, "member_new", temporary.group(0), PHONE)
    expect(member).to_have_url(re.compile(r"/password"))
    expect(member.get_by_test_id("password-forced")).to_be_visible()
    member.goto(base + "/matters")
    expect(member).to_have_url(re.compile(r"/password"))  # nothing else opens
    member.get_by_test_id("password-current").locator("input").fill(temporary.group(0))
    member.get_by_test_id("password-new").locator("input").fill("member-own-pass")
    member.get_by_test_id("password-again").locator("input").fill("member-own-pas")
    member.get_by_test_id("password-submit").click()
    expect(member.get_by_test_id("password-error")).to_be_visible()  # the two differ
    member.get_by_test_id("password-again").locator("input").fill("member-own-pass")
    _shot(member, "password-phone")
    member.get_by_test_id("password-submit").click()
    expect(member).to_have_url(re.compile(r"/map"))
    member.context.close()

    # --- the audit log -----------------------------------------------------------------------------------------
    admin.goto(base + "/admin/audit")
    rows = admin.get_by_test_id("audit-row")
    expect(rows.first).to_be_visible()
    log = admin.get_by_test_id("audit-table").inner_text()
    assert "member_new" in log and "新网格员" in log and "137****5678" in log
    assert temporary.group(0) not in log and "first-password" not in log and "argon2" not in log
    admin.get_by_test_id("audit-action").select_option("create")
    expect(admin.locator('[data-testid="audit-row"]:not([data-action="create"])')).to_have_count(0)
    expect(admin.locator('[data-testid="audit-row"][data-action="create"]').first).to_be_visible()
    _shot(admin, "audit")
    admin.context.close()


def test_a_station_chief_keeps_the_tiers_of_their_community_and_nothing_else(world, browser, app_server):
    """管理 for a station chief holds 应急梯队 only; the chief names the first tier's members, which the API then
    answers; the users page refuses them."""
    import httpx

    base = app_server.base_url
    chief = signed_in(browser, base, "station_chief", DESK, "/map")
    expect(chief).to_have_url(re.compile(r"/map"))
    chief.get_by_test_id("nav-admin").click()
    expect(chief.get_by_test_id("admin-tiers")).to_be_visible()
    for other in ("admin-users", "admin-calendar", "admin-audit"):
        expect(chief.get_by_test_id(other)).to_have_count(0)
    chief.get_by_test_id("admin-tiers").click()
    card = chief.locator('[data-testid="tier-card"][data-tier="1"]')
    expect(card).to_contain_text("尚未设置")
    chief.get_by_test_id("tier-edit-1").click()
    form = chief.get_by_test_id("tier-form")
    form.get_by_test_id("tier-save").click()
    expect(form.get_by_test_id("tier-error")).to_contain_text("至少选择一名成员")
    for username, duty in (("grid_leader", "现场指挥"), ("leader_g1b", "")):
        row = form.locator(f'[data-testid="tier-candidate"][data-user="{world.users[username]}"]')
        row.locator(".van-checkbox").click()
        if duty:
            row.get_by_test_id("tier-duty").fill(duty)
    expect(form.locator(f'[data-testid="tier-candidate"][data-user="{world.users["chief_c3"]}"]')).to_have_count(0)
    form.get_by_test_id("tier-save").click()
    expect(form).to_be_hidden()
    expect(card).to_contain_text("grid_leader的名字 · 现场指挥")
    expect(card).to_contain_text("leader_g1b的名字")
    expect(chief.locator(".tiers__popup")).to_be_hidden()
    _shot(chief, "tiers")
    tiers = httpx.get(
        f"{base}/api/v1/response-tiers",
        params={"unit_level": "community", "unit_id": world.ids["C1"]},
        headers=world.headers("station_chief"),
        timeout=30,
    ).json()
    assert [(t["tier"], {m["user_id"] for m in t["members"]}) for t in tiers] == [
        (1, {world.users["grid_leader"], world.users["leader_g1b"]})
    ]
    chief.goto(base + "/admin/users")
    expect(chief.get_by_test_id("forbidden-page")).to_contain_text("您的角色不能使用此页面")
    expect(chief.get_by_test_id("user-new")).to_have_count(0)  # nothing of the page is drawn
    chief.context.close()

    leader = signed_in(browser, base, "grid_leader", PHONE, "/map")
    expect(leader).to_have_url(re.compile(r"/map"))
    expect(leader.get_by_test_id("nav-admin")).to_have_count(0)
    for path in ("/admin", "/admin/users"):
        leader.goto(base + path)
        expect(leader.get_by_test_id("forbidden-page")).to_be_visible()
    leader.context.close()


def test_a_system_administrator_enters_next_years_holidays(world, browser, app_server):
    """The admin home warns while next year's public holidays are unknown (the holiday library learns each year
    late); the calendar page takes a day off and shows it, and once the year is said to be entered in full the
    warning stops. A street's administrator reads the calendar only."""
    import httpx

    base = app_server.base_url
    known = httpx.get(f"{base}/api/v1/calendar", headers=world.headers("system_admin"), timeout=30).json()
    admin = signed_in(browser, base, "system_admin", DESK, "/admin")
    if known["covers_next_year"]:
        expect(admin.get_by_test_id("admin-users")).to_be_visible()
        expect(admin.get_by_test_id("admin-calendar-warning")).to_have_count(0)
        admin.get_by_test_id("admin-calendar").click()
    else:
        admin.get_by_test_id("admin-calendar-warning").click()
        expect(admin.get_by_test_id("calendar-warning")).to_be_visible()
    admin.get_by_test_id("calendar-day").fill("2027-02-11")
    admin.get_by_test_id("calendar-off").check()
    admin.get_by_test_id("calendar-note").fill("春节")
    admin.get_by_test_id("calendar-save").click()
    row = admin.locator('[data-testid="calendar-row"][data-day="2027-02-11"]')
    expect(row).to_contain_text("休息日")
    expect(row).to_contain_text("春节")
    _shot(admin, "calendar")
    if not known["covers_next_year"]:  # all of next year entered: the warning stops, here and on the admin home
        admin.get_by_test_id("calendar-complete").click()
        admin.locator(".van-dialog__confirm").click()
        expect(admin.get_by_test_id("calendar-warning")).to_have_count(0)
        expect(admin.get_by_test_id("calendar-entered")).to_be_visible()
        admin.goto(base + "/admin")
        expect(admin.get_by_test_id("admin-users")).to_be_visible()
        expect(admin.get_by_test_id("admin-calendar-warning")).to_have_count(0)
    admin.goto(base + "/admin/audit")
    expect(admin.locator('[data-testid="audit-row"][data-entity="calendar_day"]')).to_contain_text("2027-02-11")
    admin.context.close()

    street_admin = signed_in(browser, base, "administrator", DESK, "/admin/calendar")
    expect(street_admin.get_by_test_id("calendar-readonly")).to_be_visible()
    expect(street_admin.get_by_test_id("calendar-save")).to_have_count(0)
    expect(street_admin.locator('[data-testid="calendar-row"][data-day="2027-02-11"]')).to_be_visible()
    street_admin.context.close()


def test_the_users_page_fits_a_phone(world, browser, app_server):
    """On a 360 px phone the table becomes cards whose cells name their column, and nothing is wider than the
    screen."""
    base = app_server.base_url
    admin = signed_in(browser, base, "administrator", PHONE, "/map")
    expect(admin).to_have_url(re.compile(r"/map"))
    admin.get_by_test_id("nav-admin").click()
    admin.get_by_test_id("admin-users").click()
    row = admin.locator('[data-testid="user-row"][data-username="grid_leader"]')
    expect(row).to_be_visible()
    assert admin.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    widest = admin.evaluate(
        "Math.max(...[...document.querySelectorAll('.app-main')].map(e => e.scrollWidth - e.clientWidth), 0)"
    )
    assert widest <= 0, f"something is {widest}px wider than the screen"
    label = row.locator("td").first.evaluate("e => getComputedStyle(e, '::before').content")
    assert "用户名" in label
    _shot(admin, "users-phone")
    admin.context.close()


def test_a_system_administrator_hands_out_an_open311_key(world, browser, app_server):
    """The key is shown once, files a request, and stops working when deactivated; a street's administrator has no
    such card."""
    import httpx

    from support.world import grid_point

    base = app_server.base_url
    admin = signed_in(browser, base, "system_admin", DESK, "/admin")
    admin.get_by_test_id("admin-keys").click()
    admin.get_by_test_id("key-name").fill("12345热线")
    admin.get_by_test_id("key-create").click()
    key = admin.get_by_test_id("key-value").inner_text().strip()
    assert len(key) >= 32
    row = admin.locator('[data-testid="key-row"][data-name="12345热线"]')
    expect(row).to_contain_text("在用")
    lon, lat = grid_point("G1a")
    body = {"service_code": "sanitation", "lat": lat, "long": lon, "description": "路灯不亮"}
    filed = httpx.post(f"{base}/open311/v2/requests.json", data={**body, "api_key": key}, timeout=30)
    assert filed.status_code in (200, 201), filed.text
    row.get_by_test_id("key-deactivate").click()
    admin.locator(".van-dialog__confirm").click()
    expect(row).to_contain_text("已停用")
    refused = httpx.post(f"{base}/open311/v2/requests.json", data={**body, "api_key": key}, timeout=30)
    assert refused.status_code in (401, 403)
    admin.goto(base + "/admin/keys")
    expect(admin.get_by_test_id("key-value")).to_have_count(0)  # never shown again
    admin.context.close()

    street_admin = signed_in(browser, base, "administrator", DESK, "/admin")
    expect(street_admin.get_by_test_id("admin-users")).to_be_visible()
    expect(street_admin.get_by_test_id("admin-keys")).to_have_count(0)
    street_admin.context.close()
