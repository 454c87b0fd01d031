"""The grid's registries 一标三实 (issue 14): standard addresses with their houses, people and where they lived when,
tenancies, the events that changed them, the log of unmasked reads and exports of personal data, and the contact
person and duty phone of a unit (places).

Revision ID: 0019_registries
Revises: 0018_field_and_residents
Create Date: 2026-12-02 03:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_registries"
down_revision = "0018_field_and_residents"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _fk(column: str, target: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(column, sa.Integer(), sa.ForeignKey(target), nullable=nullable)


def upgrade() -> None:
    op.add_column("places", sa.Column("contact_person", sa.String(50), nullable=True))
    op.add_column("places", sa.Column("duty_phone", sa.String(30), nullable=True))
    op.create_table(
        "reg_houses",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("grid_id", "grids.id"),
        _fk("building_id", "buildings.id"),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("floor", sa.Integer(), nullable=False),
        sa.Column("room", sa.String(10), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("use", sa.String(20), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("building_id", "unit", "room", name="uq_reg_houses_address"),
    )
    op.create_index("ix_reg_houses_grid_id", "reg_houses", ["grid_id"])
    op.create_index("ix_reg_houses_building_id", "reg_houses", ["building_id"])
    op.create_table(
        "reg_people",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("grid_id", "grids.id"),
        _fk("house_id", "reg_houses.id", nullable=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("residence", sa.String(20), nullable=False),
        sa.Column("relation", sa.String(20), nullable=False),
        sa.Column("special_groups", sa.JSON(), nullable=False),
        sa.Column("phone_enc", sa.Text(), nullable=True),
        sa.Column("id_number_enc", sa.Text(), nullable=True),
        sa.Column("id_number_hash", sa.String(64), nullable=True),
        sa.Column("registration_due", sa.Date(), nullable=True),
        sa.Column("died_on", sa.Date(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        _fk("created_by_id", "users.id"),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_reg_people_grid_id", "reg_people", ["grid_id"])
    op.create_index("ix_reg_people_house_id", "reg_people", ["house_id"])
    op.create_index("ix_reg_people_id_number_hash", "reg_people", ["id_number_hash"])
    op.create_table(
        "reg_residencies",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("person_id", "reg_people.id"),
        _fk("house_id", "reg_houses.id"),
        _fk("grid_id", "grids.id"),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_reg_residencies_person_id", "reg_residencies", ["person_id"])
    op.create_index("ix_reg_residencies_grid_id", "reg_residencies", ["grid_id"])
    op.create_index("ix_reg_residencies_house_start", "reg_residencies", ["house_id", "start_on"])
    op.create_table(
        "reg_tenancies",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("house_id", "reg_houses.id"),
        _fk("person_id", "reg_people.id"),
        _fk("grid_id", "grids.id"),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        _fk("created_by_id", "users.id"),
        sa.Column("created_at", TS, nullable=False),
    )
    for column in ("house_id", "person_id", "grid_id"):
        op.create_index(f"ix_reg_tenancies_{column}", "reg_tenancies", [column])
    op.create_table(
        "reg_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("grid_id", "grids.id"),
        sa.Column("kind", sa.String(30), nullable=False),
        _fk("person_id", "reg_people.id", nullable=True),
        _fk("house_id", "reg_houses.id", nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        _fk("recorded_by_id", "users.id"),
        sa.Column("recorded_at", TS, nullable=False),
    )
    op.create_index("ix_reg_events_person_id", "reg_events", ["person_id"])
    op.create_index("ix_reg_events_grid_recorded", "reg_events", ["grid_id", "recorded_at"])
    op.create_table(
        "personal_data_access",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", TS, nullable=False),
        _fk("user_id", "users.id"),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("person_ids", sa.JSON(), nullable=False),
        _fk("grid_id", "grids.id", nullable=True),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("street_id", sa.Integer(), nullable=True),
        sa.Column("community_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_personal_data_access_at", "personal_data_access", ["at"])
    op.create_index("ix_personal_data_access_user_id", "personal_data_access", ["user_id"])


def downgrade() -> None:
    for table in ("personal_data_access", "reg_events", "reg_tenancies", "reg_residencies", "reg_people"):
        op.drop_table(table)
    op.drop_table("reg_houses")
    op.drop_column("places", "duty_phone")
    op.drop_column("places", "contact_person")
