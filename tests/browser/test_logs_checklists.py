"""有人督查 and the hazard checklists in Chromium.

(1) A station chief at 1280×800 opens 工作日志 from the inbox, sees the grid leader's day of today not signed with its
item, leaves a remark; the leader, in another browser at 360×740, sees it highlighted on 我的一天 and marks it read.
(2) A system administrator creates a checklist on /admin/checklists; once the month's cycle issues it, the grid
leader at 360×740 opens 本月排查 from 我的一天 and fills it item by item (one hazard, placed and owned), and the
task is done with its hazard in the ledger."""

from __future__ import annotations

from datetime import timedelta

import httpx
from playwright.sync_api import expect

from browser.conftest import DESK, PHONE, signed_in
from wangge.station.triage import beijing_today


def _no_overflow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_chief_remarks_on_a_leaders_unsigned_day_and_the_leader_reads_it(world, browser, app_server):
    base = app_server.base_url
    today = beijing_today().isoformat()
    r = httpx.post(
        f"{base}/api/v1/matters",
        json={"category": "sanitation", "description": "路灯不亮", "lat": 28.1015, "lon": 113.0015},
        headers=world.headers("grid_leader"),
        timeout=30,
    )
    assert r.status_code == 201, r.text
    leader = world.users["grid_leader"]

    chief = signed_in(browser, base, "station_chief", DESK, "/matters")
    chief.get_by_test_id("link-logs").click()
    expect(chief.get_by_test_id("logs-page")).to_be_visible()
    expect(chief.get_by_test_id("logs-row")).to_have_count(2)  # G1a's and G1b's leaders; never C2's
    expect(chief.locator(f'[data-testid="logs-row"][data-user="{world.users["leader_g2"]}"]')).to_have_count(0)
    cell = chief.locator(f'[data-testid="log-cell"][data-user="{leader}"][data-day="{today}"]')
    expect(cell).to_have_attribute("data-signed", "false")
    expect(cell).to_contain_text("✗")
    expect(cell).to_contain_text("1 项")
    cell.click()
    detail = chief.get_by_test_id("log-detail")
    expect(detail).to_be_in_viewport()  # the day opens below the table and is brought into sight
    expect(detail.get_by_test_id("log-signed")).to_contain_text("尚未签字")
    expect(detail.get_by_test_id("log-item")).to_contain_text("路灯不亮")
    chief.get_by_test_id("remark-send").click()
    expect(chief.get_by_test_id("remark-error")).to_contain_text("请填写督查意见")
    chief.get_by_test_id("remark-text").fill("路灯问题请今天联系物业，明天前回复")
    chief.get_by_test_id("remark-send").click()
    expect(detail.get_by_test_id("remark")).to_contain_text("路灯问题请今天联系物业")
    expect(cell).to_contain_text("意见 1")
    _no_overflow(chief)
    chief.set_viewport_size(PHONE)
    _no_overflow(chief)  # the table scrolls inside its own box
    chief.context.close()

    # A remark on yesterday's log is on today's page too, among those not read yet.
    yesterday = (beijing_today() - timedelta(days=1)).isoformat()
    r = httpx.post(
        f"{base}/api/v1/fieldwork/logs/{leader}/days/{yesterday}/remarks",
        json={"text": "昨天的日志还没签字"},
        headers=world.headers("station_chief"),
        timeout=30,
    )
    assert r.status_code == 201, r.text

    phone = signed_in(browser, base, "grid_leader", PHONE, "/my-day")
    earlier = phone.get_by_test_id("myday-remarks-elsewhere")
    expect(earlier).to_contain_text("昨天的日志还没签字")
    expect(earlier).to_contain_text(f"{yesterday} 的日志")
    remarks = phone.get_by_test_id("myday-remarks")
    expect(remarks).to_contain_text("路灯问题请今天联系物业，明天前回复")
    expect(remarks).to_contain_text("station_chief的名字")
    expect(remarks.get_by_test_id("remark-new")).to_have_text("新")
    _no_overflow(phone)
    remarks.get_by_test_id("remark-read").click()
    expect(remarks.get_by_test_id("remark")).to_have_attribute("data-read", "true")
    expect(remarks.get_by_test_id("remark-new")).to_have_count(0)
    phone.reload()
    expect(phone.get_by_test_id("myday-remarks").get_by_test_id("remark")).to_have_attribute("data-read", "true")
    phone.context.close()


