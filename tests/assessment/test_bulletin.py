"""The monthly bulletin 通报: written by the worker's rounds on the first working day of a month (not before it, not
twice), one per street from the frozen month, announced to exactly that street's officers; read by street officers
of the street and administrators above it (404 for others' streets), as JSON and as an XLSX that says the same."""

from __future__ import annotations

import asyncio
import io
import threading
from datetime import date, datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select, update

from conftest import assert_problem, make_settings
from matters.deliver import deliver
from matters.helpers import matter_id, submit
from wangge.accounts.models import User
from wangge.assessment.models import AssessmentBulletin, AssessmentResult
from wangge.database import Database
from wangge.matters.models import Matter
from wangge.notify.models import Notification, OutboxEvent
from wangge.notify.worker import OutboxWorker
from wangge.workcalendar import SHANGHAI

API = "/api/v1/assessment/bulletins"


def beijing(y: int, m: int, d: int, hour: int = 10) -> datetime:
    return datetime(y, m, d, hour, tzinfo=SHANGHAI)


def rounds_at(live, when: datetime) -> dict[str, int]:
    """One periodic round of a worker whose clock reads `when`."""
    done: list[dict[str, int]] = []

    settings = make_settings(live.settings.database_url, monthly_bulletins=True)

    async def run() -> None:
        db = Database(settings.database_url)
        try:
            async with OutboxWorker(db, settings, clock=lambda: when) as worker:
                done.append(await worker.rounds())
        finally:
            await db.dispose()

    t = threading.Thread(target=lambda: asyncio.run(run()))
    t.start()
    t.join()
    return done[0]


def _october_matter(client, live, grid: str, *, overdue: bool) -> str:
    code = submit(client, grid=grid)["tracking_code"]
    created = beijing(2026, 10, 12)
    values = {"created_at": created}
    if overdue:  # still open, its deadline long gone
        values |= {"due_at": created + timedelta(days=2)}
    with live.session() as s:
        s.execute(update(Matter).where(Matter.id == matter_id(live, code)).values(**values))
        s.commit()
    return code


def _bulletin_events(live) -> list[OutboxEvent]:
    with live.session() as s:
        return list(
            s.execute(
                select(OutboxEvent).where(OutboxEvent.topic == "assessment.bulletin").order_by(OutboxEvent.id)
            ).scalars()
        )


def _officer(live, world, username: str, street: str, *, active: bool = True) -> int:
    with live.session() as s:
        u = User(
            username=username,
            display_name=username,
            role="street_officer",
            scope_level="street",
            password_hash=live.password_hash,
            district_id=world.ids["D1"],
            street_id=world.ids[street],
            is_active=active,
        )
        s.add(u)
        s.commit()
        return u.id


