"""The caller as a Subject, from the Bearer access token; the login session it names must still be open. And the
role a route requires, as a typed dependency in its signature (`subject: StationChief`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import messages
from wangge.accounts.models import LoginSession, Role, User
from wangge.accounts.scope import Subject
from wangge.accounts.security import read_access_token
from wangge.audit import recorder
from wangge.config import Settings
from wangge.database import DriverRead
from wangge.deps import SessionDep, SettingsDep
from wangge.errors import Forbidden, Unauthorized
from wangge.models_common import utcnow

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
CHALLENGE = {"WWW-Authenticate": "Bearer"}
# The user's columns a Subject is made of, read as a row: loading the whole User as an ORM object cost every
# request more than the query itself.
SUBJECT_COLUMNS = (
    User.id, User.username, User.role, User.scope_level, User.district_id, User.street_id, User.community_id,
    User.grid_id, User.department_id,
)  # fmt: skip


# The caller's row while their login session is open: on every signed-in request, so run by the driver directly on
# PostgreSQL (database.DriverRead).
_SIGNED_IN = DriverRead(
    select(*SUBJECT_COLUMNS, User.display_name, User.must_change_password, User.language)
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(
        User.id == bindparam("user_id"),
        User.is_active.is_(True),
        LoginSession.id == bindparam("session_id"),
        LoginSession.revoked_at.is_(None),
        LoginSession.expires_at > bindparam("now"),
    )
)


async def _subject(db: AsyncSession, settings: Settings, token: str | None, *, changing_password: bool) -> Subject:
    if not token:
        raise Unauthorized("Sign in first: this needs a Bearer access token", headers=CHALLENGE)
    claims = read_access_token(settings, token)
    if claims is None:
        raise Unauthorized("The access token is invalid or has expired", headers=CHALLENGE)
    try:
        user_id = int(claims["sub"])
    except (TypeError, ValueError):
        raise Unauthorized("The access token is invalid", headers=CHALLENGE) from None
    row = await _SIGNED_IN.first(db, user_id=user_id, session_id=claims["sid"], now=utcnow())
    if row is None:
        raise Unauthorized("The session has ended; sign in again", headers=CHALLENGE)
    messages.user_language.set(row.language)  # the language of this request's problems when it names none
    if row.must_change_password and not changing_password:
        raise Forbidden(
            "Your password was reset: choose a new one before anything else", code="password-change-required"
        )
    recorder.set_actor(db, row.id, row.display_name)
    return Subject.of(row, session_id=claims["sid"])


async def current_subject(
    db: SessionDep, settings: SettingsDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Subject:
    """The caller; 403 `password-change-required` while their password is one an administrator reset."""
    return await _subject(db, settings, token, changing_password=False)


async def subject_changing_password(
    db: SessionDep, settings: SettingsDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Subject:
    """The caller, also while they must change their password (to read themselves, change it or sign out)."""
    return await _subject(db, settings, token, changing_password=True)


CurrentSubject = Annotated[Subject, Depends(current_subject)]
SubjectChangingPassword = Annotated[Subject, Depends(subject_changing_password)]


# --- the role a route requires, in its signature ---------------------------------------------------------------


def requires(*roles: Role, doing: str) -> Any:
    """A dependency giving the caller when their role is one of `roles`, else 403. Written in the route's
    signature (`subject: StationChief`), so the role a route needs is read where the route is declared."""
    allowed = frozenset(r.value for r in roles)

    async def check(subject: CurrentSubject) -> Subject:
        if subject.role not in allowed:
            raise Forbidden(f"Your role ({subject.role}) may not {doing}")
        return subject

    return Depends(check)


def permits(permission: str, *, doing: str) -> Any:
    """Like `requires`, for a permission of the role (accounts.scope.PERMISSIONS)."""

    async def check(subject: CurrentSubject) -> Subject:
        if not subject.can(permission):
            raise Forbidden(f"Your role ({subject.role}) may not {doing}")
        return subject

    return Depends(check)


R = Role
GridStaff = Annotated[
    Subject, requires(R.grid_leader, R.grid_member, doing="do field work: grid leaders and members do")
]
FieldOrDesk = Annotated[
    Subject, requires(R.grid_leader, R.grid_member, R.station_chief, doing="enter matters: grid staff and stations do")
]
Supervisor = Annotated[
    Subject, requires(R.station_chief, R.street_officer, R.administrator, doing="supervise: chiefs and officers do")
]
HotlineImporter = Annotated[
    Subject, requires(R.station_chief, R.street_officer, R.administrator, doing="import hotline orders")
]
IncidentRaiser = Annotated[
    Subject,
    requires(
        R.grid_leader,
        R.grid_member,
        R.station_chief,
        R.street_officer,
        R.administrator,
        doing="raise incidents: grid staff, station chiefs, street officers and administrators do",
    ),
]
UserManager = Annotated[Subject, permits("users:write", doing="manage users")]
TeamManager = Annotated[
    Subject, requires(R.station_chief, R.administrator, doing="change grid teams: station chiefs and administrators do")
]
HierarchyWriter = Annotated[Subject, permits("hierarchy:write", doing="change the hierarchy")]
ResidentKeeper = Annotated[
    Subject,
    requires(
        R.grid_leader,
        R.grid_member,
        R.station_chief,
        R.administrator,
        doing="register special-group residents: grid staff, station chiefs and administrators do",
    ),
]
DeskStaff = Annotated[
    Subject,
    requires(
        R.grid_leader,
        R.grid_member,
        R.station_chief,
        R.street_officer,
        R.department_officer,
        R.administrator,
        doing="read the matters table: staff do",
    ),
]
VisitReader = Annotated[
    Subject,
    requires(
        R.grid_leader,
        R.grid_member,
        R.station_chief,
        R.street_officer,
        R.administrator,
        doing="read home visits: grid staff, station chiefs, street officers and administrators do",
    ),
]
