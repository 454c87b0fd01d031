"""Tables of preparedness: the items in reserve of a station (community) or a street, each change of their stock,
and the day-by-day duty roster of the same units."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wangge.database import Base
from wangge.models_common import Timestamped, UTCDateTime, utcnow


class ReserveItem(Timestamped, Base):
    """One kind of supplies or equipment 物资 kept by a station (unit_level community) or a street, where it is kept,
    how many (in its unit of measure), its expiry and its keeper. Never deleted, only deactivated.

    The `*_alerted_at` columns say that the keepers were told (once) that the item ran low, is about to expire or
    has expired; a change that ends the state (stock back at the minimum, a new expiry date) clears them, so a later
    occurrence is told again."""

    __tablename__ = "reserve_items"
    __table_args__ = (Index("ix_reserve_items_unit", "unit_level", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_level: Mapped[str] = mapped_column(String(12))  # community (its service station), street
    unit_id: Mapped[int] = mapped_column(Integer)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), index=True, nullable=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(20))  # flood, fire, medical, food, rescue, power, other
    measure: Mapped[str] = mapped_column(String(10))  # the unit of measure: 件, 箱, 个, 台 …
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    min_quantity: Mapped[int] = mapped_column(Integer, default=0)
    location: Mapped[str] = mapped_column(String(200))
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    keeper_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    low_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    expiring_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    expired_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class StockMove(Base):
    """Stock in 入库 or out 出库 of an item, with the reason, who and when; the item's quantity after it."""

    __tablename__ = "reserve_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("reserve_items.id"), index=True)
    direction: Mapped[str] = mapped_column(String(4))  # in, out
    quantity: Mapped[int] = mapped_column(Integer)
    balance: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class DutyDay(Base):
    """Who is on 24-hour duty 值班 at a station (unit_level community) or a street on one day, and the duty phone
    of that day. A cleared day keeps its row with no person (nothing is deleted)."""

    __tablename__ = "duty_days"
    __table_args__ = (UniqueConstraint("unit_level", "unit_id", "day", name="uq_duty_days_unit_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_level: Mapped[str] = mapped_column(String(12))
    unit_id: Mapped[int] = mapped_column(Integer)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), index=True, nullable=True)
    day: Mapped[date] = mapped_column(Date)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    duty_phone: Mapped[str | None] = mapped_column(String(30), nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")
