"""The desk's table of matters as history grows: its pages (default, filtered, searched, each sort, the page after a
cursor) and its Excel export, as the station chief, the street officer and the administrator of the busiest grid,
on a city of --grids grids with --large matters against one of 10,000 matters with as many per grid. The cities and
the measuring are bench/lists.py's (throwaway PostgreSQL, `wangge generate`, real HTTP, medians of alternating
requests); this script only names its own lists. Target: every ratio at most 1.5.

    .venv/bin/python bench/desk_table.py [--grids 10000] [--large 1000000] [--requests 15] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "backend"), str(ROOT / "bench")]

import lists  # noqa: E402
from report import write_section  # noqa: E402

from support.pgcluster import PostgresCluster  # noqa: E402

HEADING = "## The desk's table of matters as history grows"
TABLE = "/api/v1/matters/table"
EXPORT = "/api/v1/matters/export.xlsx"
DESK_LISTS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("station chief: newest first", "chief", TABLE, {}),
    (
        "station chief: open, by deadline",
        "chief",
        TABLE,
        {"status": ["submitted", "accepted", "handling"], "sort": "due"},
    ),
    ("station chief: overdue", "chief", TABLE, {"overdue": "true"}),
    ("station chief: by status", "chief", TABLE, {"sort": "status"}),
    ("station chief: one category, one source", "chief", TABLE, {"category_id": 1, "source": "resident"}),
    ("station chief: search in descriptions", "chief", TABLE, {"q": "生成事项第1号"}),
    ("station chief: page after a cursor", "chief", TABLE, {"after": "from the first page"}),
    ("station chief: Excel export", "chief", EXPORT, {}),
    ("street officer: newest first", "street", TABLE, {}),
    (
        "street officer: open, by deadline, descending",
        "street",
        TABLE,
        {"status": ["accepted", "handling"], "sort": "-due"},
    ),
    ("street officer: everything by deadline", "street", TABLE, {"sort": "due"}),
    ("administrator: newest first", "admin", TABLE, {}),
    ("administrator: overdue, by deadline", "admin", TABLE, {"overdue": "true", "sort": "due"}),
]


class DeskCity(lists.City):
    """A city whose requests may follow a cursor (fetched once, from the first page) and read a file."""

    cursors: dict[str, str]

    def request(self, label: str, role: str, path: str, query: dict[str, Any]) -> tuple[float, Any]:
        if query.get("after") == "from the first page":
            if not hasattr(self, "cursors"):
                self.cursors = {}
            if role not in self.cursors:
                _, first = super().request(label, role, path, {})
                self.cursors[role] = first["next_after"]
            query = {**query, "after": self.cursors[role]}
        if path == EXPORT:
            started = time.perf_counter()
            r = self.client.get(path, params=query, headers=self.tokens.get(role, {}))
            elapsed = (time.perf_counter() - started) * 1000
            if r.status_code != 200:
                raise RuntimeError(f"{label}: {r.status_code} {r.text[:200]}")
            return elapsed, {"items": [None] * int(r.headers["x-export-rows"])}
        return super().request(label, role, path, query)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grids", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--keep", type=Path, help="keep the cluster in this folder, and reuse the cities already there")
    args = parser.parse_args()
    lists.LISTS[:] = DESK_LISTS
    with PostgresCluster(args.keep) as cluster:
        small_grids = max(100, args.grids * lists.SMALL // args.large)
        small_url, small_people = lists.build(cluster, f"lists_small_{small_grids}", small_grids, lists.SMALL)
        large_url, large_people = lists.build(cluster, f"lists_large_{args.large}", args.grids, args.large)
        cities = [DeskCity(small_url, small_people), DeskCity(large_url, large_people)]
        try:
            small, large = lists.measure(cities, args.requests)
        finally:
            for city in cities:
                city.close()
    worst = max(large[k] / small[k] for k in small)
    lines = [
        HEADING,
        "",
        f"GET /matters/table and /matters/export.xlsx on a city of {args.grids:,} grids with {args.large:,} matters "
        f"against one of {small_grids:,} grids with {lists.SMALL:,} (as many per grid), as the busiest grid's "
        f"station chief, street officer and a system administrator; median of {args.requests} requests after 2 "
        "warm-up ones, the cities alternating (bench/desk_table.py, with bench/lists.py's cities). Rows: what the "
        "answer held (the export: rows in the file). Target: every ratio at most 1.5.",
        "",
        f"| list | rows | {lists.SMALL:,} ms | {args.large:,} ms | ratio |",
        "|---|---|---|---|---|",
        *[
            f"| {k} | {lists.ROWS[small_url, k]} / {lists.ROWS[large_url, k]} | {small[k]:.1f} | {large[k]:.1f} | "
            f"**{large[k] / small[k]:.2f}** |"
            for k in small
        ],
        "",
        f"Worst ratio: {worst:.2f}. Run on {datetime.now(UTC):%Y-%m-%d} on a 2-core machine.",
    ]
    write_section(Path(args.output), HEADING, lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
