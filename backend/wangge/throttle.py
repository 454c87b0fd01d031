"""Abuse limits per client address, counted by the `limits` library (moving windows), and the 429 they answer.

What is counted here (sign-in failures, public submissions, photo uploads, tracking lookups per address) is a
brake on volume: with the default in-memory storage each web process counts for itself, so N workers let an
address through up to N times each limit (nginx's `limit_req` in front is the production guard; a Redis storage
URI shares the windows). The counters that protect a secret — wrong phone digits per tracking code and wrong
passwords per account — are kept in the database instead (matters/tracking.py, accounts/signin.py) so that they
hold across workers. See docs/throttling.md.
"""

from __future__ import annotations

import ipaddress
import math
import time
from typing import Annotated, Literal

from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from wangge.config import Settings
from wangge.errors import DomainError

Window = Literal["sign_in", "submission", "upload", "tracking", "lookup"]


class TooManyAttempts(DomainError):
    status = 429
    code = "too-many-attempts"


def too_many(detail: str, retry_after_seconds: float) -> TooManyAttempts:
    """A 429 whose Retry-After (whole seconds, at least 1) says when trying again may succeed."""
    seconds = max(1, math.ceil(retry_after_seconds))
    return TooManyAttempts(detail, headers={"Retry-After": str(seconds)}, retry_after=seconds)


def _networks(entries: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip()]


def _normalise(address: str) -> str:
    """An IPv6 client is one /64 (a host is usually given a whole /64, so its single addresses are free to it)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class Throttle:
    """The per-address windows of one process, built once per app from the settings."""

    def __init__(self, settings: Settings) -> None:
        self.storage = storage_from_string(settings.rate_limit_storage)
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.items: dict[str, RateLimitItem] = {
            "sign_in": parse(settings.sign_in_address_limit),
            "submission": parse(settings.submission_limit),
            "upload": parse(settings.upload_limit),
            "tracking": parse(settings.tracking_limit),
            "lookup": parse(settings.lookup_limit),
        }
        self.trusted = _networks(settings.trusted_proxies)

    def client(self, request: Request) -> str:
        """The client's address: the peer, or — behind a trusted proxy — the nearest untrusted hop of
        X-Forwarded-For (the ones before it could be written by the client itself)."""
        peer = request.client.host if request.client else "unknown"
        if not self._is_trusted(peer):
            return _normalise(peer)
        hops = [h.strip() for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if h.strip()]
        for hop in reversed(hops):
            if not self._is_trusted(hop):
                return _normalise(hop)
        return _normalise(hops[0] if hops else peer)

    def _is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in self.trusted)

    async def hit(self, window: Window, key: str, detail: str) -> None:
        """Count one request against `window` for `key`; over the limit, refuse it with a 429."""
        item = self.items[window]
        if not await self.limiter.hit(item, window, key):
            raise too_many(detail, await self._retry_after(item, window, key))

    async def check(self, window: Window, key: str, detail: str) -> None:
        """Refuse with a 429 if `window` is used up for `key`, without counting this request."""
        item = self.items[window]
        if not await self.limiter.test(item, window, key):
            raise too_many(detail, await self._retry_after(item, window, key))

    async def _retry_after(self, item: RateLimitItem, window: str, key: str) -> float:
        stats = await self.limiter.get_window_stats(item, window, key)
        return stats.reset_time - time.time()


def _throttle(request: Request) -> Throttle:
    return request.app.state.throttle


async def _throttle_dep(request: Request) -> Throttle:  # async: FastAPI would run a plain function in a thread
    return _throttle(request)


async def client_address(request: Request) -> str:
    return _throttle(request).client(request)


ThrottleDep = Annotated[Throttle, Depends(_throttle_dep)]
ClientAddress = Annotated[str, Depends(client_address)]


def per_address(window: Window, detail: str) -> object:
    """A route dependency that counts the request against `window` for the client's address."""

    async def dependency(request: Request) -> None:
        throttle = _throttle(request)
        await throttle.hit(window, throttle.client(request), detail)

    return Depends(dependency)
