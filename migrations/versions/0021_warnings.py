"""Early warnings 预警 (issue 14): a warning to chosen grids, the grids it covers, and each staff member's
acknowledgement.

Revision ID: 0021_warnings
Revises: 0020_preparedness
Create Date: 2026-12-02 03:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_warnings"
down_revision = "0020_preparedness"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    t = "early_warnings"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("valid_until", TS, nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("street_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("issued_by_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", TS, nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("lifted_at", TS, nullable=True),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.Column("lift_note", sa.Text(), nullable=True),
        _fk(t, "district_id", "districts"),
        _fk(t, "street_id", "streets"),
        _fk(t, "community_id", "communities"),
        _fk(t, "issued_by_id", "users"),
        _fk(t, "lifted_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index(op.f(f"ix_{t}_street_id"), t, ["street_id"], unique=False)
    op.create_index(op.f(f"ix_{t}_community_id"), t, ["community_id"], unique=False)
    g = "early_warning_grids"
    op.create_table(
        g,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        _fk(g, "warning_id", "early_warnings"),
        _fk(g, "grid_id", "grids"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{g}")),
        sa.UniqueConstraint("warning_id", "grid_id", name="uq_early_warning_grids"),
    )
    op.create_index(op.f(f"ix_{g}_warning_id"), g, ["warning_id"], unique=False)
    op.create_index(op.f(f"ix_{g}_grid_id"), g, ["grid_id"], unique=False)
    a = "early_warning_acks"
    op.create_table(
        a,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", TS, nullable=False),
        _fk(a, "warning_id", "early_warnings"),
        _fk(a, "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{a}")),
        sa.UniqueConstraint("warning_id", "user_id", name="uq_early_warning_acks"),
    )
    op.create_index(op.f(f"ix_{a}_warning_id"), a, ["warning_id"], unique=False)


def downgrade() -> None:
    op.drop_table("early_warning_acks")
    op.drop_table("early_warning_grids")
    op.drop_table("early_warnings")
