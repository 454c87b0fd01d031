"""Backup and restore of the whole database, for both engines (`wangge backup FILE`, `wangge restore FILE`).

- SQLite + SpatiaLite: SQLite's online backup API copies the database page by page while the service keeps
  running (readers and writers wait only for the moment each step takes); restore copies a backup file back the
  same way. The file is an ordinary SQLite database, SpatiaLite's metadata included.
- PostgreSQL + PostGIS: `pg_dump --format=custom` (a consistent snapshot while the service runs) and
  `pg_restore --clean --if-exists --single-transaction` (all or nothing). The password goes to the tools in the
  environment, never on their command line. The tools of the newest PostgreSQL installed are used, so that they
  can read a server of any older version.

Restore replaces everything: stop the web workers and the worker first (README, "Backup and restore").
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class BackupError(Exception):
    """A backup or restore that could not be made; the message says why, without secrets."""


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory database cannot be backed up")
    return Path(url.database)


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    # 1,024 pages per step: other connections get the database between steps.
    source.backup(target, pages=1024)


def _pg_tool(name: str) -> str:
    """The newest PostgreSQL's `name` (Debian keeps one folder per version), else the one on PATH."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    tool = found[-1] if found else shutil.which(name)
    if tool is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return tool


def _pg_connection(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment that carries it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed tools
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def backup(database_url: str, target: Path) -> Path:
    """Write a backup of the database at `database_url` to `target` (created or replaced)."""
    url = make_url(database_url)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    if url.get_backend_name() == "sqlite":
        path = _sqlite_path(url)
        if not path.exists():
            raise BackupError(f"There is no database at {path}")
        with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(partial)) as copy:
            _copy(source, copy)
    else:
        connection, env = _pg_connection(url)
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}", connection], env)
    partial.replace(target)  # a backup file is either whole or not there
    return target


def restore(database_url: str, source: Path) -> None:
    """Replace the content of the database at `database_url` with the backup in `source`."""
    url = make_url(database_url)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"There is no backup at {source}")
    if url.get_backend_name() == "sqlite":
        try:
            with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as backup_db:
                backup_db.execute("SELECT version_num FROM alembic_version").fetchone()
                with closing(sqlite3.connect(_sqlite_path(url))) as live:
                    _copy(backup_db, live)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not a Wangge SQLite backup ({exc})") from None
    else:
        connection, env = _pg_connection(url)
        _run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={connection}",
                str(source),
            ],
            env,
        )
