"""Resident submissions on PostgreSQL + PostGIS: throughput and latency of POST /api/v1/public/matters against a
bare endpoint of the same stack that inserts one row, both measured in the same run with the same load."""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from shapely.geometry import shape
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "backend"), str(ROOT / "bench")]

from support.server import free_port  # noqa: E402
from wangge import migrate  # noqa: E402
from wangge.accounts.security import Passwords  # noqa: E402
from wangge.config import Settings  # noqa: E402
from wangge.database import create_sync_db_engine  # noqa: E402
from wangge.demo import load  # noqa: E402
from wangge.demo.geography import demo_world  # noqa: E402

SECRET = "benchmark-secret-key-that-is-long-enough-0123456789"


def _serve(app: str, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env={**os.environ, **env, "PYTHONPATH": f"{ROOT / 'backend'}:{ROOT / 'bench'}"},
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/docs", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{app} did not start")


def points(n: int) -> list[tuple[float, float]]:
    """Points well inside the demo grids."""
    rng = random.Random(11)
    grids = [shape(g["geometry"]) for c in demo_world()["communities"] for g in c["grids"]]
    out = []
    while len(out) < n:
        g = rng.choice(grids)
        p = g.representative_point()
        out.append((p.y + rng.uniform(-1e-5, 1e-5), p.x + rng.uniform(-1e-5, 1e-5)))
    return out


async def _load(base: str, path: str, bodies: list[dict[str, Any]], concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    queue: asyncio.Queue = asyncio.Queue()
    for b in bodies:
        queue.put_nowait(b)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            body = queue.get_nowait()
            started = time.perf_counter()
            r = await client.post(path, json=body)
            latencies.append((time.perf_counter() - started) * 1000)
            if r.status_code != 201:
                raise RuntimeError(f"{path}: {r.status_code} {r.text[:200]}")

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    lat = sorted(latencies)
    return {
        "requests": len(lat),
        "rps": len(lat) / elapsed,
        "p50": statistics.median(lat),
        "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
    }


def run(cluster: Any, requests: int = 1500, concurrency: int = 8) -> dict[str, Any]:
    url = cluster.create_database("bench_intake")
    migrate.upgrade(url)
    engine = create_sync_db_engine(url)
    with Session(engine) as session:
        load.load(session, Passwords(Settings(argon2_time_cost=1, argon2_memory_kib=1024)))
    engine.dispose()
    bare_url = cluster.create_database("bench_bare", postgis=False)
    env = {
        "WANGGE_DATABASE_URL": url,
        "WANGGE_SECRET_KEY": SECRET,
        "WANGGE_LOG_LEVEL": "WARNING",
        "WANGGE_EMBEDDED_WORKER": "false",
        # The load comes from one address; the per-address window would otherwise refuse all but five a minute.
        "WANGGE_SUBMISSION_LIMIT": "1000000/minute",
        "BENCH_DATABASE_URL": bare_url,
    }
    pts = points(requests + 100)
    bodies = [
        {
            "category": "sanitation",
            "description": f"路面破损 {i}",
            "lat": lat,
            "lon": lon,
            "reporter_phone": "13800001111",
        }
        for i, (lat, lon) in enumerate(pts)
    ]
    results = {}
    for name, app, path in (
        ("bare insert", "bare_app:create_app", "/bare"),
        ("resident submission", "wangge.main:create_app", "/api/v1/public/matters"),
    ):
        proc, base = _serve(app, env)
        try:
            asyncio.run(_load(base, path, bodies[:100], concurrency))  # warm-up
            results[name] = asyncio.run(_load(base, path, bodies[100:], concurrency))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        print(
            f"{name:20} {results[name]['rps']:7.1f} req/s  p50 {results[name]['p50']:6.1f} ms  "
            f"p99 {results[name]['p99']:6.1f} ms",
            flush=True,
        )
    results["ratio"] = results["resident submission"]["rps"] / results["bare insert"]["rps"]
    results["concurrency"] = concurrency
    return results


if __name__ == "__main__":
    from support.pgcluster import PostgresCluster

    with PostgresCluster() as c:
        print(run(c))
