"""Emergency incidents with their timed reports, the three response tiers with named members, activations with each
member's acknowledgement and arrival, contingency plans and drills."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wangge.database import Base
from wangge.models_common import UTCDateTime, utcnow


class Incident(Base):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    incident_type: Mapped[str] = mapped_column(String(30))  # fire, gas, flood, public_health, ...
    severity: Mapped[int] = mapped_column(Integer)  # 1 (I, most severe) .. 4 (IV)
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    geom = mapped_column(Geometry("POINT", srid=4326, spatial_index=False), nullable=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), nullable=True, index=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), nullable=True, index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), nullable=True, index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"), nullable=True, index=True)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), nullable=True)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    known_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Report clocks: the first report is due `first_report_minutes` after the incident is known; follow-ups every
    # `followup_minutes` until the final report.
    first_report_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    followup_minutes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open, closed
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class IncidentReport(Base):
    """首报 first, 续报 follow-up, 终报 final; each with the time it was due and how late it was."""

    __tablename__ = "incident_reports"
    __table_args__ = (UniqueConstraint("incident_id", "sequence", name="uq_incident_reports_sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # first, followup, final
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    late_seconds: Mapped[int] = mapped_column(Integer, default=0)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    nature: Mapped[str] = mapped_column(Text)
    casualties: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {"dead", "injured", "missing"}
    scene_status: Mapped[str] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text, nullable=True)


class ResponseTier(Base):
    """One of the three response tiers 出动层次 of a community or a street, with its named members."""

    __tablename__ = "response_tiers"
    __table_args__ = (UniqueConstraint("unit_level", "unit_id", "tier", name="uq_response_tiers_unit_tier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_level: Mapped[str] = mapped_column(String(12))  # community, street
    unit_id: Mapped[int] = mapped_column(Integer)
    tier: Mapped[int] = mapped_column(Integer)  # 1, 2, 3
    name: Mapped[str] = mapped_column(String(100))


class TierMember(Base):
    __tablename__ = "tier_members"
    __table_args__ = (UniqueConstraint("tier_id", "user_id", name="uq_tier_members_tier_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tier_id: Mapped[int] = mapped_column(ForeignKey("response_tiers.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    duty: Mapped[str | None] = mapped_column(String(100), nullable=True)


class Activation(Base):
    """A tier called out for an incident; muster against the 5-minute target."""

    __tablename__ = "activations"
    __table_args__ = (UniqueConstraint("incident_id", "tier_id", name="uq_activations_incident_tier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    tier_id: Mapped[int] = mapped_column(ForeignKey("response_tiers.id"))
    activated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    activated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    target_minutes: Mapped[int] = mapped_column(Integer, default=5)


class ActivationMember(Base):
    __tablename__ = "activation_members"
    __table_args__ = (UniqueConstraint("activation_id", "user_id", name="uq_activation_members_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activation_id: Mapped[int] = mapped_column(ForeignKey("activations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ContingencyPlan(Base):
    """A contingency plan 预案 for incident types, with its owner and the date it must be reviewed by."""

    __tablename__ = "contingency_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_level: Mapped[str] = mapped_column(String(12))
    unit_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    incident_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    body: Mapped[str] = mapped_column(Text, default="")
    reviewed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    review_due_on: Mapped[date] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class Drill(Base):
    """A drill 演练 of a plan, with participants and findings."""

    __tablename__ = "drills"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("contingency_plans.id"), nullable=True, index=True)
    unit_level: Mapped[str] = mapped_column(String(12))
    unit_id: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    participants: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{"user_id"?, "name"}]
    findings: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