def test_the_first_working_day_writes_each_street_one_bulletin_told_to_its_officers(world, client, live):
    late_s1 = _october_matter(client, live, "G1a", overdue=True)
    late_c2 = _october_matter(client, live, "G2", overdue=True)
    _october_matter(client, live, "G1b", overdue=False)
    late_s2 = _october_matter(client, live, "G3", overdue=True)
    second_s1 = _officer(live, world, "officer_s1_b", "S1")
    inactive_s1 = _officer(live, world, "officer_s1_gone", "S1", active=False)
    officer_s2 = _officer(live, world, "officer_s2", "S2")

    # 1 November 2026 is a Sunday: nothing yet. The National Day week is not October's first working day either.
    assert rounds_at(live, beijing(2026, 11, 1))["bulletins"] == 0
    assert rounds_at(live, beijing(2026, 10, 5))["bulletins"] == 0
    assert _bulletin_events(live) == []
    # Monday 2 November: October's bulletins, one per active street.
    assert rounds_at(live, beijing(2026, 11, 2, 7))["bulletins"] == 3
    # Not twice: a later round the same day, or a later day, writes nothing and tells nobody again.
    assert rounds_at(live, beijing(2026, 11, 2, 15))["bulletins"] == 0
    assert rounds_at(live, beijing(2026, 11, 3))["bulletins"] == 0
    events = _bulletin_events(live)
    assert len(events) == 3

    deliver(live)
    by_street: dict[int, set[int]] = {}
    with live.session() as s:
        for e in events:
            users = s.execute(select(Notification.user_id).where(Notification.event_id == e.event_id)).scalars()
            by_street[e.payload["data"]["street_id"]] = set(users)
    assert by_street[world.ids["S1"]] == {world.users["street_officer"], second_s1}
    assert by_street[world.ids["S2"]] == {officer_s2}
    assert by_street[world.ids["S3"]] == set()
    assert inactive_s1 not in set().union(*by_street.values())

    officer = world.headers("street_officer")
    listed = client.get(API, headers=officer)
    assert listed.status_code == 200, listed.text
    assert [(b["street"]["name"], b["month"]) for b in listed.json()] == [("一街道", "2026-10")]
    b = client.get(f"{API}/{listed.json()[0]['id']}", headers=officer).json()
    data = b["data"]
    assert data["month"] == "2026-10"
    assert (data["period"]["start"], data["period"]["end"]) == ("2026-10-01", "2026-10-31")
    assert {r["unit"]["name"] for r in data["ranking"]} == {"C1社区", "C2社区"}
    assert {m["tracking_code"] for m in data["overdue"]} == {late_s1, late_c2}
    assert data["overdue_total"] == 2 and late_s2 not in str(data)
    named = {m["tracking_code"]: m for m in data["overdue"]}
    assert named[late_s1]["category"] == "环境卫生" and named[late_s1]["grid"] == "G1a网格"
    assert named[late_s1]["overdue_hours"] > 0
    assert len(data["best"]) <= 3 and len(data["worst"]) <= 3
    assert not {r["unit"]["id"] for r in data["best"]} & {r["unit"]["id"] for r in data["worst"]}
    if data["scheme"] is not None:
        assert b["scheme"]["version"] >= 1

    # The XLSX says what the JSON says.
    x = client.get(f"{API}/{b['id']}.xlsx", headers=officer)
    assert x.status_code == 200, x.text
    assert x.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(x.content))
    assert wb.sheetnames == ["通报", "先进与后进", "超期事项"]
    sheet = [[c for c in row] for row in wb["通报"].iter_rows(values_only=True)]
    assert sheet[0][0] == "一街道 2026年10月 考核通报"
    info = {row[0]: row[1] for row in sheet[1:8] if row and row[0]}
    assert info["统计期间"].endswith("（2026-10-01 至 2026-10-31）")
    assert info["导出人"] == "street_officer的名字" and info["导出时间"]
    header = next(i for i, row in enumerate(sheet) if row[0] == "排名")
    ranked = [row for row in sheet[header + 1 :] if row[1]]
    assert [row[1] for row in ranked] == [r["unit"]["name"] for r in data["ranking"]]
    assert [row[0] for row in ranked] == [r["rank"] for r in data["ranking"]]
    overdue_rows = list(wb["超期事项"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in overdue_rows] == [m["tracking_code"] for m in data["overdue"]]
    assert [r[1] for r in overdue_rows] == [m["category"] for m in data["overdue"]]


def test_bulletins_are_read_only_within_their_streets(world, client, live):
    assert rounds_at(live, beijing(2026, 11, 2))["bulletins"] == 3
    everything = client.get(API, headers=world.headers("system_admin"))
    assert everything.status_code == 200
    ids = {b["street"]["name"]: b["id"] for b in everything.json()}
    assert set(ids) == {"一街道", "二街道", "三街道"}
    assert (
        client.get(API, params={"street_id": world.ids["S2"]}, headers=world.headers("system_admin")).json()[0]["id"]
        == ids["二街道"]
    )

    for who in ("street_officer", "administrator"):  # both bound to 一街道
        h = world.headers(who)
        assert [b["id"] for b in client.get(API, headers=h).json()] == [ids["一街道"]]
        assert client.get(API, params={"street_id": world.ids["S2"]}, headers=h).json() == []
        assert client.get(f"{API}/{ids['一街道']}", headers=h).status_code == 200
        for other in ("二街道", "三街道"):
            assert_problem(client.get(f"{API}/{ids[other]}", headers=h), 404)
            assert_problem(client.get(f"{API}/{ids[other]}.xlsx", headers=h), 404)
    assert_problem(client.get(f"{API}/999999", headers=world.headers("system_admin")), 404)
    assert_problem(client.get(f"{API}/0", headers=world.headers("system_admin")), 422)
    for who in ("station_chief", "grid_leader", "department_officer"):
        assert_problem(client.get(API, headers=world.headers(who)), 403)
        assert_problem(client.get(f"{API}/{ids['一街道']}", headers=world.headers(who)), 403)
    assert_problem(client.get(API), 401)


def _frozen(live, level: str, unit: int, score: float | None, rank: int | None = None) -> None:
    rate = {"num": 9, "den": 10, "value": 0.9}
    with live.session() as s:
        s.add(
            AssessmentResult(
                level=level,
                unit_id=unit,
                month=date(2026, 10, 1),
                figures={"received": 10, "resolved": 9, "response_rate": rate, "overdue": 1},
                score=score,
                grade=None if score is None else "green" if score >= 90 else "yellow" if score >= 75 else "red",
                rank=rank,
            )
        )
        s.commit()


def test_the_bulletin_ranks_from_the_frozen_month_with_the_best_and_worst_grids(world, client, live):
    # October as frozen earlier (freeze_month leaves stored units alone): the bulletin says what the month says.
    _frozen(live, "grid", world.ids["G1a"], 95.0)
    _frozen(live, "grid", world.ids["G1b"], 62.5)
    _frozen(live, "grid", world.ids["G2"], 80.0)
    _frozen(live, "grid", world.ids["G3"], 99.0)  # 二街道's: not in 一街道's lists
    _frozen(live, "community", world.ids["C2"], 88.0, rank=1)
    _frozen(live, "community", world.ids["C1"], 71.0, rank=2)
    assert rounds_at(live, beijing(2026, 11, 2))["bulletins"] == 3
    h = world.headers("street_officer")
    bid = client.get(API, headers=h).json()[0]["id"]
    data = client.get(f"{API}/{bid}", headers=h).json()["data"]
    assert [(r["unit"]["name"], r["rank"], r["score"]) for r in data["ranking"]] == [
        ("C2社区", 1, 88.0),
        ("C1社区", 2, 71.0),
    ]
    assert data["ranking"][0]["figures"]["response_rate"] == {"num": 9, "den": 10, "value": 0.9}
    # Three scored grids: the better two are the best, the last one the worst.
    assert [(r["unit"]["name"], r["community"]) for r in data["best"]] == [("G1a网格", "C1社区"), ("G2网格", "C2社区")]
    assert [r["unit"]["name"] for r in data["worst"]] == ["G1b网格"]
    assert data["best_worst_level"] == "grid"

    wb = load_workbook(io.BytesIO(client.get(f"{API}/{bid}.xlsx", headers=h).content))
    rows = [r for r in wb["先进与后进"].iter_rows(values_only=True)]
    best_at = next(i for i, r in enumerate(rows) if r[0] == "前三名")
    worst_at = next(i for i, r in enumerate(rows) if r[0] == "后三名")
    assert rows[best_at + 1][:5] == ("名次", "网格", "社区", "得分", "等级")
    assert [r[1:4] for r in rows[best_at + 2 : best_at + 4]] == [("G1a网格", "C1社区", 95), ("G2网格", "C2社区", 80)]
    assert rows[worst_at + 2][1:5] == ("G1b网格", "C1社区", 62.5, "红")
    ranking = [r for r in wb["通报"].iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(ranking) if r[0] == "排名")
    header = ranking[at]
    first = dict(zip(header, ranking[at + 1], strict=False))
    assert (first["单位"], first["排名"], first["得分"]) == ("C2社区", 1, 88)
    assert (first["响应率"], first["响应率·分子"], first["响应率·分母"]) == (0.9, 9, 10)
    cell = wb["通报"].cell(row=at + 2, column=list(header).index("响应率") + 1)
    assert cell.number_format == "0.00%"


def test_two_workers_on_the_first_working_day_write_each_bulletin_once(world, client, live):
    """Two workers' rounds at once: whichever writes a street's bulletin first, the other's insert does nothing (or
    its whole round fails and is retried later), so each street has one bulletin and its officers one notice."""
    results: list[dict[str, int]] = []
    threads = [
        threading.Thread(target=lambda: results.append(rounds_at(live, beijing(2026, 11, 2, 9)))) for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2
    assert sum(r.get("bulletins", 0) for r in results) <= 3
    rounds_at(live, beijing(2026, 11, 2, 10))  # a later round writes whatever a failed one left
    events = _bulletin_events(live)
    assert sorted(e.payload["data"]["street_id"] for e in events) == sorted(world.ids[s] for s in ("S1", "S2", "S3"))
    with live.session() as s:
        count = s.execute(select(func.count()).select_from(AssessmentBulletin)).scalar_one()
    assert count == 3
