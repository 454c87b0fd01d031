"""The demo data through the real command, on both engines: loaded once, unchanged by a second run, and usable —
including a sample of each step around the routes in the queues of the accounts that take it (demo/loop.py)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select

from conftest import TEST_SECRET, make_settings, migrated_database
from support.server import LiveServer
from wangge.accounts.models import User
from wangge.database import create_sync_db_engine
from wangge.demo import history
from wangge.demo.load import DEMO_PASSWORD
from wangge.demo.loop import HOTLINE_ORDERS
from wangge.earlywarning.models import EarlyWarning
from wangge.emergencies.models import ResponseTier, TierMember
from wangge.fieldwork.models import Shift
from wangge.hierarchy.models import Building, Community, Grid, Place, Street
from wangge.matters.models import Matter, MatterEvent
from wangge.models_common import as_utc
from wangge.preparedness.models import DutyDay, ReserveItem
from wangge.registries import personal
from wangge.registries.models import House, Person, RegistryEvent
from wangge.sweeps.models import Sweep, SweepTask

BACKEND = str(Path(__file__).resolve().parents[2] / "backend")  # the code under test, not an installed copy


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Community, Grid, Building, Place, User, Matter, Shift, ResponseTier, TierMember, House, Person)
            + (ReserveItem, DutyDay, EarlyWarning, Sweep, SweepTask, RegistryEvent)
        }


@pytest.mark.long
@pytest.mark.parametrize("engine_name", ["sqlite", "postgres"])
# The demo makes two past months of matters through the services (demo.history): on PostgreSQL on a busy machine the
# first seed alone can take a minute and a half.
@pytest.mark.timeout(300)
def test_seed_demo_is_idempotent_and_matches_the_source(engine_name, request, tmp_path):
    url = migrated_database(engine_name, "wangge_demo", tmp_path, request)
    # The server below reads the registry's identity numbers and phones with the tests' key: seed with the same.
    env = {"WANGGE_DATABASE_URL": url, "WANGGE_SECRET_KEY": TEST_SECRET, "PATH": "/usr/bin:/bin", "PYTHONPATH": BACKEND}
    first = subprocess.run(
        [sys.executable, "-m", "wangge.cli", "seed-demo"], env=env, capture_output=True, text=True, check=True
    )
    assert f"password for all: {DEMO_PASSWORD}" in first.stdout
    for username in ("admin", "street", "dept", "chief", "leader1", "member1", "resident"):
        assert f"  {username} " in first.stdout
    engine = create_sync_db_engine(url)
    try:
        counts = _counts(engine)
        second = subprocess.run(
            [sys.executable, "-m", "wangge.cli", "seed-demo"], env=env, capture_output=True, text=True, check=True
        )
        assert second.stdout == first.stdout
        assert _counts(engine) == counts
        assert counts["communities"] == 3 and counts["users"] >= 7
        # The roster and the first response tier are there to look at (管理 → 排班, 应急梯队).
        leaders = counts["users"] - 7
        assert counts["shifts"] == 6 * leaders and counts["response_tiers"] == 1 and counts["tier_members"] == 3
        # Sample matters, made once through the services: two brought back to the station for the triage board, and
        # the samples of the steps around the routes (an application pending on each of two levels, a verification,
        # callbacks due, a dispute, a joint handling, two hotline orders).
        with engine.connect() as conn:
            # (the two past months for the assessment, demo.history, aside: they are counted below)
            samples = Matter.description.not_in(history.DESCRIPTIONS)
            statuses = sorted(conn.execute(select(Matter.status).where(samples)).scalars())
            # A sample moved back in time keeps its contact's own time with it (the loop's record shows it).
            contact_times = conn.execute(
                select(MatterEvent.at, MatterEvent.data).where(MatterEvent.action == "contact")
            ).all()
            past, latest = conn.execute(
                select(func.count(), func.max(Matter.created_at)).where(Matter.description.in_(history.DESCRIPTIONS))
            ).one()
            by_callback = (
                conn.execute(select(Matter.id).where(samples, Matter.rating_source == "callback")).scalars().all()
            )
            contacts = [
                (order_no, data["contact"]["on_time"])
                for order_no, data in conn.execute(
                    select(Matter.external_id, MatterEvent.data)
                    .join(Matter, Matter.id == MatterEvent.matter_id)
                    .where(MatterEvent.action == "contact", Matter.source == "hotline")
                    .order_by(Matter.external_id)
                )
            ]
        assert statuses == sorted(
            ["at_station"] * 4 + ["accepted"] * 3 + ["resolved"] * 5 + ["submitted"] * 2 + ["verifying", "closed"]
        )
        assert len(by_callback) == 1  # closed by the station's callback, as the resident's rating
        # Last month six matters in each of the main community's ten grids and two in each of the others' eight, the
        # month before three and one: all of them before this month began (Beijing time).
        assert past == 10 * 6 + 8 * 2 + 10 * 3 + 8 * 1
        month_start = datetime.now(ZoneInfo("Asia/Shanghai")).replace(day=1, hour=0, minute=0, second=0)
        assert as_utc(latest) < month_start
        assert contacts == [(HOTLINE_ORDERS[0], True), (HOTLINE_ORDERS[1], False)]  # one in time, one late
        assert len(contact_times) > 50
        for at, data in contact_times:
            assert abs(datetime.fromisoformat(data["contact"]["at"]) - as_utc(at)) < timedelta(minutes=1), (at, data)
        with engine.connect() as conn:
            main_id = conn.execute(select(Community.id).order_by(Community.code)).scalars().first()
            households = conn.execute(select(func.sum(Grid.households)).where(Grid.community_id == main_id)).scalar()
            people = conn.execute(
                select(func.sum(Grid.registered_population + Grid.floating_population)).where(
                    Grid.community_id == main_id
                )
            ).scalar()
            kinds = dict(
                conn.execute(
                    select(Place.category, func.count())
                    .join(Grid, Grid.id == Place.grid_id)
                    .where(Grid.community_id == main_id)
                    .group_by(Place.category)
                ).all()
            )
        assert households == 3654 and 11_800 <= people <= 12_200
        assert kinds == {"institution": 15, "business": 98}
    finally:
        engine.dispose()

    server = LiveServer(make_settings(url)).start()
    try:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:  # the demo's full-cost argon2 hash
            token = client.post("/api/v1/auth/token", data={"username": "chief", "password": DEMO_PASSWORD})
            assert token.status_code == 200, token.text
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            coverage = client.get(f"/api/v1/communities/{main_id}/coverage", headers=headers).json()
            assert coverage["uncovered_area_m2"] < 1 and 0.435e6 < coverage["community_area_m2"] < 0.465e6
            export = client.get("/api/v1/grids/export", headers=headers).json()
            assert len(export["features"]) == coverage["grid_count"] >= 8
            assert all(f["properties"]["leader_name"] for f in export["features"])
            today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
            monday = today - timedelta(days=today.weekday())
            roster = client.get("/api/v1/fieldwork/roster", params={"week": str(monday)}, headers=headers)
            assert roster.status_code == 200, roster.text
            weekdays = [len(d["shifts"]) for d in roster.json()["days"]]
            assert all(n >= 8 for n in weekdays[:5]), weekdays  # the community's eight leaders, Monday to Friday
            tiers = client.get(
                "/api/v1/response-tiers", params={"unit_level": "community", "unit_id": main_id}, headers=headers
            ).json()
            assert [(t["tier"], len(t["members"])) for t in tiers] == [(1, 3)]
            _the_steps_around_the_routes(client, headers, _headers(client, "street"), _headers(client, "dept"))
            _the_registry_and_preparedness(client, url, main_id, headers, _headers(client, "street"))
            # 考核: last month every grid of the main community is graded, and not all alike; the street ranks all
            # three communities.
            last_month = str(today.replace(day=1) - timedelta(days=1))
            grids = client.get(
                "/api/v1/assessment/table",
                params={"level": "grid", "parent_level": "community", "parent_id": main_id, "at": last_month},
                headers=headers,
            ).json()["rows"]
            assert len(grids) == 10 and all(r["rank"] for r in grids)
            assert {"green", "red"} <= {r["grade"] for r in grids}
    finally:
        server.stop()


def _headers(client: httpx.Client, username: str) -> dict[str, str]:
    token = client.post("/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD})
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _the_steps_around_the_routes(client: httpx.Client, chief: dict, street: dict, dept: dict) -> None:
    """Each new queue of the demo accounts has its sample right after `make run`."""

    def get(path: str, headers: dict, **params) -> object:
        answer = client.get(f"/api/v1{path}", headers=headers, params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()

    # 待审批: the grid leader's extension is the station chief's, the station's suspension the street officer's.
    (extension,) = get("/matters/applications", chief)
    assert extension["application"]["kind"] == "extension" and extension["holder_level"] == "grid"
    (suspension,) = get("/matters/applications", street)
    assert suspension["application"]["kind"] == "suspension" and suspension["holder_level"] == "station"
    # 待核查: the illegal structure the grid leader dealt with, for the chief (who did not resolve it) to verify.
    (verifying,) = get("/matters/verifications", chief)
    assert verifying["category"]["code"] == "illegal_construction" and verifying["own"] is False
    # 待回访: resolved days ago and not rated; one already tried once without an answer.
    callbacks = get("/matters/callbacks", chief)
    assert len(callbacks) >= 3 and sorted(c["callback_tries"] for c in callbacks)[-1] == 1
    # 调解: the dispute's parties, two sessions, the agreement and its follow-up.
    disputes = get("/matters", chief, box="all")["items"]
    (dispute,) = [m for m in disputes if m["category"]["code"] == "dispute"]
    mediation = get(f"/matters/{dispute['id']}/loop", chief)["mediation"]
    assert len(mediation["parties"]) == 2 and len(mediation["sessions"]) == 2
    assert mediation["outcome"] == "agreed" and mediation["agreement"] and mediation["follow_up_on"]
    # 协办: the `dept` account's department is convened with another and has recorded its part.
    (joint,) = get("/matters", dept, box="cooperating")["items"]
    cooperators = get(f"/matters/{joint['id']}/loop", dept)["cooperators"]
    assert len(cooperators) == 2 and sum(1 for c in cooperators if c["part"]) == 1
    # 12345: the late order, resolved today, goes back to the hotline with its order number and first contact.
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    orders = get("/matters/hotline/results", street, since=str(today), until=str(today))["orders"]
    assert [(o["order_no"], bool(o["first_contact_at"])) for o in orders] == [(HOTLINE_ORDERS[1], True)]


def _the_registry_and_preparedness(client: httpx.Client, url: str, main_id: int, chief: dict, street: dict) -> None:
    """基础台账, 应急物资 and 值班表 have something to show: leader1's grid registered room by room (and its figures
    the registry's), identity numbers stored only encrypted and found by search, the units' contacts, the main
    station's reserve with a low and an expiring item, and the duty rosters of the coming weeks."""

    def get(path: str, headers: dict, **params) -> object:
        answer = client.get(f"/api/v1{path}", headers=headers, params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()

    leader = _headers(client, "leader1")
    engine = create_sync_db_engine(url)
    try:
        with engine.connect() as conn:
            grid_id = conn.execute(select(Grid.id).where(Grid.community_id == main_id).order_by(Grid.code)).scalar()
            street_id = conn.execute(select(Street.id)).scalar_one()
            sealed = conn.execute(select(Person.id_number_enc).where(Person.grid_id == grid_id).limit(1)).scalar_one()
    finally:
        engine.dispose()
    houses = get(f"/registry/grids/{grid_id}/houses", leader)
    assert {h["use"] for h in houses} == {"owner_occupied", "rented", "vacant", "business"}
    assert all(h["label"].startswith("枫溪商业街") for h in houses)  # each building named with its estate
    lived = [h for h in houses if h["residents"]]
    first = get(f"/registry/grids/{grid_id}/people", leader)
    rest = get(f"/registry/grids/{grid_id}/people", leader, after=first["next_after"])
    people = first["items"] + rest["items"]
    grid = get(f"/grids/{grid_id}", leader)
    # The grid's figures are the registry's, and the demo's as before; the people list is two pages: 200, then 130.
    assert (grid["households"], grid["registered_population"], grid["floating_population"]) == (94, 180, 150)
    assert len(lived) == 94 and (len(first["items"]), first["total"], first["total_exact"]) == (200, 330, True)
    assert len({p["id"] for p in people}) == 330 and rest["next_after"] is None
    assert {"head", "spouse", "child"} <= {p["relation"] for p in people}
    assert any(p["special_groups"] for p in people)
    assert all("*" in p["id_number"] and "*" in (p["phone"] or "*") for p in people)
    tenancies = get(f"/registry/grids/{grid_id}/tenancies", leader)["items"]
    assert any(t["end_on"] is None for t in tenancies) and any(t["end_on"] for t in tenancies)
    kinds = {e["kind"] for e in get(f"/registry/grids/{grid_id}/events", leader)}
    assert {"moved_in", "moved_out", "tenancy_started", "tenancy_ended", "died", "groups_changed"} <= kinds
    renewals = get(f"/registry/grids/{grid_id}/renewals", leader)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert renewals and renewals[0]["registration_due"] < str(today) and renewals[0]["residence"] == "floating"
    units = get(f"/registry/grids/{grid_id}/units", leader)
    assert units and all(u["contact_person"] and u["duty_phone"] for u in units)
    # No identity number in clear in the table; each is a valid one, found by an exact search.
    number = personal.decrypt(make_settings(url), sealed, field="id_number")
    assert number and number not in sealed and personal.normalise_id_number(number) == number
    assert 1920 <= int(number[6:10]) <= today.year
    (found,) = get("/registry/people", leader, id_number=number)
    assert found["id_number"] == personal.mask_id_number(number)
    # 逐户排查: the chief's open 出租房屋普查 over leader1's grid, part of it ticked (one 异常 with its note, some
    # 无人在家); leader1 has it among their campaigns with the same progress, each tick a registry event.
    (sweep,) = get("/sweeps", chief, status="open")
    progress = sweep["progress"]
    assert (sweep["title"], sweep["purpose"], sweep["grid_ids"], sweep["overdue"]) == (
        "出租房屋普查", "rental_census", [grid_id], False
    )  # fmt: skip
    assert progress["total"] == len(houses) and 0 < progress["done"] < progress["total"]
    assert progress["abnormal"] == 1 and progress["revisit"] >= 1 and progress["not_yet"] > 0
    (mine,) = get("/sweeps", leader)
    assert mine["id"] == sweep["id"] and mine["progress"] == progress and mine["may_tick"]
    tasks = get(f"/sweeps/{sweep['id']}/tasks", leader)["items"]
    (odd,) = [t for t in tasks if t["result"] == "abnormal"]
    assert odd["note"] and odd["ticked_by_name"] and odd["ticks"] == 1
    swept = [e for e in get(f"/registry/grids/{grid_id}/events", leader) if e["kind"] == "swept"]
    assert swept and all(e["detail"]["sweep_id"] == sweep["id"] for e in swept)
    # 应急物资: the main station's items with their alerts; the street's own.
    reserve = get("/reserve/items", chief, unit_level="community", unit_id=main_id)
    assert len(reserve["items"]) >= 8 and reserve["alerts"]["low"] >= 1 and reserve["alerts"]["expiring"] >= 1
    assert get("/reserve/items", street, unit_level="street", unit_id=street_id)["items"]
    # 预警: a past warning to the main community's grids, lifted, acknowledged by most of their leaders.
    (warning,) = get("/warnings", chief)
    assert warning["status"] == "lifted"
    assert get("/warnings", leader) and get(f"/warnings/{warning['id']}", chief)
    # 值班表: every day of the coming weeks has someone on duty with the duty phone, at the station and the street.
    for unit_level, unit_id, headers in (("community", main_id, chief), ("street", street_id, street)):
        for day in (today, today + timedelta(days=21)):
            roster = get("/duty-roster", headers, unit_level=unit_level, unit_id=unit_id, month=f"{day:%Y-%m}")
            (on_day,) = [d for d in roster["days"] if d["day"] == str(day)]
            assert on_day["user"]["name"] and on_day["duty_phone"]
