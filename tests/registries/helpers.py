"""Small helpers for the registries' tests: a house at a standard address, a person living there, valid identity
numbers (GB 11643 check digit computed here from the standard's weights, independently of the service)."""

from __future__ import annotations

from typing import Any

from support.world import World

API = "/api/v1/registry"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str) -> str:
    """An 18-character identity number with its check character (ISO 7064 MOD 11-2)."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def house(client, world: World, grid: str = "G1a", room: str = "501", unit: str = "2", who: str = "station_chief"):
    r = client.post(
        f"{API}/grids/{world.ids[grid]}/houses",
        json={"building_id": world.ids[f"B_{grid}"], "unit": unit, "floor": int(room[:-2] or 1), "room": room},
        headers=world.headers(who),
    )
    assert r.status_code == 201, r.text
    return r.json()


def person(client, world: World, house_id: int, grid: str = "G1a", who: str = "station_chief", **body: Any):
    payload = {"name": "张三", "residence": "registered", "house_id": house_id, **body}
    r = client.post(f"{API}/grids/{world.ids[grid]}/people", json=payload, headers=world.headers(who))
    assert r.status_code == 201, r.text
    return r.json()


def walk(client, world: World, what: str, limit: int, **params: Any) -> tuple[list[dict], list[dict]]:
    """Every page of one of grid G1a's keyset lists (`people`, `tenancies`) as its grid leader reads them: the rows
    in order, and the pages' envelopes."""
    url = f"{API}/grids/{world.ids['G1a']}/{what}"
    seen: list[dict] = []
    pages: list[dict] = []
    after = None
    while True:
        query = {"limit": limit, **params, **({"after": after} if after else {})}
        r = client.get(url, params=query, headers=world.headers("grid_leader"))
        assert r.status_code == 200, r.text
        page = r.json()
        pages.append(page)
        seen += page["items"]
        after = page["next_after"]
        if after is None:
            return seen, pages
        assert len(pages) < 20, "the walk does not end"
