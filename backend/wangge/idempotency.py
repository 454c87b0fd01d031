"""Idempotency-Key for creating matters: a replay gets the first response; the same key with another body is a
422. The key is remembered in the same transaction as the matter it created, and forgotten after
`idempotency_retention_hours` (the worker's rounds call `purge`): the stored response may carry personal data."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint, delete, select
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


async def replay(db: AsyncSession, principal: str, key: str, digest: str) -> tuple[int, dict[str, Any]] | None:
    row = (
        await db.execute(select(IdempotencyKey).where(IdempotencyKey.principal == principal, IdempotencyKey.key == key))
    ).scalar()
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
