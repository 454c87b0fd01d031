"""Household sweeps 逐户排查: a campaign makes one task per house of its grids; ticks and the progress per grid,
building and campaign; offline ticks that arrive once (Idempotency-Key); scope (404 outside, covering partner in);
a closed campaign refuses ticks; the XLSX export names its exporter."""

from __future__ import annotations

import io
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from openpyxl import load_workbook
from shapely.geometry import Point
from sqlalchemy import func, select

from conftest import assert_problem
from fieldwork.people_helpers import on_leave, pair
from matters.test_lists import statements
from registries.helpers import API as REG
from registries.helpers import house
from support.world import grid_point
from sweeps.helpers import API, detail, houses, sweep, tasks, tick
from wangge import geo
from wangge.hierarchy.models import Building
from wangge.models_common import utcnow
from wangge.registries.models import RegistryEvent

COUNTS = ("total", "done", "abnormal", "revisit", "not_yet", "missed")


def _counts(p: dict) -> tuple[int, ...]:
    return tuple(p[k] for k in COUNTS)


def test_a_campaign_makes_exactly_one_task_per_house_of_its_grids(world, client):
    a = houses(client, world, "G1a", ["101", "102", "201"])
    r = client.patch(f"{REG}/houses/{a[2]['id']}", json={"use": "vacant"}, headers=world.headers("station_chief"))
    assert r.status_code == 200  # a vacant house is a household to check too (不漏户)
    b = houses(client, world, "G1b", ["101", "102"])
    houses(client, world, "G2", ["101"], unit="", who="administrator")  # not chosen
    grids = client.get(f"{API}/grids", headers=world.headers("station_chief")).json()
    assert {g["name"]: g["houses"] for g in grids} == {"G1a网格": 3, "G1b网格": 2}  # the chief's community only

    s = sweep(client, world, ["G1a", "G1b"])
    assert s["status"] == "open" and s["grid_names"] == ["G1a网格", "G1b网格"]
    assert _counts(s["progress"]) == (5, 0, 0, 0, 5, 5)
    got = tasks(client, world, s["id"])
    assert sorted(t["house_id"] for t in got) == sorted(h["id"] for h in a + b)
    assert {t["use"] for t in got} == {"owner_occupied", "vacant"}
    assert [(g["grid_name"], g["total"]) for g in s["grids"]] == [("G1a网格", 3), ("G1b网格", 2)]

    # Grids outside the maker's area, a due date past or before the start: refused, nothing made.
    outside = sweep(client, world, ["G1a", "G2"], expect=422)
    assert outside["errors"][0]["loc"] == ["body", "grid_ids"]
    past = sweep(client, world, ["G1a"], expect=422, due_on=(utcnow() - timedelta(days=3)).date().isoformat())
    assert past["code"] == "sweep-dates"
    assert assert_problem(client.post(API, json={}, headers=world.headers("grid_leader")), 403)
    # The street officer sweeps any grid of the street.
    street = sweep(client, world, ["G1a", "G2"], who="street_officer", purpose="rental_census", title="出租房屋普查")
    assert street["progress"]["total"] == 4 and street["community_id"] is None


def test_ticks_and_progress_per_grid_building_and_campaign(world, live, client):
    with live.session() as db:
        lon, lat = grid_point("G1a")
        other = Building(grid_id=world.ids["G1a"], name="G1a-2栋", households=4, geom=geo.to_db(Point(lon, lat)))
        db.add(other)
        db.commit()
        other_id = other.id
    one = houses(client, world, "G1a", ["101", "102", "201"])
    r = client.post(
        f"{REG}/grids/{world.ids['G1a']}/houses",
        json={"building_id": other_id, "unit": "", "floor": 1, "room": "101"},
        headers=world.headers("station_chief"),
    )
    assert r.status_code == 201, r.text
    houses(client, world, "G1b", ["101"])
    s = sweep(client, world, ["G1a", "G1b"])
    by_house = {t["house_id"]: t for t in tasks(client, world, s["id"])}

    def t(h: dict) -> int:
        return by_house[h["id"]]["id"]

    assert tick(client, world, s["id"], t(one[0])).status_code == 200
    no_note = tick(client, world, s["id"], t(one[1]), result="abnormal")
    assert assert_problem(no_note, 422)["code"] == "sweep-note-required"
    ab = tick(client, world, s["id"], t(one[1]), result="abnormal", note="发热，已报社区卫生站")
    assert ab.status_code == 200 and ab.json()["result"] == "abnormal" and ab.json()["ticked_by_name"]
    assert tick(client, world, s["id"], t(one[2]), result="absent").status_code == 200

    d = detail(client, world, s["id"])
    assert _counts(d["progress"]) == (5, 2, 1, 1, 2, 3)
    assert {g["grid_name"]: _counts(g) for g in d["grids"]} == {
        "G1a网格": (4, 2, 1, 1, 1, 2),
        "G1b网格": (1, 0, 0, 0, 1, 1),
    }
    assert {b["building_name"]: _counts(b) for b in d["buildings"]} == {
        "G1a-1栋": (3, 2, 1, 1, 0, 1),
        "G1a-2栋": (1, 0, 0, 0, 1, 1),
        "G1b-1栋": (1, 0, 0, 0, 1, 1),
    }
    missed = tasks(client, world, s["id"], state="missed")
    assert sorted(x["label"] for x in missed) == ["G1a-1栋1单元201", "G1a-2栋101", "G1b-1栋1单元101"]
    assert [x["label"] for x in tasks(client, world, s["id"], state="abnormal")] == ["G1a-1栋1单元102"]
    assert len(tasks(client, world, s["id"], building_id=other_id)) == 1
    # The revisit finds them at home: the household is done.
    assert tick(client, world, s["id"], t(one[2]), result="normal").json()["ticks"] == 2
    assert _counts(detail(client, world, s["id"])["progress"]) == (5, 3, 1, 0, 2, 2)
    listed = client.get(API, params={"status": "open"}, headers=world.headers("station_chief")).json()
    assert [(x["id"], x["progress"]["done"]) for x in listed] == [(s["id"], 3)]
    # Each tick is a registry event, by whom and when.
    events = client.get(f"{REG}/grids/{world.ids['G1a']}/events", headers=world.headers("station_chief")).json()
    swept = [e for e in events if e["kind"] == "swept"]
    assert len(swept) == 4 and all(e["recorded_by"] == "grid_leader的名字" for e in swept)
    assert {e["detail"]["result"] for e in swept} == {"normal", "abnormal", "absent"}


