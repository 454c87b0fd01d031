"""A second server on the shared test database with the real per-address windows (the shared servers have wide
ones so that other tests are not throttled); each test names its client addresses in X-Forwarded-For."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from conftest import TLS, Live, make_settings
from support.server import LiveServer
from wangge.config import Settings

REAL_WINDOWS = ("sign_in_address_limit", "submission_limit", "upload_limit", "tracking_limit")


@pytest.fixture(scope="module")
def throttled_server(live: Live) -> Iterator[LiveServer]:
    defaults = {name: Settings.model_fields[name].default for name in REAL_WINDOWS}
    settings = make_settings(live.settings.database_url, **defaults)
    server = LiveServer(settings).start()
    server.settings = settings  # type: ignore[attr-defined]
    yield server
    server.stop()


@pytest.fixture
def throttled(throttled_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=throttled_server.base_url, timeout=30, verify=TLS, headers={"Accept-Language": "en"}
    ) as c:  # details in English
        yield c


def at(address: str) -> dict[str, str]:
    """Headers of a request from `address`, as the trusted proxy (the loopback) reports it."""
    return {"X-Forwarded-For": address}
