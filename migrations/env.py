"""Alembic environment: runs migrations through the synchronous driver of the configured database."""

from __future__ import annotations

from alembic import context

from wangge import registry as _registry  # noqa: F401 - every table on Base.metadata
from wangge.config import get_settings
from wangge.database import Base, create_sync_db_engine

# SpatiaLite's own tables must never be proposed for dropping by autogenerate.
SPATIALITE_TABLES = {
    "spatial_ref_sys",
    "spatial_ref_sys_aux",
    "geometry_columns",
    "geometry_columns_auth",
    "geometry_columns_statistics",
    "geometry_columns_field_infos",
    "geometry_columns_time",
    "spatialite_history",
    "sql_statements_log",
    "views_geometry_columns",
    "views_geometry_columns_auth",
    "views_geometry_columns_field_infos",
    "views_geometry_columns_statistics",
    "virts_geometry_columns",
    "virts_geometry_columns_auth",
    "virts_geometry_columns_field_infos",
    "virts_geometry_columns_statistics",
    "SpatialIndex",
    "ElementaryGeometries",
    "KNN",
    "KNN2",
    "data_licenses",
    "spatial_ref_sys_all",
    "vector_layers",
    "vector_layers_auth",
    "vector_layers_statistics",
    "vector_layers_field_infos",
    "geom_cols_ref_sys",
    "sqlite_sequence",
}


def include_object(obj, name, type_, reflected, compare_to):  # noqa: ANN001, ANN201
    if type_ == "table" and (name in SPATIALITE_TABLES or name.startswith("idx_")):
        return False
    return True


def run_migrations() -> None:
    settings = get_settings()
    url = context.config.attributes.get("database_url") or settings.database_url
    engine = create_sync_db_engine(url, spatialite_library=settings.spatialite_library)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_object=include_object,
            compare_type=False,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