def test_an_administrator_makes_a_checklist_and_a_leader_fills_it_on_the_phone(world, browser, app_server):
    base = app_server.base_url
    admin = signed_in(browser, base, "system_admin", DESK, "/admin")
    admin.get_by_test_id("admin-checklists").click()
    expect(admin.get_by_test_id("checklists-page")).to_be_visible()
    admin.get_by_test_id("checklist-add").click()
    admin.get_by_test_id("checklist-save").click()
    expect(admin.get_by_test_id("checklist-problems")).to_contain_text("请填写名称")
    admin.get_by_test_id("checklist-code").fill("roof_b")
    admin.get_by_test_id("checklist-name").fill("屋顶安全检查")
    admin.get_by_test_id("checklist-type").select_option("building")
    admin.get_by_test_id("checklist-item-text-0").fill("屋面无渗漏")
    admin.get_by_test_id("checklist-item-add").click()
    admin.get_by_test_id("checklist-item-text-1").fill("女儿墙无松动")
    admin.get_by_test_id("checklist-save").click()
    row = admin.locator('[data-testid="checklist-row"][data-code="roof_b"]')
    expect(row).to_contain_text("屋顶安全检查")
    expect(row).to_contain_text("全部街道通用")
    expect(row).to_contain_text("2 项")
    admin.context.close()

    month = beijing_today().strftime("%Y-%m")
    r = httpx.post(
        f"{base}/api/v1/hazards/cycles",
        json={"community_id": world.ids["C1"], "month": month, "template_codes": ["roof_b"]},
        headers=world.headers("station_chief"),
        timeout=30,
    )
    assert r.status_code == 201, r.text
    assert [i["code"] for i in r.json()["tasks"][0]["template"]["items"]] == ["roof_b_1", "roof_b_2"]

    phone = signed_in(browser, base, "grid_leader", PHONE, "/my-day")
    phone.get_by_test_id("myday-inspections").click()
    task = phone.locator('[data-testid="inspection-task"][data-code="roof_b"]')
    expect(task).to_have_count(1)  # their grid's only
    expect(task).to_contain_text("G1a网格")
    task.click()
    phone.get_by_test_id("result-roof_b_1-ok").click()
    phone.get_by_test_id("result-roof_b_2-hazard").click()
    phone.get_by_test_id("remark-roof_b_2").fill("东侧女儿墙砖块松动")
    phone.get_by_test_id("inspection-submit").click()
    expect(phone.get_by_test_id("inspection-missing")).to_be_visible()  # where, and who fixes it
    phone.get_by_test_id("hazard-place-roof_b_2").fill("3栋屋顶东侧")
    phone.get_by_test_id("hazard-unit-roof_b_2").fill("物业公司")
    phone.get_by_test_id("hazard-risk-roof_b_2").select_option("high")
    _no_overflow(phone)
    phone.get_by_test_id("inspection-submit").click()
    expect(task).to_have_attribute("data-done", "true")
    _no_overflow(phone)
    phone.context.close()

    done = httpx.get(
        f"{base}/api/v1/hazards/tasks", params={"month": month}, headers=world.headers("grid_leader"), timeout=30
    ).json()["items"]
    assert done[0]["done"] and done[0]["results"] == {"roof_b_1": "ok", "roof_b_2": "hazard"}
    assert done[0]["remarks"] == {"roof_b_2": "东侧女儿墙砖块松动"}
    ledger = httpx.get(
        f"{base}/api/v1/hazards", params={"month": month}, headers=world.headers("station_chief"), timeout=30
    ).json()["items"]
    found = [(h["place"], h["risk_level"], h["responsible_unit"]) for h in ledger]
    assert found == [("3栋屋顶东侧", "high", "物业公司")]
    assert "女儿墙无松动：东侧女儿墙砖块松动" in ledger[0]["description"]
