"""Patrols: storing a 1,000-point batch of GPS points, and the coverage of one grid for a week, each against a
baseline measured in the same run on the same server.

- batch: `POST /api/v1/patrols/{id}/points` with 1,000 points into a new patrol, against a 10-point batch (the
  baseline); the figure is the cost per point of the large batch over that of the small one. Also shown: a
  1,000-point batch appended to a patrol that already holds 9,000 points (the merge works over the whole track).
- coverage: `GET /api/v1/grids/{id}/coverage?week=` over 7 patrols of 1,000 points each, against `?day=` over one
  patrol of 1,000 points (the baseline).

    .venv/bin/python bench/fieldwork.py [--engines postgres,sqlite] [--repeats 15]

Run alone, it rewrites only its own section of docs/benchmarks.md; bench/run.py includes it in the full report.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "backend")]

import httpx  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from support import world as world_mod  # noqa: E402
from support.server import LiveServer  # noqa: E402
from wangge import migrate  # noqa: E402
from wangge.config import Settings  # noqa: E402
from wangge.database import create_sync_db_engine  # noqa: E402

SECRET = "benchmark-secret-key-that-is-long-enough-0123456789"
MONDAY = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
SECTION = "## Patrols: GPS batches and grid coverage"


def walk(n: int, start: datetime, seed: int, prefix: str) -> list[dict[str, Any]]:
    """A patrol inside G1a (113.000–113.003, 28.100–28.103): a walk at ~1.3 m/s, a fix every 3 s, turning now
    and then and bouncing off the grid's edges."""
    rng = random.Random(seed)
    lon, lat = 113.0015, 28.1015
    heading = rng.uniform(0, 2 * math.pi)
    out = []
    for i in range(n):
        if rng.random() < 0.05:
            heading += rng.uniform(-math.pi / 2, math.pi / 2)
        step = 4.0 / 111_000  # ~4 m in degrees of latitude
        lon += step * math.cos(heading) / math.cos(math.radians(lat))
        lat += step * math.sin(heading)
        if not 113.0002 < lon < 113.0028:
            heading = math.pi - heading
            lon = min(max(lon, 113.0002), 113.0028)
        if not 28.1002 < lat < 28.1028:
            heading = -heading
            lat = min(max(lat, 28.1002), 28.1028)
        out.append(
            {
                "client_id": f"{prefix}-{i}",
                "recorded_at": (start + timedelta(seconds=3 * i)).isoformat(),
                "lat": round(lat, 7),
                "lon": round(lon, 7),
                "accuracy_m": 5.0,
            }
        )
    return out


class Api:
    def __init__(self, client: httpx.Client, headers: dict[str, str]) -> None:
        self.client, self.headers, self.n = client, headers, 0

    def patrol(self, started_at: datetime) -> int:
        self.n += 1
        r = self.client.post(
            "/api/v1/patrols",
            json={"client_id": f"bench-{self.n}", "started_at": started_at.isoformat()},
            headers=self.headers,
        )
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def send(self, patrol_id: int, points: list[dict[str, Any]]) -> float:
        self.n += 1
        batch = f"batch-{self.n}"
        started = time.perf_counter()
        r = self.client.post(
            f"/api/v1/patrols/{patrol_id}/points",
            json={"batch_id": batch, "points": points},
            headers={**self.headers, "Idempotency-Key": batch},
        )
        elapsed = (time.perf_counter() - started) * 1000
        assert r.status_code == 200 and r.json()["new_points"] == len(points), r.text
        return elapsed

    def coverage(self, grid_id: int, **params: str) -> tuple[float, dict[str, Any]]:
        started = time.perf_counter()
        r = self.client.get(f"/api/v1/grids/{grid_id}/coverage", params=params, headers=self.headers)
        elapsed = (time.perf_counter() - started) * 1000
        assert r.status_code == 200, r.text
        return elapsed, r.json()


