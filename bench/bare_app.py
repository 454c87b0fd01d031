"""The baseline for the intake benchmark: the same stack (FastAPI, SQLAlchemy async, asyncpg, uvicorn) with one
endpoint that inserts one row and answers its id. Nothing of Wangge's logic; only the cost of the stack."""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Text, func, insert
from sqlalchemy.ext.asyncio import create_async_engine

metadata = MetaData()
rows = Table(
    "bench_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("body", Text),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
)


class Body(BaseModel):
    description: str


def create_app() -> FastAPI:
    engine = create_async_engine(os.environ["BENCH_DATABASE_URL"])

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        yield
        await engine.dispose()

    app = FastAPI(lifespan=lifespan)

    @app.post("/bare", status_code=201)
    async def bare(body: Body) -> dict[str, int]:
        async with engine.begin() as conn:
            new_id = (await conn.execute(insert(rows).values(body=body.description).returning(rows.c.id))).scalar()
        return {"id": new_id}

    return app
