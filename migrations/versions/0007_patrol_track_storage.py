"""Patrols in constant time per GPS batch: tracks stored uncompressed on PostgreSQL (each batch extends the day's
line, and compressing a 9,000-point line again at every batch cost 8 ms of a 20-point batch's 35 ms; GPS
coordinates hardly compress), and the patrol's last point found by one index probe (client_id breaks ties of time)

Revision ID: 0007_patrol_track_storage
Revises: 0006_refresh_rotation
Create Date: 2026-12-01 06:00:00
"""

from alembic import op

revision = "0007_patrol_track_storage"
down_revision = "0006_refresh_rotation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE patrols ALTER COLUMN track SET STORAGE EXTERNAL")
    op.create_index("ix_patrol_points_patrol_time_client", "patrol_points", ["patrol_id", "recorded_at", "client_id"])
    op.drop_index("ix_patrol_points_patrol_time", table_name="patrol_points")


def downgrade() -> None:
    op.create_index("ix_patrol_points_patrol_time", "patrol_points", ["patrol_id", "recorded_at"])
    op.drop_index("ix_patrol_points_patrol_time_client", table_name="patrol_points")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE patrols ALTER COLUMN track SET STORAGE MAIN")
