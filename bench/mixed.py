"""Headroom: the mixed load a city makes (bench/locust_mixed.py, run by locust headless) at rising rates, against
the demo street office on PostgreSQL + PostGIS (two web processes, the separate worker) and against a bare
endpoint of the same stack (bench/bare_app.py, two processes, one INSERT), measured in the same run; then SQLite,
the embedded default (`wangge serve`, one process), taken past its capacity.

Each step offers a rate for --seconds (after the users have started, whose time is not counted) and reads what
locust measured: the rate achieved, the 95th percentile and the failures by status. A rate is sustained when
the server achieves at least 90 % of it with no failure and a p95 under 500 ms; the steps rise by --factor until
one is not, then by --refine from the highest sustained one toward it, so that the ceiling is read to within 10 %.
Reported: the highest sustained rate of each, their ratio (target: at least 0.3) and the mixed rate
in Beijing peaks (8 submissions/s = 120 requests/s of this mix, whose cycle has 15 requests); for SQLite, each
step's p95 and share of 503s.

    .venv/bin/python bench/mixed.py [--seconds 20] [--start 20] [--factor 1.3] [--refine 1.1] [--sqlite-start 30]
                                    [--only pg|bare|sqlite]

It needs locust (`pip install locust`; not a dependency of the service). It writes its section of
docs/benchmarks.md (--output).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "backend"), str(ROOT / "bench")]

import httpx  # noqa: E402
from report import write_section  # noqa: E402
from shapely.geometry import shape  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from support.pgcluster import PostgresCluster  # noqa: E402
from support.server import free_port  # noqa: E402
from wangge import migrate  # noqa: E402
from wangge.accounts.security import Passwords  # noqa: E402
from wangge.config import Settings  # noqa: E402
from wangge.database import create_sync_db_engine  # noqa: E402
from wangge.demo import load  # noqa: E402
from wangge.demo.geography import demo_world  # noqa: E402

HEADING = "## Headroom: the mixed load of a city (locust)"
USER_RATE = 2.0  # requests a second per locust user
CYCLE = 15  # requests of the mix per resident submission
BEIJING_PEAK = 8  # submissions a second: Beijing 12345's average (≈0.8/s) ten times over
SECRET = "benchmark-secret-key-that-is-long-enough-0123456789"
LOCUSTFILE = ROOT / "bench" / "locust_mixed.py"


# --- the servers ------------------------------------------------------------------------------------------------


def _env(url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'backend'}:{ROOT / 'bench'}",
        "WANGGE_ENVIRONMENT": "production",
        "WANGGE_DATABASE_URL": url,
        "WANGGE_SECRET_KEY": SECRET,
        "WANGGE_PERSONAL_DATA_KEY": SECRET[::-1],
        "WANGGE_LOG_LEVEL": "WARNING",
        "WANGGE_ARGON2_TIME_COST": "1",
        "WANGGE_ARGON2_MEMORY_KIB": "1024",
        # One address sends the whole city's load here; the per-address limits are for the street.
        "WANGGE_SUBMISSION_LIMIT": "1000000/minute",
        "WANGGE_TRACKING_LIMIT": "1000000/minute",
        "WANGGE_UPLOAD_LIMIT": "1000000/minute",
        "WANGGE_SIGN_IN_ADDRESS_LIMIT": "1000000/minute",
        "WANGGE_FRONTEND_DIST": str(ROOT / "frontend" / "dist"),
        **extra,
    }


def _start(argv: list[str], env: dict[str, str], ready: str, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)  # noqa: S603
    for _ in range(600):
        try:
            if httpx.get(ready, timeout=1).status_code < 500:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{argv} did not start: see {log}")


def _stop(*procs: subprocess.Popen) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()


def _demo(url: str) -> None:
    migrate.upgrade(url)
    engine = create_sync_db_engine(url)
    with Session(engine) as session:
        load.load(session, Passwords(Settings(argon2_time_cost=1, argon2_memory_kib=1024)))
    engine.dispose()


def _wangge(url: str, work: Path, name: str, workers: int, **env: str) -> tuple[list[subprocess.Popen], str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    wangge = str(Path(sys.executable).parent / "wangge")
    argv = [wangge, "serve", "--port", str(port), "--workers", str(workers)]
    web = _start(argv, _env(url, **env), base + "/healthz", work / f"{name}-web.log")
    procs = [web]
    if env.get("WANGGE_EMBEDDED_WORKER") == "false":
        worker = subprocess.Popen(  # noqa: S603
            [wangge, "worker"], env=_env(url, **env), cwd=ROOT, stdout=(work / f"{name}-worker.log").open("w")
        )
        procs.append(worker)
    return procs, base


# --- the city's data for the load -----------------------------------------------------------------------------


def _config(base: str) -> dict[str, Any]:
    """Tokens of the leaders of the chief's community and of the chief, submissions to track and matters to
    read, and points inside the demo's grids."""
    rng = random.Random(5)
    grids = [shape(g["geometry"]) for g in demo_world()["communities"][0]["grids"]]
    points = []
    for g in grids:
        p = g.representative_point()
        points += [(p.y + rng.uniform(-2e-5, 2e-5), p.x + rng.uniform(-2e-5, 2e-5)) for _ in range(10)]
    with httpx.Client(base_url=base, timeout=30) as client:

        def token(username: str) -> str:
            r = client.post("/api/v1/auth/token", data={"username": username, "password": load.DEMO_PASSWORD})
            r.raise_for_status()
            return r.json()["access_token"]

        chief = token("chief")
        me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {chief}"}).json()
        leaders = []
        for n in range(1, 40):
            r = client.post("/api/v1/auth/token", data={"username": f"leader{n}", "password": load.DEMO_PASSWORD})
            if r.status_code != 200:
                break
            t = r.json()["access_token"]
            mine = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {t}"}).json()
            if mine.get("community_id") == me.get("community_id"):
                leaders.append(t)
        tracked = []
        for lat, lon in points[:: max(1, len(points) // 30)]:
            body = {
                "category": "sanitation",
                "description": "占道经营",
                "lat": lat,
                "lon": lon,
                "reporter_phone": "13800138000",
            }
            r = client.post("/api/v1/public/matters", json=body)
            r.raise_for_status()
            tracked.append((r.json()["tracking_code"], r.json()["tracking_token"]))
        listed = client.get(
            "/api/v1/matters?box=all&status=any&limit=100", headers={"Authorization": f"Bearer {chief}"}
        )
        matters = [m["id"] for m in listed.json()["items"]]
    if not leaders or not matters:
        raise RuntimeError("the demo has no leaders or matters in the chief's community")
    return {"leaders": leaders, "chief": chief, "tracked": tracked, "matters": matters, "points": points}


# --- locust -----------------------------------------------------------------------------------------------------


def step(user: str, base: str, rate: float, seconds: int, config: dict[str, Any], work: Path) -> dict[str, Any]:
    users = max(1, math.ceil(rate / USER_RATE))
    prefix = work / f"{user}-{int(rate)}"
    argv = [
        str(Path(sys.executable).parent / "locust"),
        "-f", str(LOCUSTFILE), user, "--headless", "--host", base,
        "-u", str(users), "-r", str(max(1, users // 2)), "--run-time", f"{seconds + 3}s",
        "--reset-stats", "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5",
    ]  # fmt: skip
    env = {**os.environ, "MIXED_CONFIG": json.dumps(config), "MIXED_USER_RATE": str(USER_RATE)}
    subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 120)  # noqa: S603
    with open(f"{prefix}_stats.csv") as f:
        total = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")
    failures: dict[str, int] = {}
    with open(f"{prefix}_failures.csv") as f:
        for r in csv.DictReader(f):
            found = re.search(r"code=(\d+)|HTTPError\('(\d+)", r["Error"])  # the status, or the error itself
            status = next(g for g in found.groups() if g) if found else r["Error"][:60]
            failures[status] = failures.get(status, 0) + int(r["Occurrences"])
    out = {
        "offered": rate,
        "achieved": float(total["Requests/s"]),
        "p95": float(total["95%"] or 0),
        "requests": int(total["Request Count"]),
        "failures": failures,
    }
    out["sustained"] = not failures and out["p95"] < 500 and out["achieved"] >= 0.9 * rate
    print(
        f"  {user} offered {rate:.0f}/s: achieved {out['achieved']:.1f}/s, p95 {out['p95']:.0f} ms, "
        f"failures {failures or 'none'}{'' if out['sustained'] else '  (not sustained)'}",
        flush=True,
    )
    return out


def climb(
    user: str,
    base: str,
    args: argparse.Namespace,
    config: dict[str, Any],
    work: Path,
    *,
    start: float | None = None,
    past: int = 0,
    refine: bool = True,
) -> list[dict[str, Any]]:
    """Steps of rising rate until one is not sustained, and `past` more beyond it; then, with `refine`, steps of
    --refine from the highest sustained rate toward the first that was not, until one is not sustained either (the
    climb's ×1.3 alone reads a ceiling only to within 30 %)."""
    steps, rate, beyond = [], float(start or args.start), 0
    while rate <= args.max:
        steps.append(step(user, base, rate, args.seconds, config, work))
        if not steps[-1]["sustained"]:
            beyond += 1
            if beyond > past:
                break
        rate *= args.factor
    held, failed = best(steps), next((s for s in steps if not s["sustained"]), None)
    if refine and held and failed:
        rate = held["offered"] * args.refine
        while rate < failed["offered"] * 0.98:
            steps.append(step(user, base, rate, args.seconds, config, work))
            if not steps[-1]["sustained"]:
                break
            rate *= args.refine
    return sorted(steps, key=lambda s: s["offered"])


def best(steps: list[dict[str, Any]]) -> dict[str, Any] | None:
    held = [s for s in steps if s["sustained"]]
    return max(held, key=lambda s: s["achieved"]) if held else None


# --- the run ----------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--start", type=float, default=20)
    parser.add_argument("--factor", type=float, default=1.3)
    parser.add_argument("--refine", type=float, default=1.1, help="the steps between the last sustained and the next")
    parser.add_argument("--sqlite-start", type=float, default=30, help="SQLite's first step (it sustains less)")
    parser.add_argument("--max", type=float, default=3000)
    parser.add_argument("--only", choices=("pg", "bare", "sqlite"))
    parser.add_argument("--web-processes", type=int, default=2, help="of the PostgreSQL setup and the bare endpoint")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wangge-mixed-"))
    print(f"logs and locust's CSV files in {work}", flush=True)
    results: dict[str, list[dict[str, Any]]] = {}
    with PostgresCluster() as cluster:
        if args.only in (None, "pg"):
            url = cluster.create_database("mixed")
            _demo(url)
            procs, base = _wangge(url, work, "pg", args.web_processes, WANGGE_EMBEDDED_WORKER="false")
            try:
                config = _config(base)
                print("PostgreSQL, mixed:", flush=True)
                results["pg"] = climb("MixedUser", base, args, config, work)
            finally:
                _stop(*procs)
        if args.only in (None, "bare"):
            bare_url = cluster.create_database("bare", postgis=False)
            import bare_app  # its table, made once here (two processes that both make it race)

            engine = create_sync_db_engine(bare_url)
            bare_app.metadata.create_all(engine)
            engine.dispose()
            port = free_port()
            argv = [sys.executable, "-m", "uvicorn", "bare_app:create_app", "--factory", "--port", str(port),
                    "--workers", str(args.web_processes), "--log-level", "warning", "--no-access-log"]  # fmt: skip
            env = {**_env(bare_url), "BENCH_DATABASE_URL": bare_url}
            bare = _start(argv, env, f"http://127.0.0.1:{port}/docs", work / "bare.log")
            try:
                print("PostgreSQL, bare endpoint:", flush=True)
                results["bare"] = climb("BareUser", f"http://127.0.0.1:{port}", args, {}, work)
            finally:
                _stop(bare)
    if args.only in (None, "sqlite"):
        url = f"sqlite+aiosqlite:///{work / 'mixed.db'}"
        _demo(url)
        procs, base = _wangge(url, work, "sqlite", 1)
        try:
            config = _config(base)
            print("SQLite, mixed (past its capacity):", flush=True)
            results["sqlite"] = climb(
                "MixedUser", base, args, config, work, start=args.sqlite_start, past=3, refine=False
            )
        finally:
            _stop(*procs)
    (work / "results.json").write_text(json.dumps(results, indent=1))
    lines = report(results, args)
    if args.only is None:
        write_section(Path(args.output), HEADING, lines)
    print("\n".join(lines))
    return 0


def report(results: dict[str, list[dict[str, Any]]], args: argparse.Namespace) -> list[str]:
    def row(label: str, s: dict[str, Any]) -> str:
        failed = sum(s["failures"].values())
        codes = ", ".join(f"{k}×{v}" for k, v in s["failures"].items())
        share = f"{100 * failed / max(1, s['requests']):.1f} % ({codes})" if failed else "none"
        return f"| {label} | {s['offered']:.0f} | {s['achieved']:.1f} | {s['p95']:.0f} | {share} |"

    lines = [
        HEADING,
        "",
        "bench/mixed.py drives bench/locust_mixed.py with locust (headless, on the same 2-core machine as the "
        "servers): "
        f"per resident submission 3 tracking reads, 5 inbox and list reads, 2 record reads, 1 staff action, 2 GPS "
        f"batches of 20 points and 1 locate ({CYCLE} requests). Steps of {args.seconds} s at rates rising by "
        f"×{args.factor} until one is not sustained, then by ×{args.refine} from the highest sustained one toward "
        "it (for PostgreSQL and the bare endpoint alike); a rate is sustained when at least 90 % of it is achieved "
        "with no failure and p95 < 500 ms. "
        "Each locust user starts at a random moment of its first period, so that requests do not arrive in step.",
        "",
        "| server | offered /s | achieved /s | p95 ms | failures |",
        "|---|---|---|---|---|",
    ]
    labels = {
        "pg": f"PostgreSQL, mixed ({args.web_processes} web processes + worker)",
        "bare": f"PostgreSQL, bare insert ({args.web_processes} processes)",
        "sqlite": "SQLite, mixed (`wangge serve`)",
    }
    for key, steps in results.items():
        lines += [row(labels[key], s) for s in steps]
    pg, bare = best(results.get("pg", [])), best(results.get("bare", []))
    lines.append("")
    if pg and bare:
        ratio = pg["achieved"] / bare["achieved"]
        peaks = pg["achieved"] / CYCLE / BEIJING_PEAK
        lines.append(
            f"Sustained: mixed **{pg['achieved']:.0f}/s** against the bare endpoint's **{bare['achieved']:.0f}/s**: "
            f"ratio **{ratio:.2f}** (target: at least 0.3). That is {pg['achieved'] / CYCLE:.1f} submissions/s with "
            f"their reads and actions, **{peaks:.2f}×** Beijing's peak of {BEIJING_PEAK}/s (goal: 2×)."
        )
    if "sqlite" in results:
        sq = results["sqlite"]
        top = best(sq)
        worst_p95 = max(s["p95"] for s in sq)
        other = {k for s in sq for k in s["failures"] if k != "503"}
        refused = sum(s["failures"].get("503", 0) for s in sq)
        lines.append(
            (
                f"SQLite sustains {top['achieved']:.0f}/s. Past it, admission (16 requests inside, at most 2 s of "
                f"waiting, then 503 with Retry-After) holds the excess in line: the rate achieved stays at "
                f"{min(s['achieved'] for s in sq if not s['sustained']):.0f}–"
                f"{max(s['achieved'] for s in sq if not s['sustained']):.0f}/s and p95 at most "
                f"{worst_p95 / 1000:.1f} s, with {refused:,} requests answered 503"
                + (f" and failures other than 503: {', '.join(sorted(other))}" if other else " and no other failure")
                + " (locust's users wait for each answer, so what is offered past capacity waits in line rather than "
                "piling up)."
            )
            if top
            else "SQLite sustained no step."
        )
    lines.append(f"Run on {datetime.now(UTC):%Y-%m-%d}.")
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
