"""Users and their login sessions.

A user's scope is stored as the ids of the whole path down to the scope object (a grid leader has district,
street, community and grid ids), so scope checks are one equality on the deepest id; see scope.py.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from wangge.database import Base
from wangge.models_common import Timestamped, UTCDateTime


class Role(enum.StrEnum):
    administrator = "administrator"
    street_officer = "street_officer"
    department_officer = "department_officer"
    station_chief = "station_chief"
    grid_leader = "grid_leader"
    grid_member = "grid_member"
    resident = "resident"


class ScopeLevel(enum.StrEnum):
    system = "system"
    district = "district"
    street = "street"
    community = "community"
    grid = "grid"
    department = "department"


class User(Timestamped, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # The person allowed their own phone on the public pages (亮证) when their grid publishes no duty number.
    phone_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The language of their notifications and of the server's messages when a request names none (zh-CN, en).
    language: Mapped[str] = mapped_column(String(10), default="zh-CN", server_default="zh-CN")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    scope_level: Mapped[str] = mapped_column(String(16))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True, nullable=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), index=True, nullable=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), index=True, nullable=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"), index=True, nullable=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True, nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when an administrator resets the password: the user must choose their own before anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class LoginSession(Base):
    """One login: the refresh token's hash, rotated on every refresh; revoked at logout.
    Access tokens name their session, so logging out ends them too."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    refresh_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SignInFailure(Base):
    """The lockout record of one username: wrong passwords in a row and when it may be tried again. Kept in the
    database so that it holds across web workers; raised with one INSERT … ON CONFLICT … RETURNING (signin.py).
    Keyed by the name typed, so an unknown name is treated like a known one."""

    __tablename__ = "sign_in_failures"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SpentRefreshToken(Base):
    """A refresh token already exchanged for a new one. Presented again, it has leaked (whoever holds it, the
    owner or a thief, was second), so the login session it belongs to, and every token rotated from that login,
    is ended (OAuth 2.0 Security BCP, refresh token rotation). Kept while the session can still be refreshed."""

    __tablename__ = "spent_refresh_tokens"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("login_sessions.id", ondelete="CASCADE"), index=True)
    spent_at: Mapped[datetime] = mapped_column(UTCDateTime())
