"""Matters (work orders) and what hangs off them: categories, handoffs 工作单, the append-only event trail, tracking
attempts and photos. Tables every domain shares live with their own modules: the outbox and notifications in
notify.models, idempotency keys in wangge.idempotency, calendar overrides in wangge.workcalendar, Open311 API keys in
open311.models."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import (
    JSON,
    Boolean,
    Computed,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from wangge.database import Base
from wangge.models_common import Timestamped, UTCDateTime, utcnow


class Category(Timestamped, Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(80))
    icon: Mapped[str] = mapped_column(String(40), default="records-o")
    # The level (street or district) and department that own matters of this category.
    level: Mapped[str] = mapped_column(String(10), default="street")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True, index=True)
    default_route: Mapped[str] = mapped_column(String(20), default="station")
    is_emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    # {"grid": {"sign": {"amount": 2, "unit": "working_hours"}, "complete": {...}}, "station": ..., ...}
    time_limits: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    open311_code: Mapped[str | None] = mapped_column(String(40), unique=True, nullable=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=100)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The steps around the routes (schemas.LoopRules): the first-contact limit, how many and how long extensions and
    # suspensions may be, whether a resolution is verified and whether that closes it, callbacks, mediation.
    loop_rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Offered to residents (the report page, Open311 stays as it was), under a plain public name.
    resident_facing: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    public_name_zh: Mapped[str | None] = mapped_column(String(50), nullable=True)
    public_name_en: Mapped[str | None] = mapped_column(String(80), nullable=True)


SCOPE_COLUMNS = ("district_id", "street_id", "community_id", "grid_id", "owner_id", "holder_department_id")

# The statuses of an open matter (flow.OPEN, which imports nothing from here, spelled out for the DDL: a status added
# to the flow is added here and to a migration that rebuilds the open_due_at column and its indexes).
OPEN_STATUSES = (
    "submitted",
    "accepted",
    "at_station",
    "escalated",
    "handling",
    "emergency",
    "approval_review",
    "approval_decision",
    "public_notice",
)
NO_DEADLINE = "9999-12-31 00:00:00+00"  # an open matter without a deadline sorts after every dated one
# When an open matter's current step is due: the earlier of its sign-for and completion deadlines (NO_DEADLINE when
# it has neither); NULL once it is no longer open. Computed by the database from the row itself (stored on
# PostgreSQL, virtual on SQLite) so no write path, bulk UPDATE or generator can let it drift; written for both
# engines (a timestamp comparison on PostgreSQL, ISO text on SQLite).
OPEN_DUE_SQL = (
    "CASE WHEN status IN ({statuses}) THEN COALESCE("
    "CASE WHEN sign_due_at IS NULL THEN due_at WHEN due_at IS NULL OR sign_due_at < due_at THEN sign_due_at "
    "ELSE due_at END, '{none}') END"
).format(statuses=", ".join(f"'{s}'" for s in OPEN_STATUSES), none=NO_DEADLINE)
# Open matters by deadline in each scope (inboxes, 督办, the overdue notifier): partial indexes that hold only the
# open rows, so walking one to the first page costs the same at 10,000 matters as at 10,000,000.
OPEN_SCOPE_COLUMNS = (*SCOPE_COLUMNS, "reported_by_id")
# A unit's own queue (views.inbox, box "unit"): what its community or street holds at the station or street level.
# Open ones by deadline from a partial index, finished ones newest first from an index that carries open_due_at, so
# that counting a page's 200 needs no visit to the table.
UNIT_COLUMNS = ("community_id", "street_id")
DESK_UNITS = ("community_id", "street_id", "grid_id")
# The assessment's other units (assessment.matter_figures): a district's, a department's and a first-ask owner's
# matters created in a period (migration 0017; the desk's units above serve the grid, community and street).
ASSESSED_UNITS = ("district_id", "holder_department_id", "owner_id")


def _open_index(name: str, *columns: Any) -> Index:
    """An index over the open matters only (those with an open_due_at), on both engines."""
    only_open = text("open_due_at IS NOT NULL")
    return Index(name, *columns, postgresql_where=only_open, sqlite_where=only_open)


_resolved = text("status = 'resolved'")
_verifying = text("status = 'verifying'")
_pending = text("pending_application IS NOT NULL")
# Open matters whose requester nobody has contacted yet, not yet reported late (the worker's contact reminders).
_uncontacted = text(
    "open_due_at IS NOT NULL AND contact_due_at IS NOT NULL AND first_contact_at IS NULL "
    "AND contact_notified_at IS NULL"
)


class Matter(Base):
    __tablename__ = "matters"
    __table_args__ = (
        Index("ix_matters_lat_lon", "lat", "lon"),
        # Newest first (Open311 queries, exports): walked backwards from the end, stopping at the page's size.
        Index("ix_matters_created_id", "created_at", "id"),
        # Finished matters newest first in each scope (keyset pages: views.inbox), and the scope's lookups.
        *(Index(f"ix_matters_{c}_id", c, "id") for c in SCOPE_COLUMNS),
        _open_index("ix_matters_open_due", "open_due_at", text("id DESC")),
        *(_open_index(f"ix_matters_{c}_open_due", c, "open_due_at", text("id DESC")) for c in OPEN_SCOPE_COLUMNS),
        *(
            _open_index(f"ix_matters_{c}_holder_open_due", c, "holder_level", "open_due_at", text("id DESC"))
            for c in UNIT_COLUMNS
        ),
        *(
            Index(f"ix_matters_{c}_holder_id", c, "holder_level", "id", postgresql_include=["open_due_at"])
            for c in UNIT_COLUMNS
        ),
        # Open matters newest first (Open311's requests with status=open).
        _open_index("ix_matters_open_created", "created_at", "id"),
        # The desk's table (matters.desk): a unit's matters newest first, and whether a person reported any outside
        # their area (migration 0013).
        Index("ix_matters_reported_by_id_id", "reported_by_id", "id"),
        *(Index(f"ix_matters_{c}_created", c, "created_at", "id") for c in DESK_UNITS),
        *(Index(f"ix_matters_{c}_created", c, "created_at", "id") for c in ASSESSED_UNITS),
        UniqueConstraint("source", "external_id", name="uq_matters_source_external_id"),
        # The callback list, and the queues of verifications and of applications (migration 0016).
        *(
            Index(f"ix_matters_{name}_resolved", c, "resolved_at", postgresql_where=_resolved, sqlite_where=_resolved)
            for name, c in (("community", "community_id"), ("street", "street_id"))
        ),
        Index("ix_matters_verifying", "community_id", "id", postgresql_where=_verifying, sqlite_where=_verifying),
        Index("ix_matters_contact_due", "contact_due_at", postgresql_where=_uncontacted, sqlite_where=_uncontacted),
        Index(
            "ix_matters_pending_application",
            "street_id",
            "id",
            postgresql_where=_pending,
            sqlite_where=_pending,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(300), nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    geom = mapped_column(Geometry("POINT", srid=4326, spatial_index=False), nullable=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), nullable=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), nullable=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), nullable=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"), nullable=True)
    source: Mapped[str] = mapped_column(String(20))  # resident, field, front_desk, hotline, open311
    external_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reporter_name: Mapped[str | None] = mapped_column(String(50), nullable=True)
    reporter_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # First-ask ownership 首问责任: the first staff member who received it, until it closes.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    route: Mapped[str | None] = mapped_column(String(20), nullable=True)
    holder_level: Mapped[str] = mapped_column(String(12))  # grid, station, street, department
    holder_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    handler_status: Mapped[str | None] = mapped_column(String(20), nullable=True)  # where a reopen goes back
    result: Mapped[str | None] = mapped_column(Text, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)  # done, refused, closed, merged
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    rating: Mapped[str | None] = mapped_column(String(20), nullable=True)
    rating_comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), nullable=True)
    notice_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sign_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Never read into Python (deferred, raising if touched): only the lists' WHERE and ORDER BY use it.
    open_due_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), Computed(OPEN_DUE_SQL), nullable=True, deferred=True, deferred_raiseload=True
    )
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Contact first 先行联系: when the requester must be contacted by, and when they first were (or tried).
    contact_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    first_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    contact_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)  # told it is late
    # The response 响应 the assessment measures: when the first step's holder signed for it (or took it themselves at
    # intake), and the sign-for deadline it had then (sign_due_at is cleared once signed). Migration 0017.
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    respond_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The completion deadline in force when it was resolved (due_at is cleared then): was it resolved in time?
    resolved_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The kind of application ("extension", "suspension") awaiting the level above, if one does.
    pending_application: Mapped[str | None] = mapped_column(String(12), nullable=True)
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # Where the rating came from: the resident ("resident") or a callback by the station ("callback").
    rating_source: Mapped[str | None] = mapped_column(String(10), nullable=True)
    callback_tries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The SHA-256 of the secret in the resident's tracking link (never the secret itself); matters that came in
    # another way have none and are followed with the phone's last digits.
    tracking_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __mapper_args__ = {"version_id_col": version}


class Handoff(Base):
    """A work order 工作单: the matter handed from one unit to another, signed for or returned."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    from_level: Mapped[str] = mapped_column(String(12))
    from_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    from_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_level: Mapped[str] = mapped_column(String(12))
    to_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True, nullable=True)
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)  # who signed
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sign_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    return_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class MatterEvent(Base):
    """The audit trail: one row per change, never updated or deleted."""

    __tablename__ = "matter_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    actor_label: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class TrackingAttempt(Base):
    """Phone-digit checks of one matter from one client address, kept apart from the matter so that a guess never
    changes the matter's version (staff would get 412) and a guesser locks out only their own address. The count
    is raised in one INSERT … ON CONFLICT … RETURNING before the digits are checked (see matters/tracking.py)."""

    __tablename__ = "tracking_attempts"

    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class Photo(Base):
    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)  # names the files; unguessable
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), index=True, nullable=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    mime: Mapped[str] = mapped_column(String(20))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # before: what was reported (or found); after: the result, taken when resolving or handling on the spot.
    stage: Mapped[str] = mapped_column(String(10), default="before", server_default="before")


