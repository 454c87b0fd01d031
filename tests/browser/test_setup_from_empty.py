"""A street office sets itself up from an empty database through the screens alone, on the browser tests' engine.

A fresh install: the schema migrated and one system administrator created with `wangge create-admin`, nothing else
(no demo). In Chromium the administrator creates a district, a street and a community, sets the community's
boundary and imports its two grids, creates two grid leaders and the station chief from an Excel file, names the
leaders, pairs the grids A/B, gives the leaders their shifts, sets a category's time limit and names the
community's first response tier. Then a resident's report at a point of the first grid reaches the first leader's
inbox; the first leader asks for leave, the chief approves it, and the next report there reaches the second leader.
Every step is a click or a file chosen in the browser: no API call outside it. Screenshots go to
test-results/setup-*.png."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook
from playwright.sync_api import Browser, Page, expect

from browser.conftest import BROWSER_ENGINE, DESK, DIST, PHONE
from conftest import make_settings, migrated_database
from support.server import LiveServer

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-results"
ADMIN, ADMIN_PASSWORD = "admin", "first-admin-pass-2026"
DISTRICT, STREET, COMMUNITY = "440305", "440305007", "440305007003"
GRID_A, GRID_B = COMMUNITY + "001", COMMUNITY + "002"
FIRST_PASSWORD, NEW_PASSWORD = "First-pass-2026", "Own-pass-2026!"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Two squares side by side inside the community's square: grid A west, grid B east; they share an edge.
WEST, SOUTH, SIDE = 113.90, 22.50, 0.004


def _square(lon: float, lat: float, width: float, height: float) -> dict:
    ring = [[lon, lat], [lon + width, lat], [lon + width, lat + height], [lon, lat + height], [lon, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def _shot(page: Page, engine: str, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"setup-{engine}-{name}.png"), full_page=True)


@pytest.fixture(params=[BROWSER_ENGINE])  # like every browser test, on one engine (the API tests run on both)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, LiveServer]]:
    """A fresh install on the engine: migrated, one administrator from the command line, the app served."""
    engine = request.param
    url = migrated_database(engine, f"wangge_fresh_{uuid.uuid4().hex[:12]}", tmp_path, request)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "backend"),
        "WANGGE_DATABASE_URL": url,
        "WANGGE_ARGON2_TIME_COST": "1",
        "WANGGE_ARGON2_MEMORY_KIB": "1024",
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "wangge.cli", "create-admin", ADMIN, "--display-name", "系统管理员", "--password",
         ADMIN_PASSWORD],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    settings = make_settings(url, tile_url="http://127.0.0.1:9/{z}/{x}/{y}.png", frontend_dist=DIST)
    server = LiveServer(settings).start()
    yield engine, server
    server.stop()


def _sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()


def _page(browser: Browser, viewport: dict[str, int]) -> Page:
    """A page of a browser in Beijing time, as the office's are: the leave form's times are read as local times."""
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai",
        is_mobile=viewport["width"] < 768, has_touch=viewport["width"] < 768,
    )  # fmt: skip
    context.set_default_timeout(20_000)
    return context.new_page()


def _first_sign_in(browser: Browser, base: str, username: str, viewport: dict[str, int]) -> Page:
    """An imported user's first sign-in: the app asks for their own password before anything else."""
    page = _page(browser, viewport)
    _sign_in(page, base, username, FIRST_PASSWORD)
    expect(page.get_by_test_id("password-forced")).to_be_visible()
    page.get_by_test_id("password-current").locator("input").fill(FIRST_PASSWORD)
    page.get_by_test_id("password-new").locator("input").fill(NEW_PASSWORD)
    page.get_by_test_id("password-again").locator("input").fill(NEW_PASSWORD)
    page.get_by_test_id("password-submit").click()
    expect(page).to_have_url(re.compile(r"/map"))
    return page


def _report(browser: Browser, base: str, lon: float, lat: float, text: str) -> str:
    """A resident with no account reports at a point of a grid; the tracking code they are given."""
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True,
        geolocation={"latitude": lat, "longitude": lon},
    )  # fmt: skip
    context.set_default_timeout(20_000)
    context.grant_permissions(["geolocation"], origin=base)
    page = context.new_page()
    page.goto(base + "/report")
    page.get_by_test_id("report-category-sanitation").click()
    page.get_by_test_id("report-description").fill(text)
    page.get_by_test_id("report-use-gps").click()
    expect(page.get_by_test_id("report-map")).to_have_attribute("data-placed", "true")
    page.get_by_test_id("report-phone").fill("13912345678")
    page.get_by_test_id("report-submit").click()
    code_el = page.get_by_test_id("report-code")
    expect(code_el).to_have_text(re.compile(r"\S{4,}"))
    code = code_el.inner_text().strip()
    context.close()
    return code


def _in_queue(page: Page, base: str, code: str) -> None:
    """The matter is in the leader's queue (本级待办): their grid's and the grids they cover for a partner away."""
    page.goto(base + "/matters")
    page.get_by_test_id("box-unit").click()
    expect(page.get_by_test_id("box-unit")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("matter-item").filter(has_text=code)).to_have_count(1)


