"""Assessment 考核 tables: the schemes a month is scored with (versioned per street), the frozen monthly results, and
the monthly bulletins 通报 (written by assessment.bulletin)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wangge.database import Base
from wangge.models_common import UTCDateTime, utcnow


class AssessmentScheme(Base):
    """One version of a street's scheme (street_id NULL: the district-wide default). Never changed once written: a
    change is the next version, in force from its `effective_from` (the first day of a month)."""

    __tablename__ = "assessment_schemes"
    __table_args__ = (
        UniqueConstraint("street_id", "version", name="uq_assessment_schemes_street_version"),
        Index("ix_assessment_schemes_street_effective", "street_id", "effective_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date] = mapped_column(Date)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AssessmentResult(Base):
    """A unit's figures of a closed month as they were frozen, with the scheme that scored them: what the month
    shows from then on, whatever later happens to its matters."""

    __tablename__ = "assessment_results"
    __table_args__ = (
        UniqueConstraint("level", "unit_id", "month", name="uq_assessment_results_unit_month"),
        Index("ix_assessment_results_month_level", "month", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(12))
    unit_id: Mapped[int] = mapped_column(Integer)
    month: Mapped[date] = mapped_column(Date)  # its first day
    scheme_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_schemes.id"), nullable=True)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    grade: Mapped[str | None] = mapped_column(String(8), nullable=True)
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    frozen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AssessmentBulletin(Base):
    """A street's monthly bulletin 通报: the ranking, the best and the worst units, the overdue items named."""

    __tablename__ = "assessment_bulletins"
    __table_args__ = (UniqueConstraint("street_id", "month", name="uq_assessment_bulletins_street_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"), index=True)
    month: Mapped[date] = mapped_column(Date)
    scheme_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_schemes.id"), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
