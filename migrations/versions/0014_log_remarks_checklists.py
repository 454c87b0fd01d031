"""Remarks of the station chief (and the street above) on grid leaders' daily logs and weekly summaries; checklist
templates of one street; inspection tasks keeping the checklist they were issued with, and remarks per item

Revision ID: 0014_log_remarks_checklists
Revises: 0013_desk_tables
Create Date: 2026-12-01 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_log_remarks_checklists"
down_revision = "0013_desk_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "log_remarks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_log_remarks_user_id_users"), nullable=False
        ),
        sa.Column(
            "grid_id", sa.Integer(), sa.ForeignKey("grids.id", name="fk_log_remarks_grid_id_grids"), nullable=False
        ),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "author_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_log_remarks_author_id_users"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_log_remarks_user_kind_day", "log_remarks", ["user_id", "kind", "day"])
    with op.batch_alter_table("checklist_templates") as batch:
        batch.add_column(sa.Column("street_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_checklist_templates_street_id_streets", "streets", ["street_id"], ["id"])
        batch.create_index("ix_checklist_templates_street_id", ["street_id"])
    with op.batch_alter_table("inspection_tasks") as batch:
        batch.add_column(sa.Column("checklist", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("remarks", sa.JSON(), nullable=True))
    # The tasks already issued keep the checklist as it reads now.
    bind = op.get_bind()
    templates = sa.table(
        "checklist_templates",
        sa.column("id", sa.Integer()),
        sa.column("code", sa.String()),
        sa.column("name_zh", sa.String()),
        sa.column("name_en", sa.String()),
        sa.column("hazard_type", sa.String()),
        sa.column("items", sa.JSON()),
    )
    tasks = sa.table("inspection_tasks", sa.column("template_id", sa.Integer()), sa.column("checklist", sa.JSON()))
    for t in bind.execute(sa.select(templates)).mappings().all():
        snapshot = {k: t[k] for k in ("code", "name_zh", "name_en", "hazard_type", "items")}
        bind.execute(sa.update(tasks).where(tasks.c.template_id == t["id"]).values(checklist=snapshot))


def downgrade() -> None:
    with op.batch_alter_table("inspection_tasks") as batch:
        batch.drop_column("remarks")
        batch.drop_column("checklist")
    with op.batch_alter_table("checklist_templates") as batch:
        batch.drop_index("ix_checklist_templates_street_id")
        batch.drop_constraint("fk_checklist_templates_street_id_streets", type_="foreignkey")
        batch.drop_column("street_id")
    op.drop_index("ix_log_remarks_user_kind_day", table_name="log_remarks")
    op.drop_table("log_remarks")
