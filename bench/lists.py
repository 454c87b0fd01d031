"""Lists as history grows: the lists staff open often, on a city of --grids grids with --large matters (the issue's
10,000,000; 1,000,000 takes about three minutes to generate here) against a baseline city with 10,000 matters on
as many matters per grid (--small-grids, by default --grids × 10,000 / --large), so that a grid's, a community's
and a street's lists hold as many rows in both and what is compared is the cost of a table 1,000 times larger.
Both are made by `wangge generate` in throwaway PostgreSQL databases and served over real HTTP. Reported: the
median of each list in each city and the ratio (target: at most 1.5).

    .venv/bin/python bench/lists.py [--grids 100000] [--large 10000000] [--small-grids N] [--requests 25] [--keep DIR]

It writes its section of docs/benchmarks.md (--output). With --keep the cluster stays in DIR, and a later run with
the same DIR measures the cities already there (migrated to the current head first) instead of generating them
again: a change to a list's SQL is measured at 10,000,000 matters in minutes rather than 40.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "backend"), str(ROOT / "bench")]

import httpx  # noqa: E402
from report import write_section  # noqa: E402
from sqlalchemy import text  # noqa: E402

from support.pgcluster import PostgresCluster  # noqa: E402
from support.server import LiveServer  # noqa: E402
from wangge import generate, migrate  # noqa: E402
from wangge.accounts.security import Passwords  # noqa: E402
from wangge.config import Settings  # noqa: E402
from wangge.database import create_sync_db_engine  # noqa: E402
from wangge.models_common import utcnow  # noqa: E402

HEADING = "## Lists as history grows (10,000 matters against many more)"
PASSWORD = "bench-lists-2026"
SMALL = 10_000


GENERATED: dict[int, float] = {}  # matters → seconds `wangge generate` took
RETURNED: dict[str, int] = {}  # database → requests in the Open311 answer
ROWS: dict[tuple[str, str], int] = {}  # (database, list) → rows in the answer
OPEN311 = "Open311: requests, open"


def build(cluster: PostgresCluster, name: str, grids: int, matters: int) -> tuple[str, dict[str, Any]]:
    timings = cluster.root / "generated.json"
    if cluster.has_database(name):  # kept from an earlier run (--keep): bring it to the current head
        url = cluster.url(name)
        started = time.monotonic()
        migrate.upgrade(url)
        GENERATED[matters] = json.loads(timings.read_text())[name]
        print(f"{name}: kept, migrated in {time.monotonic() - started:.0f} s", flush=True)
        return url, people_of(url)
    url = cluster.create_database(name)
    migrate.upgrade(url)
    engine = create_sync_db_engine(url)
    plan = generate.Plan(
        grids=grids,
        matters=matters,
        patrols=0,
        seed=1,
        password_hash=Passwords(Settings(argon2_time_cost=1, argon2_memory_kib=1024)).hash(PASSWORD),
        now=utcnow(),
    )
    started = time.monotonic()
    generate.generate(engine, plan, say=lambda _line: None)
    GENERATED[matters] = time.monotonic() - started
    engine.dispose()
    print(f"{name}: {matters:,} matters generated in {GENERATED[matters]:.0f} s", flush=True)
    if cluster.kept:
        timings.write_text(
            json.dumps({**(json.loads(timings.read_text()) if timings.exists() else {}), name: GENERATED[matters]})
        )
    return url, people_of(url)


def people_of(url: str) -> dict[str, Any]:
    engine = create_sync_db_engine(url)
    with engine.connect() as conn:
        # The busiest grid, and the people of its grid, community, street and district.
        busiest = "SELECT grid_id FROM matters GROUP BY grid_id ORDER BY count(*) DESC, grid_id LIMIT 1"
        grid = conn.execute(text(busiest)).scalar()
        who = conn.execute(
            text(
                "SELECT (SELECT username FROM users WHERE role = 'grid_leader' AND grid_id = g.id), "
                "(SELECT username FROM users WHERE role = 'station_chief' AND community_id = g.community_id), "
                "(SELECT username FROM users WHERE role = 'street_officer' AND street_id = g.street_id), "
                "(SELECT min(username) FROM users WHERE role = 'department_officer' AND district_id = g.district_id) "
                "FROM grids g WHERE g.id = :g"
            ),
            {"g": grid},
        ).one()
    engine.dispose()
    return {"leader": who[0], "chief": who[1], "street": who[2], "dept": who[3], "admin": "gen-admin"}


TRIAGE = "/api/v1/triage/meetings"
LISTS: list[tuple[str, str, str, dict[str, Any]]] = [
    # label, account, path, query
    ("grid leader: my grid, open", "leader", "/api/v1/matters", {"box": "grid", "status": "open"}),
    ("grid leader: my grid, closed", "leader", "/api/v1/matters", {"box": "grid", "status": "closed"}),
    ("station chief: community, open", "chief", "/api/v1/matters", {"box": "unit", "status": "open"}),
    ("station chief: community, closed", "chief", "/api/v1/matters", {"box": "unit", "status": "closed"}),
    ("station chief: supervision", "chief", "/api/v1/matters/supervision", {}),
    ("street officer: street, open", "street", "/api/v1/matters", {"box": "unit", "status": "open"}),
    ("department officer: unit, open", "dept", "/api/v1/matters", {"box": "unit", "status": "open"}),
    ("administrator: all, open", "admin", "/api/v1/matters", {"box": "all", "status": "open"}),
    ("administrator: all, closed", "admin", "/api/v1/matters", {"box": "all", "status": "closed"}),
    ("administrator: supervision", "admin", "/api/v1/matters/supervision", {}),
    (OPEN311, "", "/open311/v2/requests.json", {"status": "open"}),
    # POST: each request opens the meeting of another day, whose agenda is what came to the station since the last.
    ("station chief: open the triage meeting", "chief", TRIAGE, {}),
]


class City:
    """One generated city served over real HTTP, its people signed in."""

    def __init__(self, url: str, people: dict[str, Any]) -> None:
        self.url = url
        settings = Settings(
            database_url=url,
            environment="test",
            secret_key="bench-lists-secret-key-that-is-long-enough-0123456789",
            argon2_time_cost=1,
            argon2_memory_kib=1024,
            embedded_worker=False,
            log_level="WARNING",
            _env_file=None,
        )
        engine = create_sync_db_engine(url)
        with engine.connect() as conn:  # meetings of days no earlier run (--keep) has opened
            last = conn.execute(text("SELECT max(day) FROM triage_meetings")).scalar()
        engine.dispose()
        self.next_day = max(date(2030, 1, 1), (date.fromisoformat(str(last)) + timedelta(days=1)) if last else date.min)
        self.server = LiveServer(settings).start()
        self.client = httpx.Client(base_url=self.server.base_url, timeout=120)
        self.tokens = {}
        for role, username in people.items():
            r = self.client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
            r.raise_for_status()
            self.tokens[role] = {"Authorization": f"Bearer {r.json()['access_token']}"}

    def request(self, label: str, role: str, path: str, query: dict[str, Any]) -> tuple[float, Any]:
        headers = self.tokens.get(role, {})
        started = time.perf_counter()
        if path == TRIAGE:
            r = self.client.post(path, json={"day": self.next_day.isoformat()}, headers=headers)
            self.next_day += timedelta(days=1)
        else:
            r = self.client.get(path, params=query, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        if r.status_code not in (200, 201):
            raise RuntimeError(f"{label}: {r.status_code} {r.text[:200]}")
        return elapsed, r.json()

    def close(self) -> None:
        self.client.close()
        self.server.stop()


def measure(cities: list[City], requests: int) -> list[dict[str, float]]:
    """Each list in turn, its requests alternating between the cities (so that whatever else the machine does
    weighs on both alike): the median of each city's after 2 warm-up ones."""
    out: list[dict[str, float]] = [{} for _ in cities]
    for label, role, path, query in LISTS:
        times: list[list[float]] = [[] for _ in cities]
        for n in range(requests + 2):
            for i, city in enumerate(cities):
                elapsed, body = city.request(label, role, path, query)
                if n >= 2:
                    times[i].append(elapsed)
                if n == 0:
                    ROWS[city.url, label] = len(body if isinstance(body, list) else body.get("items", []))
                    if path.startswith("/open311/"):
                        RETURNED[city.url] = len(body)
        for i in range(len(cities)):
            out[i][label] = statistics.median(times[i])
        print(f"  {label}: " + " / ".join(f"{o[label]:.1f} ms" for o in out), flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grids", type=int, default=100_000)
    parser.add_argument(
        "--small-grids", type=int, help="grids of the baseline city (default: as many matters per grid)"
    )
    parser.add_argument("--large", type=int, default=10_000_000)
    parser.add_argument("--requests", type=int, default=25)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--keep", type=Path, help="keep the cluster in this folder, and reuse the cities already there")
    args = parser.parse_args()
    with PostgresCluster(args.keep) as cluster:
        small_grids = args.small_grids or max(100, args.grids * SMALL // args.large)
        small_url, small_people = build(cluster, f"lists_small_{small_grids}", small_grids, SMALL)
        large_url, large_people = build(cluster, "lists_large", args.grids, args.large)
        cities = [City(small_url, small_people), City(large_url, large_people)]
        try:
            print(f"{SMALL:,} / {args.large:,} matters:", flush=True)
            small, large = measure(cities, args.requests)
        finally:
            for city in cities:
                city.close()
    # Open311 answers the spec's first 1000 requests of the window: fewer at 10,000 matters than at 10,000,000, so
    # its time is compared per request returned.
    per_small, per_large = small[OPEN311] / RETURNED[small_url], large[OPEN311] / RETURNED[large_url]
    ratios = {k: large[k] / small[k] for k in small if k != OPEN311} | {OPEN311: per_large / per_small}
    worst = max(ratios.values())
    lines = [
        HEADING,
        "",
        f"A city of {args.grids:,} grids with {args.large:,} matters over two years against one of {small_grids:,} "
        f"grids with {SMALL:,} (as many per grid), both made by `wangge generate`, on one throwaway PostgreSQL + "
        "PostGIS cluster; each list over real HTTP as the "
        "person who opens it (for their own grid, community, street, department: the busiest grid's), median of "
        f"{args.requests} requests after 2 warm-up ones, the two cities' requests alternating (bench/lists.py). "
        "Rows: what the answer held in each city. Target: every ratio at most 1.5.",
        "",
        f"| list | rows | {SMALL:,} ms | {args.large:,} ms | ratio |",
        "|---|---|---|---|---|",
        *[
            f"| {k} | {ROWS[small_url, k]} / {ROWS[large_url, k]} | {small[k]:.1f} | {large[k]:.1f} | "
            f"**{large[k] / small[k]:.2f}** |"
            for k in small
            if k != OPEN311
        ],
        f"| {OPEN311}, per request returned | {RETURNED[small_url]:,} / {RETURNED[large_url]:,} | "
        f"{per_small:.3f} | {per_large:.3f} | **{ratios[OPEN311]:.2f}** |",
        "",
        f"Worst ratio: {worst:.2f}. `wangge generate` took {GENERATED[args.large] / 60:.1f} min for the city with "
        f"{args.large:,} matters ({GENERATED[SMALL]:.0f} s for {SMALL:,}; patrols left out). "
        f"Run on {datetime.now(UTC):%Y-%m-%d} on a 2-core machine.",
    ]
    write_section(Path(args.output), HEADING, lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
