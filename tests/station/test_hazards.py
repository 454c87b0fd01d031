"""The monthly hazard cycle: inspection tasks, hazards from inspection to assignment to fixed, the bulletin's
figures and exports, the status order, scope; and the special period that switches reporting to daily."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from conftest import assert_problem
from matters.helpers import act, get
from support.world import grid_point
from wangge.station.triage import beijing_today

API = "/api/v1/hazards"


def _hazard(**extra):
    today = beijing_today()
    body = {
        "place": "1栋楼道",
        "hazard_type": "fire",
        "risk_level": "high",
        "description": "楼道堆放杂物",
        "responsible_unit": "物业公司",
        "deadline": (today + timedelta(days=7)).isoformat(),
    }
    body.update(extra)
    return body


def test_hazard_from_inspection_to_assignment_to_fixed_and_the_bulletin(world, client, live):
    chief = world.headers("station_chief")
    month = beijing_today().strftime("%Y-%m")
    past = (beijing_today() - timedelta(days=3)).isoformat()
    r = client.post(
        f"{API}/cycles",
        headers=chief,
        json={"community_id": world.ids["C1"], "month": month, "template_codes": ["fire", "gas"]},
    )
    assert r.status_code == 201, r.text
    cycle = r.json()
    assert cycle["counts"] == {"total": 4, "done": 0, "undone": 4}
    tasks = {(t["grid"]["name"], t["template"]["code"]): t for t in cycle["tasks"]}
    assert tasks[("G1a网格", "fire")]["assignee"]["id"] == world.users["grid_leader"]
    assert tasks[("G1b网格", "gas")]["assignee"]["id"] == world.users["leader_g1b"]
    assert_problem(
        client.post(f"{API}/cycles", headers=chief, json={"community_id": world.ids["C1"], "month": month}), 409
    )
    assert_problem(
        client.post(
            f"{API}/cycles",
            headers=chief,
            json={"community_id": world.ids["C1"], "month": "2020-01", "template_codes": ["nope"]},
        ),
        422,
    )

    lon, lat = grid_point("G1a")
    fire_task = tasks[("G1a网格", "fire")]["id"]
    r = client.post(
        f"{API}/tasks/{fire_task}/results",
        headers=world.headers("grid_leader"),
        json={
            "results": {"fire_1": "hazard", "fire_2": "ok", "fire_3": "hazard", "fire_4": "n/a"},
            "hazards": [
                _hazard(place="1栋楼道", deadline=past, lat=lat, lon=lon),
                _hazard(place="2栋消防通道", description="<script>alert(1)</script> 通道被占"),
            ],
        },
    )
    assert r.status_code == 200, r.text
    gas_task = tasks[("G1b网格", "gas")]["id"]
    assert_problem(
        client.post(f"{API}/tasks/{gas_task}/results", headers=world.headers("grid_leader"), json={"results": {}}), 403
    )
    assert_problem(
        client.post(f"{API}/tasks/{fire_task}/results", headers=world.headers("grid_leader"), json={"results": {}}), 409
    )
    r = client.post(
        f"{API}/tasks/{gas_task}/results",
        headers=world.headers("leader_g1b"),
        json={"results": {"gas_1": "hazard"}, "hazards": [_hazard(hazard_type="gas", place="3栋厨房", deadline=past)]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["counts"] == {"total": 4, "done": 2, "undone": 2}
    assert_problem(
        client.post(
            f"{API}/tasks/{tasks[('G1a网格', 'gas')]['id']}/results",
            headers=world.headers("grid_leader"),
            json={"results": {"fire_1": "ok"}},
        ),
        422,
    )

    ledger = client.get(API, headers=chief, params={"community_id": world.ids["C1"], "month": month}).json()["items"]
    assert len(ledger) == 3
    h1 = next(h for h in ledger if h["place"] == "1栋楼道")
    h2 = next(h for h in ledger if h["place"] == "2栋消防通道")
    assert h1["overdue"] and h1["status"] == "open" and h1["cycle_id"] == cycle["id"]
    g1b = client.get(API, headers=chief, params={"grid_id": world.ids["G1b"]}).json()["items"]
    assert [h["place"] for h in g1b] == ["3栋厨房"]

    # 交办: the hazard becomes a matter at the station; fixed only once that matter is resolved.
    r = client.post(
        f"{API}/{h1['id']}/assign", headers=chief, json={"category": "production_safety", "reason": "限期清理"}
    )
    assert r.status_code == 200, r.text
    assigned = r.json()
    assert assigned["status"] == "assigned" and assigned["matter"]["status"] == "at_station"
    matter = get(client, world, "station_chief", assigned["matter"]["id"]).json()
    assert matter["source"] == "front_desk" and matter["owner"]["id"] == world.users["station_chief"]
    assert matter["grid"]["code"] == world.codes["G1a"] and "1栋楼道" in matter["description"]
    assert_problem(
        client.post(f"{API}/{h1['id']}/assign", headers=chief, json={"category": "sanitation", "reason": "x"}), 409
    )
    assert_problem(client.patch(f"{API}/{h1['id']}", headers=chief, json={"status": "fixed"}), 409)
    act(client, world, "station_chief", matter["id"], "resolve", result="杂物已清理")
    r = client.patch(f"{API}/{h1['id']}", headers=chief, json={"status": "fixed", "note": "已清理完毕"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "fixed" and r.json()["fixed_at"] and "已清理完毕" in r.json()["description"]
    assert client.patch(f"{API}/{h1['id']}", headers=chief, json={"status": "closed"}).json()["status"] == "closed"
    # The order is kept: open cannot jump to fixed; closed goes nowhere.
    body = assert_problem(client.patch(f"{API}/{h2['id']}", headers=chief, json={"status": "fixed"}), 409)
    assert body["current_status"] == "open" and body["allowed"] == ["assigned"]
    assert_problem(client.patch(f"{API}/{h1['id']}", headers=chief, json={"status": "open"}), 409)
    assert_problem(
        client.patch(f"{API}/{h2['id']}", headers=world.headers("grid_leader"), json={"status": "assigned"}), 403
    )

    # Assignment with a target escalates the new matter at once.
    r = client.post(
        f"{API}/{h2['id']}/assign",
        headers=chief,
        json={"category": "production_safety", "target": {"level": "street"}, "reason": "需街道执法"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["matter"]["status"] == "escalated"

    # A hazard found outside an inspection joins this month's cycle.
    r = client.post(
        API, headers=world.headers("grid_leader"), json={**_hazard(place="小卖部门口"), "grid_id": world.ids["G1a"]}
    )
    assert r.status_code == 201, r.text
    assert r.json()["cycle_id"] == cycle["id"] and r.json()["task_id"] is None
    assert_problem(
        client.post(API, headers=world.headers("grid_leader"), json={**_hazard(), "grid_id": world.ids["G1b"]}), 404
    )
    assert_problem(
        client.post(API, headers=world.headers("department_officer"), json={**_hazard(), "grid_id": world.ids["G1a"]}),
        403,
    )

    r = client.put(
        f"{API}/cycles/{cycle['id']}/meeting",
        headers=chief,
        json={"held_at": "2026-11-20T15:00:00+08:00", "minutes": "通报本月隐患"},
    )
    assert r.status_code == 200 and r.json()["meeting_minutes"] == "通报本月隐患"

    b = client.get(f"{API}/cycles/{cycle['id']}/bulletin", headers=chief).json()
    assert b["totals"] == {"found": 4, "fixed": 1, "overdue": 1}
    assert b["inspections"] == {"total": 4, "done": 2}
    by_grid = {g["grid"]["name"]: {k: g[k] for k in ("found", "fixed", "overdue")} for g in b["by_grid"]}
    assert by_grid == {
        "G1a网格": {"found": 3, "fixed": 1, "overdue": 0},
        "G1b网格": {"found": 1, "fixed": 0, "overdue": 1},
    }
    by_type = {t["hazard_type"]: {k: t[k] for k in ("found", "fixed", "overdue")} for t in b["by_type"]}
    assert by_type == {"fire": {"found": 3, "fixed": 1, "overdue": 0}, "gas": {"found": 1, "fixed": 0, "overdue": 1}}

    r = client.get(f"{API}/cycles/{cycle['id']}/bulletin.xlsx", headers=chief)
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    summary = [row for row in wb["隐患通报"].iter_rows(values_only=True)]
    assert ("发现", 4, "已整改", 1, "逾期", 1) in [tuple(row[:6]) for row in summary]
    assert ("G1b网格", 1, 0, 1) in [tuple(row[:4]) for row in summary]
    assert len(list(wb["隐患台账"].iter_rows(values_only=True))) == 1 + 4
    r = client.get(f"{API}/cycles/{cycle['id']}/bulletin.html", headers=chief)
    assert r.status_code == 200 and "<script>" not in r.text and "&lt;script&gt;" in r.text and "@media print" in r.text

    # Scope: another community's chief sees none of it.
    other = world.headers("chief_c4")
    assert_problem(client.get(f"{API}/cycles/{cycle['id']}", headers=other), 404)
    assert_problem(client.get(f"{API}/cycles/{cycle['id']}/bulletin", headers=other), 404)
    assert_problem(client.patch(f"{API}/{h2['id']}", headers=other, json={"status": "fixed"}), 404)
    assert_problem(
        client.post(f"{API}/cycles", headers=other, json={"community_id": world.ids["C1"], "month": month}), 404
    )
    assert client.get(API, headers=other).json()["items"] == []
    assert client.get(f"{API}/cycles", headers=other).json()["items"] == []
    assert [c["id"] for c in client.get(f"{API}/cycles", headers=chief).json()["items"]] == [cycle["id"]]
    assert_problem(
        client.post(
            f"{API}/cycles",
            headers=world.headers("grid_leader"),
            json={"community_id": world.ids["C1"], "month": "2020-01"},
        ),
        403,
    )


def test_special_period_switches_reporting_to_daily(world, client, live):
    chief = world.headers("station_chief")
    today = beijing_today()
    r = client.post(API, headers=chief, json={**_hazard(), "grid_id": world.ids["G1a"]})
    assert r.status_code == 201, r.text
    params = {"community_id": world.ids["C1"], "on": today.isoformat()}
    r = client.get(f"{API}/reporting", headers=chief, params=params)
    assert r.status_code == 200, r.text
    monthly = r.json()
    assert monthly["mode"] == "monthly" and monthly["special_period"] is None
    assert monthly["report"]["period"] == today.strftime("%Y-%m") and monthly["report"]["totals"]["found"] == 1

    period = {
        "street_id": world.ids["S1"],
        "name": "春节特护期",
        "start_date": (today - timedelta(days=1)).isoformat(),
        "end_date": (today + timedelta(days=2)).isoformat(),
    }
    assert_problem(client.post(f"{API}/special-periods", headers=world.headers("grid_leader"), json=period), 403)
    assert_problem(
        client.post(
            f"{API}/special-periods",
            headers=world.headers("street_officer"),
            json={**period, "street_id": world.ids["S3"]},
        ),
        404,
    )
    r = client.post(f"{API}/special-periods", headers=world.headers("street_officer"), json=period)
    assert r.status_code == 201, r.text
    assert [p["name"] for p in client.get(f"{API}/special-periods", headers=chief).json()["items"]] == ["春节特护期"]
    assert client.get(f"{API}/special-periods", headers=world.headers("chief_c4")).json()["items"] == []

    daily = client.get(f"{API}/reporting", headers=chief, params=params).json()
    assert daily["mode"] == "daily" and daily["special_period"]["name"] == "春节特护期"
    assert daily["report"]["period"] == today.isoformat()
    assert daily["report"]["totals"] == {"found": 1, "fixed": 0, "overdue": 0, "open": 1}
    yesterday = client.get(
        f"{API}/reporting", headers=chief, params={**params, "on": (today - timedelta(days=1)).isoformat()}
    ).json()
    assert yesterday["mode"] == "daily" and yesterday["report"]["totals"]["found"] == 0
    after = client.get(
        f"{API}/reporting", headers=chief, params={**params, "on": (today + timedelta(days=3)).isoformat()}
    )
    assert after.json()["mode"] == "monthly"
    # Another street's community keeps reporting monthly.
    other = client.get(
        f"{API}/reporting", headers=world.headers("chief_c4"), params={**params, "community_id": world.ids["C4"]}
    )
    assert other.json()["mode"] == "monthly"
    assert_problem(client.get(f"{API}/reporting", headers=world.headers("chief_c4"), params=params), 404)


def test_the_ledger_pages_by_deadline_to_its_end_each_hazard_once(world, client):
    """Keyset pages ("deadline.id" of the last row): hazards sharing a deadline are neither skipped nor repeated."""
    chief = world.headers("station_chief")
    today = beijing_today()
    for n in range(7):
        deadline = (today + timedelta(days=n % 3)).isoformat()
        r = client.post(API, headers=chief, json={**_hazard(deadline=deadline), "grid_id": world.ids["G1a"]})
        assert r.status_code == 201, r.text
    whole = client.get(API, headers=chief).json()
    assert len(whole["items"]) == 7 and whole["next_after"] is None
    seen, after = [], None
    while True:
        page = client.get(API, headers=chief, params={"limit": 2, **({"after": after} if after else {})}).json()
        seen += [h["id"] for h in page["items"]]
        after = page["next_after"]
        if after is None:
            break
    assert seen == [h["id"] for h in whole["items"]]
    assert [h["deadline"] for h in whole["items"]] == sorted(h["deadline"] for h in whole["items"])
    for bad in ("2026-02-30.1", "2026-11-01.99999999999", "2026-11-01", "x"):
        assert_problem(client.get(API, headers=chief, params={"after": bad}), 422)
