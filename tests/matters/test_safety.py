"""Safe writes and the edges of intake: ETags, idempotency, scope, the tracking lock, duplicates and merging,
photos, hotline import, supervision and overdue notices, and deadlines on the official calendar."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import select, update

from conftest import assert_problem
from matters.deliver import deliver, notified
from matters.helpers import PHONE, act, events, get, matter_id, submit
from support.world import grid_point
from wangge.matters import periodic, seed, service
from wangge.matters.models import Category, Matter
from wangge.models_common import utcnow
from wangge.workcalendar import WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_actions_need_if_match_and_a_fresh_etag(world, client, live):
    mid = matter_id(live, submit(client)["tracking_code"])
    url = f"/api/v1/matters/{mid}/actions/accept"
    problem = assert_problem(client.post(url, headers=world.headers("grid_leader")), 428)
    assert "If-Match" in problem["detail"]
    etag = get(client, world, "grid_leader", mid).headers["etag"]
    assert client.post(url, headers={**world.headers("grid_leader"), "If-Match": etag}).status_code == 200
    stale = client.post(
        f"/api/v1/matters/{mid}/actions/bring_back", headers={**world.headers("grid_leader"), "If-Match": etag}
    )
    problem = assert_problem(stale, 412)
    assert problem["current_etag"] != etag
    with live.session() as s:
        assert s.execute(select(Matter.status).where(Matter.id == mid)).scalar_one() == "accepted"


def test_a_refused_action_is_409_naming_the_state_and_the_allowed_actions(world, client, live):
    mid = matter_id(live, submit(client)["tracking_code"])
    etag = get(client, world, "station_chief", mid).headers["etag"]
    r = client.post(f"/api/v1/matters/{mid}/actions/sign", headers={**world.headers("station_chief"), "If-Match": etag})
    problem = assert_problem(r, 409)
    assert problem["current_status"] == "submitted"
    assert problem["allowed_actions"] == ["accept", "bring_back", "declare_emergency", "close", "merge"]
    assert "'sign' is not allowed while the matter is submitted" in problem["detail"]
    assert_problem(
        client.post(f"/api/v1/matters/{mid}/actions/fly", headers={**world.headers("station_chief"), "If-Match": etag}),
        409,
    )


def test_idempotent_submission_replays_and_refuses_a_changed_body(world, client, live):
    lon, lat = grid_point("G1a")
    body = {"category": "sanitation", "description": "路灯不亮", "lat": lat, "lon": lon, "reporter_phone": PHONE}
    headers = {"Idempotency-Key": "phone-42-attempt"}
    first = client.post("/api/v1/public/matters", json=body, headers=headers)
    again = client.post("/api/v1/public/matters", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again.headers["idempotent-replayed"] == "true"
    with live.session() as s:
        assert len(s.execute(select(Matter.id)).all()) == 1
    problem = assert_problem(
        client.post("/api/v1/public/matters", json={**body, "description": "路灯坏了"}, headers=headers), 422
    )
    assert "different request body" in problem["detail"]
    staff = client.post(
        "/api/v1/matters",
        json={"category": "sanitation", "description": "x", "lat": lat, "lon": lon},
        headers={**world.headers("grid_leader"), "Idempotency-Key": "phone-42-attempt"},
    )
    assert staff.status_code == 201  # keys are per caller


def test_another_grids_leader_gets_404(world, client, live):
    mid = matter_id(live, submit(client, grid="G1a")["tracking_code"])
    assert_problem(get(client, world, "leader_g1b", mid), 404)
    assert_problem(
        client.post(
            f"/api/v1/matters/{mid}/actions/accept", headers={**world.headers("leader_g1b"), "If-Match": '"1"'}
        ),
        404,
    )
    assert_problem(client.get(f"/api/v1/matters/{mid}/timeline", headers=world.headers("leader_g1b")), 404)
    assert_problem(get(client, world, "chief_c3", mid), 404)
    assert_problem(get(client, world, "resident", mid), 404)
    listed = client.get("/api/v1/matters?box=all", headers=world.headers("leader_g1b")).json()
    assert listed["total"] == 0
    # The department sees it only once it is handed to them.
    assert_problem(get(client, world, "department_officer", mid), 404)
    act(client, world, "station_chief", mid, "bring_back", reason="网格内处理不了，带回服务站")
    act(client, world, "station_chief", mid, "escalate", reason="转城管")
    assert get(client, world, "department_officer", mid).status_code == 200


def test_tracking_needs_the_phone_digits_and_locks_after_wrong_guesses(world, client, live):
    code = submit(client)["tracking_code"]
    ok = client.get(f"/api/v1/public/matters/{code}?phone_last4={PHONE[-4:]}")
    assert ok.status_code == 200 and ok.json()["status"] == "submitted" and "reporter_phone" not in ok.json()
    for _ in range(live.settings.verify_max_failures):
        assert_problem(client.get(f"/api/v1/public/matters/{code}?phone_last4=0000"), 404)
    locked = assert_problem(client.get(f"/api/v1/public/matters/{code}?phone_last4={PHONE[-4:]}"), 429)
    assert "later" in locked["detail"]
    assert_problem(client.get("/api/v1/public/matters/WGNOTHERE?phone_last4=1234"), 404)


def test_possible_duplicates_are_offered_and_can_be_merged(world, client, live):
    lon, lat = grid_point("G1a")
    first = submit(client, description="井盖缺失")
    body = {"category": "sanitation", "description": "井盖不见了", "lat": lat + 0.0001, "lon": lon}
    r = client.post("/api/v1/matters", json=body, headers=world.headers("grid_leader"))
    dups = r.json()["possible_duplicates"]
    assert [d["tracking_code"] for d in dups] == [first["tracking_code"]] and 10 < dups[0]["distance_m"] < 12
    far = client.post("/api/v1/matters", json={**body, "lat": lat + 0.001}, headers=world.headers("grid_leader"))
    assert far.json()["possible_duplicates"] == []  # about 110 m away: not a duplicate
    merged = act(client, world, "station_chief", r.json()["id"], "merge", into=matter_id(live, first["tracking_code"]))
    assert merged["status"] == "merged" and merged["merged_into_id"] == matter_id(live, first["tracking_code"])


def _jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0132] = "2026:11:20 09:30:00"
    gps = {1: "N", 2: (28.0, 6.0, 45.6), 3: "E", 4: (113.0, 1.0, 30.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_photos_are_checked_by_content_keep_exif_fields_and_the_public_copy_is_stripped(world, client, live):
    data = _jpeg_with_gps()
    up = client.post("/api/v1/public/photos", files={"file": ("a.jpg", data, "image/jpeg")})
    assert up.status_code == 201, up.text
    photo = up.json()
    assert photo["lat"] == pytest.approx(28.1127, abs=1e-4) and photo["lon"] == pytest.approx(113.025, abs=1e-4)
    assert photo["taken_at"].startswith("2026-11-20T")
    public = client.get(photo["url"])
    assert public.status_code == 200 and public.headers["content-type"] == "image/jpeg"
    assert not Image.open(io.BytesIO(public.content)).getexif()
    assert client.get(photo["thumb_url"]).status_code == 200
    bad = client.post("/api/v1/public/photos", files={"file": ("a.jpg", b"%PDF-1.4 not an image", "image/jpeg")})
    assert "JPEG, PNG or WebP" in assert_problem(bad, 422)["detail"]
    code = submit(client, photo_tokens=[photo["token"]])["tracking_code"]
    view = client.get(f"/api/v1/public/matters/{code}?phone_last4={PHONE[-4:]}").json()
    assert [p["id"] for p in view["photos"]] == [photo["id"]]
    # A photo cannot be attached twice.
    assert_problem(
        client.post(
            "/api/v1/public/matters",
            json={
                "category": "sanitation",
                "description": "x",
                "lat": grid_point("G1a")[1],
                "lon": grid_point("G1a")[0],
                "reporter_phone": PHONE,
                "photo_tokens": [photo["token"]],
            },
        ),
        422,
    )


def test_hotline_import_reports_each_row(world, client, live):
    lon, lat = grid_point("G1a")
    csv_text = "\n".join(
        [
            "order_no,category,description,lat,lon,address,grid_code,community_code,caller_name,caller_phone",
            f"H001,sanitation,垃圾堆放,{lat},{lon},,,,王先生,13700001111",
            f"H002,sanitation,噪音扰民,,,幸福路1号,{world.codes['G1b']},,,",
            f"H003,sanitation,无位置,,,某处,,{world.codes['C1']},,",
            "H004,nope,未知类别,,,,,,,",
            f"H005,sanitation,别人的社区,,,,{world.codes['G3']},,,",
            f"H001,sanitation,重复,{lat},{lon},,,,,",
        ]
    )
    r = client.post(
        "/api/v1/matters/import",
        content=csv_text.encode(),
        headers={**world.headers("station_chief"), "content-type": "text/csv"},
    )
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["accepted"], report["rejected"]) == (3, 3)
    rows = {row["row"]: row for row in report["rows"]}
    assert rows[1]["accepted"] and rows[1]["placed"] and rows[1]["tracking_code"].startswith("WG")
    assert rows[3]["accepted"] and rows[3]["placed"] is False
    assert "unknown category" in rows[4]["reason"] and "outside your scope" in rows[5]["reason"]
    assert "appears twice" in rows[6]["reason"]
    # Each refusal also says why in a word the app translates; an accepted row has none.
    assert [rows[i]["code"] for i in (4, 5, 6)] == ["unknown-category", "outside-scope", "order-twice"]
    assert rows[1]["code"] is None
    again = client.post(
        "/api/v1/matters/import",
        json={"orders": [{"order_no": "H001", "category": "sanitation", "description": "再次"}]},
        headers=world.headers("station_chief"),
    ).json()
    assert again["rows"][0]["reason"] == "order H001 was already imported"
    assert again["rows"][0]["code"] == "order-imported"
    m = client.get(
        f"/api/v1/matters/{matter_id(live, rows[3]['tracking_code'])}", headers=world.headers("station_chief")
    ).json()
    assert m["status"] == "at_station" and m["grid"] is None and m["source"] == "hotline"
    assert m["reporter_phone"] is None or "*" in m["reporter_phone"] or m["reporter_phone"] == ""
    assert_problem(
        client.post(
            "/api/v1/matters/import", content=b"x", headers={**world.headers("grid_leader"), "content-type": "text/csv"}
        ),
        403,
    )


def test_supervision_lists_overdue_and_the_worker_tells_the_owner_and_the_level_up_once(world, client, live):
    mid = matter_id(live, submit(client)["tracking_code"])
    act(client, world, "grid_leader", mid, "accept")
    with live.session() as s:
        s.execute(update(Matter).where(Matter.id == mid).values(due_at=utcnow() - timedelta(hours=1)))
        s.commit()
    items = client.get("/api/v1/matters/supervision", headers=world.headers("station_chief")).json()["items"]
    assert [(i["id"], i["overdue"], i["owner"]) for i in items] == [(mid, True, "grid_leader的名字")]
    inbox = client.get("/api/v1/matters?box=all", headers=world.headers("station_chief")).json()["items"]
    assert inbox[0]["id"] == mid and inbox[0]["deadlines"]["overdue"] is True
    # Lists carry the category as a record does: id, code and name.
    assert inbox[0]["category"]["code"] == items[0]["category"]["code"] == "sanitation"
    assert inbox[0]["category"]["name"] == "环境卫生"

    import asyncio

    from wangge.database import Database

    async def scan() -> int:
        db = Database(live.settings.database_url)
        try:
            async with db.sessionmaker() as session:
                return await periodic.notify_overdue(session)
        finally:
            await db.dispose()

    assert asyncio.run(scan()) == 1
    assert asyncio.run(scan()) == 0  # once per step
    assert len(events(live, "matter.overdue")) == 1
    deliver(live)
    # The owner (the grid leader who accepted it), the grid, and the level up (the station) are told.
    assert len(notified(live, world.users["grid_leader"], "matter.overdue")) == 1
    assert len(notified(live, world.users["station_chief"], "matter.overdue")) == 1
    assert not notified(live, world.users["street_officer"], "matter.overdue")


def test_deadlines_cross_the_spring_festival_and_count_a_make_up_saturday(live):
    with live.session() as s:
        category = s.execute(select(Category).where(Category.code == "sanitation")).scalar_one()
    cal = WorkCalendar()
    # Station: 3 working days to complete. From Friday 13 Feb 2026 the holiday runs 15–23 Feb, with 14 Feb (Sat)
    # a make-up working day: Sat 14, Tue 24, Wed 25.
    start = datetime(2026, 2, 13, 10, 0, tzinfo=SHANGHAI)
    due = service._deadline(cal, category, "station", "complete", start)
    assert due.astimezone(SHANGHAI) == datetime(2026, 2, 25, 17, 30, tzinfo=SHANGHAI)
    # Grid: 2 working hours to sign; Friday 16:30 + 2h = the make-up Saturday 10:00 (1h Friday, 1h Saturday).
    sign = service._deadline(cal, category, "grid", "sign", datetime(2026, 2, 13, 16, 30, tzinfo=SHANGHAI))
    assert sign.astimezone(SHANGHAI) == datetime(2026, 2, 14, 10, 0, tzinfo=SHANGHAI)
    # Emergencies count the clock, holiday or not.
    emergency = cal.deadline(
        datetime(2026, 2, 17, 3, 0, tzinfo=UTC),
        service.TimeLimit.from_dict(seed.EMERGENCY_LIMITS["station"]["complete"]),
    )
    assert emergency == datetime(2026, 2, 17, 5, 0, tzinfo=UTC)


def test_the_worker_ends_a_notice_period_that_drew_no_objection(world, client, live):
    import asyncio

    from wangge.database import Database

    code = submit(client, "livelihood")["tracking_code"]
    mid = matter_id(live, code)
    act(client, world, "station_chief", mid, "bring_back", reason="网格内处理不了，带回服务站")
    act(client, world, "station_chief", mid, "define", reason="界定")
    act(client, world, "street_officer", mid, "review_pass")
    act(client, world, "dept_dd1", mid, "approve", result="同意")

    async def rounds() -> dict[str, int]:
        db = Database(live.settings.database_url)
        try:
            async with db.sessionmaker() as session:
                return await periodic.periodic(session)
        finally:
            await db.dispose()

    assert asyncio.run(rounds())["notices_ended"] == 0  # the period is still running
    with live.session() as s:
        s.execute(update(Matter).where(Matter.id == mid).values(notice_ends_at=utcnow() - timedelta(seconds=1)))
        s.commit()
    assert asyncio.run(rounds())["notices_ended"] == 1
    m = get(client, world, "station_chief", mid).json()
    assert m["status"] == "resolved" and m["result"] == "同意"
    timeline = client.get(f"/api/v1/matters/{mid}/timeline", headers=world.headers("station_chief")).json()
    assert timeline[-1]["action"] == "end_notice" and timeline[-1]["actor"] == "system"


def test_the_worker_reports_a_first_contact_that_is_late_once(world, client, live):
    """先行联系: a resident's request carries the category's contact deadline; past it with nobody contacted, the
    worker tells the holder and records it on the timeline, once; a contacted matter is never reported."""
    import asyncio

    from wangge.database import Database
    from wangge.notify.models import OutboxEvent

    late, contacted = (matter_id(live, submit(client)["tracking_code"]) for _ in range(2))
    m = get(client, world, "grid_leader", late).json()
    assert m["contact_due_at"] is not None and m["first_contact_at"] is None
    assert m["deadlines"]["contact_due_at"] == m["contact_due_at"] and m["deadlines"]["contact_overdue"] is False
    act(client, world, "grid_leader", contacted, "contact", contact={"method": "phone", "agreed": "明早上门"})
    with live.session() as s:
        s.execute(
            update(Matter)
            .where(Matter.id.in_([late, contacted]))
            .values(contact_due_at=utcnow() - timedelta(minutes=1))
        )
        s.commit()

    async def rounds() -> dict[str, int]:
        db = Database(live.settings.database_url)
        try:
            async with db.sessionmaker() as session:
                return await periodic.periodic(session)
        finally:
            await db.dispose()

    assert asyncio.run(rounds())["contact_late"] == 1
    assert asyncio.run(rounds())["contact_late"] == 0  # once
    assert get(client, world, "grid_leader", late).json()["deadlines"]["contact_overdue"] is True
    assert get(client, world, "grid_leader", contacted).json()["deadlines"]["contact_overdue"] is False
    timeline = client.get(f"/api/v1/matters/{late}/timeline", headers=world.headers("grid_leader")).json()
    assert timeline[-1]["action"] == "contact_late" and timeline[-1]["actor"] == "system"
    with live.session() as s:
        topics = [e.payload["data"]["matter_id"] for e in s.query(OutboxEvent).filter_by(topic="matter.contact_late")]
    assert topics == [late]


def test_calendar_overrides_change_deadlines_and_say_which_years_are_known(world, client, live):
    status = client.get("/api/v1/calendar", headers=world.headers("station_chief")).json()
    assert 2026 in status["known_years"] and status["covers_this_year"] is True
    assert status["covers_next_year"] is False and "2027" in status["message"]
    body = {"is_workday": False, "note": "元旦"}
    assert_problem(
        client.put("/api/v1/calendar/overrides/2027-01-01", json=body, headers=world.headers("administrator")), 403
    )  # a street administrator
    r = client.put("/api/v1/calendar/overrides/2027-01-01", json=body, headers=world.headers("system_admin"))
    assert r.status_code == 200 and r.json() == {"day": "2027-01-01", "is_workday": False, "note": "元旦"}
    assert_problem(
        client.put("/api/v1/calendar/overrides/2027-13-01", json=body, headers=world.headers("system_admin")), 422
    )
    status = client.get("/api/v1/calendar", headers=world.headers("station_chief")).json()
    assert status["overrides"] == [{"day": "2027-01-01", "is_workday": False, "note": "元旦"}]
    with live.session() as s:
        category = s.execute(select(Category).where(Category.code == "sanitation")).scalar_one()
    import asyncio

    from wangge.database import Database

    async def deadline() -> datetime:
        db = Database(live.settings.database_url)
        try:
            async with db.sessionmaker() as session:
                cal = await service.work_calendar(session)
        finally:
            await db.dispose()
        return service._deadline(cal, category, "grid", "complete", datetime(2026, 12, 31, 17, 0, tzinfo=SHANGHAI))

    # 1 working day from Thursday 31 Dec: Friday 1 Jan is now a day off, so it ends Monday 4 Jan.
    service.clear_cache()
    assert asyncio.run(deadline()).astimezone(SHANGHAI) == datetime(2027, 1, 4, 17, 30, tzinfo=SHANGHAI)


def test_a_year_entered_in_full_stops_the_calendar_warning(world, client):
    system = world.headers("system_admin")
    assert client.get("/api/v1/calendar", headers=system).json()["covers_next_year"] is False
    assert_problem(
        client.put("/api/v1/calendar/years/2027", json={"complete": True}, headers=world.headers("administrator")), 403
    )
    assert_problem(client.put("/api/v1/calendar/years/1999", json={"complete": True}, headers=system), 422)
    r = client.put("/api/v1/calendar/years/2027", json={"complete": True}, headers=system)
    assert r.status_code == 200 and r.json() == {"year": 2027, "complete": True}
    status = client.get("/api/v1/calendar", headers=world.headers("station_chief")).json()
    assert status["covers_next_year"] is True and status["message"] is None and status["complete_years"] == [2027]
    client.put("/api/v1/calendar/years/2027", json={"complete": False}, headers=system)  # taken back
    status = client.get("/api/v1/calendar", headers=system).json()
    assert status["covers_next_year"] is False and status["complete_years"] == []
    log = client.get("/api/v1/audit", params={"entity": "calendar_year"}, headers=system).json()["items"]
    assert [e["action"] for e in log] == ["update", "create"] and log[0]["changes"] == {"complete": [True, False]}
