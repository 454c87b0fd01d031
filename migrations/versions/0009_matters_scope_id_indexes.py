"""Lists of finished matters newest first, in pages that start after the last one seen (keyset): each scope column
the lists filter on is indexed together with the id, so a page is a short walk down one index whatever the
history; they replace the indexes of the scope column alone

Revision ID: 0009_matters_scope_id_indexes
Revises: 0008_matters_created_index
Create Date: 2026-12-01 07:30:00
"""

from alembic import op

revision = "0009_matters_scope_id_indexes"
down_revision = "0008_matters_created_index"
branch_labels = None
depends_on = None

COLUMNS = ("district_id", "street_id", "community_id", "grid_id", "owner_id", "holder_department_id")


def upgrade() -> None:
    for column in COLUMNS:
        op.create_index(f"ix_matters_{column}_id", "matters", [column, "id"])
        op.drop_index(f"ix_matters_{column}", table_name="matters")


def downgrade() -> None:
    for column in COLUMNS:
        op.create_index(f"ix_matters_{column}", "matters", [column])
        op.drop_index(f"ix_matters_{column}_id", table_name="matters")
