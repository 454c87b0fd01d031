"""Public submissions, photo uploads and tracking lookups are limited per client address (429 + Retry-After);
another address is not affected."""

from __future__ import annotations

import io

from limits import parse
from PIL import Image

from conftest import assert_problem
from matters.helpers import PHONE
from support.world import grid_point
from throttle.conftest import at


def submission(grid: str = "G1a") -> dict:
    lon, lat = grid_point(grid)
    return {"category": "sanitation", "description": "垃圾没清", "lat": lat, "lon": lon, "reporter_phone": PHONE}


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(out, "PNG")
    return out.getvalue()


def test_public_submissions_are_limited_per_address(world, throttled, throttled_server):
    allowed = parse(throttled_server.settings.submission_limit).amount
    for _ in range(allowed):
        assert throttled.post("/api/v1/public/matters", json=submission(), headers=at("192.0.2.1")).status_code == 201
    refused = throttled.post("/api/v1/public/matters", json=submission(), headers=at("192.0.2.1"))
    body = assert_problem(refused, 429)
    assert body["type"].endswith("/too-many-attempts") and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert throttled.post("/api/v1/public/matters", json=submission(), headers=at("192.0.2.2")).status_code == 201


def test_photo_uploads_are_limited_per_address(world, throttled, throttled_server):
    allowed = parse(throttled_server.settings.upload_limit).amount
    data = png()
    for _ in range(allowed):
        r = throttled.post(
            "/api/v1/public/photos", files={"file": ("a.png", data, "image/png")}, headers=at("192.0.2.3")
        )
        assert r.status_code == 201, r.text
    refused = throttled.post(
        "/api/v1/public/photos", files={"file": ("a.png", data, "image/png")}, headers=at("192.0.2.3")
    )
    assert_problem(refused, 429)
    assert int(refused.headers["Retry-After"]) >= 1
    other = throttled.post(
        "/api/v1/public/photos", files={"file": ("a.png", data, "image/png")}, headers=at("192.0.2.4")
    )
    assert other.status_code == 201


def test_tracking_lookups_are_limited_per_address(world, throttled, throttled_server):
    created = throttled.post("/api/v1/public/matters", json=submission(), headers=at("192.0.2.5")).json()
    code, token = created["tracking_code"], created["tracking_token"]
    allowed = parse(throttled_server.settings.tracking_limit).amount
    look = {"X-Tracking-Token": token}
    for _ in range(allowed):
        assert throttled.get(f"/api/v1/public/matters/{code}", headers={**look, **at("192.0.2.6")}).status_code == 200
    refused = throttled.get(f"/api/v1/public/matters/{code}", headers={**look, **at("192.0.2.6")})
    assert_problem(refused, 429)
    assert int(refused.headers["Retry-After"]) >= 1
    assert throttled.get(f"/api/v1/public/matters/{code}", headers={**look, **at("192.0.2.7")}).status_code == 200