def measure(url: str, repeats: int) -> dict[str, Any]:
    migrate.upgrade(url)
    settings = Settings(
        database_url=url,
        environment="test",
        secret_key=SECRET,
        log_level="WARNING",
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        embedded_worker=False,
        max_body_bytes=2 * 1024 * 1024,
    )
    engine = create_sync_db_engine(url)
    world_mod.reset(engine)
    with Session(engine) as session:
        w = world_mod.build(session, settings, PasswordHasher(time_cost=1, memory_cost=1024).hash("x"))
    engine.dispose()
    server = LiveServer(settings).start()
    try:
        with httpx.Client(base_url=server.base_url, timeout=120) as client:
            api = Api(client, w.headers("grid_leader"))
            grid = w.ids["G1a"]
            # Batches go into patrols of another week, so that the coverage figures below see only their own.
            other = MONDAY + timedelta(days=14)
            small, large = [], []
            for k in range(repeats + 2):
                t_small = api.send(api.patrol(other), walk(10, other, seed=k, prefix="s"))
                t_large = api.send(api.patrol(other), walk(1000, other, seed=k, prefix="l"))
                if k >= 2:  # warm-up
                    small.append(t_small)
                    large.append(t_large)
            appended = []
            for n in range(3):
                long_patrol = api.patrol(other)
                for k in range(10):
                    start = other + timedelta(seconds=3000 * k)
                    elapsed = api.send(long_patrol, walk(1000, start, seed=100 + 10 * n + k, prefix=f"a{k}"))
                    if k == 9:
                        appended.append(elapsed)

            # A phone's 20-point batch onto a new patrol, and onto one that holds 9,000 points already: appending
            # costs the batch, not the track (fieldwork/tracks.extend).
            long_patrol = api.patrol(other)
            for k in range(9):
                api.send(long_patrol, walk(1000, other + timedelta(seconds=3000 * k), seed=300 + k, prefix=f"n{k}"))
            fresh, onto = [], []
            for k in range(repeats + 2):
                t_fresh = api.send(api.patrol(other), walk(20, other, seed=400 + k, prefix="f"))
                later = other + timedelta(seconds=27_000 + 60 * k)
                t_onto = api.send(long_patrol, walk(20, later, seed=500 + k, prefix=f"o{k}"))
                if k >= 2:
                    fresh.append(t_fresh)
                    onto.append(t_onto)

            for day in range(7):
                start = MONDAY + timedelta(days=day)
                api.send(api.patrol(start), walk(1000, start, seed=200 + day, prefix=f"w{day}"))
            day_times, week_times = [], []
            for k in range(repeats + 3):
                t_day, day_out = api.coverage(grid, day="2026-03-02")
                t_week, week_out = api.coverage(grid, week="2026-03-02")
                if k >= 3:
                    day_times.append(t_day)
                    week_times.append(t_week)
    finally:
        server.stop()
    s50, l50 = statistics.median(small), statistics.median(large)
    d50, w50 = statistics.median(day_times), statistics.median(week_times)
    return {
        "small_ms": s50,
        "large_ms": l50,
        "appended_ms": statistics.median(appended),
        "fresh20_ms": statistics.median(fresh),
        "onto9000_ms": statistics.median(onto),
        "growth_ratio": statistics.median(onto) / statistics.median(fresh),
        "per_point_ratio": (l50 / 1000) / (s50 / 10),
        "day_ms": d50,
        "week_ms": w50,
        "coverage_ratio": w50 / d50,
        "day_share": day_out["covered_share"],
        "week_share": week_out["covered_share"],
        "week_patrols": week_out["patrol_count"],
        "week_km": week_out["distance_m"] / 1000,
        "repeats": repeats,
    }


def run(cluster: Any, tmp: str, engines: tuple[str, ...] = ("postgres", "sqlite"), repeats: int = 15) -> dict:
    results = {}
    for engine in engines:
        url = f"sqlite+aiosqlite:///{tmp}/fieldwork.db" if engine == "sqlite" else cluster.create_database("bench_fw")
        r = measure(url, repeats)
        results[engine] = r
        print(
            f"{engine:8} batch 10: {r['small_ms']:.1f} ms, 1000: {r['large_ms']:.1f} ms "
            f"(per point {r['per_point_ratio']:.3f} of the small batch's), 1000 onto 9000: {r['appended_ms']:.1f} ms; "
            f"20 onto 0: {r['fresh20_ms']:.1f} ms, onto 9000: {r['onto9000_ms']:.1f} ms (x{r['growth_ratio']:.2f}); "
            f"coverage day {r['day_ms']:.1f} ms, week {r['week_ms']:.1f} ms (x{r['coverage_ratio']:.2f})",
            flush=True,
        )
    return results


