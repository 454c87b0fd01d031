"""Finding a person by identity number as the registry grows: `GET /api/v1/registry/people?id_number=` over real
HTTP among 1,000,000 people against the same among 10,000 (the baseline), both measured in the same run, their
requests alternating, on each engine. Identity numbers are stored only encrypted (AES-GCM) and found by their keyed
hash (HMAC-SHA256, registries/personal.py), so the search is one probe of the hash's index whatever the size; the
figure is the ratio of medians (target: at most 2). It also prints the plan of the search query in the large city.

Each city: 100 grids of one community, a building per grid, a house per two people, every person with a valid
GB 11643 number, its encrypted value and hash, an encrypted phone and an open residency. Houses and residencies are
written by set-based SQL (INSERT … SELECT); people in batches of 20,000 (PostgreSQL: COPY), their numbers encrypted
and hashed in Python with the server's key.

    .venv/bin/python bench/registry_search.py [--large 1000000] [--requests 200] [--engines postgres,sqlite]

Run alone, it rewrites only its own section of docs/benchmarks.md; `bench/run.py --only registry-search` runs it
too, and the full `bench/run.py` includes it.
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "backend"), str(ROOT / "bench")]

import httpx  # noqa: E402
from report import explain, write_section  # noqa: E402
from shapely.geometry import Polygon  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from support.pgcluster import PostgresCluster  # noqa: E402
from support.server import LiveServer  # noqa: E402
from wangge import geo, migrate  # noqa: E402
from wangge.accounts.models import User  # noqa: E402
from wangge.accounts.scope import Subject  # noqa: E402
from wangge.accounts.security import Passwords  # noqa: E402
from wangge.config import Settings  # noqa: E402
from wangge.database import create_sync_db_engine, is_sqlite_url  # noqa: E402
from wangge.hierarchy.models import Community, District, Grid, Street  # noqa: E402
from wangge.registries import personal, service  # noqa: E402
from wangge.registries.personal import check_digit  # noqa: E402

HEADING = "## Finding a person by identity number (10,000 people against 1,000,000)"
SMALL = 10_000
GRIDS = 100
BATCH = 20_000
SECRET = "benchmark-secret-key-that-is-long-enough-0123456789"
KEY = "benchmark-personal-data-key-that-is-long-enough-0123"
PASSWORD = "bench-pass"
CELL = 0.0005
PEOPLE_COLUMNS = (
    "id", "grid_id", "house_id", "name", "residence", "relation", "special_groups", "phone_enc", "id_number_enc",
    "id_number_hash", "is_active", "created_by_id", "created_at", "updated_at",
)  # fmt: skip


def settings_for(url: str) -> Settings:
    return Settings(
        database_url=url,
        environment="test",
        secret_key=SECRET,
        personal_data_key=KEY,
        log_level="WARNING",
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        embedded_worker=False,
        _env_file=None,
    )


def id_number(i: int) -> str:
    """The i-th person's identity number: region 430111, a birthday in 1950–2004, a sequence, the check digit."""
    day = datetime(1950, 1, 1).toordinal() + i % 20_000
    born = datetime.fromordinal(day)
    first17 = f"430111{born:%Y%m%d}{i // 20_000:03d}"
    return first17 + check_digit(first17)


def grid_of(i: int) -> int:
    return i % GRIDS + 1


