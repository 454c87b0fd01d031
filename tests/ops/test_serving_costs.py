"""What a request costs the server, kept from growing back (bench/mixed.py measures the effect): a request holds one
connection of the pool, a read on PostgreSQL runs without BEGIN and ROLLBACK, an access token's signature is
checked once (its expiry every time), the caller is read by the driver directly on PostgreSQL, and a serving
process collects garbage rarely."""

from __future__ import annotations

import asyncio
import gc
import os
import subprocess
import sys
import time
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import text

import wangge.accounts.security as security
from conftest import make_settings
from support.server import LiveServer
from wangge import cli
from wangge.accounts.dependencies import _SIGNED_IN
from wangge.config import Settings
from wangge.database import Database, _Record
from wangge.models_common import utcnow
from wangge.process import GC_THRESHOLD


def test_a_request_that_reads_through_the_read_session_holds_one_connection(world, live):
    # A second server on the same database whose pool has one connection and waits 2 s at most for it: a route that
    # signs the caller in (the request's session) and reads through the read session (the Open311-style reads,
    # dashboards, queues) used to take a second connection from the pool, and here would wait and answer 503.
    settings = make_settings(
        live.settings.database_url, database_pool_size=1, database_max_overflow=0, database_pool_timeout=2
    )
    server = LiveServer(settings).start()
    try:
        with httpx.Client(base_url=server.base_url, timeout=30, headers={"Accept-Language": "en"}) as c:
            for _ in range(3):
                r = c.get("/api/v1/matters/applications", headers=world.headers("station_chief"))
                assert r.status_code == 200, r.text
    finally:
        server.stop()


def test_a_read_runs_outside_a_transaction_on_postgresql_and_a_write_inside_one(live):
    async def states() -> tuple[bool | None, bool | None]:
        db = Database(live.settings.database_url)
        try:
            seen = []
            for reading in (True, False):
                async for session in db.session(reading=reading):
                    await session.execute(text("SELECT 1"))
                    raw = await (await session.connection()).get_raw_connection()
                    driver = raw.driver_connection
                    seen.append(driver.is_in_transaction() if hasattr(driver, "is_in_transaction") else None)
            return seen[0], seen[1]
        finally:
            await db.dispose()

    reading, writing = asyncio.run(states())
    if live.engine_name == "postgres":
        assert (reading, writing) == (False, True)
    else:  # SQLite: one kind of session (the transaction costs no round trip, and decides when the file is locked)
        db = Database(live.settings.database_url)
        assert db.reading_sessionmaker is db.sessionmaker


@pytest.mark.engine("postgres")
def test_a_request_on_postgresql_starts_no_parallel_workers(live):
    """The app's PostgreSQL connections run with max_parallel_workers_per_gather = 0: two workers cost ~5 ms to start,
    which made a grid's residents (600 rows of a large table) take 5.9 ms where one process takes 0.95
    (bench/registry_lists.py); the server's own setting (2 by default) stays for everything else."""

    async def workers() -> str:
        db = Database(live.settings.database_url)
        try:
            async for session in db.session(reading=True):
                return (await session.execute(text("SHOW max_parallel_workers_per_gather"))).scalar_one()
            raise AssertionError("no session")
        finally:
            await db.dispose()

    assert asyncio.run(workers()) == "0"
    with live.sync_engine.connect() as conn:  # a connection of another program: the server's setting
        assert conn.execute(text("SHOW max_parallel_workers_per_gather")).scalar_one() == "2"


def test_an_access_token_is_checked_once_but_refused_once_expired(monkeypatch):
    settings = Settings(_env_file=None, secret_key="k" * 40)
    other = Settings(_env_file=None, secret_key="o" * 40)
    token, seconds = security.make_access_token(settings, user_id=7, session_id="s1")
    assert security.read_access_token(settings, token)["sub"] == "7"
    assert security.read_access_token(settings, token)["sid"] == "s1"  # from the cache
    assert security.read_access_token(other, token) is None  # another key: not the cached answer
    later = time.time() + seconds + 1
    monkeypatch.setattr(security.time, "time", lambda: later)
    assert security.read_access_token(settings, token) is None  # expired, though checked before
    assert security.read_access_token(settings, token[:-2] + "xx") is None


def test_a_serving_process_collects_garbage_rarely_and_leaves_what_it_started_with():
    code = (
        "import gc; from wangge.process import settle_garbage_collector as s; s(); "
        "print(gc.get_threshold()[0], gc.get_freeze_count() > 1000)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(GC_THRESHOLD), "True"]
    assert gc.get_threshold()[0] != GC_THRESHOLD  # this (test) process keeps Python's defaults


def test_wangge_serve_tunes_its_processes_and_other_programs_do_not(monkeypatch):
    ran = {}
    monkeypatch.setenv("WANGGE_TUNE_GC", "placeholder")  # so that the test's end removes what cmd_serve sets
    monkeypatch.delenv("WANGGE_TUNE_GC")
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(_env_file=None))
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: ran.update(env=dict(os.environ)))
    cli.cmd_serve(type("Args", (), {"host": "127.0.0.1", "port": 1, "workers": 2})())
    assert ran["env"]["WANGGE_TUNE_GC"] == "true"  # inherited by each web process, which reads it in its lifespan
    monkeypatch.delenv("WANGGE_TUNE_GC")
    assert Settings(_env_file=None).tune_gc is False


def test_signing_in_reads_the_caller_through_the_driver_on_postgresql(world, live):
    token = world.headers("station_chief")["Authorization"].removeprefix("Bearer ")
    claims = security.read_access_token(live.settings, token)

    async def read(session_id: str) -> Any:
        db = Database(live.settings.database_url)
        try:
            async for session in db.session(reading=True):
                return await _SIGNED_IN.first(session, user_id=int(claims["sub"]), session_id=session_id, now=utcnow())
        finally:
            await db.dispose()

    row = asyncio.run(read(claims["sid"]))
    assert (row.id, row.role, row.must_change_password) == (int(claims["sub"]), "station_chief", False)
    assert (type(row) is _Record) == (live.engine_name == "postgres")  # SQLite: through the session
    assert asyncio.run(read("no-such-session")) is None
