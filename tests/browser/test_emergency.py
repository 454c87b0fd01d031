"""Raising an emergency from a 360×740 phone in Chromium: the grid leader, with the GPS in G1a, taps 上报突发 on the
patrol page, raises a fire of level III and sends the first report 首报 from the incident console, which shows it
on time and the clock moving on to the follow-up 续报. Screenshots go to test-results/emergency-*.png."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import expect

from browser.conftest import PHONE, WAIT_MS, session_script
from support.world import PASSWORD, grid_point

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.app-main')].map(e => e.scrollWidth - e.clientWidth), 0)"
    )
    assert widest <= 0, f"something is {widest}px wider than the screen"


def test_grid_leader_raises_an_emergency_and_sends_the_first_report(world, browser, app_server):
    base = app_server.base_url
    lon, lat = grid_point("G1a")
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": lat, "longitude": lon},
    )
    context.add_init_script(session_script(base, "grid_leader"))
    context.grant_permissions(["geolocation"], origin=base)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.goto(base + "/map")

    page.get_by_test_id("nav-patrol").click()
    page.get_by_test_id("emergency-raise").click()
    expect(page).to_have_url(re.compile(r"/emergency/new$"))
    expect(page.get_by_test_id("emergency-gps")).to_have_attribute("data-located", "true")
    page.get_by_test_id("emergency-type").select_option("fire")
    page.get_by_test_id("emergency-severity").select_option("3")
    page.get_by_test_id("emergency-title").fill("3号楼厨房起火")
    page.get_by_test_id("emergency-place").fill("幸福小区3号楼2单元")
    page.get_by_test_id("emergency-nature").fill("厨房油锅起火，浓烟较大")
    _no_horizontal_scroll(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "emergency-new.png"))
    page.get_by_test_id("emergency-submit").click()

    expect(page).to_have_url(re.compile(r"/incidents/\d+$"))
    incident_id = int(page.url.rsplit("/", 1)[1])
    clock = page.get_by_test_id("incident-clock")
    expect(clock).to_have_attribute("data-kind", "first")
    expect(clock).to_have_attribute("data-overdue", "false")
    expect(clock).to_contain_text("首报")
    expect(page.get_by_test_id("incident-severity")).to_contain_text("III")

    page.get_by_test_id("report-nature").fill("厨房油锅起火，已蔓延至客厅")
    page.get_by_test_id("report-injured").fill("1")
    page.get_by_test_id("report-scene").fill("消防已到场，明火已扑灭，一人轻微烧伤送医")
    page.get_by_test_id("report-submit").click()

    report = page.get_by_test_id("incident-report")
    expect(report).to_have_count(1)
    expect(report).to_have_attribute("data-kind", "first")
    expect(report).to_have_attribute("data-late", "false")
    expect(report).to_contain_text("按时")
    expect(clock).to_have_attribute("data-kind", "followup")
    expect(clock).to_have_attribute("data-overdue", "false")
    _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / "emergency-console.png"))

    # The server agrees: located in G1a, one first report, on time.
    r = httpx.post(f"{base}/api/v1/auth/token", data={"username": "grid_leader", "password": PASSWORD}, timeout=30)
    token = {"Authorization": f"Bearer {r.json()['access_token']}"}
    detail = httpx.get(f"{base}/api/v1/incidents/{incident_id}", headers=token, timeout=30).json()
    assert detail["grid_id"] == world.ids["G1a"]
    assert [(x["kind"], x["late"], x["casualties"]["injured"]) for x in detail["reports"]] == [("first", False, 1)]

    # The station chief calls out a tier the grid leader is in; the leader acknowledges and arrives from the console.
    chief_token = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": "station_chief", "password": PASSWORD}, timeout=30
    ).json()["access_token"]
    chief = {"Authorization": f"Bearer {chief_token}"}
    tier = httpx.put(
        f"{base}/api/v1/response-tiers",
        json={
            "unit_level": "community",
            "unit_id": detail["community_id"],
            "tier": 1,
            "name": "第一梯队",
            "members": [{"user_id": world.users["grid_leader"], "duty": "现场引导"}],
        },
        headers=chief,
        timeout=30,
    )
    assert tier.status_code == 200, tier.text
    called = httpx.post(
        f"{base}/api/v1/incidents/{incident_id}/activations",
        json={"tier_id": tier.json()["id"]},
        headers=chief,
        timeout=30,
    )
    assert called.status_code == 201, called.text
    page.reload()
    member = page.get_by_test_id("activation-member")
    expect(member).to_have_attribute("data-user-id", str(world.users["grid_leader"]))
    page.get_by_test_id("activation-ack").click()
    expect(page.get_by_test_id("activation-ack")).to_have_count(0)
    page.get_by_test_id("activation-arrive").click()
    expect(member).to_have_attribute("data-arrived", "true")
    expect(page.get_by_test_id("activation-muster")).to_contain_text("目标 5 分钟")
    _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / "emergency-muster.png"))
    context.close()
