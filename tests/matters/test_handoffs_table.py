"""工作单 at the desk (GET /handoffs/table): what a unit received and sent, by state, by tracking code, newest first in
keyset pages; only the caller's own unit's, and only matters they may read; malformed filters 422."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import assert_problem
from matters.helpers import act, matter_id, submit

API = "/api/v1/handoffs/table"


def _rows(client, world, who: str, **params: Any) -> list[dict[str, Any]]:
    r = client.get(API, params=params, headers=world.headers(who))
    assert r.status_code == 200, r.text
    return r.json()["items"]


def _work_orders(client, world, live) -> dict[str, Any]:
    """m1: station → department DS1, returned; m2: station → street (signed) → district department DD1."""
    c1 = submit(client, "sanitation")["tracking_code"]
    m1 = matter_id(live, c1)
    act(client, world, "station_chief", m1, "bring_back", reason="网格内处理不了，带回服务站")
    target = {"level": "department", "department_id": world.ids["DS1"]}
    act(client, world, "station_chief", m1, "escalate", reason="需城管执法", target=target)
    act(client, world, "department_officer", m1, "return", reason="不属于本部门职责")
    c2 = submit(client, "urban_construction")["tracking_code"]
    m2 = matter_id(live, c2)
    act(client, world, "station_chief", m2, "bring_back", reason="网格内处理不了，带回服务站")
    act(client, world, "station_chief", m2, "escalate", reason="需街道协调", target={"level": "street"})
    act(client, world, "street_officer", m2, "sign")
    act(client, world, "street_officer", m2, "escalate", reason="报区住建")
    return {"m1": m1, "m2": m2, "c1": c1, "c2": c2}


def test_a_unit_sees_what_it_received_and_sent(world, client, live):
    w = _work_orders(client, world, live)
    sent = _rows(client, world, "station_chief", direction="out")
    assert [(r["matter"]["id"], r["to_level"]) for r in sent] == [(w["m2"], "street"), (w["m1"], "department")]
    assert sent[1]["to_department"] == "一街道城管" and sent[1]["return_reason"] == "不属于本部门职责"
    assert sent[0]["from_user"] == "station_chief的名字" and sent[0]["to_user"] == "street_officer的名字"
    assert [r["matter"]["id"] for r in _rows(client, world, "station_chief", direction="out", state="returned")] == [
        w["m1"]
    ]
    assert [r["matter"]["id"] for r in _rows(client, world, "station_chief", direction="out", state="signed")] == [
        w["m2"]
    ]
    assert _rows(client, world, "station_chief", direction="out", state="pending") == []
    assert _rows(client, world, "station_chief") == []  # nothing was handed to the station
    street_in = _rows(client, world, "street_officer")
    assert [(r["matter"]["id"], r["from_level"]) for r in street_in] == [(w["m2"], "station")]
    street_out = _rows(client, world, "street_officer", direction="out")
    assert [(r["matter"]["id"], r["to_level"], r["signed_at"]) for r in street_out] == [(w["m2"], "department", None)]
    assert [r["matter"]["id"] for r in _rows(client, world, "department_officer")] == [w["m1"]]
    assert [r["matter"]["id"] for r in _rows(client, world, "dept_dd1", state="pending")] == [w["m2"]]
    assert [
        r["matter"]["tracking_code"] for r in _rows(client, world, "station_chief", direction="out", q=w["c1"])
    ] == [w["c1"]]
    # Another community's chief, another department: nothing of these.
    assert _rows(client, world, "chief_c3", direction="out") == []
    assert _rows(client, world, "chief_c3") == []


def test_pages_hold_every_handoff_once(world, client, live):
    _work_orders(client, world, live)
    everything = [r["id"] for r in _rows(client, world, "system_admin", limit=200)]
    assert len(everything) == 3
    seen, after = [], None
    while True:
        r = client.get(
            API, params={"limit": 1, **({"after": after} if after else {})}, headers=world.headers("system_admin")
        )
        seen += [row["id"] for row in r.json()["items"]]
        after = r.json()["next_after"]
        if after is None:
            break
    assert seen == everything
    assert_problem(client.get(API, headers=world.headers("resident")), 403)


@pytest.mark.parametrize(
    "params",
    [
        {"direction": "sideways"},
        {"state": "lost"},
        {"q": "WG%"},
        {"q": ""},
        {"after": "nope"},
        {"created_from": "2026-11-05", "created_to": "2026-11-01"},
        {"limit": "500"},
    ],
)
def test_malformed_filters_are_a_422_problem(world, client, params):
    assert_problem(client.get(API, params=params, headers=world.headers("station_chief")), 422)
