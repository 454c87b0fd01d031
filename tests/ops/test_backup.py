"""`wangge backup` and `wangge restore` on both engines: a round trip gives back every table as it was, row for
row; a restore without --yes or from a file that is not a backup changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import inspect, text

from conftest import migrated_database
from wangge.database import Base, create_sync_db_engine


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"WANGGE_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return subprocess.run([sys.executable, "-m", "wangge.cli", *args], env=env, capture_output=True, text=True)


def _snapshot(engine) -> dict[str, list[str]]:
    """Every row of every table of the application (and Alembic's version), as text, in a fixed order."""
    tables = sorted(set(Base.metadata.tables) | {"alembic_version"})
    assert set(tables) <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        return {t: sorted(repr(tuple(row)) for row in conn.execute(text(f'SELECT * FROM "{t}"'))) for t in tables}  # noqa: S608


@pytest.mark.long
@pytest.mark.parametrize("engine_name", ["sqlite", "postgres"])
def test_a_backup_restores_every_table_row_for_row(engine_name, request, tmp_path):
    url = migrated_database(engine_name, "wangge_backup", tmp_path, request)
    seeded = _cli(url, "seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    engine = create_sync_db_engine(url)
    try:
        before = _snapshot(engine)
        assert len(before["matters"]) > 0 and len(before["grids"]) > 0 and len(before["users"]) >= 7
        file = tmp_path / "wangge.backup"
        made = _cli(url, "backup", str(file))
        assert made.returncode == 0, made.stderr
        assert file.stat().st_size > 0 and not list(tmp_path.glob("*.partial"))

        # Life goes on after the backup: rows change, some go, new ones come.
        with engine.begin() as conn:
            conn.execute(text("UPDATE users SET display_name = 'changed'"))
            conn.execute(text("DELETE FROM matter_events"))
            conn.execute(text("UPDATE grids SET households = households + 1"))
        assert _snapshot(engine) != before

        refused = _cli(url, "restore", str(file))
        assert refused.returncode == 2 and "--yes" in refused.stderr
        not_a_backup = tmp_path / "notes.txt"
        not_a_backup.write_text("not a database")
        broken = _cli(url, "restore", str(not_a_backup), "--yes")
        assert broken.returncode == 1 and "restore failed" in broken.stderr
        assert _snapshot(engine)["users"] != before["users"]  # neither refused restore changed anything

        engine.dispose()  # the service is stopped for a restore (README)
        restored = _cli(url, "restore", str(file), "--yes")
        assert restored.returncode == 0, restored.stderr
        assert _snapshot(engine) == before
    finally:
        engine.dispose()


def test_a_database_that_is_not_there_is_a_clear_error(tmp_path):
    missing = tmp_path / "nothing.db"
    done = _cli(f"sqlite+aiosqlite:///{missing}", "backup", str(tmp_path / "out.backup"))
    assert done.returncode == 1 and "There is no database" in done.stderr
    assert not (tmp_path / "out.backup").exists()
