"""Tables of the station's day: triage meetings with their items and attendance, supervision notes, and the monthly
hazard cycle (checklist templates, inspection tasks, the hazard ledger 台账, monthly meetings, special periods)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wangge.database import Base
from wangge.models_common import UTCDateTime, utcnow


class TriageMeeting(Base):
    """One meeting per station (community) per day; closing it locks it."""

    __tablename__ = "triage_meetings"
    __table_args__ = (UniqueConstraint("community_id", "day", name="uq_triage_meetings_community_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    chair_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    minutes: Mapped[str] = mapped_column(Text, default="")
    # The agenda covers what was brought back since this moment (the previous meeting's opening, or a day before).
    since: Mapped[datetime] = mapped_column(UTCDateTime())


class TriageAttendee(Base):
    __tablename__ = "triage_attendees"
    __table_args__ = (UniqueConstraint("meeting_id", "name", name="uq_triage_attendees_meeting_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("triage_meetings.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str | None] = mapped_column(String(50), nullable=True)


class TriageItem(Base):
    """A matter on the agenda and the chief's decision on it."""

    __tablename__ = "triage_items"
    __table_args__ = (UniqueConstraint("meeting_id", "matter_id", name="uq_triage_items_meeting_matter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("triage_meetings.id"), index=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    decision: Mapped[str | None] = mapped_column(String(20), nullable=True)  # station, escalate, close, merge
    assignee: Mapped[str | None] = mapped_column(String(100), nullable=True)  # a station line 条线 or a person
    assignee_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class SupervisionNote(Base):
    """A supervision note 督办 on a matter; its owner is told."""

    __tablename__ = "supervision_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ChecklistTemplate(Base):
    """A managed inspection checklist (fire, gas, electrical, building, road, production safety): for every street
    (no street: managed by a system administrator) or one street's own (its officers and administrators manage it).
    Never deleted, only deactivated; the tasks already issued keep the items they were issued with."""

    __tablename__ = "checklist_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), nullable=True, index=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(80))
    hazard_type: Mapped[str] = mapped_column(String(30))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{"code", "text_zh", "text_en"}]
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class HazardCycle(Base):
    """A community's month of the hazard cycle: inspect → ledger → meeting → assign → bulletin."""

    __tablename__ = "hazard_cycles"
    __table_args__ = (UniqueConstraint("community_id", "month", name="uq_hazard_cycles_community_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # "YYYY-MM"
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    meeting_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    meeting_minutes: Mapped[str | None] = mapped_column(Text, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class InspectionTask(Base):
    __tablename__ = "inspection_tasks"
    __table_args__ = (UniqueConstraint("cycle_id", "grid_id", "template_id", name="uq_inspection_tasks_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("hazard_cycles.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_templates.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    results: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {item_code: "ok" | "hazard" | "n/a"}
    # The checklist as issued ({"code", "name_zh", "name_en", "hazard_type", "items"}): editing the template later
    # does not change a task already given out.
    checklist: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # What the inspector noted per item ({item_code: text}).
    remarks: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class Hazard(Base):
    """An entry in the hazard ledger 隐患台账."""

    __tablename__ = "hazards"
    __table_args__ = (Index("ix_hazards_deadline_id", "deadline", "id"),)  # the ledger by deadline (migration 0015)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("hazard_cycles.id"), index=True, nullable=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_tasks.id"), nullable=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    place: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    hazard_type: Mapped[str] = mapped_column(String(30))
    risk_level: Mapped[str] = mapped_column(String(10))  # major, high, medium, low
    description: Mapped[str] = mapped_column(Text)
    responsible_unit: Mapped[str] = mapped_column(String(100))
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, assigned, fixed, closed
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), nullable=True)  # the assignment 交办
    photo_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    found_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    fixed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SpecialPeriod(Base):
    """A special period 特护期 during which reporting switches from monthly to daily."""

    __tablename__ = "special_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
