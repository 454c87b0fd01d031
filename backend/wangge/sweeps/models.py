"""A household sweep 逐户排查: a campaign over chosen grids (an epidemic check, a census of rented houses), one task per
house of those grids, each ticked off by the grid team with a result.

不漏户: creating the campaign makes a task for every active house of the registry in its grids, vacant ones too (the
team confirms a vacant house is still empty: result `vacant`). The tasks are fixed when the campaign is made; a house
registered later is not added. A task holds the latest result (by the time the phone says it was ticked); every tick is
also a registry event (`reg_events`, kind `swept`), so the history stays whole.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wangge.database import Base
from wangge.models_common import UTCDateTime, utcnow


class Purpose(enum.StrEnum):
    epidemic = "epidemic"  # 疫情排查
    rental_census = "rental_census"  # 出租房屋普查
    population = "population"  # 人口信息核查
    safety = "safety"  # 安全隐患排查
    other = "other"  # 其他


class Result(enum.StrEnum):
    normal = "normal"  # 正常
    abnormal = "abnormal"  # 异常 (a note says what)
    absent = "absent"  # 无人在家: to be visited again, still missed
    vacant = "vacant"  # 空置


class Sweep(Base):
    """The campaign: made by a street officer (grids of their street) or a station chief (of their community); closed
    rather than deleted."""

    __tablename__ = "sweeps"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    start_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), nullable=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), nullable=True, index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open, closed
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class SweepGrid(Base):
    __tablename__ = "sweep_grids"
    __table_args__ = (UniqueConstraint("sweep_id", "grid_id", name="uq_sweep_grids"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sweep_id: Mapped[int] = mapped_column(ForeignKey("sweeps.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)


class SweepTask(Base):
    """One household of the campaign: its house, with the grid and building copied so that progress per grid and per
    building is one GROUP BY over this table."""

    __tablename__ = "sweep_tasks"
    __table_args__ = (
        UniqueConstraint("sweep_id", "house_id", name="uq_sweep_tasks_house"),
        Index("ix_sweep_tasks_sweep_grid_building", "sweep_id", "grid_id", "building_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sweep_id: Mapped[int] = mapped_column(ForeignKey("sweeps.id"))
    house_id: Mapped[int] = mapped_column(ForeignKey("reg_houses.id"))
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"))
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"))
    result: Mapped[str | None] = mapped_column(String(20), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    ticked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ticked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    ticks: Mapped[int] = mapped_column(Integer, default=0)
