"""Open311 keys from the administration: a system administrator creates one (answered once, stored as a hash),
it files a request, and once deactivated it is refused; nobody else may see or make keys."""

from __future__ import annotations

from sqlalchemy import select

from conftest import assert_problem
from support.world import grid_point
from wangge.open311.models import ApiKey


def _post_request(client, key):
    lon, lat = grid_point("G1a")
    return client.post(
        "/open311/v2/requests.json",
        data={"api_key": key, "service_code": "sanitation", "lat": lat, "long": lon, "description": "井盖缺失"},
    )


def test_a_key_works_until_it_is_deactivated(world, client, live):
    admin = world.headers("system_admin")
    r = client.post("/api/v1/api-keys", json={"name": "12345热线"}, headers=admin)
    assert r.status_code == 201, r.text
    key, row = r.json()["key"], r.json()["api_key"]
    assert row["name"] == "12345热线" and row["is_active"] is True and len(key) >= 32
    with live.session() as s:
        stored = s.execute(select(ApiKey.key_hash).where(ApiKey.id == row["id"])).scalar_one()
    assert key not in stored
    listed = client.get("/api/v1/api-keys", headers=admin).json()
    assert [k["name"] for k in listed if k["id"] == row["id"]] == ["12345热线"] and "key" not in listed[0]
    assert _post_request(client, key).status_code in (200, 201)
    r = client.post(f"/api/v1/api-keys/{row['id']}/deactivate", headers=admin)
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert _post_request(client, key).status_code in (401, 403)
    log = client.get("/api/v1/audit", params={"entity": "api_key"}, headers=admin).json()["items"]
    assert [e["action"] for e in log] == ["deactivate", "create"] and key not in str(log)


def test_only_a_system_administrator_keeps_keys(world, client):
    for who in ("administrator", "station_chief", "grid_leader"):
        assert_problem(client.get("/api/v1/api-keys", headers=world.headers(who)), 403)
        assert_problem(client.post("/api/v1/api-keys", json={"name": "x"}, headers=world.headers(who)), 403)
    assert_problem(client.post("/api/v1/api-keys", json={"name": "  "}, headers=world.headers("system_admin")), 422)
    assert_problem(client.post("/api/v1/api-keys/987654/deactivate", headers=world.headers("system_admin")), 404)
