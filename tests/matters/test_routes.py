"""Each of the five routes end to end through the API, with handoffs, first-ask ownership, feedback and rating."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from conftest import assert_problem
from matters.deliver import deliver, notified
from matters.helpers import act, events, get, matter_id, rate, submit
from support.world import grid_point
from wangge.matters.models import Matter
from wangge.models_common import utcnow


def test_route_1_handled_on_the_spot_from_the_field_and_rated(world, client, live):
    from support.world import grid_point

    lon, lat = grid_point("G1a")
    r = client.post(
        "/api/v1/matters",
        headers=world.headers("grid_leader"),
        json={
            "category": "sanitation",
            "description": "垃圾桶满溢",
            "lat": lat,
            "lon": lon,
            "handled_on_spot": True,
            "result": "已清运",
            "reporter_phone": "13900001234",
        },
    )
    assert r.status_code == 201, r.text
    m = r.json()
    assert m["status"] == "resolved" and m["route"] == "on_spot" and m["source"] == "field"
    assert m["owner"]["id"] == world.users["grid_leader"] and m["grid"]["code"] == world.codes["G1a"]
    assert m["five_haves"]["resolved_by"] == "grid_leader的名字"
    assert r.headers["etag"] == f'"{m["version"]}"'


def test_route_2_brought_back_to_the_station_owner_stays_the_first_receiver(world, client, live):
    code = submit(client)["tracking_code"]
    mid = matter_id(live, code)
    m = get(client, world, "grid_leader", mid).json()
    assert m["status"] == "submitted" and m["owner"] is None
    # The resident left a phone: handling on the spot waits for the first contact (test_contact_first.py).
    assert m["allowed_actions"] == ["accept", "bring_back", "declare_emergency", "contact"]
    assert m["deadlines"]["sign_due_at"] is not None
    act(client, world, "grid_leader", mid, "accept")
    m = act(client, world, "grid_leader", mid, "bring_back", reason="网格内处理不了，带回服务站")
    assert m["status"] == "at_station" and m["route"] == "station" and m["holder"]["level"] == "station"
    assert m["allowed_actions"] == []  # the grid no longer holds it
    m = act(client, world, "station_chief", mid, "resolve", result="已协调物业清理")
    assert m["status"] == "resolved"
    # First-ask ownership: the grid leader who accepted it still owns it toward the resident.
    assert m["owner"]["id"] == world.users["grid_leader"]
    assert m["five_haves"]["responsible"].startswith("grid_leader的名字")
    assert m["five_haves"]["supervised_by"] == "station_chief的名字"
    deliver(live)
    # The owner hears of the change made by the station chief (their own actions are not echoed back to them).
    told = [n.title for n in notified(live, world.users["grid_leader"], "matter.changed")]
    assert len(told) == 1 and told[0].endswith("服务站办理 → 已办结")
    assert notified(live, world.users["station_chief"], "matter.changed")  # the station was told of bring_back
    resolved = events(live, "matter.resolved")
    assert resolved[-1].payload["data"]["reporter"]["phone"] == "13812345678"
    view = rate(client, code, "satisfied", "很快")
    assert view["status"] == "closed" and view["rating"] == "satisfied"


def test_route_3_escalated_returned_signed_resolved_and_reopened(world, client, live):
    code = submit(client)["tracking_code"]
    mid = matter_id(live, code)
    act(client, world, "grid_leader", mid, "bring_back", reason="网格内处理不了，带回服务站")
    m = act(
        client,
        world,
        "station_chief",
        mid,
        "escalate",
        reason="需城管执法",
        target={"level": "department", "department_id": world.ids["DS1"]},
    )
    assert m["status"] == "escalated" and m["holder"] == {
        "level": "department",
        "department_id": world.ids["DS1"],
        "name": "一街道城管",
    }
    assert m["deadlines"]["sign_due_at"] and m["deadlines"]["due_at"]
    # The department returns it with a reason; it goes back to the station with the reason visible.
    m = act(client, world, "department_officer", mid, "return", reason="不属于本部门职责")
    assert m["status"] == "at_station" and m["holder"]["level"] == "station"
    handoffs = client.get(f"/api/v1/matters/{mid}/handoffs", headers=world.headers("station_chief")).json()
    assert handoffs[0]["return_reason"] == "不属于本部门职责" and handoffs[0]["returned_at"]
    # Escalated again (default target: the category's department), signed and resolved.
    act(client, world, "station_chief", mid, "escalate", reason="请再核实")
    m = act(client, world, "department_officer", mid, "sign")
    assert m["status"] == "handling"
    handoffs = client.get(f"/api/v1/matters/{mid}/handoffs", headers=world.headers("department_officer")).json()
    assert handoffs[1]["signed_at"] and handoffs[1]["to_user"] == "department_officer的名字"
    act(client, world, "department_officer", mid, "resolve", result="已拆除违规广告牌")
    # Not satisfied: back once to the same handler (the department)...
    view = rate(client, code, "not_satisfied", "没有拆干净")
    assert view["status"] == "handling"
    m = get(client, world, "department_officer", mid).json()
    assert m["reopen_count"] == 1 and m["holder"]["level"] == "department"
    act(client, world, "department_officer", mid, "resolve", result="已全部拆除")
    # ...and a second time to the station chief.
    view = rate(client, code, "not_satisfied", "还是不行")
    assert view["status"] == "at_station"
    m = get(client, world, "station_chief", mid).json()
    assert m["reopen_count"] == 2 and "resolve" in m["allowed_actions"]


def test_route_3_through_the_street_to_a_district_department(world, client, live):
    code = submit(client, "urban_construction")["tracking_code"]
    mid = matter_id(live, code)
    act(client, world, "station_chief", mid, "bring_back", reason="网格内处理不了，带回服务站")
    act(client, world, "station_chief", mid, "escalate", reason="需街道协调", target={"level": "street"})
    act(client, world, "street_officer", mid, "sign")
    m = act(client, world, "street_officer", mid, "escalate", reason="报区住建")
    assert m["holder"]["department_id"] == world.ids["DD1"]
    act(client, world, "dept_dd1", mid, "sign")
    m = act(client, world, "dept_dd1", mid, "resolve", result="已修复")
    assert m["status"] == "resolved"
    assert [
        h["to_level"] for h in client.get(f"/api/v1/matters/{mid}/handoffs", headers=world.headers("dept_dd1")).json()
    ] == ["street", "department"]


def test_route_4_emergency_clocks_in_minutes_and_everyone_told_at_once(world, client, live):
    code = submit(client, "fire_safety", description="楼道起火冒烟")["tracking_code"]
    mid = matter_id(live, code)
    m = get(client, world, "grid_leader", mid).json()
    assert m["status"] == "emergency" and m["route"] == "emergency"
    created = utcnow()
    from datetime import datetime

    due = datetime.fromisoformat(m["deadlines"]["due_at"])
    sign = datetime.fromisoformat(m["deadlines"]["sign_due_at"])
    assert timedelta(minutes=115) < due - created < timedelta(minutes=121)
    assert timedelta(minutes=3) < sign - created < timedelta(minutes=6)
    deliver(live)
    for who in ("station_chief", "street_officer", "grid_leader", "grid_member"):
        assert notified(live, world.users[who], "matter.created"), who
    assert not notified(live, world.users["leader_g1b"])  # another grid's leader is not told
    m = act(client, world, "grid_leader", mid, "resolve", result="火已扑灭，无人员伤亡")
    assert m["status"] == "resolved"


def test_route_5_approval_with_public_notice_and_an_objection(world, client, live):
    code = submit(client, "livelihood", description="申请加装电梯")["tracking_code"]
    mid = matter_id(live, code)
    act(client, world, "grid_leader", mid, "bring_back", reason="网格内处理不了，带回服务站")
    m = act(client, world, "station_chief", mid, "define", reason="符合加装电梯条件")
    assert m["status"] == "approval_review" and m["route"] == "approval"
    act(client, world, "street_officer", mid, "review_pass")
    m = act(client, world, "dept_dd1", mid, "approve", result="同意加装")
    assert m["status"] == "public_notice" and m["deadlines"]["notice_ends_at"]
    view = client.post(
        f"/api/v1/public/matters/{code}/objection", json={"phone_last4": "5678", "reason": "影响采光"}
    ).json()
    assert view["status"] == "approval_decision"
    act(client, world, "dept_dd1", mid, "approve", result="复核后同意加装")
    problem = assert_problem(
        client.post(
            f"/api/v1/matters/{mid}/actions/end_notice",
            headers={
                **world.headers("station_chief"),
                "If-Match": get(client, world, "station_chief", mid).headers["etag"],
            },
        ),
        409,
    )
    assert problem["current_status"] == "public_notice" and "notice period has not ended" in problem["detail"]
    with live.session() as s:
        s.execute(update(Matter).where(Matter.id == mid).values(notice_ends_at=utcnow() - timedelta(minutes=1)))
        s.commit()
    m = act(client, world, "station_chief", mid, "end_notice")
    assert m["status"] == "resolved" and m["result"] == "复核后同意加装"
    assert rate(client, code, "basically_satisfied")["status"] == "closed"


def test_refused_approval_is_fed_back(world, client, live):
    code = submit(client, "livelihood")["tracking_code"]
    mid = matter_id(live, code)
    act(client, world, "station_chief", mid, "bring_back", reason="网格内处理不了，带回服务站")
    act(client, world, "station_chief", mid, "define", reason="界定")
    act(client, world, "street_officer", mid, "review_pass")
    m = act(client, world, "dept_dd1", mid, "refuse", result="不符合条件")
    assert m["status"] == "resolved" and m["outcome"] == "refused"


def test_every_way_in_declares_an_emergency_category_the_same_way(world, client, live):
    """One intake (matters/intake.py) for all sources: a fire reported at the front desk, found by a grid leader
    in the field, or imported from the 12345 hotline (placed in a grid or not) starts on the emergency route with
    its minute clocks, and the station and the street are told at once, as a resident's report is."""
    lon, lat = grid_point("G1a")
    entered = {}
    for who, source in (("station_chief", "front_desk"), ("grid_leader", "field")):
        r = client.post(
            "/api/v1/matters",
            json={
                "category": "fire_safety",
                "description": f"{source} 楼道起火",
                "lat": lat,
                "lon": lon,
                "source": source,
                "handled_on_spot": False,
                "photo_ids": [],
            },
            headers=world.headers(who),
        )
        assert r.status_code == 201, r.text
        entered[source] = r.json()["id"]
    r = client.post(
        "/api/v1/matters/import",
        json={
            "orders": [
                {"order_no": "F001", "category": "fire_safety", "description": "热线 起火", "lat": lat, "lon": lon},
                {
                    "order_no": "F002",
                    "category": "fire_safety",
                    "description": "热线 无网格",
                    "community_code": world.codes["C1"],
                },
            ]
        },
        headers=world.headers("station_chief"),
    )
    assert r.status_code == 200 and r.json()["accepted"] == 2, r.text
    for row in r.json()["rows"]:
        entered[row["order_no"]] = matter_id(live, row["tracking_code"])
    created = utcnow()
    for source, mid in entered.items():
        m = get(client, world, "station_chief", mid).json()
        assert (m["status"], m["route"]) == ("emergency", "emergency"), source
        due = datetime.fromisoformat(m["deadlines"]["due_at"])
        assert due - created < timedelta(minutes=121), source
    declared = [e for e in events(live, "matter.created") if e.payload["data"]["matter_id"] in entered.values()]
    assert len(declared) == 4
    deliver(live)
    for who in ("station_chief", "street_officer"):
        told = {n.matter_id for n in notified(live, world.users[who], "matter.created")}
        # Whoever entered it is not told of their own entry; everyone else hears of every one.
        expected = set(entered.values()) - ({entered["front_desk"]} if who == "station_chief" else set())
        assert expected <= told, who


def test_the_record_lists_each_allowed_action_with_the_fields_it_needs(world, client, live):
    mid = matter_id(live, submit(client)["tracking_code"])
    act(client, world, "grid_leader", mid, "contact", contact={"method": "phone"})
    m = get(client, world, "grid_leader", mid).json()
    actions = {a["action"]: a["needs"] for a in m["actions"]}
    assert list(actions) == m["allowed_actions"]
    assert actions["accept"] == [] and actions["handle_on_spot"] == ["result"]
    chief = get(client, world, "station_chief", mid).json()
    assert {a["action"]: a["needs"] for a in chief["actions"]}["merge"] == ["into"]
    act(client, world, "grid_leader", mid, "bring_back", reason="网格内处理不了，带回服务站")
    chief = {a["action"]: a["needs"] for a in get(client, world, "station_chief", mid).json()["actions"]}
    assert chief["escalate"] == ["reason", "target"] and chief["close"] == ["reason"]
