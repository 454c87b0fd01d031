"""The grid's tenancies 出租登记 in keyset pages, newest first: walked to the end with none twice and none left out;
on a past day only those running then, the open ones and those that ended after the day merged in order across
pages; a count that says how many; a cursor the list did not give is a 422, another grid's list a 404."""

from __future__ import annotations

from conftest import assert_problem
from registries.helpers import API, house, person, walk


def _walk(client, world, limit: int, **params) -> tuple[list[dict], list[dict]]:
    return walk(client, world, "tenancies", limit, **params)


def _tenancies(client, world, starts: list[str], ends: dict[int, str]) -> list[dict]:
    """A tenant per start day, each in a house of their own; the ones named in `ends` ended on that day."""
    made = []
    for i, start in enumerate(starts):
        h = house(client, world, room=f"{i + 1}01")
        p = person(client, world, h["id"], name=f"租客{i}", residence="floating", relation="tenant")
        r = client.post(f"{API}/tenancies", json={"house_id": h["id"], "person_id": p["id"], "start_on": start},
                        headers=world.headers("grid_member"))  # fmt: skip
        assert r.status_code == 201, r.text
        if i in ends:
            r = client.post(f"{API}/tenancies/{r.json()['id']}/end", json={"end_on": ends[i]},
                            headers=world.headers("grid_leader"))  # fmt: skip
            assert r.status_code == 200, r.text
        made.append(r.json())
    return made


def test_the_tenancies_are_walked_newest_first_to_the_end_once_each(world, client):
    # Two start on the same day: the later one (the larger id) comes first.
    starts = ["2026-01-05", "2026-03-01", "2026-02-10", "2026-03-01", "2025-11-20", "2026-04-15", "2026-02-01"]
    made = _tenancies(client, world, starts, ends={0: "2026-02-01", 4: "2026-01-31"})
    everyone, pages = _walk(client, world, limit=3)
    expected = sorted(made, key=lambda t: (t["start_on"], t["id"]), reverse=True)
    assert [t["id"] for t in everyone] == [t["id"] for t in expected]
    assert [len(p["items"]) for p in pages] == [3, 3, 1]
    assert all((p["total"], p["total_exact"], p["limit"]) == (7, True, 3) for p in pages)
    # Ended ones are in the whole list, with their end and their tenant's name and address.
    first = next(t for t in everyone if t["id"] == made[0]["id"])
    named = (first["end_on"], first["person_name"], first["house_label"])
    assert named == ("2026-02-01", "租客0", made[0]["house_label"])
    # The default page holds them all, with no cursor after it.
    _, (whole,) = _walk(client, world, limit=100)
    assert len(whole["items"]) == 7 and whole["next_after"] is None


def test_a_past_day_pages_the_open_tenancies_with_those_that_ended_after_it(world, client):
    starts = ["2026-01-05", "2026-01-20", "2026-02-10", "2026-01-10", "2025-12-01", "2026-01-25", "2026-01-15"]
    # On 2026-02-01: 0 running (ends later), 1 running (open), 2 not started yet, 3 ended before the day,
    # 4 running (ends later), 5 ended on the day itself (so not running), 6 running (open).
    made = _tenancies(client, world, starts, ends={0: "2026-03-01", 3: "2026-01-31", 4: "2026-06-30", 5: "2026-02-01"})
    running, pages = _walk(client, world, limit=2, on="2026-02-01")
    expected = [made[i] for i in (1, 6, 0, 4)]  # by start day, newest first
    assert [t["id"] for t in running] == [t["id"] for t in expected]
    assert [len(p["items"]) for p in pages] == [2, 2] and pages[0]["total"] == 4
    # Today only the open ones run.
    now, _ = _walk(client, world, limit=2)
    assert len(now) == 7
    today, _ = _walk(client, world, limit=2, on="2026-11-30")
    assert {t["id"] for t in today} == {made[i]["id"] for i in (1, 2, 6)}
    # The houses list names the tenants of that day, each in their house, no one else's.
    houses = client.get(f"{API}/grids/{world.ids['G1a']}/houses", params={"on": "2026-02-01"},
                        headers=world.headers("grid_leader")).json()  # fmt: skip
    tenants = {h["id"]: h["tenant_ids"] for h in houses}
    assert tenants == {t["house_id"]: ([t["person_id"]] if i in (1, 6, 0, 4) else []) for i, t in enumerate(made)}
    # A house changed at the desk answers as the list shows it today: its tenant and its residents, no other house's.
    changed = client.patch(f"{API}/houses/{made[3]['house_id']}", json={"use": "rented"},
                           headers=world.headers("grid_leader"))  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert changed.json()["tenant_ids"] == []  # its tenancy ended on 2026-01-31
    assert [r["name"] for r in changed.json()["residents"]] == ["租客3"]
    changed = client.patch(f"{API}/houses/{made[1]['house_id']}", json={"use": "rented"},
                           headers=world.headers("grid_leader"))  # fmt: skip
    assert (changed.json()["tenant_ids"], changed.json()["id"]) == ([made[1]["person_id"]], made[1]["house_id"])


def test_a_tenancy_cursor_the_list_did_not_give_is_refused(world, client):
    _tenancies(client, world, ["2026-01-05", "2026-01-06"], ends={})
    url = f"{API}/grids/{world.ids['G1a']}/tenancies"
    headers = world.headers("grid_leader")
    people_cursor = client.get(f"{API}/grids/{world.ids['G1a']}/people", params={"limit": 1}, headers=headers)
    assert people_cursor.json()["next_after"]
    for bad in ("nonsense", "WyJ0ZW5hbmN5IiwieCIsMV0", people_cursor.json()["next_after"]):  # junk; ["tenancy","x",1]
        r = client.get(url, params={"after": bad}, headers=headers)
        assert assert_problem(r, 422)["code"], bad
    outside = client.get(f"{API}/grids/{world.ids['G2']}/tenancies", headers=headers)
    assert outside.status_code == 404
