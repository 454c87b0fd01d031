"""Mediation 调解 of disputes, joint handling 协商 with co-operating departments, results back to the 12345 hotline,
and malformed bodies of every new action (issue 11), through the API on both engines."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import threading
import typing
from datetime import timedelta

from sqlalchemy import select

from conftest import assert_problem, make_settings
from matters.deliver import deliver, notified
from matters.helpers import act, events, get
from matters.loop_helpers import accepted, at_station, loop_of, post_action, today
from notify.receiver import WebhookReceiver
from support.world import grid_point
from wangge.database import Database
from wangge.matters import flow, schemas
from wangge.matters.models import MatterEvent
from wangge.models_common import utcnow
from wangge.notify.worker import OutboxWorker
from wangge.workcalendar import SHANGHAI

PARTIES = [
    {"name": "张三", "phone": "13711112222", "role": "楼上住户"},
    {"name": "李四", "phone": "13733334444", "role": "楼下住户"},
]


def _session(**extra):
    return {"held_on": today(), "mediators": "网格长、调解员王某", "outcome": "continued", **extra}


def test_a_dispute_is_mediated_with_its_parties_masked_like_personal_data(world, client, live):
    mid = accepted(client, world, live, "dispute")
    m = get(client, world, "grid_leader", mid).json()
    assert {"action": "mediate", "needs": ["session"], "accepts": []} in m["actions"]
    act(client, world, "grid_leader", mid, "mediate", session=_session(parties=PARTIES, note="双方各执一词"))
    # An agreement needs its text; a session cannot be held tomorrow.
    no_text = assert_problem(
        post_action(client, world, "grid_leader", mid, "mediate", {"session": _session(outcome="agreed")}), 422
    )
    assert no_text["code"] == "agreement-required" and no_text["errors"][0]["loc"] == ["body", "session", "agreement"]
    tomorrow = (utcnow().astimezone(SHANGHAI).date() + timedelta(days=1)).isoformat()
    assert_problem(
        post_action(client, world, "grid_leader", mid, "mediate", {"session": _session(held_on=tomorrow)}), 422
    )
    follow = (utcnow().astimezone(SHANGHAI).date() + timedelta(days=14)).isoformat()
    m = act(
        client,
        world,
        "grid_leader",
        mid,
        "mediate",
        session=_session(outcome="agreed", agreement="楼上铺设地毯，晚十点后不再走动", follow_up_on=follow),
    )
    assert m["status"] == "accepted"  # a session keeps the state
    clear = loop_of(client, world, "station_chief", mid)["mediation"]
    assert [p["phone"] for p in clear["parties"]] == ["13711112222", "13733334444"]
    assert clear["agreement"].startswith("楼上铺设地毯") and clear["follow_up_on"] == follow
    assert clear["outcome"] == "agreed"
    assert [(s["outcome"], s["recorded_by"]) for s in clear["sessions"]] == [
        ("continued", "grid_leader的名字"),
        ("agreed", "grid_leader的名字"),
    ]
    # Those who may not read personal data see the phones masked (the parties recorded once stay).
    for who in ("street_officer", "grid_member"):
        masked = loop_of(client, world, who, mid)["mediation"]
        assert [p["phone"] for p in masked["parties"]] == ["137****2222", "137****4444"]
        assert [p["name"] for p in masked["parties"]] == ["张三", "李四"]
    # The timeline (and the outbox) never carry the parties' phones.
    with live.session() as s:
        data = [e.data for e in s.execute(select(MatterEvent).where(MatterEvent.matter_id == mid)).scalars()]
    assert any("session" in d for d in data)
    stored = json.dumps(data, ensure_ascii=False) + json.dumps([e.payload for e in events(live)], ensure_ascii=False)
    assert "13711112222" not in stored and "13733334444" not in stored and "张三" not in stored
    # A mediation that fails escalates like any matter.
    act(client, world, "grid_leader", mid, "mediate", session=_session(outcome="failed"))
    m = act(client, world, "grid_leader", mid, "bring_back", reason="网格内处理不了，带回服务站")
    assert (
        m["status"] == "at_station" and "mediate" in get(client, world, "station_chief", mid).json()["allowed_actions"]
    )


def test_only_a_disputes_matter_is_mediated(world, client, live):
    mid = accepted(client, world, live)
    m = get(client, world, "grid_leader", mid).json()
    assert "mediate" not in m["allowed_actions"]
    body = assert_problem(post_action(client, world, "grid_leader", mid, "mediate", {"session": _session()}), 409)
    assert "dispute" in body["detail"]
    assert loop_of(client, world, "grid_leader", mid)["mediation"] is None


def test_the_station_convenes_departments_which_see_it_and_record_their_part(world, client, live):
    mid = at_station(client, world, live)
    assert get(client, world, "department_officer", mid).status_code == 404
    # Only departments serving the place: not another district's, nor another street's.
    for other in ("DD2", "DS2"):
        wrong = post_action(
            client, world, "station_chief", mid, "coordinate", {"departments": [world.ids[other]], "reason": "协同"}
        )
        assert assert_problem(wrong, 422)["code"] == "cooperator-department"
    m = act(client, world, "station_chief", mid, "coordinate", departments=[world.ids["DS1"]], reason="需城管协助清运")
    assert m["status"] == "at_station" and m["holder"]["level"] == "station"
    deliver(live)  # the convened department is told
    told = [n.title for n in notified(live, world.users["department_officer"], "matter.changed")]
    assert told and told[-1].endswith("协商协办")
    seen = get(client, world, "department_officer", mid)
    assert seen.status_code == 200 and seen.json()["allowed_actions"] == ["record_part"]
    box = client.get(
        "/api/v1/matters", params={"box": "cooperating"}, headers=world.headers("department_officer")
    ).json()
    assert [i["id"] for i in box["items"]] == [mid]
    # Another department, not convened, still does not see it; nor is the box anyone else's.
    assert get(client, world, "dept_dd1", mid).status_code == 404
    theirs = client.get("/api/v1/matters", params={"box": "cooperating"}, headers=world.headers("dept_dd1")).json()
    assert theirs["items"] == []
    chief_box = client.get("/api/v1/matters", params={"box": "cooperating"}, headers=world.headers("station_chief"))
    assert chief_box.json()["items"] == []
    act(client, world, "department_officer", mid, "record_part", part="已派车清运两车")
    coop = loop_of(client, world, "station_chief", mid)["cooperators"]
    assert [(c["department"], c["part"], c["part_by"]) for c in coop] == [
        ("一街道城管", "已派车清运两车", "department_officer的名字")
    ]
    assert_problem(post_action(client, world, "department_officer", mid, "resolve", {"result": "协办方办结"}), 409)
    # The lead resolves it, as before.
    m = act(client, world, "station_chief", mid, "resolve", result="已清理完毕")
    assert m["status"] == "resolved"
    # The street convenes a district department on the matter it handles.
    street = at_station(client, world, live)
    act(client, world, "station_chief", street, "escalate", reason="需街道协调", target={"level": "street"})
    act(client, world, "street_officer", street, "sign")
    assert get(client, world, "dept_dd1", street).status_code == 404
    act(client, world, "street_officer", street, "coordinate", departments=[world.ids["DD1"]], reason="需应急局")
    assert "record_part" in get(client, world, "dept_dd1", street).json()["allowed_actions"]


def _import(client, world, who: str, order_no: str, grid: str = "G1a") -> str:
    lon, lat = grid_point(grid)
    order = {
        "order_no": order_no,
        "category": "sanitation",
        "description": "热线：垃圾未清运",
        "lat": lat,
        "lon": lon,
        "caller_name": "王先生",
        "caller_phone": "13655556666",
    }
    r = client.post("/api/v1/matters/import", headers=world.headers(who), json={"orders": [order]})
    assert r.status_code == 200 and r.json()["accepted"] == 1, r.text
    return r.json()["rows"][0]["tracking_code"]


HOOK_SECRET = "hotline-webhook-secret-0123456789abcdef"


def _deliver_to(live, url: str) -> None:
    """The real worker delivers the outbox to a webhook (in a thread: the test's own loop may be busy)."""
    settings = make_settings(live.settings.database_url, webhook_url=url, webhook_secret=HOOK_SECRET)

    async def run() -> None:
        db = Database(settings.database_url)
        try:
            async with OutboxWorker(db, settings) as worker:
                while await worker.run_once():
                    pass
        finally:
            await db.dispose()

    t = threading.Thread(target=lambda: asyncio.run(run()))
    t.start()
    t.join()


def test_a_hotline_orders_extension_and_result_go_back_with_its_order_number(world, client, live):
    from matters.helpers import matter_id

    mid = matter_id(live, _import(client, world, "station_chief", "12345-2026-0001"))
    m = act(client, world, "grid_leader", mid, "accept")
    assert m["order_no"] == "12345-2026-0001" and m["source"] == "hotline"
    until = (utcnow().astimezone(SHANGHAI).date() + timedelta(days=4)).isoformat()
    act(client, world, "grid_leader", mid, "apply_extension", reason="需协调", until=until)
    assert events(live, "hotline.extension") == []  # an application is not yet news for the hotline
    act(client, world, "station_chief", mid, "approve_application")
    ext = events(live, "hotline.extension")
    assert len(ext) == 1
    data = ext[0].payload["data"]
    assert data["order_no"] == "12345-2026-0001" and data["kind"] == "extension" and data["until"].startswith(until)
    act(client, world, "grid_leader", mid, "contact", contact={"method": "phone"})
    assert events(live, "hotline.result") == []
    act(client, world, "grid_leader", mid, "resolve", result="已清运完毕")
    result = events(live, "hotline.result")
    assert len(result) == 1
    data = result[0].payload["data"]
    assert data["order_no"] == "12345-2026-0001" and data["result"] == "已清运完毕" and data["status"] == "resolved"
    for key in ("received_at", "first_contact_at", "resolved_at"):
        assert data[key], key
    # The rating that closes it later is not a second result.
    act(client, world, "station_chief", mid, "callback", answer="satisfied")
    assert len(events(live, "hotline.result")) == 1
    # A report that did not come from the hotline sends nothing back.
    other = accepted(client, world, live)
    act(client, world, "grid_leader", other, "resolve", result="已清理")
    assert len(events(live, "hotline.result")) == 1

    # Both go to the hotline's platform through the signed webhook.
    with WebhookReceiver(HOOK_SECRET) as hook:
        _deliver_to(live, hook.url)
    sent = [r for r in hook.requests if r.topic.startswith("hotline.")]
    assert [(r.topic, r.body["data"]["order_no"], r.signature_ok) for r in sent] == [
        ("hotline.extension", "12345-2026-0001", True),
        ("hotline.result", "12345-2026-0001", True),
    ]

    # The export of a range of days, in the import's two formats.
    day = today()
    params = {"since": day, "until": day}
    r = client.get("/api/v1/matters/hotline/results", params=params, headers=world.headers("station_chief"))
    assert r.status_code == 200, r.text
    orders = r.json()["orders"]
    assert [o["order_no"] for o in orders] == ["12345-2026-0001"] and orders[0]["rating_source"] == "callback"
    r = client.get(
        "/api/v1/matters/hotline/results", params={**params, "format": "csv"}, headers=world.headers("street_officer")
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [(row["order_no"], row["result"]) for row in rows] == [("12345-2026-0001", "已清运完毕")]
    # Out of scope: another community's chief, another district's; the grid leader may not export.
    for who in ("chief_c3", "chief_c4"):
        r = client.get("/api/v1/matters/hotline/results", params=params, headers=world.headers(who))
        assert r.status_code == 200 and r.json()["orders"] == [], who
    assert_problem(
        client.get("/api/v1/matters/hotline/results", params=params, headers=world.headers("grid_leader")), 403
    )
    yesterday = (utcnow().astimezone(SHANGHAI).date() - timedelta(days=1)).isoformat()
    r = client.get(
        "/api/v1/matters/hotline/results",
        params={"since": yesterday, "until": yesterday},
        headers=world.headers("station_chief"),
    )
    assert r.json()["orders"] == []
    backwards = client.get(
        "/api/v1/matters/hotline/results",
        params={"since": day, "until": yesterday},
        headers=world.headers("station_chief"),
    )
    assert_problem(backwards, 422)
    assert_problem(
        client.get(
            "/api/v1/matters/hotline/results",
            params={"since": "x", "until": day},
            headers=world.headers("station_chief"),
        ),
        422,
    )


MALFORMED = {
    "contact": [
        {"contact": {"method": "fax"}},
        {"contact": {"method": "phone", "tries": 0}},
        {"contact": "phone"},
        {"contact": {"method": "phone", "at": "9999-12-31T23:59:59-12:00"}},
        {"contact": {"method": "phone", "at": "0001-01-01T00:00:00+14:00"}},
    ],
    "apply_extension": [
        {"reason": "x", "until": "next week"},
        {"reason": "", "until": "2030-01-01"},
        {"reason": "x", "until": "0001-01-01"},
    ],
    "apply_suspension": [{"reason": "x", "until": 20300101.5}],
    "refuse_application": [{"reason": ["no"]}],
    "verify": [{"note": "x", "photos": ["a"]}, {"note": "x", "photos": list(range(1, 12))}],
    "send_back": [{"reason": {"a": 1}}],
    "callback": [{"answer": "maybe"}],
    "mediate": [
        {"session": {}},
        {"session": _session(held_on="0001-01-01")},
        {"session": _session(follow_up_on="9999-12-31")},
        {"session": {**_session(), "outcome": "won"}},
        {"session": {**_session(), "parties": [{"phone": "13711112222"}]}},
        {"session": {**_session(), "parties": [{"name": "张三", "phone": "not a phone"}]}},
    ],
    "coordinate": [{"departments": ["DS1"], "reason": "x"}, {"departments": 3, "reason": "x"}],
    "record_part": [{"part": 12}, {"unknown": "field"}],
}


def test_malformed_bodies_of_the_new_actions_are_422(world, client, live):
    mid = accepted(client, world, live, "dispute")
    headers = {**world.headers("grid_leader"), "If-Match": get(client, world, "grid_leader", mid).headers["etag"]}
    for action, bodies in MALFORMED.items():
        for body in [*bodies, [1, 2], "text"]:
            r = client.post(f"/api/v1/matters/{mid}/actions/{action}", json=body, headers=headers)
            assert r.status_code == 422, (action, body, r.text)
            assert_problem(r, 422)
    assert get(client, world, "grid_leader", mid).json()["status"] == "accepted"


def test_every_field_the_table_needs_is_in_the_records_schema():
    """The record's `actions[].needs` is typed: a need the table names but the schema does not would be a lie in the
    API's types (and a client's forms are built from them)."""
    needs = typing.get_args(schemas.AllowedAction.model_fields["needs"].annotation)[0]
    assert set().union(*(rule.needs for rule in flow.TABLE.values())) == set(typing.get_args(needs))
    assert set(typing.get_args(needs)) <= set(schemas.ActionIn.model_fields)


def test_every_status_is_named_where_statuses_are_shown():
    """A new status (待核查) has its words in the notifications' titles, and counts as handled in the grid's day log
    (the desk's export takes the app's words: tests/matters/test_desk_table.py)."""
    from wangge.fieldwork.daylog import derived_disposition
    from wangge.matters import service

    assert set(flow.Status) <= set(service.STATUS_ZH) and service.STATUS_ZH["verifying"] == "待核查"
    assert derived_disposition("verifying") == "handled"
