"""An early warning 预警 issued to chosen grids, the grids it covers, and each staff member's acknowledgement."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wangge.database import Base
from wangge.models_common import UTCDateTime, utcnow


class EarlyWarning(Base):
    """Issued by a street officer (to grids of their street) or a station chief (of their community); lifted 解除
    rather than deleted."""

    __tablename__ = "early_warnings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # rainstorm, typhoon, flood, heat, cold, geological, fire, …
    level: Mapped[str] = mapped_column(String(10))  # blue, yellow, orange, red
    text: Mapped[str] = mapped_column(Text)
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime())
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), nullable=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), nullable=True, index=True)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="active")  # active, lifted
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    lift_note: Mapped[str | None] = mapped_column(Text, nullable=True)


class WarningGrid(Base):
    __tablename__ = "early_warning_grids"
    __table_args__ = (UniqueConstraint("warning_id", "grid_id", name="uq_early_warning_grids"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("early_warnings.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)


class WarningAck(Base):
    """A staff member's 确认收到 (the first time counts)."""

    __tablename__ = "early_warning_acks"
    __table_args__ = (UniqueConstraint("warning_id", "user_id", name="uq_early_warning_acks"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("early_warnings.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
