"""The desk's queues around the routes and the 12345 hotline page in Chromium. At 1280×800 a station chief opens
待审批 from the desk navigation and approves a grid leader's extension (the row leaves, the matter's deadline is the
applied day); refuses another with a reason (its deadline stays); sees on 待核查 the resolution they made themselves
marked for someone else; records a callback 满意 on 待回访 (the matter closes, rated by callback); imports a CSV of
two orders on 12345 工单 (one accepted with its tracking code, one rejected in the app's words) and, once the good
one is resolved, counts and downloads the range's results. At 360×740 the same pages are cards without horizontal
overflow, and an unreachable callback keeps its row with the tries counted. Screenshots go to /tmp/h3-*.png."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from tempfile import gettempdir

from playwright.sync_api import Page, expect
from sqlalchemy import update

from browser.conftest import DESK, PHONE, signed_in
from matters.helpers import act, get, matter_id, submit
from wangge.matters.models import Matter
from wangge.models_common import utcnow
from wangge.workcalendar import SHANGHAI


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=str(Path(gettempdir()) / f"h3-{name}.png"), full_page=True)


def _no_overflow(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _applied(client, world, live, days: int = 3) -> tuple[int, str, date]:
    """A grid leader's matter with an extension applied for: its id, code and the day applied for."""
    code = submit(client)["tracking_code"]
    mid = matter_id(live, code)
    m = act(client, world, "grid_leader", mid, "accept")
    due = datetime.fromisoformat(m["deadlines"]["due_at"]).astimezone(SHANGHAI).date()
    until = due + timedelta(days=days)
    act(client, world, "grid_leader", mid, "apply_extension", reason="需协调物业", until=until.isoformat())
    return mid, code, until


def _resolved_days_ago(client, world, live, days: int = 4, **extra) -> tuple[int, str]:
    """A resolved matter of G1a that its resident has not rated for `days` days: due for a callback."""
    code = submit(client, **extra)["tracking_code"]
    mid = matter_id(live, code)
    act(client, world, "grid_leader", mid, "accept")
    act(client, world, "grid_leader", mid, "resolve", result="已清理完毕")
    with live.session() as s:
        s.execute(update(Matter).where(Matter.id == mid).values(resolved_at=utcnow() - timedelta(days=days)))
        s.commit()
    return mid, code


