"""A warning reaches exactly the staff and the residents of its grids (issue 14): the residents living there today by
the registries — registered and floating, with a phone — go to the SMS/WeChat gateway in the signed webhook with
their phones; residents of other grids, people who moved out and the dead do not. Their phones are sealed in the
outbox, never logged, and the API tells only how many residents a warning reached."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from earlywarning.helpers import API, SECRET, deliver_to, issue
from notify.receiver import WebhookReceiver
from registries.helpers import API as REGISTRY
from registries.helpers import house, person
from wangge.notify.models import OutboxEvent
from wangge.registries.service import today

PHONES = {"registered": "13911110001", "floating": "13911110002", "moved": "13911110003", "other_grid": "13911110004",
          "dead": "13911110005", "future": "13911110006"}  # fmt: skip


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage() + " " + str(record.__dict__))


@pytest.fixture
def receiver():
    with WebhookReceiver(SECRET) as r:
        yield r


def _move(client, world, person_id: int, kind: str, who: str = "station_chief") -> None:
    r = client.post(
        f"{REGISTRY}/people/{person_id}/moves",
        json={"kind": kind, "on": today().isoformat()},
        headers=world.headers(who),
    )
    assert r.status_code == 200, r.text


def test_a_warning_reaches_exactly_the_staff_and_residents_of_its_grids(client, world, live, receiver):
    here = house(client, world, "G1a")["id"]
    there = house(client, world, "G1b", who="station_chief")["id"]
    registered = person(client, world, here, name="户籍居民", phone=PHONES["registered"])
    floating = person(client, world, here, name="流动居民", residence="floating", phone=PHONES["floating"])
    person(client, world, here, name="没有电话")  # nothing to text
    moved = person(client, world, here, name="已迁出", phone=PHONES["moved"])
    _move(client, world, moved["id"], "moved_out")
    dead = person(client, world, here, name="已故", phone=PHONES["dead"])
    _move(client, world, dead["id"], "died")
    person(client, world, here, name="下月迁入", phone=PHONES["future"],
           moved_in_on=(today() + timedelta(days=30)).isoformat())  # fmt: skip
    person(client, world, there, grid="G1b", name="别的网格", phone=PHONES["other_grid"])

    w = issue(client, world, ["G1a"])
    staff = {world.users["grid_leader"], world.users["grid_member"]}
    assert {r["user_id"] for r in w["recipients"]} == staff  # the staff, each to acknowledge
    assert (w["recipients_total"], w["residents_total"]) == (2, 2)  # the residents: a count
    shown = client.get(f"{API}/warnings/{w['id']}", headers=world.headers("street_officer"))
    assert shown.json()["residents_total"] == 2
    assert not any(p in shown.text or p in str(w) for p in PHONES.values())
    with live.session() as s:
        stored = s.execute(select(OutboxEvent.payload).where(OutboxEvent.topic == "warning.issued")).scalar_one()
    assert not any(p in str(stored) for p in PHONES.values())  # sealed in the outbox

    lines = Lines()
    logging.getLogger().addHandler(lines)
    level = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        deliver_to(live, receiver.url)
    finally:
        logging.getLogger().removeHandler(lines)
        logging.getLogger().setLevel(level)
    (event,) = [r for r in receiver.requests if r.topic == "warning.issued"]
    assert event.signature_ok
    recipients = event.body["data"]["recipients"]
    assert {r["user_id"] for r in recipients if r["kind"] == "staff"} == staff
    residents = {
        (r["person_id"], r["phone"], r["residence"], r["grid_id"]) for r in recipients if r["kind"] == "resident"
    }
    assert residents == {
        (registered["id"], PHONES["registered"], "registered", world.ids["G1a"]),
        (floating["id"], PHONES["floating"], "floating", world.ids["G1a"]),
    }
    assert {r["kind"] for r in recipients} == {"staff", "resident"} and len(recipients) == 4
    assert lines.lines and not any(p in line for line in lines.lines for p in PHONES.values())  # never logged

    # Two grids: both grids' staff and residents; lifting it reaches the same.
    both = issue(client, world, ["G1a", "G1b"], who="station_chief", level="blue")
    assert both["residents_total"] == 3
    r = client.post(f"{API}/warnings/{both['id']}/lift", json={"note": "解除"}, headers=world.headers("station_chief"))
    assert r.status_code == 200, r.text
    deliver_to(live, receiver.url)
    (lifted,) = [r for r in receiver.requests if r.topic == "warning.lifted"]
    phones = {r["phone"] for r in lifted.body["data"]["recipients"] if r["kind"] == "resident"}
    assert phones == {PHONES["registered"], PHONES["floating"], PHONES["other_grid"]}
