"""网格人员 in Chromium: the station chief of C1 (desk, 1280×800) names a new leader for G1b from the community's grid
leaders and reads the history (历任), adds a team member and ends the membership, ends the G1a–G1b A/B pair and
pairs them again from the suggested pairs; the API then answers the same. On a 360 px phone the page fits the
screen, and a street officer reads it without the buttons. Screenshots go to test-results/admin-people-*.png."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from browser.conftest import DESK, PHONE, signed_in
from support.world import PASSWORD

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
API = "/api/v1"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    expect(page.locator(".van-toast")).to_be_hidden(timeout=5000)  # the last change's toast is gone
    # Transitions (a popup's slide-in) are taken at their end rather than waited for.
    page.screenshot(path=str(SHOTS / f"admin-people-{name}.png"), full_page=True, animations="disabled")


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.app-main, .people__popup')]"
        ".map(e => e.scrollWidth - e.clientWidth), 0)"
    )
    assert widest <= 0, f"something is {widest}px wider than the screen"


def _setup(world, base: str) -> int:
    """A second grid leader account for G1b (the one to name), and G1a–G1b paired as the chief found them."""
    admin = world.headers("administrator")
    r = httpx.post(
        f"{base}{API}/users",
        json={
            "username": "leader_g1b_new",
            "display_name": "新网格长",
            "password": PASSWORD,
            "role": "grid_leader",
            "scope_level": "grid",
            "scope_id": world.ids["G1b"],
        },
        headers=admin,
        timeout=30,
    )
    assert r.status_code == 201, r.text
    paired = httpx.post(
        f"{base}{API}/post-pairs",
        json={"grid_a_id": world.ids["G1a"], "grid_b_id": world.ids["G1b"]},
        headers=world.headers("station_chief"),
        timeout=30,
    )
    assert paired.status_code == 201, paired.text
    return r.json()["id"]


def test_a_station_chief_staffs_the_grids_of_their_community(world, browser, app_server):
    base = app_server.base_url
    new_leader = _setup(world, base)
    chief = signed_in(browser, base, "station_chief", DESK, "/map")
    chief.get_by_test_id("nav-admin").click()
    chief.get_by_test_id("admin-people").click()
    expect(chief).to_have_url(re.compile(r"/admin/people"))

    g1b = chief.locator(f'[data-testid="grid-card"][data-code="{world.codes["G1b"]}"]')
    expect(g1b.get_by_test_id("leader-now")).to_contain_text("leader_g1b的名字")
    expect(g1b.get_by_test_id("grid-partner")).to_contain_text("G1a网格")
    expect(chief.get_by_test_id("grid-card")).to_have_count(2)

    # --- 任命: only G1b's other grid leader is offered ---------------------------------------------------------
    g1b.get_by_test_id("leader-appoint").click()
    form = chief.get_by_test_id("appoint-form")
    options = form.get_by_test_id("appoint-select").locator("option:not([disabled])")
    expect(options).to_have_count(1)
    expect(options).to_have_text("新网格长")
    form.get_by_test_id("appoint-select").select_option(str(new_leader))
    _shot(chief, "appoint")
    form.get_by_test_id("appoint-save").click()
    expect(form).to_be_hidden()
    expect(g1b.get_by_test_id("leader-now")).to_contain_text("新网格长")

    g1b.get_by_test_id("leader-history-toggle").click()
    terms = g1b.get_by_test_id("leader-term")
    expect(terms).to_have_count(2)
    expect(terms.nth(0)).to_contain_text("新网格长")
    expect(terms.nth(0)).to_contain_text("任命人：station_chief的名字")
    expect(terms.nth(1)).to_contain_text("leader_g1b的名字")

    # --- the team: add a member, then end the membership ------------------------------------------------------
    g1b.get_by_test_id("member-add").click()
    mform = chief.get_by_test_id("member-form")
    mform.get_by_test_id("member-save").click()
    expect(mform.get_by_test_id("member-error")).to_contain_text("请填写姓名")
    mform.get_by_test_id("member-name").locator("input").fill("王楼长")
    mform.get_by_test_id("member-role").select_option("building_head")
    mform.locator('[data-type="patrol_member"]').click()
    mform.get_by_test_id("member-save").click()
    expect(mform).to_be_hidden()
    member = g1b.locator('[data-testid="team-member"][data-name="王楼长"]')
    expect(member).to_contain_text("楼长")
    expect(member).to_contain_text("巡防队员")

    # --- 修改: a member corrected — another team role, one more staff type; the phone untouched unless typed -----
    member.get_by_test_id("member-edit").click()
    expect(mform.get_by_test_id("member-name").locator("input")).to_have_value("王楼长")
    expect(mform.get_by_test_id("member-role")).to_have_value("building_head")
    mform.get_by_test_id("member-role").select_option("residents_group_leader")
    mform.locator('[data-type="peoples_mediator"]').click()
    mform.get_by_test_id("member-save").click()
    expect(mform).to_be_hidden()
    expect(member).to_contain_text("居民小组长")
    expect(member).to_contain_text("人民调解员")
    expect(member).to_contain_text("巡防队员")
    team = httpx.get(f"{base}{API}/grids/{world.ids['G1b']}/team", headers=world.headers("station_chief"), timeout=30)
    wang = next(m for m in team.json() if m["name"] == "王楼长")
    assert (wang["team_role"], sorted(wang["staff_types"])) == (
        "residents_group_leader",
        ["patrol_member", "peoples_mediator"],
    )
    member.get_by_test_id("member-end").click()
    chief.locator(".van-dialog__confirm").click()
    expect(member.get_by_test_id("member-ends")).to_contain_text("卸任")
    expect(member.get_by_test_id("member-end")).to_have_count(0)

    # --- A/B: end the pair, then pair again from the suggestions ----------------------------------------------
    pair_row = chief.get_by_test_id("pair-row")
    expect(pair_row).to_have_count(1)
    expect(chief.get_by_test_id("suggestions-none")).to_be_visible()
    pair_row.get_by_test_id("pair-end").click()
    chief.locator(".van-dialog__confirm").click()
    expect(pair_row).to_have_count(0)
    expect(g1b.get_by_test_id("grid-partner")).to_contain_text("未结对")
    suggestion = chief.locator(
        f'[data-testid="suggestion-row"][data-a="{world.codes["G1a"]}"][data-b="{world.codes["G1b"]}"]'
    )
    expect(suggestion).to_contain_text("相邻")
    expect(suggestion).to_contain_text("新网格长")
    _shot(chief, "desk")
    suggestion.get_by_test_id("suggestion-accept").click()
    expect(pair_row).to_have_count(1)
    expect(chief.get_by_test_id("suggestions-none")).to_be_visible()
    expect(g1b.get_by_test_id("grid-partner")).to_contain_text("G1a网格")

    pairs = httpx.get(f"{base}{API}/post-pairs", headers=world.headers("station_chief"), timeout=30).json()
    assert [(p["grid_a"]["id"], p["grid_b"]["id"], p["grid_b"]["leader"]["id"]) for p in pairs] == [
        (world.ids["G1a"], world.ids["G1b"], new_leader)
    ]
    leaders = httpx.get(
        f"{base}{API}/grids/{world.ids['G1b']}/leaders", headers=world.headers("station_chief"), timeout=30
    ).json()
    assert [(x["user"]["id"], x["ended_at"] is None) for x in leaders] == [
        (new_leader, True),
        (world.users["leader_g1b"], False),
    ]
    chief.context.close()

    # --- on a phone: the same page fits 360 px ------------------------------------------------------------------
    phone = signed_in(browser, base, "station_chief", PHONE, "/admin/people")
    g1b = phone.locator(f'[data-testid="grid-card"][data-code="{world.codes["G1b"]}"]')
    g1b.get_by_test_id("leader-history-toggle").click()
    expect(g1b.get_by_test_id("leader-term")).to_have_count(2)
    expect(phone.get_by_test_id("pair-row")).to_be_visible()
    _fits(phone)
    label = (
        phone.get_by_test_id("pair-row").locator("td").first.evaluate("e => getComputedStyle(e, '::before').content")
    )
    assert "网格" in label
    _shot(phone, "phone")
    g1b.get_by_test_id("member-add").click()
    expect(phone.get_by_test_id("member-form")).to_be_visible()
    _fits(phone)
    _shot(phone, "member-phone")
    phone.context.close()


def test_a_street_officer_reads_the_staffing_of_their_communities(world, browser, app_server):
    base = app_server.base_url
    officer = signed_in(browser, base, "street_officer", PHONE, "/admin")
    officer.get_by_test_id("admin-people").click()
    expect(officer.get_by_test_id("people-read-only")).to_be_visible()
    choice = officer.get_by_test_id("people-community")
    expect(choice.locator("option")).to_have_count(2)  # C1 and C2 of street S1
    expect(officer.get_by_test_id("grid-card")).to_have_count(2)
    choice.select_option(label="C2社区")
    expect(officer.get_by_test_id("grid-card")).to_have_count(1)
    expect(officer.get_by_test_id("leader-now")).to_contain_text("leader_g2的名字")
    expect(officer.get_by_test_id("leader-appoint")).to_have_count(0)
    expect(officer.get_by_test_id("member-add")).to_have_count(0)
    _fits(officer)
    _shot(officer, "officer-phone")
    officer.context.close()
