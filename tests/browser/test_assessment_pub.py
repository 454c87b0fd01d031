"""The assessment's published papers in Chromium: a resident follows their request and opens their community's public
board 公示栏 from the tracking page on a 360×740 phone (nothing personal on it, nothing wider than the screen, the
report page still within its first-screen weight); a street officer opens October's bulletin 通报 from the list at
1280×800 and gets its printable A4 page, whose toolbar is not printed; a station chief exports their grids' table
from the dashboard at 1280×800 and the file says what the table says."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from sqlalchemy import update

from assessment.helpers import add_matter
from assessment.test_bulletin import beijing, rounds_at
from browser.conftest import DESK, PHONE, new_page
from browser.test_app import login
from browser.test_weight import LIMIT, _fresh_page, _weigh
from matters.helpers import PHONE as REPORTER_PHONE
from matters.helpers import matter_id, submit
from wangge.hierarchy.models import Community
from wangge.matters.models import Matter
from wangge.models_common import utcnow
from wangge.workcalendar import SHANGHAI


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.pub-page')].map(e => e.scrollWidth - e.clientWidth), 0)"
    )
    assert widest <= 0, f"something is {widest}px wider than the screen"


def test_a_resident_opens_the_public_board_from_the_tracking_page(world, browser, app_server, live):
    import httpx

    with httpx.Client(base_url=app_server.base_url, timeout=30) as client:
        code = submit(client, reporter_name="李阿姨", address="幸福小区3栋502室")["tracking_code"]
        notice = submit(client, category="livelihood")["tracking_code"]
    with live.session() as s:
        s.execute(
            update(Matter)
            .where(Matter.id == matter_id(live, notice))
            .values(
                status="public_notice",
                holder_level="station",
                result="同意李阿姨家门前加装无障碍坡道",
                notice_ends_at=utcnow() + timedelta(days=3),
            )
        )
        s.execute(update(Community).where(Community.id == world.ids["C1"]).values(duty_phone="0731-85550101"))
        s.commit()

    # The report page links to the board and stays within its weight (the board comes only when opened).
    resident = _fresh_page(browser)
    linked = lambda p: expect(p.get_by_test_id("board-link")).to_be_visible()  # noqa: E731
    sizes = _weigh(resident, app_server.base_url, "/report", linked)
    assert sum(sizes.values()) <= LIMIT, sizes
    assert not any("BoardPage" in path for path in sizes), sizes
    resident.context.close()

    page = new_page(browser, PHONE)
    page.goto(app_server.base_url + "/track")
    page.get_by_test_id("track-code").fill(code)
    page.get_by_test_id("track-phone").fill(REPORTER_PHONE[-4:])
    page.get_by_test_id("track-submit").click()
    expect(page.get_by_test_id("track-result")).to_be_visible()
    page.get_by_test_id("board-link").click()

    expect(page).to_have_url(f"{app_server.base_url}/board/{world.ids['C1']}")
    expect(page.get_by_test_id("board-head")).to_contain_text("C1社区")
    expect(page.get_by_test_id("board-head")).to_contain_text("服务站值班电话")
    expect(page.get_by_test_id("board-phone")).to_have_attribute("href", "tel:073185550101")
    expect(page.get_by_test_id("board-month")).to_contain_text("响应率")
    notices = page.get_by_test_id("board-notice")
    expect(notices).to_have_count(1)
    expect(notices.first).to_contain_text(notice)
    expect(notices.first).to_contain_text("加装无障碍坡道")
    expect(page.get_by_test_id("board-object")).to_contain_text("公示截止前")
    text = page.locator(".pub-page").inner_text()
    for personal in ("李阿姨", REPORTER_PHONE, "幸福小区"):
        assert personal not in text
    _fits(page)

    # Another community from the picker.
    page.get_by_test_id("board-community").select_option(str(world.ids["C2"]))
    expect(page).to_have_url(f"{app_server.base_url}/board/{world.ids['C2']}")
    expect(page.get_by_test_id("board-head")).to_contain_text("C2社区")
    expect(page.get_by_test_id("board-notice")).to_have_count(0)

    # In English.
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("board-month")).to_contain_text("Response rate")
    _fits(page)
    page.context.close()


def test_a_street_officer_prints_the_monthly_bulletin(world, browser, app_server, live):
    assert rounds_at(live, beijing(2026, 11, 2))["bulletins"] == 3
    page = new_page(browser, DESK)
    login(page, app_server.base_url, "street_officer")
    page.get_by_test_id("nav-bulletins").click()  # 考核通报 in the desk's side navigation
    expect(page).to_have_url(f"{app_server.base_url}/assessment/bulletins")
    rows = page.get_by_test_id("bulletin-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("一街道")
    expect(rows.first).to_contain_text("2026年10月")
    rows.first.get_by_role("link").click()

    sheet = page.get_by_test_id("bulletin-sheet")
    expect(page.get_by_test_id("bulletin-title")).to_have_text("一街道 2026年10月 考核通报")
    expect(page.get_by_test_id("bulletin-rank-row")).to_have_count(2)
    expect(sheet).to_contain_text("C1社区")
    expect(sheet).to_contain_text("响应率")
    expect(page.get_by_test_id("bulletin-best")).to_be_visible()
    # On A4 paper: the toolbar goes, the sheet stays and fits the page's width.
    page.emulate_media(media="print")
    expect(page.get_by_test_id("bulletin-print")).to_be_hidden()
    expect(sheet).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.get_by_test_id("bulletin-print")).to_be_visible()
    width = sheet.evaluate("e => e.getBoundingClientRect().width")
    assert 780 <= width <= 800, width  # 210 mm at 96 dpi
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    url = page.url
    page.context.close()
    # On a phone the wide tables scroll sideways inside the sheet: a rate is never broken over lines (one line a
    # row), and the page itself is no wider than the screen.
    phone = new_page(browser, PHONE)
    login(phone, app_server.base_url, "street_officer")
    phone.goto(url)
    row = phone.get_by_test_id("bulletin-rank-row").first
    expect(row).to_contain_text("C1社区")
    assert row.evaluate("e => e.getBoundingClientRect().height") < 30
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.context.close()


def test_a_chief_exports_the_table_of_their_grids_from_the_dashboard(world, browser, app_server, live):
    import httpx

    today = utcnow().astimezone(SHANGHAI)
    with live.session() as s:
        for i in range(6):
            add_matter(
                s,
                world,
                grid="G1a" if i < 5 else "G1b",
                created_at=today.replace(day=1, hour=10) + timedelta(hours=i),
                status="closed",
                outcome="done",
                resolved_at=today.replace(day=1, hour=10) + timedelta(hours=i + 1),
                rating="satisfied",
            )
        s.commit()
    page = new_page(browser, DESK)
    login(page, app_server.base_url, "station_chief")
    page.get_by_test_id("nav-assessment").click()
    expect(page.get_by_test_id("assessment-unit")).to_contain_text("C1社区")
    expect(page.get_by_test_id("unit-row")).to_have_count(2)
    with page.expect_download() as info:
        page.get_by_test_id("export-table").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    wb = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    rows = list(wb["考核排名"].iter_rows(values_only=True))
    assert rows[0][0] == "C1社区 考核排名"
    assert dict((r[0], r[1]) for r in rows[1:6] if r and r[0])["导出人"] == "station_chief的名字"
    at = next(i for i, r in enumerate(rows) if r and r[0] == "排名")
    cells = [dict(zip(rows[at], r, strict=True)) for r in rows[at + 1 :]]
    params = {"level": "grid", "parent_level": "community", "parent_id": world.ids["C1"], "period": "month"}
    table = httpx.get(
        f"{app_server.base_url}/api/v1/assessment/table", params=params, headers=world.headers("station_chief")
    ).json()
    assert [(c["单位"], c["排名"], c["受理量"]) for c in cells] == [
        (r["unit"]["name"], r["rank"], r["figures"]["received"]) for r in table["rows"]
    ]
    assert cells[0]["单位"] == "G1a网格" and cells[0]["受理量"] == 5 and cells[0]["满意率·分母"] == 5
    page.context.close()
