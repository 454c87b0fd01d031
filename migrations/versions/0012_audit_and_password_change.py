"""The audit log of administrative changes, the password a user must change (reset by an administrator), and the
years of the working calendar entered in full by hand

Revision ID: 0012_audit_and_password_change
Revises: 0011_matters_unit_queues
Create Date: 2026-12-01 12:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_audit_and_password_change"
down_revision = "0011_matters_unit_queues"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("actor_name", sa.String(100), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(40), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("street_id", sa.Integer(), nullable=True),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
    )
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
    )
    for name, columns in (
        ("district", ["district_id", "id"]),
        ("street", ["street_id", "id"]),
        ("community", ["community_id", "id"]),
        ("entity", ["entity", "entity_id", "id"]),
        ("actor", ["actor_id", "id"]),
    ):
        op.create_index(f"ix_audit_entries_{name}", "audit_entries", columns)


def downgrade() -> None:
    op.drop_table("calendar_years")
    op.drop_table("audit_entries")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_password")
