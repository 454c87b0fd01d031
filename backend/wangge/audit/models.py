"""One row per administrative change of one object (audit.recorder writes them when the session flushes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from wangge.database import Base
from wangge.models_common import UTCDateTime, utcnow


class AuditEntry(Base):
    """`changes` maps each field changed to [before, after] (creation: [null, value]; deactivation: is_active).
    Secrets are never stored (a password shows as changed, not its hash); phones are masked, identity numbers
    hidden. The area columns say whose log it is: an administrator reads the entries of their own area."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    actor_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(16))  # create, update, deactivate, reactivate, delete
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))  # the row's key: an id, or a day of the calendar
    label: Mapped[str] = mapped_column(String(200), default="")
    district_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    street_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    community_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        Index("ix_audit_entries_district", "district_id", "id"),
        Index("ix_audit_entries_street", "street_id", "id"),
        Index("ix_audit_entries_community", "community_id", "id"),
        Index("ix_audit_entries_entity", "entity", "entity_id", "id"),
        Index("ix_audit_entries_actor", "actor_id", "id"),
    )
