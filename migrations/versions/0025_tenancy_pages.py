"""The grid's tenancies in keyset pages (issue 9): the whole list, newest first, pages down
`ix_reg_tenancies_grid_start`; those running on a day are read as two ranges of `ix_reg_tenancies_grid_end` (the open
ones, and those ending after the day), rather than every tenancy the grid ever had. bench/registry_lists.py measures
the list with and without a long past.

Revision ID: 0025_tenancy_pages
Revises: 0024_registry_history_indexes
Create Date: 2026-12-03 00:10:00
"""

from alembic import op

revision = "0025_tenancy_pages"
down_revision = "0024_registry_history_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reg_tenancies_grid_start", "reg_tenancies", ["grid_id", "start_on", "id"])
    op.create_index("ix_reg_tenancies_grid_end", "reg_tenancies", ["grid_id", "end_on", "start_on", "id"])
    # Its first column alone is the first column of both above.
    op.drop_index("ix_reg_tenancies_grid_id", table_name="reg_tenancies")


def downgrade() -> None:
    op.create_index("ix_reg_tenancies_grid_id", "reg_tenancies", ["grid_id"])
    op.drop_index("ix_reg_tenancies_grid_end", table_name="reg_tenancies")
    op.drop_index("ix_reg_tenancies_grid_start", table_name="reg_tenancies")
