"""What a new user's walk of the field app and the resident side found (issue 13), on a 360×740 phone in Chromium: a
quick report from outside the leader's grid is asked about before it is sent, and when the server refuses it the
outbox says why once, in the app's words; a patrol started on another phone is ended, or continued, on this one; a
resident's matter is contacted first (先行联系) before it is handled on the spot; the nearby list names a staff line
neutrally. Screenshots go to test-results/fieldwalk-*.png."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import func, select

from browser.conftest import PHONE, leader_phone, new_page, signed_in
from conftest import TLS
from matters.helpers import matter_id, submit
from support.world import grid_point
from wangge.fieldwork.models import Patrol
from wangge.matters.models import Matter
from wangge.models_common import utcnow

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"fieldwalk-{name}.png"))


def _context(browser: Browser, base: str, *, where: str = "G1a") -> BrowserContext:
    """The grid leader's phone, standing at a point of grid `where`."""
    lon, lat = grid_point(where)
    return leader_phone(browser, base, lat, lon)


def _api(base: str, world, method: str, path: str, **kwargs) -> httpx.Response:
    return httpx.request(
        method, f"{base}/api/v1{path}", headers=world.headers("grid_leader"), timeout=30, verify=TLS, **kwargs
    )


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_quick_report_from_outside_the_leaders_grid_is_asked_about_and_its_refusal_said_once(
    world, live, browser, app_server
):
    base = app_server.base_url
    with live.session() as db:
        before = db.scalar(select(func.count()).select_from(Matter))
    context = _context(browser, base, where="G1b")  # the leader of G1a, standing in G1b
    page = context.new_page()
    page.goto(base + "/quick-report")
    expect(page.get_by_test_id("quick-where")).to_contain_text("已定位")
    page.get_by_test_id("quick-category-sanitation").click()
    page.get_by_test_id("quick-send").click()

    dialog = page.locator(".van-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("不在您负责的网格内")
    expect(dialog).to_contain_text("G1b网格")
    _fits(page)
    _shot(page, "outside-asked")
    dialog.locator(".van-dialog__cancel").click()  # 返回: nothing is sent
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("quick-category-sanitation")).to_have_attribute("aria-checked", "true")
    expect(page.get_by_test_id("patrol-waiting")).to_have_attribute("data-count", "0")

    page.get_by_test_id("quick-send").click()
    expect(dialog).to_contain_text("仍然发送")
    dialog.locator(".van-dialog__confirm").click()  # they may still send: the server has the last word
    item = page.get_by_test_id("outbox-failed-item")
    expect(item).to_have_count(1, timeout=30_000)
    message = "该位置不在您负责的网格内，请转告所属网格或服务站"
    expect(item).to_contain_text(f"上报事项: {message}")
    text = item.locator(".outbox-failed__what").inner_text()
    assert text.count("网格") == 2 and text.count(message) == 1, text  # the app's words, once; no server detail
    _fits(page)
    _shot(page, "outside-refused")
    # After a reload (the codes' words not fetched yet), the stored refusal still reads the same.
    page.reload()
    expect(page.get_by_test_id("outbox-failed-item")).to_contain_text(f"上报事项: {message}")
    with live.session() as db:
        assert db.scalar(select(func.count()).select_from(Matter)) == before
    context.close()


def test_a_quick_report_with_no_words_is_called_after_its_category(world, live, browser, app_server):
    base = app_server.base_url
    context = _context(browser, base)
    page = context.new_page()
    page.goto(base + "/quick-report")
    expect(page.get_by_test_id("quick-where")).to_contain_text("已定位")
    page.get_by_test_id("quick-category-sanitation").click()
    page.get_by_test_id("quick-send").click()  # in its own grid: no question
    expect(page.locator(".van-toast")).to_contain_text("已上报")
    expect(page.locator(".van-dialog")).to_have_count(0)
    m = None
    for _ in range(60):  # the outbox sends it in the background
        with live.session() as db:
            m = db.scalars(select(Matter).order_by(Matter.id.desc())).first()
        if m is not None:
            break
        page.wait_for_timeout(500)
    assert m is not None and m.description == "随手拍：环境卫生"
    page.goto(base + "/my-day")
    item = page.locator(".myday__item-title", has_text=m.tracking_code)
    expect(item).to_have_text(f"{m.tracking_code} 随手拍：环境卫生")
    context.close()


