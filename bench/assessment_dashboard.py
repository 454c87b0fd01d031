"""A street's monthly assessment as history grows: the street officer's dashboard, figures and ranked table of the
last whole month, on a city of --large matters against one of 10,000, the street holding as many matters in both
(the large city has as many matters per grid, over 100 times as many grids: what is compared is the cost of tables
100 times larger, not of a busier street). The cities and the measuring are bench/lists.py's (throwaway PostgreSQL,
`wangge generate`, real HTTP, medians of alternating requests). Target: every ratio at most 2. It also prints the
plan of the main query — the matters' GROUP BY over the street's communities — in the large city.

    .venv/bin/python bench/assessment_dashboard.py [--large 1000000] [--requests 15] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "backend"), str(ROOT / "bench")]

import lists  # noqa: E402
from report import write_section  # noqa: E402
from sqlalchemy import and_, text  # noqa: E402

from support.pgcluster import PostgresCluster  # noqa: E402
from wangge.assessment import matter_figures, periods  # noqa: E402
from wangge.database import create_sync_db_engine  # noqa: E402
from wangge.generate import COMMUNITIES_PER_STREET, GRIDS_PER_COMMUNITY  # noqa: E402
from wangge.matters.models import Matter  # noqa: E402
from wangge.models_common import utcnow  # noqa: E402

HEADING = "## A street's monthly assessment as history grows"
STREET_GRIDS = GRIDS_PER_COMMUNITY * COMMUNITIES_PER_STREET
SMALL = 10_000
LAST_MONTH = periods.previous(periods.period_of("month", periods.today()))
MONTH = {"period": "month", "at": LAST_MONTH.start.isoformat()}
ASSESSMENT_LISTS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("street officer: the street's dashboard", "street", "/api/v1/assessment/dashboard", {"level": "street"}),
    ("street officer: the street's figures", "street", "/api/v1/assessment/figures", {"level": "street"}),
    (
        "street officer: its communities ranked",
        "street",
        "/api/v1/assessment/table",
        {"level": "community", "parent_level": "street"},
    ),
    ("station chief: the community's dashboard", "chief", "/api/v1/assessment/dashboard", {"level": "community"}),
]


class AssessmentCity(lists.City):
    """A city whose requests name the street officer's street and the chief's community."""

    def __init__(self, url: str, people: dict[str, Any]) -> None:
        super().__init__(url, people)
        engine = create_sync_db_engine(url)
        with engine.connect() as conn:
            self.street_id, self.community_id = conn.execute(
                text(
                    "SELECT (SELECT street_id FROM users WHERE username = :street), "
                    "(SELECT community_id FROM users WHERE username = :chief)"
                ),
                {"street": people["street"], "chief": people["chief"]},
            ).one()
        engine.dispose()

    def request(self, label: str, role: str, path: str, query: dict[str, Any]) -> tuple[float, Any]:
        query = {**MONTH, **query}
        if "parent_level" in query:
            query["parent_id"] = self.street_id
        else:
            query["id"] = self.street_id if query["level"] == "street" else self.community_id
        elapsed, body = super().request(label, role, path, query)
        if "rows" in body:
            return elapsed, {"items": body["rows"]}
        if "children" in body:
            return elapsed, {"items": body["children"]}
        return elapsed, {"items": [None] * body["figures"]["received"]}


def explain(url: str, street_id: int) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the matters' GROUP BY over the street's communities for the month."""
    engine = create_sync_db_engine(url)
    start, end = periods.utc_bounds(LAST_MONTH)
    with engine.connect() as conn:
        communities = [
            r[0] for r in conn.execute(text("SELECT id FROM communities WHERE street_id = :s"), {"s": street_id})
        ]
        column = Matter.community_id
        in_period = and_(column.in_(communities), Matter.created_at >= start, Matter.created_at < end)
        statement = matter_figures.tally_statement(column, in_period, matter_figures.conditions(utcnow()))
        compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
        explained = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + str(compiled), compiled.params)
        plan = [r[0] for r in explained]
    engine.dispose()
    return plan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--keep", type=Path, help="keep the cluster in this folder, and reuse the cities already there")
    args = parser.parse_args()
    lists.LISTS[:] = ASSESSMENT_LISTS
    large_grids = STREET_GRIDS * args.large // SMALL  # as many matters per grid as the one street of the small city
    with PostgresCluster(args.keep) as cluster:
        small_url, small_people = lists.build(cluster, f"assessment_small_{STREET_GRIDS}", STREET_GRIDS, SMALL)
        large_url, large_people = lists.build(cluster, f"assessment_large_{args.large}", large_grids, args.large)
        cities = [AssessmentCity(small_url, small_people), AssessmentCity(large_url, large_people)]
        try:
            small, large = lists.measure(cities, args.requests)
            plan = explain(large_url, cities[1].street_id)
        finally:
            for city in cities:
                city.close()
    worst = max(large[k] / small[k] for k in small)
    lines = [
        HEADING,
        "",
        f"GET /assessment/dashboard, /assessment/figures and /assessment/table of {LAST_MONTH.label_en} for the "
        f"busiest grid's street (its officer) and community (its chief), on a city of {large_grids:,} grids with "
        f"{args.large:,} matters over two years against one of {STREET_GRIDS:,} grids (one street) with "
        f"{SMALL:,}, so that the street holds as many matters in both; every family of figures (matters, field "
        f"work, hazards, emergencies), the month computed from the records (not frozen). Median of {args.requests} "
        "requests after 2 warm-up ones, the cities alternating (bench/assessment_dashboard.py, with bench/lists.py's "
        "cities). Rows: the children ranked (the figures: the matters received). Target: every ratio at most 2.",
        "",
        f"| request | rows | {SMALL:,} ms | {args.large:,} ms | ratio |",
        "|---|---|---|---|---|",
        *[
            f"| {k} | {lists.ROWS[small_url, k]} / {lists.ROWS[large_url, k]} | {small[k]:.1f} | {large[k]:.1f} | "
            f"**{large[k] / small[k]:.2f}** |"
            for k in small
        ],
        "",
        f"Worst ratio: {worst:.2f}. Run on {datetime.now(UTC):%Y-%m-%d} on a 2-core machine.",
        "",
        f"The main query (the matters' GROUP BY over the street's {COMMUNITIES_PER_STREET} communities, "
        f"`assessment.matter_figures.tally_statement`) in the city of {args.large:,} matters:",
        "",
        "```",
        *plan,
        "```",
    ]
    write_section(Path(args.output), HEADING, lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
