"""The tracking proof: the secret token of the resident's link, or the phone's last digits, whose wrong guesses are
counted per matter and client address outside the matter's row (on the shared server, whose per-address windows
are wide, so what is shown is the database's count)."""

from __future__ import annotations

import asyncio
import hashlib
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import select

from conftest import assert_problem
from matters.helpers import PHONE, act, get, matter_id, submit
from throttle.conftest import at
from wangge.matters.models import Matter, TrackingAttempt


def _burst(base_url: str, path: str, headers: dict[str, str], n: int) -> list[int]:
    async def main() -> list[int]:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as c:
            answers = await asyncio.gather(*(c.get(path, headers=headers) for _ in range(n)))
            return [r.status_code for r in answers]

    with ThreadPoolExecutor(max_workers=1) as pool:  # a loop of its own, as in tests/notify
        return pool.submit(asyncio.run, main()).result()


def test_a_burst_of_wrong_digits_checks_at_most_the_limit_and_never_touches_the_matter(world, client, live):
    code = submit(client)["tracking_code"]
    mid = matter_id(live, code)
    etag = get(client, world, "station_chief", mid).headers["etag"]
    limit = live.settings.verify_max_failures
    answers = _burst(live.base_url, f"/api/v1/public/matters/{code}?phone_last4=0000", at("198.51.100.7"), 100)
    assert sorted(set(answers)) == [404, 429] and answers.count(404) == limit and answers.count(429) == 100 - limit
    # The right digits from the guessing address are refused while its window lasts ...
    locked = client.get(f"/api/v1/public/matters/{code}?phone_last4={PHONE[-4:]}", headers=at("198.51.100.7"))
    body = assert_problem(locked, 429)
    assert body["type"].endswith("/too-many-attempts") and int(locked.headers["Retry-After"]) >= 1
    # ... the resident, at another address, is not locked out ...
    ok = client.get(f"/api/v1/public/matters/{code}?phone_last4={PHONE[-4:]}", headers=at("198.51.100.8"))
    assert ok.status_code == 200 and ok.json()["tracking_code"] == code
    # ... and the matter's version never moved, so staff holding its ETag can still act.
    assert get(client, world, "station_chief", mid).headers["etag"] == etag
    act(client, world, "grid_leader", mid, "accept")
    with live.session() as s:
        rows = s.execute(select(TrackingAttempt).where(TrackingAttempt.matter_id == mid)).scalars().all()
        assert [(r.client, r.failures) for r in rows] == [("198.51.100.7", 101)]


def test_the_right_digits_clear_the_address_count(world, client, live):
    code = submit(client)["tracking_code"]
    for _ in range(live.settings.verify_max_failures - 1):
        assert_problem(client.get(f"/api/v1/public/matters/{code}?phone_last4=0000", headers=at("198.51.100.9")), 404)
    ok = client.get(f"/api/v1/public/matters/{code}?phone_last4={PHONE[-4:]}", headers=at("198.51.100.9"))
    assert ok.status_code == 200
    for _ in range(live.settings.verify_max_failures):
        assert_problem(client.get(f"/api/v1/public/matters/{code}?phone_last4=1111", headers=at("198.51.100.9")), 404)


def test_the_link_token_proves_ownership_without_digits_and_is_never_published(world, client, live):
    created = submit(client)
    code, token = created["tracking_code"], created["tracking_token"]
    assert len(token) >= 32 and token not in created["message"]
    mid = matter_id(live, code)
    with live.session() as s:
        stored = s.get(Matter, mid)
        assert stored.tracking_token_hash == hashlib.sha256(token.encode()).hexdigest()
    view = client.get(f"/api/v1/public/matters/{code}", headers={"X-Tracking-Token": token})
    assert view.status_code == 200 and view.json()["tracking_code"] == code
    wrong = token[:-1] + ("y" if token.endswith("x") else "x")  # one character off (a token may end in x)
    assert_problem(client.get(f"/api/v1/public/matters/{code}", headers={"X-Tracking-Token": wrong}), 404)
    assert_problem(client.get(f"/api/v1/public/matters/{code}"), 422)
    # The token holder is never locked out by a guesser at the same address.
    for _ in range(live.settings.verify_max_failures + 2):
        client.get(f"/api/v1/public/matters/{code}?phone_last4=0000", headers=at("198.51.100.40"))
    again = client.get(f"/api/v1/public/matters/{code}", headers={"X-Tracking-Token": token, **at("198.51.100.40")})
    assert again.status_code == 200
    # Rating needs the token or the digits: the token alone is enough.
    act(client, world, "grid_leader", mid, "accept")
    act(client, world, "grid_leader", mid, "resolve", result="已清理")
    bare = client.post(f"/api/v1/public/matters/{code}/rating", json={"rating": "satisfied"})
    assert_problem(bare, 422)
    wrong = client.post(f"/api/v1/public/matters/{code}/rating", json={"rating": "satisfied", "token": "nope"})
    assert_problem(wrong, 404)
    rated = client.post(f"/api/v1/public/matters/{code}/rating", json={"rating": "satisfied", "token": token})
    assert rated.status_code == 200 and rated.json()["rating"] == "satisfied"
    # Open311 publishes the tracking code, never the token.
    listed = client.get("/open311/v2/requests.json")
    assert listed.status_code == 200 and code in listed.text and token not in listed.text
    one = client.get(f"/open311/v2/requests/{code}.json")
    assert one.status_code == 200 and token not in one.text
