"""Household sweeps 逐户排查 in Chromium: the grid leader, on a 360×740 phone, opens the campaign from 巡查, goes to a
building and ticks its households in a few taps, one of them while offline (it shows as waiting); back online the
tick arrives once (one registry event), and the station chief's desk shows the progress per grid and the missed
households."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import func, select

from browser.conftest import DESK, PHONE, signed_in
from registries.helpers import house
from wangge.registries.models import RegistryEvent
from wangge.sweeps.models import SweepTask
from wangge.sweeps.service import today

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"sweeps-{name}.png"), full_page=True)


def test_a_leader_ticks_households_one_offline_and_the_desk_sees_it(world, live, client, browser, app_server):
    rooms = {room: house(client, world, grid="G1a", room=room, unit="1") for room in ("101", "102", "201")}
    house(client, world, grid="G1b", room="101", unit="1")
    r = client.post(
        "/api/v1/sweeps",
        json={
            "title": "冬季疫情排查",
            "purpose": "epidemic",
            "grid_ids": [world.ids["G1a"], world.ids["G1b"]],
            "start_on": today().isoformat(),
            "due_on": (today() + timedelta(days=5)).isoformat(),
        },
        headers=world.headers("station_chief"),
    )
    assert r.status_code == 201, r.text
    sweep_id = r.json()["id"]

    page = signed_in(browser, app_server.base_url, "grid_leader", PHONE, "/patrol")
    context = page.context
    page.get_by_test_id("link-sweeps").click()
    page.locator(f'[data-testid="my-sweep"][data-id="{sweep_id}"]').click()
    expect(page.get_by_test_id("my-sweep-progress")).to_have_text("已排查 0/3 户")  # the leader's grid only
    page.get_by_test_id("my-sweep-building").click()
    households = page.get_by_test_id("household")
    expect(households).to_have_count(3)

    def household(room: str):
        return page.locator(f'[data-testid="household"][data-room="{room}"]')

    household("101").get_by_test_id("tick-normal").click()
    expect(household("101")).to_have_attribute("data-result", "normal")
    expect(household("101")).to_have_attribute("data-pending", "false")
    household("102").get_by_test_id("tick-abnormal").click()
    household("102").get_by_test_id("tick-note").fill("有发热症状，已报社区卫生站")
    household("102").get_by_test_id("tick-save").click()
    expect(household("102")).to_have_attribute("data-result", "abnormal")
    expect(household("102")).to_have_attribute("data-pending", "false")

    context.set_offline(True)
    expect(page.get_by_test_id("patrol-offline")).to_be_visible()
    household("201").get_by_test_id("tick-absent").click()
    expect(household("201")).to_have_attribute("data-result", "absent")
    expect(household("201").get_by_test_id("household-pending")).to_be_visible()
    expect(page.get_by_test_id("patrol-waiting")).to_have_attribute("data-count", "1")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(page, "phone-offline")
    with live.session() as db:
        assert db.scalar(select(SweepTask.result).where(SweepTask.house_id == rooms["201"]["id"])) is None

    context.set_offline(False)
    expect(household("201")).to_have_attribute("data-pending", "false")
    expect(page.get_by_test_id("patrol-waiting")).to_have_attribute("data-count", "0")
    page.get_by_test_id("only-missed").check()  # what is left to do in the building: the household not at home
    expect(households).to_have_count(1)
    expect(households).to_have_attribute("data-room", "201")
    with live.session() as db:
        task = db.execute(select(SweepTask).where(SweepTask.house_id == rooms["201"]["id"])).scalar_one()
        assert (task.result, task.ticks) == ("absent", 1)
        events = db.scalar(
            select(func.count())
            .select_from(RegistryEvent)
            .where(RegistryEvent.house_id == rooms["201"]["id"], RegistryEvent.kind == "swept")
        )
        assert events == 1
    context.close()

    desk = signed_in(browser, app_server.base_url, "station_chief", DESK, f"/sweeps/{sweep_id}")
    expect(desk.get_by_test_id("sweep-count-done").locator("strong")).to_have_text("2")
    expect(desk.get_by_test_id("sweep-count-revisit").locator("strong")).to_have_text("1")
    expect(desk.get_by_test_id("sweep-count-missed").locator("strong")).to_have_text("2")
    g1a = desk.locator(f'[data-testid="sweep-grid-row"][data-id="{world.ids["G1a"]}"]')
    expect(g1a.get_by_test_id("grid-done")).to_have_text("2")
    expect(g1a.get_by_test_id("grid-missed")).to_have_text("1")
    expect(desk.get_by_test_id("sweep-missed-row")).to_have_text(
        ["G1a网格G1a-1栋1单元201无人在家", "G1b网格G1b-1栋1单元101未排查"]
    )
    expect(desk.get_by_test_id("sweep-abnormal-row")).to_contain_text("有发热症状")
    _shot(desk, "desk")
    desk.context.close()


def test_the_desk_makes_a_sweep_over_chosen_grids(world, client, browser, app_server):
    for room in ("101", "102"):
        house(client, world, grid="G1a", room=room, unit="1")
    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/sweeps")
    expect(page.get_by_test_id("sweeps-none")).to_be_visible()
    page.get_by_test_id("sweep-title").fill("出租房屋普查")
    page.get_by_test_id("sweep-purpose").select_option("rental_census")
    page.get_by_test_id(f"sweep-grid-{world.ids['G1a']}").check()
    page.get_by_test_id("sweep-create").click()
    item = page.get_by_test_id("sweep-item")
    expect(item).to_have_count(1)
    expect(item.get_by_test_id("sweep-item-progress")).to_contain_text("已排查 0/2 户")
    item.click()
    expect(page.get_by_test_id("sweep-missed-row")).to_have_count(2)
    page.get_by_test_id("sweep-close").click()
    page.locator(".van-dialog__confirm").click()
    expect(page.get_by_test_id("sweep-status")).to_have_text("已结束")
    expect(page.get_by_test_id("sweep-close")).to_have_count(0)
    page.context.close()
