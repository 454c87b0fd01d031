"""Open matters by deadline in every scope: a column the database computes from the row (when the current step of
an open matter is due; NULL once it is no longer open) and partial indexes over the open rows only, so inboxes,
督办 and the overdue notifier walk to their first page in the same time at 10,000 matters as at 10,000,000. The
index of (status, due_at) they used before goes.

On PostgreSQL the column is stored, so adding it rewrites the table (about a minute per million matters here); on
SQLite it is virtual (SQLite adds only virtual generated columns) and its indexes hold the computed value.

Revision ID: 0010_matters_open_due
Revises: 0009_matters_scope_id_indexes
Create Date: 2026-12-01 10:00:00
"""

import sqlalchemy as sa
from alembic import op

from wangge.models_common import UTCDateTime

revision = "0010_matters_open_due"
down_revision = "0009_matters_scope_id_indexes"
branch_labels = None
depends_on = None

OPEN_ONLY = sa.text("open_due_at IS NOT NULL")
# As wangge.matters.models has them at this revision (a migration does not follow later edits of the model).
OPEN_DUE_SQL = (
    "CASE WHEN status IN ('submitted', 'accepted', 'at_station', 'escalated', 'handling', 'emergency', "
    "'approval_review', 'approval_decision', 'public_notice') THEN COALESCE("
    "CASE WHEN sign_due_at IS NULL THEN due_at WHEN due_at IS NULL OR sign_due_at < due_at THEN sign_due_at "
    "ELSE due_at END, '9999-12-31 00:00:00+00') END"
)
OPEN_SCOPE_COLUMNS = (
    "district_id",
    "street_id",
    "community_id",
    "grid_id",
    "owner_id",
    "holder_department_id",
    "reported_by_id",
)


def upgrade() -> None:
    stored = True if op.get_bind().dialect.name == "postgresql" else None  # SQLite: virtual, its only choice here
    computed = sa.Computed(OPEN_DUE_SQL, persisted=stored)
    op.add_column("matters", sa.Column("open_due_at", UTCDateTime(), computed, nullable=True))
    where = {"postgresql_where": OPEN_ONLY, "sqlite_where": OPEN_ONLY}
    op.create_index("ix_matters_open_due", "matters", ["open_due_at", sa.text("id DESC")], **where)
    for column in OPEN_SCOPE_COLUMNS:
        op.create_index(
            f"ix_matters_{column}_open_due", "matters", [column, "open_due_at", sa.text("id DESC")], **where
        )
    op.drop_index("ix_matters_status_due", table_name="matters")


def downgrade() -> None:
    op.create_index("ix_matters_status_due", "matters", ["status", "due_at"])
    for column in OPEN_SCOPE_COLUMNS:
        op.drop_index(f"ix_matters_{column}_open_due", table_name="matters")
    op.drop_index("ix_matters_open_due", table_name="matters")
    op.drop_column("matters", "open_due_at")
