"""Operations: health and readiness, problem+json everywhere, request ids, body size, OpenAPI, settings guard."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from conftest import assert_problem, make_settings
from wangge import migrate
from wangge.config import Settings
from wangge.logs import JSONFormatter, request_id_var


def test_healthz_and_readyz(live, client):
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json() == {
        "status": "ready",
        "database": "sqlite" if live.engine_name == "sqlite" else "postgresql",
        "revision": migrate.head_revision(),
    }


def test_readyz_is_503_when_migrations_are_missing(live, request, tmp_path):
    from conftest import new_database
    from support.server import LiveServer

    url = new_database(live.engine_name, "wangge_unmigrated", tmp_path, request)
    server = LiveServer(make_settings(url)).start()
    try:
        # The first request of a new server on a new database: httpx's default 5 s was not enough on a busy machine.
        r = httpx.get(server.base_url + "/readyz", timeout=30, headers={"Accept-Language": "en"})
        problem = assert_problem(r, 503)
        assert problem["current"] is None and problem["head"] == migrate.head_revision()
        assert "run the migrations" in problem["detail"]
    finally:
        server.stop()


def test_unknown_paths_and_methods_are_problems(world, client):
    assert_problem(client.get("/api/v1/nothing-here", headers=world.headers("administrator")), 404)
    assert_problem(client.delete(f"/api/v1/grids/{world.ids['G1a']}", headers=world.headers("administrator")), 405)
    assert_problem(client.get("/api/v1/grids/not-a-number", headers=world.headers("administrator")), 422)


def test_validation_errors_list_the_fields(world, client):
    r = client.post(
        "/api/v1/grids", headers=world.headers("administrator"), json={"community_id": "x", "code": 5, "unknown": 1}
    )
    problem = assert_problem(r, 422)
    fields = {tuple(e["loc"]) for e in problem["errors"]}
    assert {
        ("body", "community_id"),
        ("body", "code"),
        ("body", "name"),
        ("body", "geometry"),
        ("body", "unknown"),
    } <= fields
    assert "community_id" in problem["detail"]
    malformed = client.post(
        "/api/v1/grids",
        headers={**world.headers("administrator"), "content-type": "application/json"},
        content=b"{not json",
    )
    assert_problem(malformed, 422)


def test_a_body_over_the_limit_is_413_and_nothing_is_written(world, client, live):
    big = {"type": "FeatureCollection", "features": [], "padding": "x" * (live.settings.max_body_bytes + 10)}
    r = client.post(
        f"/api/v1/communities/{world.ids['C1']}/grids/import", json=big, headers=world.headers("administrator")
    )
    problem = assert_problem(r, 413)
    assert "larger than" in problem["detail"]

    def chunks():
        for _ in range(live.settings.max_body_bytes // 1000 + 2):
            yield b" " * 1000

    streamed = client.post(
        "/api/v1/grids",
        content=chunks(),
        headers={**world.headers("administrator"), "content-type": "application/json"},
    )
    assert_problem(streamed, 413)


def test_request_id_is_echoed_or_made(client):
    r = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"}).headers["x-request-id"]
    assert len(made) == 32 and made != "abc-123"


def test_log_lines_are_json_with_the_request_id():
    token = request_id_var.set("req-42")
    try:
        record = logging.LogRecord("wangge.test", logging.INFO, __file__, 1, "hello %s", ("网格",), None)
        record.status = 200
        line = json.loads(JSONFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["request_id"] == "req-42" and line["message"] == "hello 网格" and line["status"] == 200


def test_openapi_and_docs(client):
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"].startswith("Wangge")
    paths = spec["paths"]
    for path in (
        "/api/v1/auth/token",
        "/api/v1/grids/locate",
        "/api/v1/communities/{community_id}/grids/import",
        "/api/v1/users/{user_id}",
    ):
        assert path in paths
    assert all(p.startswith(("/api/v1/", "/open311/v2/", "/healthz", "/readyz")) for p in paths)
    assert "swagger" in client.get("/docs").text.lower()


def test_the_default_secret_is_refused_outside_development():
    with pytest.raises(ValueError, match="WANGGE_SECRET_KEY"):
        Settings(environment="production")
    with pytest.raises(ValueError, match="WANGGE_SECRET_KEY"):
        Settings(environment="production", secret_key="short")
    with pytest.raises(ValueError, match="WANGGE_PERSONAL_DATA_KEY"):
        Settings(environment="production", secret_key="k" * 40)  # registries' identity numbers need their own key
    with pytest.raises(ValueError, match="WANGGE_PERSONAL_DATA_KEY"):
        Settings(environment="development", personal_data_key="short")
    assert Settings(environment="production", secret_key="k" * 40, personal_data_key="p" * 40).environment
    assert Settings(environment="development").secret_key  # development runs with the default


def test_settings_read_the_environment(monkeypatch):
    monkeypatch.setenv("WANGGE_CORS_ORIGINS", '["https://app.example.org"]')
    monkeypatch.setenv("WANGGE_TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png")
    monkeypatch.setenv("WANGGE_UPLOAD_DIR", "/srv/wangge/uploads")
    s = Settings()
    assert s.cors_origins == ["https://app.example.org"] and s.tile_url.endswith("{y}.png")
    assert str(s.upload_dir) == "/srv/wangge/uploads"


def test_meta_is_public(client):
    body = client.get("/api/v1/meta").json()
    assert body["app_name"] == "网格" and len(body["default_center"]) == 2
