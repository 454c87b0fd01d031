"""The steps around the routes (issue 11): contact first, extensions and suspensions, verification, callbacks,
mediation and joint handling. Each category gets its rules (`loop_rules`, filled in from the seed's defaults), the
neighbours' disputes category 邻里纠纷 is added, matters get the columns of the new steps, and the applications,
co-operators and mediations have tables of their own.

Revision ID: 0016_closing_the_loop
Revises: 0015_desk_tables_more
Create Date: 2026-12-01 18:20:00
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from wangge.matters.seed import DISPUTE, category_row, loop_rules_for

revision = "0016_closing_the_loop"
down_revision = "0015_desk_tables_more"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
MATTER_COLUMNS = (
    sa.Column("contact_due_at", TS, nullable=True),
    sa.Column("first_contact_at", TS, nullable=True),
    sa.Column("contact_notified_at", TS, nullable=True),
    sa.Column("resolved_due_at", TS, nullable=True),
    sa.Column("pending_application", sa.String(12), nullable=True),
    sa.Column("suspended_until", TS, nullable=True),
    sa.Column("verified_at", TS, nullable=True),
    sa.Column("verified_by_id", sa.Integer(), nullable=True),
    sa.Column("rating_source", sa.String(10), nullable=True),
    sa.Column("callback_tries", sa.Integer(), nullable=False, server_default="0"),
)
# The callback list (resolved matters not rated for some days) and the queues of verifications and applications
# read only the rows in those states.
PARTIAL = (
    ("ix_matters_community_resolved", ["community_id", "resolved_at"], "status = 'resolved'"),
    ("ix_matters_street_resolved", ["street_id", "resolved_at"], "status = 'resolved'"),
    ("ix_matters_verifying", ["community_id", "id"], "status = 'verifying'"),
    ("ix_matters_pending_application", ["street_id", "id"], "pending_application IS NOT NULL"),
    (
        "ix_matters_contact_due",
        ["contact_due_at"],
        "open_due_at IS NOT NULL AND contact_due_at IS NOT NULL AND first_contact_at IS NULL "
        "AND contact_notified_at IS NULL",
    ),
)


def _fk(column: str, table: str, **kw: object) -> sa.Column:
    return sa.Column(column, sa.Integer(), sa.ForeignKey(f"{table}.id"), **kw)


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    with op.batch_alter_table("categories") as batch:
        batch.add_column(sa.Column("loop_rules", sa.JSON(), nullable=True))
    cats = sa.table(
        "categories", sa.column("id", sa.Integer()), sa.column("code", sa.String()), sa.column("loop_rules", sa.JSON())
    )
    for row in bind.execute(sa.select(cats.c.id, cats.c.code)).all():
        bind.execute(sa.update(cats).where(cats.c.id == row.id).values(loop_rules=loop_rules_for(row.code)))
    if bind.execute(sa.select(cats.c.id).where(cats.c.code == DISPUTE)).first() is None:
        now = datetime.now(UTC)
        full = sa.table(
            "categories",
            *(
                sa.column(name, sa.String())
                for name in ("code", "name_zh", "name_en", "icon", "level", "default_route")
            ),
            sa.column("open311_code", sa.String()),
            sa.column("is_emergency", sa.Boolean()),
            sa.column("is_active", sa.Boolean()),
            sa.column("sort_order", sa.Integer()),
            sa.column("time_limits", sa.JSON()),
            sa.column("loop_rules", sa.JSON()),
            sa.column("created_at", TS),
            sa.column("updated_at", TS),
        )
        bind.execute(sa.insert(full).values(**category_row(DISPUTE), created_at=now, updated_at=now))

    # Plain ADD COLUMN on both engines (a batch would rebuild the matters table on SQLite).
    for column in MATTER_COLUMNS:
        op.add_column("matters", column)
    if postgres:
        op.create_foreign_key("fk_matters_verified_by_id_users", "matters", "users", ["verified_by_id"], ["id"])
    for name, columns, where in PARTIAL:
        cond = sa.text(where)
        op.create_index(name, "matters", columns, postgresql_where=cond, sqlite_where=cond)

    op.create_table(
        "matter_applications",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("matter_id", "matters", nullable=False, index=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("until", TS, nullable=False),
        sa.Column("due_at_before", TS, nullable=True),
        sa.Column("holder_level", sa.String(12), nullable=False),
        sa.Column("approver_level", sa.String(12), nullable=False),
        _fk("applied_by_id", "users", nullable=True),
        sa.Column("applied_at", TS, nullable=False),
        sa.Column("decision", sa.String(10), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        _fk("decided_by_id", "users", nullable=True),
        sa.Column("decided_at", TS, nullable=True),
    )
    op.create_table(
        "matter_cooperators",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("matter_id", "matters", nullable=False, index=True),
        _fk("department_id", "departments", nullable=False, index=True),
        _fk("added_by_id", "users", nullable=True),
        sa.Column("added_at", TS, nullable=False),
        sa.Column("part", sa.Text(), nullable=True),
        _fk("part_by_id", "users", nullable=True),
        sa.Column("part_at", TS, nullable=True),
        sa.UniqueConstraint("matter_id", "department_id", name="uq_matter_cooperators"),
    )
    op.create_table(
        "mediations",
        _fk("matter_id", "matters", primary_key=True),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("agreement", sa.Text(), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(12), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "mediation_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("matter_id", "matters", nullable=False, index=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("mediators", sa.String(200), nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        _fk("recorded_by_id", "users", nullable=True),
        sa.Column("recorded_at", TS, nullable=False),
    )


def downgrade() -> None:
    for table in ("mediation_sessions", "mediations", "matter_cooperators", "matter_applications"):
        op.drop_table(table)
    for name, _columns, _where in reversed(PARTIAL):
        op.drop_index(name, table_name="matters")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_matters_verified_by_id_users", "matters", type_="foreignkey")
    for column in reversed(MATTER_COLUMNS):
        op.drop_column("matters", column.name)
    op.execute(sa.text("DELETE FROM categories WHERE code = 'dispute' AND id NOT IN (SELECT category_id FROM matters)"))
    with op.batch_alter_table("categories") as batch:
        batch.drop_column("loop_rules")
