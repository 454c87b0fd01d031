"""ASGI middleware: a request id on every request and log line, an access log, the body size limit, and admission
(at most so many requests inside the app at once)."""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from typing import Any

from starlette.exceptions import HTTPException

from wangge import errors
from wangge.errors import problem
from wangge.logs import request_id_var

access_log = logging.getLogger("wangge.access")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


class RequestContext:
    """Takes a safe X-Request-ID from the client or makes one, echoes it, and logs each request once. It is the
    outermost middleware the app adds, so it also answers errors nothing else handled (a 500 problem), while the
    request id is still known."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: dict) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Answered here rather than by Starlette's ServerErrorMiddleware, which runs outside this middleware:
            # there the request id would already be gone from the log line and from the response's headers.
            if response_started:
                errors.log.exception("unhandled error after the response started", extra={"path": scope.get("path")})
                raise
            await errors.unexpected(scope.get("path"), errors.scope_language(scope))(scope, receive, send_with_id)
        finally:
            access_log.info(
                "request",
                extra={
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            request_id_var.reset(token)


class BodySizeLimit:
    """Refuses a body larger than the limit with 413, whether it says its length up front or not."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                too_big = False
            if too_big:
                await self._reject(scope, receive, send)
                return
        received = 0
        rejected = False

        async def limited_receive() -> dict:
            nonlocal received, rejected
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    rejected = True
                    # An HTTPException passes through FastAPI's body parsing (other errors become a 400) and is
                    # rendered as a problem by the app's handler.
                    raise HTTPException(413, f"The request body is larger than {self.max_bytes:,} bytes")
            return message

        response_started = False

        async def tracking_send(message: dict) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except Exception:
            if rejected and not response_started:
                await self._reject(scope, receive, send)
            else:
                raise

    async def _reject(self, scope: dict, receive: Any, send: Any) -> None:
        response = problem(
            413,
            f"The request body is larger than {self.max_bytes:,} bytes",
            code="payload-too-large",
            instance=scope.get("path"),
            language=errors.scope_language(scope),
        )
        await response(scope, receive, send)


class Admission:
    """At most `limit` requests inside the app at once; the next ones wait up to `wait` seconds for a place, in
    the order they came, and are then answered 503 `busy` with Retry-After. Past its capacity (SQLite's single
    writer, a process's one core) a server would otherwise take every request and answer all of them late, later
    and later; this bounds the wait of those it serves and tells the rest to come back. Health checks and metrics
    are never held (they must show the truth under load).

    Not a rate limiter (those are throttle.py's, on the `limits` library): it counts what is in flight, which no
    library of the stack does with our problem+json answer (uvicorn's --limit-concurrency answers a bare 503)."""

    EXEMPT = ("/healthz", "/readyz", "/metrics")

    def __init__(self, app: Any, limit: int, wait: float) -> None:
        self.app = app
        self.wait = wait
        self.limit = limit
        self.places = asyncio.Semaphore(limit)

    @property
    def inside(self) -> int:
        """How many requests hold a place now."""
        return self.limit - self.places._value  # noqa: SLF001 - the semaphore's own count

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path") in self.EXEMPT:
            await self.app(scope, receive, send)
            return
        try:
            await asyncio.wait_for(self.places.acquire(), self.wait)
        except TimeoutError:
            seconds = str(errors.RETRY_AFTER_SECONDS)
            busy = problem(
                503,
                "The service is busy; retry in a moment",
                code="busy",
                headers={"Retry-After": seconds},
                language=errors.scope_language(scope),
            )
            await busy(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.places.release()
