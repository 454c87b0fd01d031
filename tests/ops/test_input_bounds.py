"""No request produces a 500: ids and integers the database cannot hold, months that break dates, nulls and unknown
departments in a category patch, and control characters anywhere in a request are 422s naming the field; the
OpenAPI documents every 4xx as a problem (application/problem+json), and the answers have that shape."""

from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import pytest

from conftest import assert_problem
from matters.helpers import PHONE, submit
from support.world import grid_point, square_geojson

API = "/api/v1"


def _locs(problem: dict) -> set[tuple[str, ...]]:
    return {tuple(str(part) for part in e["loc"]) for e in problem["errors"]}


# --- ids and integers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [2**63, 2**63 + 1, 2**31, 10**30, 0, -1])
def test_an_id_the_database_cannot_hold_is_a_422_in_the_path(world, client, bad):
    problem = assert_problem(client.get(f"{API}/grids/{bad}", headers=world.headers("system_admin")), 422)
    assert ("path", "grid_id") in _locs(problem)


def test_the_largest_id_is_merely_not_found(world, client):
    assert_problem(client.get(f"{API}/grids/{2**31 - 1}", headers=world.headers("system_admin")), 404)


def test_ids_in_queries_and_bodies_are_bounded_too(world, client):
    admin = world.headers("system_admin")
    problem = assert_problem(client.get(f"{API}/grids?community_id={2**64}", headers=admin), 422)
    assert ("query", "community_id") in _locs(problem)
    body = {
        "community_id": 2**40,
        "code": world.codes["C1"] + "201",
        "name": "新网格",
        "geometry": square_geojson(113.001, 28.106, 0.001),
    }
    problem = assert_problem(client.post(f"{API}/grids", headers=admin, json=body), 422)
    assert ("body", "community_id") in _locs(problem)


def test_any_integer_a_body_carries_must_fit_the_database(world, client):
    # time_limits is free-form JSON: no declared bound, so the shared input base refuses the number itself.
    limits = {"grid": {"sign": {"amount": 2**70, "unit": "minutes"}}}
    problem = assert_problem(
        client.patch(
            f"{API}/categories/{world.categories['sanitation']}",
            headers=world.headers("system_admin"),
            json={"time_limits": limits},
        ),
        422,
    )
    assert ("body", "time_limits") in _locs(problem)


# --- months ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["0000-01", "1999-12", "2101-01", "2026-00", "2026-13", "2026-1", "20260-01"])
def test_a_hazard_month_outside_2000_to_2100_is_refused_and_nothing_is_stored(world, client, month):
    chief = world.headers("station_chief")
    body = {"community_id": world.ids["C1"], "month": month}
    problem = assert_problem(client.post(f"{API}/hazards/cycles", headers=chief, json=body), 422)
    assert ("body", "month") in _locs(problem)
    assert client.get(f"{API}/hazards/cycles", headers=chief).json() == {"items": []}
    problem = assert_problem(client.get(f"{API}/hazards?month={month}", headers=chief), 422)
    assert ("query", "month") in _locs(problem)


def test_the_edges_of_the_month_range_are_accepted(world, client):
    chief = world.headers("station_chief")
    for month in ("2000-01", "2100-12"):
        r = client.post(f"{API}/hazards/cycles", headers=chief, json={"community_id": world.ids["C1"], "month": month})
        assert r.status_code == 201, r.text
        assert client.get(f"{API}/hazards/cycles/{r.json()['id']}/bulletin", headers=chief).status_code == 200
    assert client.get(f"{API}/hazards/cycles", headers=chief).status_code == 200


