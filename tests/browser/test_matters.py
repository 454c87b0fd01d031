"""Matters in Chromium on a 360×740 phone: a resident reports a problem (GPS, photo, phone) and gets a tracking code;
the grid leader accepts and resolves it from the inbox; the resident tracks it and rates it 满意, which closes it.
Screenshots of every screen go to test-results/matters-*.png."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from browser.conftest import DESK, PHONE, WAIT_MS, session_script
from support.world import grid_point

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _context(browser: Browser, viewport: dict[str, int], **extra) -> BrowserContext:
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", is_mobile=viewport["width"] < 768, has_touch=viewport["width"] < 768, **extra
    )
    context.set_default_timeout(WAIT_MS)
    return context


UNCLIP = (
    "html, body, #app, .pub-page, .app-layout, .app-main { height: auto !important; overflow: visible !important; }"
)


def _shot(page: Page, name: str, full_page: bool = False) -> None:
    """A screenshot; `full_page` lets the page's own scroll container grow so the whole screen is in the picture."""
    SHOTS.mkdir(exist_ok=True)
    if not full_page:
        page.screenshot(path=str(SHOTS / f"matters-{name}.png"))
        return
    # A constructed style sheet, not a <style> tag: the app's Content-Security-Policy refuses inline styles.
    page.evaluate(
        "css => { const s = new CSSStyleSheet(); s.replaceSync(css); document.adoptedStyleSheets = [s] }", UNCLIP
    )
    page.screenshot(path=str(SHOTS / f"matters-{name}.png"), full_page=True)
    page.evaluate("document.adoptedStyleSheets = []")


def _no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The pages scroll inside their own container: nothing in it may be wider than the screen either.
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.pub-page, .app-main')].map(e => e.scrollWidth - e.clientWidth), 0)"
    )
    assert widest <= 0, f"something is {widest}px wider than the screen"


def _photo(tmp_path: Path) -> Path:
    path = tmp_path / "rubbish.jpg"
    Image.new("RGB", (320, 240), (180, 120, 60)).save(path, "JPEG", quality=80)
    return path