def test_a_patrol_started_on_another_phone_is_ended_or_continued_on_this_one(world, live, browser, app_server):
    base = app_server.base_url
    started = (utcnow() - timedelta(minutes=30)).isoformat()
    other = _api(base, world, "POST", "/patrols", json={"client_id": "the-other-phone-1", "started_at": started})
    assert other.status_code == 201, other.text

    context = _context(browser, base)
    page = context.new_page()
    page.goto(base + "/patrol")
    banner = page.get_by_test_id("other-patrol")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("有一次巡查尚未结束")
    expect(banner).to_contain_text("另一台设备")
    expect(page.get_by_test_id("patrol-start")).to_be_visible()
    _fits(page)
    _shot(page, "other-patrol")
    page.get_by_test_id("other-patrol-end").click()
    page.locator(".van-dialog__confirm").click()
    summary = page.get_by_test_id("patrol-summary")
    expect(summary).to_have_attribute("data-loaded", "true", timeout=30_000)
    expect(banner).to_have_count(0)
    with live.session() as db:
        assert db.get(Patrol, other.json()["id"]).ended_at is not None
    page.get_by_test_id("summary-done").click()

    # Another one, continued here: the screen runs it, its points go to that patrol, and it ends here.
    again = _api(base, world, "POST", "/patrols", json={"client_id": "the-other-phone-2", "started_at": started})
    assert again.status_code == 201, again.text
    page.reload()
    expect(banner).to_be_visible()
    page.get_by_test_id("other-patrol-resume").click()
    expect(page.get_by_test_id("patrol-stop")).to_be_visible()
    expect(page.get_by_test_id("patrol-page")).to_have_attribute("data-running", "true")
    lon, lat = grid_point("G1a")
    for i in range(1, 3):
        context.set_geolocation({"latitude": lat + i * 0.00004, "longitude": lon, "accuracy": 5})
        page.wait_for_timeout(400)
    page.get_by_test_id("patrol-stop").click()
    page.locator(".van-dialog__confirm").click()
    expect(page.get_by_test_id("patrol-summary")).to_have_attribute("data-loaded", "true", timeout=30_000)
    with live.session() as db:
        patrol = db.get(Patrol, again.json()["id"])
        assert patrol.ended_at is not None and patrol.point_count >= 1
        assert db.scalar(select(func.count()).select_from(Patrol)) == 2  # nothing started anew
    context.close()


def test_a_residents_matter_is_contacted_first_then_handled_on_the_spot(world, live, browser, app_server, client):
    base = app_server.base_url
    mid = matter_id(live, submit(client, "sanitation", "G1a")["tracking_code"])
    page = signed_in(browser, base, "grid_leader", PHONE, f"/matters/{mid}")
    buttons = page.get_by_test_id("matter-actions").locator("button")
    expect(buttons.first).to_have_attribute("data-testid", "action-contact")
    expect(page.get_by_test_id("action-handle_on_spot")).to_have_count(0)
    expect(page.get_by_text("联系后才能现场处置")).to_be_visible()
    _fits(page)
    _shot(page, "contact-first")

    page.get_by_test_id("action-contact").click()
    page.get_by_test_id("action-dialog").get_by_test_id("action-confirm").click()
    expect(page.get_by_test_id("action-handle_on_spot")).to_be_visible()
    expect(page.get_by_text("联系后才能现场处置")).to_have_count(0)
    page.get_by_test_id("action-handle_on_spot").click()
    dialog = page.get_by_test_id("action-dialog")
    dialog.get_by_test_id("action-text").fill("已清运干净")
    dialog.get_by_test_id("action-confirm").click()
    expect(page.get_by_test_id("matter-status")).to_contain_text("已办结")
    page.context.close()


def test_the_nearby_list_names_a_staff_line_neutrally(world, live, browser, app_server, client):
    base = app_server.base_url
    lon, lat = grid_point("G1a")
    body = {"category": "livelihood", "description": "小区路灯改造", "lat": lat, "lon": lon, "source": "field"}
    assert _api(base, world, "POST", "/matters", json=body).status_code == 201
    submit(client, "sanitation", "G1a")
    page = new_page(browser, PHONE)
    page.goto(base + "/report")
    page.get_by_test_id("report-search").fill("G1a-1")
    page.get_by_test_id("report-search-go").click()
    page.get_by_test_id("report-search-result").filter(has_text="G1a-1栋").click()
    nearby = page.get_by_test_id("report-nearby-item")
    expect(nearby).to_have_count(2)
    expect(nearby.filter(has_text="其他")).to_have_count(1)
    expect(nearby.filter(has_text="垃圾与环境卫生")).to_have_count(1)
    expect(page.get_by_test_id("report-nearby-item").filter(has_text="民生工程")).to_have_count(0)
    _fits(page)
    _shot(page, "nearby")
    page.context.close()
