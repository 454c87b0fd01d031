"""Field work: grid leaderships, team members, A/B posts, leaves, shifts, patrols with points, batches, check-ins
and findings, daily logs and dispositions, special groups, special residents and home visits.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from wangge.spatial_ddl import add_geometry, drop_spatial_table

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True)


def _fk(column: str, target: str, nullable: bool = False, index: bool = True) -> sa.Column:
    return sa.Column(column, sa.Integer, sa.ForeignKey(f"{target}.id"), nullable=nullable, index=index)


SPECIAL_GROUPS = [
    ("elderly_alone", "独居老人", "Elderly living alone", 7),
    ("empty_nest", "空巢老人", "Empty-nest elderly", 14),
    ("disabled", "残疾人", "People with disabilities", 14),
    ("left_behind_children", "留守儿童", "Left-behind children", 14),
    ("low_income", "低保户", "Low-income households", 30),
]


def upgrade() -> None:
    op.create_table(
        "grid_leaderships",
        _id(),
        _fk("grid_id", "grids"),
        _fk("user_id", "users"),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("ended_at", TS),
        _fk("assigned_by_id", "users", nullable=True, index=False),
    )
    op.create_index("ix_grid_leaderships_open", "grid_leaderships", ["grid_id", "ended_at"])
    op.create_table(
        "team_members",
        _id(),
        _fk("grid_id", "grids"),
        _fk("user_id", "users", nullable=True, index=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(20)),
        sa.Column("team_role", sa.String(40), nullable=False),
        sa.Column("staff_types", sa.JSON, nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "post_pairs",
        _id(),
        _fk("grid_a_id", "grids"),
        _fk("grid_b_id", "grids"),
        sa.Column("distance_m", sa.Float, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        _fk("created_by_id", "users", nullable=True, index=False),
        sa.Column("ended_at", TS),
    )
    op.create_table(
        "leaves",
        _id(),
        _fk("user_id", "users"),
        _fk("grid_id", "grids"),
        sa.Column("start_at", TS, nullable=False),
        sa.Column("end_at", TS, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        _fk("decided_by_id", "users", nullable=True, index=False),
        sa.Column("decided_at", TS),
        sa.Column("decision_note", sa.Text),
        sa.Column("both_away", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "shifts",
        _id(),
        _fk("user_id", "users"),
        sa.Column("weekday", sa.Integer, nullable=False),
        sa.Column("start_time", sa.String(5), nullable=False),
        sa.Column("end_time", sa.String(5), nullable=False),
        sa.Column("label", sa.String(30)),
    )
    op.create_table(
        "patrols",
        _id(),
        sa.Column("client_id", sa.String(64), nullable=False),
        _fk("user_id", "users"),
        _fk("grid_id", "grids"),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("ended_at", TS),
        sa.Column("distance_m", sa.Float, nullable=False),
        sa.Column("point_count", sa.Integer, nullable=False),
        sa.Column("flagged_count", sa.Integer, nullable=False),
        sa.UniqueConstraint("user_id", "client_id", name="uq_patrols_user_client"),
    )
    add_geometry("patrols", "track", "LINESTRING")
    op.create_table(
        "patrol_points",
        _id(),
        _fk("patrol_id", "patrols", index=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("accuracy_m", sa.Float),
        sa.Column("flagged", sa.Boolean, nullable=False),
        sa.Column("flag_reason", sa.String(100)),
        sa.UniqueConstraint("patrol_id", "client_id", name="uq_patrol_points_patrol_client"),
    )
    op.create_index("ix_patrol_points_patrol_time", "patrol_points", ["patrol_id", "recorded_at"])
    op.create_table(
        "patrol_batches",
        _id(),
        _fk("patrol_id", "patrols"),
        sa.Column("batch_id", sa.String(64), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("point_count", sa.Integer, nullable=False),
        sa.Column("new_points", sa.Integer, nullable=False),
        sa.UniqueConstraint("patrol_id", "batch_id", name="uq_patrol_batches_patrol_batch"),
    )
    op.create_table(
        "patrol_checkins",
        _id(),
        _fk("patrol_id", "patrols"),
        _fk("building_id", "buildings"),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("note", sa.Text),
        sa.UniqueConstraint("patrol_id", "client_id", name="uq_patrol_checkins_patrol_client"),
    )
    op.create_table(
        "patrol_findings",
        _id(),
        _fk("patrol_id", "patrols"),
        sa.Column("client_id", sa.String(64), nullable=False),
        _fk("matter_id", "matters", nullable=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("handled_on_spot", sa.Boolean, nullable=False),
        sa.UniqueConstraint("patrol_id", "client_id", name="uq_patrol_findings_patrol_client"),
    )
    op.create_table(
        "daily_logs",
        _id(),
        _fk("user_id", "users"),
        _fk("grid_id", "grids"),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("signed_at", TS),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.UniqueConstraint("user_id", "day", name="uq_daily_logs_user_day"),
    )
    op.create_table(
        "log_dispositions",
        _id(),
        _fk("user_id", "users"),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("item_kind", sa.String(20), nullable=False),
        sa.Column("item_id", sa.Integer, nullable=False),
        sa.Column("disposition", sa.String(20), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("user_id", "day", "item_kind", "item_id", name="uq_log_dispositions_item"),
    )
    groups = op.create_table(
        "special_groups",
        _id(),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("name_zh", sa.String(50), nullable=False),
        sa.Column("name_en", sa.String(80), nullable=False),
        sa.Column("visit_every_days", sa.Integer, nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
    )
    op.bulk_insert(
        groups,
        [
            {"code": c, "name_zh": zh, "name_en": en, "visit_every_days": d, "is_active": True}
            for c, zh, en, d in SPECIAL_GROUPS
        ],
    )
    op.create_table(
        "special_residents",
        _id(),
        _fk("grid_id", "grids"),
        _fk("group_id", "special_groups"),
        _fk("building_id", "buildings", nullable=True, index=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(20)),
        sa.Column("id_number", sa.String(18)),
        sa.Column("address", sa.String(200)),
        sa.Column("visit_every_days", sa.Integer),
        sa.Column("note", sa.Text),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "home_visits",
        _id(),
        _fk("resident_id", "special_residents"),
        sa.Column("visited_at", TS, nullable=False),
        sa.Column("visitor_ids", sa.JSON, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        _fk("created_by_id", "users", index=False),
        sa.Column("created_at", TS, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "home_visits",
        "special_residents",
        "special_groups",
        "log_dispositions",
        "daily_logs",
        "patrol_findings",
        "patrol_checkins",
        "patrol_batches",
        "patrol_points",
    ):
        op.drop_table(table)
    drop_spatial_table("patrols")
    for table in ("shifts", "leaves", "post_pairs", "team_members", "grid_leaderships"):
        op.drop_table(table)
