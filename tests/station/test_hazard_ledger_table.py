"""The hazard ledger as the desk's table (GET /hazards with filters): grid, status, risk level, type, overdue, each
ANDed to the scope (another community's hazards never appear), the capped count, keyset pages with no hazard skipped
or repeated when deadlines are shared under a filter, the same questions for many rows as for few, and 422 (never
500) for what is malformed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from conftest import assert_problem
from matters.test_lists import statements
from wangge import tables
from wangge.station.models import Hazard
from wangge.station.triage import beijing_today

API = "/api/v1/hazards"
COMMUNITY = {"G1a": "C1", "G1b": "C1", "G2": "C2"}


def _add(live, world, rows: list[dict[str, Any]]) -> list[int]:
    today = beijing_today()
    ids = []
    with live.session() as s:
        for row in rows:
            row = dict(row)
            grid = row.pop("grid", "G1a")
            h = Hazard(
                community_id=world.ids[COMMUNITY[grid]],
                grid_id=world.ids[grid],
                place=row.pop("place", "1栋楼道"),
                hazard_type=row.pop("hazard_type", "fire"),
                risk_level=row.pop("risk_level", "medium"),
                description="楼道堆放杂物",
                responsible_unit="物业公司",
                deadline=today + timedelta(days=row.pop("days", 7)),
                status=row.pop("status", "open"),
                photo_ids=[],
                **row,
            )
            s.add(h)
            s.flush()
            ids.append(h.id)
        s.commit()
    return ids


def _ids(client, world, who: str = "station_chief", **params: Any) -> list[int]:
    r = client.get(API, params=params, headers=world.headers(who))
    assert r.status_code == 200, r.text
    return [h["id"] for h in r.json()["items"]]


def test_each_filter_within_the_scope(world, client, live):
    a, b, c, d, elsewhere = _add(
        live,
        world,
        [
            {"days": -2, "risk_level": "major"},  # overdue
            {"days": -1, "status": "fixed", "grid": "G1b"},  # past its deadline but fixed: not overdue
            {"days": 3, "hazard_type": "gas", "status": "assigned", "risk_level": "high"},
            {"days": 5, "grid": "G1b", "risk_level": "low", "status": "closed"},
            {"days": -3, "grid": "G2", "risk_level": "major"},
        ],
    )
    assert _ids(client, world) == [a, b, c, d]  # by deadline; never C2's
    assert _ids(client, world, grid_id=world.ids["G1b"]) == [b, d]
    assert _ids(client, world, grid_id=world.ids["G2"]) == []  # a filter never reaches past the scope
    assert _ids(client, world, status="open") == [a]
    assert _ids(client, world, status=["assigned", "closed"]) == [c, d]
    assert _ids(client, world, risk_level=["major", "high"]) == [a, c]
    assert _ids(client, world, hazard_type="gas") == [c]
    assert _ids(client, world, overdue=True) == [a]
    assert _ids(client, world, overdue=False) == [b, c, d]
    assert _ids(client, world, "street_officer", overdue=True) == [elsewhere, a]
    assert _ids(client, world, "chief_c3") == []
    r = client.get(API, params={"overdue": True}, headers=world.headers("station_chief")).json()
    assert (r["total"], r["total_exact"], r["items"][0]["overdue"]) == (1, True, True)
    assert_problem(client.get(API, headers=world.headers("resident")), 403)


def test_pages_under_a_filter_hold_each_hazard_once_and_the_count_stops_at_its_cap(world, client, live, monkeypatch):
    ids = _add(live, world, [{"days": n // 3, "risk_level": "high"} for n in range(8)] + [{"risk_level": "low"}])
    params = {"risk_level": "high"}
    whole = _ids(client, world, **params)
    assert sorted(whole) == ids[:8]
    for size in (1, 3):
        seen, after = [], None
        while True:
            page = client.get(
                API,
                params={**params, "limit": size, **({"after": after} if after else {})},
                headers=world.headers("station_chief"),
            ).json()
            seen += [h["id"] for h in page["items"]]
            after = page["next_after"]
            if after is None:
                break
        assert seen == whole, size
    monkeypatch.setattr(tables, "COUNT_CAP", 5)
    page = client.get(API, params={**params, "limit": 2}, headers=world.headers("station_chief")).json()
    assert (page["total"], page["total_exact"], len(page["items"])) == (5, False, 2)


def test_a_page_asks_the_same_questions_for_two_rows_as_for_twelve(world, client, live):
    _add(live, world, [{}, {"grid": "G1b"}])

    def asked() -> tuple[int, int]:
        with statements(live) as seen:
            items = _ids(client, world)
        return len(items), len(seen)

    few, asked_for_few = asked()
    _add(live, world, [{"grid": "G1b", "days": n} for n in range(10)])
    many, asked_for_many = asked()
    assert (few, many) == (2, 12)
    assert asked_for_many == asked_for_few


@pytest.mark.parametrize(
    "params",
    [
        {"status": "done"},
        {"risk_level": "huge"},
        {"hazard_type": "Fire!"},
        {"overdue": "perhaps"},
        {"grid_id": "0"},
        {"month": "2026-13"},
        {"limit": "0"},
        {"after": "2026-02-30.1"},
    ],
)
def test_malformed_filters_are_a_422_problem(world, client, params):
    assert_problem(client.get(API, params=params, headers=world.headers("station_chief")), 422)
