"""Dependencies shared by the routers: the settings, the database sessions (the primary's, and the replica's for
reads that may lag) and the app's database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.config import Settings
from wangge.database import Database


async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


async def get_database(request: Request) -> Database:
    return request.app.state.db


READING_METHODS = frozenset({"GET", "HEAD"})


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async for session in request.app.state.db.session(reading=request.method in READING_METHODS):
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def get_read_session(request: Request, primary: SessionDep) -> AsyncIterator[AsyncSession]:
    """The replica's session when one is configured; else the request's own session (which sign-in has already
    used), so that a request holds one connection of the pool, not two."""
    db: Database = request.app.state.db
    if db.replica_engine is None:
        yield primary
        return
    async for session in db.read_session():
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
DatabaseDep = Annotated[Database, Depends(get_database)]
# Reads that may lag a moment behind the last write (the replica's, when configured): never for a read that must
# see what the same client has just written, nor for anything that writes.
ReadSessionDep = Annotated[AsyncSession, Depends(get_read_session)]
Limit = Annotated[int, Query(ge=1, le=1000, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip")]
