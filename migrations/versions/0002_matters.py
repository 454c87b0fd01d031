"""Matters: categories, matters, handoffs, the event trail, photos, idempotency keys, the notification outbox,
in-app notifications, calendar overrides and Open311 API keys.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from wangge.matters.seed import categories
from wangge.models_common import utcnow
from wangge.spatial_ddl import add_geometry, drop_spatial_table

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _fk(column: str, target: str, nullable: bool = True, index: bool = False) -> sa.Column:
    return sa.Column(column, sa.Integer, sa.ForeignKey(f"{target}.id"), nullable=nullable, index=index)


def upgrade() -> None:
    cats = op.create_table(
        "categories",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("name_zh", sa.String(50), nullable=False),
        sa.Column("name_en", sa.String(80), nullable=False),
        sa.Column("icon", sa.String(40), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        _fk("department_id", "departments", index=True),
        sa.Column("default_route", sa.String(20), nullable=False),
        sa.Column("is_emergency", sa.Boolean, nullable=False),
        sa.Column("time_limits", sa.JSON, nullable=False),
        sa.Column("open311_code", sa.String(40), nullable=True, unique=True),
        sa.Column("sort_order", sa.Integer, nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.now()),
    )
    now = utcnow()
    op.bulk_insert(cats, [{**c, "created_at": now, "updated_at": now} for c in categories()])

    op.create_table(
        "matters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tracking_code", sa.String(16), nullable=False, unique=True),
        _fk("category_id", "categories", nullable=False, index=True),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("address", sa.String(300)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        _fk("district_id", "districts", index=True),
        _fk("street_id", "streets", index=True),
        _fk("community_id", "communities", index=True),
        _fk("grid_id", "grids", index=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("external_id", sa.String(64)),
        sa.Column("reporter_name", sa.String(50)),
        sa.Column("reporter_phone", sa.String(20)),
        _fk("reported_by_id", "users"),
        _fk("owner_id", "users", index=True),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("route", sa.String(20)),
        sa.Column("holder_level", sa.String(12), nullable=False),
        _fk("holder_department_id", "departments", index=True),
        sa.Column("handler_status", sa.String(20)),
        sa.Column("result", sa.Text),
        sa.Column("outcome", sa.String(20)),
        _fk("resolved_by_id", "users"),
        sa.Column("rating", sa.String(20)),
        sa.Column("rating_comment", sa.Text),
        sa.Column("rated_at", TS),
        sa.Column("reopen_count", sa.Integer, nullable=False, server_default="0"),
        _fk("merged_into_id", "matters"),
        sa.Column("notice_ends_at", TS),
        sa.Column("sign_due_at", TS),
        sa.Column("due_at", TS),
        sa.Column("overdue_notified_at", TS),
        sa.Column("verify_failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("verify_locked_until", TS),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("resolved_at", TS),
        sa.Column("closed_at", TS),
        sa.UniqueConstraint("source", "external_id", name="uq_matters_source_external_id"),
    )
    op.create_index("ix_matters_status_due", "matters", ["status", "due_at"])
    op.create_index("ix_matters_lat_lon", "matters", ["lat", "lon"])
    add_geometry("matters", "geom", "POINT")

    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("matter_id", "matters", nullable=False, index=True),
        sa.Column("from_level", sa.String(12), nullable=False),
        _fk("from_department_id", "departments"),
        _fk("from_user_id", "users"),
        sa.Column("from_status", sa.String(20), nullable=False),
        sa.Column("to_level", sa.String(12), nullable=False),
        _fk("to_department_id", "departments", index=True),
        _fk("to_user_id", "users"),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sign_due_at", TS),
        sa.Column("due_at", TS),
        sa.Column("signed_at", TS),
        sa.Column("returned_at", TS),
        sa.Column("return_reason", sa.Text),
    )
    op.create_table(
        "matter_events",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("matter_id", "matters", nullable=False, index=True),
        sa.Column("at", TS, nullable=False),
        _fk("actor_id", "users"),
        sa.Column("actor_label", sa.String(100), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("from_status", sa.String(20)),
        sa.Column("to_status", sa.String(20)),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "photos",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token", sa.String(40), nullable=False, unique=True),
        _fk("matter_id", "matters", index=True),
        _fk("uploaded_by_id", "users"),
        sa.Column("mime", sa.String(20), nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("taken_at", TS),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("principal", sa.String(80), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer, nullable=False),
        sa.Column("response", sa.JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("principal", "key", name="uq_idempotency_keys_principal_key"),
    )
    op.create_table(
        "outbox_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("topic", sa.String(60), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("available_at", TS, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", TS),
        sa.Column("lock_owner", sa.String(40)),
        sa.Column("delivered_at", TS),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("ix_outbox_events_pending", "outbox_events", ["delivered_at", "available_at"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        _fk("user_id", "users", nullable=False, index=True),
        _fk("matter_id", "matters"),
        sa.Column("topic", sa.String(60), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("read_at", TS),
        sa.UniqueConstraint("event_id", "user_id", name="uq_notifications_event_id"),
    )
    op.create_table(
        "calendar_overrides",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("is_workday", sa.Boolean, nullable=False),
        sa.Column("note", sa.String(100)),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", TS, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "api_keys",
        "calendar_overrides",
        "notifications",
        "outbox_events",
        "idempotency_keys",
        "photos",
        "matter_events",
        "handoffs",
    ):
        op.drop_table(table)
    drop_spatial_table("matters")
    op.drop_table("categories")
