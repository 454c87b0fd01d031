"""The steps around the routes (issue 11) in Chromium: (a) the grid leader applies on a 360×740 phone for an
extension of a matter they hold, and the station chief approves it at a 1280×800 desk: the record's deadline moves
to the day applied for and the timeline shows both steps; (b) a matter of a category verified on site
(illegal_construction) resolved by its handler waits in 待核查 until the station chief verifies it with a photo taken
there and a note: it is 已办结 and the photo is in the record's 核查 part. Screenshots go to test-results/loop-*.png."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from browser.conftest import DESK, PHONE, signed_in
from browser.test_weight import LIMIT, _fresh_page, _weigh
from support.world import PASSWORD, grid_point

BEIJING = ZoneInfo("Asia/Shanghai")
SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _token(base: str, username: str) -> dict[str, str]:
    r = httpx.post(f"{base}/api/v1/auth/token", data={"username": username, "password": PASSWORD}, timeout=30)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _act(base: str, who: dict[str, str], mid: int, action: str, body: dict | None = None) -> dict:
    current = httpx.get(f"{base}/api/v1/matters/{mid}", headers=who, timeout=30)
    assert current.status_code == 200, current.text
    done = httpx.post(
        f"{base}/api/v1/matters/{mid}/actions/{action}",
        json=body or {},
        headers={**who, "If-Match": current.headers["etag"]},
        timeout=30,
    )
    assert done.status_code == 200, done.text
    return done.json()


def _accepted(base: str, leader: dict[str, str], category: str, description: str) -> tuple[int, str]:
    """A resident's report in G1a that the grid leader accepts (over HTTP)."""
    lon, lat = grid_point("G1a")
    r = httpx.post(
        f"{base}/api/v1/public/matters",
        json={
            "category": category,
            "description": description,
            "lat": lat,
            "lon": lon,
            "reporter_phone": "13812345678",
        },
        timeout=30,
    )
    assert r.status_code == 201, r.text
    code = r.json()["tracking_code"]
    query = {"box": "grid", "status": "open", "limit": 50}
    found = httpx.get(f"{base}/api/v1/matters", params=query, headers=leader, timeout=30)
    assert found.status_code == 200, found.text
    mid = next(m["id"] for m in found.json()["items"] if m["tracking_code"] == code)
    assert _act(base, leader, mid, "accept")["status"] == "accepted"
    return mid, code


def _page(browser: Browser, base: str, username: str, viewport: dict[str, int], path: str) -> Page:
    # Beijing time, as the people using it: the deadlines read as they would on their phones.
    return signed_in(browser, base, username, viewport, path, timezone_id="Asia/Shanghai")


def _no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.pub-page, .app-main, .action-dialog')]"
        ".map(e => e.scrollWidth - e.clientWidth), 0)"
    )
    assert widest <= 0, f"something is {widest}px wider than the screen"


UNCLIP = (
    "html, body, #app, .pub-page, .app-layout, .app-main { height: auto !important; overflow: visible !important; }"
)


