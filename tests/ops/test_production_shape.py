"""The production shape without containers (deploy/ has the container image and compose file of the same shape):
a throwaway PostgreSQL + PostGIS cluster with the demo street office, three web processes, the separate worker,
and Debian's nginx in front, configured from deploy/nginx-wangge.conf.template with TLS. Residents and staff load
it through nginx, each from their own loopback address as on the street, while one web process and then the worker
are killed with SIGKILL and restarted.

Checked: every submission a resident saw acknowledged is stored exactly once with the code they were given, none
is stored twice; no answer is a 500; the reads keep being answered while a web process is down (nginx passes them
to the others); the events the killed worker held are delivered after its restart; nginx serves the app's hashed
files itself, gzipped, and the documents come from the app with its Content-Security-Policy."""

from __future__ import annotations

import asyncio
import os
import shutil
import ssl
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest
import trustme
from shapely.geometry import shape
from sqlalchemy.orm import Session

from support.processes import ROOT, Db, Outcome, Receiver, Service, submit, until_delivered, wait_ready
from support.server import free_port
from wangge import migrate
from wangge.accounts.security import Passwords
from wangge.config import Settings
from wangge.database import create_sync_db_engine
from wangge.demo import load
from wangge.demo.geography import demo_world
from wangge.notify.worker import lease_for

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DIST = ROOT / "frontend" / "dist"
WEB_PROCESSES = 3
RESIDENTS = 12  # each from its own loopback address, as nginx's per-address limits expect
STAFF = 3
SUBMISSIONS_EACH = 5
PASSWORD = "wangge2026"

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists() or not (DIST / "index.html").exists(),
    reason="needs Debian's nginx and the built front end (`make test` installs and builds both)",
)


# --- nginx --------------------------------------------------------------------------------------------------------


def render_nginx(values: dict[str, str]) -> str:
    """deploy/nginx-wangge.conf.template with our ${WANGGE_...} filled in, as envsubst does; nginx's own $variables
    stay. Every placeholder of the template must be given."""
    text = (ROOT / "deploy" / "nginx-wangge.conf.template").read_text()
    for name, value in values.items():
        assert "${" + name + "}" in text, name
        text = text.replace("${" + name + "}", value)
    assert "${WANGGE_" not in text, "a placeholder of the template was not filled in"
    return text


