"""Login sessions and user administration within an administrator's scope."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts import schemas
from wangge.accounts.models import LoginSession, Role, ScopeLevel, SpentRefreshToken, User
from wangge.accounts.scope import AREA_LEVELS, PERMISSIONS, ROLE_SCOPES, Subject, mask_phone, sees_path, within_area
from wangge.accounts.security import (
    Passwords,
    make_access_token,
    new_refresh_token,
    new_session_id,
    refresh_expiry,
    token_digest,
)
from wangge.config import Settings
from wangge.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from wangge.hierarchy.models import Community, Department, District, Grid, Street
from wangge.models_common import utcnow

SCOPE_MODELS: dict[str, Any] = {
    "district": District,
    "street": Street,
    "community": Community,
    "grid": Grid,
    "department": Department,
}


# --- login ---------------------------------------------------------------------------------------------------


async def _open_session(db: AsyncSession, settings: Settings, user_id: int) -> dict[str, Any]:
    refresh = new_refresh_token()
    session = LoginSession(
        id=new_session_id(),
        user_id=user_id,
        refresh_hash=token_digest(refresh),
        created_at=utcnow(),
        expires_at=refresh_expiry(settings),
    )
    db.add(session)
    await db.commit()
    access, expires_in = make_access_token(settings, user_id=user_id, session_id=session.id)
    return {"access_token": access, "refresh_token": refresh, "token_type": "bearer", "expires_in": expires_in}


async def login(
    db: AsyncSession, settings: Settings, passwords: Passwords, username: str, password: str
) -> dict[str, Any]:
    """Check the password and open a session. The password hash is read and the connection given back to the
    pool before argon2 runs (tens of milliseconds, queued behind other sign-ins in a burst), so a burst of
    sign-ins does not hold the pool's connections while it waits for the CPU."""
    user = (
        await db.execute(select(User.id, User.password_hash, User.is_active).where(User.username == username))
    ).first()
    await db.rollback()  # ends the read: the connection goes back to the pool
    if user is None:
        await passwords.verify_nothing_async(password)
        raise Unauthorized("Wrong username or password", code="invalid-credentials")
    if not await passwords.verify_async(user.password_hash, password):
        raise Unauthorized("Wrong username or password", code="invalid-credentials")
    if not user.is_active:
        raise Unauthorized("This account has been deactivated", code="account-deactivated")
    if passwords.needs_rehash(user.password_hash):
        new_hash = await passwords.hash_async(password)
        await db.execute(
            update(User)
            .where(User.id == user.id, User.password_hash == user.password_hash)
            .values(password_hash=new_hash)
        )
    return await _open_session(db, settings, user.id)


async def refresh(db: AsyncSession, settings: Settings, token: str) -> dict[str, Any]:
    """Rotate: the old refresh token stops working and a new one is issued for the same session.

    The exchange is one conditional UPDATE (the row still holds this token's hash), so of many concurrent
    refreshes with one token exactly one wins. A token that was already exchanged, presented again, ends the
    whole session: the refresh token the winner got and every access token of the session stop working."""
    digest, now = token_digest(token), utcnow()
    new_token = new_refresh_token()
    row = (
        await db.execute(
            update(LoginSession)
            .where(
                LoginSession.refresh_hash == digest,
                LoginSession.revoked_at.is_(None),
                LoginSession.expires_at > now,
            )
            .values(refresh_hash=token_digest(new_token), expires_at=refresh_expiry(settings))
            .returning(LoginSession.id, LoginSession.user_id)
        )
    ).first()
    if row is None:
        await db.rollback()
        await _refused_refresh(db, digest, now)
    session_id, user_id = row
    user = await db.get(User, user_id)
    if user is None or not user.is_active:
        await db.rollback()
        raise Unauthorized("This account has been deactivated", code="account-deactivated")
    db.add(SpentRefreshToken(digest=digest, session_id=session_id, spent_at=now))
    await db.commit()
    access, expires_in = make_access_token(settings, user_id=user.id, session_id=session_id)
    return {"access_token": access, "refresh_token": new_token, "token_type": "bearer", "expires_in": expires_in}


