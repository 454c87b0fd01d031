"""Security headers on every response: the API's, the app's files, errors and the documentation."""

from __future__ import annotations

import httpx
import pytest

from conftest import make_settings
from support.server import LiveServer
from wangge.headers import app_policy, tile_source


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def assert_secured(r: httpx.Response) -> dict[str, list[str]]:
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "geolocation=(self)" in r.headers["permissions-policy"]
    csp = directives(r.headers["content-security-policy"])
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    return csp


def test_every_kind_of_response_carries_the_headers(world, client):
    answers = [
        client.get("/healthz"),
        client.get("/api/v1/meta"),
        client.get("/api/v1/matters", headers=world.headers("grid_leader")),
        client.get("/api/v1/matters"),  # 401
        client.get("/api/v1/no-such-thing"),  # 404
        client.post("/api/v1/public/matters", json={}),  # 422
        client.get("/login"),  # the app (or the "not built" problem)
    ]
    assert [r.status_code for r in answers[:6]] == [200, 200, 200, 401, 404, 422]
    for r in answers:
        csp = assert_secured(r)
        # The app's policy: no inline script or style, nothing from elsewhere but map tiles.
        assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
        assert csp["default-src"] == ["'self'"] and csp["connect-src"] == ["'self'"]
        assert set(csp["img-src"]) == {"'self'", "data:", "blob:"}  # no tile server in the test settings


def test_the_documentation_gets_its_own_wider_policy_on_its_paths_only(client):
    for path in ("/docs", "/redoc"):
        docs = client.get(path)
        assert docs.status_code == 200
        csp = assert_secured(docs)
        assert csp["script-src"] == ["'self'", "'unsafe-inline'"]  # its own files and the starting script
        assert not any("://" in source for sources in csp.values() for source in sources)  # no other host
        # The pages load the tools from the app's own files, never from a CDN.
        assert "/api-docs/" in docs.text and "cdn" not in docs.text and "googleapis" not in docs.text
    assert (
        "'unsafe-inline'"
        not in directives(client.get("/openapi.json").headers["content-security-policy"])["script-src"]
    )


def test_the_tile_servers_host_is_allowed_for_images(live):
    settings = make_settings(live.settings.database_url, tile_url="https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    server = LiveServer(settings).start()
    try:
        r = httpx.get(server.base_url + "/api/v1/meta", timeout=30)  # a new server's first answer, on a busy machine
    finally:
        server.stop()
    csp = assert_secured(r)
    assert "https://*.tiles.example.org" in csp["img-src"]
    assert "https://*.tiles.example.org" not in csp["script-src"] + csp["connect-src"]


@pytest.mark.parametrize(
    ("template", "source"),
    [
        ("", None),
        ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("http://127.0.0.1:9/{z}/{x}/{y}.png", "http://127.0.0.1:9"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png?key=abc", "https://*.tile.example.org"),
        ("https://t{s}.example.org/{z}/{x}/{y}.png", "https://*.example.org"),
        ("https://a.{s}.example.org/{z}/{x}/{y}.png", "https:"),
        ("/tiles/{z}/{x}/{y}.png", None),  # same origin: 'self' covers it
    ],
)
def test_tile_source(template, source):
    assert tile_source(template) == source
    if source:
        assert source in directives(app_policy(template))["img-src"]
