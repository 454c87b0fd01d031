"""What the resident's tracking page shows of the steps around the routes (issue 11): that they were contacted, the
new date of an approved extension (never the reason, nor who applied or decided), and a callback's rating marked as
given by phone; the record's allowed actions name every field the new steps need."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from matters.helpers import PHONE, act, get, matter_id, submit


def _track(client, code: str) -> dict:
    r = client.get(f"/api/v1/public/matters/{code}", params={"phone_last4": PHONE[-4:]})
    assert r.status_code == 200, r.text
    return r.json()


def test_the_resident_sees_the_contact_and_the_new_date_but_not_the_application(world, client, live):
    code = submit(client)["tracking_code"]
    mid = matter_id(live, code)
    act(client, world, "grid_leader", mid, "accept")
    m = get(client, world, "grid_leader", mid).json()
    needs = {a["action"]: a["needs"] for a in m["actions"]}
    assert sorted(needs["apply_extension"]) == ["reason", "until"] and needs["contact"] == ["contact"]

    act(client, world, "grid_leader", mid, "contact", contact={"method": "phone", "agreed": "明天上午处理"})
    due = datetime.fromisoformat(m["deadlines"]["due_at"]).astimezone(ZoneInfo("Asia/Shanghai"))
    until = (due + timedelta(days=2)).date().isoformat()
    act(client, world, "grid_leader", mid, "apply_extension", reason="等清运车辆的排期", until=until)
    applied = _track(client, code)
    assert [s["action"] for s in applied["steps"]] == ["create", "accept", "contact"]  # the application is not shown

    act(client, world, "station_chief", mid, "approve_application")
    steps = _track(client, code)["steps"]
    assert [s["action"] for s in steps] == ["create", "accept", "contact", "approve_application"]
    approved = steps[-1]
    assert approved["kind"] == "extension"
    assert datetime.fromisoformat(approved["until"]).astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat() == until
    assert set(approved) == {"at", "action", "status", "kind", "until"}  # no reason, no names
    assert all(set(s) == {"at", "action", "status"} for s in steps[:-1])
    assert "明天上午处理" not in str(steps) and "等清运车辆" not in str(steps)


def test_a_callback_rating_is_marked_as_given_by_phone(world, client, live):
    code = submit(client)["tracking_code"]
    mid = matter_id(live, code)
    act(client, world, "grid_leader", mid, "accept")
    act(client, world, "grid_leader", mid, "resolve", result="已清理")
    assert _track(client, code)["rating_source"] is None
    m = get(client, world, "station_chief", mid).json()
    assert {"action": "callback", "needs": ["answer"], "accepts": []} in m["actions"]
    act(client, world, "station_chief", mid, "callback", answer="basically_satisfied", note="希望再快些")
    view = _track(client, code)
    assert view["status"] == "closed" and view["rating"] == "basically_satisfied"
    assert view["rating_source"] == "callback"
    assert view["steps"][-1]["action"] == "callback"
