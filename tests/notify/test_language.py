"""Notifications in the recipient's language (users.language): the same event reads in English to one who chose
English and in Chinese to everyone else; the outbox keeps the text in both."""

from __future__ import annotations

from sqlalchemy import select, update

from conftest import Live
from matters.helpers import matter_id, submit
from support.world import World
from wangge.accounts.models import User
from wangge.notify.models import Notification, OutboxEvent

from .test_worker import run_once


def test_one_event_reads_in_each_recipients_language(live: Live, world: World, client) -> None:
    with live.session() as s:
        s.execute(update(User).where(User.id == world.users["grid_leader"]).values(language="en"))
        s.commit()
    code = submit(client)["tracking_code"]  # a resident's report: the grid's staff are told
    mid = matter_id(live, code)
    with live.session() as s:
        event = s.execute(select(OutboxEvent).where(OutboxEvent.topic == "matter.created")).scalar_one()
        texts = event.payload["notify"]["texts"]
    assert texts["zh-CN"]["title"] == f"居民诉求 {code}" and texts["en"]["title"] == f"Resident's report {code}"
    assert run_once(live) >= 1
    with live.session() as s:
        told = {n.user_id: n for n in s.execute(select(Notification).where(Notification.matter_id == mid)).scalars()}
    leader, member = told[world.users["grid_leader"]], told[world.users["grid_member"]]
    assert leader.title == f"Resident's report {code}" and leader.body.startswith("Sanitation: ")
    assert member.title == f"居民诉求 {code}" and member.body.startswith("环境卫生：")
