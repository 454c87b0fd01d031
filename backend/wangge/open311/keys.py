"""The Open311 clients' keys, kept by system administrators from the screens: list, create (the key is answered
once: only its hash is stored) and deactivate. `wangge create-api-key` does the same from the command line."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import StringConstraints
from sqlalchemy import select

from wangge.accounts.dependencies import requires
from wangge.accounts.models import Role, ScopeLevel
from wangge.accounts.scope import Subject
from wangge.deps import SessionDep
from wangge.errors import Forbidden, NotFound
from wangge.open311.models import ApiKey
from wangge.open311.service import key_digest, new_key
from wangge.schemas_common import Id, Input, Output

router = APIRouter(tags=["Open311 keys"])
Administrator = Annotated[Subject, requires(Role.administrator, doing="keep Open311 keys: administrators do")]


class ApiKeyIn(Input):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class ApiKeyOut(Output):
    id: int
    name: str
    is_active: bool
    created_at: datetime


class ApiKeyCreated(Output):
    key: str  # shown this once
    api_key: ApiKeyOut


def _system(subject: Subject) -> None:
    if subject.scope_level != ScopeLevel.system:
        raise Forbidden("Only a system administrator keeps the Open311 keys (they are the whole system's)")


@router.get("/api-keys", response_model=list[ApiKeyOut])
async def list_keys(db: SessionDep, subject: Administrator) -> Any:
    _system(subject)
    return (await db.execute(select(ApiKey).order_by(ApiKey.is_active.desc(), ApiKey.id.desc()))).scalars().all()


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=201)
async def create_key(db: SessionDep, subject: Administrator, data: ApiKeyIn) -> Any:
    """A new key for a client (a hotline bridge, a city app). The key is in this answer only."""
    _system(subject)
    key = new_key()
    row = ApiKey(name=data.name, key_hash=key_digest(key), is_active=True)
    db.add(row)
    await db.commit()
    await db.refresh(row)
    return {"key": key, "api_key": row}


@router.post("/api-keys/{key_id}/deactivate", response_model=ApiKeyOut)
async def deactivate_key(db: SessionDep, subject: Administrator, key_id: Id) -> Any:
    """The client's key stops working at once; the record stays."""
    _system(subject)
    row = await db.get(ApiKey, key_id)
    if row is None:
        raise NotFound(f"No Open311 key with id {key_id}")
    row.is_active = False
    await db.commit()
    await db.refresh(row)
    return row
