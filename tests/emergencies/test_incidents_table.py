"""The desk's table of incidents (GET /incidents/table): each filter and the search, newest known first in keyset
pages with no incident skipped or repeated when they share a time, the count that stops at its cap, the scope no
filter widens, and 422 (never 500) for what is malformed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from conftest import assert_problem
from wangge import tables
from wangge.emergencies.models import Incident

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 10:00 on 2 November in Beijing
PLACES = {"C1": ("S1", "D1"), "C2": ("S1", "D1"), "C3": ("S2", "D1")}


def _add(live, world, rows: list[dict[str, Any]]) -> list[int]:
    ids = []
    with live.session() as s:
        for n, row in enumerate(rows):
            row = dict(row)
            community = row.pop("community", "C1")
            street, district = PLACES[community]
            known = row.pop("known_at", T0)
            i = Incident(
                code=f"TI{len(ids)}{n}{community}{known:%H%M%S}{row.get('title', '')[:2]}"[:20],
                incident_type=row.pop("incident_type", "fire"),
                severity=row.pop("severity", 3),
                title=row.pop("title", f"事件{n}"),
                place=row.pop("place", "幸福路"),
                community_id=world.ids[community],
                street_id=world.ids[street],
                district_id=world.ids[district],
                raised_by_id=world.users["grid_leader"],
                occurred_at=known,
                known_at=known,
                first_report_due_at=known + timedelta(minutes=30),
                followup_minutes=60,
                status=row.pop("status", "open"),
                **row,
            )
            s.add(i)
            s.flush()
            ids.append(i.id)
        s.commit()
    return ids


def _ids(client, world, who: str = "station_chief", **params: Any) -> list[int]:
    r = client.get("/api/v1/incidents/table", params={"limit": 200, **params}, headers=world.headers(who))
    assert r.status_code == 200, r.text
    return [i["id"] for i in r.json()["items"]]


def test_filters_search_and_scope(world, client, live):
    a, b, c, d, elsewhere = _add(
        live,
        world,
        [
            {"incident_type": "fire", "severity": 2, "title": "仓库起火"},
            {"incident_type": "gas", "severity": 3, "known_at": T0 + timedelta(days=1), "place": "东门燃气站"},
            {"incident_type": "flood", "status": "closed", "known_at": T0 + timedelta(days=2)},
            {"incident_type": "fire", "severity": 1, "known_at": T0 + timedelta(days=3)},
            {"community": "C2", "title": "别处的事件"},
        ],
    )
    assert _ids(client, world) == [d, c, b, a]  # newest known first; never C2's
    assert _ids(client, world, status="closed") == [c]
    assert _ids(client, world, incident_type=["fire", "gas"]) == [d, b, a]
    assert _ids(client, world, severity=[1, 2]) == [d, a]
    assert _ids(client, world, known_from="2026-11-03", known_to="2026-11-04") == [c, b]
    assert _ids(client, world, q="起火") == [a]
    assert _ids(client, world, q="燃气") == [b]
    assert _ids(client, world, q="别处") == []  # the search never reaches past the scope
    assert sorted(_ids(client, world, "street_officer")) == sorted([a, b, c, d, elsewhere])
    r = client.get("/api/v1/incidents/table", headers=world.headers("resident"))
    assert_problem(r, 403)


def test_pages_hold_every_incident_once_when_they_share_a_time(world, client, live, monkeypatch):
    ids = _add(live, world, [{"known_at": T0 + timedelta(hours=n // 3)} for n in range(10)])
    everything = _ids(client, world)
    assert sorted(everything) == ids
    for size in (1, 3, 4):
        seen, after = [], None
        while True:
            params: dict[str, Any] = {"limit": size, **({"after": after} if after else {})}
            page = client.get("/api/v1/incidents/table", params=params, headers=world.headers("station_chief")).json()
            seen += [i["id"] for i in page["items"]]
            after = page["next_after"]
            if after is None:
                break
        assert seen == everything, size
    monkeypatch.setattr(tables, "COUNT_CAP", 4)
    page = client.get("/api/v1/incidents/table", params={"limit": 2}, headers=world.headers("station_chief")).json()
    assert (page["total"], page["total_exact"], len(page["items"])) == (4, False, 2)


@pytest.mark.parametrize(
    "params",
    [
        {"status": "any"},
        {"incident_type": "Fire!"},
        {"severity": "5"},
        {"severity": "x"},
        {"known_from": "2026-02-30"},
        {"known_from": "2026-11-05", "known_to": "2026-11-01"},
        {"q": ""},
        {"limit": "0"},
        {"after": "???"},
        {"after": "WyJ4IiwxXQ"},  # ["x",1]
    ],
)
def test_malformed_filters_are_a_422_problem(world, client, params):
    assert_problem(client.get("/api/v1/incidents/table", params=params, headers=world.headers("station_chief")), 422)