def section(results: dict[str, Any]) -> list[str]:
    repeats = next(iter(results.values()))["repeats"] if results else 0
    lines = [
        SECTION,
        "",
        "Storing a batch: `POST /api/v1/patrols/{id}/points` over real HTTP. A batch that comes after every stored",
        "point is flagged and measured from the last good point and appended to the track (fieldwork/tracks.extend);",
        "a late batch that reaches back rebuilds the track from every point. Median of",
        f"{repeats} batches after 2 warm-up ones (of 3 for the 1,000-onto-9,000 column). Baseline: a 10-point batch",
        "in the same run.",
        "",
        "| engine | 10 points ms | 1,000 points ms | cost per point, 1,000 vs 10 | 1,000 onto 9,000 stored, ms |",
        "|---|---|---|---|---|",
    ]
    for engine, r in results.items():
        lines.append(
            f"| {engine} | {r['small_ms']:.1f} | {r['large_ms']:.1f} | **{r['per_point_ratio']:.3f}** | "
            f"{r['appended_ms']:.1f} |"
        )
    lines += [
        "",
        "Per batch as a patrol grows: a 20-point batch (what a phone sends every minute) into a new patrol, against",
        "the same onto a patrol that holds 9,000 points (a long day). Target: at most 1.5 times.",
        "",
        "| engine | 20 onto 0 stored, ms | 20 onto 9,000 stored, ms | ratio |",
        "|---|---|---|---|",
    ]
    for engine, r in results.items():
        lines.append(f"| {engine} | {r['fresh20_ms']:.1f} | {r['onto9000_ms']:.1f} | **{r['growth_ratio']:.2f}** |")
    lines += [
        "",
        "Coverage: `GET /api/v1/grids/{id}/coverage` of one grid, the share within 30 m of a track computed by the",
        "database (ST_Transform to the UTM zone, ST_Buffer of each track, ST_Intersection with the grid, the ST_Union",
        f"aggregate, ST_Area). Median of {repeats} requests after 3 warm-up ones. Baseline: one day with one patrol",
        "of 1,000 points; measured: the week with 7 patrols of 1,000 points (one a day).",
        "",
        "| engine | day ms (1 patrol) | week ms (7 patrols) | ratio | share day / week | week km |",
        "|---|---|---|---|---|---|",
    ]
    for engine, r in results.items():
        lines.append(
            f"| {engine} | {r['day_ms']:.1f} | {r['week_ms']:.1f} | **{r['coverage_ratio']:.2f}** | "
            f"{r['day_share']:.2f} / {r['week_share']:.2f} | {r['week_km']:.1f} |"
        )
    lines += [
        "",
        "Targets: a 1,000-point batch costs less per point than a 10-point one (ratio below 1), and a week of",
        "coverage (7 patrols) at most 7 times a day's (1 patrol).",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d}; the client and the server share the machine.",
        "",
    ]
    return lines


def write_section(path: Path, lines: list[str]) -> None:
    """Replace this benchmark's section of the report (or add it at the end), keeping every other section."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if SECTION in text:
        before, rest = text.split(SECTION, 1)
        nxt = rest.find("\n## ")
        after = rest[nxt + 1 :] if nxt >= 0 else ""
    else:
        before, after = text.rstrip("\n") + "\n\n", ""
    path.write_text(before + "\n".join(lines) + ("\n" + after if after else ""), encoding="utf-8")


def main() -> int:
    from support.pgcluster import PostgresCluster

    parser = argparse.ArgumentParser()
    parser.add_argument("--engines", default="postgres,sqlite")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    engines = tuple(e for e in args.engines.split(",") if e)
    with PostgresCluster() as cluster, tempfile.TemporaryDirectory() as tmp:
        results = run(cluster, tmp, engines, args.repeats)
    write_section(Path(args.output), section(results))
    print(f"wrote the patrols section of {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
