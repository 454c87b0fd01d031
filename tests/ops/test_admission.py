"""Admission (middleware.Admission): at most so many requests inside a web process at once. Requests whose bodies
are still arriving hold their places (as slow phones do); the next request waits its turn for at most the
configured time and is then answered 503 `busy` with Retry-After, while health checks still answer. When a place
frees, requests are served again. On SQLite the limit is on by default; on PostgreSQL it is off unless set."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from conftest import make_settings
from support.server import LiveServer
from wangge import migrate
from wangge.config import Settings
from wangge.middleware import Admission


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('admission') / 'admission.db'}"
    migrate.upgrade(url)
    live = LiveServer(make_settings(url, max_concurrent_requests=2, admission_wait_seconds=0.4)).start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def patient_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The same limit with a long wait, so that a place freed while a request waits is surely in time for it."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('admission') / 'patient.db'}"
    migrate.upgrade(url)
    live = LiveServer(make_settings(url, max_concurrent_requests=2, admission_wait_seconds=20)).start()
    yield live
    live.stop()


def _slow_request(server: LiveServer) -> socket.socket:
    """A submission whose body has not finished arriving: it is inside the app, holding a place."""
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(
        b"POST /api/v1/public/matters HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        b"Content-Length: 400\r\n\r\n{"
    )
    return sock


def _finish(sock: socket.socket) -> int:
    sock.sendall(b" " * 399)
    status = int(sock.recv(4096).split(b" ", 2)[1])
    sock.close()
    return status


def _admission(server: LiveServer) -> Admission:
    layer = server.server.config.loaded_app
    while not isinstance(layer, Admission):  # down the middleware stack the app built on its first request
        layer = getattr(layer, "middleware_stack", None) or layer.app
    return layer


def _until_inside(server: LiveServer, count: int) -> None:
    """Wait until `count` requests hold places (a busy machine may take a moment to let them in)."""
    admission = _admission(server)
    deadline = time.monotonic() + 20
    while admission.inside < count:
        assert time.monotonic() < deadline, f"only {admission.inside} of {count} requests got inside"
        time.sleep(0.02)


def test_past_the_limit_a_request_waits_then_is_told_to_come_back(server):
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        assert client.get("/api/v1/public/categories").status_code == 200
        held = [_slow_request(server), _slow_request(server)]
        try:
            _until_inside(server, 2)
            started = time.monotonic()
            refused = client.get("/api/v1/public/categories")
            waited = time.monotonic() - started
            assert refused.status_code == 503 and refused.headers["Retry-After"] == "1"
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert refused.json()["code"] == "busy" and refused.headers.get("x-request-id")
            # It waited its turn for the configured 0.4 s first (and then was answered, not left waiting: the
            # client's timeout would have failed the request).
            assert waited >= 0.35
            assert client.get("/healthz").status_code == 200  # never held
            assert _finish(held.pop(0)) == 422  # the held requests are answered when their bodies end
            assert client.get("/api/v1/public/categories").status_code == 200  # a place is free again
            assert _finish(held.pop(0)) == 422
        finally:
            for sock in held:  # a failure above leaves no place taken for the next test
                sock.close()


def test_a_request_waiting_for_a_place_gets_it_when_one_frees(patient_server):
    server = patient_server
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        held = [_slow_request(server), _slow_request(server)]
        try:
            _until_inside(server, 2)
            sock = held.pop()
            # Free a place 0.1 s from now, while the next request is waiting for one (for up to 20 s).
            freer = threading.Timer(0.1, lambda: _finish(sock))
            freer.start()
            assert client.get("/api/v1/public/categories").status_code == 200
            freer.join()
            _finish(held.pop())
        finally:
            for sock in held:
                sock.close()


def test_the_limit_is_on_for_sqlite_and_off_for_postgresql_unless_set():
    assert Settings(database_url="sqlite+aiosqlite:///x.db", _env_file=None).admission_limit == 16
    assert Settings(database_url="postgresql+asyncpg://u@h/d", _env_file=None).admission_limit is None
    assert (
        Settings(database_url="postgresql+asyncpg://u@h/d", max_concurrent_requests=40, _env_file=None).admission_limit
        == 40
    )
