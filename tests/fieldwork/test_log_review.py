"""The leaders' logs read from above 有人督查: the station chief lists the grid leaders of their community with their
days (signed or not, items, remarks), never another community's; reads a leader's day without writing anything;
leaves remarks the leader sees on 我的一天 and their week, audited; who may, and the limits."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from conftest import assert_problem
from matters.deliver import deliver, notified
from wangge.fieldwork.models import DailyLog

from .test_daylog import dispose, field_matter, my_day, sign, today

LOGS = "/api/v1/fieldwork/logs"


def logs(client, world, who: str = "station_chief", **params) -> dict:
    r = client.get(LOGS, params={"start": str(today()), **params}, headers=world.headers(who))
    assert r.status_code == 200, r.text
    return r.json()


def leaders(page: dict) -> list[int]:
    return [row["leader"]["id"] for row in page["items"]]


def remark(client, world, user: str, day, text: str = "请尽快处理路灯问题", who: str = "station_chief", kind="days"):
    return client.post(
        f"{LOGS}/{world.users[user]}/{kind}/{day}/remarks", json={"text": text}, headers=world.headers(who)
    )


def test_each_reader_sees_the_leaders_of_their_scope_only(world, client):
    u = world.users
    assert leaders(logs(client, world)) == [u["grid_leader"], u["leader_g1b"]]
    assert leaders(logs(client, world, "street_officer")) == [u["grid_leader"], u["leader_g1b"], u["leader_g2"]]
    assert leaders(logs(client, world, "system_admin")) == [u["grid_leader"], u["leader_g1b"], u["leader_g2"]]
    assert leaders(logs(client, world, "chief_c3")) == []
    # Another community's leader does not exist for the chief: not listed, not readable, no remark.
    assert logs(client, world, user_id=u["leader_g2"])["items"] == []
    assert_problem(client.get(f"{LOGS}/{u['leader_g2']}/days/{today()}", headers=world.headers("station_chief")), 404)
    assert_problem(remark(client, world, "leader_g2", today()), 404)
    assert_problem(remark(client, world, "grid_leader", today(), who="chief_c3"), 404)
    for who in ("grid_leader", "grid_member", "resident", "department_officer"):
        assert_problem(client.get(LOGS, params={"start": str(today())}, headers=world.headers(who)), 403)
    # A page at a time, by leader.
    first = logs(client, world, "street_officer", limit=2)
    assert leaders(first) == [u["grid_leader"], u["leader_g1b"]] and first["next_after"] == u["leader_g1b"]
    rest = logs(client, world, "street_officer", limit=2, after=first["next_after"])
    assert leaders(rest) == [u["leader_g2"]] and rest["next_after"] is None
    # By grid; a week of days, newest first; a bad range is a 422.
    assert leaders(logs(client, world, grid_id=world.ids["G1b"])) == [u["leader_g1b"]]
    week = logs(client, world, start=str(today() - timedelta(days=6)), end=str(today()))
    assert [c["day"] for c in week["items"][0]["days"]] == [str(today() - timedelta(days=i)) for i in range(7)]
    for params in (
        {"start": str(today()), "end": str(today() - timedelta(days=1))},
        {"start": str(today() - timedelta(days=40)), "end": str(today())},
        {"start": str(today() + timedelta(days=1))},
        {"start": "not-a-day"},
        {"start": str(today()), "limit": 0},
    ):
        assert_problem(client.get(LOGS, params=params, headers=world.headers("station_chief")), 422)


def test_reading_a_leaders_day_writes_nothing_and_signing_shows(world, client, live):
    day, leader = today(), world.users["grid_leader"]
    m = field_matter(client, world, "路灯不亮")
    r = client.get(f"{LOGS}/{leader}/days/{day}", headers=world.headers("station_chief"))
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["leader"]["name"] == "grid_leader的名字" and view["leader"]["grid"]["name"] == "G1a网格"
    assert [i["id"] for i in view["items"]] == [m["id"]] and view["items"][0]["needs_disposition"] is True
    assert view["signed_at"] is None and view["can_sign"] is False and view["remarks"] == []
    with live.session() as s:
        assert s.execute(select(func.count(DailyLog.id)).where(DailyLog.user_id == leader)).scalar() == 0
    cell = logs(client, world)["items"][0]["days"][0]
    assert cell == {"day": str(day), "signed_at": None, "items": 1, "remarks": 0}
    assert leaders(logs(client, world, signed="true")) == []
    assert leader in leaders(logs(client, world, signed="false"))
    assert_problem(
        client.get(f"{LOGS}/{leader}/days/{day + timedelta(days=1)}", headers=world.headers("station_chief")), 422
    )

    assert dispose(client, world, day, "matter", m["id"], "carried_over").status_code == 200
    assert sign(client, world, day).status_code == 200
    signed = logs(client, world, signed="true")
    assert leaders(signed) == [leader] and signed["items"][0]["days"][0]["signed_at"] is not None
    assert signed["items"][0]["days"][0]["items"] == 1
    assert leader not in leaders(logs(client, world, signed="false"))
    view = client.get(f"{LOGS}/{leader}/days/{day}", headers=world.headers("street_officer")).json()
    assert view["signed_at"] and view["items"][0]["disposition"] == "carried_over"


def test_a_remark_reaches_the_leader_who_marks_it_read(world, client, live):
    day, leader = today(), world.users["grid_leader"]
    r = remark(client, world, "grid_leader", day, "  请尽快处理路灯问题  ")
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["text"] == "请尽快处理路灯问题" and made["kind"] == "day" and made["read_at"] is None
    assert made["author"] == {"id": world.users["station_chief"], "name": "station_chief的名字"}
    assert remark(client, world, "grid_leader", day, "街道：注意消防通道", who="street_officer").status_code == 201

    mine = my_day(client, world)["remarks"]
    assert [x["text"] for x in mine] == ["请尽快处理路灯问题", "街道：注意消防通道"]
    assert my_day(client, world, "leader_g1b")["remarks"] == []
    assert logs(client, world)["items"][0]["days"][0]["remarks"] == 2
    deliver(live)
    told = notified(live, leader, "log.remarked")
    assert [n.title for n in told] == [f"督查意见 {day}"] * 2 and told[0].body == "请尽快处理路灯问题"

    # Only the leader marks it read; once.
    assert_problem(
        client.post(f"/api/v1/fieldwork/my-remarks/{made['id']}/read", headers=world.headers("leader_g1b")), 404
    )
    read = client.post(f"/api/v1/fieldwork/my-remarks/{made['id']}/read", headers=world.headers("grid_leader"))
    assert read.status_code == 200 and read.json()["read_at"]
    again = client.post(f"/api/v1/fieldwork/my-remarks/{made['id']}/read", headers=world.headers("grid_leader"))
    assert again.json()["read_at"] == read.json()["read_at"]
    assert my_day(client, world)["remarks"][0]["read_at"] == read.json()["read_at"]

    # Audited, in the leader's area.
    entries = client.get(
        "/api/v1/audit", params={"entity": "log_remark"}, headers=world.headers("administrator")
    ).json()["items"]
    created = [e for e in entries if e["action"] == "create"]
    assert len(created) == 2 and {e["actor_id"] for e in created} == {
        world.users["station_chief"],
        world.users["street_officer"],
    }
    assert created[-1]["changes"]["text"][1] == "请尽快处理路灯问题" and created[-1]["changes"]["user_id"][1] == leader

    # The week's remark, on its Monday.
    monday = day - timedelta(days=day.weekday())
    assert remark(client, world, "grid_leader", monday, "本周巡查偏少", kind="weeks").status_code == 201
    w = client.get("/api/v1/fieldwork/week", params={"start": str(monday)}, headers=world.headers("grid_leader"))
    assert [x["text"] for x in w.json()["remarks"]] == ["本周巡查偏少"]
    seen = client.get(f"{LOGS}/{leader}/weeks/{monday}", headers=world.headers("station_chief")).json()
    assert seen["leader"]["id"] == leader and [x["text"] for x in seen["remarks"]] == ["本周巡查偏少"]


def test_who_may_remark_and_the_limits(world, client):
    day = today()
    assert remark(client, world, "grid_leader", day, "字" * 500).status_code == 201
    for text in ("字" * 501, "", "   "):
        assert_problem(remark(client, world, "grid_leader", day, text), 422)
    for who in ("grid_leader", "leader_g1b", "resident", "department_officer", "grid_member"):
        assert_problem(remark(client, world, "grid_leader", day, who=who), 403)
    assert_problem(remark(client, world, "grid_leader", day + timedelta(days=1)), 422)
    not_monday = day - timedelta(days=day.weekday()) + timedelta(days=1)
    assert_problem(remark(client, world, "grid_leader", not_monday, kind="weeks"), 422)
    assert_problem(
        client.post(
            f"{LOGS}/{world.users['grid_leader']}/days/{day}/remarks",
            json={"text": "好", "extra": 1},
            headers=world.headers("station_chief"),
        ),
        422,
    )
    # A chief's own account, a resident, is not a leader: 404.
    assert_problem(remark(client, world, "resident", day), 404)


def test_a_remark_on_another_day_is_seen_on_today_until_read(world, client):
    """A chief's remark on yesterday (or on the week) is on today's 我的一天 among the unread ones, not only on
    yesterday's page; once read it leaves that list, and the day it was left on keeps it."""
    day = today()
    yesterday = day - timedelta(days=1)
    monday = day - timedelta(days=day.weekday())
    on_yesterday = remark(client, world, "grid_leader", yesterday, "昨天的日志未签字").json()
    on_today = remark(client, world, "grid_leader", day, "今天注意消防通道").json()
    on_week = remark(client, world, "grid_leader", monday, "本周巡查偏少", kind="weeks").json()

    now = my_day(client, world)
    assert [x["id"] for x in now["remarks"]] == [on_today["id"]]
    assert [x["id"] for x in now["unread_elsewhere"]] == [on_week["id"], on_yesterday["id"]]  # newest first
    assert [x["day"] for x in now["unread_elsewhere"]] == [str(monday), str(yesterday)]
    assert my_day(client, world, "leader_g1b")["unread_elsewhere"] == []  # another leader's remarks: never

    read = client.post(f"/api/v1/fieldwork/my-remarks/{on_yesterday['id']}/read", headers=world.headers("grid_leader"))
    assert read.status_code == 200
    assert [x["id"] for x in my_day(client, world)["unread_elsewhere"]] == [on_week["id"]]
    then = my_day(client, world, day=str(yesterday))
    assert [(x["id"], x["read_at"] is not None) for x in then["remarks"]] == [(on_yesterday["id"], True)]
    assert {x["id"] for x in then["unread_elsewhere"]} == {on_week["id"], on_today["id"]}  # seen from yesterday
