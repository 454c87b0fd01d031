"""The `wangge` command: migrate, load the demo, import and export grids, create users, serve, deliver the outbox,
print the OpenAPI document."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys
from pathlib import Path

from wangge.config import get_settings
from wangge.messages import in_language


def _sync_session():  # noqa: ANN202
    from sqlalchemy.orm import Session

    from wangge import registry  # noqa: F401 - every table known, so the users' foreign keys resolve
    from wangge.database import create_sync_db_engine

    settings = get_settings()
    engine = create_sync_db_engine(settings.database_url, spatialite_library=settings.spatialite_library)
    return engine, Session(engine)


def cmd_migrate(args: argparse.Namespace) -> int:
    from wangge import migrate

    migrate.upgrade(get_settings().database_url, args.revision)
    print(f"Database at revision {args.revision}.")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from wangge import generate
    from wangge.accounts.security import Passwords
    from wangge.database import create_sync_db_engine
    from wangge.models_common import utcnow

    settings = get_settings()
    for name in ("grids", "matters", "patrols"):
        if getattr(args, name) < 0 or (name == "grids" and args.grids < 1):
            print(f"--{name} must be at least {1 if name == 'grids' else 0}", file=sys.stderr)
            return 2
    plan = generate.Plan(
        grids=args.grids,
        matters=args.matters,
        patrols=args.patrols,
        seed=args.seed,
        password_hash=Passwords(settings).hash(args.password),
        now=utcnow(),
    )
    engine = create_sync_db_engine(settings.database_url, spatialite_library=settings.spatialite_library)
    try:
        timings = generate.generate(engine, plan)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(
        f"Generated {plan.districts} districts, {plan.streets} streets, {plan.communities} communities, "
        f"{plan.grids} grids, {plan.matters} matters and {plan.patrols} patrols in {sum(timings.values()):.0f} s. "
        "Accounts: gen-admin, street<id>, chief<id>, dept<id>, leader<id> (the password given)."
    )
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from wangge.accounts.security import Passwords
    from wangge.demo import load

    engine, session = _sync_session()
    with session:
        accounts = load.load(session, Passwords(get_settings()))
    engine.dispose()
    from wangge.demo import matters as demo_matters

    asyncio.run(demo_matters.seed(get_settings()))
    print(f"Demo data loaded. Demo accounts (password for all: {load.DEMO_PASSWORD}):")
    for a in accounts:
        print(f"  {a.username:<10} {a.role:<19} {a.display_name:<8} {a.scope}")
    return 0


def _system_subject():  # noqa: ANN202
    from wangge.accounts.scope import Subject

    return Subject(user_id=0, username="cli", role="administrator", scope_level="system")


def _audited(session, command: str) -> None:  # noqa: ANN001
    """What this command changes goes to the audit log, as made by the command line."""
    from wangge.audit import recorder

    recorder.install()
    recorder.set_actor(session, None, f"命令行（wangge {command}）")


async def _with_db(fn, audited_as: str | None = None):  # noqa: ANN001, ANN202
    from wangge.database import Database

    settings = get_settings()
    db = Database(settings.database_url, spatialite_library=settings.spatialite_library)
    try:
        async with db.sessionmaker() as session:
            if audited_as:
                _audited(session, audited_as)
            return await fn(session)
    finally:
        await db.dispose()


async def _community_id(session, code: str) -> int:  # noqa: ANN001
    from sqlalchemy import select

    from wangge.errors import NotFound
    from wangge.hierarchy.models import Community

    found = (await session.execute(select(Community.id).where(Community.code == code))).scalar()
    if found is None:
        raise NotFound(f"No community with code {code}")
    return found


def cmd_import_grids(args: argparse.Namespace) -> int:
    from wangge.errors import DomainError
    from wangge.hierarchy import grid_files

    try:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"Cannot read {args.file}: {exc}", file=sys.stderr)
        return 2

    async def run(session):  # noqa: ANN001, ANN202
        return await grid_files.import_grids(
            session, _system_subject(), await _community_id(session, args.community), data
        )

    try:
        result = asyncio.run(_with_db(run, audited_as="import-grids"))
    except DomainError as exc:
        print(f"Import rejected: {exc.detail}", file=sys.stderr)
        for err in exc.extra.get("errors", []):
            print(f"  - {in_language(err['msg'], 'en')}", file=sys.stderr)
        return 1
    print(
        f"Imported into community {args.community}: {len(result['created'])} created, {len(result['updated'])} updated."
    )
    return 0


def cmd_export_grids(args: argparse.Namespace) -> int:
    from wangge.errors import DomainError
    from wangge.hierarchy import grid_files

    async def run(session):  # noqa: ANN001, ANN202
        community_id = await _community_id(session, args.community) if args.community else None
        return await grid_files.export_grids(session, _system_subject(), community_id=community_id)

    try:
        collection = asyncio.run(_with_db(run))
    except DomainError as exc:
        print(exc.detail, file=sys.stderr)
        return 1
    text = json.dumps(collection, ensure_ascii=False, indent=1)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"Wrote {len(collection['features'])} grids to {args.output}.")
    else:
        print(text)
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from wangge.accounts.models import Role, ScopeLevel, User
    from wangge.accounts.security import Passwords

    password = args.password or getpass.getpass("Password: ")
    if len(password) < 8:
        print("The password must have at least 8 characters.", file=sys.stderr)
        return 2
    engine, session = _sync_session()
    _audited(session, "create-admin")
    with session:
        if session.execute(select(User.id).where(User.username == args.username)).first():
            print(f"The username {args.username} is taken.", file=sys.stderr)
            return 1
        session.add(
            User(
                username=args.username,
                display_name=args.display_name or args.username,
                role=Role.administrator.value,
                scope_level=ScopeLevel.system.value,
                password_hash=Passwords(get_settings()).hash(password),
            )
        )
        session.commit()
    engine.dispose()
    print(f"Created the system administrator {args.username}.")
    return 0


def cmd_create_api_key(args: argparse.Namespace) -> int:
    from wangge.open311.models import ApiKey
    from wangge.open311.service import key_digest, new_key

    name = args.name.strip()
    if not name or len(name) > 100:
        print("The name must have 1 to 100 characters.", file=sys.stderr)
        return 2
    key = new_key()
    engine, session = _sync_session()
    _audited(session, "create-api-key")
    with session:
        session.add(ApiKey(name=name, key_hash=key_digest(key), is_active=True))
        session.commit()
    engine.dispose()
    # Only the hash is stored: this is the one time the key can be seen.
    print(f"Created the Open311 API key for {name}. Give it to the client now; it is not shown again:")
    print(key)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from wangge.logs import UVICORN_LOG_CONFIG

    os.environ.setdefault("WANGGE_TUNE_GC", "true")  # each web process, as it starts (main.settle_garbage_collector)
    settings = get_settings()
    host, port = args.host or settings.host, args.port or settings.port
    print(f"Serving Wangge on http://{host}:{port} (API docs at /docs)", flush=True)
    uvicorn.run(
        "wangge.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=args.workers,
        log_config=UVICORN_LOG_CONFIG,
        proxy_headers=True,
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from wangge import logs
    from wangge.notify import worker
    from wangge.process import settle_garbage_collector

    settings = get_settings()
    logs.configure(settings.log_level)
    settle_garbage_collector()
    asyncio.run(worker.serve(settings))
    return 0


def cmd_openapi(args: argparse.Namespace) -> int:
    from wangge.config import Settings
    from wangge.main import create_app

    # Fixed, test-safe settings: the document depends on the code alone, never on a .env or the environment, so
    # the front end's generated types (make api-types) are the same on every machine. Nothing is connected to.
    settings = Settings(
        _env_file=None,
        environment="development",
        database_url="sqlite+aiosqlite:///:memory:",
        frontend_dist=Path("/nonexistent"),
        cors_origins=[],
        log_level="WARNING",
    )
    text = json.dumps(create_app(settings).openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from wangge import backup

    try:
        written = backup.backup(get_settings().database_url, Path(args.file))
    except backup.BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {written} ({written.stat().st_size} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from wangge import backup

    if not args.yes:
        print(
            "restore replaces everything in the database: stop the service, then run again with --yes", file=sys.stderr
        )
        return 2
    try:
        backup.restore(get_settings().database_url, Path(args.file))
    except backup.BackupError as exc:
        print(f"restore failed: {exc}", file=sys.stderr)
        return 1
    print(f"restored {args.file}; run `wangge migrate` if the backup is from an older release")
    return 0


def cmd_assessment_freeze(args: argparse.Namespace) -> int:
    from datetime import date

    from wangge.assessment import periods, results

    try:
        month = date.fromisoformat(args.month + "-01") if args.month else None
    except ValueError:
        print("The month is YYYY-MM", file=sys.stderr)
        return 1
    if month is None:  # the month before this one
        month = periods.previous(periods.period_of("month", periods.today())).start

    async def run(session):  # noqa: ANN001, ANN202
        written = await results.freeze_month(session, month=month)
        await session.commit()
        return written

    written = asyncio.run(_with_db(run))
    print(f"Froze {month:%Y-%m}: {written} unit results written (those already frozen are kept).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wangge", description="Wangge (网格) grid management")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("migrate", help="apply database migrations")
    p.add_argument("revision", nargs="?", default="head")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("seed-demo", help="load the demo street office and accounts (idempotent)")
    p.set_defaults(func=cmd_seed_demo)

    p = sub.add_parser("import-grids", help="import a community's grids from a GeoJSON FeatureCollection")
    p.add_argument("community", help="the community's 12-digit code")
    p.add_argument("file", help="a GeoJSON file")
    p.set_defaults(func=cmd_import_grids)

    p = sub.add_parser("export-grids", help="export grids as GeoJSON")
    p.add_argument("community", nargs="?", help="the community's 12-digit code (all grids when omitted)")
    p.add_argument("-o", "--output", help="write to this file instead of standard output")
    p.set_defaults(func=cmd_export_grids)

    p = sub.add_parser("create-admin", help="create a system administrator")
    p.add_argument("username")
    p.add_argument("--display-name")
    p.add_argument("--password", help="prompted for when omitted")
    p.set_defaults(func=cmd_create_admin)

    p = sub.add_parser("create-api-key", help="issue an API key for an Open311 client (shown once)")
    p.add_argument("name", help="who the key is for, eg 12345热线")
    p.set_defaults(func=cmd_create_api_key)

    p = sub.add_parser("serve", help="serve the API and the app")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int, default=1)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="deliver notifications and webhooks from the outbox until stopped")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("backup", help="write a backup of the whole database to FILE (while the service runs)")
    p.add_argument("file")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the whole database with the backup in FILE (stop the service first)")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="confirm that everything in the database is replaced")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "generate", help="fill an empty database with a city's grids, accounts, matters and patrols (benchmarks)"
    )
    p.add_argument("--grids", type=int, default=100_000)
    p.add_argument("--matters", type=int, default=10_000_000)
    p.add_argument("--patrols", type=int, default=100_000, help="one per grid and day, the most recent days first")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--password", default="wangge2026", help="the password of every generated account")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("assessment-freeze", help="store a closed month's assessment results (idempotent)")
    p.add_argument("month", nargs="?", help="YYYY-MM (default: last month)")
    p.set_defaults(func=cmd_assessment_freeze)

    p = sub.add_parser("openapi", help="print the API's OpenAPI document as JSON (no database or server needed)")
    p.add_argument("-o", "--output", help="write to this file instead of standard output")
    p.set_defaults(func=cmd_openapi)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