def _shot(page: Page, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(exist_ok=True)
    expect(page.locator(".van-toast")).to_be_hidden(timeout=5_000)  # the "操作成功" toast, gone after two seconds
    if not full_page:
        page.screenshot(path=str(SHOTS / f"loop-{name}.png"))
        return
    # A constructed style sheet: the app's Content-Security-Policy refuses inline styles.
    page.evaluate(
        "css => { const s = new CSSStyleSheet(); s.replaceSync(css); document.adoptedStyleSheets = [s] }", UNCLIP
    )
    page.screenshot(path=str(SHOTS / f"loop-{name}.png"), full_page=True)
    page.evaluate("document.adoptedStyleSheets = []")


def test_an_extension_applied_on_a_phone_and_approved_at_the_desk(world, browser, app_server):
    base = app_server.base_url
    leader = _token(base, "grid_leader")
    mid, code = _accepted(base, leader, "sanitation", "小区东门建筑垃圾需协调清运车辆")
    due = httpx.get(f"{base}/api/v1/matters/{mid}", headers=leader, timeout=30).json()["deadlines"]["due_at"]
    assert due, "an accepted matter has a deadline"
    until = (datetime.fromisoformat(due).astimezone(BEIJING) + timedelta(days=3)).date().isoformat()

    # (a) On the grid leader's phone: the application, with a reason and the new date.
    phone = _page(browser, base, "grid_leader", PHONE, f"/matters/{mid}")
    expect(phone.get_by_test_id("matter-status")).to_have_attribute("data-status", "accepted")
    phone.get_by_test_id("action-apply_extension").click()
    dialog = phone.get_by_test_id("action-dialog")
    expect(dialog).to_have_attribute("data-action", "apply_extension")
    expect(dialog.locator("h3")).to_have_text("申请延期")
    phone.get_by_test_id("action-text").fill("需协调清运车辆，车辆排期在下周")
    phone.get_by_test_id("action-confirm").click()  # without the date: asked for it, nothing sent
    expect(phone.get_by_test_id("action-error")).to_contain_text("请填写延期至")
    phone.get_by_test_id("loop-until").fill(until)
    _no_horizontal_scroll(phone)
    _shot(phone, "extension-dialog-phone")
    phone.get_by_test_id("action-confirm").click()
    banner = phone.get_by_test_id("loop-banner-pending")
    expect(banner).to_have_text(f"延期申请待审批：至 {until}")
    application = phone.get_by_test_id("loop-application")
    expect(application).to_have_attribute("data-decision", "pending")
    expect(application).to_contain_text("需协调清运车辆")
    expect(phone.get_by_test_id("action-apply_extension")).to_have_count(0)  # one application at a time
    expect(phone.get_by_test_id("action-approve_application")).to_have_count(0)  # decided one level up
    expect(phone.get_by_test_id("matter-deadlines")).not_to_contain_text(f"{until} 23:59")  # not moved yet
    _no_horizontal_scroll(phone)
    _shot(phone, "extension-applied-phone", full_page=True)

    # (b) At the station chief's desk: the banner, then the approval.
    desk = _page(browser, base, "station_chief", DESK, f"/matters/{mid}")
    expect(desk.get_by_test_id("loop-banner-pending")).to_have_text(f"延期申请待审批：至 {until}")
    expect(desk.get_by_test_id("action-refuse_application")).to_have_class(re.compile("van-button--danger"))
    desk.get_by_test_id("action-approve_application").click()
    expect(desk.get_by_test_id("action-dialog")).to_contain_text("确定批准申请吗？")
    desk.get_by_test_id("action-confirm").click()
    expect(desk.get_by_test_id("loop-application")).to_have_attribute("data-decision", "approved")
    expect(desk.get_by_test_id("loop-banner-pending")).to_have_count(0)
    expect(desk.get_by_test_id("loop-application")).to_contain_text("station_chief的名字 审批于")
    expect(desk.get_by_test_id("matter-deadlines")).to_contain_text(f"{until} 23:59")
    timeline = desk.get_by_test_id("matter-timeline")
    expect(timeline.locator('[data-action="apply_extension"]')).to_contain_text("申请延期")
    expect(timeline.locator('[data-action="apply_extension"]')).to_contain_text(f"延期至 {until}")
    expect(timeline.locator('[data-action="approve_application"]')).to_contain_text("批准申请")
    expect(timeline.locator('[data-action="approve_application"]')).to_contain_text(f"延期至 {until}")
    _shot(desk, "extension-approved-desk", full_page=True)

    record = httpx.get(f"{base}/api/v1/matters/{mid}", headers=leader, timeout=30).json()
    moved = datetime.fromisoformat(record["deadlines"]["due_at"]).astimezone(BEIJING)
    assert (moved.date().isoformat(), moved.hour, moved.minute) == (until, 23, 59)
    assert record["pending_application"] is None

    # Back on the phone: the new deadline is there after a reload.
    phone.reload()
    expect(phone.get_by_test_id("matter-deadlines")).to_contain_text(f"{until} 23:59")
    expect(phone.get_by_test_id("loop-application")).to_have_attribute("data-decision", "approved")
    phone.context.close()
    desk.context.close()

    # The resident's tracking page, fresh (nothing cached): within the first screens' weight, and it says the
    # deadline moved, to which day, without the reason.
    resident = _fresh_page(browser)
    sizes = _weigh(resident, base, "/track", lambda p: expect(p.get_by_test_id("track-code")).to_be_visible())
    assert sum(sizes.values()) <= LIMIT, sizes
    resident.get_by_test_id("track-code").fill(code)
    resident.get_by_test_id("track-phone").fill("5678")
    resident.get_by_test_id("track-submit").click()
    steps = resident.get_by_test_id("track-steps")
    expect(steps.locator('[data-action="approve_application"]')).to_contain_text(f"办理期限已延长至 {until}")
    expect(steps).not_to_contain_text("需协调清运车辆")
    expect(steps.locator('[data-action="apply_extension"]')).to_have_count(0)
    _no_horizontal_scroll(resident)
    _shot(resident, "track-extended-phone", full_page=True)
    resident.context.close()


def _photo(tmp_path: Path) -> Path:
    path = tmp_path / "site.jpg"
    Image.new("RGB", (320, 240), (90, 140, 90)).save(path, "JPEG", quality=80)
    return path


def test_a_verification_with_an_on_site_photo(world, browser, app_server, tmp_path):
    base = app_server.base_url
    leader = _token(base, "grid_leader")
    mid, _code = _accepted(base, leader, "illegal_construction", "楼顶搭建彩钢板房")
    resolved = _act(base, leader, mid, "resolve", {"result": "已督促业主自行拆除"})
    assert resolved["status"] == "verifying"  # the category is verified before the rating
    assert "verify" not in resolved["allowed_actions"]  # not by the one who resolved it

    # The station chief, on site with a phone.
    phone = _page(browser, base, "station_chief", PHONE, f"/matters/{mid}")
    status = phone.get_by_test_id("matter-status")
    expect(status).to_have_attribute("data-status", "verifying")
    expect(status).to_have_text("待核查")
    expect(phone.get_by_test_id("loop-banner-verifying")).to_be_visible()
    expect(phone.get_by_test_id("loop-verification")).to_contain_text("尚未核查")
    expect(phone.get_by_test_id("action-send_back")).to_have_class(re.compile("van-button--danger"))
    phone.get_by_test_id("action-verify").click()
    phone.get_by_test_id("action-confirm").click()
    expect(phone.get_by_test_id("action-error")).to_contain_text("请填写核查意见")
    phone.get_by_test_id("loop-note").fill("现场查看，彩钢板房已拆除，楼顶已清理")
    phone.get_by_test_id("action-confirm").click()
    expect(phone.get_by_test_id("action-error")).to_contain_text("请填写现场照片")
    dialog = phone.get_by_test_id("action-dialog")
    dialog.get_by_test_id("report-photo-input").set_input_files(str(_photo(tmp_path)))
    expect(dialog.get_by_test_id("report-photo-thumb")).to_have_count(1)
    expect(dialog.get_by_test_id("report-photo-thumb").locator("img")).to_have_js_property("complete", True)
    _no_horizontal_scroll(phone)
    _shot(phone, "verify-dialog-phone")
    phone.get_by_test_id("action-confirm").click()
    expect(status).to_have_attribute("data-status", "resolved")
    expect(status).to_have_text("已办结")
    expect(phone.get_by_test_id("loop-banner-verifying")).to_have_count(0)
    part = phone.get_by_test_id("loop-verification")
    expect(part.get_by_test_id("loop-verify-note")).to_have_text("现场查看，彩钢板房已拆除，楼顶已清理")
    expect(part.get_by_test_id("loop-verified-by")).to_have_text("station_chief的名字")
    photo = part.get_by_test_id("loop-verify-photo").locator("img")
    expect(photo).to_have_count(1)
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("img => img.naturalWidth") > 0
    expect(phone.get_by_test_id("matter-timeline").locator('[data-action="verify"]')).to_contain_text("现场照片 1 张")
    _no_horizontal_scroll(phone)
    _shot(phone, "verified-phone", full_page=True)

    # At a desk the record reads the same.
    desk = _page(browser, base, "station_chief", DESK, f"/matters/{mid}")
    expect(desk.get_by_test_id("matter-status")).to_have_attribute("data-status", "resolved")
    expect(desk.get_by_test_id("loop-verification").get_by_test_id("loop-verify-photo")).to_have_count(1)
    _shot(desk, "verified-desk", full_page=True)
    phone.context.close()
    desk.context.close()
