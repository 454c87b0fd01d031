"""Sign-in throttling: wrong passwords per account (a lockout record in the database, growing waits) and per client
address (a `limits` window), answered 429 problem+json with Retry-After."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
from sqlalchemy import select, update

from conftest import assert_problem, make_settings
from support.world import PASSWORD
from throttle.conftest import at
from wangge.accounts.models import SignInFailure
from wangge.accounts.signin import lock_for
from wangge.models_common import utcnow


def sign_in(client, username: str, password: str, address: str):
    return client.post("/api/v1/auth/token", data={"username": username, "password": password}, headers=at(address))


def test_sixty_wrong_passwords_then_the_right_one_is_refused_while_the_account_waits(world, throttled, live):
    limit = live.settings.sign_in_max_failures
    answers = [sign_in(throttled, "station_chief", "wrong-password", "203.0.113.10").status_code for _ in range(60)]
    assert answers[:limit] == [401] * limit and answers[limit:] == [429] * (60 - limit)
    right = sign_in(throttled, "station_chief", PASSWORD, "203.0.113.10")
    body = assert_problem(right, 429)
    assert body["type"].endswith("/too-many-attempts") and "account" in body["detail"]
    assert 1 <= int(right.headers["Retry-After"]) <= live.settings.sign_in_lock_seconds
    assert "access_token" not in right.text
    # The wait is the account's: from another address the right password is refused too ...
    assert_problem(sign_in(throttled, "station_chief", PASSWORD, "203.0.113.11"), 429)
    # ... while other accounts sign in as usual.
    assert sign_in(throttled, "grid_leader", PASSWORD, "203.0.113.11").status_code == 200
    # Only the checked wrong passwords were counted (the refused ones do not lengthen the wait).
    with live.session() as s:
        record = s.execute(select(SignInFailure).where(SignInFailure.username == "station_chief")).scalar_one()
        assert record.failures == limit
        # Once the wait is over the right password works and the record is cleared.
        s.execute(
            update(SignInFailure)
            .where(SignInFailure.username == "station_chief")
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )
        s.commit()
    assert sign_in(throttled, "station_chief", PASSWORD, "203.0.113.12").status_code == 200
    with live.session() as s:
        assert s.get(SignInFailure, "station_chief") is None


def test_a_burst_of_concurrent_wrong_passwords_checks_at_most_the_limit(world, live):
    """On the shared server (wide per-address windows), so what stops the burst is the account's record."""
    limit = live.settings.sign_in_max_failures

    async def burst() -> list[int]:
        async with httpx.AsyncClient(base_url=live.base_url, timeout=60) as c:
            answers = await asyncio.gather(
                *(
                    c.post("/api/v1/auth/token", data={"username": "grid_leader", "password": f"guess-{n}"})
                    for n in range(60)
                )
            )
            return [r.status_code for r in answers]

    with ThreadPoolExecutor(max_workers=1) as pool:
        answers = pool.submit(asyncio.run, burst()).result()
    assert answers.count(401) == limit and answers.count(429) == 60 - limit
    with httpx.Client(base_url=live.base_url) as c:
        assert_problem(c.post("/api/v1/auth/token", data={"username": "grid_leader", "password": PASSWORD}), 429)
    with live.session() as s:
        assert s.get(SignInFailure, "grid_leader").failures == limit


def test_the_wait_grows_with_each_further_wrong_password_up_to_a_cap(world, throttled, live):
    settings = make_settings("sqlite+aiosqlite://", sign_in_max_failures=5, sign_in_lock_seconds=60)
    assert [lock_for(settings, n).total_seconds() for n in (1, 4, 5, 6, 7, 8)] == [0, 0, 60, 120, 240, 480]
    assert lock_for(settings, 50) == timedelta(minutes=settings.sign_in_lock_max_minutes)
    # Over HTTP: after the first wait, one more wrong password doubles it.
    limit = live.settings.sign_in_max_failures
    for _ in range(limit):
        assert sign_in(throttled, "grid_member", "wrong", "203.0.113.20").status_code == 401
    with live.session() as s:
        s.execute(update(SignInFailure).values(locked_until=utcnow() - timedelta(seconds=1)))
        s.commit()
    assert sign_in(throttled, "grid_member", "wrong", "203.0.113.20").status_code == 401
    refused = assert_problem(sign_in(throttled, "grid_member", PASSWORD, "203.0.113.20"), 429)
    assert refused["retry_after"] > live.settings.sign_in_lock_seconds


def test_wrong_passwords_from_one_address_are_limited_over_all_usernames(world, throttled, throttled_server):
    allowed = int(throttled_server.settings.sign_in_address_limit.split()[0])
    for n in range(allowed):
        assert sign_in(throttled, f"nobody{n}", "wrong", "198.51.100.30").status_code == 401
    refused = sign_in(throttled, "grid_leader", PASSWORD, "198.51.100.30")
    body = assert_problem(refused, 429)
    assert "address" in body["detail"] and int(refused.headers["Retry-After"]) >= 1
    # Another address is not affected, and an untrusted peer cannot pick its address: without the trusted proxy
    # the header would be ignored (the loopback is trusted here, so the test names the addresses).
    assert sign_in(throttled, "grid_leader", PASSWORD, "198.51.100.31").status_code == 200
