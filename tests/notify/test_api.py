"""The caller's in-app notifications over HTTP: only one's own, newest first, marked read one by one or all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from conftest import TLS, Live, assert_problem
from support.world import World
from wangge.models_common import utcnow
from wangge.notify.models import Notification, OutboxEvent


@pytest.fixture
def api(notify_api: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=notify_api + "/api/v1", timeout=30, verify=TLS) as c:
        yield c


def add_notifications(
    live: Live, user_id: int, titles: list[str], *, read: frozenset[str] = frozenset()
) -> dict[str, int]:
    """One notification per title, a minute apart in the order given (the last is the newest)."""
    start = utcnow() - timedelta(hours=1)
    with live.session() as session:
        rows = {
            title: Notification(
                event_id=f"event-{user_id}-{i}",
                user_id=user_id,
                topic="matter.created",
                title=title,
                body=f"{title}的内容",
                created_at=start + timedelta(minutes=i),
                read_at=start + timedelta(minutes=i + 1) if title in read else None,
            )
            for i, title in enumerate(titles)
        }
        session.add_all(rows.values())
        session.commit()
        return {title: row.id for title, row in rows.items()}


def test_the_list_holds_only_my_notifications_newest_first(live: Live, world: World, api: httpx.Client) -> None:
    mine = add_notifications(live, world.users["station_chief"], ["一", "二", "三"], read={"一"})
    add_notifications(live, world.users["grid_leader"], ["别人的"])

    page = api.get("/notifications", headers=world.headers("station_chief")).json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 50, 0)
    assert [n["title"] for n in page["items"]] == ["三", "二", "一"]
    assert set(page["items"][0]) == {
        "id",
        "topic",
        "title",
        "body",
        "matter_id",
        "created_at",
        "read_at",
        "incident_id",
        "activation_id",
        "action",
        "matter_status",
        "place",
        "warning_id",
        "warning_level",
    }
    newest = page["items"][0]
    assert (newest["id"], newest["topic"], newest["body"], newest["matter_id"]) == (
        mine["三"],
        "matter.created",
        "三的内容",
        None,
    )
    assert newest["read_at"] is None and page["items"][2]["read_at"] is not None

    unread = api.get("/notifications", params={"unread_only": True}, headers=world.headers("station_chief")).json()
    assert [n["title"] for n in unread["items"]] == ["三", "二"] and unread["total"] == 2

    second = api.get("/notifications", params={"limit": 1, "offset": 1}, headers=world.headers("station_chief"))
    assert [n["title"] for n in second.json()["items"]] == ["二"] and second.json()["total"] == 3

    theirs = api.get("/notifications", headers=world.headers("grid_leader")).json()
    assert [n["title"] for n in theirs["items"]] == ["别人的"]


def test_marking_one_read(live: Live, world: World, api: httpx.Client) -> None:
    mine = add_notifications(live, world.users["station_chief"], ["一", "二"])
    theirs = add_notifications(live, world.users["grid_leader"], ["别人的"])
    headers = world.headers("station_chief")

    first = api.post(f"/notifications/{mine['一']}/read", headers=headers)
    assert first.status_code == 200 and first.json()["read_at"] is not None
    # Reading it again keeps the first time.
    again = api.post(f"/notifications/{mine['一']}/read", headers=headers)
    assert again.json()["read_at"] == first.json()["read_at"]
    unread = api.get("/notifications", params={"unread_only": True}, headers=headers).json()
    assert [n["title"] for n in unread["items"]] == ["二"]

    assert_problem(api.post(f"/notifications/{theirs['别人的']}/read", headers=headers), 404)
    assert_problem(api.post("/notifications/987654/read", headers=headers), 404)
    leader = api.get("/notifications", params={"unread_only": True}, headers=world.headers("grid_leader")).json()
    assert leader["total"] == 1


def test_marking_all_read_touches_only_mine(live: Live, world: World, api: httpx.Client) -> None:
    add_notifications(live, world.users["station_chief"], ["一", "二", "三"], read={"二"})
    add_notifications(live, world.users["grid_leader"], ["别人的"])
    headers = world.headers("station_chief")

    assert api.post("/notifications/read-all", headers=headers).json() == {"updated": 2}
    assert api.get("/notifications", params={"unread_only": True}, headers=headers).json()["total"] == 0
    assert api.post("/notifications/read-all", headers=headers).json() == {"updated": 0}
    leader = api.get("/notifications", params={"unread_only": True}, headers=world.headers("grid_leader")).json()
    assert leader["total"] == 1


def test_notifications_need_sign_in(world: World, api: httpx.Client) -> None:
    assert_problem(api.get("/notifications"), 401)
    assert_problem(api.post("/notifications/read-all"), 401)


def test_each_notification_carries_the_facts_of_its_event(live: Live, world: World, api: httpx.Client) -> None:
    """What the app needs to tell an emergency or a tier call-out from ordinary news: taken from the event, and
    none of it once the event has been purged."""
    user = world.users["station_chief"]
    ids = add_notifications(live, user, ["出动", "宣布突发", "旧的"])
    events = {
        "出动": {
            "topic": "incident.activation",
            "data": {"incident_id": 7, "activation_id": 3, "place": "1栋门口", "severity": 2},
        },
        "宣布突发": {
            "topic": "matter.changed",
            "data": {"matter_id": None, "action": "declare_emergency", "status": "emergency"},
        },
    }
    with live.session() as session:
        for title, payload in events.items():
            session.add(
                OutboxEvent(
                    event_id=f"event-{user}-{list(ids).index(title)}",
                    topic=payload["topic"],
                    payload=payload,
                    delivered_at=utcnow(),
                )
            )
        session.commit()

    items = {n["title"]: n for n in api.get("/notifications", headers=world.headers("station_chief")).json()["items"]}
    facts = ("incident_id", "activation_id", "action", "matter_status", "place")
    assert tuple(items["出动"][k] for k in facts) == (7, 3, None, None, "1栋门口")
    assert tuple(items["宣布突发"][k] for k in facts) == (None, None, "declare_emergency", "emergency", None)
    assert tuple(items["旧的"][k] for k in facts) == (None, None, None, None, None)
