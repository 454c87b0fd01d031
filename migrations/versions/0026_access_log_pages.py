"""The personal-data access log in keyset pages (issue 9): newest first down an index that begins with the
administrator's area (district, street or community) and then the time, or with the time for the whole log, so a page
costs the same however long the log has grown; the count stops at 1,000.

Revision ID: 0026_access_log_pages
Revises: 0025_tenancy_pages
Create Date: 2026-12-03 01:00:00
"""

from alembic import op

revision = "0026_access_log_pages"
down_revision = "0025_tenancy_pages"
branch_labels = None
depends_on = None

AREAS = ("district", "street", "community")


def upgrade() -> None:
    op.create_index("ix_personal_data_access_at_id", "personal_data_access", ["at", "id"])
    for area in AREAS:
        op.create_index(f"ix_personal_data_access_{area}_at", "personal_data_access", [f"{area}_id", "at", "id"])
    # Its one column is the first of ix_personal_data_access_at_id.
    op.drop_index("ix_personal_data_access_at", table_name="personal_data_access")


def downgrade() -> None:
    op.create_index("ix_personal_data_access_at", "personal_data_access", ["at"])
    for area in AREAS:
        op.drop_index(f"ix_personal_data_access_{area}_at", table_name="personal_data_access")
    op.drop_index("ix_personal_data_access_at_id", table_name="personal_data_access")
