"""Geometry columns in migrations, written once for both engines (SpatiaLite registers them through its own
functions; PostGIS takes them as ordinary typed columns with a GiST index)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def add_geometry(table: str, column: str, geometry_type: str, *, nullable: bool = True, index: bool = False) -> None:
    if _sqlite():
        # SQLite cannot add a NOT NULL column to a table; the application requires the value where needed.
        op.execute(sa.text(f"SELECT AddGeometryColumn('{table}', '{column}', 4326, '{geometry_type}', 'XY')"))
        if index:
            op.execute(sa.text(f"SELECT CreateSpatialIndex('{table}', '{column}')"))
        return
    op.add_column(table, sa.Column(column, Geometry(geometry_type, srid=4326, spatial_index=False), nullable=nullable))
    if index:
        op.create_index(f"idx_{table}_{column}", table, [column], postgresql_using="gist")


def drop_spatial_table(table: str) -> None:
    if _sqlite():
        # DropTable also removes the geometry registrations and the R*Tree index tables.
        op.execute(sa.text(f"SELECT DropTable(NULL, '{table}')"))
        return
    op.drop_table(table)
