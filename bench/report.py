"""docs/benchmarks.md, one section per benchmark: a run rewrites its own section and keeps the others; and the
plans the benchmark notes show."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def explain(conn: Any, stmt: Any) -> list[str]:
    """The plan of a SQLAlchemy statement on this connection, as lines: SQLite's EXPLAIN QUERY PLAN; PostgreSQL's
    EXPLAIN ANALYZE without costs, timings or summary (what the plan does, not how long this run took), with no
    parallel workers, as the app's connections run (wangge.database)."""
    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    if conn.dialect.name == "sqlite":
        return [r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql).all()]
    conn.exec_driver_sql("SET max_parallel_workers_per_gather = 0")
    return [r[0] for r in conn.exec_driver_sql("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql).all()]


def write_section(path: Path, heading: str, lines: list[str]) -> None:
    """Replace the section that starts with `heading` (up to the next `## `), or append it."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    head, found, rest = old.partition(heading)
    tail = ""
    if found:
        after = rest.find("\n## ")
        tail = rest[after + 1 :] if after >= 0 else ""
    body = "\n".join([heading, *lines]) if lines and lines[0] != heading else "\n".join(lines)
    path.write_text(head.rstrip("\n") + "\n\n" + body.rstrip("\n") + "\n" + ("\n" + tail if tail else ""), "utf-8")
