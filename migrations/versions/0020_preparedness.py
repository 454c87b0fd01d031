"""Preparedness (issue 14): supplies and equipment in reserve 应急物资储备 of the stations and streets with their
stock changes, and the 24-hour duty roster 值班表 of the same units.

Revision ID: 0020_preparedness
Revises: 0019_registries
Create Date: 2026-12-02 03:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_preparedness"
down_revision = "0019_registries"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _unit() -> list[sa.Column]:
    return [
        sa.Column("unit_level", sa.String(12), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), sa.ForeignKey("districts.id"), nullable=False, index=True),
        sa.Column("street_id", sa.Integer(), sa.ForeignKey("streets.id"), nullable=False, index=True),
        sa.Column("community_id", sa.Integer(), sa.ForeignKey("communities.id"), nullable=True, index=True),
    ]


def upgrade() -> None:
    op.create_table(
        "reserve_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_unit(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("measure", sa.String(10), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("min_quantity", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(200), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("keeper_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("low_alerted_at", TS, nullable=True),
        sa.Column("expiring_alerted_at", TS, nullable=True),
        sa.Column("expired_alerted_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_reserve_items_unit", "reserve_items", ["unit_level", "unit_id"])
    op.create_table(
        "reserve_moves",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("reserve_items.id"), nullable=False, index=True),
        sa.Column("direction", sa.String(4), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("balance", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
    )
    op.create_table(
        "duty_days",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_unit(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("duty_phone", sa.String(30), nullable=True),
        sa.Column("note", sa.String(200), nullable=False),
        sa.UniqueConstraint("unit_level", "unit_id", "day", name="uq_duty_days_unit_day"),
    )


def downgrade() -> None:
    op.drop_table("duty_days")
    op.drop_table("reserve_moves")
    op.drop_index("ix_reserve_items_unit", table_name="reserve_items")
    op.drop_table("reserve_items")
