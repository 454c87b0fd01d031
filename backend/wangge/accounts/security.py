"""Password hashing (argon2id) and tokens (a signed JWT for access, an opaque random string for refresh)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
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

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

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


def read_access_token(settings: Settings, token: str) -> dict[str, Any] | None:
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]})
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "access" or not isinstance(claims.get("sid"), str):
        return None
    return claims


def refresh_expiry(settings: Settings) -> datetime:
    return utcnow() + timedelta(days=settings.refresh_token_days)
