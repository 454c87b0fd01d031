"""Early warnings 预警 and the district's report form in Chromium: a street officer issues a warning at a desk
(1280×800), sees who has acknowledged and lifts it; the grid leader's phone (360×740) is taken over by a red or
orange warning and answers 确认收到, which the officer's page counts; an incident's report opens as the district's
A4 form with 打印 and 导出 Excel at both sizes. Screenshots go to test-results/warnings-*.png."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from browser.conftest import DESK, PHONE, signed_in
from conftest import TLS, make_settings
from support.world import grid_point
from wangge.database import Database
from wangge.models_common import utcnow
from wangge.notify.worker import OutboxWorker

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"warnings-{name}.png"), full_page=True)


def _deliver(live) -> int:
    settings = make_settings(live.settings.database_url)

    async def main() -> int:
        db = Database(settings.database_url)
        try:
            async with OutboxWorker(db, settings) as worker:
                total = 0
                while n := await worker.run_once():
                    total += n
                return total
        finally:
            await db.dispose()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


def _api(base: str, world, who: str, method: str, path: str, body: dict | None = None) -> dict:
    r = httpx.request(method, base + "/api/v1" + path, json=body, headers=world.headers(who), timeout=30, verify=TLS)
    assert r.status_code in (200, 201), r.text
    return r.json()


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_officer_issues_sees_acknowledgements_and_lifts_at_a_desk(world, live, browser, app_server):
    base = app_server.base_url
    page = signed_in(browser, base, "street_officer", DESK, "/incidents")
    page.get_by_test_id("link-warnings").click()
    expect(page).to_have_url(re.compile(r"/warnings$"))
    expect(page.get_by_test_id("warnings-none")).to_be_visible()
    page.get_by_test_id("warning-submit").click()
    expect(page.get_by_test_id("warning-form-error")).to_contain_text("请填写预警内容")

    page.get_by_test_id("warning-kind").select_option("rainstorm")
    page.get_by_test_id("warning-level-red").check(force=True)
    page.get_by_test_id("warning-text").fill("今夜有特大暴雨，请立即巡查低洼地带")
    page.get_by_test_id(f"warning-grid-{world.ids['G1a']}").check()
    _fits(page)
    _shot(page, "desk-form")
    page.get_by_test_id("warning-submit").click()

    item = page.get_by_test_id("warning-item")
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-level", "red")
    expect(item).to_contain_text("红色预警")
    expect(item.get_by_test_id("warning-acks")).to_have_text("已确认 0/2")
    wid = int(item.get_attribute("data-id"))

    _api(base, world, "grid_leader", "POST", f"/warnings/{wid}/ack")
    item.get_by_test_id("warning-open").click()
    expect(page).to_have_url(re.compile(rf"/warnings/{wid}$"))
    expect(page.get_by_test_id("warning-acks")).to_have_text("已确认 1/2")
    expect(page.get_by_test_id("warning-residents")).to_contain_text("居民 0 人")  # no registry in this world
    leader = page.locator(f"[data-testid=warning-recipient][data-user='{world.users['grid_leader']}']")
    member = page.locator(f"[data-testid=warning-recipient][data-user='{world.users['grid_member']}']")
    expect(leader).to_have_attribute("data-acked", "true")
    expect(member).to_have_attribute("data-acked", "false")
    expect(member).to_contain_text("未确认")
    _fits(page)
    _shot(page, "desk-detail")

    page.get_by_test_id("warning-lift-note").fill("雨已停")
    page.get_by_test_id("warning-lift").click()
    page.locator(".van-dialog__confirm").click()
    expect(page.get_by_test_id("warning-status")).to_have_text("已解除")
    expect(page.get_by_test_id("warning-lift-box")).to_have_count(0)
    assert _api(base, world, "street_officer", "GET", f"/warnings/{wid}")["status"] == "lifted"


def test_an_orange_warning_takes_over_the_leaders_phone_and_got_it_counts(world, live, browser, app_server):
    base = app_server.base_url
    _deliver(live)
    _api(base, world, "grid_leader", "POST", "/notifications/read-all")
    page = signed_in(browser, base, "grid_leader", PHONE, "/matters")
    page.clock.install()
    page.goto(base + "/matters")
    expect(page.get_by_test_id("tabbar")).to_be_visible()
    expect(page.get_by_test_id("emergency-alert")).to_have_count(0)

    until = (utcnow() + timedelta(hours=6)).isoformat()
    body = {"kind": "flood", "level": "orange", "text": "河道水位超警戒，请组织低洼处群众转移", "valid_until": until}
    w = _api(base, world, "station_chief", "POST", "/warnings", {**body, "grid_ids": [world.ids["G1a"]]})
    blue = _api(
        base, world, "station_chief", "POST", "/warnings", {**body, "level": "blue", "grid_ids": [world.ids["G1a"]]}
    )
    assert _deliver(live) >= 2
    page.clock.fast_forward(31_000)  # the next poll of the notifications

    alert = page.get_by_test_id("emergency-alert")
    expect(alert).to_be_visible()
    expect(alert).to_have_attribute("data-kind", "warning")
    expect(alert).to_have_attribute("data-level", "orange")
    expect(page.get_by_test_id("alert-kind")).to_have_text("预警")
    expect(page.get_by_test_id("alert-title")).to_have_text("橙色预警：洪涝")
    expect(page.get_by_test_id("alert-what")).to_have_text(body["text"])
    expect(page.get_by_test_id("alert-waiting")).to_have_count(0)  # the blue one stays a line in the bell
    _shot(page, "phone-alert")
    page.get_by_test_id("alert-ack").click()
    expect(alert).to_have_count(0)

    seen = _api(base, world, "station_chief", "GET", f"/warnings/{w['id']}")
    assert seen["acknowledged_total"] == 1
    assert [
        r["acknowledged_at"] is not None for r in seen["recipients"] if r["user_id"] == world.users["grid_leader"]
    ] == [True]

    # The blue one is answered on the warnings page.
    page.goto(base + "/warnings")
    blue_item = page.locator(f"[data-testid=warning-item][data-id='{blue['id']}']")
    expect(blue_item).to_contain_text("蓝色预警")
    blue_item.get_by_test_id("warning-ack").click()
    expect(blue_item.get_by_test_id("warning-acked")).to_be_visible()
    expect(page.locator(f"[data-testid=warning-item][data-id='{w['id']}'] [data-testid=warning-acked]")).to_be_visible()
    expect(page.get_by_test_id("warning-form")).to_have_count(0)  # a leader issues none
    _fits(page)
    _shot(page, "phone-list")


def test_a_report_prints_as_the_districts_form_and_exports_at_both_sizes(world, live, browser, app_server):
    base = app_server.base_url
    lon, lat = grid_point("G1a")
    inc = _api(
        base,
        world,
        "grid_leader",
        "POST",
        "/incidents",
        {"incident_type": "fire", "severity": 3, "title": "楼道起火", "place": "1栋2单元", "lat": lat, "lon": lon},
    )
    report = {"kind": "first", "nature": "电动车充电起火", "casualties": {"dead": 0, "injured": 1, "missing": 0},
              "scene_status": "明火已扑灭", "measures": "疏散群众十二人"}  # fmt: skip
    _api(base, world, "grid_leader", "POST", f"/incidents/{inc['id']}/reports", report)
    for size, name in ((DESK, "desk"), (PHONE, "phone")):
        page = signed_in(browser, base, "station_chief", size, f"/incidents/{inc['id']}")
        page.get_by_test_id("report-print-link").click()
        expect(page).to_have_url(re.compile(rf"/incidents/{inc['id']}/reports/1/print$"))
        sheet = page.get_by_test_id("report-sheet")
        expect(sheet).to_contain_text("突发事件信息报告")
        expect(page.get_by_test_id("report-line")).to_have_count(15)
        expect(sheet).to_contain_text(f"{inc['code']}-1")
        expect(sheet).to_contain_text("死亡 0 人，受伤 1 人，失踪 0 人")
        expect(sheet).to_contain_text("疏散群众十二人")
        _fits(page)
        _shot(page, f"report-{name}")
        with page.expect_download() as info:
            page.get_by_test_id("report-xlsx").click()
        assert info.value.suggested_filename == f"突发事件报告-{inc['code']}-1-首报.xlsx"
        page.emulate_media(media="print")
        expect(page.get_by_test_id("report-xlsx")).to_be_hidden()  # the toolbar is not printed
        page.context.close()