def test_progress_asks_the_same_questions_for_two_households_as_for_twelve(world, live, client):
    def asked(s: dict) -> tuple[int, int]:
        with statements(live) as seen:
            d = detail(client, world, s["id"])
            client.get(API, headers=world.headers("station_chief")).raise_for_status()
            tasks(client, world, s["id"], state="missed")
        return d["progress"]["total"], len(seen)

    houses(client, world, "G1a", ["101"])
    houses(client, world, "G1b", ["101"])
    few = sweep(client, world, ["G1a", "G1b"])
    houses(client, world, "G1a", ["102", "201", "202", "301", "302"], unit="1")
    houses(client, world, "G1a", ["101", "102"], unit="2")
    houses(client, world, "G1b", ["102", "201", "202"])
    many = sweep(client, world, ["G1a", "G1b"])
    for task in tasks(client, world, many["id"])[:5]:
        assert tick(client, world, many["id"], task["id"], result="absent").status_code == 200
    (n_few, asked_few), (n_many, asked_many) = asked(few), asked(many)
    assert (n_few, n_many) == (2, 12)
    assert asked_many == asked_few


def test_a_sweep_with_offline_ticks_that_arrive_once(world, live, client):
    h = house(client, world, room="101")
    s = sweep(client, world, ["G1a"])
    task = tasks(client, world, s["id"])[0]["id"]
    key = str(uuid.uuid4())
    made = (utcnow() - timedelta(minutes=30)).isoformat()  # ticked offline half an hour ago
    first = tick(client, world, s["id"], task, key=key, result="absent", ticked_at=made)
    again = tick(client, world, s["id"], task, key=key, result="absent", ticked_at=made)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.headers.get("Idempotent-Replayed") == "true"
    assert first.json()["ticks"] == 1

    def events() -> int:
        with live.session() as db:
            return db.scalar(
                select(func.count())
                .select_from(RegistryEvent)
                .where(RegistryEvent.house_id == h["id"], RegistryEvent.kind == "swept")
            )

    assert events() == 1
    other = tick(client, world, s["id"], task, key=key, result="normal")
    assert assert_problem(other, 422)["code"] == "idempotency-key-reused"
    assert events() == 1
    # A later tick (another key) updates the household; an earlier one arriving after it is history only.
    later = tick(client, world, s["id"], task, key=str(uuid.uuid4()), result="normal")
    assert later.json()["result"] == "normal" and later.json()["ticks"] == 2
    older = (utcnow() - timedelta(hours=2)).isoformat()
    stale = tick(client, world, s["id"], task, key=str(uuid.uuid4()), result="vacant", ticked_at=older)
    assert stale.json()["result"] == "normal" and stale.json()["ticks"] == 3
    assert events() == 3
    assert detail(client, world, s["id"])["progress"]["done"] == 1

    # The phone resends while the first copy is still on its way: both answer the same, one is recorded.
    twin = str(uuid.uuid4())
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: tick(client, world, s["id"], task, key=twin, result="absent"), range(2)))
    assert [a.status_code for a in answers] == [200, 200] and answers[0].json() == answers[1].json()
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    assert events() == 4 and answers[0].json()["ticks"] == 4


