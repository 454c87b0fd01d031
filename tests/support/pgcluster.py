"""A throwaway PostgreSQL + PostGIS cluster for the tests and benchmarks: started in a temporary folder on a free
loopback port, removed at the end. As root, the server runs as the `postgres` user (initdb refuses root)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if not candidates:
        raise RuntimeError("PostgreSQL is not installed: run `make deps` (it installs postgresql-15-postgis-3)")
    return Path(candidates[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresCluster:
    """`root`: keep the cluster in this folder (a benchmark's generated city, reused by its next run) instead of a
    temporary one removed at the end."""

    def __init__(self, root: Path | None = None) -> None:
        self.bindir = _bindir()
        self.port = _free_port()
        self.kept = root is not None
        if root is not None:
            root.mkdir(parents=True, exist_ok=True)
        self.root = root or Path(tempfile.mkdtemp(prefix="wangge-pg-"))
        self.datadir = self.root / "data"
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True)  # noqa: S603

    def start(self, *, standby_of: PostgresCluster | None = None) -> PostgresCluster:
        """Start the cluster; with `standby_of`, as a hot standby streaming from that (running) cluster: a copy of
        it made by pg_basebackup, read-only, replaying what the primary writes a moment later."""
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        if standby_of is not None:
            source = ("-h", "127.0.0.1", "-p", str(standby_of.port), "-U", "postgres")
            self._run(
                "pg_basebackup", *source, "-D", str(self.datadir), "-R", "-X", "stream", "-c", "fast", "--no-sync"
            )
        elif not (self.datadir / "PG_VERSION").exists():
            self._run(
                "initdb",
                "-D",
                str(self.datadir),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C",
            )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(self.datadir), "-w", "-l", str(self.root / "server.log"), "-o", options, "start")
        return self

    def psql(self, sql: str, database: str = "postgres") -> str:
        return self._run(
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-qAt",
            "-c",
            sql,
        ).stdout

    def has_database(self, name: str) -> bool:
        return self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").strip() == "1"  # noqa: S608 - our names

    def create_database(self, name: str, *, postgis: bool = True) -> str:
        self.psql(f'CREATE DATABASE "{name}"')
        if postgis:
            self.psql("CREATE EXTENSION IF NOT EXISTS postgis", database=name)
        return self.url(name)

    def url(self, name: str, driver: str = "asyncpg") -> str:
        return f"postgresql+{driver}://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        # A throwaway cluster is removed right after: stopped at once, without the shutdown checkpoint that wrote out
        # every dirty buffer (5-12 s at the end of each test worker on a loaded machine). A kept one shuts down cleanly.
        mode = "fast" if self.kept else "immediate"
        try:
            self._run("pg_ctl", "-D", str(self.datadir), "-m", mode, "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        if not self.kept:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
