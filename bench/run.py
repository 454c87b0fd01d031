"""Benchmarks, reported in docs/benchmarks.md as ratios against a baseline measured in the same run.

locate: `GET /api/v1/grids/locate` over real HTTP with a small city (100 grids) as the baseline and a large one
(100,000 grids by default) on each engine. Through the spatial index the large city should cost about the same
per request: the ratio of medians is the figure that matters, not the milliseconds (these machines are noisy).

intake (bench/intake.py): resident submissions against a bare one-row insert of the same stack, on PostgreSQL.

fieldwork (bench/fieldwork.py): a 1,000-point GPS batch against a 10-point one, and a week's coverage of a grid
against a day's, on both engines.

registry-search (bench/registry_search.py): finding a person by identity number among 1,000,000 people against
10,000, on both engines.

registry-lists (bench/registry_lists.py): a grid's houses list and people pages with decades of registry history
against none, on both engines.

    .venv/bin/python bench/run.py [--grids 100000] [--requests 400] [--submissions 1500] [--people 1000000]
    .venv/bin/python bench/run.py --only registry-search   # that part alone; it rewrites only its own section
    .venv/bin/python bench/run.py --only registry-lists
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "backend"), str(ROOT / "bench")]

import httpx  # noqa: E402
from report import write_section  # noqa: E402
from shapely.geometry import Polygon  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from support.pgcluster import PostgresCluster  # noqa: E402
from support.server import LiveServer  # noqa: E402
from wangge import geo, migrate  # noqa: E402
from wangge.accounts.models import User  # noqa: E402
from wangge.accounts.security import Passwords  # noqa: E402
from wangge.config import Settings  # noqa: E402
from wangge.database import create_sync_db_engine  # noqa: E402
from wangge.hierarchy.models import Community, District, Grid, Street  # noqa: E402

CELL = 0.0005  # degrees, about 50 m
SECRET = "benchmark-secret-key-that-is-long-enough-0123456789"


def build_city(url: str, n_grids: int) -> int:
    """One community holding an n×n lattice of square grids; returns the lattice side."""
    side = int(n_grids**0.5)
    engine = create_sync_db_engine(url)
    lon0, lat0 = 113.0, 28.0
    with Session(engine) as s:
        d = District(code="430111", name="区")
        s.add(d)
        s.flush()
        st = Street(code="430111001", name="街道", district_id=d.id)
        s.add(st)
        s.flush()
        outline = Polygon(
            [
                (lon0, lat0),
                (lon0 + side * CELL, lat0),
                (lon0 + side * CELL, lat0 + side * CELL),
                (lon0, lat0 + side * CELL),
            ]
        )
        c = Community(
            code="430111001001",
            name="社区",
            district_id=d.id,
            street_id=st.id,
            geom=geo.to_db(geo.area_from_geojson(geo.to_geojson(outline))),
        )
        s.add(c)
        s.flush()
        rows = []
        for i in range(side):
            for j in range(side):
                x, y = lon0 + i * CELL, lat0 + j * CELL
                poly = Polygon([(x, y), (x + CELL, y), (x + CELL, y + CELL), (x, y + CELL)])
                rows.append(
                    {
                        "code": f"430111001{len(rows):06d}",
                        "name": f"网格{len(rows)}",
                        "kind": "other",
                        "district_id": d.id,
                        "street_id": st.id,
                        "community_id": c.id,
                        "area_m2": geo.geodesic_area_m2(poly),
                        "geom": geo.to_db(poly),
                    }
                )
        for start in range(0, len(rows), 2000):
            s.execute(insert(Grid), rows[start : start + 2000])
        s.add(
            User(
                username="bench",
                display_name="bench",
                role="administrator",
                scope_level="system",
                password_hash=Passwords(Settings(argon2_time_cost=1, argon2_memory_kib=1024)).hash("bench-pass"),
            )
        )
        s.commit()
    engine.dispose()
    return side


def measure(url: str, side: int, requests: int) -> list[float]:
    settings = Settings(
        database_url=url,
        environment="test",
        secret_key=SECRET,
        log_level="WARNING",
        argon2_time_cost=1,
        argon2_memory_kib=1024,
    )
    server = LiveServer(settings).start()
    rng = random.Random(7)
    try:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            token = client.post("/api/v1/auth/token", data={"username": "bench", "password": "bench-pass"}).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            times = []
            for k in range(requests + 20):
                lon = 113.0 + (rng.randrange(side) + 0.5) * CELL
                lat = 28.0 + (rng.randrange(side) + 0.5) * CELL
                started = time.perf_counter()
                r = client.get(f"/api/v1/grids/locate?lat={lat}&lon={lon}", headers=headers)
                elapsed = time.perf_counter() - started
                assert r.status_code == 200, r.text
                if k >= 20:  # warm-up
                    times.append(elapsed * 1000)
            return times
    finally:
        server.stop()


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grids", type=int, default=100_000)
    parser.add_argument("--submissions", type=int, default=1500)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--people", type=int, default=1_000_000, help="people of registry-search's large city")
    parser.add_argument("--only", choices=["registry-search", "registry-lists"], help="run this part alone")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    import registry_lists
    import registry_search

    if args.only == "registry-lists":
        with PostgresCluster() as cluster, tempfile.TemporaryDirectory() as tmp:
            histories = registry_lists.run(cluster, tmp, ("postgres", "sqlite"), registry_lists.REQUESTS)
        write_section(Path(args.output), registry_lists.HEADING, registry_lists.section(histories))
        return 0
    if args.only == "registry-search":
        with PostgresCluster() as cluster, tempfile.TemporaryDirectory() as tmp:
            found = registry_search.run(cluster, tmp, large=args.people)
        registry_search.write_section(Path(args.output), registry_search.HEADING, registry_search.section(found))
        return 0
    results = []
    with PostgresCluster() as cluster, tempfile.TemporaryDirectory() as tmp:
        for engine in ("sqlite", "postgres"):
            row = {"engine": engine}
            for label, n in (("small", 100), ("large", args.grids)):
                if engine == "sqlite":
                    url = f"sqlite+aiosqlite:///{tmp}/{label}.db"
                else:
                    url = cluster.create_database(f"bench_{label}")
                migrate.upgrade(url)
                side = build_city(url, n)
                times = measure(url, side, args.requests)
                row[label] = {"grids": side * side, "p50": statistics.median(times), "p99": pct(times, 99)}
                print(
                    f"{engine:8} {side * side:>7} grids  p50 {row[label]['p50']:.2f} ms  "
                    f"p99 {row[label]['p99']:.2f} ms",
                    flush=True,
                )
            row["ratio"] = row["large"]["p50"] / row["small"]["p50"]
            results.append(row)
        import intake

        submissions = intake.run(cluster, requests=args.submissions)
        import fieldwork

        patrols = fieldwork.run(cluster, tmp)
        found = registry_search.run(cluster, tmp, large=args.people)
        histories = registry_lists.run(cluster, tmp, ("postgres", "sqlite"), registry_lists.REQUESTS)
    write_report(Path(args.output), results, args.requests, submissions)
    write_section(Path(args.output), fieldwork.SECTION, fieldwork.section(patrols))
    write_section(Path(args.output), registry_search.HEADING, registry_search.section(found))
    write_section(Path(args.output), registry_lists.HEADING, registry_lists.section(histories))
    return 0


LOCATE = "## Locating a point in its grid"
SUBMISSIONS = "## Resident submissions (PostgreSQL + PostGIS)"
PREAMBLE = [
    "# Benchmarks",
    "",
    "Made by `make bench` (`bench/run.py`). Figures are ratios against a baseline measured in the same run,",
    "because these machines are noisy; the milliseconds are shown for context only.",
    "",
]


def write_report(path: Path, results: list[dict], requests: int, submissions: dict) -> None:
    """Rewrites the sections of this run (each in its place) and keeps every other benchmark's section: the lists,
    the headroom, the crash, the city generator and the rest are written by their own runs."""
    if not path.exists():
        path.write_text("\n".join(PREAMBLE), encoding="utf-8")
    lines = [
        LOCATE,
        "",
        f"`GET /api/v1/grids/locate` over real HTTP to a uvicorn server, {requests} requests at random points",
        "after 20 warm-up requests, one client. Baseline: the same request against a city of 100 grids.",
        "",
        "| engine | baseline grids | p50 ms | p99 ms | grids | p50 ms | p99 ms | ratio of p50 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s, big = r["small"], r["large"]
        lines.append(
            f"| {r['engine']} | {s['grids']:,} | {s['p50']:.2f} | {s['p99']:.2f} | {big['grids']:,} | "
            f"{big['p50']:.2f} | {big['p99']:.2f} | **{r['ratio']:.2f}** |"
        )
    bare, sub = submissions["bare insert"], submissions["resident submission"]
    lines += [
        "",
        "Target: a ratio of at most 2.",
    ]
    write_section(path, LOCATE, lines)
    lines = [
        SUBMISSIONS,
        "",
        "`POST /api/v1/public/matters` (locate the grid, compute the deadline in working time, write the matter, its",
        "audit event and its outbox notification in one transaction) against a bare endpoint of the same stack",
        f"(FastAPI, SQLAlchemy async, asyncpg, one uvicorn worker) that inserts one row. {bare['requests']} requests",
        f"each after 100 warm-up requests, {submissions['concurrency']} concurrent clients on the same machine.",
        "",
        "| endpoint | requests/s | p50 ms | p99 ms |",
        "|---|---|---|---|",
        f"| bare insert (baseline) | {bare['rps']:.0f} | {bare['p50']:.1f} | {bare['p99']:.1f} |",
        f"| resident submission | {sub['rps']:.0f} | {sub['p50']:.1f} | {sub['p99']:.1f} |",
        "",
        f"Ratio of throughput: **{submissions['ratio']:.2f}** (target: at least 0.5).",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d} on a 2-core machine; the load generator shares the machine.",
        "",
        "What the submission path needed to get there (first measured at 0.23): no pool pre-ping (a round trip",
        "per request), categories and the working calendar cached per process for 30 s, the matter written with",
        "one INSERT instead of an INSERT and an UPDATE, notification recipients resolved by the worker instead of",
        "in the request, and the locate statement built once with bound coordinates so SQLAlchemy's statement",
        "cache serves it. Six round trips remain (locate, the matter, its event, its outbox row, BEGIN, COMMIT)",
        "against the baseline's three.",
        "",
    ]
    write_section(path, SUBMISSIONS, lines)
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