def test_scope_leader_elsewhere_is_404_and_the_covering_partner_ticks(world, client):
    a, b = house(client, world, grid="G1a", room="101"), house(client, world, grid="G1b", room="101")
    s = sweep(client, world, ["G1a", "G1b"])
    by_house = {t["house_id"]: t["id"] for t in tasks(client, world, s["id"])}
    ta, tb = by_house[a["id"]], by_house[b["id"]]
    for who in ("leader_g2", "chief_c3", "chief_c4"):
        assert assert_problem(client.get(f"{API}/{s['id']}", headers=world.headers(who)), 404)
        assert client.get(API, headers=world.headers(who)).json() == []
    assert assert_problem(tick(client, world, s["id"], ta, who="leader_g2"), 404)
    assert assert_problem(client.get(f"{API}/{s['id']}/results.xlsx", headers=world.headers("leader_g2")), 404)
    assert assert_problem(client.get(API, headers=world.headers("resident")), 403)
    # A leader sees their grid's share only; another grid's household is not theirs.
    mine = detail(client, world, s["id"], who="leader_g1b")
    assert mine["grid_names"] == ["G1b网格"] and mine["progress"]["total"] == 1
    assert [t["id"] for t in tasks(client, world, s["id"], who="leader_g1b")] == [tb]
    assert assert_problem(tick(client, world, s["id"], ta, who="leader_g1b"), 404)
    # Street officers read but do not tick; the grid's member does.
    assert assert_problem(tick(client, world, s["id"], ta, who="street_officer"), 403)
    assert detail(client, world, s["id"], who="street_officer")["progress"]["total"] == 2
    assert tick(client, world, s["id"], ta, who="grid_member").status_code == 200
    # While G1a's leader is on leave, the A/B partner (G1b's leader) covers G1a: they tick its households.
    pair(client, world, "G1a", "G1b")
    now = utcnow()
    on_leave(client, world, "grid_leader", now - timedelta(hours=1), now + timedelta(days=1))
    covering = tick(client, world, s["id"], ta, who="leader_g1b", result="vacant")
    assert covering.status_code == 200 and covering.json()["ticked_by_name"] == "leader_g1b的名字"
    assert detail(client, world, s["id"], who="leader_g1b")["progress"]["total"] == 2


def test_a_closed_campaign_refuses_ticks(world, client):
    house(client, world, room="101")
    house(client, world, room="102")
    s = sweep(client, world, ["G1a"])
    t1, t2 = (t["id"] for t in tasks(client, world, s["id"]))
    key = str(uuid.uuid4())
    assert tick(client, world, s["id"], t1, key=key).status_code == 200
    assert assert_problem(client.post(f"{API}/{s['id']}/close", headers=world.headers("grid_leader")), 403)
    assert assert_problem(client.post(f"{API}/{s['id']}/close", headers=world.headers("chief_c3")), 404)
    closed = client.post(f"{API}/{s['id']}/close", headers=world.headers("station_chief"))
    assert closed.status_code == 200 and closed.json()["status"] == "closed" and not closed.json()["may_close"]
    refused = assert_problem(tick(client, world, s["id"], t2), 409)
    assert refused["code"] == "sweep-closed"
    assert tick(client, world, s["id"], t1, key=key).status_code == 200  # a replay of an earlier tick still answers
    again = client.post(f"{API}/{s['id']}/close", headers=world.headers("station_chief"))
    assert assert_problem(again, 409)["code"] == "sweep-closed"
    assert _counts(detail(client, world, s["id"])["progress"]) == (2, 1, 0, 0, 1, 1)
    # A campaign not started yet takes no ticks either.
    later = sweep(client, world, ["G1a"], start_on=(utcnow() + timedelta(days=3)).date().isoformat())
    task = tasks(client, world, later["id"])[0]["id"]
    assert assert_problem(tick(client, world, later["id"], task), 409)["code"] == "sweep-not-started"
    assert not later["may_tick"]


def test_the_export_has_the_rows_and_the_exporter(world, client):
    a = houses(client, world, "G1a", ["101", "102"])
    houses(client, world, "G1b", ["101"])
    s = sweep(client, world, ["G1a", "G1b"])
    by_house = {t["house_id"]: t["id"] for t in tasks(client, world, s["id"])}
    tick(client, world, s["id"], by_house[a[0]["id"]], result="abnormal", note="燃气管老化")
    r = client.get(f"{API}/{s['id']}/results.xlsx", headers=world.headers("station_chief"))
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb["排查结果"]
    assert "冬季疫情排查" in ws["A1"].value and "station_chief的名字" in ws["A3"].value and "导出时间" in ws["A3"].value
    rows = [row for row in ws.iter_rows(min_row=5, values_only=True)]
    assert len(rows) == 3
    assert [(row[5], row[7], row[8]) for row in rows] == [
        ("G1a-1栋1单元101", "异常", "燃气管老化"),
        ("G1a-1栋1单元102", "未排查", None),
        ("G1b-1栋1单元101", "未排查", None),
    ]
    progress = list(wb["进度"].iter_rows(min_row=2, values_only=True))
    assert progress == [("G1a网格", 2, 1, 1, 0, 1, 1), ("G1b网格", 1, 0, 0, 0, 1, 1)]
    # A leader's export holds their grid's households only.
    mine = client.get(f"{API}/{s['id']}/results.xlsx", headers=world.headers("leader_g1b"))
    assert len(list(load_workbook(io.BytesIO(mine.content))["排查结果"].iter_rows(min_row=5))) == 1
