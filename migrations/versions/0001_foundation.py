"""Foundation: the hierarchy, grids with geometry, departments, buildings and places, users and login sessions.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from wangge.spatial_ddl import add_geometry, drop_spatial_table

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    ]


def _fk(column: str, target: str, nullable: bool = False) -> sa.Column:
    return sa.Column(column, sa.Integer, sa.ForeignKey(f"{target}.id", name=f"fk_{column}_{target}"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "districts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(6), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_timestamps(),
    )
    add_geometry("districts", "geom", "MULTIPOLYGON")

    op.create_table(
        "streets",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("district_id", "districts"),
        sa.Column("code", sa.String(9), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_timestamps(),
    )
    op.create_index("ix_streets_district_id", "streets", ["district_id"])
    add_geometry("streets", "geom", "MULTIPOLYGON")

    op.create_table(
        "communities",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("district_id", "districts"),
        _fk("street_id", "streets"),
        sa.Column("code", sa.String(12), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_timestamps(),
    )
    op.create_index("ix_communities_district_id", "communities", ["district_id"])
    op.create_index("ix_communities_street_id", "communities", ["street_id"])
    add_geometry("communities", "geom", "MULTIPOLYGON")

    op.create_table(
        "grids",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("district_id", "districts"),
        _fk("street_id", "streets"),
        _fk("community_id", "communities"),
        sa.Column("code", sa.String(15), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("households", sa.Integer, nullable=False, server_default="0"),
        sa.Column("registered_population", sa.Integer, nullable=False, server_default="0"),
        sa.Column("floating_population", sa.Integer, nullable=False, server_default="0"),
        sa.Column("area_m2", sa.Float, nullable=False, server_default="0"),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_timestamps(),
        sa.CheckConstraint(
            "households >= 0 AND registered_population >= 0 AND floating_population >= 0",
            name="ck_grids_figures_not_negative",
        ),
    )
    for column in ("district_id", "street_id", "community_id"):
        op.create_index(f"ix_grids_{column}", "grids", [column])
    add_geometry("grids", "geom", "POLYGON", nullable=False, index=True)

    op.create_table(
        "departments",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("district_id", "districts"),
        _fk("street_id", "streets", nullable=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("categories", sa.JSON, nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_timestamps(),
    )
    op.create_index("ix_departments_district_id", "departments", ["district_id"])
    op.create_index("ix_departments_street_id", "departments", ["street_id"])

    op.create_table(
        "buildings",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("grid_id", "grids"),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("floors", sa.Integer, nullable=True),
        sa.Column("households", sa.Integer, nullable=False, server_default="0"),
        sa.Column("head_name", sa.String(50), nullable=True),
        sa.Column("head_phone", sa.String(20), nullable=True),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_timestamps(),
    )
    op.create_index("ix_buildings_grid_id", "buildings", ["grid_id"])
    add_geometry("buildings", "geom", "POINT")

    op.create_table(
        "places",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("grid_id", "grids"),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.Text, nullable=True),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_timestamps(),
    )
    op.create_index("ix_places_grid_id", "places", ["grid_id"])
    op.create_index("ix_places_category", "places", ["category"])
    add_geometry("places", "geom", "POINT")

    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("scope_level", sa.String(16), nullable=False),
        _fk("district_id", "districts", nullable=True),
        _fk("street_id", "streets", nullable=True),
        _fk("community_id", "communities", nullable=True),
        _fk("grid_id", "grids", nullable=True),
        _fk("department_id", "departments", nullable=True),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        *_timestamps(),
    )
    for column in ("district_id", "street_id", "community_id", "grid_id", "department_id"):
        op.create_index(f"ix_users_{column}", "users", [column])

    op.create_table(
        "login_sessions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", name="fk_login_sessions_user_id_users"), nullable=False
        ),
        sa.Column("refresh_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_login_sessions_user_id", "login_sessions", ["user_id"])


def downgrade() -> None:
    op.drop_table("login_sessions")
    op.drop_table("users")
    for table in ("places", "buildings"):
        drop_spatial_table(table)
    op.drop_table("departments")
    for table in ("grids", "communities", "streets", "districts"):
        drop_spatial_table(table)
