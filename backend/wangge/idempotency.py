"""Idempotency-Key for creating matters and for the registry writes of field collection (`once`): a replay gets the
first response; the same key with another body is a 422. The key is remembered in the same transaction as the change
it made, and forgotten after `idempotency_retention_hours` (the worker's rounds call `purge`): the stored response
may carry personal data."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import JSON, Integer, String, UniqueConstraint, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from wangge.database import Base
from wangge.errors import Invalid
from wangge.models_common import UTCDateTime, utcnow


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("principal", "key", name="uq_idempotency_keys_principal_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    principal: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


MAX_KEY = 100


def body_hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def check_key(key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY or not key.isprintable():
        raise Invalid(
            f"Idempotency-Key must be 1 to {MAX_KEY} printable characters",
            errors=[{"loc": ["header", "Idempotency-Key"], "msg": "invalid", "type": "value_error"}],
        )
    return key


# Built once (it runs on every idempotent request; putting a statement together costs about as much as running it).
_STORED = select(IdempotencyKey).where(
    IdempotencyKey.principal == bindparam("principal"), IdempotencyKey.key == bindparam("key")
)


async def replay(db: AsyncSession, principal: str, key: str, digest: str) -> tuple[int, dict[str, Any]] | None:
    row = (await db.execute(_STORED, {"principal": principal, "key": key})).scalar()
    if row is None:
        return None
    if row.request_hash != digest:
        raise Invalid(
            "This Idempotency-Key was already used with a different request body",
            code="idempotency-key-reused",
            errors=[{"loc": ["header", "Idempotency-Key"], "msg": "used with a different body", "type": "value_error"}],
        )
    return row.status_code, row.response


def remember(db: AsyncSession, principal: str, key: str, digest: str, status: int, response: dict[str, Any]) -> None:
    db.add(IdempotencyKey(principal=principal, key=key, request_hash=digest, status_code=status, response=response))


async def purge(db: AsyncSession, *, before: datetime) -> int:
    """Remove the records made before `before`; a key used again after that creates anew. Commits."""
    result = await db.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < before))
    await db.commit()
    return result.rowcount or 0


async def once(db: AsyncSession, *, principal: str, key: str | None, body: Any, run: Any) -> JSONResponse:
    """Run `run()` (which flushes, never commits, and returns `(status, payload)`) once per (principal, key) and
    commit; a replay returns the stored response with `Idempotent-Replayed: true`. Without a key it simply runs.
    `body` should name the operation as well as carry the request body, so a key sent to another route is a 422."""
    key = check_key(key)
    digest = body_hash(body) if key else ""
    if key:
        stored = await replay(db, principal, key, digest)
        if stored:
            return JSONResponse(stored[1], status_code=stored[0], headers={"Idempotent-Replayed": "true"})
    status_code, payload = await run()
    encoded = jsonable_encoder(payload)
    if key:
        remember(db, principal, key, digest, status_code, encoded)
    try:
        await db.commit()
    except IntegrityError:
        # Two requests with one key at the same time: the other one won; answer as a replay of it.
        await db.rollback()
        stored = await replay(db, principal, key, digest) if key else None
        if stored is None:
            raise
        return JSONResponse(stored[1], status_code=stored[0], headers={"Idempotent-Replayed": "true"})
    return JSONResponse(encoded, status_code=status_code)
