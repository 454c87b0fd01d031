"""The desk's table of matters at any history: a unit's matters by date (community, street, grid), so its newest
page is read off an index in order rather than by walking the whole table's dates backwards for the unit's rows,
and the matters a person reported (all of them, not only the open ones), so "does this person read anything outside
their area" is answered from two indexes instead of a scan of the table (374 ms at 1,000,000 matters).

Revision ID: 0013_desk_tables
Revises: 0012_audit_and_password_change
Create Date: 2026-12-01 15:30:00
"""

from alembic import op

revision = "0013_desk_tables"
down_revision = "0012_audit_and_password_change"
branch_labels = None
depends_on = None

UNITS = ("community_id", "street_id", "grid_id")


def upgrade() -> None:
    op.create_index("ix_matters_reported_by_id_id", "matters", ["reported_by_id", "id"])
    for column in UNITS:
        op.create_index(f"ix_matters_{column}_created", "matters", [column, "created_at", "id"])


def downgrade() -> None:
    for column in UNITS:
        op.drop_index(f"ix_matters_{column}_created", table_name="matters")
    op.drop_index("ix_matters_reported_by_id_id", table_name="matters")