def frame(engine: Any, grids: int) -> int:
    """A district, a street, a community and its `grids` square grids (rows of 10), and the system administrator
    `bench`, whose id it returns (also bench/registry_lists.py's city)."""
    with Session(engine) as s:
        d = District(code="430111", name="区")
        s.add(d)
        s.flush()
        st = Street(code="430111001", name="街道", district_id=d.id)
        s.add(st)
        s.flush()
        c = Community(code="430111001001", name="社区", district_id=d.id, street_id=st.id)
        s.add(c)
        s.flush()
        rows = []
        for k in range(grids):
            x, y = 113.0 + (k % 10) * CELL, 28.0 + (k // 10) * CELL
            poly = Polygon([(x, y), (x + CELL, y), (x + CELL, y + CELL), (x, y + CELL)])
            rows.append(
                {
                    "id": k + 1,
                    "code": f"430111001{k:06d}",
                    "name": f"网格{k + 1}",
                    "kind": "other",
                    "district_id": d.id,
                    "street_id": st.id,
                    "community_id": c.id,
                    "area_m2": geo.geodesic_area_m2(poly),
                    "geom": geo.to_db(poly),
                }
            )
        s.execute(insert(Grid), rows)
        admin = User(
            username="bench", display_name="bench", role="administrator", scope_level="system",
            password_hash=Passwords(Settings(argon2_time_cost=1, argon2_memory_kib=1024)).hash(PASSWORD),
        )  # fmt: skip
        s.add(admin)
        s.flush()
        admin_id = admin.id
        s.commit()
    return admin_id


def build(url: str, people: int) -> None:
    """The city: grids, buildings, houses, people, residencies, and the administrator `bench`."""
    engine = create_sync_db_engine(url)
    settings = settings_for(url)
    sqlite = is_sqlite_url(url)
    # SQLite keeps timestamps and days as text, as SQLAlchemy writes them (no driver adapters).
    now: Any = datetime.now(UTC)
    day: Any = datetime(2020, 1, 1).date()
    if sqlite:
        now, day = now.strftime("%Y-%m-%d %H:%M:%S.%f"), day.isoformat()
    admin_id = frame(engine, GRIDS)
    houses = (people + 1) // 2
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO buildings (id, grid_id, name, households, is_active, created_at, updated_at) "
                "SELECT id, id, '楼' || id, 0, true, :now, :now FROM grids"
            ),
            {"now": now},
        )
        # A house per two people, house h in the grid of its people (person i lives in house i // 2 + 1).
        series = (
            "WITH RECURSIVE n(h) AS (SELECT 1 UNION ALL SELECT h + 1 FROM n WHERE h < :houses) SELECT h FROM n"
            if sqlite
            else "SELECT generate_series(1, :houses) AS h"
        )
        houses_sql = (
            "INSERT INTO reg_houses (id, grid_id, building_id, unit, floor, room, label, use, is_active, "  # noqa: S608
            "created_at, updated_at) "
            f"SELECT h, ((h - 1) * 2) % {GRIDS} + 1, ((h - 1) * 2) % {GRIDS} + 1, '', 1, "
            "CAST(h AS VARCHAR(10)), '楼' || CAST(h AS VARCHAR(10)), 'owner_occupied', true, :now, :now "
            f"FROM ({series}) AS s"
        )
        conn.execute(text(houses_sql), {"houses": houses, "now": now})
    started = time.monotonic()
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for start in range(0, people, BATCH):
            batch = [
                (
                    i + 1,
                    grid_of(i),
                    i // 2 + 1,
                    f"居民{i}",
                    "registered",
                    "other",
                    "[]",
                    personal.encrypt(settings, f"139{i:08d}", field="phone"),
                    personal.encrypt(settings, id_number(i), field="id_number"),
                    personal.search_hash(settings, id_number(i)),
                    True,
                    admin_id,
                    now,
                    now,
                )
                for i in range(start, min(start + BATCH, people))
            ]
            if sqlite:
                marks = ", ".join("?" * len(PEOPLE_COLUMNS))
                columns = ", ".join(PEOPLE_COLUMNS)
                cur.executemany(f"INSERT INTO reg_people ({columns}) VALUES ({marks})", batch)  # noqa: S608
            else:
                with cur.copy(f"COPY reg_people ({', '.join(PEOPLE_COLUMNS)}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO reg_residencies (person_id, house_id, grid_id, start_on) "
                "SELECT id, house_id, grid_id, :day FROM reg_people"
            ),
            {"day": day},
        )
        if sqlite:
            conn.execute(text("ANALYZE"))
        else:
            for seq, table in (("reg_houses_id_seq", "reg_houses"), ("reg_people_id_seq", "reg_people")):
                conn.execute(text(f"SELECT setval('{seq}', (SELECT max(id) FROM {table}))"))  # noqa: S608
    if not sqlite:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    print(f"  {people:,} people written in {time.monotonic() - started:.0f} s", flush=True)


class City:
    def __init__(self, url: str, people: int) -> None:
        self.url, self.people = url, people
        self.server = LiveServer(settings_for(url)).start()
        self.client = httpx.Client(base_url=self.server.base_url, timeout=60)
        r = self.client.post("/api/v1/auth/token", data={"username": "bench", "password": PASSWORD})
        r.raise_for_status()
        self.headers = {"Authorization": f"Bearer {r.json()['access_token']}"}

    def search(self, i: int) -> float:
        number = id_number(i)
        started = time.perf_counter()
        r = self.client.get("/api/v1/registry/people", params={"id_number": number}, headers=self.headers)
        elapsed = (time.perf_counter() - started) * 1000
        body = r.json()
        if r.status_code != 200 or [p["id"] for p in body] != [i + 1]:
            raise RuntimeError(f"search for person {i + 1}: {r.status_code} {r.text[:200]}")
        if body[0]["id_number"] != personal.mask_id_number(number):
            raise RuntimeError(f"person {i + 1} came back as {body[0]['id_number']}")
        return elapsed

    def close(self) -> None:
        self.client.close()
        self.server.stop()