def test_resident_reports_staff_resolve_resident_rates(world, browser, app_server, tmp_path):
    base = app_server.base_url
    lon, lat = grid_point("G1a")

    # (a) The resident, from the login page, reports a problem with their position and a photo.
    resident = _context(browser, PHONE, geolocation={"latitude": lat, "longitude": lon})
    resident.grant_permissions(["geolocation"], origin=base)
    page = resident.new_page()
    page.goto(base + "/login")
    expect(page.get_by_test_id("link-track")).to_have_text(re.compile("查询进度"))
    page.get_by_test_id("link-report").click()
    expect(page).to_have_url(re.compile(r"/report$"))
    page.get_by_test_id("report-category-sanitation").click()
    expect(page.get_by_test_id("report-category-sanitation")).to_have_attribute("aria-checked", "true")
    page.get_by_test_id("report-description").fill("小区北门垃圾堆积三天无人清运")
    page.get_by_test_id("report-use-gps").click()
    expect(page.get_by_test_id("report-map")).to_have_attribute("data-placed", "true")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    page.get_by_test_id("report-photo-input").set_input_files(str(_photo(tmp_path)))
    expect(page.get_by_test_id("report-photo-thumb")).to_have_count(1)
    expect(page.get_by_test_id("report-photo-thumb").locator("img")).to_have_js_property("complete", True)
    page.get_by_test_id("report-name").fill("李女士")
    page.get_by_test_id("report-phone").fill("1381234567")  # ten digits: refused before sending
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-error")).to_contain_text("11 位手机号")
    page.get_by_test_id("report-phone").fill("13812345678")
    _no_horizontal_scroll(page)
    _shot(page, "report-form")
    _shot(page, "report-form-full", full_page=True)
    page.get_by_test_id("report-submit").click()
    code_el = page.get_by_test_id("report-code")
    expect(code_el).to_have_text(re.compile(r"\S{4,}"))
    code = code_el.inner_text().strip()
    _no_horizontal_scroll(page)
    _shot(page, "report-done")

    # (b) The grid leader opens it from the inbox, accepts it and resolves it.
    staff = _context(browser, PHONE)
    staff.add_init_script(session_script(base, "grid_leader"))
    leader = staff.new_page()
    leader.goto(base + "/map")
    leader.get_by_test_id("nav-matters").click()
    expect(leader).to_have_url(re.compile(r"/matters"))
    expect(leader.get_by_test_id("box-grid")).to_have_attribute("aria-selected", "true")
    item = leader.get_by_test_id("matter-item").filter(has_text=code)
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-status", "submitted")
    expect(item).to_contain_text("环境卫生")
    _no_horizontal_scroll(leader)
    _shot(leader, "inbox")
    item.click()
    expect(leader).to_have_url(re.compile(r"/matters/\d+$"))
    status = leader.get_by_test_id("matter-status")
    expect(status).to_have_attribute("data-status", "submitted")
    expect(status).to_have_text("待受理")
    expect(leader.get_by_test_id("matter-deadlines")).to_contain_text("签收时限")
    expect(leader.get_by_test_id("matter-five-haves")).to_contain_text("有人报告")
    expect(leader.get_by_test_id("matter-timeline")).to_contain_text("上报")
    expect(leader.get_by_test_id("matter-handoffs")).to_be_visible()
    expect(leader.get_by_test_id("action-resolve")).to_have_count(0)  # not allowed before it is accepted
    _no_horizontal_scroll(leader)
    _shot(leader, "matter-submitted")
    _shot(leader, "matter-submitted-full", full_page=True)

    leader.get_by_test_id("action-accept").click()
    expect(leader.get_by_test_id("action-dialog")).to_be_visible()
    _shot(leader, "dialog-accept")
    leader.get_by_test_id("action-confirm").click()
    expect(status).to_have_attribute("data-status", "accepted")
    expect(leader.get_by_test_id("matter-owner")).not_to_have_text("—")

    leader.get_by_test_id("action-resolve").click()
    leader.get_by_test_id("action-confirm").click()  # without a result: asked for it, nothing sent
    expect(leader.get_by_test_id("action-error")).to_contain_text("办理结果")
    leader.get_by_test_id("action-text").fill("已联系环卫清运，现场已清理干净")
    _shot(leader, "dialog-resolve")
    leader.get_by_test_id("action-confirm").click()
    expect(status).to_have_attribute("data-status", "resolved")
    expect(status).to_have_text("已办结")
    expect(leader.get_by_test_id("matter-result")).to_contain_text("现场已清理干净")
    expect(leader.get_by_test_id("matter-timeline")).to_contain_text("办结")
    _no_horizontal_scroll(leader)
    _shot(leader, "matter-resolved")

    # (c) The resident follows it with the link of the receipt (its secret in the fragment), then — as from
    # another phone, without the link — with the code and the last four digits, and rates it 满意.
    page.get_by_test_id("report-follow").click()
    expect(page).to_have_url(re.compile(r"/track/WG\w+#t=[\w-]+$"))
    expect(page.get_by_test_id("track-by-link")).to_be_visible()
    expect(page.get_by_test_id("track-status")).to_have_attribute("data-status", "resolved")
    page.goto(page.url.split("#")[0])
    expect(page.get_by_test_id("track-code")).to_have_value(code)
    page.get_by_test_id("track-phone").fill("0000")
    page.get_by_test_id("track-submit").click()
    expect(page.get_by_test_id("track-error")).to_have_text("查询码或手机号不正确")
    page.get_by_test_id("track-phone").fill("5678")
    page.get_by_test_id("track-submit").click()
    track_status = page.get_by_test_id("track-status")
    expect(track_status).to_have_attribute("data-status", "resolved")
    expect(track_status).to_have_text("已办结")
    expect(page.get_by_test_id("track-result")).to_contain_text("现场已清理干净")
    expect(page.get_by_test_id("track-result").locator("img")).to_have_count(1)
    page.get_by_test_id("rate-satisfied").click()
    page.get_by_test_id("rate-comment").fill("处理很及时")
    _no_horizontal_scroll(page)
    _shot(page, "track-resolved")
    _shot(page, "track-resolved-full", full_page=True)
    page.get_by_test_id("rate-submit").click()
    expect(track_status).to_have_attribute("data-status", "closed")
    expect(track_status).to_have_text("已关闭")
    expect(page.get_by_test_id("track-rating")).to_have_text("满意")
    expect(page.get_by_test_id("rate-form")).to_have_count(0)
    _shot(page, "track-closed")

    # The leader sees it among the resolved ones.
    leader.goto(base + "/matters?box=grid&status=closed")
    expect(leader.get_by_test_id("matter-item").filter(has_text=code)).to_have_attribute("data-status", "closed")

    resident.close()
    staff.close()