def _users_file(path: Path) -> str:
    wb = Workbook()
    wb.active.append(["用户名", "姓名", "电话", "角色", "所属编码", "初始密码"])
    wb.active.append(["leader_a", "甲网格长", "13700000001", "网格长", GRID_A, FIRST_PASSWORD])
    wb.active.append(["leader_b", "乙网格长", "13700000002", "网格长", GRID_B, FIRST_PASSWORD])
    wb.active.append(["chief_c", "丙站长", "13700000003", "服务站站长", COMMUNITY, FIRST_PASSWORD])
    out = BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())
    return str(path)


@pytest.mark.long
@pytest.mark.timeout(300)  # ~50 s on a quiet 2-core machine, more when it is shared
def test_a_street_office_sets_itself_up_from_an_empty_database(fresh, browser, tmp_path):
    engine, server = fresh
    base = server.base_url
    admin = _page(browser, DESK)
    _sign_in(admin, base, ADMIN, ADMIN_PASSWORD)
    expect(admin).to_have_url(re.compile(r"/map"))
    admin.get_by_test_id("nav-admin").click()

    # --- the hierarchy: a district, a street, a community with its boundary ------------------------------------
    admin.get_by_test_id("admin-areas").click()
    admin.get_by_test_id("area-new-district").click()
    form = admin.get_by_test_id("area-form")
    form.get_by_test_id("area-code").locator("input").fill(DISTRICT)
    form.get_by_test_id("area-name").locator("input").fill("南山区")
    form.get_by_test_id("area-save").click()
    expect(form).to_be_hidden()
    expect(admin.get_by_test_id("areas-district").locator("option")).to_contain_text(["南山区"])
    admin.get_by_test_id("area-new-street").click()
    form.get_by_test_id("area-code").locator("input").fill(STREET)
    form.get_by_test_id("area-name").locator("input").fill("粤海街道")
    form.get_by_test_id("area-save").click()
    street = admin.locator(f'[data-testid="street-row"][data-code="{STREET}"]')
    expect(street).to_contain_text("粤海街道")
    street.get_by_text("粤海街道").click()
    admin.get_by_test_id("area-new-community").click()
    form.get_by_test_id("area-code").locator("input").fill(COMMUNITY)
    form.get_by_test_id("area-name").locator("input").fill("科技园社区")
    form.get_by_test_id("area-save").click()
    community = admin.locator(f'[data-testid="community-row"][data-code="{COMMUNITY}"]')
    expect(community).to_contain_text("科技园社区")

    boundary = tmp_path / "boundary.geojson"
    boundary.write_text(
        json.dumps({"type": "Feature", "properties": {}, "geometry": _square(WEST, SOUTH, 2 * SIDE, SIDE)})
    )
    with admin.expect_file_chooser() as chooser:
        community.get_by_test_id("community-boundary").click()
    chooser.value.set_files(str(boundary))
    report = admin.get_by_test_id("import-report")
    expect(report).to_contain_text("边界已设定")

    # --- its two grids from a GeoJSON file ------------------------------------------------------------------------
    features = [
        {
            "type": "Feature",
            "properties": {"code": code, "name": name, "kind": "property_managed", "households": households},
            "geometry": _square(WEST + i * SIDE, SOUTH, SIDE, SIDE),
        }
        for i, (code, name, households) in enumerate(((GRID_A, "第一网格", 310), (GRID_B, "第二网格", 280)))
    ]
    grids = tmp_path / "grids.geojson"
    grids.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    with admin.expect_file_chooser() as chooser:
        community.get_by_test_id("community-import").click()
    chooser.value.set_files(str(grids))
    expect(report).to_contain_text("新建 2 个")
    expect(community.get_by_test_id("community-grids")).to_have_text("2")
    _shot(admin, engine, "areas")

    # --- two leaders and the chief from an Excel file ------------------------------------------------------------
    admin.goto(base + "/admin/users")
    admin.get_by_test_id("user-import-open").click()
    panel = admin.get_by_test_id("user-import")
    panel.get_by_test_id("import-file").set_input_files(_users_file(tmp_path / "users.xlsx"))
    expect(panel.get_by_test_id("import-summary")).to_contain_text("新建 3 人，已存在 0 人，有误 0 行")
    panel.get_by_test_id("import-apply").click()
    expect(panel.get_by_test_id("import-done")).to_contain_text("已导入 3 人")
    panel.get_by_test_id("import-close").click()

    # --- the leaders named, the grids paired A/B -------------------------------------------------------------------
    admin.goto(base + "/admin/people")
    for code, name in ((GRID_A, "甲网格长"), (GRID_B, "乙网格长")):
        card = admin.locator(f'[data-testid="grid-card"][data-code="{code}"]')
        card.get_by_test_id("leader-appoint").click()
        appoint = admin.get_by_test_id("appoint-form")
        appoint.get_by_test_id("appoint-select").select_option(label=name)
        appoint.get_by_test_id("appoint-save").click()
        expect(appoint).to_be_hidden()
        expect(card.get_by_test_id("leader-now")).to_contain_text(name)
    suggestion = admin.locator(f'[data-testid="suggestion-row"][data-a="{GRID_A}"][data-b="{GRID_B}"]')
    expect(suggestion).to_contain_text("相邻")
    suggestion.get_by_test_id("suggestion-accept").click()
    expect(admin.get_by_test_id("pair-row")).to_have_count(1)
    expect(
        admin.locator(f'[data-testid="grid-card"][data-code="{GRID_A}"]').get_by_test_id("grid-partner")
    ).to_contain_text("第二网格")
    _shot(admin, engine, "people")

    # --- their shifts: Monday and Tuesday, 08:30–17:30 (the form is the same for every day) ---------------------------
    admin.goto(base + "/admin/shifts")
    for name in ("甲网格长", "乙网格长"):
        row = admin.get_by_test_id("shift-row").filter(has_text=name)
        for day in range(2):
            row.locator(f'td[data-day="{day}"]').get_by_test_id("shift-add").click()
            shift = admin.get_by_test_id("shift-form")
            shift.get_by_test_id("shift-start").fill("08:30")
            shift.get_by_test_id("shift-end").fill("17:30")
            shift.get_by_test_id("shift-save").click()
            expect(shift).to_be_hidden()
        expect(row.get_by_test_id("shift-chip")).to_have_count(2)
    expect(admin.get_by_test_id("roster-day").first).to_contain_text("甲网格长")

    # --- a category's time limit ----------------------------------------------------------------------------------
    admin.goto(base + "/admin/categories")
    sanitation = admin.locator('[data-testid="category-row"][data-code="sanitation"]')
    sanitation.get_by_test_id("category-edit").click()
    category = admin.get_by_test_id("category-form")
    category.get_by_test_id("limit-grid-complete-amount").fill("2")
    category.get_by_test_id("limit-grid-complete-unit").select_option("working_days")
    category.get_by_test_id("category-save").click()
    expect(category).to_be_hidden()
    expect(sanitation.locator('[data-level="grid"]')).to_contain_text("2 工作日")

    # --- the community's first response tier -----------------------------------------------------------------------
    admin.goto(base + "/admin/tiers")
    unit = admin.get_by_test_id("tiers-unit")
    unit.select_option(label=unit.locator("option").filter(has_text="科技园社区").inner_text().strip())
    admin.get_by_test_id("tier-edit-1").click()
    tier = admin.get_by_test_id("tier-form")
    for name, duty in (("甲网格长", "现场指挥"), ("乙网格长", "")):
        member = tier.get_by_test_id("tier-candidate").filter(has_text=name)
        member.locator(".van-checkbox").click()
        if duty:
            member.get_by_test_id("tier-duty").fill(duty)
    tier.get_by_test_id("tier-save").click()
    expect(tier).to_be_hidden()
    card = admin.locator('[data-testid="tier-card"][data-tier="1"]')
    expect(card).to_contain_text("甲网格长 · 现场指挥")
    expect(card).to_contain_text("乙网格长")
    _shot(admin, engine, "tiers")
    admin.context.close()

    # --- a resident's report in the first grid reaches its leader ----------------------------------------------------
    in_a = (WEST + SIDE / 2, SOUTH + SIDE / 2)
    first = _report(browser, base, *in_a, "科技园一路路灯不亮已经三天")
    leader_a = _first_sign_in(browser, base, "leader_a", PHONE)
    _in_queue(leader_a, base, first)
    _shot(leader_a, engine, "leader-a-inbox")

    # --- the first leader's leave, approved by the chief -----------------------------------------------------------
    now = datetime.now(SHANGHAI)
    leader_a.goto(base + "/leave")
    leader_a.get_by_test_id("leave-start").fill((now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    leader_a.get_by_test_id("leave-end").fill((now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
    leader_a.get_by_test_id("leave-reason").fill("家中有事")
    leader_a.get_by_test_id("leave-submit").click()
    expect(leader_a.get_by_test_id("leave-item")).to_have_count(1)
    leader_a.context.close()

    chief = _first_sign_in(browser, base, "chief_c", DESK)
    chief.goto(base + "/leave")
    request = chief.get_by_test_id("leave-pending-item").filter(has_text="甲网格长")
    request.get_by_test_id("leave-approve").click()
    expect(chief.get_by_test_id("leave-pending-item")).to_have_count(0)
    chief.context.close()

    # --- during the leave the next report there reaches the partner grid's leader ----------------------------------
    second = _report(browser, base, *in_a, "科技园一路井盖松动有响声")
    leader_b = _first_sign_in(browser, base, "leader_b", PHONE)
    _in_queue(leader_b, base, second)
    _shot(leader_b, engine, "leader-b-inbox")
    leader_b.context.close()
