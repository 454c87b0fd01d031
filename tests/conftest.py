"""Test fixtures. Every API test runs twice: on SQLite + SpatiaLite and on PostgreSQL + PostGIS (a throwaway
cluster the tests start and stop), each against a real uvicorn server over HTTP."""

from __future__ import annotations

import copy
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from support import world as world_mod
from support.pgcluster import PostgresCluster
from support.server import LiveServer
from wangge import migrate
from wangge.config import Settings
from wangge.database import create_sync_db_engine

ENGINES = [e for e in os.environ.get("WANGGE_TEST_ENGINES", "sqlite,postgres").split(",") if e]
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
# httpx builds a TLS context for every client it opens (reading and parsing the CA bundle: 30-60 ms of CPU, more than
# most tests take), also for plain HTTP; the tests open a client per test, so they share this one.
TLS = httpx.create_ssl_context()


@pytest.hookimpl(trylast=True)  # after pytest has ordered the tests by their fixtures
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked `engine(name)` runs on that engine's server only. The long tests first: they use servers of
    their own, so pytest's order put them last, where the worker that drew one ran alone for most of a minute; at the
    front, the thousands of short tests even the workers out."""
    dropped = []
    for item in items:
        marker = item.get_closest_marker("engine")
        callspec = getattr(item, "callspec", None)
        engine = callspec.params.get("live") if callspec else None
        if marker is not None and engine is not None and engine not in marker.args and marker.args[0] in ENGINES:
            dropped.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in set(dropped)]
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        database_url=database_url,
        environment="test",
        secret_key=TEST_SECRET,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        embedded_worker=False,  # tests deliver the outbox themselves, when they choose
        monthly_bulletins=False,  # on a month's first working day the rounds would write (and announce) bulletins
        log_level="WARNING",
        max_body_bytes=256 * 1024,
        # The shared servers answer many tests from one address: their per-address windows are wide, and
        # tests/throttle starts servers with the real ones. The loopback is the trusted proxy, so a test names
        # its client in X-Forwarded-For.
        trusted_proxies=["127.0.0.1"],
        sign_in_address_limit="100000/minute",
        submission_limit="100000/minute",
        upload_limit="100000/minute",
        tracking_limit="100000/minute",
        lookup_limit="100000/minute",
        # The concurrency tests race 200 requests at once, also on SQLite, whose default admission (16 inside, 2 s
        # of waiting) would turn some into 503s; tests/ops/test_admission.py tests admission on a server of its own.
        max_concurrent_requests=1000,
    )
    values.update(overrides)
    return Settings(**values)


def new_database(engine_name: str, name: str, tmp_root: Path, request: pytest.FixtureRequest) -> str:
    if engine_name == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_root / (name + '.db')}"
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database(name)


# A database migrated to head, per engine and test process: the tests that need a fresh migrated database copy it
# (PostgreSQL: CREATE DATABASE … TEMPLATE; SQLite: the file) rather than run every migration again, 5 s each on a
# busy machine. tests/ops/test_migrations.py still migrates from nothing, up and down.
_TEMPLATES: dict[str, str] = {}
_TEMPLATE_NAME = "wangge_migrated_template"


def migrated_database(engine_name: str, name: str, tmp_root: Path, request: pytest.FixtureRequest) -> str:
    """A new database called `name`, at the head migration."""
    if engine_name not in _TEMPLATES:
        root = request.getfixturevalue("tmp_path_factory").mktemp("template")
        url = new_database(engine_name, _TEMPLATE_NAME, root, request)
        migrate.upgrade(url)
        _TEMPLATES[engine_name] = url
    if engine_name == "sqlite":
        target = tmp_root / (name + ".db")
        shutil.copyfile(_TEMPLATES["sqlite"].removeprefix("sqlite+aiosqlite:///"), target)
        return f"sqlite+aiosqlite:///{target}"
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    cluster.psql(f'CREATE DATABASE "{name}" TEMPLATE "{_TEMPLATE_NAME}"')
    return cluster.url(name)


@dataclass
class Live:
    engine_name: str
    settings: Settings
    server: LiveServer
    sync_engine: Any
    password_hash: str

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def session(self) -> Session:
        return Session(self.sync_engine)


_LIVE_DATABASES = 0


@pytest.fixture(scope="session", params=ENGINES)
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    engine_name = request.param
    # A new name each time: with --dist worksteal a worker may come back to an engine after the other's tests.
    global _LIVE_DATABASES
    _LIVE_DATABASES += 1
    name = "wangge_api" if _LIVE_DATABASES == 1 else f"wangge_api_{_LIVE_DATABASES}"
    url = migrated_database(engine_name, name, tmp_path_factory.mktemp(engine_name), request)
    settings = make_settings(url)
    server = LiveServer(settings).start()
    engine = create_sync_db_engine(url)
    hasher = PasswordHasher(time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib)
    yield Live(engine_name, settings, server, engine, hasher.hash(world_mod.PASSWORD))
    server.stop()
    engine.dispose()


@dataclass
class _Built:
    resets: int
    at: float
    signature: str
    world: world_mod.World


_BUILT: dict[str, _Built] = {}
# A world kept for the next tests is at most this old: its tokens (15 minutes) and times stay as fresh as a new one's.
_KEEP_SECONDS = 60.0


@pytest.fixture
def world(live: Live, request: pytest.FixtureRequest) -> world_mod.World:
    """The small world (support/world.py) in an otherwise empty database. On PostgreSQL, where emptying ~75 tables and
    building the world again took most of a short test's time, a test after one that wrote nothing (no transaction id
    taken, no sequence moved since the last build: world.signature) gets the same world again, as it is in the
    database, without a reset. Browser tests neither take nor leave a kept world: a page of an earlier test may still
    be running (polling, renewing its session) after the check, and a renewal would end the kept world's sessions."""
    browser = request.node.get_closest_marker("browser") is not None
    built = _BUILT.get(live.settings.database_url)
    if (
        not browser
        and built is not None
        and built.resets == world_mod.resets()
        and time.monotonic() - built.at < _KEEP_SECONDS
        and world_mod.signature(live.sync_engine) == built.signature
    ):
        return copy.deepcopy(built.world)
    _BUILT.pop(live.settings.database_url, None)
    world_mod.reset(live.sync_engine)
    with live.session() as session:
        w = world_mod.build(session, live.settings, live.password_hash)
    sig = None if browser else world_mod.signature(live.sync_engine)
    if sig is not None:
        _BUILT[live.settings.database_url] = _Built(world_mod.resets(), time.monotonic(), sig, copy.deepcopy(w))
    return w


@pytest.fixture
def client(live: Live) -> Iterator[httpx.Client]:
    # The tests read the problems' details in English, as an API client that asks for it: the service answers in
    # Chinese by default (wangge.messages; tests/ops/test_messages.py checks both).
    with httpx.Client(base_url=live.base_url, timeout=30, verify=TLS, headers={"Accept-Language": "en"}) as c:
        yield c


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status and body["title"] and body["type"].startswith("https://")
    assert body["code"] and body["type"].endswith("/" + body["code"]), body  # the app translates by `code`
    return body
