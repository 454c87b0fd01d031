"""/metrics for Prometheus: request rates and latencies by route (prometheus_client, with the route's template found
once per route by prometheus-fastapi-instrumentator), and the outbox as the worker sees it — events waiting, the
age of the oldest one, how late the worker is on events already due.

Each app has its own registry (tests build many apps in one process). With several web workers set
PROMETHEUS_MULTIPROC_DIR to an empty folder shared by them (README): every scrape then adds up all workers.
A scrape answers even when the database does not: the request metrics are what an operator needs then, and
`wangge_database_up 0` says why the outbox gauges are missing (a 500 or 503 would lose both).
Nothing here carries personal data: routes are their templates (`/api/v1/matters/{matter_id}`), never the ids.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from time import perf_counter
from typing import Any

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_fastapi_instrumentator.routing import get_route_name
from sqlalchemy import func, select
from starlette.requests import HTTPConnection

from wangge.models_common import as_utc, utcnow
from wangge.notify.models import OutboxEvent
from wangge.notify.worker import GIVEN_UP_AT

PATH = "/metrics"
UNMEASURED = frozenset({PATH, "/healthz", "/readyz"})
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
log = logging.getLogger(__name__)


class RequestMetrics:
    """Counts each request and its latency under its route's template, its method and its status. The template is
    found after the route has answered, from the route FastAPI matched (in the scope), and kept per route: the
    instrumentator's own middleware matched every request against every route a second time, which cost more
    than a millisecond of each request. A request no route matched is not counted (scanners would make a label
    per path)."""

    def __init__(self, app: Any, registry: CollectorRegistry) -> None:
        self.app = app
        self.requests = Counter(
            "wangge_http_requests_total", "Requests by route, method and status", ("handler", "method", "status"),
            registry=registry,
        )  # fmt: skip
        self.latency = Histogram(
            "wangge_http_request_duration_seconds", "Latency by route and method", ("handler", "method"),
            buckets=LATENCY_BUCKETS, registry=registry,
        )  # fmt: skip
        self.templates: dict[int, str] = {}

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status, before = perf_counter(), 500, scope.copy()  # routing rewrites parts of the scope

        async def send_with_status(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            handler = self._template(scope.get("route"), before)
            if handler is not None and handler not in UNMEASURED:
                self.requests.labels(handler, scope["method"], str(status)).inc()
                self.latency.labels(handler, scope["method"]).observe(perf_counter() - started)

    def _template(self, route: Any, scope: dict) -> str | None:
        if route is None:  # FastAPI's own pages (/openapi.json, /docs) do not say which route answered
            return get_route_name(HTTPConnection(scope), should_include_root_path=False)
        key = id(route)  # routes live as long as the app
        if key not in self.templates:
            self.templates[key] = get_route_name(HTTPConnection(scope), should_include_root_path=False) or ""
        return self.templates[key] or None


class OutboxCollector:
    """The outbox gauges, measured in the database at each scrape. A collector, not Gauge objects, so that with
    several web processes (multiprocess mode) each scrape reports the database's one figure, not one per process."""

    HELP = {
        "wangge_outbox_pending_events": "Notification events not delivered yet",
        "wangge_outbox_oldest_pending_seconds": "Age of the oldest event not delivered yet (0 when none)",
        "wangge_worker_lag_seconds": "How long the oldest event already due has waited for the worker (0 when none)",
        "wangge_outbox_given_up_events": "Events the worker gave up on after its retries",
        "wangge_database_up": "1 when the database answered this scrape, 0 when it did not (no outbox figures then)",
    }

    def __init__(self) -> None:
        self.values: dict[str, float] = {}

    def collect(self) -> Iterator[GaugeMetricFamily]:
        for name, value in self.values.items():
            yield GaugeMetricFamily(name, self.HELP[name], value=value)


def install(app: FastAPI) -> None:
    registry = CollectorRegistry()
    app.add_middleware(RequestMetrics, registry=registry)
    outbox = OutboxCollector()
    outbox_registry = CollectorRegistry()
    outbox_registry.register(outbox)

    @app.get(PATH, include_in_schema=False)
    async def metrics(request: Request) -> Response:
        try:
            outbox.values = await _measure_outbox(request.app.state.db) | {"wangge_database_up": 1.0}
        except Exception as exc:  # noqa: BLE001 - any failure: the scrape still reports the requests
            log.warning("metrics: the database did not answer", extra={"error": type(exc).__name__})
            outbox.values = {"wangge_database_up": 0.0}
        body = generate_latest(_scraped(registry)) + generate_latest(outbox_registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST)


def _scraped(registry: CollectorRegistry) -> CollectorRegistry:
    """This process's registry, or, with several worker processes, all of theirs added up."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not folder:
        return registry
    combined = CollectorRegistry()
    multiprocess.MultiProcessCollector(combined, path=folder)
    return combined


async def _measure_outbox(db: Any) -> dict[str, float]:
    now = utcnow()
    waiting = OutboxEvent.delivered_at.is_(None) & (OutboxEvent.available_at < GIVEN_UP_AT)
    given_up = OutboxEvent.delivered_at.is_(None) & (OutboxEvent.available_at >= GIVEN_UP_AT)
    async with db.sessionmaker() as session:
        pending, oldest, oldest_due, abandoned = (
            await session.execute(
                select(
                    func.count().filter(waiting),
                    func.min(OutboxEvent.created_at).filter(waiting),
                    func.min(OutboxEvent.available_at).filter(waiting & (OutboxEvent.available_at <= now)),
                    func.count().filter(given_up),
                )
            )
        ).one()

    def age(at: Any) -> float:
        return max((now - as_utc(at)).total_seconds(), 0.0) if at is not None else 0.0

    return {
        "wangge_outbox_pending_events": pending,
        "wangge_outbox_oldest_pending_seconds": age(oldest),
        "wangge_worker_lag_seconds": age(oldest_due),
        "wangge_outbox_given_up_events": abandoned,
    }
