"""How long `wangge generate` takes on PostgreSQL + PostGIS: a throwaway cluster, migrated, filled with a city of
--grids grids and --matters matters (defaults: the issue's 100,000 and 10,000,000), then the size of what it made.

    .venv/bin/python bench/generate.py [--grids 100000] [--matters 10000000] [--patrols 100000]

It writes its section of docs/benchmarks.md (--output). Target: within an hour on a 2-core machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "backend"), str(ROOT / "bench")]

from report import write_section  # noqa: E402
from sqlalchemy import text  # noqa: E402

from support.pgcluster import PostgresCluster  # noqa: E402
from wangge import generate, migrate  # noqa: E402
from wangge.accounts.security import Passwords  # noqa: E402
from wangge.config import Settings  # noqa: E402
from wangge.database import create_sync_db_engine  # noqa: E402
from wangge.models_common import utcnow  # noqa: E402

HEADING = "## Generating a city: `wangge generate`"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grids", type=int, default=100_000)
    parser.add_argument("--matters", type=int, default=10_000_000)
    parser.add_argument("--patrols", type=int, default=100_000)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    with PostgresCluster() as cluster:
        url = cluster.create_database("generated")
        migrate.upgrade(url)
        engine = create_sync_db_engine(url)
        plan = generate.Plan(
            grids=args.grids,
            matters=args.matters,
            patrols=args.patrols,
            seed=1,
            password_hash=Passwords(Settings(argon2_time_cost=1, argon2_memory_kib=1024)).hash("wangge2026"),
            now=utcnow(),
        )
        started = time.monotonic()
        timings = generate.generate(engine, plan, say=lambda line: print(line, flush=True))
        total = time.monotonic() - started
        with engine.connect() as conn:
            size = conn.execute(text("SELECT pg_size_pretty(pg_database_size(current_database()))")).scalar()
            counts = {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()  # noqa: S608 - our table names
                for t in ("grids", "users", "matters", "handoffs", "matter_events", "patrols", "patrol_points")
            }
        engine.dispose()
    lines = [
        HEADING,
        "",
        f"A throwaway PostgreSQL + PostGIS cluster, migrated, then `wangge generate --grids {args.grids} "
        f"--matters {args.matters} --patrols {args.patrols}` (bench/generate.py): set-based SQL, one INSERT … SELECT "
        "per million rows. Target: 10,000,000 matters and 100,000 grids within an hour on this machine.",
        "",
        "| step | seconds |",
        "|---|---|",
        *[f"| {name} | {seconds:.0f} |" for name, seconds in timings.items()],
        f"| **in all** | **{total:.0f}** ({total / 60:.1f} min) |",
        "",
        "Rows: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()) + f"; database size {size}.",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d} on a 2-core machine.",
    ]
    write_section(Path(args.output), HEADING, lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
