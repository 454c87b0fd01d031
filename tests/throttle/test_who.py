"""Who is my grid 亮证 is limited per client address like the tracking pages (429 + Retry-After); another address is
not affected."""

from __future__ import annotations

from limits import parse

from conftest import assert_problem
from throttle.conftest import at


def test_who_lookups_are_limited_per_address(world, throttled, throttled_server):
    allowed = parse(throttled_server.settings.tracking_limit).amount
    params = {"community_id": world.ids["C1"]}
    for _ in range(allowed):
        assert throttled.get("/api/v1/public/who", params=params, headers=at("192.0.2.41")).status_code == 200
    refused = throttled.get("/api/v1/public/who", params=params, headers=at("192.0.2.41"))
    assert assert_problem(refused, 429)["code"] == "too-many-attempts"
    assert int(refused.headers["Retry-After"]) >= 1
    assert throttled.get("/api/v1/public/who", params=params, headers=at("192.0.2.42")).status_code == 200
