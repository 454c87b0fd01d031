"""The matters as the desk's table in Chromium at 1280×800: a station chief filters by category and by overdue,
searches by tracking code, sorts by a header, hides a column (still hidden after a reload), exports the filtered
rows to Excel (the file holds exactly the rows shown); and at 360×740 the same page still shows the phone's cards."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from browser.conftest import DESK, PHONE, signed_in
from wangge.matters.models import Matter
from wangge.models_common import utcnow

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
PLACES = {"G1a": ("C1", "S1", "D1"), "G1b": ("C1", "S1", "D1"), "G2": ("C2", "S1", "D1")}


@dataclass
class Made:
    id: int
    tracking_code: str


def _matters(live, world) -> dict[str, Made]:
    past = utcnow() - timedelta(hours=3)
    soon = utcnow() + timedelta(days=2)
    rows = {
        "A": ("sanitation", "G1a", {"status": "accepted", "due_at": past}),
        "B": ("fire_safety", "G1b", {"status": "accepted", "due_at": past - timedelta(hours=1)}),
        "C": ("fire_safety", "G1a", {"status": "accepted", "due_at": soon}),
        "D": ("sanitation", "G1b", {"status": "submitted"}),
        "E": ("fire_safety", "G2", {"status": "accepted", "due_at": past}),  # another community's
    }
    made = {}
    with live.session() as s:
        for n, (name, (category, grid, extra)) in enumerate(rows.items()):
            community, street, district = PLACES[grid]
            m = Matter(
                tracking_code=f"WGDESK{n:04d}{name}",
                category_id=world.categories[category],
                description=f"事项{name}的描述",
                grid_id=world.ids[grid],
                community_id=world.ids[community],
                street_id=world.ids[street],
                district_id=world.ids[district],
                source="resident",
                holder_level="grid",
                reporter_phone="13812345678",
                created_at=T0 + timedelta(hours=n),
                version=1,
                reopen_count=0,
                **extra,
            )
            s.add(m)
            s.flush()
            made[name] = Made(m.id, m.tracking_code)
        s.commit()
    return made


def _codes(page: Page) -> list[str]:
    return page.get_by_test_id("desk-row").evaluate_all("els => els.map((e) => e.dataset.code)")


def test_a_chief_filters_searches_sorts_chooses_columns_and_exports_the_desk_table(world, browser, app_server, live):
    m = _matters(live, world)
    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/matters")
    rows = page.get_by_test_id("desk-row")
    expect(page.get_by_test_id("desk-table")).to_be_visible()
    expect(page.get_by_test_id("matter-item")).to_have_count(0)  # no cards at a desk
    expect(rows).to_have_count(4)  # the community's, newest first; never E
    assert _codes(page) == [m[k].tracking_code for k in "DCBA"]
    expect(page.get_by_test_id("desk-total")).to_have_text("共 4 件")

    # Category, then overdue.
    page.get_by_test_id("filter-category").select_option(str(world.categories["fire_safety"]))
    expect(rows).to_have_count(2)
    assert _codes(page) == [m["C"].tracking_code, m["B"].tracking_code]
    page.get_by_test_id("filter-overdue").check()
    expect(rows).to_have_count(1)
    assert _codes(page) == [m["B"].tracking_code]
    expect(rows.first).to_have_class("desk__row desk__row--overdue")

    # The search by a tracking code (lower case too), after a reset.
    page.get_by_test_id("filter-reset").click()
    expect(rows).to_have_count(4)
    page.get_by_test_id("filter-search").fill(m["D"].tracking_code.lower())
    page.get_by_test_id("filter-search").press("Enter")
    expect(rows).to_have_count(1)
    assert _codes(page) == [m["D"].tracking_code]
    page.get_by_test_id("filter-reset").click()
    expect(rows).to_have_count(4)

    # Sorting: the reporting time turned around, then the nearest deadline first (no deadline after the dated ones).
    page.get_by_test_id("sort-created").click()
    expect(page.get_by_test_id("head-created")).to_have_attribute("aria-sort", "ascending")
    expect(rows.first).to_have_attribute("data-code", m["A"].tracking_code)
    assert _codes(page) == [m[k].tracking_code for k in "ABCD"]
    page.get_by_test_id("sort-due").click()
    expect(page.get_by_test_id("head-due")).to_have_attribute("aria-sort", "ascending")
    expect(rows.first).to_have_attribute("data-code", m["B"].tracking_code)  # the longest overdue
    assert _codes(page) == [m[k].tracking_code for k in "BACD"]

    # The column chooser: the source column hidden, and still hidden after a reload.
    expect(page.get_by_test_id("head-source")).to_have_count(1)
    page.get_by_test_id("columns-toggle").click()
    page.get_by_test_id("column-source").uncheck()
    expect(page.get_by_test_id("head-source")).to_have_count(0)
    expect(page.get_by_test_id("column-tracking_code")).to_be_disabled()
    page.reload()
    expect(rows).to_have_count(4)
    expect(page.get_by_test_id("head-source")).to_have_count(0)
    expect(page.get_by_test_id("head-tracking_code")).to_have_count(1)

    # The export holds the filtered rows, in the table's order, with the phones masked.
    page.get_by_test_id("filter-category").select_option(str(world.categories["fire_safety"]))
    expect(rows).to_have_count(2)
    shown = _codes(page)
    with page.expect_download() as info:
        page.get_by_test_id("desk-export").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(open(download.path(), "rb").read()), read_only=True)  # noqa: SIM115
    cells = [list(r) for r in book["事项"].iter_rows(values_only=True)]
    assert cells[0][:3] == ["查询码", "类别", "状态"]
    assert [r[0] for r in cells[1:]] == shown
    assert {r[cells[0].index("反映人电话")] for r in cells[1:]} == {"138****5678"}
    # The row opens its matter.
    rows.first.locator('[data-col="description"]').click()
    expect(page).to_have_url(f"{app_server.base_url}/matters/{m['C'].id}")
    page.context.close()


def test_a_phone_keeps_the_cards(world, browser, app_server, live):
    _matters(live, world)
    page = signed_in(browser, app_server.base_url, "station_chief", PHONE, "/matters")
    expect(page.get_by_test_id("matter-item")).to_have_count(4)  # the open ones, as cards
    expect(page.get_by_test_id("desk-table")).to_have_count(0)
    page.context.close()


def test_the_desk_navigation_reaches_supervision_coverage_and_the_roster(world, browser, app_server):
    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/map")
    nav = page.get_by_test_id("sidenav")
    expect(nav.locator("a")).to_have_text(
        [
            "地图",
            "事项",
            "督办",
            "今日巡查",
            "值班表",
            "工作单",
            "工作日志",
            "研判会",
            "巡查记录",
            "走访记录",
            "待审批",
            "待核查",
            "待回访",
            "12345工单",
            "考核统计",
            "基础台账",
            "逐户排查",
            "预警",
            "管理",
            "我的",
        ]
    )
    page.get_by_test_id("nav-coverage").click()
    expect(page).to_have_url(f"{app_server.base_url}/coverage")
    expect(page.get_by_test_id("nav-coverage")).to_have_class(re.compile("sidenav__item--active"))
    page.get_by_test_id("nav-roster").click()
    expect(page).to_have_url(f"{app_server.base_url}/admin/shifts")
    expect(page.get_by_test_id("nav-roster")).to_have_class(re.compile("sidenav__item--active"))
    page.get_by_test_id("nav-supervision").click()
    expect(page).to_have_url(f"{app_server.base_url}/supervision")
    page.get_by_test_id("nav-logs").click()
    expect(page).to_have_url(f"{app_server.base_url}/logs")
    expect(page.get_by_test_id("nav-logs")).to_have_class(re.compile("sidenav__item--active"))
    page.get_by_test_id("nav-triage").click()
    expect(page).to_have_url(f"{app_server.base_url}/triage")
    expect(page.get_by_test_id("nav-triage")).to_have_class(re.compile("sidenav__item--active"))
    # The list is longer than a 1280×800 screen: it scrolls within itself, the header stays in sight.
    page.get_by_test_id("nav-me").click()
    expect(page).to_have_url(re.compile(r"/me$"))
    expect(page.get_by_test_id("nav-me")).to_be_in_viewport()
    header = page.locator(".desk-header").bounding_box()
    assert header is not None and header["y"] == 0
    page.context.close()
    phone = signed_in(browser, app_server.base_url, "station_chief", PHONE, "/map")
    expect(phone.get_by_test_id("tabbar").locator(".van-tabbar-item")).to_have_count(4)
    expect(phone.get_by_test_id("nav-supervision")).to_have_count(0)
    phone.context.close()


def test_incidents_are_a_filtered_table_at_a_desk_and_cards_on_a_phone(world, browser, app_server, live):
    from wangge.emergencies.models import Incident

    with live.session() as s:
        for n, (kind, severity) in enumerate((("fire", 2), ("gas", 3), ("flood", 4))):
            known = T0 + timedelta(hours=n)
            s.add(
                Incident(
                    code=f"TJ{n:04d}",
                    incident_type=kind,
                    severity=severity,
                    title=f"突发{ {'fire': '火情', 'gas': '燃气泄漏', 'flood': '内涝'}[kind] }",
                    place="幸福路",
                    community_id=world.ids["C1"],
                    street_id=world.ids["S1"],
                    district_id=world.ids["D1"],
                    raised_by_id=world.users["grid_leader"],
                    occurred_at=known,
                    known_at=known,
                    first_report_due_at=known + timedelta(minutes=30),
                    followup_minutes=60,
                    status="open",
                )
            )
        s.commit()
    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/incidents")
    rows = page.get_by_test_id("incident-row")
    expect(rows).to_have_count(3)
    expect(page.get_by_test_id("incident-item")).to_have_count(0)
    page.get_by_test_id("incident-filter-type").select_option("gas")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("TJ0001")
    page.get_by_test_id("incident-filter-reset").click()
    expect(rows).to_have_count(3)
    page.get_by_test_id("incident-filter-search").fill("TJ0002")
    page.get_by_test_id("incident-filter-search").press("Enter")
    expect(rows).to_have_count(1)
    rows.first.click()
    expect(page).to_have_url(re.compile(r"/incidents/\d+$"))
    page.context.close()
    phone = signed_in(browser, app_server.base_url, "station_chief", PHONE, "/incidents")
    expect(phone.get_by_test_id("incident-item")).to_have_count(3)
    expect(phone.get_by_test_id("incidents-table")).to_have_count(0)
    phone.context.close()


def test_a_chief_reads_the_work_orders_the_station_sent_at_a_desk_and_on_a_phone(world, browser, app_server, live):
    from wangge.matters.models import Handoff

    m = _matters(live, world)
    with live.session() as s:
        for n, (name, returned) in enumerate((("A", False), ("B", True))):
            s.add(
                Handoff(
                    matter_id=m[name].id,
                    from_level="station",
                    from_status="at_station",
                    to_level="department",
                    to_department_id=world.ids["DS1"],
                    from_user_id=world.users["station_chief"],
                    reason=f"上报理由{name}",
                    created_at=T0 + timedelta(hours=n),
                    returned_at=T0 + timedelta(hours=n + 1) if returned else None,
                    return_reason="不属于本部门职责" if returned else None,
                )
            )
        s.commit()
    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/map")
    page.get_by_test_id("nav-handoffs").click()
    expect(page.get_by_test_id("handoffs-empty")).to_be_visible()  # nothing was handed to the station
    page.get_by_test_id("handoffs-out").click()
    rows = page.get_by_test_id("handoff-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-code", m["B"].tracking_code)  # newest first
    expect(rows.first).to_contain_text("一街道城管")
    page.get_by_test_id("handoffs-state").select_option("returned")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("不属于本部门职责")
    rows.first.click()
    expect(page).to_have_url(f"{app_server.base_url}/matters/{m['B'].id}")
    page.context.close()
    phone = signed_in(browser, app_server.base_url, "station_chief", PHONE, "/handoffs")
    phone.get_by_test_id("handoffs-out").click()
    expect(phone.get_by_test_id("handoff-row")).to_have_count(2)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.context.close()
