"""Fixtures of the notification tests: an empty outbox before each test, a webhook receiver, users to notify,
and a server whose app has the notifications routes (until main.py includes them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import delete

from conftest import Live, make_settings
from support.server import LiveServer
from wangge.notify.models import Notification, OutboxEvent
from wangge.notify.router import router as notify_router

from .receiver import WebhookReceiver

SECRET = "webhook-secret-for-tests-0123456789"


@pytest.fixture(autouse=True)
def empty_outbox(live: Live) -> None:
    """Every test starts with no events and no notifications, including the tests that need no `world`."""
    with live.session() as session:
        session.execute(delete(Notification))
        session.execute(delete(OutboxEvent))
        session.commit()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(SECRET) as r:
        yield r


@pytest.fixture(scope="session")
def notify_api(live: Live) -> Iterator[str]:
    """Base URL of a server on the test database whose app includes the notifications router. Its embedded
    worker is off: the tests drive delivery themselves."""
    server = LiveServer(make_settings(live.settings.database_url, embedded_worker=False))
    app = server.server.config.app
    if not any(getattr(route, "path", "") == "/api/v1/notifications" for route in app.routes):
        app.include_router(notify_router, prefix="/api/v1")
        # The front end's catch-all GET route must stay last, or it would answer for the new paths.
        catch_all = [r for r in app.router.routes if getattr(r, "path", "") == "/{path:path}"]
        for route in catch_all:
            app.router.routes.remove(route)
        app.router.routes.extend(catch_all)
    server.start()
    yield server.base_url
    server.stop()
