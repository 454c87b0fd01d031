"""Throttling: tracking attempts and sign-in failures in their own tables (counted atomically, outside the matter's
versioned row); the hash of the resident's secret tracking token on the matter

Revision ID: 0005_throttle
Revises: 0004
Create Date: 2026-11-30 23:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_throttle"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tracking_attempts",
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["matter_id"], ["matters.id"], name=op.f("fk_tracking_attempts_matter_id_matters"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("matter_id", "client", name=op.f("pk_tracking_attempts")),
    )
    op.create_index(
        op.f("ix_tracking_attempts_window_started_at"), "tracking_attempts", ["window_started_at"], unique=False
    )
    op.create_table(
        "sign_in_failures",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", TS, nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_sign_in_failures")),
    )
    op.create_index(op.f("ix_sign_in_failures_last_failure_at"), "sign_in_failures", ["last_failure_at"], unique=False)
    # Plain ALTER TABLE on both engines (SQLite ≥ 3.35 drops columns in place): the matters table carries a
    # SpatiaLite geometry, which a batch copy of the table would not carry over.
    op.add_column("matters", sa.Column("tracking_token_hash", sa.String(length=64), nullable=True))
    op.drop_column("matters", "verify_failures")
    op.drop_column("matters", "verify_locked_until")


def downgrade() -> None:
    op.add_column("matters", sa.Column("verify_locked_until", TS, nullable=True))
    op.add_column("matters", sa.Column("verify_failures", sa.Integer(), nullable=False, server_default="0"))
    op.drop_column("matters", "tracking_token_hash")
    op.drop_index(op.f("ix_sign_in_failures_last_failure_at"), table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
    op.drop_index(op.f("ix_tracking_attempts_window_started_at"), table_name="tracking_attempts")
    op.drop_table("tracking_attempts")
