"""The desk's table of home visits (GET /visits/table): each filter, both sorts in keyset pages with no visit skipped
or repeated when visits share a time, the count that stops at its cap, the scope no filter widens (another community's
residents never appear), phones masked and identity numbers absent, the same questions for many rows as for few, and
422 (never 500) for what is malformed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from conftest import assert_problem
from matters.test_lists import statements
from wangge import tables
from wangge.fieldwork import visits
from wangge.fieldwork.models import HomeVisit, SpecialGroup, SpecialResident

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # 09:00 on 2 November in Beijing
URL = "/api/v1/visits/table"


def _residents(live, world) -> dict[str, int]:
    """Four residents: two in G1a (different groups), one in G1b, one in C2's G2."""
    with live.session() as s:
        groups = dict(s.execute(select(SpecialGroup.code, SpecialGroup.id)).all())
        elderly, disabled = groups["elderly_alone"], next(v for k, v in groups.items() if k != "elderly_alone")
        made = {}
        for key, grid, group in (
            ("wang", "G1a", elderly),
            ("li", "G1a", disabled),
            ("zhao", "G1b", elderly),
            ("far", "G2", elderly),
        ):
            r = SpecialResident(
                grid_id=world.ids[grid],
                group_id=group,
                name={"wang": "王奶奶", "li": "李大爷", "zhao": "赵阿姨", "far": "远处的人"}[key],
                phone="13812345678",
                **visits.id_fields(live.settings, "110101194501011230"),
            )
            s.add(r)
            s.flush()
            made[key] = r.id
        made["elderly"], made["disabled"] = elderly, disabled
        s.commit()
    return made


def _visit(live, world, rows: list[dict[str, Any]]) -> list[int]:
    ids = []
    with live.session() as s:
        for row in rows:
            visitors = [world.users[u] for u in row.get("visitors", ["grid_leader"])]
            v = HomeVisit(
                resident_id=row["resident"],
                visited_at=row.get("at", T0),
                visitor_ids=visitors,
                notes=row.get("notes", "身体好"),
                created_by_id=visitors[0],
            )
            s.add(v)
            s.flush()
            ids.append(v.id)
        s.commit()
    return ids


def _page(client, world, who: str = "station_chief", **params: Any) -> dict[str, Any]:
    r = client.get(URL, params={"limit": 200, **params}, headers=world.headers(who))
    assert r.status_code == 200, r.text
    return r.json()


def _ids(client, world, who: str = "station_chief", **params: Any) -> list[int]:
    return [v["id"] for v in _page(client, world, who, **params)["items"]]


def test_filters_rows_and_scope(world, client, live):
    r = _residents(live, world)
    a, b, c, d = _visit(
        live,
        world,
        [
            {"resident": r["wang"], "visitors": ["grid_leader", "leader_g1b"]},
            {"resident": r["li"], "at": T0 + timedelta(days=1)},
            {"resident": r["zhao"], "at": T0 + timedelta(days=2), "visitors": ["leader_g1b"]},
            {"resident": r["far"], "at": T0 + timedelta(days=3), "visitors": ["leader_g2"]},
        ],
    )
    assert _ids(client, world) == [c, b, a]  # newest first; never C2's
    assert _ids(client, world, sort="visited") == [a, b, c]
    assert _ids(client, world, grid_id=world.ids["G1b"]) == [c]
    assert _ids(client, world, grid_id=world.ids["G2"]) == []  # a filter never reaches past the scope
    assert _ids(client, world, group_id=r["elderly"]) == [c, a]
    assert _ids(client, world, visitor_id=world.users["leader_g1b"]) == [c, a]  # either of the pair
    assert _ids(client, world, visitor_id=world.users["leader_g2"]) == []
    assert _ids(client, world, visited_from="2026-11-03", visited_to="2026-11-04") == [c, b]
    assert _ids(client, world, q="奶奶") == [a]
    assert _ids(client, world, q="远处") == []
    assert sorted(_ids(client, world, "street_officer")) == sorted([a, b, c, d])
    assert _ids(client, world, "grid_leader") == [b, a]  # a leader their own grid's
    assert _ids(client, world, "chief_c3") == []
    row = next(v for v in _page(client, world)["items"] if v["id"] == a)
    assert row["resident"] == {"id": r["wang"], "name": "王奶奶", "phone": "138****5678"}
    assert row["group"]["id"] == r["elderly"]
    assert row["grid"] == {"id": world.ids["G1a"], "name": row["grid"]["name"]}
    assert [p["id"] for p in row["visitors"]] == [world.users["grid_leader"], world.users["leader_g1b"]]
    assert "110101194501011230" not in str(_page(client, world)) and "13812345678" not in str(_page(client, world))


@pytest.mark.parametrize("who", ["department_officer", "resident"])
def test_other_roles_may_not_read_it(world, client, who):
    assert_problem(client.get(URL, headers=world.headers(who)), 403)


@pytest.mark.parametrize("sort", ["-visited", "visited"])
def test_pages_hold_every_visit_once_when_they_share_a_time(world, client, live, monkeypatch, sort):
    r = _residents(live, world)
    ids = _visit(live, world, [{"resident": r["wang"], "at": T0 + timedelta(hours=n // 3)} for n in range(10)])
    everything = _ids(client, world, sort=sort)
    assert sorted(everything) == ids
    for size in (1, 3, 4):
        seen, after = [], None
        while True:
            page = _page(client, world, sort=sort, limit=size, **({"after": after} if after else {}))
            seen += [v["id"] for v in page["items"]]
            after = page["next_after"]
            if after is None:
                break
        assert seen == everything, size
    monkeypatch.setattr(tables, "COUNT_CAP", 4)
    page = _page(client, world, limit=2)
    assert (page["total"], page["total_exact"], len(page["items"])) == (4, False, 2)


def test_a_page_asks_the_same_questions_for_two_rows_as_for_twelve(world, client, live):
    r = _residents(live, world)
    _visit(live, world, [{"resident": r["wang"]}, {"resident": r["li"], "visitors": ["grid_member"]}])

    def asked() -> tuple[int, int]:
        with statements(live) as seen:
            page = _page(client, world)
        return len(page["items"]), len(seen)

    few, asked_for_few = asked()
    _visit(live, world, [{"resident": r["zhao"], "visitors": ["leader_g1b", "grid_leader"]} for _ in range(10)])
    many, asked_for_many = asked()
    assert (few, many) == (2, 12)
    assert asked_for_many == asked_for_few


@pytest.mark.parametrize(
    "params",
    [
        {"grid_id": "0"},
        {"group_id": "x"},
        {"visitor_id": "-1"},
        {"visited_from": "2026-02-30"},
        {"visited_from": "2026-11-05", "visited_to": "2026-11-01"},
        {"q": ""},
        {"sort": "name"},
        {"limit": "0"},
        {"after": "???"},
        {"after": "WyItdmlzaXRlZCIsMSwxXQ"},  # ["-visited",1,1]
    ],
)
def test_malformed_filters_are_a_422_problem(world, client, params):
    assert_problem(client.get(URL, params=params, headers=world.headers("station_chief")), 422)
