"""One refresh token spent by many requests at once: exactly one exchange wins; the others present a spent token,
which ends the whole session (OAuth 2.0 Security BCP: refresh token rotation with reuse detection)."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
from sqlalchemy import select

from conftest import assert_problem
from support.world import PASSWORD
from wangge.accounts.models import LoginSession, SpentRefreshToken
from wangge.database import Database
from wangge.notify.worker import OutboxWorker

URL = "/api/v1/auth/refresh"


async def _refresh_all(base_url: str, token: str, n: int) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as c:
        return await asyncio.gather(*(c.post(URL, json={"refresh_token": token}) for _ in range(n)))


def test_50_concurrent_refreshes_with_one_token_one_wins_then_the_session_is_ended(world, client, live):
    tokens = client.post("/api/v1/auth/token", data={"username": "grid_leader", "password": PASSWORD}).json()
    answers = asyncio.run(_refresh_all(live.base_url, tokens["refresh_token"], 50))
    statuses = Counter(r.status_code for r in answers)
    assert statuses[200] == 1 and statuses[401] == 49, statuses
    codes = Counter(assert_problem(r, 401)["type"].rsplit("/", 1)[1] for r in answers if r.status_code != 200)
    assert set(codes) <= {"refresh-token-reused", "session-ended"} and codes["refresh-token-reused"] >= 1, codes

    winner = next(r.json() for r in answers if r.status_code == 200)
    # The family is dead: the winner's new refresh token, its access token and the first access token.
    assert_problem(client.post(URL, json={"refresh_token": winner["refresh_token"]}), 401)
    for access in (winner["access_token"], tokens["access_token"]):
        assert_problem(client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {access}"}), 401)
    with live.session() as s:
        revoked = s.execute(select(LoginSession.revoked_at).where(LoginSession.user_id == world.users["grid_leader"]))
        assert [r is not None for r in revoked.scalars()].count(True) == 1
    # Other sessions of the same user are not touched.
    assert client.get("/api/v1/auth/me", headers=world.headers("grid_leader")).status_code == 200


def test_the_worker_rounds_forget_spent_tokens_of_ended_sessions_only(world, client, live):
    def signed_in_and_refreshed() -> tuple[dict, dict]:
        first = client.post("/api/v1/auth/token", data={"username": "grid_leader", "password": PASSWORD}).json()
        r = client.post(URL, json={"refresh_token": first["refresh_token"]})
        assert r.status_code == 200, r.text
        return first, r.json()

    (_, ended), (open_first, _) = signed_in_and_refreshed(), signed_in_and_refreshed()
    assert (
        client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {ended['access_token']}"}).status_code
        == 204
    )

    async def rounds() -> dict[str, int]:
        db = Database(live.settings.database_url)
        try:
            return await OutboxWorker(db, live.settings).rounds()
        finally:
            await db.dispose()

    assert asyncio.run(rounds())["refresh_tokens_purged"] == 1
    with live.session() as s:
        assert len(s.execute(select(SpentRefreshToken.digest)).all()) == 1
    # The open session's spent token is still known, so its reuse is still caught.
    reused = assert_problem(client.post(URL, json={"refresh_token": open_first["refresh_token"]}), 401)
    assert reused["type"].endswith("/refresh-token-reused")