def plan(url: str) -> list[str]:
    """The plan of the search query (registries.service.by_id_number, as the administrator) in this city."""
    admin = Subject(user_id=1, username="bench", role="administrator", scope_level="system")
    engine = create_sync_db_engine(url)
    digest = personal.search_hash(settings_for(url), id_number(SMALL // 2))
    stmt = service.by_id_number(admin, digest).order_by(text("reg_people.id")).limit(200)
    with engine.connect() as conn:
        lines = explain(conn, stmt)
    engine.dispose()
    return lines


def measure(small: City, large: City, requests: int, seed: int = 14) -> tuple[list[float], list[float]]:
    """Alternating requests for random people (anyone in the baseline city; in the large one, anyone of its
    million), after 10 warm-up rounds."""
    rng = random.Random(seed)
    times: tuple[list[float], list[float]] = ([], [])
    for n in range(requests + 10):
        for k, city in enumerate((small, large)):
            elapsed = city.search(rng.randrange(city.people))
            if n >= 10:
                times[k].append(elapsed)
    return times


def run(
    cluster: PostgresCluster | None,
    tmp: str,
    engines: tuple[str, ...] = ("postgres", "sqlite"),
    large: int = 1_000_000,
    requests: int = 200,
) -> dict[str, Any]:
    results: dict[str, Any] = {"large": large, "requests": requests, "engines": {}}
    for engine in engines:
        urls = {}
        for label, n in (("small", SMALL), ("large", large)):
            if engine == "sqlite":
                url = f"sqlite+aiosqlite:///{tmp}/registry_{label}.db"
            else:
                assert cluster is not None
                url = cluster.create_database(f"registry_{label}")
            migrate.upgrade(url)
            started = time.monotonic()
            print(f"{engine}: building the city of {n:,} people", flush=True)
            build(url, n)
            results.setdefault("built", {})[engine, label] = time.monotonic() - started
            urls[label] = url
        cities = (City(urls["small"], SMALL), City(urls["large"], large))
        try:
            small, big = measure(*cities, requests)
        finally:
            for city in cities:
                city.close()
        row = {
            "small": statistics.median(small),
            "large": statistics.median(big),
            "small_p90": statistics.quantiles(small, n=10)[-1],
            "large_p90": statistics.quantiles(big, n=10)[-1],
            "plan": plan(urls["large"]),
            "built": results["built"][engine, "large"],
        }
        row["ratio"] = row["large"] / row["small"]
        results["engines"][engine] = row
        print(
            f"{engine}: {SMALL:,} people p50 {row['small']:.2f} ms, {large:,} people p50 {row['large']:.2f} ms, "
            f"ratio {row['ratio']:.2f}",
            flush=True,
        )
        print("\n".join(row["plan"]), flush=True)
    return results


def section(results: dict[str, Any]) -> list[str]:
    large = results["large"]
    lines = [
        HEADING,
        "",
        "`GET /api/v1/registry/people?id_number=` over real HTTP to a uvicorn server as a system administrator, for a",
        f"random person each time, among {large:,} people against the same among {SMALL:,} (the baseline), the two",
        f"cities' requests alternating, median of {results['requests']} requests each after 10 warm-up rounds",
        "(bench/registry_search.py). Each city has 100 grids, a house per two people, every person a valid GB 11643",
        "number stored encrypted (AES-GCM) with its keyed hash (HMAC-SHA256), an encrypted phone and an open",
        "residency. Each answer is checked (the one person, the number masked). Target: a ratio of at most 2.",
        "",
        f"| engine | {SMALL:,} people p50 ms | p90 ms | {large:,} people p50 ms | p90 ms | ratio of p50 |",
        "|---|---|---|---|---|---|",
    ]
    for engine, r in results["engines"].items():
        lines.append(
            f"| {engine} | {r['small']:.2f} | {r['small_p90']:.2f} | {r['large']:.2f} | {r['large_p90']:.2f} | "
            f"**{r['ratio']:.2f}** |"
        )
    lines += [
        "",
        "Building the large city (people encrypted and hashed in Python, written in batches of 20,000; houses and",
        "residencies by INSERT … SELECT): "
        + ", ".join(f"{e} {r['built']:.0f} s" for e, r in results["engines"].items())
        + ".",
        "",
        "The search query (`registries.service.by_id_number`: the person by hash, scope as a condition on the grid,",
        "their house and open residency joined) in the large city — the hash's index `ix_reg_people_id_number_hash`",
        "finds the one row, and the joins are probes of primary keys and `ix_reg_residencies_person_id`:",
    ]
    for engine, r in results["engines"].items():
        lines += ["", f"{engine}:", "", "```", *r["plan"], "```"]
    lines += [
        "",
        "The milliseconds are mostly the HTTP round trip and the machine's load (other work ran alongside); what grows",
        "with the table is one B-tree descent more or less. SQLite's `SCAN grids` is the caller's scope (here a system",
        "administrator's: the 100 grids), the same in both cities. Made by `bench/run.py --only registry-search`.",
    ]
    lines += ["", f"Run on {datetime.now(UTC):%Y-%m-%d} on a 2-core machine shared with other work.", ""]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--engines", default="postgres,sqlite")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    engines = tuple(args.engines.split(","))
    with PostgresCluster() as cluster, tempfile.TemporaryDirectory() as tmp:
        results = run(cluster, tmp, engines, args.large, args.requests)
    write_section(Path(args.output), HEADING, section(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