class Nginx:
    def __init__(self, work: Path, web_ports: list[int]) -> None:
        self.work = work
        self.https_port, self.http_port = free_port(), free_port()
        ca = trustme.CA()
        cert = ca.issue_cert("localhost", "127.0.0.1")
        cert.private_key_and_cert_chain_pem.write_to_path(str(work / "tls.pem"))
        self.ca_file = work / "ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_file))
        site = render_nginx(
            {
                "WANGGE_SERVER_NAME": "localhost",
                "WANGGE_HTTPS_PORT": str(self.https_port),
                "WANGGE_HTTP_PORT": str(self.http_port),
                "WANGGE_TLS_CERT": str(work / "tls.pem"),
                "WANGGE_TLS_KEY": str(work / "tls.pem"),
                "WANGGE_DIST": str(DIST),
                "WANGGE_WEB_SERVERS": " ".join(f"server 127.0.0.1:{p};" for p in web_ports),
            }
        )
        for d in ("body", "proxy", "logs"):
            (work / d).mkdir(mode=0o777, exist_ok=True)
        # What Debian's /etc/nginx/nginx.conf gives the site: the http block, MIME types; here in our own folder.
        (work / "nginx.conf").write_text(
            f"""worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/logs/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/proxy;
    uwsgi_temp_path {work}/proxy;
    scgi_temp_path {work}/proxy;
    {site}
}}
"""
        )
        self.argv = [NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"]
        self.proc: subprocess.Popen | None = None
        self.base = f"https://localhost:{self.https_port}"

    def check(self) -> None:
        done = subprocess.run([*self.argv[:-2], "-t"], capture_output=True, text=True, check=False)  # noqa: S603
        assert done.returncode == 0, done.stderr

    def start(self) -> None:
        self.proc = subprocess.Popen(self.argv, stderr=subprocess.PIPE)  # noqa: S603
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{self.http_port}/", timeout=1)
                return
            except httpx.TransportError:
                assert self.proc.poll() is None, self.proc.stderr.read() if self.proc.stderr else "nginx ended"
                time.sleep(0.1)
        raise RuntimeError("nginx did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def client_for(nginx: Nginx, address: str, **kwargs) -> httpx.AsyncClient:
    """A client whose connections come from `address` (any of 127.0.0.0/8 is this machine)."""
    tls = ssl.create_default_context(cafile=str(nginx.ca_file))
    transport = httpx.AsyncHTTPTransport(local_address=address, verify=tls, retries=0)
    return httpx.AsyncClient(base_url=nginx.base, transport=transport, timeout=15, **kwargs)


# --- the run ------------------------------------------------------------------------------------------------------


def inside_demo_grids(n: int) -> list[tuple[float, float]]:
    grids = [shape(g["geometry"]) for c in demo_world()["communities"] for g in c["grids"]]
    return [(p.y, p.x) for p in (grids[i % len(grids)].representative_point() for i in range(n))]


@pytest.mark.long
@pytest.mark.timeout(300)  # ~50 s on a quiet 2-core machine, more when it is shared
def test_three_web_processes_and_the_worker_behind_nginx_survive_kill_9_under_load(pg_cluster, tmp_path):
    url = pg_cluster.create_database("production_shape")
    migrate.upgrade(url)
    engine = create_sync_db_engine(url)
    with Session(engine) as session:
        load.load(session, Passwords(Settings(argon2_time_cost=1, argon2_memory_kib=1024)))
    engine.dispose()
    db = Db(url)
    receiver = Receiver(delay=0.2)  # a receiver that takes its time: the worker holds events when it is killed
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "backend"),
        "WANGGE_ENVIRONMENT": "production",
        "WANGGE_DATABASE_URL": url,
        "WANGGE_SECRET_KEY": "production-shape-secret-key-that-is-long-enough-0123",
        "WANGGE_PERSONAL_DATA_KEY": "production-shape-personal-data-key-long-enough-0123",
        "WANGGE_LOG_LEVEL": "WARNING",
        "WANGGE_EMBEDDED_WORKER": "false",
        "WANGGE_WEBHOOK_URL": receiver.url,
        "WANGGE_WEBHOOK_SECRET": "production-shape-webhook-secret",
        "WANGGE_WEBHOOK_TIMEOUT_SECONDS": "2",
        "WANGGE_WORKER_LEASE_GRACE_SECONDS": "6",  # events held by the killed worker come back after 8 s, not 22
        "WANGGE_WORKER_POLL_SECONDS": "0.5",
        "WANGGE_TRUSTED_PROXIES": '["127.0.0.1"]',  # nginx; the residents come from 127.0.0.2 and up
        "WANGGE_FRONTEND_DIST": str(DIST),
        "WANGGE_ARGON2_TIME_COST": "1",
        "WANGGE_ARGON2_MEMORY_KIB": "1024",
    }
    lease_s = lease_for(
        Settings(webhook_timeout_seconds=2, worker_lease_grace_seconds=6, _env_file=None)
    ).total_seconds()
    ports = [free_port() for _ in range(WEB_PROCESSES)]
    uvicorn = [sys.executable, "-m", "uvicorn", "--factory", "wangge.main:create_app", "--host", "127.0.0.1"]
    webs = [
        Service(f"web{i}", [*uvicorn, "--port", str(p), "--log-level", "warning", "--no-access-log"], env, tmp_path)
        for i, p in enumerate(ports)
    ]
    worker = Service("worker", [sys.executable, "-m", "wangge.cli", "worker"], env, tmp_path)
    nginx = Nginx(tmp_path, ports)
    nginx.check()  # the deploy template, filled in, is a configuration nginx accepts
    try:
        for service in (*webs, worker):
            service.start()
        asyncio.run(_all_ready(ports))
        nginx.start()
        results = asyncio.run(_load_and_kill(nginx, webs, worker, db, lease_s))
    finally:
        nginx.stop()
        for service in (*webs, worker):
            service.kill()
        receiver.close()

    outcomes: list[Outcome] = results["outcomes"]
    statuses: Counter[int] = results["statuses"]
    print({k: v for k, v in results.items() if k != "outcomes"}, "retried:", sum(o.attempts > 1 for o in outcomes))
    assert 500 not in statuses and 501 not in statuses, statuses
    acked = [o for o in outcomes if o.tracking_code]
    assert len(acked) == len(outcomes), [(o.status, dict(o.errors)) for o in outcomes if not o.tracking_code]
    stored: dict[str, list[str]] = {}
    for description, code in db.rows("SELECT description, tracking_code FROM matters WHERE description LIKE '%形态%'"):
        stored.setdefault(description, []).append(code)
    assert {o.description: [o.tracking_code] for o in acked} == stored  # none lost, none doubled
    # Reads kept being answered while a web process was down: nginx passed them to the others.
    nginx_errors = (tmp_path / "logs" / "error.log").read_text(errors="replace")[-4000:]
    assert results["reads_while_down"] > 0 and results["reads_failed_while_down"] == 0, (results, nginx_errors)
    assert results["held"] > 0 and results["held_delivered_s"] is not None, results
    assert results["all_delivered_s"] is not None, results
    assert set(receiver.received) >= {r[0] for r in db.rows("SELECT event_id FROM outbox_events")}
    assert results["static"] == {"gzip": True, "immutable": True, "document_csp": True}, results


