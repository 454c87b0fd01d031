"""Reads that may lag go to a read replica when one is configured (WANGGE_DATABASE_REPLICA_URL): a real hot standby
made by pg_basebackup and streaming from a throwaway primary. While the standby's replay is paused, what is written
is stored on the primary at once, but the Open311 lists (served by the replica) show it only when replay resumes;
reads that must see the caller's own writes (a request by its id) stay on the primary. With the replica down, the
reads it serves answer 503 with Retry-After (never 500) and everything else goes on."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.orm import Session

from conftest import make_settings
from support.pgcluster import PostgresCluster
from support.server import LiveServer
from wangge import migrate
from wangge.accounts.security import Passwords
from wangge.config import Settings
from wangge.database import create_sync_db_engine
from wangge.demo import load
from wangge.demo.geography import demo_world

NAME = "replica_reads"


@pytest.fixture(scope="module")
def clusters() -> Iterator[tuple[PostgresCluster, PostgresCluster]]:
    primary = PostgresCluster().start()
    standby = None
    try:
        url = primary.create_database(NAME)
        migrate.upgrade(url)
        engine = create_sync_db_engine(url)
        with Session(engine) as session:
            load.load(session, Passwords(Settings(argon2_time_cost=1, argon2_memory_kib=1024)))
        engine.dispose()
        standby = PostgresCluster().start(standby_of=primary)
        yield primary, standby
    finally:
        if standby is not None:
            standby.stop()
        primary.stop()


@pytest.fixture(scope="module")
def server(clusters) -> Iterator[LiveServer]:
    primary, standby = clusters
    live = LiveServer(make_settings(primary.url(NAME), database_replica_url=standby.url(NAME))).start()
    yield live
    live.stop()


def _point() -> tuple[float, float]:
    from shapely.geometry import shape

    grid = shape(demo_world()["communities"][0]["grids"][0]["geometry"]).representative_point()
    return grid.y, grid.x


def _submit(client: httpx.Client) -> str:
    lat, lon = _point()
    body = {
        "category": "sanitation",
        "description": "楼道堆物",
        "lat": lat,
        "lon": lon,
        "reporter_phone": "13800138000",
    }
    r = client.post("/api/v1/public/matters", json=body)
    assert r.status_code == 201, r.text
    return r.json()["tracking_code"]


def _listed(client: httpx.Client) -> set[str]:
    r = client.get("/open311/v2/requests.json")
    assert r.status_code == 200, r.text
    return {item["service_request_id"] for item in r.json()}


def _until(condition, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_lists_come_from_the_replica_and_own_writes_from_the_primary(clusters, server):
    primary, standby = clusters
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        first = _submit(client)
        assert _until(lambda: first in _listed(client))  # replicated, then listed

        standby.psql("SELECT pg_wal_replay_pause()", database=NAME)
        assert _until(lambda: standby.psql("SELECT pg_get_wal_replay_pause_state()", database=NAME).strip() == "paused")
        second = _submit(client)  # written to the primary while the replica stands still
        stored = primary.psql(f"SELECT count(*) FROM matters WHERE tracking_code = '{second}'", database=NAME)  # noqa: S608
        assert stored.strip() == "1"
        time.sleep(0.5)
        assert first in _listed(client) and second not in _listed(client)  # the list is the replica's
        # A request by its id is read on the primary: the client that just filed it finds it.
        r = client.get(f"/open311/v2/requests/{second}.json")
        assert r.status_code == 200 and r.json()[0]["service_request_id"] == second

        standby.psql("SELECT pg_wal_replay_resume()", database=NAME)
        assert _until(lambda: second in _listed(client))


def test_with_the_replica_down_its_reads_answer_503_and_the_rest_goes_on(clusters, server):
    primary, standby = clusters
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        token = client.post("/api/v1/auth/token", data={"username": "admin", "password": load.DEMO_PASSWORD})
        assert token.status_code == 200, token.text
        staff = {"Authorization": f"Bearer {token.json()['access_token']}"}
        community = primary.psql("SELECT min(id) FROM communities", database=NAME).strip()
        coverage = f"/api/v1/communities/{community}/coverage"
        assert client.get(coverage, headers=staff).status_code == 200

        standby.stop()
        listed = client.get("/open311/v2/requests.json")
        assert listed.status_code == 503 and listed.headers["Retry-After"] == "1"
        assert listed.json()[0]["code"] == 503  # in Open311's own error format
        export = client.get(coverage, headers=staff)
        assert export.status_code == 503 and export.headers["content-type"].startswith("application/problem+json")
        assert export.json()["code"] == "database-unavailable" and export.headers["Retry-After"] == "1"
        # Writes and the reads of the primary go on.
        code = _submit(client)
        assert client.get(f"/open311/v2/requests/{code}.json").status_code == 200
        assert client.get("/api/v1/matters", headers=staff).status_code == 200