def test_a_residents_links_open_on_a_desk_without_signing_in(world, browser, app_server, client):
    """A resident opens /report or the tracking link on a desk-sized screen, signed out: the public page opens
    (the staff shell, and its notification bell, never mount there), and no request ends in a 401."""
    lon, lat = grid_point("G1a")
    created = client.post(
        "/api/v1/public/matters",
        json={
            "category": "sanitation",
            "description": "楼道堆物",
            "lat": lat,
            "lon": lon,
            "reporter_phone": "13812345678",
            "photo_tokens": [],
        },
    ).json()
    context = _context(browser, DESK)
    page = context.new_page()
    unauthorized: list[str] = []
    page.on("response", lambda r: unauthorized.append(r.url) if r.status == 401 else None)
    page.goto(app_server.base_url + "/report")
    expect(page.get_by_test_id("report-description")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/report$"))
    link = f"{app_server.base_url}/track/{created['tracking_code']}#t={created['tracking_token']}"
    page.goto(link)
    expect(page.get_by_test_id("track-by-link")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/track/"))
    assert page.get_by_test_id("notification-bell").count() == 0
    assert not unauthorized, unauthorized
    context.close()


def test_refused_location_and_outside_point_are_explained(world, browser, app_server):
    """No geolocation permission: a clear message and the map still works; a point outside every grid is refused
    by the server with a readable sentence."""
    context = _context(browser, PHONE)
    page = context.new_page()
    page.goto(app_server.base_url + "/report")
    page.get_by_test_id("report-category-sanitation").click()
    page.get_by_test_id("report-description").fill("路灯不亮")
    page.get_by_test_id("report-phone").fill("13900001111")
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-error")).to_contain_text("请选择问题位置")
    page.get_by_test_id("report-use-gps").click()
    expect(page.get_by_test_id("report-gps-error")).to_contain_text("在地图上点选")
    # The map shows the test grids; its bottom right corner (east of G3, south of G4) is outside them: the page
    # knows it at once and says so again instead of sending (test_resident_report.py follows that further).
    box = page.get_by_test_id("report-map").bounding_box()
    page.get_by_test_id("report-map").click(position={"x": box["width"] - 24, "y": box["height"] - 24})
    expect(page.get_by_test_id("report-map")).to_have_attribute("data-placed", "true")
    expect(page.get_by_test_id("report-outside")).to_contain_text("此处不在服务网格内")
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-error")).to_contain_text("此处不在服务网格内。 请联系C3社区服务站")
    _no_horizontal_scroll(page)
    _shot(page, "report-errors")
    context.close()


def test_staff_report_supervision_and_desk(world, browser, app_server, tmp_path):
    """The station chief enters a matter at the front desk (placed on their grids' map), sees the supervision page,
    and the desk layout has the matters entry and no horizontal scroll."""
    base = app_server.base_url
    context = _context(browser, PHONE)
    context.add_init_script(session_script(base, "station_chief"))
    page = context.new_page()
    page.goto(base + "/map")
    page.get_by_test_id("nav-matters").click()
    expect(page.get_by_test_id("box-grid")).to_have_count(0)  # only grid staff have a grid box
    page.get_by_test_id("matter-new").click()
    expect(page).to_have_url(re.compile(r"/matters/new$"))
    page.get_by_test_id("report-category-civil_affairs").click()
    page.get_by_test_id("report-description").fill("独居老人申请上门服务")
    page.get_by_test_id("report-photo-input").set_input_files(str(_photo(tmp_path)))
    expect(page.get_by_test_id("report-photo-thumb")).to_have_count(1)
    page.get_by_test_id("report-name").fill("王大爷")
    page.get_by_test_id("report-phone").fill("13700002222")
    _no_horizontal_scroll(page)
    _shot(page, "new-matter-full", full_page=True)
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("matter-created")).to_be_visible()
    page.get_by_test_id("matter-open-created").click()
    expect(page.get_by_test_id("matter-status")).to_have_attribute("data-status", re.compile(r"\w+"))
    _no_horizontal_scroll(page)
    _shot(page, "matter-station")

    page.goto(base + "/matters")
    page.get_by_test_id("link-supervision").click()
    expect(page).to_have_url(re.compile(r"/supervision$"))
    expect(page.locator('[data-testid="supervision-empty"], [data-testid="supervision-item"]').first).to_be_visible()
    _no_horizontal_scroll(page)
    _shot(page, "supervision")
    context.close()

    desk = _context(browser, DESK)
    desk.add_init_script(session_script(base, "station_chief"))
    page = desk.new_page()
    page.goto(base + "/map")
    page.get_by_test_id("nav-matters").click()
    # At a desk the matters are a table (tests/browser/test_desk_matters.py), the cards are the phone's.
    expect(page.get_by_test_id("desk-row").first).to_be_visible()
    expect(page.get_by_test_id("matter-item")).to_have_count(0)
    _no_horizontal_scroll(page)
    _shot(page, "desk-inbox")
    desk.close()
