"""Lists cost the same number of statements however many rows they show: no question asked per row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, update

from matters.helpers import act, matter_id, submit
from wangge.matters import views
from wangge.matters.models import Matter
from wangge.models_common import utcnow


@contextmanager
def statements(live) -> Iterator[list[str]]:
    """The SQL statements the live server runs meanwhile (its app's engine, in this process)."""
    engine = live.server.server.config.app.state.db.engine.sync_engine
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _overdue(client, world, live, n: int) -> list[int]:
    ids = []
    for _ in range(n):
        mid = matter_id(live, submit(client)["tracking_code"])
        act(client, world, "grid_leader", mid, "accept")
        ids.append(mid)
    with live.session() as s:
        s.execute(update(Matter).where(Matter.id.in_(ids)).values(due_at=utcnow() - timedelta(hours=1)))
        s.commit()
    return ids


def _supervision(client, world, live) -> tuple[list[dict], int]:
    with statements(live) as seen:
        r = client.get("/api/v1/matters/supervision", headers=world.headers("station_chief"))
    assert r.status_code == 200, r.text
    return r.json()["items"], len(seen)


def test_the_supervision_list_asks_the_same_questions_for_two_rows_as_for_eight(world, client, live):
    _overdue(client, world, live, 2)
    few, asked_for_few = _supervision(client, world, live)
    _overdue(client, world, live, 6)
    many, asked_for_many = _supervision(client, world, live)
    assert (len(few), len(many)) == (2, 8)
    assert asked_for_many == asked_for_few
    # Each row still says who holds it, who owns it and since when.
    for item in many:
        assert item["holder"]["name"] and item["owner"] == "grid_leader的名字" and item["since"] and item["overdue"]


def test_the_supervision_list_shows_the_most_urgent_first_and_at_most_its_limit(world, client, live, monkeypatch):
    ids = _overdue(client, world, live, 3)
    with live.session() as s:
        for hours, mid in zip((5, 1, 3), ids, strict=True):
            s.execute(update(Matter).where(Matter.id == mid).values(due_at=utcnow() - timedelta(hours=hours)))
        s.commit()
    monkeypatch.setattr(views, "SUPERVISION_LIMIT", 2)
    items, _ = _supervision(client, world, live)
    assert [i["id"] for i in items] == [ids[0], ids[2]]  # due 5 h ago, then 3 h ago


def test_open311_requests_ask_the_same_questions_for_two_requests_as_for_eight(world, client, live):
    """Each request names who handles it (agency_responsible): joined in the query, not asked per request."""

    def listed() -> tuple[list[dict], int]:
        with statements(live) as seen:
            r = client.get("/open311/v2/requests.json")
        assert r.status_code == 200, r.text
        return r.json(), len(seen)

    submit(client, grid="G1a")
    submit(client, grid="G2")
    few, asked_for_few = listed()
    # In other grids and communities (a name looked up per row would be looked up for each new one).
    for grid in ("G1b", "G3", "G4", "G1b", "G3", "G4"):
        submit(client, grid=grid)
    many, asked_for_many = listed()
    assert (len(few), len(many)) == (2, 8)
    assert asked_for_many == asked_for_few
    assert all(r["agency_responsible"] for r in many)
