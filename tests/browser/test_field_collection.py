"""入户采集 in Chromium on a 360×740 phone: a grid leader starts a patrol, opens a building of the grid as a checklist,
the network is cut, and the leader rents out a room and adds the person living there (a wrong ID check digit is
caught on the phone). The changes show at once as waiting, and the building stays available offline when opened
again. The network comes back, the outbox drains, and the server holds exactly one new person and the house's new
use (read through the API). Screenshots go to test-results/collect-*.png."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import func, select

from browser.conftest import PHONE, leader_phone, new_page, session_script
from registries.helpers import API, house, id_number, person
from support.world import grid_point
from wangge.registries.models import Person, RegistryEvent

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
NUMBER = id_number("43011119900101002")


def _context(browser: Browser, base: str) -> BrowserContext:
    lon, lat = grid_point("G1a")
    return leader_phone(browser, base, lat, lon)


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"collect-{name}.png"))


def _no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _open_building(page: Page, building_id: int) -> None:
    page.get_by_test_id("patrol-collect").click()
    expect(page).to_have_url(re.compile(r"/collect\?grid=\d+"))
    page.locator(f'[data-testid="collect-building"][data-id="{building_id}"]').click()


def test_a_leader_updates_a_household_offline_during_a_patrol(world, live, browser, app_server, client):
    occupied = house(client, world, room="501", unit="2")
    house(client, world, room="502", unit="2")
    person(client, world, occupied["id"], name="李四")
    base = app_server.base_url
    context = _context(browser, base)
    page = context.new_page()
    page.goto(base + "/patrol")
    page.get_by_test_id("patrol-start").click()
    expect(page.get_by_test_id("patrol-stop")).to_be_visible()

    # Online: the building of the patrol's grid is fetched (and kept on the phone).
    _open_building(page, world.ids["B_G1a"])
    rooms = page.get_by_test_id("collect-room")
    expect(rooms).to_have_count(2)
    r501, r502 = rooms.filter(has_text="501"), rooms.filter(has_text="502")
    expect(r501).to_have_attribute("data-people", "1")
    expect(r502).to_have_attribute("data-people", "0")
    expect(r502).to_contain_text("未采集")
    _no_horizontal_scroll(page)

    context.set_offline(True)
    expect(page.get_by_test_id("patrol-offline")).to_be_visible()

    # 502 is rented out: one tap.
    r502.click()
    sheet = page.get_by_test_id("collect-sheet")
    expect(sheet).to_be_in_viewport()
    page.get_by_test_id("collect-use-rented").click()
    expect(page.get_by_test_id("collect-use-rented")).to_have_attribute("aria-pressed", "true")

    # The tenant: a wrong check digit is caught before anything is queued.
    page.get_by_test_id("collect-add-person").click()
    page.get_by_test_id("collect-person-name").fill("孙七")
    page.get_by_test_id("collect-residence-floating").click()
    page.get_by_test_id("collect-person-relation").select_option("tenant")
    page.get_by_test_id("collect-person-id").fill(NUMBER[:17] + ("1" if NUMBER[17] != "1" else "2"))
    expect(page.get_by_test_id("collect-person-id-bad")).to_be_visible()
    expect(page.get_by_test_id("collect-person-save")).to_be_disabled()
    page.get_by_test_id("collect-person-id").fill(NUMBER)
    page.get_by_test_id("collect-person-phone").fill("13800001111")
    page.get_by_test_id("collect-person-save").click()
    added = sheet.get_by_test_id("collect-person").filter(has_text="孙七")
    expect(added).to_have_attribute("data-pending", "true")
    expect(added.get_by_test_id("collect-person-masked")).to_have_text(
        f"{NUMBER[:4]}{'*' * 10}{NUMBER[-4:]} · 138****1111"
    )
    expect(added).not_to_contain_text(NUMBER)
    _no_horizontal_scroll(page)
    _shot(page, "sheet")
    page.locator(".van-popup__close-icon").click()
    expect(sheet).to_have_count(0)
    expect(page.locator(".van-overlay")).to_be_hidden()

    # The checklist shows the change at once, waiting to be sent.
    expect(r502).to_have_attribute("data-use", "rented")
    expect(r502).to_have_attribute("data-people", "1")
    expect(r502).to_have_attribute("data-pending", "true")
    expect(r501).to_have_attribute("data-pending", "false")
    waiting = page.get_by_test_id("patrol-waiting")
    assert int(waiting.get_attribute("data-count") or "0") >= 2
    _shot(page, "offline")

    # Still offline, back to the patrol and into the building again: the phone's copy, with the change laid over.
    page.get_by_test_id("subpage-back").click()
    expect(page.get_by_test_id("patrol-stop")).to_be_visible()
    _open_building(page, world.ids["B_G1a"])
    expect(page.get_by_test_id("collect-page")).to_have_attribute("data-stale", "true")
    expect(page.get_by_test_id("collect-stale")).to_be_visible()
    expect(rooms.filter(has_text="502")).to_have_attribute("data-pending", "true")
    expect(rooms.filter(has_text="502")).to_have_attribute("data-people", "1")

    # The network returns: the outbox drains by itself and the checklist follows the server.
    context.set_offline(False)
    expect(waiting).to_have_attribute("data-count", "0", timeout=30_000)
    expect(rooms.filter(has_text="502")).to_have_attribute("data-pending", "false")
    expect(rooms.filter(has_text="502")).to_have_attribute("data-use", "rented")
    expect(rooms.filter(has_text="502")).to_have_attribute("data-people", "1")
    expect(page.get_by_test_id("collect-page")).to_have_attribute("data-stale", "false")
    expect(page.get_by_test_id("outbox-failed")).to_have_count(0)
    _shot(page, "online")
    context.close()

    houses = client.get(f"{API}/grids/{world.ids['G1a']}/houses", headers=world.headers("station_chief")).json()
    by_room = {h["room"]: h for h in houses}
    assert by_room["502"]["use"] == "rented" and by_room["501"]["use"] == "owner_occupied"
    assert [r["name"] for r in by_room["502"]["residents"]] == ["孙七"]
    people = client.get(f"{API}/grids/{world.ids['G1a']}/people", headers=world.headers("station_chief")).json()[
        "items"
    ]
    assert sorted(p["name"] for p in people) == ["孙七", "李四"]
    sun = next(p for p in people if p["name"] == "孙七")
    assert (sun["residence"], sun["relation"], sun["phone"]) == ("floating", "tenant", "138****1111")
    found = client.get(f"{API}/people", params={"id_number": NUMBER}, headers=world.headers("station_chief")).json()
    assert [p["id"] for p in found] == [sun["id"]]
    with live.session() as s:
        assert s.scalar(select(func.count()).select_from(Person).where(Person.name == "孙七")) == 1
        kinds = s.scalars(
            select(RegistryEvent.kind).where(RegistryEvent.house_id == by_room["502"]["id"]).order_by(RegistryEvent.id)
        ).all()
        assert kinds == ["use_changed", "moved_in"]


def test_the_registry_opens_field_collection_in_english(world, browser, app_server, client):
    house(client, world, room="101", unit="")
    english = "localStorage.setItem('wangge.locale', 'en');"
    page = new_page(browser, PHONE, init_script=english + session_script(app_server.base_url, "grid_leader"))
    page.goto(app_server.base_url + "/registry")
    page.get_by_test_id("registry-collect").click()
    expect(page).to_have_url(re.compile(rf"/collect\?grid={world.ids['G1a']}$"))
    building = page.locator(f'[data-testid="collect-building"][data-id="{world.ids["B_G1a"]}"]')
    expect(building).to_contain_text("1 houses · 0 people")
    building.click()
    room = page.get_by_test_id("collect-room")
    expect(room).to_have_count(1)
    expect(room).to_contain_text("Owner-occupied")
    room.click()
    expect(page.get_by_test_id("collect-sheet")).to_contain_text("Nobody living here")
    _no_horizontal_scroll(page)
    page.context.close()
