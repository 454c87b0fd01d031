"""Field work tables. Tracks are sensitive personal data: only the person and station chiefs and above within scope
may read them, and they are removed after the retention period (see patrols service)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wangge.database import Base
from wangge.models_common import UTCDateTime, utcnow

# Team roles of DOMAIN.md ("People and posts").
TEAM_ROLES = (
    "floating_population_assistant",
    "residents_group_leader",
    "building_head",
    "party_member",
    "property_staff",
    "household_head",
    "volunteer",
    "informant",
    "grid_member",
)
# The eight staff types 新八大员.
STAFF_TYPES = (
    "city_management_assistant",
    "patrol_member",
    "peoples_mediator",
    "volunteer_firefighter",
    "community_informant",
    "harmony_supervisor",
    "volunteer_safety_officer",
    "legal_publicist",
)


class GridLeadership(Base):
    """Who led a grid when: one open row (ended_at empty) per grid; a change of leader closes the old row."""

    __tablename__ = "grid_leaderships"
    __table_args__ = (Index("ix_grid_leaderships_open", "grid_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class TeamMember(Base):
    """A member of a grid's team (with or without an account), for the period they serve."""

    __tablename__ = "team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    team_role: Mapped[str] = mapped_column(String(40))
    staff_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class PostPair(Base):
    """An A/B post 岗: the leaders of two adjacent grids back each other up."""

    __tablename__ = "post_pairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_a_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    grid_b_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    distance_m: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Leave(Base):
    """A leave request; approved by the station chief. While approved, the A/B partner covers the grid."""

    __tablename__ = "leaves"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    end_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="requested")  # requested, approved, refused, cancelled
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decision_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    both_away: Mapped[bool] = mapped_column(Boolean, default=False)  # flagged to the chief at approval
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Shift(Base):
    """A recurring shift of the staggered-hours system 错时工作制 (Beijing local times)."""

    __tablename__ = "shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    start_time: Mapped[str] = mapped_column(String(5))  # "HH:MM"
    end_time: Mapped[str] = mapped_column(String(5))
    label: Mapped[str | None] = mapped_column(String(30), nullable=True)


class Patrol(Base):
    __tablename__ = "patrols"
    __table_args__ = (
        UniqueConstraint("user_id", "client_id", name="uq_patrols_user_client"),
        Index("ix_patrols_started_at_id", "started_at", "id"),  # the desk's table (migration 0015)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))  # made by the phone, so a repeated start is one patrol
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    distance_m: Mapped[float] = mapped_column(Float, default=0.0)
    point_count: Mapped[int] = mapped_column(Integer, default=0)
    flagged_count: Mapped[int] = mapped_column(Integer, default=0)
    # The track, rebuilt from the ordered points whenever points arrive; stored so the database computes coverage.
    track = mapped_column(Geometry("LINESTRING", srid=4326, spatial_index=False), nullable=True)


class PatrolPoint(Base):
    __tablename__ = "patrol_points"
    __table_args__ = (
        UniqueConstraint("patrol_id", "client_id", name="uq_patrol_points_patrol_client"),
        # The last point of a patrol (ORDER BY recorded_at DESC, client_id DESC LIMIT 1) in one index probe.
        Index("ix_patrol_points_patrol_time_client", "patrol_id", "recorded_at", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrols.id"))
    client_id: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    # A point implying an impossible speed from the one before is kept and flagged, never silently dropped.
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_reason: Mapped[str | None] = mapped_column(String(100), nullable=True)


class PatrolBatch(Base):
    """A batch of points received, by the phone's batch id: a repeated batch is acknowledged, not stored twice."""

    __tablename__ = "patrol_batches"
    __table_args__ = (UniqueConstraint("patrol_id", "batch_id", name="uq_patrol_batches_patrol_batch"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrols.id"), index=True)
    batch_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    point_count: Mapped[int] = mapped_column(Integer)
    new_points: Mapped[int] = mapped_column(Integer)


class CheckIn(Base):
    __tablename__ = "patrol_checkins"
    __table_args__ = (UniqueConstraint("patrol_id", "client_id", name="uq_patrol_checkins_patrol_client"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrols.id"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class PatrolFinding(Base):
    """Something seen on a patrol: a matter it became, or a note of what was handled on the spot."""

    __tablename__ = "patrol_findings"
    __table_args__ = (UniqueConstraint("patrol_id", "client_id", name="uq_patrol_findings_patrol_client"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("patrols.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), nullable=True, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    handled_on_spot: Mapped[bool] = mapped_column(Boolean, default=False)


class DailyLog(Base):
    """The grid leader's day 网格长工作日志, built from patrols and matters and signed at day's end 日清."""

    __tablename__ = "daily_logs"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_daily_logs_user_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the items as signed


class Disposition(Base):
    """What became of one item of a day: handled, brought back, escalated, or carried over with a reason."""

    __tablename__ = "log_dispositions"
    __table_args__ = (UniqueConstraint("user_id", "day", "item_kind", "item_id", name="uq_log_dispositions_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    item_kind: Mapped[str] = mapped_column(String(20))  # matter, finding
    item_id: Mapped[int] = mapped_column(Integer)
    disposition: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SpecialGroup(Base):
    """A special group 特殊群体 (elderly living alone, disabled, …) with its required visit frequency."""

    __tablename__ = "special_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(80))
    visit_every_days: Mapped[int] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class SpecialResident(Base):
    """A resident in a special group; phone and ID number are masked unless the caller may read personal data. The
    identity number is stored only encrypted (AES-GCM) and as its keyed hash for exact search, as the registries'
    (registries/personal.py; migration 0023)."""

    __tablename__ = "special_residents"

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("special_groups.id"), index=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id"), nullable=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    id_number_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    id_number_hash: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    visit_every_days: Mapped[int | None] = mapped_column(Integer, nullable=True)  # overrides the group's
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class HomeVisit(Base):
    """A home visit 入户走访, made by the A/B pair together."""

    __tablename__ = "home_visits"
    __table_args__ = (Index("ix_home_visits_visited_at_id", "visited_at", "id"),)  # the desk's table (migration 0015)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("special_residents.id"), index=True)
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime())
    visitor_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LogRemark(Base):
    """A remark 督查意见 of the station chief (or the street above) on a grid leader's day or week; the leader reads it
    on their own day and week, and marks it read."""

    __tablename__ = "log_remarks"
    __table_args__ = (Index("ix_log_remarks_user_kind_day", "user_id", "kind", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # the leader whose log it is on
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"))  # the leader's grid then (the remark's area)
    kind: Mapped[str] = mapped_column(String(8))  # day, week
    day: Mapped[date] = mapped_column(Date)  # the day, or the Monday of the week
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
