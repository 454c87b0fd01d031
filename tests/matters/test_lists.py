"""Lists cost the same number of statements however many rows they show: no question asked per row."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from matters.helpers import act, matter_id, submit
from support.statements import statements
from wangge.matters import views
from wangge.matters.models import Matter
from wangge.models_common import utcnow


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


def test_the_supervision_list_shows_the_most_urgent_first_in_pages(world, client, live):
    ids = _overdue(client, world, live, 3)
    with live.session() as s:
        for hours, mid in zip((5, 1, 3), ids, strict=True):
            s.execute(update(Matter).where(Matter.id == mid).values(due_at=utcnow() - timedelta(hours=hours)))
        s.commit()
    headers = world.headers("station_chief")
    first = client.get("/api/v1/matters/supervision", params={"limit": 2}, headers=headers).json()
    assert [i["id"] for i in first["items"]] == [ids[0], ids[2]]  # due 5 h ago, then 3 h ago
    assert (first["limit"], first["offset"], first["next_offset"]) == (2, 0, 2)
    second = client.get("/api/v1/matters/supervision", params={"limit": 2, "offset": 2}, headers=headers).json()
    assert [i["id"] for i in second["items"]] == [ids[1]]
    assert second["next_offset"] is None
    # Unasked, a page of SUPERVISION_PAGE; never more than 200.
    assert client.get("/api/v1/matters/supervision", headers=headers).json()["limit"] == views.SUPERVISION_PAGE
    r = client.get("/api/v1/matters/supervision", params={"limit": 201}, headers=headers)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"


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


def _closed(client, live, n: int) -> list[int]:
    ids = [matter_id(live, submit(client)["tracking_code"]) for _ in range(n)]
    with live.session() as s:
        s.execute(update(Matter).where(Matter.id.in_(ids)).values(status="closed", closed_at=utcnow()))
        s.commit()
    return ids


def test_finished_matters_come_newest_first_in_pages_after_the_last_one_seen(world, client, live):
    ids = _closed(client, live, 5)
    open_one = matter_id(live, submit(client)["tracking_code"])
    headers = world.headers("grid_leader")
    seen, after, pages = [], None, 0
    while True:
        query = {"box": "grid", "status": "closed", "limit": 2, **({"after": after} if after else {})}
        page = client.get("/api/v1/matters", params=query, headers=headers).json()
        assert page["total"] == 5 and page["total_exact"] is True
        seen += [m["id"] for m in page["items"]]
        pages += 1
        after = page["next_after"]
        if after is None:
            break
        assert after == page["items"][-1]["id"]
    assert seen == sorted(ids, reverse=True) and pages == 3 and open_one not in seen
    # A page after an id that is gone or never was still answers: the ones below it.
    page = client.get("/api/v1/matters", params={"box": "grid", "status": "closed", "after": ids[2]}, headers=headers)
    assert [m["id"] for m in page.json()["items"]] == [ids[1], ids[0]]


def test_a_list_counts_up_to_its_cap_and_says_so(world, client, live, monkeypatch):
    _closed(client, live, 4)
    monkeypatch.setattr(views, "COUNT_CAP", 3)
    page = client.get(
        "/api/v1/matters", params={"box": "grid", "status": "closed", "limit": 2}, headers=world.headers("grid_leader")
    ).json()
    assert (page["total"], page["total_exact"], len(page["items"])) == (3, False, 2) and page["next_after"]
    monkeypatch.setattr(views, "COUNT_CAP", 4)
    page = client.get(
        "/api/v1/matters", params={"box": "grid", "status": "closed"}, headers=world.headers("grid_leader")
    ).json()
    assert (page["total"], page["total_exact"], page["next_after"]) == (4, True, None)


# --- open matters by deadline (matters.open_due_at, migration 0010) ----------------------------------------------


def test_the_columns_open_statuses_are_the_flows():
    """open_due_at is computed in SQL from a list of statuses; it must be the flow's own list of open ones."""
    from wangge.matters import flow
    from wangge.matters.models import OPEN_STATUSES

    assert set(OPEN_STATUSES) == {s.value for s in flow.OPEN}


def _set(live, mid: int, **values) -> None:
    with live.session() as s:  # a plain UPDATE, as a bulk change or a script would write it
        s.execute(update(Matter).where(Matter.id == mid).values(**values))
        s.commit()


def _open_due(live, mid: int):
    with live.session() as s:
        return s.execute(select(Matter.open_due_at).where(Matter.id == mid)).scalar_one()


def test_when_an_open_matter_is_due_follows_the_row_however_it_is_written(world, client, live):
    mid = matter_id(live, submit(client)["tracking_code"])
    now = utcnow().replace(microsecond=0)
    _set(live, mid, status="accepted", sign_due_at=now + timedelta(hours=1), due_at=now + timedelta(hours=9))
    assert _open_due(live, mid) == now + timedelta(hours=1)
    _set(live, mid, sign_due_at=now + timedelta(hours=12))
    assert _open_due(live, mid) == now + timedelta(hours=9)
    _set(live, mid, sign_due_at=None)
    assert _open_due(live, mid) == now + timedelta(hours=9)
    _set(live, mid, due_at=None, sign_due_at=now)
    assert _open_due(live, mid) == now
    _set(live, mid, due_at=None, sign_due_at=None)
    assert _open_due(live, mid).year == 9999  # open without a deadline: after every dated one
    for finished in ("resolved", "closed", "merged"):
        _set(live, mid, status=finished, due_at=now)
        assert _open_due(live, mid) is None


