"""The field app's shell on a 360×740 phone in Chromium (and the desk at 1280×800 for the unread count): the unread
count on the tab bar, the full-screen alert of an emergency raised by someone else (it vibrates until acknowledged,
alerts queue, acknowledging marks the notification read on the server), a quick report in three taps from the patrol
screen with the send button on screen, and the summary a patrol ends with. Screenshots go to
test-results/fieldshell-*.png."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import func, select

from browser.conftest import DESK, PHONE, WAIT_MS, session_script
from conftest import TLS, make_settings
from support.world import grid_point
from wangge.database import Database
from wangge.emergencies.models import ActivationMember
from wangge.fieldwork.models import Patrol
from wangge.matters.models import Category, Matter
from wangge.models_common import utcnow
from wangge.notify.models import Notification
from wangge.notify.worker import OutboxWorker

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
# The browser's own vibration API, recorded: the test's stand-in for the phone's motor.
RECORD_VIBRATIONS = """(() => {
  window.__vibrations = []
  Object.defineProperty(navigator, 'vibrate', {
    configurable: true,
    value: (pattern) => { window.__vibrations.push(pattern); return true },
  })
})()"""


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"fieldshell-{name}.png"))


def _context(browser: Browser, base: str, who: str, viewport=PHONE, *, where: str = "G1a") -> BrowserContext:
    lon, lat = grid_point(where)
    phone = viewport["width"] < 768
    context = browser.new_context(
        viewport=viewport,
        locale="zh-CN",
        is_mobile=phone,
        has_touch=phone,
        geolocation={"latitude": lat, "longitude": lon, "accuracy": 5},
    )
    context.add_init_script(session_script(base, who))
    context.add_init_script(RECORD_VIBRATIONS)
    context.grant_permissions(["geolocation"], origin=base)
    context.set_default_timeout(WAIT_MS)
    return context


def _deliver(live) -> int:
    """Deliver the outbox as the worker process would (the test servers run none)."""
    settings = make_settings(live.settings.database_url)

    async def main() -> int:
        db = Database(settings.database_url)
        try:
            async with OutboxWorker(db, settings) as worker:
                return await worker.run_once()
        finally:
            await db.dispose()

    # A thread of its own: Playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


def _post(base: str, world, who: str, path: str, body: dict, method: str = "POST") -> dict:
    r = httpx.request(method, base + "/api/v1" + path, json=body, headers=world.headers(who), timeout=30, verify=TLS)
    assert r.status_code in (200, 201), r.text
    return r.json()


def _raise(base: str, world, title: str, place: str, who: str = "grid_leader") -> dict:
    lon, lat = grid_point("G1a")
    body = {"incident_type": "fire", "severity": 3, "title": title, "place": place, "lat": lat, "lon": lon}
    return _post(base, world, who, "/incidents", body)


def _read_all(base: str, world, who: str) -> None:
    """Start from no unread notifications (building the world may have left some in the outbox)."""
    r = httpx.post(base + "/api/v1/notifications/read-all", headers=world.headers(who), timeout=30, verify=TLS)
    assert r.status_code == 200, r.text


def _in_viewport(page: Page, test_id: str) -> None:
    # Wholly on screen once the sheet has slid up (Vant's popup animates in): retried until then.
    expect(page.get_by_test_id(test_id)).to_be_in_viewport(ratio=1)
    box = page.get_by_test_id(test_id).bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"], (box, size)
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], (box, size)


def test_an_emergency_raised_by_another_takes_over_the_chiefs_phone(world, live, browser, app_server):
    base = app_server.base_url
    _deliver(live)
    _read_all(base, world, "station_chief")
    context = _context(browser, base, "station_chief")
    page = context.new_page()
    page.clock.install()
    page.goto(base + "/matters")
    expect(page.get_by_test_id("tabbar")).to_be_visible()
    expect(page.get_by_test_id("emergency-alert")).to_have_count(0)

    first = _raise(base, world, "3号楼厨房起火", "幸福小区3号楼2单元")
    second = _raise(base, world, "车库冒烟", "幸福小区地下车库")
    assert _deliver(live) >= 2
    page.clock.fast_forward(31_000)  # the next poll of the notifications

    alert = page.get_by_test_id("emergency-alert")
    expect(alert).to_be_visible()
    expect(alert).to_have_attribute("data-kind", "incident")
    expect(page.get_by_test_id("alert-kind")).to_have_text("突发事件")
    expect(page.get_by_test_id("alert-title")).to_contain_text(first["code"])  # the older one first
    expect(page.get_by_test_id("alert-where")).to_have_text("幸福小区3号楼2单元")
    expect(page.get_by_test_id("alert-waiting")).to_contain_text("还有 1 条")
    box = alert.bounding_box()
    assert box is not None and (box["width"], box["height"]) == (PHONE["width"], PHONE["height"])
    _in_viewport(page, "alert-ack")
    assert page.evaluate("window.__vibrations.length") >= 1
    page.clock.run_for(6_500)  # it keeps ringing until answered
    assert page.evaluate("window.__vibrations.length") >= 3
    expect(page.get_by_test_id("nav-me").locator(".van-badge")).to_have_text("2")
    _shot(page, "alert")

    page.get_by_test_id("alert-ack").click()
    expect(page.get_by_test_id("alert-title")).to_contain_text(second["code"])
    expect(page.get_by_test_id("alert-waiting")).to_have_count(0)
    page.get_by_test_id("alert-open").click()  # 查看: acknowledged and opened
    expect(alert).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"/incidents/{second['id']}$"))
    expect(page.get_by_test_id("nav-me").locator(".van-badge")).to_have_count(0)
    stopped = page.evaluate("window.__vibrations.at(-1)")
    assert stopped == 0, "the vibration stops when the last alert is answered"

    with live.session() as db:
        rows = db.scalars(
            select(Notification).where(
                Notification.user_id == world.users["station_chief"], Notification.topic == "incident.raised"
            )
        ).all()
        assert len(rows) == 2 and all(n.read_at is not None for n in rows)
    # Acknowledged stays acknowledged: a reload shows no alert.
    page.reload()
    expect(page.get_by_test_id("tabbar")).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("emergency-alert")).to_have_count(0)
    context.close()


def test_a_tier_call_out_comes_first_and_answering_it_acknowledges_the_call(world, live, browser, app_server):
    base = app_server.base_url
    _deliver(live)
    _read_all(base, world, "grid_leader")
    context = _context(browser, base, "grid_leader")
    page = context.new_page()
    page.clock.install()
    page.goto(base + "/patrol")
    expect(page.get_by_test_id("tabbar")).to_be_visible()

    incident = _raise(base, world, "燃气泄漏", "幸福小区5号楼", who="station_chief")
    tier = {"unit_level": "community", "unit_id": world.ids["C1"], "tier": 1, "name": "一级响应队"}
    tier = _post(
        base,
        world,
        "station_chief",
        "/response-tiers",
        {**tier, "members": [{"user_id": world.users["grid_leader"]}]},
        "PUT",
    )
    activation = _post(
        base, world, "station_chief", f"/incidents/{incident['id']}/activations", {"tier_id": tier["id"]}
    )
    assert _deliver(live) >= 2
    page.clock.fast_forward(31_000)

    alert = page.get_by_test_id("emergency-alert")
    expect(alert).to_have_attribute("data-kind", "callout")  # the call-out first, though the incident came before
    expect(page.get_by_test_id("alert-kind")).to_have_text("出动通知")
    expect(page.get_by_test_id("alert-title")).to_contain_text("一级响应队")
    expect(page.get_by_test_id("alert-where")).to_have_text("幸福小区5号楼")
    expect(page.get_by_test_id("alert-what")).to_contain_text("请确认")
    assert page.evaluate("window.__vibrations.length") >= 1
    _shot(page, "callout")
    page.get_by_test_id("alert-ack").click()
    expect(alert).to_have_attribute("data-kind", "incident")
    with live.session() as db:
        member = db.scalars(
            select(ActivationMember).where(
                ActivationMember.activation_id == activation["id"],
                ActivationMember.user_id == world.users["grid_leader"],
            )
        ).one()
        assert member.acknowledged_at is not None and member.arrived_at is None
    page.get_by_test_id("alert-ack").click()
    expect(alert).to_have_count(0)
    context.close()


def _ordinary(live, user_id: int, n: int) -> None:
    with live.session() as db:
        db.add_all(
            Notification(
                event_id=f"shell-{user_id}-{i}",
                user_id=user_id,
                topic="matter.created",
                title=f"新事项 {i}",
                body="环境卫生：垃圾堆放",
                created_at=utcnow() - timedelta(minutes=i),
            )
            for i in range(n)
        )
        db.commit()


def test_the_unread_count_on_the_tab_bar_and_the_desk_and_no_alert_for_ordinary_news(world, live, browser, app_server):
    base = app_server.base_url
    _deliver(live)
    _read_all(base, world, "grid_leader")
    _read_all(base, world, "station_chief")
    _ordinary(live, world.users["grid_leader"], 120)
    context = _context(browser, base, "grid_leader")
    page = context.new_page()
    page.goto(base + "/patrol")
    expect(page.get_by_test_id("nav-me").locator(".van-badge")).to_have_text("99+")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("emergency-alert")).to_have_count(0)
    assert page.evaluate("window.__vibrations.length") == 0
    _shot(page, "badge")
    context.close()

    _ordinary(live, world.users["station_chief"], 3)
    desk = _context(browser, base, "station_chief", DESK)
    page = desk.new_page()
    page.goto(base + "/matters")
    expect(page.get_by_test_id("notification-bell").locator(".van-badge")).to_have_text("3")
    expect(page.get_by_test_id("emergency-alert")).to_have_count(0)
    desk.close()


def test_a_quick_report_in_three_taps_from_the_patrol_screen(world, live, browser, app_server):
    base = app_server.base_url
    with live.session() as db:
        before = db.scalar(select(func.count()).select_from(Matter))
    context = _context(browser, base, "grid_leader")
    page = context.new_page()
    page.goto(base + "/patrol")
    expect(page.get_by_test_id("patrol-start")).to_be_enabled()

    page.get_by_test_id("patrol-quick").click()  # 1
    expect(page.get_by_test_id("quick-where")).to_contain_text("已定位")
    page.get_by_test_id("quick-category-sanitation").click()  # 2
    _in_viewport(page, "quick-send")  # no scrolling to reach it
    _shot(page, "quick")
    page.get_by_test_id("quick-send").click()  # 3
    expect(page.get_by_test_id("quick-report")).to_be_hidden()
    expect(page.get_by_test_id("patrol-waiting")).to_have_attribute("data-count", "0", timeout=30_000)

    lon, lat = grid_point("G1a")
    with live.session() as db:
        assert db.scalar(select(func.count()).select_from(Matter)) == before + 1
        m, code = db.execute(
            select(Matter, Category.code).join(Category, Category.id == Matter.category_id).order_by(Matter.id.desc())
        ).first()
        assert (code, m.source, m.grid_id, m.owner_id) == (
            "sanitation",
            "field",
            world.ids["G1a"],
            world.users["grid_leader"],
        )
        assert abs(m.lat - lat) < 1e-6 and abs(m.lon - lon) < 1e-6
    context.close()


def test_ending_a_patrol_shows_its_summary(world, live, browser, app_server):
    base = app_server.base_url
    lon, lat = grid_point("G1a")
    context = _context(browser, base, "grid_leader")
    page = context.new_page()
    page.goto(base + "/patrol")
    page.get_by_test_id("patrol-start").click()
    points = page.get_by_test_id("patrol-points")
    expect(points).to_have_text("1")
    for i in range(1, 6):  # north, about 4.4 m a step, slower than the 15 m/s a point is flagged above
        context.set_geolocation({"latitude": lat + i * 0.00004, "longitude": lon, "accuracy": 5})
        expect(points).to_have_text(str(i + 1))
        page.wait_for_timeout(500)

    page.get_by_test_id("patrol-checkin").click()
    page.get_by_test_id("checkin-building").first.click()
    expect(page.get_by_test_id("patrol-waiting")).to_have_attribute("data-count", "0", timeout=30_000)
    page.get_by_test_id("patrol-quick").click()
    expect(page.get_by_test_id("quick-where")).to_contain_text("已定位")
    sanitation = page.get_by_test_id("quick-category-sanitation")
    sanitation.click()
    expect(sanitation).to_have_attribute("aria-checked", "true")
    page.get_by_test_id("quick-send").click()
    expect(page.get_by_test_id("quick-report")).to_be_hidden()

    page.get_by_test_id("patrol-stop").click()
    page.locator(".van-dialog__confirm").click()
    summary = page.get_by_test_id("patrol-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("data-loaded", "true", timeout=30_000)
    _shot(page, "summary")

    with live.session() as db:
        patrol = db.scalars(select(Patrol).where(Patrol.user_id == world.users["grid_leader"])).one()
        assert patrol.ended_at is not None
    server = httpx.get(
        f"{base}/api/v1/patrols/{patrol.id}/summary", headers=world.headers("grid_leader"), timeout=30, verify=TLS
    ).json()
    assert server["covered_share"] > 0 and server["distance_m"] > 20 and server["point_count"] == 6
    seconds = server["duration_s"]
    expect(page.get_by_test_id("summary-duration")).to_have_text(
        f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    )
    expect(page.get_by_test_id("summary-distance")).to_have_text(f"{round(server['distance_m'])} 米")
    expect(page.get_by_test_id("summary-coverage")).to_have_text(f"{round(server['covered_share'] * 100)}%")
    expect(page.get_by_test_id("summary-findings-count")).to_have_text("1 项")
    expect(page.get_by_test_id("summary-finding")).to_contain_text("环境卫生")
    expect(page.get_by_test_id("summary-checkins-count")).to_have_text("1 项")
    expect(page.get_by_test_id("summary-checkin")).to_contain_text("G1a-1栋")
    _in_viewport(page, "summary-done")
    page.get_by_test_id("summary-done").click()
    expect(summary).to_have_count(0)
    expect(page.get_by_test_id("patrol-start")).to_be_visible()
    context.close()
