"""Alembic from empty to head and back down, on both engines; the models and the migration agree."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from conftest import new_database
from wangge import migrate
from wangge.database import Base, create_sync_db_engine


@pytest.mark.parametrize("engine_name", ["sqlite", "postgres"])
def test_upgrade_to_head_and_down_to_base(engine_name, request, tmp_path):
    url = new_database(engine_name, "wangge_migrations", tmp_path, request)
    migrate.upgrade(url)
    engine = create_sync_db_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        for name, table in Base.metadata.tables.items():
            columns = {c["name"] for c in inspect(engine).get_columns(name)}
            assert {c.name for c in table.columns} <= columns, name
        migrate.downgrade(url)
        assert not set(Base.metadata.tables) & set(inspect(engine).get_table_names())
        migrate.upgrade(url)  # and up again on the same database
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