def test_open_matters_come_by_the_earlier_of_their_deadlines_then_newest_first(world, client, live):
    now = utcnow()
    ids = [matter_id(live, submit(client)["tracking_code"]) for _ in range(6)]
    deadlines = [
        {"sign_due_at": None, "due_at": now + timedelta(hours=5)},
        {"sign_due_at": now - timedelta(hours=1), "due_at": now + timedelta(hours=30)},  # sign-for overdue
        {"sign_due_at": None, "due_at": None},
        {"sign_due_at": now + timedelta(hours=40), "due_at": now + timedelta(hours=2)},
        {"sign_due_at": None, "due_at": None},
        {"sign_due_at": None, "due_at": now - timedelta(hours=3), "status": "closed"},
    ]
    for mid, values in zip(ids, deadlines, strict=True):
        _set(live, mid, **{"status": "accepted", **values})
    headers = world.headers("grid_leader")
    page = client.get("/api/v1/matters", params={"box": "grid", "status": "open"}, headers=headers).json()
    expected = [ids[1], ids[3], ids[0], ids[4], ids[2]]  # overdue, 2 h, 5 h, then the undated newest first
    assert [m["id"] for m in page["items"]] == expected and page["total"] == 5
    second = client.get(
        "/api/v1/matters", params={"box": "grid", "status": "open", "limit": 2, "offset": 2}, headers=headers
    )
    assert [m["id"] for m in second.json()["items"]] == expected[2:4]
    # "Any" puts the finished one after every open one.
    everything = client.get("/api/v1/matters", params={"box": "grid", "status": "any"}, headers=headers).json()
    assert [m["id"] for m in everything["items"]] == [*expected, ids[5]]
    # 督办 takes the open ones due within the horizon (24 h): the overdue sign-for, then 2 h, then 5 h.
    listed = [
        i["id"]
        for i in client.get("/api/v1/matters/supervision", headers=world.headers("station_chief")).json()["items"]
    ]
    assert listed == [ids[1], ids[3], ids[0]]


def test_a_record_is_read_in_six_statements(world, client, live):
    """Sign-in check, the matter in scope, where it is and who holds it, the people it names with the station's
    chiefs, its photos, and who covers its grid: not one statement per name or place (it took ten). On PostgreSQL
    the sign-in check runs by the driver directly (database.DriverRead), outside SQLAlchemy's sight here."""
    mid = matter_id(live, submit(client)["tracking_code"])
    with statements(live) as seen:
        r = client.get(f"/api/v1/matters/{mid}", headers=world.headers("station_chief"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["category"]["code"] == "sanitation" and body["grid"]["name"] and body["community"]["name"]
    assert body["holder"]["name"] and body["five_haves"]["supervised_by"]
    assert len(seen) == (5 if live.engine_name == "postgres" else 6), seen


def test_a_box_reads_without_readable_only_where_readable_adds_nothing(world, client, live):
    """policy.all_readable lets a box that pins a scope column skip readable()'s OR; checked here in SQL for every
    account of the world over matters in every grid: no row it lets through is one readable() would refuse."""
    from wangge.accounts.models import User
    from wangge.accounts.scope import Subject
    from wangge.policy import all_readable, readable

    for grid in ("G1a", "G1b", "G2", "G3", "G4"):
        submit(client, grid=grid)
    checked = 0
    with live.session() as s:
        for user in s.execute(select(User)).scalars():
            subject = Subject.of(user)
            for column in ("district_id", "street_id", "community_id", "grid_id", "holder_department_id"):
                values = {v for v in s.execute(select(getattr(Matter, column)).distinct()).scalars() if v}
                for value in values:
                    if not all_readable(subject, Matter, column, value):
                        continue
                    refused = select(Matter.id).where(getattr(Matter, column) == value, ~readable(subject, Matter))
                    assert s.execute(refused).first() is None, (user.username, column, value)
                    checked += 1
    assert checked >= 5  # the administrator's and the area accounts' own pins were among them


def test_a_tracking_read_is_three_statements(world, client, live):
    """The resident's tracking page: the matter with its category, its photos, the steps shown to residents (the
    category was a statement of its own, and every step was read to drop the internal ones in Python)."""
    created = submit(client)
    act(client, world, "grid_leader", matter_id(live, created["tracking_code"]), "accept")
    with statements(live) as seen:
        r = client.get(
            f"/api/v1/public/matters/{created['tracking_code']}",
            headers={"X-Tracking-Token": created["tracking_token"]},
        )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["category"]["code"] == "sanitation" and [s["action"] for s in body["steps"]][0] == "create"
    assert len(seen) == 3, "\n".join(s[-150:] for s in seen)


def test_an_inbox_follows_its_reader_when_they_move_to_another_grid(world, client, live):
    """The inbox's statements are built once per reader and box (views._inbox_statements) from who the reader is
    at that request: a leader moved to another grid sees that grid's matters at once, and no longer the old one's."""
    from wangge.accounts.models import User

    here = matter_id(live, submit(client, grid="G1a")["tracking_code"])
    there = matter_id(live, submit(client, grid="G2")["tracking_code"])
    headers = world.headers("grid_member")

    def grid_box() -> set[int]:
        r = client.get("/api/v1/matters", params={"box": "grid", "status": "open"}, headers=headers)
        assert r.status_code == 200, r.text
        return {m["id"] for m in r.json()["items"]}

    assert here in grid_box() and there not in grid_box()
    with live.session() as s:
        s.execute(
            update(User)
            .where(User.id == world.users["grid_member"])
            .values(community_id=world.ids["C2"], grid_id=world.ids["G2"])
        )
        s.commit()
    assert there in grid_box() and here not in grid_box()
