"""Assessment 考核 (issue 12): the schemes a month is scored with, the frozen monthly results and the monthly
bulletins; the response 响应 of each matter (when it was signed for, and by when it had to be); and the indexes the
figures of a district, a department and a first-ask owner read (a matter counts in the period it was created in).

Revision ID: 0017_assessment
Revises: 0016_closing_the_loop
Create Date: 2026-12-01 20:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_assessment"
down_revision = "0016_closing_the_loop"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
MATTER_COLUMNS = (sa.Column("responded_at", TS, nullable=True), sa.Column("respond_due_at", TS, nullable=True))
ASSESSED_UNITS = ("district_id", "holder_department_id", "owner_id")
# Matters already there: the first step a person took on them while unsigned (their sign-for deadline then is not
# kept, so they count as responded in time), or their arrival when staff took them themselves.
BACKFILL = """
UPDATE matters SET responded_at = COALESCE(
    (SELECT MIN(e.at) FROM matter_events e
      WHERE e.matter_id = matters.id AND e.from_status IN ('submitted', 'emergency') AND e.actor_id IS NOT NULL),
    CASE WHEN (SELECT e.to_status FROM matter_events e WHERE e.matter_id = matters.id AND e.action = 'create'
               ORDER BY e.id LIMIT 1) NOT IN ('submitted', 'emergency') THEN created_at END)
"""


def _fk(column: str, table: str, **kw: object) -> sa.Column:
    return sa.Column(column, sa.Integer(), sa.ForeignKey(f"{table}.id"), **kw)


def upgrade() -> None:
    for column in MATTER_COLUMNS:
        op.add_column("matters", column)
    op.execute(sa.text(BACKFILL))
    for column in ASSESSED_UNITS:
        op.create_index(f"ix_matters_{column}_created", "matters", [column, "created_at", "id"])

    op.create_table(
        "assessment_schemes",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("street_id", "streets", nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        _fk("created_by_id", "users", nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("street_id", "version", name="uq_assessment_schemes_street_version"),
    )
    op.create_index("ix_assessment_schemes_street_effective", "assessment_schemes", ["street_id", "effective_from"])
    op.create_table(
        "assessment_results",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("level", sa.String(12), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        _fk("scheme_id", "assessment_schemes", nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("grade", sa.String(8), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("frozen_at", TS, nullable=False),
        sa.UniqueConstraint("level", "unit_id", "month", name="uq_assessment_results_unit_month"),
    )
    op.create_index("ix_assessment_results_month_level", "assessment_results", ["month", "level"])
    op.create_table(
        "assessment_bulletins",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("street_id", "streets", nullable=False, index=True),
        sa.Column("month", sa.Date(), nullable=False),
        _fk("scheme_id", "assessment_schemes", nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("generated_at", TS, nullable=False),
        sa.UniqueConstraint("street_id", "month", name="uq_assessment_bulletins_street_month"),
    )


def downgrade() -> None:
    op.drop_table("assessment_bulletins")
    op.drop_index("ix_assessment_results_month_level", table_name="assessment_results")
    op.drop_table("assessment_results")
    op.drop_index("ix_assessment_schemes_street_effective", table_name="assessment_schemes")
    op.drop_table("assessment_schemes")
    for column in reversed(ASSESSED_UNITS):
        op.drop_index(f"ix_matters_{column}_created", table_name="matters")
    for column in reversed(MATTER_COLUMNS):
        op.drop_column("matters", column.name)