# --- dates ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-25", "2101-01-03", "9999-12-27"])
def test_a_day_outside_1900_to_2100_is_a_422_in_a_query_a_path_and_a_body(world, client, day):
    leader = world.headers("grid_leader")
    # 0001-01-01 is a Monday: once an OverflowError on PostgreSQL, turning the week into UTC instants.
    problem = assert_problem(client.get(f"{API}/fieldwork/roster?week={day}", headers=leader), 422)
    assert ("query", "week") in _locs(problem)
    problem = assert_problem(client.post(f"{API}/fieldwork/my-day/{day}/sign", headers=leader), 422)
    assert ("path", "day") in _locs(problem)
    problem = assert_problem(
        client.get(f"{API}/grids/{world.ids['G1a']}/on-duty?at={day}T08:00:00Z", headers=leader), 422
    )
    assert ("query", "at") in _locs(problem)
    body = {"community_id": world.ids["C1"], "month": "2026-11"}
    chief = world.headers("station_chief")
    cycle = client.post(f"{API}/hazards/cycles", headers=chief, json=body).json()
    problem = assert_problem(
        client.put(
            f"{API}/hazards/cycles/{cycle['id']}/meeting",
            headers=chief,
            json={"held_at": f"{day}T08:00:00Z", "minutes": "x"},
        ),
        422,
    )
    assert ("body", "held_at") in _locs(problem)


def test_open311_dates_outside_1900_to_2100_are_a_400(world, client):
    r = client.get("/open311/v2/requests.json?end_date=0001-01-01T00:00:00Z")
    assert r.status_code == 400, r.text


# --- category patch -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["name_zh", "name_en", "icon", "default_route", "time_limits", "is_active"])
def test_a_category_field_that_cannot_be_empty_refuses_null_by_name(world, client, field):
    url = f"{API}/categories/{world.categories['sanitation']}"
    problem = assert_problem(client.patch(url, headers=world.headers("system_admin"), json={field: None}), 422)
    assert ("body", field) in _locs(problem)


def test_a_category_department_must_exist_and_may_be_cleared(world, client):
    url = f"{API}/categories/{world.categories['sanitation']}"
    admin = world.headers("system_admin")
    problem = assert_problem(client.patch(url, headers=admin, json={"department_id": 999_999}), 422)
    assert ("body", "department_id") in _locs(problem)
    r = client.patch(url, headers=admin, json={"department_id": world.ids["DD1"]})
    assert r.status_code == 200 and r.json()["department_id"] == world.ids["DD1"]
    r = client.patch(url, headers=admin, json={"department_id": None})
    assert r.status_code == 200 and r.json()["department_id"] is None


def test_a_time_limit_beyond_a_year_is_refused_naming_where(world, client):
    url = f"{API}/categories/{world.categories['sanitation']}"
    limits = {"grid": {"complete": {"amount": 100_000, "unit": "working_days"}}}
    r = client.patch(url, headers=world.headers("system_admin"), json={"time_limits": limits})
    problem = assert_problem(r, 422)
    assert ("body", "time_limits", "grid", "complete") in _locs(problem)


# --- control characters ---------------------------------------------------------------------------------------


def _control_problem(response) -> dict:
    problem = assert_problem(response, 422)
    assert problem["type"].endswith("/control-character")
    assert all(e["type"] == "control_character" for e in problem["errors"])
    return problem


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\ud800"])
def test_control_characters_in_a_json_text_field_are_refused_by_name(world, client, char):
    lon, lat = grid_point("G1a")
    body = {
        "category": "sanitation",
        "description": f"垃圾{char}堆放",
        "lat": lat,
        "lon": lon,
        "reporter_phone": PHONE,
        "reporter_name": "李阿姨",
    }
    # json.dumps escapes every control character (and a lone surrogate) as \\uXXXX: valid JSON, as a client sends it.
    r = client.post(f"{API}/public/matters", content=json.dumps(body), headers={"Content-Type": "application/json"})
    assert _locs(_control_problem(r)) == {("body", "description")}


def test_tab_and_line_breaks_stay_allowed_in_text(world, client):
    created = submit(client, description="第一行\n第二行\r\n\t缩进")
    assert created["tracking_code"]


