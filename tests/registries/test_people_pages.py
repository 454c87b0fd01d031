"""The registry's people list in keyset pages: walked to the end with no one twice and no one left out, even while
people move in and out during the walk; the past day and the name search page the same way; a count that says how
many there are; a cursor the list did not give is a 422."""

from __future__ import annotations

from conftest import assert_problem
from registries.helpers import API, house, person, walk
from wangge.registries.service import today


def _walk(client, world, limit: int, **params) -> tuple[list[dict], list[dict]]:
    return walk(client, world, "people", limit, **params)


def test_more_than_a_page_of_people_is_walked_to_the_end_once_each(world, client):
    a, b = house(client, world, room="501"), house(client, world, room="502")
    names = [f"住户{i:02d}" for i in range(11)]
    for i, name in enumerate(names):
        person(client, world, (a if i % 2 else b)["id"], name=name, moved_in_on="2026-03-01")
    everyone, pages = _walk(client, world, limit=4)
    ids = [p["id"] for p in everyone]
    assert [len(p["items"]) for p in pages] == [4, 4, 3]
    assert sorted(p["name"] for p in everyone) == names and ids == sorted(set(ids))  # no one twice, in order
    assert all((p["total"], p["total_exact"], p["limit"]) == (11, True, 4) for p in pages)
    # The default page holds them all, with no cursor after it.
    _, (whole,) = _walk(client, world, limit=200)
    assert [p["id"] for p in whole["items"]] == ids and whole["next_after"] is None


def test_moves_during_a_walk_neither_repeat_nor_skip_anyone(world, client):
    h = house(client, world)
    first = [person(client, world, h["id"], name=f"甲{i}") for i in range(6)]
    url = f"{API}/grids/{world.ids['G1a']}/people"
    headers = world.headers("grid_leader")
    page1 = client.get(url, params={"limit": 3}, headers=headers).json()
    assert [p["id"] for p in page1["items"]] == [p["id"] for p in first[:3]]
    # Someone already shown moves out and a newcomer moves in: an offset would now skip 甲3; the cursor does not.
    out = client.post(f"{API}/people/{first[0]['id']}/moves", json={"kind": "moved_out", "on": str(today())},
                      headers=headers)  # fmt: skip
    assert out.status_code == 200, out.text
    newcomer = person(client, world, h["id"], name="乙")
    rest = []
    after = page1["next_after"]
    while after:
        page = client.get(url, params={"limit": 3, "after": after}, headers=headers).json()
        rest += page["items"]
        after = page["next_after"]
    assert [p["id"] for p in rest] == [p["id"] for p in first[3:]] + [newcomer["id"]]


def test_the_past_day_and_the_name_search_page_too(world, client):
    h = house(client, world)
    early = [person(client, world, h["id"], name=f"早{i}", moved_in_on="2026-01-10") for i in range(5)]
    person(client, world, h["id"], name="晚来", moved_in_on="2026-06-01")
    on_day, pages = _walk(client, world, limit=2, on="2026-02-01")
    assert [p["id"] for p in on_day] == [p["id"] for p in early] and len(pages) == 3
    assert pages[0]["total"] == 5
    found, pages = _walk(client, world, limit=2, q="早")
    assert [p["name"] for p in found] == [f"早{i}" for i in range(5)] and pages[0]["total"] == 5
    assert _walk(client, world, limit=2, q="晚")[0][0]["name"] == "晚来"


def test_a_past_day_pages_those_still_there_with_those_who_have_left_since(world, client):
    """On a past day the list holds the residencies open now and those that ended after that day (two ranges of the
    index, merged in person order across pages), never those that had already ended."""
    h = house(client, world)
    people = [person(client, world, h["id"], name=f"住{i}", moved_in_on="2026-01-10") for i in range(6)]
    for i, on in ((1, "2026-03-01"), (2, "2026-01-20"), (4, "2026-03-01")):
        out = client.post(f"{API}/people/{people[i]['id']}/moves", json={"kind": "moved_out", "on": on},
                          headers=world.headers("grid_leader"))  # fmt: skip
        assert out.status_code == 200, out.text
    on_day, pages = _walk(client, world, limit=2, on="2026-02-01")
    assert [p["name"] for p in on_day] == ["住0", "住1", "住3", "住4", "住5"] and pages[0]["total"] == 5
    now, pages = _walk(client, world, limit=2)
    assert [p["name"] for p in now] == ["住0", "住3", "住5"] and pages[0]["total"] == 3
    houses = client.get(f"{API}/grids/{world.ids['G1a']}/houses", params={"on": "2026-02-01"},
                        headers=world.headers("grid_leader")).json()  # fmt: skip
    assert [r["name"] for r in houses[0]["residents"]] == ["住0", "住1", "住3", "住4", "住5"]


def test_a_cursor_the_list_did_not_give_is_refused(world, client):
    h = house(client, world)
    person(client, world, h["id"], name="丙")
    url = f"{API}/grids/{world.ids['G1a']}/people"
    for bad in ("nonsense", "WyJwZXJzb24iLCJ4Il0", "WyJvdGhlciIsMSwxXQ"):  # junk; ["person","x"]; ["other",1,1]
        r = client.get(url, params={"after": bad}, headers=world.headers("grid_leader"))
        assert assert_problem(r, 422)["code"], bad
    outside = client.get(f"{API}/grids/{world.ids['G2']}/people", headers=world.headers("grid_leader"))
    assert outside.status_code == 404
