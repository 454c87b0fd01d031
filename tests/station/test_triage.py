"""The daily triage meeting from agenda to locked minutes, batch decisions that respect each matter's rules, the
exports, scope; and supervision notes that reach the matter's owner."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from conftest import assert_problem
from matters.deliver import deliver, notified
from matters.helpers import act, get, matter_id, submit
from station.helpers import at_station, items_by_matter
from wangge.station.triage import beijing_today

API = "/api/v1/triage/meetings"


def test_meeting_from_agenda_to_locked_minutes_with_every_decision(world, client, live):
    chief = world.headers("station_chief")
    a = at_station(client, live, world, "sanitation", "G1a")
    b = at_station(client, live, world, "sanitation", "G1b")
    c = at_station(client, live, world, "civil_affairs", "G1a")
    d = at_station(client, live, world, "civil_affairs", "G1b")
    e = at_station(client, live, world, "civil_affairs", "G1a", description="<script>alert(1)</script> 楼道堆物")
    # Still with the grid: not on the agenda.
    submit(client, "sanitation", "G1a")

    r = client.post(API, headers=chief, json={})
    assert r.status_code == 201, r.text
    meeting = r.json()
    assert meeting["day"] == beijing_today().isoformat() and meeting["closed_at"] is None
    assert meeting["community"]["id"] == world.ids["C1"] and meeting["chair"]["id"] == world.users["station_chief"]
    groups = {g["category"]["code"]: g for g in meeting["groups"]}
    assert {code: g["count"] for code, g in groups.items()} == {"sanitation": 2, "civil_affairs": 3}
    assert groups["sanitation"]["category"]["name"] == "环境卫生"
    items = items_by_matter(meeting)
    assert set(items) == {a, b, c, d, e}
    assert items[b]["matter"]["grid"]["name"] == "G1b网格" and items[a]["matter"]["status"] == "at_station"
    assert_problem(client.post(API, headers=chief, json={}), 409)  # one per day
    mid = meeting["id"]

    def decide(matter: int, **body):
        return client.post(f"{API}/{mid}/items/{items[matter]['item_id']}/decide", headers=chief, json=body)

    r = decide(a, decision="station", assignee="城管条线", assignee_user_id=world.users["grid_leader"], note="今日清运")
    assert r.status_code == 200, r.text
    r = decide(b, decision="escalate", target={"level": "street"}, reason="需街道协调")
    assert r.status_code == 200, r.text
    r = decide(c, decision="close", reason="经核实已由物业处理")
    assert r.status_code == 200, r.text
    r = decide(d, decision="merge", into=e)
    assert r.status_code == 200, r.text
    assert_problem(decide(a, decision="close", reason="again"), 409)  # decided already
    decided = items_by_matter(r.json())
    assert decided[a]["decision"] == "station" and decided[a]["assignee"] == "城管条线"
    assert decided[a]["assignee_user"]["id"] == world.users["grid_leader"] and decided[a]["decided_at"]
    assert decided[b]["decision"] == "escalate" and decided[b]["matter"]["status"] == "escalated"
    assert decided[c]["matter"]["status"] == "closed" and decided[d]["matter"]["status"] == "merged"
    assert decided[e]["decision"] is None

    status = {m: get(client, world, "station_chief", m).json() for m in (a, b, c, d)}
    assert status[a]["status"] == "at_station"
    assert status[b]["status"] == "escalated" and status[b]["holder"]["level"] == "street"
    assert status[c]["status"] == "closed" and status[c]["result"] == "经核实已由物业处理"
    assert status[d]["merged_into_id"] == e
    timeline = client.get(f"/api/v1/matters/{a}/timeline", headers=chief).json()
    assert timeline[-1]["action"] == "triage" and timeline[-1]["data"]["assignee"] == "城管条线"
    deliver(live)
    assert notified(live, world.users["grid_leader"], "matter.assigned")

    r = client.put(
        f"{API}/{mid}/attendees",
        headers=chief,
        json=[
            {"user_id": world.users["station_chief"], "name": "站长", "role": "主持"},
            {"user_id": world.users["grid_leader"], "name": "网格长甲"},
            {"name": "物业代表", "role": "列席"},
        ],
    )
    assert r.status_code == 200, r.text
    assert [x["name"] for x in r.json()["attendees"]] == ["站长", "网格长甲", "物业代表"]
    r = client.put(f"{API}/{mid}/minutes", headers=chief, json={"text": "研判 5 项。<script>alert('x')</script>"})
    assert r.status_code == 200 and r.json()["minutes"].startswith("研判 5 项")

    # Others in scope may read; they may not run the meeting.
    assert client.get(f"{API}/{mid}", headers=world.headers("street_officer")).status_code == 200
    assert_problem(client.put(f"{API}/{mid}/minutes", headers=world.headers("grid_leader"), json={"text": "x"}), 403)

    r = client.post(f"{API}/{mid}/close", headers=chief)
    assert r.status_code == 200, r.text
    closed = r.json()
    assert closed["closed_at"] and [u["matter_id"] for u in closed["undecided"]] == [e]

    # Locked.
    for resp in (
        decide(e, decision="close", reason="late"),
        client.put(f"{API}/{mid}/minutes", headers=chief, json={"text": "改"}),
        client.put(f"{API}/{mid}/attendees", headers=chief, json=[]),
        client.post(f"{API}/{mid}/decide", headers=chief, json={"item_ids": [1], "decision": "close", "reason": "x"}),
        client.post(f"{API}/{mid}/close", headers=chief),
    ):
        assert "closed" in assert_problem(resp, 409)["detail"]

    # The workbook: meeting info, attendees, a row per item, and the undecided one named.
    r = client.get(f"{API}/{mid}/minutes.xlsx", headers=chief)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    flat = [c for row in rows for c in row if c is not None]
    assert "C1社区" in flat and any("网格长甲" in str(c) for c in flat)
    header = rows.index(["类别", "查询码", "网格", "事项描述", "研判决定", "承办", "备注"])
    table = rows[header + 1 :]
    assert len(table) == 5
    codes = {m: get(client, world, "station_chief", m).json()["tracking_code"] for m in (a, b, c, d, e)}
    by_code = {row[1]: row for row in table}
    assert set(by_code) == set(codes.values())
    assert by_code[codes[a]][4] == "站内办理" and "城管条线" in by_code[codes[a]][5]
    assert by_code[codes[b]][4] == "上报" and by_code[codes[b]][2] == "G1b网格"
    assert by_code[codes[c]][4] == "关闭" and by_code[codes[d]][4] == "合并" and by_code[codes[e]][4] == "未决"
    assert any("未作决定" in str(c) and codes[e] in str(c) for c in flat)

    # The printable page escapes what people typed.
    r = client.get(f"{API}/{mid}/minutes.html", headers=chief)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<script>" not in r.text and "&lt;script&gt;" in r.text and "@media print" in r.text
    assert codes[e] in r.text and "未作决定" in r.text

    # The next meeting's agenda is only what was brought back since this one opened.
    f = at_station(client, live, world, "sanitation", "G1a")
    tomorrow = (beijing_today() + timedelta(days=1)).isoformat()
    r = client.post(API, headers=chief, json={"day": tomorrow})
    assert r.status_code == 201, r.text
    assert set(items_by_matter(r.json())) == {f}
    listed = client.get(API, headers=chief, params={"community_id": world.ids["C1"]}).json()["items"]
    assert [m["day"] for m in listed] == [tomorrow, beijing_today().isoformat()]
    assert client.get(API, headers=chief, params={"day": tomorrow}).json()["items"][0]["items"] == 1


def test_batch_decisions_apply_each_on_its_own_rules(world, client, live):
    chief = world.headers("station_chief")
    p = at_station(client, live, world)
    q = at_station(client, live, world)
    r_ = at_station(client, live, world)
    closed_target = at_station(client, live, world, "civil_affairs")
    s = at_station(client, live, world, "civil_affairs")
    t = at_station(client, live, world, "civil_affairs")
    meeting = client.post(API, headers=chief, json={}).json()
    items = items_by_matter(meeting)
    # Between opening and deciding, q is escalated outside the meeting and the merge target is closed.
    act(client, world, "station_chief", q, "escalate", target={"level": "street"}, reason="先行上报")
    act(client, world, "station_chief", closed_target, "close", reason="已处理")

    r = client.post(
        f"{API}/{meeting['id']}/decide",
        headers=chief,
        json={
            "item_ids": [items[p]["item_id"], items[q]["item_id"], items[r_]["item_id"]],
            "decision": "escalate",
            "target": {"level": "street"},
            "reason": "批量上报街道",
        },
    )
    assert r.status_code == 200, r.text
    out = r.json()
    assert [x["matter_id"] for x in out["applied"]] == [p, r_]
    assert all(x["status"] == "escalated" for x in out["applied"])
    [refused] = out["refused"]
    assert refused["matter_id"] == q and refused["status"] == 409
    assert "escalated" in refused["detail"] and "allowed" in refused["detail"]
    for m in (p, r_):
        assert get(client, world, "station_chief", m).json()["status"] == "escalated"

    # Merging into a closed matter is refused and named; the other merge goes through.
    r = client.post(
        f"{API}/{meeting['id']}/decide",
        headers=chief,
        json={"item_ids": [items[s]["item_id"], items[t]["item_id"]], "decision": "merge", "into": closed_target},
    )
    assert r.status_code == 200, r.text
    assert r.json()["applied"] == [] and {x["matter_id"] for x in r.json()["refused"]} == {s, t}
    assert all("open matter" in x["detail"] for x in r.json()["refused"])
    r = client.post(
        f"{API}/{meeting['id']}/decide",
        headers=chief,
        json={"item_ids": [items[s]["item_id"], items[closed_target]["item_id"]], "decision": "merge", "into": t},
    )
    out = r.json()
    assert [x["matter_id"] for x in out["applied"]] == [s]
    assert [x["matter_id"] for x in out["refused"]] == [closed_target] and "closed" in out["refused"][0]["detail"]
    final = items_by_matter(client.get(f"{API}/{meeting['id']}", headers=chief).json())
    assert final[p]["decision"] == final[r_]["decision"] == "escalate" and final[q]["decision"] is None
    assert final[s]["decision"] == "merge" and final[t]["decision"] is None


def test_scope_of_meetings(world, client, live):
    at_station(client, live, world)
    meeting = client.post(API, headers=world.headers("station_chief"), json={}).json()
    mid, item = meeting["id"], meeting["groups"][0]["items"][0]["item_id"]
    other = world.headers("chief_c4")
    assert_problem(client.get(f"{API}/{mid}", headers=other), 404)
    assert_problem(client.get(f"{API}/{mid}/minutes.xlsx", headers=other), 404)
    assert_problem(
        client.post(f"{API}/{mid}/items/{item}/decide", headers=other, json={"decision": "close", "reason": "x"}), 404
    )
    assert client.get(API, headers=other).json()["items"] == []
    # Their own meeting is of their own community, with an empty agenda.
    mine = client.post(API, headers=other, json={}).json()
    assert mine["community"]["id"] == world.ids["C4"] and mine["groups"] == []
    assert_problem(client.post(API, headers=world.headers("grid_leader"), json={}), 403)
    assert_problem(client.get(f"{API}/{mid}", headers=world.headers("resident")), 403)
    assert_problem(
        client.post(
            f"{API}/{mid}/items/{item}/decide", headers=world.headers("grid_leader"), json={"decision": "close"}
        ),
        403,
    )
    assert_problem(
        client.post(
            f"{API}/{mid}/items/{item}/decide", headers=world.headers("station_chief"), json={"decision": "station"}
        ),
        422,
    )


def test_supervision_note_reaches_the_owner(world, client, live):
    mid = matter_id(live, submit(client)["tracking_code"])
    act(client, world, "grid_leader", mid, "accept")  # the first-ask owner
    url = f"/api/v1/matters/{mid}/supervision-notes"
    r = client.post(url, headers=world.headers("station_chief"), json={"text": "请于今日内处理完毕"})
    assert r.status_code == 201, r.text
    assert r.json()["text"] == "请于今日内处理完毕"
    r = client.post(url, headers=world.headers("street_officer"), json={"text": "街道督办"})
    assert r.status_code == 201, r.text
    deliver(live)
    told = notified(live, world.users["grid_leader"], "matter.supervised")
    assert len(told) == 2 and told[0].title.startswith("督办")
    listed = client.get(url, headers=world.headers("grid_leader")).json()["items"]
    assert [n["text"] for n in listed] == ["请于今日内处理完毕", "街道督办"]
    assert listed[0]["author"]["name"] == "station_chief的名字"
    timeline = client.get(f"/api/v1/matters/{mid}/timeline", headers=world.headers("station_chief")).json()
    assert [e["action"] for e in timeline].count("supervise") == 2
    assert_problem(client.post(url, headers=world.headers("grid_member"), json={"text": "x"}), 403)
    assert_problem(client.post(url, headers=world.headers("chief_c4"), json={"text": "x"}), 404)
    assert_problem(client.get(url, headers=world.headers("chief_c4")), 404)
    assert_problem(client.post(url, headers=world.headers("station_chief"), json={"text": "x", "extra": 1}), 422)
