"""The processes of a production-shaped run, shared by tests/ops/test_production_shape.py and bench/crash.py: a
webhook receiver that counts what the worker posts, a process group to start, SIGKILL and restart, a resident's
submission retried with its Idempotency-Key until acknowledged, and the outbox as the database sees it."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from support.server import free_port
from wangge.database import create_sync_db_engine

ROOT = Path(__file__).resolve().parents[2]
SUBMISSION_DEADLINE_S = 180  # one submission gives up after this long (it then counts as not acknowledged)
READY_TIMEOUT_S = 90


# --- the webhook receiver -----------------------------------------------------------------------------------------


class Receiver:
    """Counts the events the worker posts; each answer takes `delay` seconds, as a real receiver might."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.received: Counter[str] = Counter()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.received[json.loads(body)["id"]] += 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


# --- the processes ----------------------------------------------------------------------------------------------


class Service:
    """A process group this script starts, kills with SIGKILL and restarts."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name, self.argv, self.env, self.log_dir = name, argv, env, log_dir
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = open(self.log_dir / f"{self.name}-{self.starts}.log", "wb")  # noqa: SIM115 - kept for the process
        self.proc = subprocess.Popen(  # noqa: S603
            self.argv, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def kill(self) -> None:
        """SIGKILL the whole group: the uvicorn master and its workers, or the worker."""
        assert self.proc is not None
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)
        for _ in range(100):  # the spawned workers die with their group; wait until none is left
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


async def wait_ready(base: str) -> float:
    started = time.monotonic()
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() - started < READY_TIMEOUT_S:
            try:
                if (await client.get(base + "/readyz")).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{base} did not become ready in {READY_TIMEOUT_S} s")


# --- the stream -------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    key: str
    description: str
    tracking_code: str | None = None
    status: int | None = None
    attempts: int = 0
    errors: Counter[str] = field(default_factory=Counter)


async def submit(client: httpx.AsyncClient, body: dict[str, Any], out: Outcome) -> None:
    deadline = time.monotonic() + SUBMISSION_DEADLINE_S
    backoff = 0.2
    headers = {"Idempotency-Key": out.key}
    while time.monotonic() < deadline:
        out.attempts += 1
        wait = backoff
        try:
            r = await client.post("/api/v1/public/matters", json=body, headers=headers)
        except httpx.TransportError as exc:
            out.errors[type(exc).__name__] += 1
        else:
            out.status = r.status_code
            if 200 <= r.status_code < 300:
                out.tracking_code = r.json()["tracking_code"]
                return
            out.errors[str(r.status_code)] += 1
            if r.status_code == 429:
                wait = min(float(r.headers.get("Retry-After") or 1), 10.0)
            elif r.status_code < 500:
                return  # refused for good: reported, not retried
        await asyncio.sleep(wait * random.uniform(0.8, 1.2))  # noqa: S311
        backoff = min(backoff * 2, 2.0)


# --- the database -----------------------------------------------------------------------------------------------


class Db:
    def __init__(self, url: str) -> None:
        self.engine = create_sync_db_engine(url)

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(text(sql), params))

    def held(self) -> set[str]:
        return {
            r[0]
            for r in self.rows(
                "SELECT event_id FROM outbox_events WHERE delivered_at IS NULL AND lock_owner IS NOT NULL"
            )
        }

    def pending(self, among: set[str] | None = None) -> int:
        ids = [r[0] for r in self.rows("SELECT event_id FROM outbox_events WHERE delivered_at IS NULL")]
        return len(ids) if among is None else len(set(ids) & among)


async def until_delivered(db: Db, since: float, among: set[str] | None, limit_s: float) -> float | None:
    """Seconds from `since` until none of `among` (or no event at all) is pending; None past `limit_s`."""
    while time.monotonic() - since < limit_s:
        if await asyncio.to_thread(db.pending, among) == 0:
            return time.monotonic() - since
        await asyncio.sleep(0.5)
    return None
