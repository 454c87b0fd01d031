"""Daily clear, weekly close: the day's items with dispositions read from the matters' status or given by the
leader, signing blocked by an item without one (and named), signed once; the week summed from the signed days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import assert_problem
from matters.helpers import act, matter_id, submit

from .test_patrols import LON, sent, started, walk

MY_DAY = "/api/v1/fieldwork/my-day"


def today() -> date:
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()


def my_day(client, world, who: str = "grid_leader", **params) -> dict:
    r = client.get(MY_DAY, params=params, headers=world.headers(who))
    assert r.status_code == 200, r.text
    return r.json()


def field_matter(client, world, description: str = "路灯不亮", **extra) -> dict:
    body = {"category": "sanitation", "description": description, "lat": 28.1015, "lon": LON, **extra}
    r = client.post("/api/v1/matters", json=body, headers=world.headers("grid_leader"))
    assert r.status_code == 201, r.text
    return r.json()


def dispose(client, world, day: date, kind: str, item_id: int, disposition: str, note: str = "明天再去", **kw):
    return client.put(
        f"{MY_DAY}/{day}/dispositions/{kind}/{item_id}",
        json={"disposition": disposition, "note": note},
        headers=world.headers(kw.get("who", "grid_leader")),
    )


def sign(client, world, day: date, who: str = "grid_leader"):
    return client.post(f"{MY_DAY}/{day}/sign", headers=world.headers(who))


def test_an_open_item_blocks_signing_until_it_has_a_disposition(world, client):
    day = today()
    now = datetime.now(UTC)
    p = started(client, world, started_at=now - timedelta(minutes=1))
    sent(client, world, p["id"], "b-1", walk(5, base=now - timedelta(minutes=1)))
    open_one = field_matter(client, world, "路灯不亮")  # accepted, in the grid: says nothing yet
    done = client.post(
        f"/api/v1/patrols/{p['id']}/findings",
        json={
            "client_id": "f1",
            "at": now.isoformat(),
            "category": "sanitation",
            "description": "垃圾",
            "lat": 28.1015,
            "lon": LON,
            "handled_on_spot": True,
            "result": "已清理",
        },
        headers=world.headers("grid_leader"),
    ).json()

    view = my_day(client, world)
    assert view["day"] == str(day) and view["grid"] == {"id": world.ids["G1a"], "name": "G1a网格"}
    assert [x["id"] for x in view["patrols"]] == [p["id"]]
    items = {(i["kind"], i["id"]): i for i in view["items"]}
    assert set(items) == {("matter", open_one["id"]), ("matter", done["matter"]["id"])}
    handled = items[("matter", done["matter"]["id"])]
    assert (handled["disposition"], handled["derived"], handled["needs_disposition"]) == ("handled", True, False)
    waiting = items[("matter", open_one["id"])]
    assert (waiting["status"], waiting["disposition"], waiting["needs_disposition"]) == ("accepted", None, True)
    assert view["can_sign"] is False and view["signed_at"] is None
    assert view["blocking"] == [{"kind": "matter", "id": open_one["id"], "title": waiting["title"]}]

    refused = assert_problem(sign(client, world, day), 409)
    assert open_one["tracking_code"] in refused["detail"] and f"matter {open_one['id']}" in refused["detail"]
    assert refused["blocking"] == view["blocking"]

    # The handled one's status settles it; the open one gets the leader's word.
    assert_problem(dispose(client, world, day, "matter", done["matter"]["id"], "carried_over"), 409)
    assert_problem(dispose(client, world, day, "matter", 999999, "carried_over"), 404)
    r = dispose(client, world, day, "matter", open_one["id"], "carried_over", "等物业回复")
    assert r.status_code == 200, r.text
    item = next(i for i in r.json()["items"] if i["id"] == open_one["id"])
    assert (item["disposition"], item["note"], item["derived"]) == ("carried_over", "等物业回复", False)
    assert r.json()["can_sign"] is True and r.json()["blocking"] == []

    signed = sign(client, world, day)
    assert signed.status_code == 200, signed.text
    assert signed.json()["signed_at"] and signed.json()["can_sign"] is False
    assert "already signed" in assert_problem(sign(client, world, day), 409)["detail"]
    assert_problem(dispose(client, world, day, "matter", open_one["id"], "handled"), 409)

    # The signed day is the day as signed, even when a matter moves on afterwards.
    act(client, world, "grid_leader", open_one["id"], "bring_back", reason="网格内处理不了，带回服务站")
    after = my_day(client, world)
    assert after["signed_at"] == signed.json()["signed_at"]
    assert next(i for i in after["items"] if i["id"] == open_one["id"])["disposition"] == "carried_over"

    monday = day - timedelta(days=day.weekday())
    w = client.get("/api/v1/fieldwork/week", params={"start": str(monday)}, headers=world.headers("grid_leader"))
    assert w.status_code == 200, w.text
    week = w.json()
    assert week["days_signed"] == 1 and week["patrols"] == 1 and week["distance_m"] > 0
    assert week["items_by_disposition"] == {"carried_over": 1, "handled": 1}
    assert [d["day"] for d in week["days"]][0] == str(monday) and len(week["days"]) == 7
    assert next(d for d in week["days"] if d["day"] == str(day))["items"] == 2


def test_dispositions_are_read_from_the_status(world, client, live):
    day = today()
    brought = field_matter(client, world, "占道经营")
    act(client, world, "grid_leader", brought["id"], "bring_back", reason="网格内处理不了，带回服务站")
    reported = matter_id(live, submit(client)["tracking_code"])  # a resident's report nobody acted on yet
    view = my_day(client, world, day=str(day))
    by_id = {i["id"]: i for i in view["items"]}
    assert (by_id[brought["id"]]["disposition"], by_id[brought["id"]]["derived"]) == ("brought_back", True)
    assert reported not in by_id  # not the leader's item until they act on it
    # With only settled items the day signs straight away.
    assert sign(client, world, day).status_code == 200


def test_a_matter_the_leader_accepted_is_an_item(world, client, live):
    day = today()
    mid = matter_id(live, submit(client)["tracking_code"])
    assert mid not in {i["id"] for i in my_day(client, world)["items"]}
    act(client, world, "grid_leader", mid, "accept")
    item = next(i for i in my_day(client, world)["items"] if i["id"] == mid)
    assert (item["status"], item["needs_disposition"]) == ("accepted", True)
    # Handled only through the matter's own action: then its status says so.
    refused = assert_problem(dispose(client, world, day, "matter", mid, "handled", "电话联系已解决"), 409)
    assert refused["code"] == "disposition-derived"
    act(client, world, "grid_leader", mid, "resolve", result="电话联系已解决")
    view = my_day(client, world)
    item = next(i for i in view["items"] if i["id"] == mid)
    assert (item["disposition"], item["derived"]) == ("handled", True) and view["can_sign"] is True
    # Another leader's day is their own.
    assert my_day(client, world, "leader_g1b")["items"] == []


def test_who_keeps_a_daily_log_and_which_days(world, client):
    for who in ("station_chief", "resident", "street_officer"):
        assert_problem(client.get(MY_DAY, headers=world.headers(who)), 403)
    assert my_day(client, world, "grid_member")["items"] == []
    tomorrow = today() + timedelta(days=1)
    assert_problem(sign(client, world, tomorrow), 422)
    not_monday = today() - timedelta(days=today().weekday()) + timedelta(days=1)
    assert_problem(
        client.get("/api/v1/fieldwork/week", params={"start": str(not_monday)}, headers=world.headers("grid_leader")),
        422,
    )


def test_an_items_title_names_the_category_once(world, client):
    worded = field_matter(client, world, "路灯不亮")
    untitled = field_matter(client, world, "随手拍：环境卫生")  # a quick report sent with no words
    bare = field_matter(client, world, "环境卫生")  # as the app named them before
    titles = {i["id"]: i["title"] for i in my_day(client, world)["items"]}
    assert titles[worded["id"]] == f"{worded['tracking_code']} 环境卫生：路灯不亮"
    assert titles[untitled["id"]] == f"{untitled['tracking_code']} 随手拍：环境卫生"
    assert titles[bare["id"]] == f"{bare['tracking_code']} 环境卫生"
