"""Verification 核查 before closing by someone other than the handler, and callbacks 回访 whose answer counts as the
resident's rating (issue 11), through the API on both engines."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from conftest import assert_problem
from matters.deliver import deliver, notified
from matters.helpers import act, events, get
from matters.loop_helpers import (
    accepted,
    at_station,
    district_admin_of_d1,
    loop_of,
    post_action,
    second_chief_of_c1,
    set_matter,
    staff_matter,
    upload_photo,
    with_department,
)
from wangge.matters.models import Photo
from wangge.models_common import utcnow


def _resolved_events(live, mid: int) -> list:
    return [e for e in events(live, "matter.resolved") if e.payload["data"]["matter_id"] == mid]


def test_a_station_chief_cannot_verify_their_own_resolution_another_chief_does_with_a_photo(world, client, live):
    mid = at_station(client, world, live, "illegal_construction")
    m = act(client, world, "station_chief", mid, "resolve", result="已责令拆除")
    assert m["status"] == "verifying" and m["deadlines"]["due_at"] is None
    assert "verify" not in m["allowed_actions"] and "send_back" not in m["allowed_actions"]
    body = assert_problem(
        post_action(client, world, "station_chief", mid, "verify", {"note": "自查", "photos": []}), 409
    )
    assert body["code"] == "action-not-allowed" and "cannot verify their own" in body["detail"]
    # The street, the level above, may verify it too (a community often has one chief): it is in its queue.
    street = client.get("/api/v1/matters/verifications", headers=world.headers("street_officer")).json()
    assert [(i["id"], i["own"]) for i in street] == [(mid, False)]
    assert "verify" in get(client, world, "street_officer", mid).json()["allowed_actions"]
    # The resident hears nothing until it is verified, and cannot rate it meanwhile.
    assert _resolved_events(live, mid) == []
    code = m["tracking_code"]
    public = client.get(f"/api/v1/public/matters/{code}", params={"phone_last4": "5678"}).json()
    assert public["status"] == "verifying" and public["can_rate"] is False
    assert_problem(
        client.post(f"/api/v1/public/matters/{code}/rating", json={"phone_last4": "5678", "rating": "satisfied"}), 409
    )
    other = second_chief_of_c1(live, world)
    queue = client.get("/api/v1/matters/verifications", headers=world.headers(other)).json()
    assert [(i["id"], i["own"]) for i in queue] == [(mid, False)]
    own = client.get("/api/v1/matters/verifications", headers=world.headers("station_chief")).json()
    assert [(i["id"], i["own"]) for i in own] == [(mid, True)]
    m = get(client, world, other, mid).json()
    assert {"action": "verify", "needs": ["note", "photos"], "accepts": []} in m["actions"]
    # Sent back first: the station handles it again, on a fresh clock.
    m = act(client, world, other, mid, "send_back", reason="现场仍有残留")
    assert m["status"] == "at_station" and m["resolved_at"] is None and m["deadlines"]["due_at"] is not None
    assert m["result"] is None  # the result the verifier did not accept is no longer the matter's (the timeline has it)
    act(client, world, "station_chief", mid, "resolve", result="已全部拆除")
    # Verifying needs a note and an on-site photo taken by the verifier.
    missing = assert_problem(post_action(client, world, other, mid, "verify", {"note": "现场已拆除"}), 422)
    assert missing["errors"][0]["loc"] == ["body", "photos"]
    someone_elses = upload_photo(client, world, "station_chief")
    not_theirs = assert_problem(
        post_action(client, world, other, mid, "verify", {"note": "现场", "photos": [someone_elses]}), 422
    )
    assert not_theirs["errors"][0]["loc"] == ["body", "photos"]
    photo = upload_photo(client, world, other)
    m = act(client, world, other, mid, "verify", note="现场已拆除", photos=[photo])
    assert m["status"] == "resolved" and m["verified_at"] is not None
    assert photo in [p["id"] for p in m["photos"]]
    with live.session() as s:
        assert s.execute(select(Photo.matter_id).where(Photo.id == photo)).scalar_one() == mid
    loop = loop_of(client, world, "grid_leader", mid)
    verification = loop["verification"]
    assert verification["needed"] is True and verification["verified_by"] == "chief2_c1的名字"
    assert verification["note"] == "现场已拆除" and [p["id"] for p in verification["photos"]] == [photo]
    assert [s["reason"] for s in verification["sent_back"]] == ["现场仍有残留"]
    # Now the resident is told (once), and rates it as usual.
    told = _resolved_events(live, mid)
    assert len(told) == 1 and told[0].payload["data"]["result"] == "已全部拆除"
    public = client.get(f"/api/v1/public/matters/{code}", params={"phone_last4": "5678"}).json()
    assert public["can_rate"] is True and "verify" in [s["action"] for s in public["steps"]]
    assert client.get("/api/v1/matters/verifications", headers=world.headers(other)).json() == []
    # Handled on the spot by the grid: verified by the station too (either chief, since neither resolved it).
    spot = staff_matter(
        client,
        world,
        category="illegal_construction",
        handled_on_spot=True,
        result="已当场劝停",
        reporter_phone="13900001234",
    )
    assert spot["status"] == "verifying" and _resolved_events(live, spot["id"]) == []
    queue = client.get("/api/v1/matters/verifications", headers=world.headers("station_chief")).json()
    assert [(i["id"], i["own"]) for i in queue] == [(spot["id"], False)]
    m = act(client, world, "station_chief", spot["id"], "send_back", reason="未提供现场照片")
    assert m["status"] == "accepted" and m["holder"]["level"] == "grid"


def test_the_street_verifies_a_departments_resolution_and_a_category_may_close_on_it(world, client, live):
    cat = world.categories["illegal_construction"]
    r = client.patch(
        f"/api/v1/categories/{cat}",
        headers=world.headers("system_admin"),
        json={"loop_rules": {"verify": True, "close_on": "verification"}},
    )
    assert r.status_code == 200, r.text
    bad = client.patch(
        f"/api/v1/categories/{cat}",
        headers=world.headers("system_admin"),
        json={"loop_rules": {"verify": False, "close_on": "verification"}},
    )
    assert_problem(bad, 422)
    mid = with_department(client, world, live, "illegal_construction")
    m = act(client, world, "department_officer", mid, "resolve", result="已拆除")
    assert m["status"] == "verifying"
    # The station does not verify a department's resolution, nor does the district; the street does.
    assert "verify" not in get(client, world, "station_chief", mid).json()["allowed_actions"]
    assert client.get("/api/v1/matters/verifications", headers=world.headers("station_chief")).json() == []
    admin = district_admin_of_d1(live, world)
    assert client.get("/api/v1/matters/verifications", headers=world.headers(admin)).json() == []
    assert "verify" not in get(client, world, admin, mid).json()["allowed_actions"]
    assert [
        i["id"] for i in client.get("/api/v1/matters/verifications", headers=world.headers("street_officer")).json()
    ] == [mid]
    assert_problem(client.get("/api/v1/matters/verifications", headers=world.headers("grid_leader")), 403)
    photo = upload_photo(client, world, "street_officer")
    m = act(client, world, "street_officer", mid, "verify", note="核查属实", photos=[photo])
    assert m["status"] == "closed" and m["closed_at"] is not None
    assert len(_resolved_events(live, mid)) == 1
    # The street's own resolution: its officer may not verify it; the district verifies it.
    held = at_station(client, world, live, "illegal_construction")
    act(client, world, "station_chief", held, "escalate", reason="需街道协调", target={"level": "street"})
    act(client, world, "street_officer", held, "sign")
    m = act(client, world, "street_officer", held, "resolve", result="已协调拆除")
    assert m["status"] == "verifying" and "verify" not in m["allowed_actions"]
    assert [i["id"] for i in client.get("/api/v1/matters/verifications", headers=world.headers(admin)).json()] == [held]
    m = act(client, world, admin, held, "verify", note="区里核查", photos=[upload_photo(client, world, admin)])
    assert m["status"] == "closed"
    # Sent back to a department: it handles it again.
    again = with_department(client, world, live, "illegal_construction")
    act(client, world, "department_officer", again, "resolve", result="已拆除")
    m = act(client, world, "street_officer", again, "send_back", reason="未拆除干净")
    assert m["status"] == "handling" and m["holder"]["level"] == "department"


def _resolved_days_ago(client, world, live, days: int, category: str = "sanitation") -> int:
    mid = accepted(client, world, live, category)
    act(client, world, "grid_leader", mid, "resolve", result="已清理")
    set_matter(live, mid, resolved_at=utcnow() - timedelta(days=days))
    return mid


def test_callbacks_list_the_unrated_and_record_the_answer_as_the_rating(world, client, live):
    old = _resolved_days_ago(client, world, live, 4)
    recent = _resolved_days_ago(client, world, live, 1)
    queue = client.get("/api/v1/matters/callbacks", headers=world.headers("station_chief")).json()
    assert [i["id"] for i in queue] == [old]
    assert queue[0]["reporter_phone"] == "13812345678" and queue[0]["callback_tries"] == 0
    # Only the station in scope: another community's chief sees none, and the street only its own level's.
    assert client.get("/api/v1/matters/callbacks", headers=world.headers("chief_c3")).json() == []
    assert client.get("/api/v1/matters/callbacks", headers=world.headers("street_officer")).json() == []
    assert_problem(client.get("/api/v1/matters/callbacks", headers=world.headers("grid_leader")), 403)
    # The category's days decide: with one day, the recent one is due too.
    cat = world.categories["sanitation"]
    r = client.patch(
        f"/api/v1/categories/{cat}",
        headers=world.headers("system_admin"),
        json={"loop_rules": {"callback_after_days": 1, "callback_tries": 2}},
    )
    assert r.status_code == 200, r.text
    queue = client.get("/api/v1/matters/callbacks", headers=world.headers("station_chief")).json()
    assert [i["id"] for i in queue] == [old, recent]
    # Satisfied: closed, rated by callback.
    m = act(client, world, "station_chief", old, "callback", answer="satisfied", note="居民表示满意")
    assert m["status"] == "closed" and m["rating"] == "satisfied" and m["rating_source"] == "callback"
    assert m["rating_comment"] == "居民表示满意"
    # Unreachable: counted, and closed after the category's tries (two).
    m = act(client, world, "station_chief", recent, "callback", answer="unreachable")
    assert m["status"] == "resolved" and m["rating"] is None
    queue = client.get("/api/v1/matters/callbacks", headers=world.headers("station_chief")).json()
    assert [(i["id"], i["callback_tries"]) for i in queue] == [(recent, 1)]
    m = act(client, world, "station_chief", recent, "callback", answer="unreachable")
    assert m["status"] == "closed" and m["rating"] is None
    calls = loop_of(client, world, "station_chief", recent)["callbacks"]
    assert [(c["answer"], c["tries"]) for c in calls] == [("unreachable", 1), ("unreachable", 2)]
    assert client.get("/api/v1/matters/callbacks", headers=world.headers("station_chief")).json() == []
    # No answer is no callback.
    again = _resolved_days_ago(client, world, live, 2)
    assert_problem(post_action(client, world, "station_chief", again, "callback", {"note": "没有答案"}), 422)
    assert_problem(post_action(client, world, "grid_leader", again, "callback", {"answer": "satisfied"}), 409)


def test_a_callback_not_satisfied_reopens_to_the_handler_then_to_the_station(world, client, live):
    mid = _resolved_days_ago(client, world, live, 4)
    m = act(client, world, "station_chief", mid, "callback", answer="not_satisfied", note="还有垃圾")
    assert m["status"] == "accepted" and m["reopen_count"] == 1 and m["holder"]["level"] == "grid"
    assert m["rating"] == "not_satisfied" and m["rating_source"] == "callback"
    # The grid's staff hear that it is back on their desk (not only its first-ask owner).
    deliver(live)
    told = [n.title for n in notified(live, world.users["grid_member"], "matter.changed")]
    assert told and told[-1].endswith("已办结 → 已受理")
    assert m["deadlines"]["due_at"] is not None and m["resolved_at"] is None
    assert "resolve" in get(client, world, "grid_leader", mid).json()["allowed_actions"]
    act(client, world, "grid_leader", mid, "resolve", result="再次清理")
    m = act(client, world, "station_chief", mid, "callback", answer="not_satisfied", note="仍不满意")
    assert m["status"] == "at_station" and m["reopen_count"] == 2 and m["holder"]["level"] == "station"
    timeline = client.get(f"/api/v1/matters/{mid}/timeline", headers=world.headers("station_chief")).json()
    steps = [(e["action"], e["to_status"]) for e in timeline if e["action"] == "callback"]
    assert steps == [("callback", "accepted"), ("callback", "at_station")]


def test_the_street_calls_back_on_its_and_its_departments_matters(world, client, live):
    mid = with_department(client, world, live)
    act(client, world, "department_officer", mid, "resolve", result="已清运")
    set_matter(live, mid, resolved_at=utcnow() - timedelta(days=4))
    queue = client.get("/api/v1/matters/callbacks", headers=world.headers("street_officer")).json()
    assert [(i["id"], i["reporter_phone"]) for i in queue] == [(mid, "138****5678")]  # no personal_data:read
    assert client.get("/api/v1/matters/callbacks", headers=world.headers("station_chief")).json()[0]["id"] == mid
    # Whoever lists it may record the answer.
    assert "callback" in get(client, world, "street_officer", mid).json()["allowed_actions"]
    m = act(client, world, "street_officer", mid, "callback", answer="basically_satisfied")
    assert m["status"] == "closed" and m["rating"] == "basically_satisfied" and m["rating_source"] == "callback"
