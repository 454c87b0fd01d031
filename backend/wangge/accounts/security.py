"""Password hashing (argon2id) and tokens (a signed JWT for access, an opaque random string for refresh)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import jwt
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from wangge.config import Settings
from wangge.models_common import utcnow

ALGORITHM = "HS256"


class Passwords:
    def __init__(self, settings: Settings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib, type=Type.ID
        )
        # Temporary passwords (an import's first passwords, which must be changed at the first sign-in) are hashed
        # lighter, so that a list of 2,000 people is imported in seconds rather than minutes; the first sign-in
        # rehashes with the full cost (needs_rehash) and then asks for a new password anyway.
        self._temporary = PasswordHasher(
            time_cost=1, memory_cost=min(settings.argon2_memory_kib, 8192), parallelism=1, type=Type.ID
        )
        self._dummy: str | None = None
        # At most one hash per core at a time: a burst of sign-ins queues here instead of filling the thread pool
        # that other requests' blocking work shares, and leaves the event loop a core to serve everyone else.
        self._slots = asyncio.Semaphore(os.cpu_count() or 1)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def verify_nothing(self, password: str) -> None:
        """Spend the time of a real check when there is no user, so response times do not reveal usernames."""
        if self._dummy is None:
            self._dummy = self.hash("not-a-real-password")
        self.verify(self._dummy, password)

    # Argon2 takes tens of milliseconds of CPU by design: the async variants run it in a worker thread so the
    # event loop keeps serving other requests meanwhile.
    # Callers hold no database connection while they wait here (see accounts.service.login).
    async def hash_async(self, password: str) -> str:
        async with self._slots:
            return await asyncio.to_thread(self.hash, password)

    async def hash_temporary_async(self, password: str) -> str:
        async with self._slots:
            return await asyncio.to_thread(self._temporary.hash, password)

    async def verify_async(self, password_hash: str, password: str) -> bool:
        async with self._slots:
            return await asyncio.to_thread(self.verify, password_hash, password)

    async def verify_nothing_async(self, password: str) -> None:
        async with self._slots:
            await asyncio.to_thread(self.verify_nothing, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def new_session_id() -> str:
    return secrets.token_hex(16)


def token_digest(token: str) -> str:
    # Refresh tokens are 256-bit random strings, so a plain SHA-256 is enough to store them safely.
    return hashlib.sha256(token.encode()).hexdigest()


def make_access_token(settings: Settings, *, user_id: int, session_id: str) -> tuple[str, int]:
    now = utcnow()
    lifetime = timedelta(minutes=settings.access_token_minutes)
    claims = {"sub": str(user_id), "sid": session_id, "iat": now, "exp": now + lifetime, "typ": "access"}
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM), int(lifetime.total_seconds())


def read_access_token(settings: Settings, token: str) -> Mapping[str, Any] | None:
    """The claims of a valid, unexpired access token signed with the settings' key, else None. The signature is
    checked once per token and key (a client sends the same token for its whole lifetime); the expiry every time."""
    claims = _verified_claims(settings.secret_key, token)
    if claims is None or not claims["exp"] > time.time():
        return None
    return claims


@lru_cache(maxsize=4096)
def _verified_claims(key: str, token: str) -> Mapping[str, Any] | None:
    try:
        claims = jwt.decode(
            token, key, algorithms=[ALGORITHM], options={"require": ["exp", "sub"], "verify_exp": False}
        )
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "access" or not isinstance(claims.get("sid"), str):
        return None
    if not isinstance(claims.get("exp"), int | float) or isinstance(claims["exp"], bool):
        return None
    return MappingProxyType(claims)  # read-only: shared by every request that sends the token


def refresh_expiry(settings: Settings) -> datetime:
    return utcnow() + timedelta(days=settings.refresh_token_days)
