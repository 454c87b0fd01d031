"""Early warnings 预警 on both engines: who they reach (exactly the staff of their grids), the signed webhook events
`warning.issued` / `warning.lifted` for the SMS/WeChat gateway, acknowledgements, lifting, and scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from conftest import assert_problem
from earlywarning.helpers import API, SECRET, deliver_to, issue
from matters.deliver import notified
from notify.receiver import WebhookReceiver
from wangge.models_common import utcnow
from wangge.notify.models import Notification


@pytest.fixture
def receiver():
    with WebhookReceiver(SECRET) as r:
        yield r


def test_a_warning_reaches_exactly_the_staff_of_its_grids(client, world, live, receiver):
    w = issue(client, world, ["G1a"])
    assert w["status"] == "active" and w["level"] == "red" and w["grid_ids"] == [world.ids["G1a"]]
    staff = {world.users["grid_leader"], world.users["grid_member"]}
    assert {r["user_id"] for r in w["recipients"]} == staff
    assert w["recipients_total"] == 2 and w["acknowledged_total"] == 0

    deliver_to(live, receiver.url)
    with live.session() as s:
        told = set(s.execute(select(Notification.user_id).where(Notification.topic == "warning.issued")).scalars())
    assert told == staff  # nobody else: not the next grid's leader, the chief, the officer who issued it
    (n,) = notified(live, world.users["grid_leader"], "warning.issued")
    assert n.title == "红色预警：暴雨"
    mine = client.get(f"{API}/notifications", headers=world.headers("grid_leader")).json()["items"]
    assert mine[0]["warning_id"] == w["id"] and mine[0]["warning_level"] == "red"

    (event,) = [r for r in receiver.requests if r.topic == "warning.issued"]
    assert event.signature_ok and event.headers["x-wangge-event"] == "warning.issued"
    data = event.body["data"]
    assert data["warning_id"] == w["id"] and data["grid_ids"] == [world.ids["G1a"]]
    assert data["text"] == "今夜有特大暴雨，请立即巡查低洼地带" and data["level"] == "red"
    assert {r["user_id"] for r in data["recipients"]} == staff
    assert all(r["kind"] == "staff" and r["phone"] and r["grid_id"] == world.ids["G1a"] for r in data["recipients"])


def test_two_grids_reach_both_and_a_chief_warns_only_their_community(client, world, live, receiver):
    w = issue(client, world, ["G1a", "G1b"], who="station_chief", level="blue")
    expected = {world.users[u] for u in ("grid_leader", "grid_member", "leader_g1b")}
    assert {r["user_id"] for r in w["recipients"]} == expected
    deliver_to(live, receiver.url)
    with live.session() as s:
        told = set(s.execute(select(Notification.user_id).where(Notification.topic == "warning.issued")).scalars())
    assert told == expected and world.users["leader_g2"] not in told
    # G2 belongs to another community of the street: not the chief's to warn.
    problem = assert_problem(
        client.post(
            f"{API}/warnings",
            json={
                "kind": "heat",
                "level": "yellow",
                "text": "高温",
                "valid_until": w["valid_until"],
                "grid_ids": [world.ids["G2"]],
            },
            headers=world.headers("station_chief"),
        ),
        422,
    )
    assert problem["code"]
    grids = client.get(f"{API}/warnings/grids", headers=world.headers("station_chief")).json()
    assert {g["id"] for g in grids} == {world.ids["G1a"], world.ids["G1b"]}


def test_acknowledgements_are_seen_by_the_issuer(client, world):
    w = issue(client, world, ["G1a"], level="orange")
    wid = w["id"]
    r = client.post(f"{API}/warnings/{wid}/ack", headers=world.headers("grid_leader"))
    assert r.status_code == 200, r.text
    first = r.json()["acknowledged_at"]
    assert first is not None and r.json()["acknowledged_total"] == 1
    again = client.post(f"{API}/warnings/{wid}/ack", headers=world.headers("grid_leader")).json()
    assert again["acknowledged_at"] == first  # a repeat keeps the first time
    d = client.get(f"{API}/warnings/{wid}", headers=world.headers("street_officer")).json()
    acks = {r["user_id"]: r["acknowledged_at"] for r in d["recipients"]}
    assert acks[world.users["grid_leader"]] == first and acks[world.users["grid_member"]] is None
    assert d["may_lift"] is True and d["may_acknowledge"] is False
    # The officer is no recipient: 403; the leader of another grid does not even see it: 404.
    assert_problem(client.post(f"{API}/warnings/{wid}/ack", headers=world.headers("street_officer")), 403)
    assert_problem(client.post(f"{API}/warnings/{wid}/ack", headers=world.headers("leader_g1b")), 404)


def test_scope_outside_is_404_and_lists_are_limited(client, world):
    w = issue(client, world, ["G1a"])
    wid = w["id"]
    for who in ("leader_g1b", "leader_g2", "chief_c3", "chief_c4", "resident", "dept_dd1"):
        assert_problem(client.get(f"{API}/warnings/{wid}", headers=world.headers(who)), 404)
        listed = client.get(f"{API}/warnings", headers=world.headers(who))
        assert listed.status_code == 200 and listed.json() == [], who
    for who in ("grid_leader", "grid_member", "station_chief", "street_officer", "administrator"):
        assert [x["id"] for x in client.get(f"{API}/warnings", headers=world.headers(who)).json()] == [wid], who
    assert_problem(client.post(f"{API}/warnings/{wid}/lift", json={}, headers=world.headers("chief_c3")), 404)
    assert_problem(client.get(f"{API}/warnings/999999", headers=world.headers("street_officer")), 404)


def test_who_may_issue_and_malformed_input(client, world):
    for who in ("grid_leader", "resident", "dept_dd1"):
        issue(client, world, ["G1a"], who=who, expect=403)
    past = (utcnow() - timedelta(hours=1)).isoformat()
    issue(client, world, ["G1a"], valid_until=past, expect=422)
    issue(client, world, ["G1a"], level="purple", expect=422)
    issue(client, world, [], expect=422)
    issue(client, world, ["G1a"], text="", expect=422)
    issue(client, world, ["G1a"], valid_until="tomorrow", expect=422)
    issue(client, world, ["G3"], expect=422)  # another street's grid
    r = client.post(f"{API}/warnings", json={"grid_ids": ["x"]}, headers=world.headers("street_officer"))
    assert_problem(r, 422)


def test_lifting_is_announced_and_only_by_the_issuing_unit(client, world, live, receiver):
    w = issue(client, world, ["G1a"], who="station_chief")
    wid = w["id"]
    assert_problem(client.post(f"{API}/warnings/{wid}/lift", json={}, headers=world.headers("grid_leader")), 403)
    r = client.post(f"{API}/warnings/{wid}/lift", json={"note": "雨停"}, headers=world.headers("station_chief"))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "lifted" and r.json()["lift_note"] == "雨停" and r.json()["may_lift"] is False
    assert_problem(client.post(f"{API}/warnings/{wid}/lift", json={}, headers=world.headers("street_officer")), 409)
    assert [
        x["id"] for x in client.get(f"{API}/warnings?status=lifted", headers=world.headers("grid_leader")).json()
    ] == [wid]
    assert client.get(f"{API}/warnings?status=active", headers=world.headers("grid_leader")).json() == []

    deliver_to(live, receiver.url)
    (lifted,) = [r for r in receiver.requests if r.topic == "warning.lifted"]
    assert lifted.signature_ok and lifted.body["data"]["warning_id"] == wid and lifted.body["data"]["note"] == "雨停"
    assert lifted.body["data"]["grid_ids"] == [world.ids["G1a"]]
    (n,) = notified(live, world.users["grid_member"], "warning.lifted")
    assert n.title.startswith("解除红色预警")
