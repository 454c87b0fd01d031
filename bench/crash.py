"""Crash test: `kill -9` the web server (master and its 3 workers) and the outbox worker during a steady stream of
resident submissions on PostgreSQL + PostGIS, restart them, and check that nothing acknowledged is lost or doubled
and that every outbox event is delivered after the restart (the events a killed worker held included).

Not part of `make test` (it takes minutes and kills processes); run it with `make bench-crash` or
`.venv/bin/python bench/crash.py [--submissions 400] [--concurrency 6]`. It writes its results into
docs/benchmarks.md under its own heading. Everything stays on 127.0.0.1; every loop is bounded in count and time.

- A throwaway PostgreSQL cluster (tests/support/pgcluster.py) with the demo street office.
- `uvicorn --factory wangge.main:create_app --workers 3` with WANGGE_EMBEDDED_WORKER=false, plus `wangge worker`
  delivering webhooks to a receiver in this script that answers slowly (so a killed worker holds leased events).
- Clients post `POST /api/v1/public/matters`, each submission with its own Idempotency-Key, retrying with the same
  key and body on connection errors, 5xx and 429 (honouring Retry-After).
- Three kills at 25 %, 50 % and 75 % of the acknowledgements: web and worker together, the web alone, the worker
  alone. Each is `SIGKILL` to the process group the script started, then a restart after --down seconds.
- Checks: every acknowledged (2xx) submission is one matter with the acknowledged tracking code; no submission is
  stored twice; every outbox event is delivered and reached the webhook; how long after the worker's restart the
  events it held and all pending events were delivered (target: within a minute).

Throttling of public submissions per client address (issue 8) would slow this stream from one address: pass the
limit's setting with `--env WANGGE_...=...` (repeatable) to lift it; a 429 is retried meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "backend"), str(ROOT / "bench")]

import httpx  # noqa: E402
from intake import points  # noqa: E402
from report import write_section  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from support.pgcluster import PostgresCluster  # noqa: E402
from support.processes import Db, Outcome, Receiver, Service, submit, until_delivered, wait_ready  # noqa: E402
from support.server import free_port  # noqa: E402
from wangge import migrate  # noqa: E402
from wangge.accounts.security import Passwords  # noqa: E402
from wangge.config import Settings  # noqa: E402
from wangge.database import create_sync_db_engine  # noqa: E402
from wangge.demo import load  # noqa: E402
from wangge.notify.worker import lease_for  # noqa: E402

SECRET = "crash-test-secret-key-that-is-long-enough-0123456789"
WEBHOOK_SECRET = "crash-test-webhook-secret"
HEADING = "## Crash: kill -9 during a stream of submissions"


# --- the run ----------------------------------------------------------------------------------------------------


@dataclass
class Kill:
    label: str
    web: bool
    worker: bool
    at_acks: int = 0
    held: int = 0
    web_ready_s: float | None = None
    held_delivered_s: float | None = None


async def run(args: argparse.Namespace, cluster: PostgresCluster, work: Path) -> dict[str, Any]:
    url = cluster.create_database("crash")
    migrate.upgrade(url)
    engine = create_sync_db_engine(url)
    with Session(engine) as session:
        load.load(session, Passwords(Settings(argon2_time_cost=1, argon2_memory_kib=1024)))
    engine.dispose()
    db = Db(url)

    receiver = Receiver(args.webhook_delay)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "backend"),
        "WANGGE_ENVIRONMENT": "production",
        "WANGGE_DATABASE_URL": url,
        "WANGGE_SECRET_KEY": SECRET,
        "WANGGE_PERSONAL_DATA_KEY": SECRET[::-1],
        "WANGGE_LOG_LEVEL": "WARNING",
        "WANGGE_EMBEDDED_WORKER": "false",
        "WANGGE_WEBHOOK_URL": receiver.url,
        "WANGGE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "WANGGE_WORKER_POLL_SECONDS": "0.5",
        **dict(pair.split("=", 1) for pair in args.env),
    }
    settings = Settings(
        **{k[len("WANGGE_") :].lower(): v for k, v in env.items() if k.startswith("WANGGE_")}, _env_file=None
    )
    lease_s = lease_for(settings).total_seconds()  # renewed before each event of a batch
    web = Service(
        "web",
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "wangge.main:create_app",
            "--workers",
            "3",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env,
        work,
    )
    worker = Service("worker", [sys.executable, "-m", "wangge.cli", "worker"], env, work)
    web.start()
    worker.start()
    await wait_ready(base)

    pts = points(args.submissions)
    outcomes = [
        Outcome(key=str(uuid.uuid4()), description=f"路面破损，崩溃测试第 {i} 条") for i in range(args.submissions)
    ]
    bodies = [
        {
            "category": "sanitation",
            "description": o.description,
            "lat": lat,
            "lon": lon,
            "reporter_phone": "13800001111",
        }
        for o, (lat, lon) in zip(outcomes, pts, strict=True)
    ]
    kills = [
        Kill("web (master + 3 workers) and worker together", web=True, worker=True),
        Kill("web alone", web=True, worker=False),
        Kill("worker alone", web=False, worker=True),
    ]
    acked = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(args.submissions):
        queue.put_nowait(i)
    last_worker_restart = time.monotonic()

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal acked
        while not queue.empty():
            i = queue.get_nowait()
            await submit(client, bodies[i], outcomes[i])
            if outcomes[i].tracking_code:
                acked += 1

    stream_done = asyncio.Event()
    watchers: list[asyncio.Task] = []

    async def watch_held(kill: Kill, held: set[str], restarted: float) -> None:
        kill.held_delivered_s = await until_delivered(db, restarted, held, lease_s + 60)
        print(f"  {kill.label}: the {len(held)} held events delivered after {kill.held_delivered_s} s", flush=True)

    async def killer() -> None:
        nonlocal last_worker_restart
        for n, kill in enumerate(kills, start=1):
            target = args.submissions * n // (len(kills) + 1)
            while acked < target and not stream_done.is_set():  # noqa: ASYNC110 - polls a counter
                await asyncio.sleep(0.05)
            if stream_done.is_set():
                return
            kill.at_acks = acked
            held = await asyncio.to_thread(db.held) if kill.worker else set()
            if kill.web:
                web.kill()
            if kill.worker:
                worker.kill()
                held |= await asyncio.to_thread(db.held)  # leased by the worker when it died
                kill.held = len(held)
            print(f"killed {kill.label} at {kill.at_acks} acknowledgements ({kill.held} events held)", flush=True)
            await asyncio.sleep(args.down)
            restarted = time.monotonic()
            if kill.worker:
                worker.start()
                last_worker_restart = restarted
            if kill.web:
                web.start()
                kill.web_ready_s = await wait_ready(base)
                print(f"  web ready again after {kill.web_ready_s:.1f} s", flush=True)
            if held:
                watchers.append(asyncio.create_task(watch_held(kill, held, restarted)))

    started = time.monotonic()
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=15, limits=limits) as client:
        kill_task = asyncio.create_task(killer())
        await asyncio.gather(*(client_loop(client) for _ in range(args.concurrency)))
        stream_s = time.monotonic() - started
        stream_done.set()
        await kill_task
        await asyncio.gather(*watchers)
    print(f"stream done in {stream_s:.0f} s: {acked} of {args.submissions} acknowledged", flush=True)
    all_delivered_s = await until_delivered(db, last_worker_restart, None, lease_s + 60)
    await asyncio.sleep(1)  # let the last answers reach the receiver's counter

    # --- checks ---
    stored = db.rows("SELECT description, tracking_code FROM matters WHERE description LIKE '%崩溃测试%'")
    by_description: dict[str, list[str]] = {}
    for description, code in stored:
        by_description.setdefault(description, []).append(code)
    acked_outcomes = [o for o in outcomes if o.tracking_code]
    lost = [o.key for o in acked_outcomes if by_description.get(o.description) != [o.tracking_code]]
    doubled = [d for d, codes in by_description.items() if len(codes) > 1]
    unacked = [o for o in outcomes if not o.tracking_code]
    unacked_stored = sum(1 for o in unacked if o.description in by_description)
    events = {r[0] for r in db.rows("SELECT event_id FROM outbox_events")}
    undelivered = db.pending()
    not_received = events - set(receiver.received)
    received_twice = sum(1 for e in events if receiver.received[e] > 1)
    errors = Counter()
    for o in outcomes:
        errors.update(o.errors)
    receiver.close()
    web.kill()
    worker.kill()
    return {
        "submissions": args.submissions,
        "concurrency": args.concurrency,
        "acknowledged": len(acked_outcomes),
        "retried": sum(1 for o in outcomes if o.attempts > 1),
        "errors_seen": dict(errors.most_common()),
        "refused": Counter(o.status for o in unacked),
        "lost": len(lost),
        "doubled": len(doubled),
        "unacknowledged_stored": unacked_stored,
        "matters": len(stored),
        "events": len(events),
        "undelivered": undelivered,
        "not_received": len(not_received),
        "received_twice": received_twice,
        "kills": kills,
        "stream_s": stream_s,
        "all_delivered_s": all_delivered_s,
        "lease_s": lease_s,
        "webhook_delay": args.webhook_delay,
        "down": args.down,
    }


def section(r: dict[str, Any]) -> list[str]:
    ok = r["lost"] == 0 and r["doubled"] == 0 and r["undelivered"] == 0 and r["not_received"] == 0
    within = all(k.held_delivered_s is not None and k.held_delivered_s <= 60 for k in r["kills"] if k.held) and (
        r["all_delivered_s"] is not None and r["all_delivered_s"] <= 60
    )

    def secs(value: float | None) -> str:
        return "not within the wait" if value is None else f"{value:.1f} s"

    lines = [
        HEADING,
        "",
        "Made by `make bench-crash` (`bench/crash.py`), on PostgreSQL + PostGIS: `uvicorn --factory",
        "wangge.main:create_app --workers 3` with `WANGGE_EMBEDDED_WORKER=false` and a separate `wangge worker`",
        f"posting webhooks to a local receiver that answers in {r['webhook_delay']:g} s. {r['submissions']} resident",
        f"submissions from {r['concurrency']} concurrent clients, each with its own Idempotency-Key, retried with the",
        "same key on connection errors, 5xx and 429. At 25 %, 50 % and 75 % of the acknowledgements the script sends",
        f"SIGKILL to a process group and restarts it {r['down']:g} s later.",
        "",
        "| kill | at acknowledgement | events held by the worker | web ready after | held events delivered after |",
        "|---|---|---|---|---|",
    ]
    for k in r["kills"]:
        lines.append(
            f"| {k.label} | {k.at_acks} | {k.held if k.worker else '—'} | "
            f"{secs(k.web_ready_s) if k.web else '—'} | {secs(k.held_delivered_s) if k.held else '—'} |"
        )
    lines += [
        "",
        "| check | result |",
        "|---|---|",
        f"| acknowledged (2xx) | {r['acknowledged']} of {r['submissions']} |",
        f"| acknowledged but missing or with another tracking code (lost) | **{r['lost']}** |",
        f"| stored more than once (doubled) | **{r['doubled']}** |",
        f"| not acknowledged but stored | {r['unacknowledged_stored']} |",
        f"| submissions that needed a retry | {r['retried']} |",
        f"| errors the clients saw (then retried) | {', '.join(f'{k}: {v}' for k, v in r['errors_seen'].items()) or 'none'} |",  # noqa: E501
        f"| outbox events / undelivered at the end | {r['events']} / **{r['undelivered']}** |",
        f"| events never received by the webhook / received twice | {r['not_received']} / {r['received_twice']} |",
        f"| all events delivered after the last worker restart | {secs(r['all_delivered_s'])} |",
        "",
        f"Result: {'nothing acknowledged was lost or doubled and every event was delivered' if ok else '**FAILED**'};"
        f" redelivery within a minute: {'yes' if within else '**no**'}.",
        f"The worker's lease on claimed events is {r['lease_s']:.0f} s (webhook timeout + 20 s, renewed before each",
        "event of a batch, notify/worker.py): events that a killed worker had claimed wait at most that long",
        "before another worker takes them over.",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d} on a 2-core machine; clients, servers and PostgreSQL share it.",
        "",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--down", type=float, default=2.0, help="seconds between a kill and the restart")
    parser.add_argument("--webhook-delay", type=float, default=0.1, help="seconds the webhook receiver takes")
    parser.add_argument("--env", action="append", default=[], help="extra KEY=VALUE for the servers (repeatable)")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    with PostgresCluster() as cluster, tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(run(args, cluster, Path(tmp)))
        lines = section(result)
        print("\n".join(lines))
        write_section(Path(args.output), HEADING, lines)
    bad = result["lost"] or result["doubled"] or result["undelivered"] or result["not_received"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
