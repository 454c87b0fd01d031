"""Matters by creation time: Open311's request list (newest first, within 90 days, at most 1,000) walks this index
backwards instead of sorting every matter of the window (bench/lists.py: 16 times slower at 100,000 matters than
at 10,000 without it)

Revision ID: 0008_matters_created_index
Revises: 0007_patrol_track_storage
Create Date: 2026-12-01 07:00:00
"""

from alembic import op

revision = "0008_matters_created_index"
down_revision = "0007_patrol_track_storage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_matters_created_id", "matters", ["created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_matters_created_id", table_name="matters")
