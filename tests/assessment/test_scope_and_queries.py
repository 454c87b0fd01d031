"""Who sees which unit's figures (outside one's scope: 404, as if it did not exist), which roles may call which route,
and malformed queries answered 422 with a stable code — never a 500."""

from __future__ import annotations

import pytest

from conftest import assert_problem

FIGURES = "/api/v1/assessment/figures"

# (who, level, unit, visible?)
MATRIX = [
    ("station_chief", "community", "C1", True),
    ("station_chief", "grid", "G1a", True),
    ("station_chief", "leader", "leader_g1b", True),
    ("station_chief", "community", "C2", False),
    ("station_chief", "grid", "G2", False),
    ("station_chief", "leader", "leader_g2", False),
    ("station_chief", "street", "S1", False),
    ("station_chief", "department", "DS1", False),
    ("street_officer", "street", "S1", True),
    ("street_officer", "community", "C2", True),
    ("street_officer", "grid", "G1b", True),
    ("street_officer", "department", "DS1", True),
    ("street_officer", "department", "DS2", False),
    ("street_officer", "department", "DD1", False),
    ("street_officer", "community", "C3", False),
    ("street_officer", "street", "S2", False),
    ("street_officer", "district", "D1", False),
    ("department_officer", "department", "DS1", True),
    ("department_officer", "department", "DS2", False),
    ("department_officer", "community", "C1", False),
    ("department_officer", "street", "S1", False),
    ("administrator", "street", "S1", True),
    ("administrator", "department", "DS1", True),
    ("administrator", "street", "S2", False),
    ("administrator", "district", "D1", False),
    ("system_admin", "district", "D1", True),
    ("system_admin", "district", "D2", True),
    ("system_admin", "department", "DD2", True),
    ("system_admin", "leader", "leader_g2", True),
    ("chief_c4", "community", "C4", True),
    ("chief_c4", "community", "C1", False),
    ("dept_dd1", "department", "DD1", True),
]


def _id(world, unit: str) -> int:
    return world.ids[unit] if unit in world.ids else world.users[unit]


def test_the_scope_matrix(world, client):
    for who, level, unit, visible in MATRIX:
        for path in ("figures", "dashboard"):
            r = client.get(
                f"/api/v1/assessment/{path}",
                params={"level": level, "id": _id(world, unit)},
                headers=world.headers(who),
            )
            if visible:
                assert r.status_code == 200, (who, level, unit, path, r.text)
                body = r.json()["figures"] if path == "dashboard" else r.json()
                assert body["unit"] == {"level": level, "id": _id(world, unit), "name": body["unit"]["name"]}
            else:
                assert assert_problem(r, 404)["code"] == "assessment-unit-not-found", (who, level, unit, path)
    # A unit that does not exist reads the same as one outside the scope.
    r = client.get(FIGURES, params={"level": "grid", "id": 999999}, headers=world.headers("system_admin"))
    assert assert_problem(r, 404)["code"] == "assessment-unit-not-found"
    # A table under a parent outside the scope: 404 too.
    r = client.get(
        "/api/v1/assessment/table",
        params={"level": "grid", "parent_level": "community", "parent_id": world.ids["C2"]},
        headers=world.headers("station_chief"),
    )
    assert assert_problem(r, 404)["code"] == "assessment-unit-not-found"


def test_the_roles_of_each_route(world, client):
    params = {"level": "community", "id": world.ids["C1"]}
    for who in ("grid_leader", "grid_member", "resident"):
        assert_problem(client.get(FIGURES, params=params, headers=world.headers(who)), 403)
        assert_problem(client.get("/api/v1/assessment/schemes", headers=world.headers(who)), 403)
    for who in ("station_chief", "street_officer", "administrator", "grid_member"):
        assert_problem(client.get("/api/v1/assessment/me", headers=world.headers(who)), 403)
    assert_problem(client.get(FIGURES, params=params), 401)
    me = client.get("/api/v1/assessment/me", headers=world.headers("grid_leader"))
    assert me.status_code == 200, me.text
    # The leader of G1a ranks among C1's two leaders (neither has a score: nothing received).
    assert me.json()["rank"] == {"rank": None, "of": 2}
    assert [g["unit"]["name"] for g in me.json()["grids"]] == ["G1a网格"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"period": "decade"}, "validation-error"),
        ({"at": "2026-13-01"}, "validation-error"),
        ({"at": "yesterday"}, "validation-error"),
        ({"at": "9999-01-01"}, "validation-error"),
        ({"level": "planet"}, "validation-error"),
        ({"id": "0"}, "validation-error"),
        ({"id": "99999999999"}, "validation-error"),
        ({"id": "abc"}, "validation-error"),
        ({"period": "range"}, "assessment-period"),
        ({"period": "range", "start": "2026-03-01"}, "assessment-period"),
        ({"period": "range", "start": "2026-03-10", "end": "2026-03-01"}, "assessment-period"),
        ({"period": "range", "start": "2025-01-01", "end": "2026-03-01"}, "assessment-period"),
    ],
)
def test_malformed_queries_are_422_with_a_code(world, client, params, code):
    query = {"level": "community", "id": world.ids["C1"], **params}
    r = client.get(FIGURES, params=query, headers=world.headers("station_chief"))
    assert assert_problem(r, 422)["code"] == code


def test_a_table_of_a_level_that_is_not_a_child_is_422(world, client):
    for level, parent in (
        ("street", "community"),
        ("grid", "street"),
        ("department", "community"),
        ("leader", "department"),
    ):
        r = client.get(
            "/api/v1/assessment/table",
            params={
                "level": level,
                "parent_level": parent,
                "parent_id": world.ids["C1" if parent == "community" else "S1" if parent == "street" else "DS1"],
            },
            headers=world.headers("system_admin"),
        )
        assert assert_problem(r, 422)["code"] == "assessment-level", (level, parent)
    # A street's departments and a community's grids are fine.
    for level, parent, unit in (("department", "street", "S1"), ("grid", "community", "C1"), ("leader", "grid", "G1a")):
        r = client.get(
            "/api/v1/assessment/table",
            params={"level": level, "parent_level": parent, "parent_id": world.ids[unit]},
            headers=world.headers("system_admin"),
        )
        assert r.status_code == 200, r.text
        assert r.json()["rows"], (level, parent)
