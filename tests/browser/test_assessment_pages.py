"""The assessment pages in Chromium (issue 12). At 1280×800 a station chief opens 考核统计 from the desk navigation:
their community's figures (a rate with num/den beside it), the charts (canvases) each with its table, the most overdue
matter linking to its record, the map and the ranked red/yellow/green table of their grids, exports that table (a
real XLSX, read back with openpyxl); drills into a grid and switches to English. A street officer ranks communities
and departments. At 360×740 a grid leader opens 我的本月 from 我的: their grid's figures, their field work and their
rank, on one phone screen without horizontal overflow; a chief's dashboard fits the phone too."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from assessment.helpers import add_matter
from browser.conftest import DESK, PHONE, new_page
from browser.test_app import login
from wangge.models_common import utcnow


def _month_of_matters(live, world) -> None:
    """This month: 6 matters in G1a (4 resolved, one open and past its deadline) and 2 in G1b; one in C2 the chief
    never sees. Created minutes ago, so they are in this Beijing day, week and month whenever the test runs."""
    now = utcnow()
    with live.session() as s:
        for n in range(6):
            resolved = n < 4
            add_matter(
                s,
                world,
                grid="G1a",
                created_at=now - timedelta(minutes=10 + n),
                status="resolved" if resolved else "handling",
                outcome="done" if resolved else None,
                resolved_at=now - timedelta(minutes=5) if resolved else None,
                due_at=now - timedelta(days=3) if n == 5 else now + timedelta(days=3),
            )
        for n in range(2):
            add_matter(s, world, grid="G1b", created_at=now - timedelta(minutes=20 + n))
        add_matter(s, world, grid="G2", created_at=now - timedelta(minutes=30))
        s.commit()


# A dashboard computes the period, the previous one, last year's and the 12 periods of the trend: on a busy test
# machine's SQLite that takes seconds, so each wait for a freshly loaded page is given this long.
LOAD = 30_000


def _figure(page, key: str):
    """The value of indicator `key` on its card."""
    return page.locator(f'[data-testid="figure-card"][data-key="{key}"] [data-testid="figure-value"]')


def _no_overflow(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_chief_reads_the_community_dashboard_and_drills_into_a_grid(world, browser, app_server, live):
    _month_of_matters(live, world)
    page = new_page(browser, DESK)
    login(page, app_server.base_url, "station_chief")
    page.get_by_test_id("nav-assessment").click()
    expect(page.get_by_test_id("assessment-unit")).to_contain_text("C1社区", timeout=LOAD)
    received = _figure(page, "received")
    expect(received).to_have_text("8")  # G1a's 6 and G1b's 2, never C2's
    expect(_figure(page, "resolved")).to_have_text("4")
    expect(_figure(page, "resolution_rate")).to_have_text("50.0%（4/8）")  # num/den beside the percentage
    expect(_figure(page, "overdue")).to_have_text("1")
    expect(page.get_by_test_id("period-label")).not_to_be_empty()
    # Every chart is a canvas with its table under it.
    expect(page.locator('[data-testid="asm-chart"] canvas').first).to_be_visible()
    assert page.locator('[data-testid="asm-chart"] canvas').count() >= 4
    expect(page.get_by_test_id("trend-table").locator("tbody tr")).to_have_count(12)
    expect(page.get_by_test_id("category-table")).to_contain_text("8")
    expect(page.get_by_test_id("source-table")).to_be_visible()
    overdue = page.get_by_test_id("overdue-row")
    expect(overdue).to_have_count(1)
    expect(page.get_by_test_id("asm-map")).to_have_attribute("data-cells", "2")  # one ~100 m cell per grid
    rows = page.get_by_test_id("unit-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("G1a网格")  # ranked: G1a has a score, G1b too few matters to grade
    expect(rows.nth(1)).to_have_attribute("data-grade", "")
    # The ranked table as Excel: a real workbook with G1a's figures in it.
    with page.expect_download() as info:
        page.get_by_test_id("children").get_by_test_id("export-table").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    cells = [list(r) for r in book["考核排名"].iter_rows(values_only=True)]
    head = next(r for r in cells if "受理量" in r)
    g1a = next(r for r in cells if "G1a网格" in r)
    assert g1a[head.index("受理量")] == 6, (head, g1a)
    assert any("G1b网格" in r for r in cells)
    # Drill into G1a: its own dashboard, the period kept.
    page.get_by_test_id("unit-open").first.click()
    expect(page).to_have_url(f"{app_server.base_url}/assessment/grid/{world.ids['G1a']}")
    expect(page.get_by_test_id("assessment-unit")).to_contain_text("G1a网格", timeout=LOAD)
    expect(received).to_have_text("6", timeout=LOAD)
    # The previous month and back; the next month has not begun.
    page.get_by_test_id("period-prev").click()
    expect(page).to_have_url(re.compile(r"period=month"))
    expect(received).to_have_text("0", timeout=LOAD)
    page.get_by_test_id("period-next").click()
    expect(received).to_have_text("6", timeout=LOAD)
    expect(page.get_by_test_id("period-next")).to_be_disabled()
    # English on request.
    page.get_by_test_id("lang-switch").click()
    expect(page.locator('[data-testid="figure-card"][data-key="response_rate"]')).to_contain_text("Response rate")
    page.get_by_test_id("assessment-back").click()
    expect(page.get_by_test_id("assessment-unit")).to_contain_text("C1社区", timeout=LOAD)
    # The most overdue matter opens its record.
    overdue.locator("a").click()
    expect(page).to_have_url(re.compile(r"/matters/\d+"))
    page.context.close()


def test_a_grid_leader_reads_my_month_on_a_phone(world, browser, app_server, live):
    _month_of_matters(live, world)
    page = new_page(browser, PHONE)
    login(page, app_server.base_url, "grid_leader")
    page.goto(app_server.base_url + "/me")
    page.get_by_test_id("me-my-month").click()
    expect(page).to_have_url(f"{app_server.base_url}/me/month")
    grid = page.get_by_test_id("my-grid")
    expect(grid).to_have_count(1, timeout=LOAD)
    expect(grid).to_contain_text("G1a网格")
    expect(grid.locator('[data-key="received"] [data-testid="figure-value"]')).to_have_text("6")
    expect(page.get_by_test_id("my-work")).to_contain_text("巡查覆盖率")
    expect(page.get_by_test_id("my-rank")).not_to_be_empty()
    _no_overflow(page)
    # One screen: the month's figures end within the 740 px of the phone.
    box = page.get_by_test_id("my-work").bounding_box()
    assert box and box["y"] + box["height"] <= PHONE["height"] + 1, box
    page.get_by_test_id("month-prev").click()
    expect(grid.locator('[data-key="received"] [data-testid="figure-value"]')).to_have_text("0", timeout=LOAD)
    page.context.close()


def test_the_dashboard_fits_a_phone_too(world, browser, app_server, live):
    _month_of_matters(live, world)
    page = new_page(browser, PHONE)
    login(page, app_server.base_url, "station_chief")
    page.goto(app_server.base_url + "/assessment")
    expect(_figure(page, "received")).to_have_text("8", timeout=LOAD)
    expect(page.get_by_test_id("unit-row")).to_have_count(2)
    _no_overflow(page)
    # On a phone a table's rows are cards without the header row: every figure carries its column's name.
    for table in ("trend-table", "category-table", "source-table", "overdue-table", "map-table"):
        cells = page.get_by_test_id(table).locator("tbody td")
        assert cells.count() > 0 and cells.count() == page.get_by_test_id(table).locator("td[data-label]").count()
    received = page.get_by_test_id("category-table").locator("tbody tr").first.locator("td").nth(1)
    assert page.evaluate("e => getComputedStyle(e, '::before').content", received.element_handle()) == '"受理量："'
    page.context.close()


def test_a_street_officer_ranks_communities_and_departments(world, browser, app_server, live):
    _month_of_matters(live, world)
    page = new_page(browser, DESK)
    login(page, app_server.base_url, "street_officer")
    page.get_by_test_id("nav-assessment").click()
    expect(page.get_by_test_id("assessment-unit")).to_contain_text("一街道", timeout=LOAD)
    expect(_figure(page, "received")).to_have_text("9")  # C1's 8 and C2's 1
    communities = page.get_by_test_id("children").get_by_test_id("unit-row")
    expect(communities).to_have_count(2)
    expect(communities.first).to_contain_text("C1社区")  # graded (8 received) before C2 (1, too few)
    expect(page.get_by_test_id("departments")).to_contain_text("一街道城管")
    expect(page.get_by_test_id("departments")).not_to_contain_text("二街道城管")  # S2's
    page.get_by_test_id("children").get_by_test_id("unit-open").nth(1).click()
    expect(page.get_by_test_id("assessment-unit")).to_contain_text("C2社区", timeout=LOAD)
    expect(_figure(page, "received")).to_have_text("1")
    page.context.close()


def test_a_department_and_a_system_administrator_open_their_own_units(world, browser, app_server, live):
    _month_of_matters(live, world)
    page = new_page(browser, DESK)
    login(page, app_server.base_url, "department_officer")
    page.get_by_test_id("nav-assessment").click()
    expect(page.get_by_test_id("assessment-unit")).to_contain_text("一街道城管", timeout=LOAD)
    expect(page.get_by_test_id("headline")).to_be_visible()
    expect(page.get_by_test_id("children")).to_have_count(0)  # a department has no units under it
    page.context.close()
    page = new_page(browser, DESK)
    login(page, app_server.base_url, "system_admin")
    page.goto(app_server.base_url + "/assessment?period=range&start=2026-01-01&end=2026-12-31")
    # No unit of their own: the first district opens, the range kept; the other is a pick away.
    expect(page).to_have_url(re.compile(rf"/assessment/district/{world.ids['D1']}\?period=range"), timeout=LOAD)
    expect(page.get_by_test_id("assessment-unit")).to_contain_text("一区", timeout=LOAD)
    expect(page.get_by_test_id("period-label")).to_have_text("2026-01-01 至 2026-12-31")
    expect(page.get_by_test_id("children").get_by_test_id("unit-row")).to_have_count(2)  # 一街道, 二街道
    expect(page.get_by_test_id("departments")).to_contain_text("一区应急局")
    page.get_by_test_id("assessment-district").select_option(str(world.ids["D2"]))
    expect(page.get_by_test_id("assessment-unit")).to_contain_text("二区", timeout=LOAD)
    page.context.close()
