"""The desk's tables of patrols, home visits and the hazard ledger read their pages off an index in their order
(patrols by start, visits by time, hazards by deadline, each with the id that makes the order total), rather than
sorting every row in scope for each page.

Revision ID: 0015_desk_tables_more
Revises: 0014_log_remarks_checklists
Create Date: 2026-12-01 16:10:00
"""

from alembic import op

revision = "0015_desk_tables_more"
down_revision = "0014_log_remarks_checklists"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_patrols_started_at_id", "patrols", ["started_at", "id"]),
    ("ix_home_visits_visited_at_id", "home_visits", ["visited_at", "id"]),
    ("ix_hazards_deadline_id", "hazards", ["deadline", "id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