async def _refused_refresh(db: AsyncSession, digest: str, now: datetime) -> NoReturn:
    """Why a refresh token was not exchanged; a spent one ends its session first."""
    spent = (await db.execute(select(SpentRefreshToken.session_id).where(SpentRefreshToken.digest == digest))).scalar()
    if spent is not None:
        await db.execute(
            update(LoginSession)
            .where(LoginSession.id == spent, LoginSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        await db.commit()
        raise Unauthorized(
            "This refresh token was already used; the session has been ended for safety. Sign in again",
            code="refresh-token-reused",
        )
    if (await db.execute(select(LoginSession.id).where(LoginSession.refresh_hash == digest))).first():
        raise Unauthorized("The session has ended; sign in again", code="session-ended")
    raise Unauthorized("The refresh token is not valid", code="invalid-refresh-token")


async def purge_spent_refresh_tokens(db: AsyncSession, now: datetime | None = None) -> int:
    """Spent tokens matter only while their session could still be refreshed."""
    ended = select(LoginSession.id).where(
        or_(LoginSession.expires_at <= (now or utcnow()), LoginSession.revoked_at.is_not(None))
    )
    result = await db.execute(delete(SpentRefreshToken).where(SpentRefreshToken.session_id.in_(ended)))
    await db.commit()
    return result.rowcount or 0


async def logout(db: AsyncSession, subject: Subject) -> None:
    await db.execute(
        update(LoginSession)
        .where(LoginSession.id == subject.session_id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    await db.commit()


# --- scope of a user -----------------------------------------------------------------------------------------


async def scope_ref(db: AsyncSession, user: User) -> dict[str, Any]:
    level = user.scope_level
    if level == ScopeLevel.system:
        return {"level": level, "id": None, "name": "全部", "code": None}
    model = SCOPE_MODELS[level]
    obj = await db.get(model, getattr(user, f"{level}_id"))
    return {
        "level": level,
        "id": obj.id if obj else None,
        "name": obj.name if obj else "",
        "code": obj.code if obj else None,
    }


async def users_out(db: AsyncSession, users: list[User], viewer: Subject) -> list[dict[str, Any]]:
    """A page of users, their scopes read in one query per level (held here, so that scope_ref finds them in the
    session's identity map rather than asking once per user)."""
    held = []
    for level, model in SCOPE_MODELS.items():
        ids = {getattr(u, f"{level}_id") for u in users if u.scope_level == level} - {None}
        if ids:
            held += (await db.execute(select(model).where(model.id.in_(ids)))).scalars().all()
    return [await user_out(db, u, viewer) for u in users]


async def user_out(db: AsyncSession, user: User, viewer: Subject | None = None) -> dict[str, Any]:
    show_phone = viewer is None or viewer.user_id == user.id or viewer.can("personal_data:read")
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "phone": user.phone if show_phone else mask_phone(user.phone),
        "phone_public": user.phone_public,
        "role": user.role,
        "scope": await scope_ref(db, user),
        "is_active": user.is_active,
        "must_change_password": user.must_change_password,
        "permissions": sorted(PERMISSIONS.get(user.role, frozenset())),
        "language": user.language,
    }


async def resolve_scope(db: AsyncSession, level: str, scope_id: int | None) -> dict[str, int | None]:
    """The path ids a user bound to (level, scope_id) carries."""
    path: dict[str, int | None] = {f"{lv}_id": None for lv in (*AREA_LEVELS, "department")}
    if level == ScopeLevel.system:
        if scope_id is not None:
            raise Invalid(
                "The system scope has no scope_id",
                errors=[
                    {"loc": ["body", "scope_id"], "msg": "must be empty for the system scope", "type": "value_error"}
                ],
            )
        return path
    if scope_id is None:
        raise Invalid(
            f"A {level} scope needs scope_id",
            errors=[{"loc": ["body", "scope_id"], "msg": "required", "type": "missing"}],
        )
    obj = await db.get(SCOPE_MODELS[level], scope_id)
    if obj is None or not obj.is_active:
        raise NotFound(f"No active {level} with id {scope_id}")
    for lv in ("district", "street", "community"):
        if hasattr(obj, f"{lv}_id"):
            path[f"{lv}_id"] = getattr(obj, f"{lv}_id")
    path[f"{level}_id"] = obj.id
    return path


def _scope_subject(level: str, path: dict[str, int | None]) -> Subject:
    return Subject(user_id=0, username="", role="", scope_level=level, **path)


def _check_assignable(admin: Subject, role: str, level: str, path: dict[str, int | None]) -> None:
    if level not in ROLE_SCOPES[role]:
        allowed = ", ".join(sorted(ROLE_SCOPES[role]))
        raise Invalid(
            f"A {role} is bound to one of: {allowed}",
            errors=[
                {"loc": ["body", "scope_level"], "msg": f"must be one of {allowed} for {role}", "type": "value_error"}
            ],
        )
    target = _scope_subject(level, path)
    target_area = target.area_level
    if target_area is None:
        if admin.area_level is not None:
            raise Forbidden("Only a system administrator may grant the system scope")
        return
    if not within_area(admin, target_area, path):
        raise NotFound(f"No {level} with id {path.get(f'{level}_id')} in your scope")
    if (
        role == Role.administrator
        and admin.area_level is not None
        and AREA_LEVELS.index(target_area) < AREA_LEVELS.index(admin.area_level)
    ):
        raise Forbidden("You may not create an administrator above your own scope")


def _users_visible(subject: Subject) -> Any:
    area = subject.area_level
    if area is None:
        return User.id.is_not(None)
    return getattr(User, f"{area}_id") == getattr(subject, f"{area}_id")


def _require_admin(subject: Subject) -> None:
    if not subject.can("users:write"):
        raise Forbidden(f"Your role ({subject.role}) may not manage users")


async def list_users(
    db: AsyncSession,
    subject: Subject,
    *,
    limit: int,
    offset: int,
    role: str | None,
    q: str | None = None,
    active: bool | None = None,
) -> tuple[list[User], int]:
    conditions = [_users_visible(subject)]
    if role:
        conditions.append(User.role == role)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(User.username.ilike(pattern, escape="\\"), User.display_name.ilike(pattern, escape="\\")))
    if active is not None:
        conditions.append(User.is_active.is_(active))
    total = (await db.execute(select(func.count()).select_from(User).where(*conditions))).scalar_one()
    rows = (
        (await db.execute(select(User).where(*conditions).order_by(User.username).limit(limit).offset(offset)))
        .scalars()
        .all()
    )
    return list(rows), total


async def _load_user(db: AsyncSession, subject: Subject, user_id: int) -> User:
    """A user in the subject's area (404 outside it); only administrators may go further than reading themselves."""
    if user_id == subject.user_id:
        user = await db.get(User, user_id)
    else:
        user = (await db.execute(select(User).where(User.id == user_id, _users_visible(subject)))).scalar()
    if user is None:
        raise NotFound(f"No user with id {user_id} in your scope")
    return user


async def get_user(db: AsyncSession, subject: Subject, user_id: int) -> User:
    user = await _load_user(db, subject, user_id)
    if user.id != subject.user_id:
        _require_admin(subject)
    return user


async def create_user(db: AsyncSession, subject: Subject, passwords: Passwords, data: schemas.UserCreate) -> User:
    path = await resolve_scope(db, data.scope_level.value, data.scope_id)
    target_area = _scope_subject(data.scope_level.value, path).area_level
    if target_area is not None and not sees_path(subject, target_area, path):
        raise NotFound(f"No {data.scope_level.value} with id {data.scope_id} in your scope")
    _check_assignable(subject, data.role.value, data.scope_level.value, path)
    if (await db.execute(select(User.id).where(User.username == data.username))).first():
        raise Conflict(
            f"The username {data.username} is taken",
            errors=[{"loc": ["body", "username"], "msg": "already taken", "type": "value_error"}],
        )
    user = User(
        username=data.username,
        display_name=data.display_name,
        phone=data.phone,
        phone_public=data.phone_public,
        password_hash=await passwords.hash_async(data.password),
        role=data.role.value,
        scope_level=data.scope_level.value,
        must_change_password=data.must_change_password,
        **path,
    )
    db.add(user)
    try:
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        raise Conflict(f"The username {data.username} is taken") from exc
    return user


async def update_user(
    db: AsyncSession, subject: Subject, passwords: Passwords, user_id: int, data: schemas.UserUpdate
) -> User:
    user = await _load_user(db, subject, user_id)
    fields = data.model_fields_set
    if {"role", "scope_level", "scope_id"} & fields:
        role = (data.role or Role(user.role)).value
        level = (data.scope_level or ScopeLevel(user.scope_level)).value
        scope_id = data.scope_id if "scope_id" in fields else getattr(user, f"{level}_id", None)
        path = await resolve_scope(db, level, scope_id)
        _check_assignable(subject, role, level, path)
        if user.id == subject.user_id:
            raise Forbidden("You may not change your own role or scope")
        user.role, user.scope_level = role, level
        for key, value in path.items():
            setattr(user, key, value)
    if data.display_name is not None:
        user.display_name = data.display_name
    if "phone" in fields:
        user.phone = data.phone
    if data.phone_public is not None:
        user.phone_public = data.phone_public
    if data.password is not None:
        user.password_hash = await passwords.hash_async(data.password)
        if user.id != subject.user_id:
            user.must_change_password = True  # a password someone else chose: the user replaces it
    await db.commit()
    await db.refresh(user)
    return user


async def update_me(db: AsyncSession, *, subject: Subject, data: schemas.MeUpdate) -> User:
    """The caller's own choices (audited as a change of their user row)."""
    user = await db.get(User, subject.user_id)
    if user is None:
        raise NotFound("Your account no longer exists")
    if data.phone_public is not None:
        user.phone_public = data.phone_public
    if data.language is not None:
        user.language = data.language
    await db.commit()
    await db.refresh(user)
    return user


async def deactivate_user(db: AsyncSession, subject: Subject, user_id: int) -> User:
    user = await _load_user(db, subject, user_id)
    if user.id == subject.user_id:
        raise Forbidden("You may not deactivate yourself")
    user.is_active = False
    await _end_sessions(db, user.id)
    await db.commit()
    await db.refresh(user)
    return user


async def reactivate_user(db: AsyncSession, subject: Subject, user_id: int) -> User:
    user = await _load_user(db, subject, user_id)
    _require_admin(subject)
    user.is_active = True
    await db.commit()
    await db.refresh(user)
    return user


def temporary_password() -> str:
    """Ten characters a person can read out and type on a phone: no 0/O, 1/l/I."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


async def reset_password(db: AsyncSession, subject: Subject, passwords: Passwords, user_id: int) -> tuple[User, str]:
    """A new password the user must change at their next sign-in; their sessions end now."""
    user = await _load_user(db, subject, user_id)
    _require_admin(subject)
    if user.id == subject.user_id:
        raise Forbidden(
            "Change your own password yourself (you will be asked for the current one)", code="own-password"
        )
    password = temporary_password()
    user.password_hash = await passwords.hash_async(password)
    user.must_change_password = True
    await _end_sessions(db, user.id)
    await db.commit()
    await db.refresh(user)
    return user, password


async def change_own_password(db: AsyncSession, subject: Subject, passwords: Passwords, current: str, new: str) -> User:
    """The caller's own password, checked against the current one; their other sessions end."""
    user = await db.get(User, subject.user_id)
    if user is None or not await passwords.verify_async(user.password_hash, current):
        raise Invalid(
            "The current password is wrong",
            code="wrong-password",
            errors=[{"loc": ["body", "current_password"], "msg": "wrong password", "type": "value_error"}],
        )
    if current == new:
        raise Invalid(
            "Choose a password different from the current one",
            code="same-password",
            errors=[{"loc": ["body", "new_password"], "msg": "same as the current one", "type": "value_error"}],
        )
    user.password_hash = await passwords.hash_async(new)
    user.must_change_password = False
    await _end_sessions(db, user.id, keep=subject.session_id)
    await db.commit()
    await db.refresh(user)
    return user


async def _end_sessions(db: AsyncSession, user_id: int, keep: str | None = None) -> None:
    ended = LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None)
    if keep is not None:
        ended = (*ended, LoginSession.id != keep)
    await db.execute(update(LoginSession).where(*ended).values(revoked_at=utcnow()))
