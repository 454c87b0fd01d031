"""Household sweeps 逐户排查 (issue 14): a campaign over chosen grids, its grids, and one task per household.

Revision ID: 0022_sweeps
Revises: 0021_warnings
Create Date: 2026-12-02 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_sweeps"
down_revision = "0021_warnings"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    t = "sweeps"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("street_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        _fk(t, "district_id", "districts"),
        _fk(t, "street_id", "streets"),
        _fk(t, "community_id", "communities"),
        _fk(t, "created_by_id", "users"),
        _fk(t, "closed_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index(op.f(f"ix_{t}_street_id"), t, ["street_id"], unique=False)
    op.create_index(op.f(f"ix_{t}_community_id"), t, ["community_id"], unique=False)
    g = "sweep_grids"
    op.create_table(
        g,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sweep_id", sa.Integer(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        _fk(g, "sweep_id", "sweeps"),
        _fk(g, "grid_id", "grids"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{g}")),
        sa.UniqueConstraint("sweep_id", "grid_id", name="uq_sweep_grids"),
    )
    op.create_index(op.f(f"ix_{g}_sweep_id"), g, ["sweep_id"], unique=False)
    op.create_index(op.f(f"ix_{g}_grid_id"), g, ["grid_id"], unique=False)
    k = "sweep_tasks"
    op.create_table(
        k,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sweep_id", sa.Integer(), nullable=False),
        sa.Column("house_id", sa.Integer(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("ticked_at", TS, nullable=True),
        sa.Column("ticked_by_id", sa.Integer(), nullable=True),
        sa.Column("ticks", sa.Integer(), nullable=False),
        _fk(k, "sweep_id", "sweeps"),
        _fk(k, "house_id", "reg_houses"),
        _fk(k, "grid_id", "grids"),
        _fk(k, "building_id", "buildings"),
        _fk(k, "ticked_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{k}")),
        sa.UniqueConstraint("sweep_id", "house_id", name="uq_sweep_tasks_house"),
    )
    op.create_index("ix_sweep_tasks_sweep_grid_building", k, ["sweep_id", "grid_id", "building_id"], unique=False)


def downgrade() -> None:
    op.drop_table("sweep_tasks")
    op.drop_table("sweep_grids")
    op.drop_table("sweeps")
