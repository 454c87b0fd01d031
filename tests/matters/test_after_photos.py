"""After photos 处理后照片: resolving and handling on the spot attach the caller's own uploads with stage 'after'; the
record lists every photo with its stage; the resident's tracking page shows the after ones (URLs only) beside the
before ones. Someone else's photo, or one already attached, is refused with its own code."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from conftest import assert_problem
from matters.helpers import PHONE, act, get, matter_id, submit
from matters.loop_helpers import post_action
from wangge.matters.models import Photo


def upload(client, world, who: str, stage: str | None = "after") -> dict:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 160, 60)).save(out, "JPEG", quality=80)
    data = {"stage": stage} if stage else None
    r = client.post(
        "/api/v1/photos", headers=world.headers(who), files={"file": ("after.jpg", out.getvalue())}, data=data
    )
    assert r.status_code == 201, r.text
    return r.json()


def public_upload(client) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 60)).save(out, "JPEG", quality=80)
    r = client.post("/api/v1/public/photos", files={"file": ("before.jpg", out.getvalue())})
    assert r.status_code == 201, r.text
    return r.json()


def test_resolving_attaches_after_photos_shown_to_staff_and_on_the_tracking_page(world, client, live):
    before = public_upload(client)
    code = submit(client, photo_tokens=[before["token"]])["tracking_code"]
    mid = matter_id(live, code)
    act(client, world, "grid_leader", mid, "contact", contact={"method": "phone"})  # 先行联系, then on the spot
    act(client, world, "grid_leader", mid, "accept")
    actions = {a["action"]: a for a in get(client, world, "grid_leader", mid).json()["actions"]}
    assert actions["resolve"]["accepts"] == ["photos"] and actions["handle_on_spot"]["accepts"] == ["photos"]
    assert actions["bring_back"]["needs"] == ["reason"] and actions["bring_back"]["accepts"] == []

    after = upload(client, world, "grid_leader")
    assert after["stage"] == "after"
    m = act(client, world, "grid_leader", mid, "resolve", result="已清理干净", photos=[after["id"]])
    assert m["status"] == "resolved"
    stages = {p["id"]: p["stage"] for p in m["photos"]}
    assert stages == {before["id"]: "before", after["id"]: "after"}
    with live.session() as s:
        row = s.execute(select(Photo).where(Photo.id == after["id"])).scalar_one()
        assert (row.matter_id, row.stage) == (mid, "after")

    view = client.get(f"/api/v1/public/matters/{code}", params={"phone_last4": PHONE[-4:]})
    assert view.status_code == 200, view.text
    body = view.json()
    assert [p["id"] for p in body["photos"]] == [before["id"]]
    assert body["after_photos"] == [{"url": after["url"], "thumb_url": after["thumb_url"]}]
    assert client.get(body["after_photos"][0]["url"]).status_code == 200
    # Nothing personal about the after photo: no uploader, no position, no id.
    assert set(body["after_photos"][0]) == {"url", "thumb_url"}


def test_on_the_spot_handling_takes_after_photos_and_refuses_someone_elses(world, client, live):
    mid = matter_id(live, submit(client)["tracking_code"])
    act(client, world, "grid_leader", mid, "contact", contact={"method": "phone"})  # 先行联系, then on the spot
    theirs = upload(client, world, "leader_g1b")
    refused = assert_problem(
        post_action(
            client, world, "grid_leader", mid, "handle_on_spot", {"result": "当场处理", "photos": [theirs["id"]]}
        ),
        422,
    )
    assert refused["code"] == "unknown-photo" and refused["errors"][0]["loc"] == ["body", "photos"]
    assert get(client, world, "grid_leader", mid).json()["status"] == "submitted"  # nothing happened

    mine = upload(client, world, "grid_leader", stage=None)  # stage defaults to before; attaching makes it after
    m = act(client, world, "grid_leader", mid, "handle_on_spot", result="当场处理", photos=[mine["id"]])
    assert m["status"] == "resolved" and m["route"] == "on_spot"
    assert [(p["id"], p["stage"]) for p in m["photos"]] == [(mine["id"], "after")]

    # Already attached: not again, to another matter.
    other = matter_id(live, submit(client)["tracking_code"])
    act(client, world, "grid_leader", other, "contact", contact={"method": "phone"})
    again = post_action(client, world, "grid_leader", other, "handle_on_spot", {"result": "x", "photos": [mine["id"]]})
    assert assert_problem(again, 422)["code"] == "unknown-photo"


def test_an_unknown_stage_is_a_validation_problem(world, client):
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG")
    r = client.post(
        "/api/v1/photos",
        headers=world.headers("grid_leader"),
        files={"file": ("a.jpg", out.getvalue())},
        data={"stage": "during"},
    )
    assert_problem(r, 422)


def test_bring_back_needs_a_reason_and_the_timeline_shows_it(world, client, live):
    mid = matter_id(live, submit(client)["tracking_code"])
    missing = assert_problem(post_action(client, world, "grid_leader", mid, "bring_back", {}), 422)
    assert missing["errors"][0]["loc"] == ["body", "reason"]
    act(client, world, "grid_leader", mid, "bring_back", reason="需要服务站协调物业")
    timeline = client.get(f"/api/v1/matters/{mid}/timeline", headers=world.headers("grid_leader")).json()
    step = next(e for e in timeline if e["action"] == "bring_back")
    assert step["data"]["reason"] == "需要服务站协调物业"
