"""The registries 一标三实 of a grid: standard addresses with their houses, people and their residencies, tenancies,
the events that changed them, and the log of every unmasked read and export of personal data.

A standard address is one room of a building (building → unit → floor → room) and one house 实有房屋 stands at it,
so both are one row (`reg_houses`). Who lived where is kept as residencies with a first and a last day, so the
registry on any past day is one condition; the events say who recorded each change and when. Identity numbers and
phones are stored only encrypted (AES-GCM), identity numbers also as a keyed hash for exact search
(registries/personal.py). Nothing is hard-deleted.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wangge.database import Base
from wangge.models_common import UTCDateTime, utcnow


class HouseUse(enum.StrEnum):
    owner_occupied = "owner_occupied"  # 自住
    rented = "rented"  # 出租
    vacant = "vacant"  # 空置
    business = "business"  # 经营


class Residence(enum.StrEnum):
    registered = "registered"  # 户籍
    floating = "floating"  # 流动


class Relation(enum.StrEnum):
    head = "head"  # 户主
    spouse = "spouse"  # 配偶
    child = "child"  # 子女
    parent = "parent"  # 父母
    relative = "relative"  # 其他亲属
    tenant = "tenant"  # 租户
    other = "other"  # 其他


class EventKind(enum.StrEnum):
    registered = "registered"  # 登记
    moved_in = "moved_in"  # 迁入
    moved_out = "moved_out"  # 迁出
    tenancy_started = "tenancy_started"  # 起租
    tenancy_ended = "tenancy_ended"  # 退租
    died = "died"  # 死亡
    groups_changed = "groups_changed"  # 特殊群体变更
    use_changed = "use_changed"  # 房屋用途变更
    swept = "swept"  # 逐户排查: a household ticked in a sweep (sweeps/), with its result in the detail


class House(Base):
    """A standard address 标准地址 (one room of a building) and the house 实有房屋 at it."""

    __tablename__ = "reg_houses"
    __table_args__ = (UniqueConstraint("building_id", "unit", "room", name="uq_reg_houses_address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"), index=True)
    unit: Mapped[str] = mapped_column(String(10), default="")  # 单元, "" when the building has none
    floor: Mapped[int] = mapped_column(Integer)
    room: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(200))  # 锦湖苑3栋2单元501
    use: Mapped[str] = mapped_column(String(20), default=HouseUse.owner_occupied.value)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Person(Base):
    """A person of the real population 实有人口; `house_id` is where they live now (their open residency)."""

    __tablename__ = "reg_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    house_id: Mapped[int | None] = mapped_column(ForeignKey("reg_houses.id"), index=True, nullable=True)
    name: Mapped[str] = mapped_column(String(50))
    residence: Mapped[str] = mapped_column(String(20))
    relation: Mapped[str] = mapped_column(String(20), default=Relation.other.value)
    special_groups: Mapped[list[str]] = mapped_column(JSON, default=list)  # fieldwork SpecialGroup codes
    phone_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    id_number_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    id_number_hash: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    registration_due: Mapped[date | None] = mapped_column(Date, nullable=True)  # 居住登记 renewal, floating only
    died_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Residency(Base):
    """A person living at a house from `start_on` until the day before `end_on` (open while they live there)."""

    __tablename__ = "reg_residencies"
    __table_args__ = (
        Index("ix_reg_residencies_house_start", "house_id", "start_on"),
        # Who lives in a grid on a day without its past (registries.service.living): its open residencies (end_on
        # IS NULL, in person order: the people list's pages) and those that end after the day, ranges of this index.
        Index("ix_reg_residencies_grid_end", "grid_id", "end_on", "person_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("reg_people.id"), index=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("reg_houses.id"))
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"))  # indexed first in both indexes above
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class Tenancy(Base):
    """A tenancy 租赁: a person renting a house from `start_on` until `end_on` (open while it runs)."""

    __tablename__ = "reg_tenancies"
    __table_args__ = (
        # A grid's tenancies, newest first, in pages; and those running on a day (open, or ending after it).
        Index("ix_reg_tenancies_grid_start", "grid_id", "start_on", "id"),
        Index("ix_reg_tenancies_grid_end", "grid_id", "end_on", "start_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("reg_houses.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("reg_people.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RegistryEvent(Base):
    """A change of the registry: what, on which day it took effect, who recorded it and when."""

    __tablename__ = "reg_events"
    __table_args__ = (
        Index("ix_reg_events_grid_recorded", "grid_id", "recorded_at"),
        Index("ix_reg_events_house_recorded", "house_id", "recorded_at"),  # a house's newest event (houses list)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"))
    kind: Mapped[str] = mapped_column(String(30))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("reg_people.id"), index=True, nullable=True)
    house_id: Mapped[int | None] = mapped_column(ForeignKey("reg_houses.id"), nullable=True)
    effective_on: Mapped[date] = mapped_column(Date)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PersonalDataAccess(Base):
    """One unmasked read or export of personal data: who, when, which records (PIPL access log)."""

    __tablename__ = "personal_data_access"
    __table_args__ = (
        # The log in keyset pages, newest first: the whole of it (system administrators), and an area's.
        Index("ix_personal_data_access_at_id", "at", "id"),
        Index("ix_personal_data_access_district_at", "district_id", "at", "id"),
        Index("ix_personal_data_access_street_at", "street_id", "at", "id"),
        Index("ix_personal_data_access_community_at", "community_id", "at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    user_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))  # reveal | export
    person_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"), nullable=True)
    district_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    street_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    community_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
