"""The desk's table of patrols (GET /patrols/table): each filter, both sorts in keyset pages with no patrol skipped or
repeated when they start at the same time, the count that stops at its cap, the scope no filter widens, no coordinate
shown, the same questions for many rows as for few, and 422 (never 500) for what is malformed."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from conftest import assert_problem
from matters.test_lists import statements
from wangge import tables
from wangge.fieldwork.models import CheckIn, Patrol, PatrolFinding
from wangge.hierarchy.models import Building

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # 09:00 on 2 November in Beijing
URL = "/api/v1/patrols/table"
SERIAL = itertools.count()


def _add(live, world, rows: list[dict[str, Any]]) -> list[int]:
    ids = []
    with live.session() as s:
        building = s.execute(select(Building.id).where(Building.grid_id == world.ids["G1a"])).scalars().first()
        for row in rows:
            row = dict(row)
            checkins, findings = row.pop("checkins", 0), row.pop("findings", 0)
            p = Patrol(
                client_id=f"table-{next(SERIAL)}",
                user_id=world.users[row.pop("user", "grid_leader")],
                grid_id=world.ids[row.pop("grid", "G1a")],
                started_at=row.pop("started_at", T0),
                distance_m=row.pop("distance_m", 1200.0),
                point_count=row.pop("point_count", 30),
                **row,
            )
            s.add(p)
            s.flush()
            for k in range(checkins):
                s.add(CheckIn(patrol_id=p.id, building_id=building, client_id=f"c{k}", at=p.started_at))
            for k in range(findings):
                s.add(PatrolFinding(patrol_id=p.id, client_id=f"f{k}", at=p.started_at, note="垃圾"))
            ids.append(p.id)
        s.commit()
    return ids


def _page(client, world, who: str = "station_chief", **params: Any) -> dict[str, Any]:
    r = client.get(URL, params={"limit": 200, **params}, headers=world.headers(who))
    assert r.status_code == 200, r.text
    return r.json()


def _ids(client, world, who: str = "station_chief", **params: Any) -> list[int]:
    return [p["id"] for p in _page(client, world, who, **params)["items"]]


def test_filters_rows_and_scope(world, client, live):
    a, b, c, d, elsewhere = _add(
        live,
        world,
        [
            {"ended_at": T0 + timedelta(minutes=90), "checkins": 2, "findings": 1},
            {"started_at": T0 + timedelta(days=1), "grid": "G1b", "user": "leader_g1b", "flagged_count": 2},
            {"started_at": T0 + timedelta(days=2), "ended_at": T0 + timedelta(days=2, hours=1)},
            {"started_at": T0 + timedelta(days=3), "user": "grid_member"},
            {"started_at": T0 + timedelta(days=4), "grid": "G2", "user": "leader_g2"},
        ],
    )
    assert _ids(client, world) == [d, c, b, a]  # newest first; never C2's
    assert _ids(client, world, sort="started") == [a, b, c, d]
    assert _ids(client, world, grid_id=world.ids["G1b"]) == [b]
    assert _ids(client, world, grid_id=world.ids["G2"]) == []  # a filter never reaches past the scope
    assert _ids(client, world, user_id=world.users["grid_member"]) == [d]
    assert _ids(client, world, started_from="2026-11-03", started_to="2026-11-04") == [c, b]
    assert _ids(client, world, state="ongoing") == [d, b]
    assert _ids(client, world, state="ended") == [c, a]
    assert _ids(client, world, flagged=True) == [b]
    assert _ids(client, world, flagged=False) == [d, c, a]
    assert sorted(_ids(client, world, "street_officer")) == sorted([a, b, c, d, elsewhere])
    assert _ids(client, world, "chief_c3") == []
    row = next(p for p in _page(client, world)["items"] if p["id"] == a)
    assert row["leader"] == {"id": world.users["grid_leader"], "name": "grid_leader的名字"}
    assert row["grid"]["id"] == world.ids["G1a"]
    assert (row["duration_s"], row["distance_m"], row["point_count"]) == (5400, 1200.0, 30)
    assert (row["checkin_count"], row["finding_count"], row["flagged_count"]) == (2, 1, 0)
    assert not {"lat", "lon", "track", "points"} & set(row)  # a track is personal: no coordinate on the desk
    assert next(p for p in _page(client, world)["items"] if p["id"] == d)["duration_s"] is None


@pytest.mark.parametrize("who", ["grid_leader", "grid_member", "department_officer", "resident"])
def test_only_chiefs_street_officers_and_administrators_read_it(world, client, who):
    assert_problem(client.get(URL, headers=world.headers(who)), 403)


@pytest.mark.parametrize("sort", ["-started", "started"])
def test_pages_hold_every_patrol_once_when_they_start_together(world, client, live, monkeypatch, sort):
    ids = _add(live, world, [{"started_at": T0 + timedelta(hours=n // 3)} for n in range(10)])
    everything = _ids(client, world, sort=sort)
    assert sorted(everything) == ids
    for size in (1, 3, 4):
        seen, after = [], None
        while True:
            page = _page(client, world, sort=sort, limit=size, **({"after": after} if after else {}))
            seen += [p["id"] for p in page["items"]]
            after = page["next_after"]
            if after is None:
                break
        assert seen == everything, size
    other = _page(client, world, sort=sort, limit=2)["next_after"]
    flipped = "started" if sort == "-started" else "-started"
    r = client.get(URL, params={"sort": flipped, "after": other}, headers=world.headers("station_chief"))
    assert_problem(r, 422)
    monkeypatch.setattr(tables, "COUNT_CAP", 4)
    page = _page(client, world, limit=2)
    assert (page["total"], page["total_exact"], len(page["items"])) == (4, False, 2)


def test_a_page_asks_the_same_questions_for_two_rows_as_for_twelve(world, client, live):
    _add(live, world, [{"checkins": 1}, {"findings": 2}])

    def asked() -> tuple[int, int]:
        with statements(live) as seen:
            page = _page(client, world)
        return len(page["items"]), len(seen)

    few, asked_for_few = asked()
    _add(live, world, [{"checkins": 1, "findings": 1} for _ in range(10)])
    many, asked_for_many = asked()
    assert (few, many) == (2, 12)
    assert asked_for_many == asked_for_few


@pytest.mark.parametrize(
    "params",
    [
        {"state": "paused"},
        {"flagged": "maybe"},
        {"grid_id": "0"},
        {"user_id": "x"},
        {"started_from": "2026-02-30"},
        {"started_from": "2026-11-05", "started_to": "2026-11-01"},
        {"sort": "distance"},
        {"limit": "0"},
        {"limit": "201"},
        {"after": "???"},
        {"after": "WyJ4IiwxXQ"},  # ["x",1]
        {"after": "WyItc3RhcnRlZCIsIngiLDFd"},  # ["-started","x",1]
    ],
)
def test_malformed_filters_are_a_422_problem(world, client, params):
    assert_problem(client.get(URL, params=params, headers=world.headers("station_chief")), 422)