def test_a_chief_decides_applications_verifies_calls_back_and_imports_hotline_orders(
    world, browser, app_server, live, client
):
    approved_id, approved_code, until = _applied(client, world, live)
    refused_id, refused_code, _ = _applied(client, world, live)
    due_before = get(client, world, "station_chief", refused_id).json()["deadlines"]["due_at"]
    # The chief resolves a station matter of an illegal construction (verified before the rating): their own.
    own_code = submit(client, category="illegal_construction")["tracking_code"]
    own_id = matter_id(live, own_code)
    act(client, world, "grid_leader", own_id, "bring_back", reason="网格内处理不了，带回服务站")
    act(client, world, "station_chief", own_id, "resolve", result="已拆除")
    called_id, called_code = _resolved_days_ago(client, world, live)

    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/map")
    page.get_by_test_id("nav-applications").click()
    rows = page.get_by_test_id("application-row")
    expect(rows).to_have_count(2)
    row = rows.filter(has_text=approved_code)
    expect(row).to_contain_text("延期")
    expect(row).to_contain_text("需协调物业")
    expect(row).to_contain_text("grid_leader的名字")
    expect(row.get_by_test_id("application-until")).to_have_text(until.isoformat())
    _shot(page, "applications-desk")
    row.get_by_test_id("approve").click()
    expect(page.get_by_test_id("queue-notice")).to_contain_text("已批准")
    expect(rows).to_have_count(1)
    m = get(client, world, "station_chief", approved_id).json()
    assert datetime.fromisoformat(m["deadlines"]["due_at"]).astimezone(SHANGHAI).date() == until
    assert m["pending_application"] is None

    # 不批准 asks why first; the deadline stays where it was.
    rows.first.get_by_test_id("refuse").click()
    rows.first.get_by_test_id("refuse-confirm").click()
    expect(rows.first).to_contain_text("请填写不批准的理由")
    rows.first.get_by_test_id("refuse-reason").fill("理由不充分")
    rows.first.get_by_test_id("refuse-confirm").click()
    expect(page.get_by_test_id("queue-empty")).to_have_text("没有待审批的延期或缓办申请")
    m = get(client, world, "station_chief", refused_id).json()
    assert m["deadlines"]["due_at"] == due_before and m["pending_application"] is None
    _shot(page, "applications-empty-desk")

    page.get_by_test_id("nav-verifications").click()
    row = page.get_by_test_id("verification-row").filter(has_text=own_code)
    expect(row).to_contain_text("已拆除")
    expect(row.get_by_test_id("verification-own")).to_have_text("本人办结，需他人核查")
    _shot(page, "verifications-desk")
    row.get_by_test_id("verification-open").click()
    expect(page).to_have_url(f"{app_server.base_url}/matters/{own_id}")

    page.get_by_test_id("nav-callbacks").click()
    row = page.get_by_test_id("callback-row").filter(has_text=called_code)
    expect(row.get_by_test_id("callback-reporter")).to_contain_text("李阿姨")
    expect(row).to_contain_text("已清理完毕")
    _shot(page, "callbacks-desk")
    row.get_by_test_id("callback-answer").select_option("satisfied")
    row.get_by_test_id("callback-note").fill("居民表示满意")
    row.get_by_test_id("callback-record").click()
    expect(page.get_by_test_id("queue-notice")).to_contain_text("事项已关闭")
    expect(page.get_by_test_id("callback-row").filter(has_text=called_code)).to_have_count(0)
    m = get(client, world, "station_chief", called_id).json()
    assert (m["status"], m["rating"], m["rating_source"]) == ("closed", "satisfied", "callback")

    page.get_by_test_id("nav-hotline").click()
    expect(page.get_by_test_id("hotline-header")).to_contain_text("order_no,category,description,lat,lon")
    text = "\n".join(
        [
            "order_no,category,description,lat,lon,address,grid_code,community_code,caller_name,caller_phone",
            f"B-1001,sanitation,小区门口垃圾堆放,,,幸福路1号,{world.codes['G1a']},,王先生,13700001111",
            "B-1002,nope,未知类别的工单,,,,,,,",
        ]
    )
    page.get_by_test_id("hotline-file").set_input_files(
        files=[{"name": "orders.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_test_id("hotline-upload").click()
    expect(page.get_by_test_id("hotline-summary")).to_have_text("受理 1 件，未受理 1 件")
    report = page.get_by_test_id("hotline-report-row")
    expect(report).to_have_count(2)
    code = report.nth(0).get_by_test_id("hotline-code").inner_text()
    assert code.startswith("WG")
    expect(report.nth(1).get_by_test_id("hotline-reason")).to_have_text("类别编码不存在")
    _shot(page, "hotline-desk")

    # Once the hotline's order is resolved, its result is in the range's export.
    hotline_id = matter_id(live, code)
    act(client, world, "grid_leader", hotline_id, "accept")
    act(client, world, "grid_leader", hotline_id, "resolve", result="已清运")
    page.get_by_test_id("hotline-count").click()
    expect(page.get_by_test_id("hotline-found")).to_have_text("共 1 件")
    with page.expect_download() as download:
        page.get_by_test_id("hotline-csv").click()
    path = download.value.path()
    with open(path, encoding="utf-8-sig") as f:
        (row,) = list(csv.DictReader(io.StringIO(f.read())))
    assert (row["order_no"], row["tracking_code"], row["result"]) == ("B-1001", code, "已清运")
    page.get_by_test_id("hotline-until").fill("2020-01-01")
    expect(page.get_by_test_id("hotline-range")).to_have_text("结束日期早于开始日期")


def test_the_queues_and_the_hotline_page_are_cards_on_a_phone(world, browser, app_server, live, client):
    _applied(client, world, live)
    _, called_code = _resolved_days_ago(client, world, live)
    # A phone has no side navigation: the inbox links the queues the chief works.
    page = signed_in(browser, app_server.base_url, "station_chief", PHONE, "/matters")
    expect(page.get_by_test_id("link-verifications")).to_be_visible()
    expect(page.get_by_test_id("link-callbacks")).to_be_visible()
    page.get_by_test_id("link-applications").click()
    expect(page).to_have_url(re.compile(r"/matters/applications$"))
    expect(page.get_by_test_id("application-row")).to_have_count(1)
    expect(page.get_by_test_id("approve")).to_be_visible()
    _no_overflow(page)
    _shot(page, "applications-phone")

    page.goto(app_server.base_url + "/matters/verifications")
    expect(page.get_by_test_id("queue-empty")).to_have_text("没有待核查的事项")
    _no_overflow(page)

    page.goto(app_server.base_url + "/matters/callbacks")
    row = page.get_by_test_id("callback-row").filter(has_text=called_code)
    row.get_by_test_id("callback-answer").select_option("unreachable")
    row.get_by_test_id("callback-record").click()
    expect(page.get_by_test_id("queue-notice")).to_contain_text("已记录无法联系（第 1 次）")
    expect(row.get_by_test_id("callback-tries")).to_have_text("1 次未接通")
    _no_overflow(page)
    _shot(page, "callbacks-phone")

    page.goto(app_server.base_url + "/matters/hotline")
    page.get_by_test_id("hotline-file").set_input_files(
        files=[{"name": "orders.xlsx", "mimeType": "application/octet-stream", "buffer": b"PK"}]
    )
    page.get_by_test_id("hotline-upload").click()
    expect(page.get_by_test_id("hotline-error")).to_have_text("请选择 CSV 或 JSON 文件")
    page.get_by_test_id("hotline-file").set_input_files(
        files=[{"name": "orders.csv", "mimeType": "text/csv", "buffer": "工单号,内容\n1,2\n".encode()}]
    )
    page.get_by_test_id("hotline-upload").click()
    expect(page.get_by_test_id("hotline-error")).to_contain_text("文件无法读取")
    _no_overflow(page)
    _shot(page, "hotline-phone")


def test_a_department_finds_what_it_co_operates_on_in_its_inbox_box(world, browser, app_server, live, client):
    code = submit(client)["tracking_code"]
    mid = matter_id(live, code)
    act(client, world, "grid_leader", mid, "bring_back", reason="网格内处理不了，带回服务站")
    act(client, world, "station_chief", mid, "coordinate", departments=[world.ids["DS1"]], reason="需城管协办")
    for viewport, rows in ((DESK, "desk-row"), (PHONE, "matter-item")):
        page = signed_in(browser, app_server.base_url, "department_officer", viewport, "/matters")
        page.get_by_test_id("box-cooperating").click()
        expect(page.get_by_test_id("box-cooperating")).to_have_text("协办")
        expect(page.get_by_test_id(rows)).to_have_count(1)
        expect(page.get_by_test_id(rows).first).to_contain_text(code)
        _no_overflow(page)
        page.context.close()
