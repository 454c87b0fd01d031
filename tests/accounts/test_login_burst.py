"""A burst of sign-ins must not take the connection pool from everyone else: the password is checked with no
connection held and at most one hash per core; when the pool is exhausted anyway the answer is a 503 with
Retry-After, never a 500."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx

from conftest import assert_problem, make_settings
from support.server import LiveServer
from support.world import PASSWORD


async def _burst(base_url: str, logins: int, others: int, headers: dict[str, str]):
    limits = httpx.Limits(max_connections=logins + others, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as c:

        async def other() -> httpx.Response:
            await asyncio.sleep(0)
            return await c.get("/api/v1/auth/me", headers=headers)

        sign_ins = [
            c.post("/api/v1/auth/token", data={"username": "grid_member", "password": PASSWORD}) for _ in range(logins)
        ]
        answers = await asyncio.gather(*sign_ins, *(other() for _ in range(others)))
        return answers[:logins], answers[logins:]


def _busy_or(expected: int, answers: list[httpx.Response], *, throttled: bool = False) -> Counter:
    """Every answer is `expected` or a 503 with Retry-After; with `throttled`, also the sign-in throttle's 429
    (every attempt on an account is counted before its password is checked, so a burst on one account locks it
    after five concurrent attempts, right or wrong: accounts/signin.py)."""
    for r in answers:
        if r.status_code == 503 or (throttled and r.status_code == 429):
            assert_problem(r, r.status_code)
            assert int(r.headers["retry-after"]) >= 1
        else:
            assert r.status_code == expected, r.text
    return Counter(r.status_code for r in answers)


def test_150_concurrent_sign_ins_and_other_requests_meanwhile(world, client, live):
    logins, others = asyncio.run(_burst(live.base_url, 150, 40, world.headers("station_chief")))
    assert _busy_or(200, logins, throttled=True)[200] > 0
    assert Counter(r.status_code for r in others) == {200: 40}, [r.text for r in others if r.status_code != 200][:2]
    token = next(r.json()["access_token"] for r in logins if r.status_code == 200)
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()["role"] == "grid_member"


def test_an_exhausted_pool_is_503_with_retry_after(world, live):
    # A second server on the same database with one connection and no patience: most of a burst cannot get one.
    settings = make_settings(
        live.settings.database_url, database_pool_size=1, database_max_overflow=0, database_pool_timeout=0.01
    )
    server = LiveServer(settings).start()
    try:
        logins, others = asyncio.run(_burst(server.base_url, 60, 60, world.headers("station_chief")))
    finally:
        server.stop()
    statuses = _busy_or(200, logins, throttled=True) + _busy_or(200, others)
    assert statuses[503] > 0 and statuses[200] > 0, statuses