async def _all_ready(ports: list[int]) -> None:
    await asyncio.gather(*(wait_ready(f"http://127.0.0.1:{p}") for p in ports))


async def _load_and_kill(nginx: Nginx, webs: list[Service], worker: Service, db: Db, lease_s: float) -> dict:
    statuses: Counter[int] = Counter()
    places = inside_demo_grids(RESIDENTS * SUBMISSIONS_EACH)
    outcomes = [
        Outcome(key=str(uuid.uuid4()), description=f"路灯不亮，生产形态测试第 {i} 条")
        for i in range(RESIDENTS * SUBMISSIONS_EACH)
    ]
    web_down = asyncio.Event()
    stop = asyncio.Event()
    counts = {"reads_while_down": 0, "reads_failed_while_down": 0}
    failures: list[str] = []

    async def read(client: httpx.AsyncClient, path: str, **kwargs) -> httpx.Response | None:
        # Counted as "while down": a read sent after the kill and answered before the restart. A read already on its
        # way to the process when it is killed may be cut off with it (nginx passes a GET on only while it has sent
        # the client nothing of the answer), as any client of a crashed server sees; those are listed, not counted.
        sent_while_down = web_down.is_set()
        started = time.monotonic()
        try:
            r = await client.get(path, **kwargs)
        except httpx.TransportError as exc:
            r = None
            took = time.monotonic() - started
            failures.append(f"{path} after {took:.1f} s, sent while down: {sent_while_down}, {exc!r}")
        if r is not None:
            statuses[r.status_code] += 1
        if sent_while_down and web_down.is_set():
            counts["reads_while_down"] += 1
            counts["reads_failed_while_down"] += r is None or r.status_code >= 500
        return r

    async def resident(n: int) -> None:
        async with client_for(nginx, f"127.0.0.{n + 2}") as client:
            for i in range(SUBMISSIONS_EACH):
                k = n * SUBMISSIONS_EACH + i
                lat, lon = places[k]
                body = {
                    "category": "sanitation",
                    "description": outcomes[k].description,
                    "lat": lat,
                    "lon": lon,
                    "reporter_phone": f"1380000{k:04d}",
                }
                await submit(client, body, outcomes[k])
                statuses[outcomes[k].status or 0] += 1
                if outcomes[k].tracking_code:  # then follows it, as residents do
                    for _ in range(3):
                        await read(
                            client,
                            f"/api/v1/public/matters/{outcomes[k].tracking_code}",
                            params={"phone_last4": f"{k:04d}"},
                        )

    async def log_in(n: int) -> str:
        async with client_for(nginx, f"127.0.1.{n + 2}") as client:
            r = await client.post("/api/v1/auth/token", data={"username": "chief", "password": PASSWORD})
            assert r.status_code == 200, r.text
            return r.json()["access_token"]

    async def staff(n: int, token: str) -> None:
        async with client_for(nginx, f"127.0.1.{n + 2}") as client:
            client.headers["Authorization"] = f"Bearer {token}"
            while not stop.is_set():
                inbox = await read(client, "/api/v1/matters", params={"box": "unit", "limit": 20})
                if inbox is not None and inbox.status_code == 200 and inbox.json()["items"]:
                    for item in inbox.json()["items"][:2]:
                        await read(client, f"/api/v1/matters/{item['id']}")
                await asyncio.sleep(0.05)

    async def web_fault() -> None:
        await asyncio.sleep(3)
        webs[0].kill()  # SIGKILL one of the three web processes; nginx routes around it
        web_down.set()
        await asyncio.sleep(4)
        web_down.clear()
        webs[0].start()
        await wait_ready(f"http://127.0.0.1:{webs[0].argv[webs[0].argv.index('--port') + 1]}")

    async def worker_fault() -> dict:
        # The worker is killed the moment it holds leased events (the slow receiver keeps it holding them), not at
        # a fixed time: a fixed time races the load, which may have been delivered in full by then.
        out: dict = {"held": 0, "held_delivered_s": None}
        held: set[str] = set()
        deadline = time.monotonic() + 30
        while not held and time.monotonic() < deadline:
            held = await asyncio.to_thread(db.held)
            if not held:
                await asyncio.sleep(0.05)
        worker.kill()  # with the events it had leased
        held |= await asyncio.to_thread(db.held)
        out["held"] = len(held)
        await asyncio.sleep(1)
        restarted = time.monotonic()
        worker.start()
        out["held_delivered_s"] = await until_delivered(db, restarted, held, lease_s + 30)
        return out

    async def faults() -> dict:
        _, out = await asyncio.gather(web_fault(), worker_fault())
        return out

    # The staff log in before the faults begin: a login (a POST) on its way to the web process killed at 3 s is a
    # 502 that nginx rightly does not retry elsewhere (it may have been processed), and on a busy machine the logins
    # alone could take that long.
    tokens = await asyncio.gather(*(log_in(n) for n in range(STAFF)))
    staff_tasks = [asyncio.create_task(staff(n, token)) for n, token in enumerate(tokens)]
    fault_task = asyncio.create_task(faults())
    await asyncio.gather(*(resident(n) for n in range(RESIDENTS)))
    fault_results = await fault_task
    stop.set()
    await asyncio.gather(*staff_tasks)
    all_delivered_s = await until_delivered(db, time.monotonic(), None, lease_s + 30)

    async with client_for(nginx, "127.0.0.1", headers={"Accept-Encoding": "gzip"}) as client:
        document = await client.get("/report")
        script = next(p for p in (DIST / "assets").iterdir() if p.suffix == ".js" and p.stat().st_size > 10_000)
        asset = await client.get(f"/assets/{script.name}")
    static = {
        "gzip": asset.status_code == 200 and asset.headers.get("content-encoding") == "gzip",
        "immutable": "immutable" in asset.headers.get("cache-control", ""),
        "document_csp": "script-src 'self'" in document.headers.get("content-security-policy", ""),
    }
    return {
        "outcomes": outcomes,
        "statuses": statuses,
        **counts,
        "failures": failures,
        **fault_results,
        "all_delivered_s": all_delivered_s,
        "static": static,
    }