class Supporter(Base):
    """A resident's "me too" 我也遇到 on an open public-space report, one per device (a keyed hash of its token)."""

    __tablename__ = "matter_supporters"
    __table_args__ = (UniqueConstraint("matter_id", "client_hash", name="uq_matter_supporters_matter_client"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"))
    client_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Application(Base):
    """An application for an extension 延期 or a suspension 缓办, and the decision of the level above."""

    __tablename__ = "matter_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # extension, suspension
    reason: Mapped[str] = mapped_column(Text)
    until: Mapped[datetime] = mapped_column(UTCDateTime())  # the new deadline, or the end of the suspension
    due_at_before: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    holder_level: Mapped[str] = mapped_column(String(12))  # who applied (the level that held the matter)
    approver_level: Mapped[str] = mapped_column(String(12))  # station, street
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decision: Mapped[str | None] = mapped_column(String(10), nullable=True)  # approved, refused; NULL: pending
    decision_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Cooperator(Base):
    """A department convened to co-operate on a matter 协办 (joint handling 协商), and the part it recorded."""

    __tablename__ = "matter_cooperators"
    __table_args__ = (UniqueConstraint("matter_id", "department_id", name="uq_matter_cooperators"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    part: Mapped[str | None] = mapped_column(Text, nullable=True)
    part_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    part_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Mediation(Base):
    """A dispute's mediation 调解: the parties (personal data, masked on output), the agreement and its follow-up;
    the sessions are in MediationSession."""

    __tablename__ = "mediations"

    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), primary_key=True)
    parties: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{"name", "phone", "role"}]
    agreement: Mapped[str | None] = mapped_column(Text, nullable=True)
    follow_up_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(12), nullable=True)  # of the last session
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class MediationSession(Base):
    __tablename__ = "mediation_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    mediators: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(12))  # agreed, continued, failed
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
