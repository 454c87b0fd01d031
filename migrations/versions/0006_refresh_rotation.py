"""Spent refresh tokens: a refresh token presented a second time ends its whole login session

Revision ID: 0006_refresh_rotation
Revises: 0005_throttle
Create Date: 2026-11-30 23:59:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_refresh_rotation"
down_revision = "0005_throttle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "spent_refresh_tokens",
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("spent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["login_sessions.id"],
            name=op.f("fk_spent_refresh_tokens_session_id_login_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_spent_refresh_tokens")),
    )
    op.create_index("ix_spent_refresh_tokens_session_id", "spent_refresh_tokens", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_spent_refresh_tokens_session_id", table_name="spent_refresh_tokens")
    op.drop_table("spent_refresh_tokens")
