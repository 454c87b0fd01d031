"""Every endpoint × every role × inside and outside the role's scope.

Roles are scoped inside district D1 / street S1 / community C1 / grid G1a (see support/world.py). For each role,
"outside" is the nearest object the role may not see: a sibling grid for grid-scoped roles, a sibling community
for community-scoped roles, another street for street-scoped roles. Outside is always 404; inside, reading is 200
and writing is allowed for the administrator only (403 for the others). Routes that require a role in their
signature refuse every other role with 403 before looking anything up, inside or outside.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from conftest import assert_problem
from support import world as world_mod
from support.world import ROLES, World, free_square_in_c1, grid_point

AREA = {
    "administrator": "street",
    "street_officer": "street",
    "department_officer": "street",
    "station_chief": "community",
    "resident": "community",
    "grid_leader": "grid",
    "grid_member": "grid",
}
OUT_GRID = {"street": "G3", "community": "G2", "grid": "G1b"}
OUT_COMMUNITY = {"street": "C3", "community": "C2", "grid": "C2"}
IN_USER = {"street": "leader_g2", "community": "leader_g1b", "grid": "grid_member"}
OUT_USER = {"street": "chief_c3", "community": "leader_g2", "grid": "leader_g1b"}


def targets(role: str, inside: bool) -> dict[str, str]:
    area = AREA[role]
    grid = "G1a" if inside else OUT_GRID[area]
    user = IN_USER[area] if inside else OUT_USER[area]
    if role == "grid_member" and inside:
        user = "grid_leader"
    return {
        "district": "D1" if inside else "D2",
        "street": "S1" if inside else "S2",
        "community": "C1" if inside else OUT_COMMUNITY[area],
        "grid": grid,
        "building": f"B_{grid}",
        "place": f"P_{grid}",
        "department": "DS1" if inside else "DS2",
        "user": user,
    }


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: Callable[[World, dict[str, str]], str]
    body: Callable[[World, dict[str, str]], Any] | None = None
    write: bool = False
    # Status for the administrator inside scope when it is not the plain success status.
    admin_inside: int | None = None
    ok: int = 200
    # The route requires a role in its signature (accounts.dependencies): a caller of another role is refused
    # (403) before anything is looked up, inside scope or out, which tells them nothing about what exists.
    role_gated: bool = False


def _id(kind: str) -> Callable[[World, dict[str, str]], str]:
    return lambda w, t: str(w.ids[t[kind]])


def _user_id(w: World, t: dict[str, str]) -> str:
    return str(w.users[t["user"]])


CASES = [
    Case("get district", "GET", lambda w, t: f"/api/v1/districts/{w.ids[t['district']]}"),
    Case("get street", "GET", lambda w, t: f"/api/v1/streets/{w.ids[t['street']]}"),
    Case("get community", "GET", lambda w, t: f"/api/v1/communities/{w.ids[t['community']]}"),
    Case("get grid", "GET", lambda w, t: f"/api/v1/grids/{w.ids[t['grid']]}"),
    Case("coverage", "GET", lambda w, t: f"/api/v1/communities/{w.ids[t['community']]}/coverage"),
    Case("export community", "GET", lambda w, t: f"/api/v1/grids/export?community_id={w.ids[t['community']]}"),
    Case("locate", "GET", lambda w, t: "/api/v1/grids/locate?lon={}&lat={}".format(*grid_point(t["grid"]))),
    Case("list buildings", "GET", lambda w, t: f"/api/v1/grids/{w.ids[t['grid']]}/buildings"),
    Case("get building", "GET", lambda w, t: f"/api/v1/buildings/{w.ids[t['building']]}"),
    Case("list places", "GET", lambda w, t: f"/api/v1/grids/{w.ids[t['grid']]}/places"),
    Case("get place", "GET", lambda w, t: f"/api/v1/places/{w.ids[t['place']]}"),
    Case("get department", "GET", lambda w, t: f"/api/v1/departments/{w.ids[t['department']]}"),
    Case("get user", "GET", lambda w, t: f"/api/v1/users/{_user_id(w, t)}", write=True),
    Case(
        "update district",
        "PATCH",
        lambda w, t: f"/api/v1/districts/{w.ids[t['district']]}",
        lambda w, t: {"name": "新名"},
        write=True,
        admin_inside=403,
    ),
    Case(
        "deactivate district",
        "POST",
        lambda w, t: f"/api/v1/districts/{w.ids[t['district']]}/deactivate",
        write=True,
        admin_inside=403,
    ),
    Case(
        "create street",
        "POST",
        lambda w, t: "/api/v1/streets",
        lambda w, t: {"district_id": w.ids[t["district"]], "code": w.codes[t["district"]] + "009", "name": "新街道"},
        write=True,
        admin_inside=403,
    ),
    Case(
        "update street",
        "PATCH",
        lambda w, t: f"/api/v1/streets/{w.ids[t['street']]}",
        lambda w, t: {"name": "新名"},
        write=True,
    ),
    Case(
        "deactivate street",
        "POST",
        lambda w, t: f"/api/v1/streets/{w.ids[t['street']]}/deactivate",
        write=True,
        admin_inside=403,
    ),
    Case(
        "create community",
        "POST",
        lambda w, t: "/api/v1/communities",
        lambda w, t: {"street_id": w.ids[t["street"]], "code": w.codes[t["street"]] + "009", "name": "新社区"},
        write=True,
        ok=201,
    ),
    Case(
        "update community",
        "PATCH",
        lambda w, t: f"/api/v1/communities/{w.ids[t['community']]}",
        lambda w, t: {"name": "新名"},
        write=True,
    ),
    Case(
        "deactivate community",
        "POST",
        lambda w, t: f"/api/v1/communities/{w.ids[t['community']]}/deactivate",
        write=True,
        admin_inside=409,
    ),
    Case(
        "create grid",
        "POST",
        lambda w, t: "/api/v1/grids",
        lambda w, t: {
            "community_id": w.ids[t["community"]],
            "code": w.codes[t["community"]] + "099",
            "name": "新网格",
            "geometry": free_square_in_c1(),
        },
        write=True,
        ok=201,
    ),
    Case(
        "update grid",
        "PATCH",
        lambda w, t: f"/api/v1/grids/{w.ids[t['grid']]}",
        lambda w, t: {"households": 321},
        write=True,
    ),
    Case("deactivate grid", "POST", lambda w, t: f"/api/v1/grids/{w.ids[t['grid']]}/deactivate", write=True),
    Case(
        "import grids",
        "POST",
        lambda w, t: f"/api/v1/communities/{w.ids[t['community']]}/grids/import",
        lambda w, t: {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": free_square_in_c1(),
                    "properties": {"code": w.codes[t["community"]] + "098", "name": "导入网格"},
                }
            ],
        },
        write=True,
    ),
    Case(
        "create building",
        "POST",
        lambda w, t: f"/api/v1/grids/{w.ids[t['grid']]}/buildings",
        lambda w, t: {"name": "9栋"},
        write=True,
        ok=201,
    ),
    Case(
        "update building",
        "PATCH",
        lambda w, t: f"/api/v1/buildings/{w.ids[t['building']]}",
        lambda w, t: {"floors": 7},
        write=True,
    ),
    Case(
        "deactivate building", "POST", lambda w, t: f"/api/v1/buildings/{w.ids[t['building']]}/deactivate", write=True
    ),
    Case(
        "create place",
        "POST",
        lambda w, t: f"/api/v1/grids/{w.ids[t['grid']]}/places",
        lambda w, t: {"name": "新店", "category": "business"},
        write=True,
        ok=201,
    ),
    Case(
        "update place",
        "PATCH",
        lambda w, t: f"/api/v1/places/{w.ids[t['place']]}",
        lambda w, t: {"name": "改名"},
        write=True,
    ),
    Case("deactivate place", "POST", lambda w, t: f"/api/v1/places/{w.ids[t['place']]}/deactivate", write=True),
    Case(
        "create department",
        "POST",
        lambda w, t: "/api/v1/departments",
        lambda w, t: {
            "code": "NEW1",
            "name": "新部门",
            "level": "street",
            "district_id": w.ids["D1"],
            "street_id": w.ids[t["street"]],
        },
        write=True,
        ok=201,
    ),
    Case(
        "update department",
        "PATCH",
        lambda w, t: f"/api/v1/departments/{w.ids[t['department']]}",
        lambda w, t: {"name": "新名"},
        write=True,
    ),
    Case(
        "deactivate department",
        "POST",
        lambda w, t: f"/api/v1/departments/{w.ids[t['department']]}/deactivate",
        write=True,
    ),
    Case(
        "create user",
        "POST",
        lambda w, t: "/api/v1/users",
        lambda w, t: {
            "username": "newuser",
            "display_name": "新人",
            "password": "long-enough-1",
            "role": "grid_member",
            "scope_level": "grid",
            "scope_id": w.ids[t["grid"]],
        },
        write=True,
        ok=201,
        role_gated=True,
    ),
    Case(
        "update user",
        "PATCH",
        lambda w, t: f"/api/v1/users/{_user_id(w, t)}",
        lambda w, t: {"display_name": "改名"},
        write=True,
        role_gated=True,
    ),
    Case(
        "deactivate user",
        "POST",
        lambda w, t: f"/api/v1/users/{_user_id(w, t)}/deactivate",
        write=True,
        role_gated=True,
    ),
]


def expected(case: Case, role: str, inside: bool) -> int:
    if case.role_gated and role != "administrator":
        return 403
    if not inside:
        return 404
    if not case.write:
        return case.ok
    if role != "administrator":
        return 403
    return case.admin_inside or case.ok


class SharedWorld:
    """One world for the many cases of this module: most only read or are refused, so building the world for each
    of them (about a thousand times) was most of this module's time. A case that may have written marks it
    stale and the next case builds it anew, as does any reset by another test."""

    def __init__(self) -> None:
        self.worlds: dict[str, tuple[int, World]] = {}
        self.stale: set[str] = set()

    def get(self, live) -> World:
        kept = self.worlds.get(live.engine_name)
        if kept is None or kept[0] != world_mod.resets() or live.engine_name in self.stale:
            world_mod.reset(live.sync_engine)
            with live.session() as session:
                kept = (world_mod.resets(), world_mod.build(session, live.settings, live.password_hash))
            self.worlds[live.engine_name] = kept
            self.stale.discard(live.engine_name)
        # Stale until the case says otherwise: a case that fails half-way must not leave its writes to the next.
        self.stale.add(live.engine_name)
        return kept[1]

    def unchanged(self, live) -> None:
        self.stale.discard(live.engine_name)


SHARED = SharedWorld()


@pytest.fixture
def shared_world(live) -> World:
    return SHARED.get(live)


@pytest.mark.parametrize("inside", [True, False], ids=["inside", "outside"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_scope_matrix(live, shared_world: World, client, case: Case, role: str, inside: bool) -> None:
    world = shared_world
    t = targets(role, inside)
    body = case.body(world, t) if case.body else None
    response = client.request(case.method, case.path(world, t), json=body, headers=world.headers(role))
    want = expected(case, role, inside)
    if want >= 400:
        assert_problem(response, want)
    else:
        assert response.status_code == want, response.text
    if case.method == "GET" or response.status_code >= 400:
        SHARED.unchanged(live)  # nothing was written: the next case may use the same world


LIST_EXPECTATIONS = {
    # role: (grids, communities, streets, districts, departments) it may list
    "administrator": ({"G1a", "G1b", "G2"}, {"C1", "C2"}, {"S1"}, {"D1"}, {"DS1", "DD1"}),
    "street_officer": ({"G1a", "G1b", "G2"}, {"C1", "C2"}, {"S1"}, {"D1"}, {"DS1", "DD1"}),
    "department_officer": ({"G1a", "G1b", "G2"}, {"C1", "C2"}, {"S1"}, {"D1"}, {"DS1", "DD1"}),
    "station_chief": ({"G1a", "G1b"}, {"C1"}, {"S1"}, {"D1"}, {"DS1", "DD1"}),
    "resident": ({"G1a", "G1b"}, {"C1"}, {"S1"}, {"D1"}, {"DS1", "DD1"}),
    "grid_leader": ({"G1a"}, {"C1"}, {"S1"}, {"D1"}, {"DS1", "DD1"}),
    "grid_member": ({"G1a"}, {"C1"}, {"S1"}, {"D1"}, {"DS1", "DD1"}),
    "system_admin": (
        {"G1a", "G1b", "G2", "G3", "G4"},
        {"C1", "C2", "C3", "C4"},
        {"S1", "S2", "S3"},
        {"D1", "D2"},
        {"DS1", "DD1", "DS2", "DD2"},
    ),
}


@pytest.mark.parametrize("role", list(LIST_EXPECTATIONS))
def test_lists_hold_only_the_scope(live, shared_world: World, client, role: str) -> None:
    world = shared_world
    by_code = {code: name for name, code in world.codes.items()}
    kinds = ("grids", "communities", "streets", "districts", "departments")
    for path, want in zip(kinds, LIST_EXPECTATIONS[role], strict=True):
        r = client.get(f"/api/v1/{path}", headers=world.headers(role))
        assert r.status_code == 200, r.text
        got = {by_code[item["code"]] for item in r.json()["items"]}
        assert got == want, (path, got)
        assert r.json()["total"] == len(want)
    export = client.get("/api/v1/grids/export", headers=world.headers(role)).json()
    assert {by_code[f["properties"]["code"]] for f in export["features"]} == LIST_EXPECTATIONS[role][0]
    SHARED.unchanged(live)


def test_user_list_is_for_administrators_and_scoped(world: World, client) -> None:
    r = client.get("/api/v1/users", headers=world.headers("administrator"))
    assert r.status_code == 200
    names = {u["username"] for u in r.json()["items"]}
    assert "leader_g2" in names and "grid_leader" in names
    assert "chief_c3" not in names and "chief_c4" not in names and "system_admin" not in names
    for role in ROLES:
        if role != "administrator":
            assert_problem(client.get("/api/v1/users", headers=world.headers(role)), 403)


def test_only_a_system_administrator_creates_districts(world: World, client) -> None:
    body = {"code": "430113", "name": "三区"}
    for role in ROLES:
        assert_problem(client.post("/api/v1/districts", json=body, headers=world.headers(role)), 403)
    r = client.post("/api/v1/districts", json=body, headers=world.headers("system_admin"))
    assert r.status_code == 201, r.text
    assert r.json()["code"] == "430113"


def test_no_token_is_401_on_every_case(world: World, client) -> None:
    t = targets("administrator", True)
    for case in CASES:
        body = case.body(world, t) if case.body else None
        r = client.request(case.method, case.path(world, t), json=body)
        assert_problem(r, 401)
        assert r.headers["www-authenticate"] == "Bearer"
