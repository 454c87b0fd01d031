"""The registries 一标三实 in Chromium. At 1280×800 a station chief opens 基础台账 from the desk navigation, sees an
identity number masked and reveals it (logged), registers an address and a person (a bad check digit is caught
on the form), records a move out and looks at the registry of the day before; an administrator reads the log of
the reveal. At 360×740 a grid leader opens the registry from 巡查 and adds a household."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from browser.conftest import DESK, PHONE, signed_in
from registries.helpers import house, id_number, person
from wangge.hierarchy.models import Place
from wangge.registries.models import Person, PersonalDataAccess, Residency
from wangge.registries.service import today

NUMBER = id_number("43011119850615123")


def _no_overflow(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_chief_reveals_registers_and_records_a_move_at_the_desk(world, browser, app_server, live, client):
    h = house(client, world, room="501")
    p = person(client, world, h["id"], name="李四", id_number=NUMBER, phone="13912345678",
               moved_in_on=(today() - timedelta(days=30)).isoformat())  # fmt: skip
    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/map")
    page.get_by_test_id("nav-registry").click()
    rows = page.get_by_test_id("person-row")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("person-id-number")).to_have_text(NUMBER[:4] + "*" * 10 + NUMBER[-4:])
    expect(rows.first.get_by_test_id("person-phone")).to_have_text("139****5678")
    rows.first.get_by_test_id("person-reveal").click()
    expect(rows.first.get_by_test_id("person-id-number")).to_have_text(NUMBER)
    with live.session() as s:
        logged = s.execute(select(PersonalDataAccess)).scalars().all()
    assert [(a.action, a.person_ids, a.user_id) for a in logged] == [
        ("reveal", [p["id"]], world.users["station_chief"])
    ]

    # A new address, then a person there: the form catches a wrong check digit before sending.
    page.get_by_test_id("registry-tab-houses").click()
    page.get_by_test_id("registry-add-house").click()
    page.get_by_test_id("house-building").select_option(str(world.ids["B_G1a"]))
    page.get_by_test_id("house-unit").fill("2")
    page.get_by_test_id("house-room").fill("502")
    page.get_by_test_id("house-save").click()
    expect(page.get_by_test_id("house-row")).to_have_count(2)
    page.get_by_test_id("house-row").filter(has_text="502").get_by_test_id("house-add-person").click()
    page.get_by_test_id("person-name").fill("王五")
    page.get_by_test_id("person-id").fill(NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1"))
    expect(page.get_by_test_id("person-id-bad")).to_be_visible()
    expect(page.get_by_test_id("person-save")).to_be_disabled()
    page.get_by_test_id("person-id").fill(id_number("43011119900101001"))
    page.get_by_test_id("person-save").click()
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("registry-figures")).to_have_text("在住 2 户 · 2 人")

    # 王五 is edited into a special group, then rents 502 from today and the tenancy ends today.
    wang = rows.filter(has_text="王五")
    wang.get_by_test_id("person-edit").click()
    page.get_by_test_id("registry-person-form").get_by_label("独居老人").check()
    page.get_by_test_id("person-save").click()
    expect(wang).to_contain_text("独居老人")
    wang.get_by_test_id("person-tenancy").click()
    page.get_by_test_id("tenancy-start").fill(today().isoformat())
    page.get_by_test_id("tenancy-save").click()
    page.get_by_test_id("registry-tab-houses").click()
    tenancy = page.get_by_test_id("tenancy-row")
    expect(tenancy).to_have_count(1)
    expect(tenancy.first).to_contain_text("王五")
    # The tenancies come a page at a time, counted; one page here, so nothing more to load.
    expect(page.get_by_test_id("registry-tenancies-count")).to_have_text("显示 1 / 1")
    expect(page.get_by_test_id("registry-tenancies-more")).to_have_count(0)
    tenancy.first.get_by_test_id("tenancy-end").click()
    expect(tenancy.first).to_contain_text(today().isoformat())
    expect(page.get_by_test_id("tenancy-end")).to_have_count(0)
    page.get_by_test_id("registry-tab-people").click()

    # 李四 moves out today: gone from today's registry, still there on yesterday's.
    rows.filter(has_text="李四").get_by_test_id("person-move").click()
    page.get_by_test_id("move-kind").select_option("moved_out")
    page.get_by_test_id("move-on").fill(today().isoformat())
    page.get_by_test_id("move-save").click()
    expect(rows).to_have_count(1)
    page.get_by_test_id("registry-on").fill((today() - timedelta(days=1)).isoformat())
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("李四")
    page.get_by_test_id("registry-tab-events").click()
    expect(page.get_by_test_id("event-row").first).to_contain_text("迁出")
    kinds = page.get_by_test_id("event-row").evaluate_all("rows => rows.map(r => r.dataset.kind)")
    assert kinds[:4] == ["moved_out", "tenancy_ended", "tenancy_started", "groups_changed"]
    page.context.close()

    admin = signed_in(browser, app_server.base_url, "administrator", DESK, "/admin")
    admin.get_by_test_id("admin-personal-data").click()
    entry = admin.get_by_test_id("access-row")
    expect(entry).to_have_count(1)
    expect(entry.first).to_contain_text("station_chief的名字")
    expect(entry.first).to_contain_text("查看")
    expect(admin.get_by_test_id("access-log-count")).to_have_text("显示 1 / 1")
    expect(admin.get_by_test_id("access-log-older")).to_have_count(0)  # one page: nothing older to load
    admin.context.close()


def test_more_people_than_a_page_come_with_load_more(world, browser, app_server, live, client):
    """A grid of 205 people shows the first 200, says so (显示 200 / 205), and 加载更多 brings the other five."""
    h = house(client, world, room="301")
    since = today() - timedelta(days=10)
    with live.session() as s:  # set up in bulk: 205 registrations through the API would be most of the test
        people = [
            Person(grid_id=world.ids["G1a"], house_id=h["id"], name=f"住户{i:03d}", residence="registered",
                   created_by_id=world.users["station_chief"])
            for i in range(205)
        ]  # fmt: skip
        s.add_all(people)
        s.flush()
        s.add_all(Residency(person_id=p.id, house_id=h["id"], grid_id=world.ids["G1a"], start_on=since) for p in people)
        s.commit()
    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/registry")
    rows = page.get_by_test_id("person-row")
    expect(rows).to_have_count(200)
    expect(page.get_by_test_id("registry-people-count")).to_have_text("显示 200 / 205")
    page.get_by_test_id("registry-people-more").click()
    expect(rows).to_have_count(205)
    expect(page.get_by_test_id("registry-people-count")).to_have_text("显示 205 / 205")
    expect(page.get_by_test_id("registry-people-more")).to_have_count(0)
    expect(rows.last).to_contain_text("住户204")
    page.context.close()


def test_a_grid_leader_adds_a_household_on_the_phone(world, browser, app_server, client):
    house(client, world, room="101")
    page = signed_in(browser, app_server.base_url, "grid_leader", PHONE, "/patrol")
    page.get_by_test_id("link-registry").click()
    expect(page.get_by_test_id("registry-no-people")).to_be_visible()
    page.get_by_test_id("registry-tab-houses").click()
    expect(page.get_by_test_id("house-row")).to_have_count(1)
    page.get_by_test_id("house-add-person").click()
    page.get_by_test_id("person-name").fill("赵六")
    page.get_by_test_id("person-residence").select_option("floating")
    page.get_by_test_id("person-save").click()
    rows = page.get_by_test_id("person-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("流动")
    expect(page.locator(".wg-table thead").first).to_be_hidden()  # each row a card
    _no_overflow(page)
    page.context.close()


def test_a_chief_sets_a_units_contact_and_duty_phone(world, browser, app_server, live):
    """单位: the chief gives a shop of G1a a contact person and a duty phone in its row; a wrong number is caught on
    the form; the row shows the saved values and the table holds them. On a phone the row is a card that edits the
    same way."""
    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/registry")
    page.get_by_test_id("registry-grid").select_option(str(world.ids["G1a"]))
    page.get_by_test_id("registry-tab-units").click()
    row = page.get_by_test_id("unit-row").filter(has_text="G1a小卖部")
    expect(row).to_have_count(1)
    row.get_by_test_id("unit-edit").click()
    row.get_by_test_id("unit-contact").fill("刘店长")
    row.get_by_test_id("unit-phone").fill("0731-8555abc")
    expect(row.get_by_test_id("unit-phone-bad")).to_be_visible()
    expect(row.get_by_test_id("unit-save")).to_be_disabled()
    row.get_by_test_id("unit-phone").fill("0731-85551234")
    row.get_by_test_id("unit-save").click()
    expect(row.get_by_test_id("unit-contact-shown")).to_have_text("刘店长")
    expect(row.get_by_test_id("unit-phone-shown")).to_have_text("0731-85551234")
    with live.session() as s:
        place = s.get(Place, world.ids["P_G1a"])
        assert (place.contact_person, place.duty_phone) == ("刘店长", "0731-85551234")
    page.context.close()

    phone = signed_in(browser, app_server.base_url, "grid_leader", PHONE, "/registry")
    phone.get_by_test_id("registry-tab-units").click()
    card = phone.get_by_test_id("unit-row").filter(has_text="G1a小卖部")
    card.get_by_test_id("unit-edit").click()
    card.get_by_test_id("unit-contact").fill("")
    card.get_by_test_id("unit-save").click()
    expect(card.get_by_test_id("unit-contact-shown")).to_have_text("")
    expect(card.get_by_test_id("unit-phone-shown")).to_have_text("0731-85551234")
    _no_overflow(phone)
    phone.context.close()
