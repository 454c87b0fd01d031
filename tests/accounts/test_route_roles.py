"""The role a route requires is part of its signature (accounts.dependencies): a caller of another role gets 403
`forbidden` before the route does any work, even with a body that would not be valid, and nothing is written."""

from __future__ import annotations

import inspect

import pytest

from conftest import assert_problem
from support.routes import api_routes
from wangge.accounts import dependencies
from wangge.main import create_app

REFUSED = [
    ("post", "/api/v1/matters", "street_officer"),
    ("post", "/api/v1/matters/import", "grid_leader"),
    ("post", "/api/v1/patrols", "station_chief"),
    ("get", "/api/v1/fieldwork/my-day", "station_chief"),
    ("get", "/api/v1/fieldwork/week?start=2026-11-30", "street_officer"),
    ("post", "/api/v1/matters/1/supervision-notes", "grid_leader"),
    ("post", "/api/v1/incidents", "resident"),
    ("get", "/api/v1/users", "grid_leader"),
    ("post", "/api/v1/users", "station_chief"),
    ("post", "/api/v1/users/1/deactivate", "grid_member"),
]


@pytest.mark.parametrize(("method", "path", "who"), REFUSED)
def test_a_caller_of_another_role_is_refused_in_the_signature(world, client, method, path, who):
    r = client.request(method, path, json={"not": "a valid body"}, headers=world.headers(who))
    problem = assert_problem(r, 403)
    assert problem["code"] == "forbidden" and "Your role (" in problem["detail"]


def test_the_typed_roles_are_read_in_the_route_declarations():
    """Each of these routes names its role dependency in its signature, where a reader sees it."""
    app = create_app()
    typed = {
        name: getattr(dependencies, name)
        for name in ("GridStaff", "FieldOrDesk", "Supervisor", "HotlineImporter", "IncidentRaiser", "UserManager")
    }
    found: dict[str, set[str]] = {name: set() for name in typed}
    for route in api_routes(app.routes):
        for parameter in inspect.signature(route.endpoint).parameters.values():
            for name, alias in typed.items():
                if parameter.annotation == alias or parameter.annotation == name:
                    found[name].add(f"{sorted(route.methods)[0]} {route.path.removeprefix('/api/v1')}")
    assert "POST /matters" in found["FieldOrDesk"]
    assert "POST /matters/import" in found["HotlineImporter"]
    assert {"POST /patrols", "GET /fieldwork/my-day"} <= found["GridStaff"]
    assert "POST /users" in found["UserManager"] and "POST /incidents" in found["IncidentRaiser"]
