"""The resident's report on a 360×740 phone (issue 13): the grids drawn with their names on a map with no tile server,
a tap outside every grid answered at once with the station to call, a building found by name, the draft (text and
photo) kept across a reload, "me too" on an open report nearby instead of a duplicate, my reports with the sent code
and its progress, and the tracking page's progress bar. Screenshots go to test-results/resident-*.png."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import update

from browser.conftest import DESK, PHONE, WAIT_MS, signed_in
from matters.helpers import submit
from wangge.hierarchy.models import Community

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
INTERNAL = ("党建", "党廉", "计生")


def _context(browser: Browser, viewport: dict[str, int]) -> BrowserContext:
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", is_mobile=viewport["width"] < 768, has_touch=viewport["width"] < 768
    )
    context.set_default_timeout(WAIT_MS)
    return context


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"resident-{name}.png"))


def _no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.pub-page')].map(e => e.scrollWidth - e.clientWidth), 0)"
    )
    assert widest <= 0, f"something is {widest}px wider than the screen"


def _photo(tmp_path: Path) -> Path:
    path = tmp_path / "pothole.jpg"
    Image.new("RGB", (320, 240), (90, 90, 90)).save(path, "JPEG", quality=80)
    return path


def _grid_labels_shown(page: Page) -> None:
    labels = page.locator(".leaflet-tooltip.grid-label")
    expect(labels.filter(has_text="G1a网格")).to_be_visible()
    expect(page.locator("path.public-grid")).to_have_count(5)


def test_a_resident_reports_with_the_grids_drawn_a_draft_kept_and_me_too(
    world, browser, app_server, live, client, tmp_path
):
    base = app_server.base_url
    with live.session() as s:
        s.execute(update(Community).where(Community.id == world.ids["C3"]).values(duty_phone="0731-8888003"))
        s.commit()
    # Someone has already reported rubbish at the first building of G1a.
    submit(client, "sanitation", "G1a")

    context = _context(browser, PHONE)
    page = context.new_page()
    page.goto(base + "/report")
    # The map shows the grids with their names although no tile server is set.
    _grid_labels_shown(page)
    # Residents choose among plain public names; the internal lines are not offered.
    buttons = page.locator("[data-testid^='report-category-']")
    expect(page.get_by_test_id("report-category-sanitation")).to_have_text("垃圾与环境卫生")
    names = buttons.all_inner_texts()
    assert names and not [n for n in names if any(w in n for w in INTERNAL)], names
    _no_horizontal_scroll(page)
    _shot(page, "report-grids")

    # A tap outside every grid (the map's bottom right: east of G3, south of G4) is answered at once.
    page.get_by_test_id("report-map").scroll_into_view_if_needed()
    box = page.get_by_test_id("report-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] - 24, box["y"] + box["height"] - 24)
    outside = page.get_by_test_id("report-outside")
    expect(outside).to_contain_text("不在服务网格内")
    expect(outside).to_contain_text("C3社区")
    expect(page.get_by_test_id("report-station-phone")).to_have_text("0731-8888003")
    expect(page.get_by_test_id("report-station-phone")).to_have_attribute("href", "tel:0731-8888003")
    page.get_by_test_id("report-category-sanitation").click()
    page.get_by_test_id("report-description").fill("路面塌陷一个大坑")
    page.get_by_test_id("report-phone").fill("13812345678")
    submits: list[str] = []
    page.on(
        "request", lambda r: submits.append(r.url) if r.method == "POST" and r.url.endswith("/public/matters") else None
    )
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-error")).to_contain_text("0731-8888003")
    assert submits == []  # refused before sending
    _shot(page, "report-outside")

    # A building found by name places the pin in its grid.
    page.get_by_test_id("report-search").fill("G1a-1")
    page.get_by_test_id("report-search-go").click()
    result = page.get_by_test_id("report-search-result").filter(has_text="G1a-1栋")
    expect(result).to_have_count(1)
    result.click()
    expect(page.get_by_test_id("report-grid")).to_contain_text("G1a网格")
    expect(page.get_by_test_id("report-outside")).to_have_count(0)
    expect(page.get_by_test_id("report-map")).to_have_attribute("data-placed", "true")

    # A photo, then a reload: the draft (text, category, place, phone and the photo) is still there.
    page.get_by_test_id("report-photo-input").set_input_files(str(_photo(tmp_path)))
    expect(page.get_by_test_id("report-photo-thumb")).to_have_count(1)
    page.reload()
    expect(page.get_by_test_id("report-description")).to_have_value("路面塌陷一个大坑")
    expect(page.get_by_test_id("report-phone")).to_have_value("13812345678")
    expect(page.get_by_test_id("report-category-sanitation")).to_have_attribute("aria-checked", "true")
    expect(page.get_by_test_id("report-photo-thumb")).to_have_count(1)
    expect(page.get_by_test_id("report-photo-thumb").locator("img")).to_have_js_property("complete", True)
    expect(page.get_by_test_id("report-map")).to_have_attribute("data-placed", "true")
    expect(page.get_by_test_id("report-grid")).to_contain_text("G1a网格")

    # The open report nearby is shown with nothing personal; "me too" is recorded instead of a duplicate.
    nearby = page.get_by_test_id("report-nearby-item")
    expect(nearby).to_have_count(1)
    expect(nearby).to_contain_text("垃圾与环境卫生")
    expect(nearby).not_to_contain_text("13812345678")
    expect(page.get_by_test_id("report-nearby-count")).to_have_text("0 人也遇到")
    page.get_by_test_id("report-me-too").click()
    expect(page.get_by_test_id("report-nearby-count")).to_have_text("1 人也遇到")
    expect(page.get_by_test_id("report-me-too")).to_be_disabled()
    expect(page.get_by_test_id("report-me-too-done").get_by_role("link")).to_have_attribute("href", "/report/mine")
    _no_horizontal_scroll(page)
    _shot(page, "report-nearby")

    # The resident sends theirs anyway (another problem at the same place): the code joins "my reports".
    page.get_by_test_id("report-submit").click()
    code_el = page.get_by_test_id("report-code")
    expect(code_el).to_have_text(re.compile(r"\S{4,}"))
    code = code_el.inner_text().strip()
    page.get_by_test_id("report-mine").click()
    expect(page).to_have_url(re.compile(r"/report/mine$"))
    item = page.get_by_test_id("mine-item").filter(has_text=code)
    expect(item).to_have_count(1)
    expect(item.get_by_test_id("mine-status")).to_be_visible()
    expect(item.get_by_test_id("track-progress")).to_have_attribute("data-done", "0")
    _no_horizontal_scroll(page)
    _shot(page, "mine")

    # The tracking page: the four steps as a progress bar, with the date the step under way is due.
    item.get_by_test_id("mine-code").click()
    expect(page).to_have_url(re.compile(rf"/track/{code}#t="))
    progress = page.get_by_test_id("track-progress")
    expect(progress.locator("[data-step]")).to_have_text(["1受理", "2处理中", "3办结", "4评价"])
    expect(progress.locator("[aria-current='step']")).to_have_attribute("data-step", "received")
    expect(page.get_by_test_id("track-next-due")).to_contain_text("受理")
    expect(page.get_by_test_id("track-next-due")).to_contain_text("预计")
    _no_horizontal_scroll(page)
    _shot(page, "track-progress")

    # A fresh reload of the report page starts empty (the sent report was forgotten), the phone number kept.
    page.goto(base + "/report")
    expect(page.get_by_test_id("report-description")).to_have_value("")
    expect(page.get_by_test_id("report-phone")).to_have_value("13812345678")
    expect(page.get_by_test_id("report-photo-thumb")).to_have_count(0)
    context.close()


def test_the_posters_link_opens_the_report_placed_in_its_grid_on_a_phone_and_a_desk(world, browser, app_server):
    for viewport in (PHONE, DESK):
        context = _context(browser, viewport)
        page = context.new_page()
        page.goto(f"{app_server.base_url}/report?grid={world.ids['G1b']}")
        _grid_labels_shown(page)
        expect(page.get_by_test_id("report-map")).to_have_attribute("data-placed", "true")
        expect(page.get_by_test_id("report-grid")).to_contain_text("G1b网格")
        _no_horizontal_scroll(page)
        _shot(page, f"report-grid-{viewport['width']}")
        context.close()


def test_an_administrator_offers_a_category_to_residents_under_a_plain_name(world, browser, app_server):
    base = app_server.base_url
    admin = signed_in(browser, base, "system_admin", DESK, "/admin/categories")
    row = admin.locator('[data-testid="category-row"][data-code="culture"]')
    expect(row.get_by_test_id("category-public")).to_have_count(0)
    row.get_by_test_id("category-edit").click()
    form = admin.get_by_test_id("category-form")
    # A tap on the label 居民可选 toggles the checkbox (and again, back).
    box = form.get_by_test_id("category-resident-facing")
    label = form.get_by_test_id("category-resident-facing-label")
    expect(label).to_have_text("居民可选")
    expect(box).not_to_be_checked()
    label.click()
    expect(box).to_be_checked()
    label.click()
    expect(box).not_to_be_checked()
    label.click()
    expect(box).to_be_checked()
    form.get_by_test_id("category-public-zh").locator("input").fill("文体活动场地")
    form.get_by_test_id("category-save").click()
    expect(row.get_by_test_id("category-public")).to_have_text("居民可选：文体活动场地")
    admin.context.close()

    context = _context(browser, PHONE)
    page = context.new_page()
    page.goto(base + "/report")
    expect(page.get_by_test_id("report-category-culture")).to_have_text("文体活动场地")
    names = page.locator("[data-testid^='report-category-']").all_inner_texts()
    assert not [n for n in names if any(w in n for w in INTERNAL)], names
    context.close()