def test_control_characters_deep_in_free_form_json_and_in_its_keys_are_refused(world, client):
    feature = {
        "type": "Feature",
        "properties": {"code": world.codes["C1"] + "101", "name": "网格\x00", "bad\x00key": 1},
        "geometry": square_geojson(113.001, 28.106, 0.001),
    }
    r = client.post(
        f"{API}/communities/{world.ids['C1']}/grids/import",
        headers=world.headers("administrator"),
        json={"type": "FeatureCollection", "features": [feature]},
    )
    locs = _locs(_control_problem(r))
    assert ("body", "features", "0", "properties", "name") in locs
    assert ("body", "features", "0", "properties", "bad\\x00key") in locs


def test_control_characters_in_query_path_and_form_are_refused_by_name(world, client):
    admin = world.headers("system_admin")
    problem = _control_problem(client.get(f"{API}/contingency-plans?incident_type=fire%00", headers=admin))
    assert ("query", "incident_type") in _locs(problem)
    problem = _control_problem(client.get(f"{API}/public/matters/AB%00CD?phone_last4=5678"))
    assert ("path", "code") in _locs(problem)
    r = client.post(f"{API}/auth/token", data={"username": "grid\x00leader", "password": "pass-1234"})
    assert ("body", "username") in _locs(_control_problem(r))
    r = client.post("/open311/v2/requests.json", data={"service_code": "sanitation", "description": "x\x00y"})
    assert r.status_code in (400, 401, 403, 422) and r.status_code != 500
    if r.status_code == 422:
        assert ("body", "description") in _locs(_control_problem(r))


def test_control_characters_in_a_hotline_csv_are_refused(world, client):
    csv = "order_no,category,description\n12345-1,sanitation,垃圾\x00堆放\n"
    r = client.post(
        f"{API}/matters/import",
        headers={**world.headers("system_admin"), "Content-Type": "text/csv"},
        content=csv.encode(),
    )
    _control_problem(r)


@pytest.mark.parametrize("path", ["/matters/import", "/grids", "/public/matters"])
def test_json_nested_past_any_limit_is_a_4xx(world, client, path):
    body = "[" * 100_000 + "]" * 100_000
    r = client.post(
        f"{API}{path}", headers={**world.headers("system_admin"), "Content-Type": "application/json"}, content=body
    )
    assert 400 <= r.status_code < 500, r.text[:300]
    # Deep, but within what the parser takes: the gate walks it without recursion and finds the NUL at the bottom.
    deep = '{"orders": ' + "[" * 900 + '"\\u0000"' + "]" * 900 + "}"
    r = client.post(
        f"{API}/matters/import",
        headers={**world.headers("system_admin"), "Content-Type": "application/json"},
        content=deep,
    )
    assert len(_control_problem(r)["errors"][0]["loc"]) == 902


def test_a_control_character_in_a_header_never_reaches_the_app(live, world):
    # Clients refuse to send one; a raw socket does. The HTTP server or the guard refuses it, never with a 500.
    url = urlsplit(live.base_url)
    request = (
        f"GET {API}/auth/me HTTP/1.1\r\nHost: {url.netloc}\r\nIdempotency-Key: a\x01b\r\n"
        f"Authorization: Bearer {world.tokens['system_admin']}\r\nConnection: close\r\n\r\n"
    ).encode("latin-1")
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(request)
        status_line = sock.makefile("rb").readline().decode("latin-1")
    assert status_line.split()[1] in ("400", "422"), status_line


# --- the documented shape of errors ---------------------------------------------------------------------------


def test_the_openapi_lists_every_4xx_as_a_problem(client):
    doc = client.get("/openapi.json").json()
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    count = 0
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for status in ("422", "4XX"):
                content = operation["responses"][status]["content"]
                assert content == {"application/problem+json": {"schema": problem_ref}}, (method, path, status)
            count += 1
    assert count > 150
    assert set(doc["components"]["schemas"]["Problem"]["required"]) == {"type", "code", "title", "status"}
