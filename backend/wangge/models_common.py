"""Column helpers shared by the domain models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, func  # noqa: F401
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC, so naive means UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC that always comes back timezone-aware (SQLite would hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return as_utc(value).astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, server_default=func.now()
    )


def is_sqlite(session: Any) -> bool:
    """Which engine a session runs on, read from its connection: the one question a service asks about the
    dialect (never passed along as a flag). The SQL that differs lives in geo.py and `insert_for`."""
    return session.get_bind().dialect.name == "sqlite"


def insert_for(session: Any, model: Any) -> Any:
    """An INSERT of the session's dialect, which has `on_conflict_do_update` (an atomic upsert on both engines)."""
    from sqlalchemy.dialects import postgresql, sqlite

    return (sqlite.insert if is_sqlite(session) else postgresql.insert)(model)
