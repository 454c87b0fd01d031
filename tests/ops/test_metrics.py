"""/metrics for Prometheus: request counts and latencies by route template (never by id), and the outbox as the
worker sees it, measured in the database at each scrape."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import httpx

from wangge.models_common import utcnow
from wangge.notify.models import OutboxEvent
from wangge.notify.worker import GIVEN_UP_AT


def _value(text: str, name: str, labels: str = "") -> float:
    pattern = re.escape(name) + (r"\{" + labels + r"[^}]*\}" if labels else r"(?:\{[^}]*\})?") + r" ([0-9.e+-]+)$"
    found = re.findall(pattern, text, re.M)
    assert found, f"{name} {labels} not in /metrics"
    return float(found[0])


def _event(created_ago: float, available_ago: float, **values) -> OutboxEvent:
    now = utcnow()
    fields = {
        "event_id": str(uuid.uuid4()),
        "topic": "matter.created",
        "payload": {"data": {}},
        "created_at": now - timedelta(seconds=created_ago),
        "available_at": now - timedelta(seconds=available_ago),
        "attempts": 0,
    }
    return OutboxEvent(**(fields | values))


def test_requests_are_counted_by_route_template_with_their_latency(world, client):
    headers = world.headers("grid_leader")
    for _ in range(3):
        assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    assert client.get("/api/v1/matters/987654321", headers=headers).status_code == 404
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert _value(text, "wangge_http_requests_total", 'handler="/api/v1/auth/me",method="GET",status="200"') >= 3
    # The id is not a label: the route's template is.
    assert _value(text, "wangge_http_requests_total", 'handler="/api/v1/matters/\\{matter_id\\}"') >= 1
    assert "/matters/987654321" not in text
    assert _value(text, "wangge_http_request_duration_seconds_count", 'handler="/api/v1/auth/me"') >= 3


def test_the_outbox_backlog_its_oldest_event_and_the_worker_lag(world, client, live):
    with live.session() as s:
        s.query(OutboxEvent).delete()
        s.commit()
    empty = client.get("/metrics").text
    assert _value(empty, "wangge_outbox_pending_events") == 0 and _value(empty, "wangge_worker_lag_seconds") == 0
    with live.session() as s:
        s.add_all(
            [
                _event(300, 120),  # due for two minutes: the worker is that late
                _event(30, -600),  # waiting for a retry in ten minutes: pending, not late
                _event(900, 0, available_at=GIVEN_UP_AT),  # given up
                _event(1000, 1000, delivered_at=utcnow()),  # delivered
            ]
        )
        s.commit()
    text = client.get("/metrics").text
    assert _value(text, "wangge_outbox_pending_events") == 2
    assert 290 <= _value(text, "wangge_outbox_oldest_pending_seconds") <= 400
    assert 110 <= _value(text, "wangge_worker_lag_seconds") <= 200
    assert _value(text, "wangge_outbox_given_up_events") == 1


def test_a_scrape_answers_when_the_database_does_not(live, request, tmp_path, client):
    """The request metrics still come; the outbox gauges do not, and wangge_database_up says why."""
    from conftest import make_settings, new_database
    from support.server import LiveServer

    assert _value(client.get("/metrics").text, "wangge_database_up") == 1
    url = new_database(live.engine_name, "wangge_no_tables", tmp_path, request)  # no migrations: every query fails
    server = LiveServer(make_settings(url)).start()
    try:
        # The first /openapi.json builds the whole schema (some 200 routes): seconds on a busy machine.
        assert httpx.get(server.base_url + "/openapi.json", timeout=60).status_code == 200
        r = httpx.get(server.base_url + "/metrics", timeout=30)
        assert r.status_code == 200, r.text
        assert _value(r.text, "wangge_database_up") == 0
        assert "wangge_outbox_pending_events" not in r.text
        assert _value(r.text, "wangge_http_requests_total", 'handler="/openapi.json",method="GET",status="200"') == 1
    finally:
        server.stop()
