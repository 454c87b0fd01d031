"""Maps, the field app and the resident side (issue 13): which categories residents choose from and under what
plain name; "after" photos beside the "before" ones; the numbers the public may call (a grid's published duty
number, a station's duty phone, a person's own phone only when they allowed it); each user's language, for their
notifications; and "me too" 我也遇到 on an open public-space report instead of a duplicate.

Revision ID: 0018_field_and_residents
Revises: 0017_assessment
Create Date: 2026-12-01 23:20:00
"""

import sqlalchemy as sa
from alembic import op

from wangge.matters.seed import RESIDENT_NAMES

revision = "0018_field_and_residents"
down_revision = "0017_assessment"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
COLUMNS = (
    ("categories", sa.Column("resident_facing", sa.Boolean(), nullable=False, server_default=sa.false())),
    ("categories", sa.Column("public_name_zh", sa.String(50), nullable=True)),
    ("categories", sa.Column("public_name_en", sa.String(80), nullable=True)),
    ("photos", sa.Column("stage", sa.String(10), nullable=False, server_default="before")),
    ("grids", sa.Column("duty_phone", sa.String(30), nullable=True)),
    ("communities", sa.Column("duty_phone", sa.String(30), nullable=True)),
    ("users", sa.Column("phone_public", sa.Boolean(), nullable=False, server_default=sa.false())),
    ("users", sa.Column("language", sa.String(10), nullable=False, server_default="zh-CN")),
)


def upgrade() -> None:
    for table, column in COLUMNS:
        op.add_column(table, column)
    categories = sa.table(
        "categories",
        sa.column("code", sa.String),
        sa.column("resident_facing", sa.Boolean),
        sa.column("public_name_zh", sa.String),
        sa.column("public_name_en", sa.String),
    )
    for code, (zh, en) in RESIDENT_NAMES.items():
        op.execute(
            categories.update()
            .where(categories.c.code == code)
            .values(resident_facing=True, public_name_zh=zh, public_name_en=en)
        )
    op.create_table(
        "matter_supporters",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("matter_id", sa.Integer(), sa.ForeignKey("matters.id", ondelete="CASCADE"), nullable=False),
        # A keyed hash of the device's own token: one "me too" per device and report, nothing that names anyone.
        sa.Column("client_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("matter_id", "client_hash", name="uq_matter_supporters_matter_client"),
    )


def downgrade() -> None:
    op.drop_table("matter_supporters")
    for table, column in reversed(COLUMNS):
        op.drop_column(table, column.name)
