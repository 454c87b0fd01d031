"""Supplies in reserve 应急物资储备 on both engines: who reads and keeps which unit's items (the scope matrix), stock
in and out with who and when, the alerts listed with the items, and each alert told once by the worker's rounds."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

from openpyxl import load_workbook

from conftest import assert_problem
from matters.deliver import deliver, notified
from wangge.database import Database
from wangge.fieldwork.people import local_today
from wangge.notify.worker import OutboxWorker

API = "/api/v1/reserve"


def add(client, world, who="station_chief", expect=201, **extra):
    body = {
        "unit_level": "community",
        "unit_id": world.ids["C1"],
        "name": "救生衣",
        "category": "flood",
        "measure": "件",
        "quantity": 20,
        "min_quantity": 10,
        "location": "服务站一楼仓库",
        "keeper_id": world.users["station_chief"],
        **extra,
    }
    r = client.post(f"{API}/items", json=body, headers=world.headers(who))
    assert r.status_code == expect, r.text
    return r.json()


def listed(client, world, who, **params):
    r = client.get(f"{API}/items", params=params, headers=world.headers(who))
    assert r.status_code == 200, r.text
    return r.json()


def rounds(live) -> dict:
    out: dict = {}

    async def run() -> None:
        db = Database(live.settings.database_url)
        try:
            async with OutboxWorker(db, live.settings) as worker:
                out.update(await worker.rounds())
        finally:
            await db.dispose()

    t = threading.Thread(target=lambda: asyncio.run(run()))
    t.start()
    t.join()
    return out


def test_scope_matrix_of_reading_and_keeping(client, world):
    station = add(client, world)
    street = add(
        client,
        world,
        who="street_officer",
        unit_level="street",
        unit_id=world.ids["S1"],
        name="发电机",
        category="power",
        measure="台",
        quantity=2,
        min_quantity=1,
        keeper_id=world.users["street_officer"],
    )
    other = add(client, world, who="chief_c3", unit_id=world.ids["C3"], name="灭火器", keeper_id=None)

    def ids(who):
        return {i["id"] for i in listed(client, world, who)["items"]}

    assert ids("station_chief") == {station["id"]}
    assert ids("grid_leader") == {station["id"]}  # a grid leader reads their community's
    assert ids("street_officer") == {station["id"], street["id"]}  # the street's and its communities'
    assert ids("administrator") == {station["id"], street["id"]}
    assert ids("chief_c3") == {other["id"]}
    assert ids("system_admin") == {station["id"], street["id"], other["id"]}
    for who in ("grid_member", "resident", "department_officer"):
        assert_problem(client.get(f"{API}/items", headers=world.headers(who)), 403)
    # Outside scope an item does not exist; a reader who may not keep it is refused.
    assert_problem(client.get(f"{API}/items/{other['id']}", headers=world.headers("station_chief")), 404)
    assert_problem(client.get(f"{API}/items/{street['id']}", headers=world.headers("station_chief")), 404)
    move = {"direction": "out", "quantity": 1, "reason": "防汛借用"}
    assert_problem(
        client.post(f"{API}/items/{station['id']}/moves", json=move, headers=world.headers("grid_leader")), 403
    )
    assert_problem(
        client.post(f"{API}/items/{other['id']}/moves", json=move, headers=world.headers("street_officer")), 404
    )
    # The chief may not keep the street's reserve, nor another community's; the street officer keeps both of S1's.
    add(client, world, unit_level="street", unit_id=world.ids["S1"], keeper_id=None, expect=403)
    add(client, world, unit_id=world.ids["C3"], keeper_id=None, expect=404)
    r = client.patch(f"{API}/items/{station['id']}", json={"location": "二楼"}, headers=world.headers("street_officer"))
    assert r.status_code == 200 and r.json()["location"] == "二楼"
    # A keeper must be staff of the unit.
    r = client.post(
        f"{API}/items",
        json={**_body(world), "keeper_id": world.users["chief_c3"]},
        headers=world.headers("station_chief"),
    )
    assert assert_problem(r, 422)["errors"][0]["loc"] == ["body", "keeper_id"]


def _body(world):
    return {"unit_level": "community", "unit_id": world.ids["C1"], "name": "x", "measure": "个", "location": "仓库"}


def test_stock_in_and_out_with_reason_who_and_when_never_below_zero(client, world, live):
    item = add(client, world, quantity=5, min_quantity=3)
    h = world.headers("station_chief")
    r = client.post(
        f"{API}/items/{item['id']}/moves", json={"direction": "out", "quantity": 4, "reason": "汛期转移群众"}, headers=h
    )
    assert r.status_code == 201, r.text
    assert r.json()["item"]["quantity"] == 1 and r.json()["item"]["alerts"] == ["low"]
    assert r.json()["move"]["by"]["name"] == "station_chief的名字" and r.json()["move"]["balance"] == 1
    short = client.post(
        f"{API}/items/{item['id']}/moves", json={"direction": "out", "quantity": 2, "reason": "x"}, headers=h
    )
    assert assert_problem(short, 409)["code"] == "reserve-short"
    bad = client.post(
        f"{API}/items/{item['id']}/moves", json={"direction": "out", "quantity": 0, "reason": ""}, headers=h
    )
    assert_problem(bad, 422)
    r = client.post(
        f"{API}/items/{item['id']}/moves", json={"direction": "in", "quantity": 10, "reason": "补充采购"}, headers=h
    )
    assert r.json()["item"]["quantity"] == 11 and r.json()["item"]["alerts"] == []
    moves = client.get(f"{API}/items/{item['id']}/moves", headers=world.headers("grid_leader")).json()
    assert [(m["direction"], m["quantity"], m["balance"], m["reason"]) for m in moves] == [
        ("in", 10, 11, "补充采购"),
        ("out", 4, 1, "汛期转移群众"),
        ("in", 5, 5, "建档入库"),
    ]
    # The quantity is not edited directly; deactivating keeps the item (listed on asking) and stops its moves.
    assert_problem(client.patch(f"{API}/items/{item['id']}", json={"quantity": 3}, headers=h), 422)
    client.patch(f"{API}/items/{item['id']}", json={"is_active": False}, headers=h)
    assert listed(client, world, "station_chief")["items"] == []
    assert [i["id"] for i in listed(client, world, "station_chief", include_inactive=True)["items"]] == [item["id"]]
    gone = client.post(
        f"{API}/items/{item['id']}/moves", json={"direction": "in", "quantity": 1, "reason": "x"}, headers=h
    )
    assert assert_problem(gone, 409)["code"] == "reserve-inactive"
    # Every change of the item is in the audit log (stock moves are their own ledger, above).
    audit = client.get("/api/v1/audit", params={"entity": "reserve_item"}, headers=world.headers("administrator"))
    assert audit.status_code == 200, audit.text
    assert {e["action"] for e in audit.json()["items"]} == {"create", "deactivate"}


def test_alerts_are_listed_and_told_once_to_the_keeper_and_the_units_staff(client, world, live):
    today = local_today()
    low = add(client, world, name="沙袋", quantity=5, min_quantity=50, keeper_id=world.users["grid_leader"])
    soon = add(client, world, name="消毒液", expires_on=(today + timedelta(days=10)).isoformat())
    old = add(client, world, name="药品", expires_on=(today - timedelta(days=1)).isoformat())
    fine = add(client, world, name="手电筒", expires_on=(today + timedelta(days=300)).isoformat())
    street = add(
        client,
        world,
        who="street_officer",
        unit_level="street",
        unit_id=world.ids["S1"],
        name="帐篷",
        quantity=0,
        min_quantity=5,
        keeper_id=None,
    )
    body = listed(client, world, "station_chief")
    alerts = {i["name"]: i["alerts"] for i in body["items"]}
    assert alerts == {"沙袋": ["low"], "消毒液": ["expiring"], "药品": ["expired"], "手电筒": []}
    assert body["alerts"] == {"low": 1, "expiring": 1, "expired": 1} and body["expiry_days"] == 30
    assert {i["id"] for i in listed(client, world, "station_chief", alert="expired")["items"]} == {old["id"]}
    assert fine["alerts"] == []

    assert rounds(live)["reserve_alerts"] == 4
    assert rounds(live)["reserve_alerts"] == 0  # never again at the next round
    deliver(live)
    chief = {n.title for n in notified(live, world.users["station_chief"])}
    assert chief == {"应急物资库存不足：沙袋", "应急物资即将过期：消毒液", "应急物资已过期：药品"}
    assert {n.title for n in notified(live, world.users["grid_leader"])} == {"应急物资库存不足：沙袋"}  # its keeper
    assert {n.title for n in notified(live, world.users["street_officer"])} == {"应急物资库存不足：帐篷"}
    assert notified(live, world.users["chief_c3"]) == []

    # Stock back at the minimum ends the alert; running low again is told again.
    h = world.headers("station_chief")
    client.post(f"{API}/items/{low['id']}/moves", json={"direction": "in", "quantity": 50, "reason": "补充"}, headers=h)
    assert rounds(live)["reserve_alerts"] == 0
    client.post(
        f"{API}/items/{low['id']}/moves", json={"direction": "out", "quantity": 10, "reason": "抢险"}, headers=h
    )
    assert rounds(live)["reserve_alerts"] == 1
    # A new expiry date on the expired item: it is fine now, and told again only when it comes near.
    client.patch(f"{API}/items/{old['id']}", json={"expires_on": (today + timedelta(days=365)).isoformat()}, headers=h)
    assert rounds(live)["reserve_alerts"] == 0
    assert soon["alerts"] == ["expiring"] and street["alerts"] == ["low"]


def test_the_reserve_exports_to_xlsx_with_the_exporter(client, world):
    add(client, world, name="救生衣", quantity=3, min_quantity=10)
    r = client.get(f"{API}/items.xlsx", headers=world.headers("station_chief"))
    assert r.status_code == 200
    import io

    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert "station_chief" in rows[1][0]
    assert rows[3][:4] == ["C1社区服务站", "救生衣", "防汛", 3] and rows[3][9] == "库存不足"
    assert_problem(client.get(f"{API}/items.xlsx", headers=world.headers("resident")), 403)
