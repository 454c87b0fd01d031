"""Indexes that keep a grid's registry lists flat as its history grows (issue 9): the houses list reads each house's
newest event from the end of `ix_reg_events_house_recorded` rather than grouping all of the grid's events, and the
lists of who lives in a grid on a day read its open residencies (end_on IS NULL, in person order for the people
list's pages) and those ending after the day as ranges of `ix_reg_residencies_grid_end`, rather than every residency
the grid ever had. bench/registry_lists.py measures both.

Revision ID: 0024_registry_history_indexes
Revises: 0023_special_resident_ids
Create Date: 2026-12-02 21:00:00
"""

from alembic import op

revision = "0024_registry_history_indexes"
down_revision = "0023_special_resident_ids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reg_events_house_recorded", "reg_events", ["house_id", "recorded_at"])
    op.create_index("ix_reg_residencies_grid_end", "reg_residencies", ["grid_id", "end_on", "person_id", "id"])
    # Its first column alone: PostgreSQL took it for a grid's open residencies (and filtered out the ended ones)
    # where the one above finds only those.
    op.drop_index("ix_reg_residencies_grid_id", table_name="reg_residencies")


def downgrade() -> None:
    op.create_index("ix_reg_residencies_grid_id", "reg_residencies", ["grid_id"])
    op.drop_index("ix_reg_residencies_grid_end", table_name="reg_residencies")
    op.drop_index("ix_reg_events_house_recorded", table_name="reg_events")
