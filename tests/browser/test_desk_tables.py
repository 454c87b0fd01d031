"""The desk's tables of patrols, home visits and the hazard ledger in Chromium. At 1280×800 a station chief
opens 巡查记录 and 走访记录 from the desk navigation, filters each, picks a person from a row and loads more;
filters the hazard ledger's table and loads more. At 360×740 each is cards without horizontal overflow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from browser.conftest import DESK, PHONE, signed_in
from wangge.fieldwork.models import HomeVisit, Patrol, SpecialGroup, SpecialResident
from wangge.station.models import Hazard
from wangge.station.triage import beijing_today

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def _patrols(live, world) -> None:
    """55 patrols of G1a's leader (one with flagged points), 5 of G1b's, and one in C2 that the chief never sees."""
    with live.session() as s:
        rows = [("grid_leader", "G1a", n) for n in range(55)] + [("leader_g1b", "G1b", 55 + n) for n in range(5)]
        rows.append(("leader_g2", "G2", 61))
        for user, grid, n in rows:
            s.add(
                Patrol(
                    client_id=f"desk-{n}",
                    user_id=world.users[user],
                    grid_id=world.ids[grid],
                    started_at=T0 + timedelta(hours=n),
                    ended_at=T0 + timedelta(hours=n, minutes=45),
                    distance_m=1500.0,
                    point_count=40,
                    flagged_count=3 if n == 7 else 0,
                )
            )
        s.commit()


def _visits(live, world) -> None:
    """55 visits to a resident of G1a, 3 to one of G1b, 1 to one of C2's G2."""
    with live.session() as s:
        groups = dict(s.execute(select(SpecialGroup.code, SpecialGroup.id)).all())
        residents = {}
        for grid, name in (("G1a", "王奶奶"), ("G1b", "赵阿姨"), ("G2", "远处的人")):
            r = SpecialResident(
                grid_id=world.ids[grid], group_id=groups["elderly_alone"], name=name, phone="13812345678"
            )
            s.add(r)
            s.flush()
            residents[grid] = r.id
        rows = [("G1a", "grid_leader", n) for n in range(55)] + [("G1b", "leader_g1b", 55 + n) for n in range(3)]
        rows.append(("G2", "leader_g2", 60))
        for grid, user, n in rows:
            s.add(
                HomeVisit(
                    resident_id=residents[grid],
                    visited_at=T0 + timedelta(hours=n),
                    visitor_ids=[world.users[user]],
                    notes="身体好",
                    created_by_id=world.users[user],
                )
            )
        s.commit()


def _hazards(live, world) -> None:
    """105 medium hazards of G1a due ahead, 2 major overdue ones of G1b, 1 of C2."""
    today = beijing_today()
    with live.session() as s:
        rows = [("G1a", "C1", "medium", 3 + n % 5) for n in range(105)]
        rows += [("G1b", "C1", "major", -2), ("G1b", "C1", "major", -1), ("G2", "C2", "major", -3)]
        for grid, community, risk, days in rows:
            s.add(
                Hazard(
                    community_id=world.ids[community],
                    grid_id=world.ids[grid],
                    place="1栋楼道",
                    hazard_type="fire",
                    risk_level=risk,
                    description="楼道堆放杂物",
                    responsible_unit="物业公司",
                    deadline=today + timedelta(days=days),
                    status="open",
                    photo_ids=[],
                )
            )
        s.commit()


