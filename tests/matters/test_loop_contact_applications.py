"""Contact first 先行联系, and applications for an extension 延期 or a suspension 缓办 decided one level up (issue 11),
through the API on both engines."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from conftest import assert_problem
from matters.deliver import deliver, notified
from matters.helpers import act, get
from matters.loop_helpers import (
    accepted,
    at_station,
    beijing,
    district_admin_of_d1,
    loop_of,
    new_matter,
    post_action,
    read_matter,
    set_matter,
    staff_matter,
    with_department,
)
from wangge.models_common import as_utc, utcnow
from wangge.workcalendar import SHANGHAI, TimeLimit, WorkCalendar


def test_contact_first_is_recorded_by_the_holder_against_its_own_clock(world, client, live):
    mid = new_matter(client, live)
    m = get(client, world, "grid_leader", mid).json()
    # The category's limit (two working hours) runs from intake, for a report with a phone.
    assert m["contact_due_at"] is not None and m["first_contact_at"] is None
    expected = WorkCalendar().deadline(datetime.fromisoformat(m["created_at"]), TimeLimit(2, "working_hours"))
    assert abs(datetime.fromisoformat(m["contact_due_at"]) - expected) < timedelta(seconds=1)
    assert {"action": "contact", "needs": ["contact"], "accepts": []} in m["actions"]
    act(client, world, "grid_leader", mid, "accept")
    # Nobody answered the first time: still a contact, tried three times.
    m = act(client, world, "grid_leader", mid, "contact", contact={"method": "phone", "answered": False, "tries": 3})
    first = m["first_contact_at"]
    assert first is not None and m["status"] == "accepted"
    # A later call was late: the clock is moved back before it so it counts as missed.
    set_matter(live, mid, contact_due_at=utcnow() - timedelta(hours=1))
    act(client, world, "grid_leader", mid, "contact", contact={"method": "visit", "agreed": "明天上午清理"})
    loop = loop_of(client, world, "station_chief", mid)
    records = loop["contact"]["records"]
    assert [r["method"] for r in records] == ["phone", "visit"]
    assert records[0]["answered"] is False and records[0]["tries"] == 3 and records[0]["on_time"] is True
    assert records[1]["on_time"] is False and records[1]["agreed"] == "明天上午清理"
    assert records[1]["by"] == "grid_leader的名字"
    # The first contact stays the first; against the moved clock it was late.
    assert datetime.fromisoformat(loop["contact"]["first_at"]) == datetime.fromisoformat(first)
    assert loop["contact"]["on_time"] is False
    # A contact in the future is refused; so is one by someone who does not hold it.
    later = (utcnow() + timedelta(hours=2)).isoformat()
    body = assert_problem(
        post_action(client, world, "grid_leader", mid, "contact", {"contact": {"method": "sms", "at": later}}), 422
    )
    assert body["errors"][0]["loc"] == ["body", "contact", "at"]
    earlier = (utcnow() - timedelta(days=2)).isoformat()
    before = post_action(client, world, "grid_leader", mid, "contact", {"contact": {"method": "sms", "at": earlier}})
    assert assert_problem(before, 422)["errors"][0]["loc"] == ["body", "contact", "at"]
    assert_problem(post_action(client, world, "station_chief", mid, "contact", {"contact": {"method": "sms"}}), 409)
    # The contact step is on the timeline.
    timeline = client.get(f"/api/v1/matters/{mid}/timeline", headers=world.headers("grid_leader")).json()
    assert [e["action"] for e in timeline].count("contact") == 2


def test_a_matter_without_a_phone_offers_no_contact(world, client, live):
    m = staff_matter(client, world)
    assert m["contact_due_at"] is None and "contact" not in m["allowed_actions"]
    body = assert_problem(
        post_action(client, world, "grid_leader", m["id"], "contact", {"contact": {"method": "phone"}}), 409
    )
    assert body["code"] == "action-not-allowed" and "nobody to contact" in body["detail"]
    # With the requester's phone the clock starts and the step is offered.
    m = staff_matter(client, world, reporter_phone="13900001234")
    assert m["contact_due_at"] is not None and "contact" in m["allowed_actions"]


def _until(due_at: str, days: int) -> str:
    return (beijing(due_at).date() + timedelta(days=days)).isoformat()


def _end_of(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(23, 59, 59), SHANGHAI)


def test_an_extension_moves_the_deadline_only_when_the_station_approves(world, client, live):
    mid = accepted(client, world, live)
    due = get(client, world, "grid_leader", mid).json()["deadlines"]["due_at"]
    until = _until(due, 3)
    m = act(client, world, "grid_leader", mid, "apply_extension", reason="需协调物业", until=until)
    assert m["pending_application"] == "extension" and m["deadlines"]["due_at"] == due
    # A second application while one waits, and the applicant deciding its own: both refused.
    assert_problem(
        post_action(client, world, "grid_leader", mid, "apply_suspension", {"reason": "x", "until": until}), 409
    )
    for action in ("approve_application", "refuse_application"):
        assert_problem(post_action(client, world, "grid_leader", mid, action, {"reason": "自己批"}), 409)
    # The station decides it: it is in the chief's queue, not in another community's, nor in the street's.
    queue = client.get("/api/v1/matters/applications", headers=world.headers("station_chief")).json()
    assert [(i["id"], i["application"]["reason"]) for i in queue] == [(mid, "需协调物业")]
    for who in ("chief_c3", "street_officer"):
        assert client.get("/api/v1/matters/applications", headers=world.headers(who)).json() == [], who
    # Nor does the street decide a grid's application (the station does), nor a chief of another community see it.
    assert "approve_application" not in get(client, world, "street_officer", mid).json()["allowed_actions"]
    assert get(client, world, "chief_c3", mid).status_code == 404
    # Refused: the deadline stays where it was.
    m = act(client, world, "station_chief", mid, "refuse_application", reason="时限内可以完成")
    assert m["pending_application"] is None and m["deadlines"]["due_at"] == due
    assert "approve_application" not in m["allowed_actions"]
    # Applied again and approved: the deadline is the end of that day in Beijing.
    act(client, world, "grid_leader", mid, "apply_extension", reason="物业仍未答复", until=until)
    m = act(client, world, "station_chief", mid, "approve_application")
    assert datetime.fromisoformat(m["deadlines"]["due_at"]) == _end_of(until)
    assert m["pending_application"] is None
    apps = loop_of(client, world, "grid_leader", mid)["applications"]
    assert [(a["kind"], a["decision"]) for a in apps] == [("extension", "refused"), ("extension", "approved")]
    assert apps[0]["decision_note"] == "时限内可以完成" and apps[0]["decided_by"] == "station_chief的名字"
    assert apps[1]["approver_level"] == "station" and apps[1]["applied_by"] == "grid_leader的名字"
    assert datetime.fromisoformat(apps[1]["due_at_before"]) == datetime.fromisoformat(due)
    timeline = [
        e["action"] for e in client.get(f"/api/v1/matters/{mid}/timeline", headers=world.headers("grid_leader")).json()
    ]
    assert timeline.count("apply_extension") == 2 and "approve_application" in timeline


def test_the_category_limits_how_many_and_how_long(world, client, live):
    cat = world.categories["sanitation"]
    rules = {"extension": {"max_count": 1, "max_days": 5}, "suspension": {"max_count": 1, "max_days": 30}}
    r = client.patch(f"/api/v1/categories/{cat}", headers=world.headers("system_admin"), json={"loop_rules": rules})
    assert r.status_code == 200, r.text
    assert r.json()["loop_rules"]["extension"] == {"max_count": 1, "max_days": 5}
    mid = accepted(client, world, live)
    due = get(client, world, "grid_leader", mid).json()["deadlines"]["due_at"]
    too_long = assert_problem(
        post_action(client, world, "grid_leader", mid, "apply_extension", {"reason": "久", "until": _until(due, 9)}),
        422,
    )
    assert too_long["code"] == "application-too-long" and too_long["errors"][0]["loc"] == ["body", "until"]
    before = assert_problem(
        post_action(client, world, "grid_leader", mid, "apply_extension", {"reason": "早", "until": _until(due, -1)}),
        422,
    )
    assert before["code"] == "application-date"
    # A refused one does not count toward the limit.
    act(client, world, "grid_leader", mid, "apply_extension", reason="一次", until=_until(due, 2))
    act(client, world, "station_chief", mid, "refuse_application", reason="不批")
    act(client, world, "grid_leader", mid, "apply_extension", reason="再申请", until=_until(due, 2))
    act(client, world, "station_chief", mid, "approve_application")
    due = get(client, world, "grid_leader", mid).json()["deadlines"]["due_at"]
    limit = assert_problem(
        post_action(
            client, world, "grid_leader", mid, "apply_extension", {"reason": "再一次", "until": _until(due, 1)}
        ),
        409,
    )
    assert limit["code"] == "application-limit"
    assert read_matter(live, mid).pending_application is None
    # Missing fields are named.
    missing = assert_problem(
        post_action(client, world, "grid_leader", mid, "apply_suspension", {"reason": "缺日期"}), 422
    )
    assert missing["errors"][0]["loc"] == ["body", "until"]


def test_a_suspension_moves_the_deadline_by_the_time_suspended(world, client, live):
    mid = accepted(client, world, live)
    before = as_utc(read_matter(live, mid).due_at)
    until = (utcnow().astimezone(SHANGHAI).date() + timedelta(days=5)).isoformat()
    act(client, world, "grid_leader", mid, "apply_suspension", reason="等待业主返乡", until=until)
    assert as_utc(read_matter(live, mid).due_at) == before
    decided_at = utcnow()
    m = act(client, world, "station_chief", mid, "approve_application")
    assert datetime.fromisoformat(m["suspended_until"]) == _end_of(until)
    moved = datetime.fromisoformat(m["deadlines"]["due_at"]) - before
    paused = _end_of(until) - decided_at
    assert abs(moved - paused) < timedelta(minutes=1), (moved, paused)


def test_an_application_lapses_when_the_matter_moves_on(world, client, live):
    mid = accepted(client, world, live)
    due = get(client, world, "grid_leader", mid).json()["deadlines"]["due_at"]
    act(client, world, "grid_leader", mid, "apply_extension", reason="需协调", until=_until(due, 2))
    m = act(client, world, "grid_leader", mid, "bring_back", reason="网格内处理不了，带回服务站")
    assert m["status"] == "at_station" and m["pending_application"] is None
    apps = loop_of(client, world, "station_chief", mid)["applications"]
    assert apps[0]["decision"] == "withdrawn" and apps[0]["decided_at"]
    assert "approve_application" not in m["allowed_actions"]
    assert_problem(post_action(client, world, "station_chief", mid, "approve_application", {}), 409)


def test_the_level_above_decides_a_stations_and_a_departments_applications(world, client, live):
    # The station's own: the street officer decides, not the chief who applied.
    mid = at_station(client, world, live)
    due = get(client, world, "station_chief", mid).json()["deadlines"]["due_at"]
    act(client, world, "station_chief", mid, "apply_extension", reason="需街道协调", until=_until(due, 2))
    assert_problem(post_action(client, world, "station_chief", mid, "approve_application", {}), 409)
    queue = client.get("/api/v1/matters/applications", headers=world.headers("street_officer")).json()
    assert [i["id"] for i in queue] == [mid] and queue[0]["application"]["kind"] == "extension"
    assert client.get("/api/v1/matters/applications", headers=world.headers("station_chief")).json() == []
    m = act(client, world, "street_officer", mid, "approve_application")
    assert datetime.fromisoformat(m["deadlines"]["due_at"]) == _end_of(_until(due, 2))
    # A department's: a district administrator decides; the street-level administrator and the street officer do not.
    admin = district_admin_of_d1(live, world)
    dept = with_department(client, world, live)
    due = get(client, world, "department_officer", dept).json()["deadlines"]["due_at"]
    act(client, world, "department_officer", dept, "apply_suspension", reason="等待鉴定", until=_until(due, 3))
    for who in ("administrator", "street_officer"):
        assert "approve_application" not in get(client, world, who, dept).json()["allowed_actions"]
        assert [i["id"] for i in client.get("/api/v1/matters/applications", headers=world.headers(who)).json()] == []
    queue = client.get("/api/v1/matters/applications", headers=world.headers(admin)).json()
    assert [i["id"] for i in queue] == [dept]
    # The district's administrator is told of it; the street's is not.
    deliver(live)
    assert [n.title for n in notified(live, world.users[admin], "matter.changed")][-1].endswith("申请缓办")
    assert not [n for n in notified(live, world.users["administrator"]) if "申请" in n.title]
    m = act(client, world, admin, dept, "approve_application")
    assert m["suspended_until"] is not None and m["pending_application"] is None
    # A grid leader has no queue of applications (supervisors only).
    assert_problem(client.get("/api/v1/matters/applications", headers=world.headers("grid_leader")), 403)