def _no_overflow(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_chief_filters_the_patrols_and_loads_more(world, browser, app_server, live):
    _patrols(live, world)
    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/map")
    page.get_by_test_id("nav-patrolsTable").click()
    rows = page.get_by_test_id("patrol-row")
    expect(rows).to_have_count(50)
    expect(page.get_by_test_id("patrols-total")).to_have_text("共 60 条")  # never C2's
    expect(rows.first).to_contain_text("leader_g1b的名字")  # newest first
    page.get_by_test_id("patrols-more").click()
    expect(rows).to_have_count(60)
    expect(page.get_by_test_id("patrols-more")).to_have_count(0)
    page.get_by_test_id("patrols-grid").select_option(str(world.ids["G1b"]))
    expect(rows).to_have_count(5)
    page.get_by_test_id("patrols-grid").select_option("")
    page.get_by_test_id("patrols-flagged").select_option("true")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("3 个异常点")
    page.get_by_test_id("patrols-flagged").select_option("")
    expect(rows).to_have_count(50)
    page.get_by_test_id("patrols-sort").click()  # oldest first
    expect(rows.first).to_contain_text("grid_leader的名字")
    page.get_by_test_id("patrol-leader").nth(0).click()  # only this leader's
    expect(page.get_by_test_id("patrols-leader")).to_be_visible()
    expect(page.get_by_test_id("patrols-total")).to_have_text("共 55 条")
    page.context.close()
    phone = signed_in(browser, app_server.base_url, "station_chief", PHONE, "/patrols/table")
    expect(phone.get_by_test_id("patrol-row")).to_have_count(50)
    expect(phone.locator(".wg-table thead")).to_be_hidden()  # each row a card
    _no_overflow(phone)
    phone.context.close()


def test_a_chief_filters_the_visits_and_loads_more(world, browser, app_server, live):
    _visits(live, world)
    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/map")
    page.get_by_test_id("nav-visitsTable").click()
    rows = page.get_by_test_id("visit-row")
    expect(rows).to_have_count(50)
    expect(page.get_by_test_id("visits-total")).to_have_text("共 58 条")  # never C2's
    expect(rows.first).to_contain_text("138****5678")  # masked
    page.get_by_test_id("visits-more").click()
    expect(rows).to_have_count(58)
    page.get_by_test_id("visits-name").fill("赵")
    page.get_by_test_id("visits-name").press("Enter")
    expect(rows).to_have_count(3)
    page.get_by_test_id("visits-name").fill("")
    page.get_by_test_id("visits-name").press("Enter")
    page.get_by_test_id("visits-grid").select_option(str(world.ids["G1a"]))
    expect(page.get_by_test_id("visits-total")).to_have_text("共 55 条")
    page.get_by_test_id("visits-grid").select_option("")
    expect(page.get_by_test_id("visits-total")).to_have_text("共 58 条")
    expect(rows.first).to_contain_text("赵阿姨")
    page.get_by_test_id("visit-visitor").first.click()  # the newest visit's visitor: G1b's leader
    expect(page.get_by_test_id("visits-visitor")).to_contain_text("leader_g1b的名字")
    expect(rows).to_have_count(3)
    page.context.close()
    phone = signed_in(browser, app_server.base_url, "station_chief", PHONE, "/visits/table")
    expect(phone.get_by_test_id("visit-row")).to_have_count(50)
    _no_overflow(phone)
    phone.context.close()


def test_a_chief_filters_the_hazard_ledger_as_a_table_and_loads_more(world, browser, app_server, live):
    _hazards(live, world)
    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/hazards")
    rows = page.get_by_test_id("hazard-row")
    expect(page.get_by_test_id("hazards-table")).to_be_visible()
    expect(page.get_by_test_id("hazard-item")).to_have_count(0)  # no cards at a desk
    expect(rows).to_have_count(100)
    expect(page.get_by_test_id("hazards-total")).to_have_text("共 107 条")  # never C2's
    page.get_by_test_id("hazards-more").click()
    expect(rows).to_have_count(107)
    page.get_by_test_id("hazard-filter-overdue").select_option("true")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-risk", "major")
    page.get_by_test_id("hazard-filter-overdue").select_option("")
    page.get_by_test_id("hazard-filter-risk").select_option("medium")
    expect(page.get_by_test_id("hazards-total")).to_have_text("共 105 条")
    page.get_by_test_id("hazard-filter-risk").select_option("")
    page.get_by_test_id("hazard-filter-grid").select_option(str(world.ids["G1b"]))
    expect(rows).to_have_count(2)
    page.context.close()
    phone = signed_in(browser, app_server.base_url, "station_chief", PHONE, "/hazards")
    expect(phone.get_by_test_id("hazard-item")).to_have_count(100)  # phones keep their cards
    expect(phone.get_by_test_id("hazards-table")).to_have_count(0)
    _no_overflow(phone)
    phone.context.close()
