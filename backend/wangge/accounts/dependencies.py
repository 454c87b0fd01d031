"""The caller as a Subject, from the Bearer access token; the login session it names must still be open."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import select

from wangge.accounts.models import LoginSession, User
from wangge.accounts.scope import Subject
from wangge.accounts.security import read_access_token
from wangge.deps import SessionDep, SettingsDep
from wangge.errors import Unauthorized
from wangge.models_common import utcnow

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
CHALLENGE = {"WWW-Authenticate": "Bearer"}


async def current_subject(
    db: SessionDep, settings: SettingsDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Subject:
    if not token:
        raise Unauthorized("Sign in first: this needs a Bearer access token", headers=CHALLENGE)
    claims = read_access_token(settings, token)
    if claims is None:
        raise Unauthorized("The access token is invalid or has expired", headers=CHALLENGE)
    try:
        user_id = int(claims["sub"])
    except (TypeError, ValueError):
        raise Unauthorized("The access token is invalid", headers=CHALLENGE) from None
    row = (
        await db.execute(
            select(User)
            .join(LoginSession, LoginSession.user_id == User.id)
            .where(
                User.id == user_id,
                User.is_active.is_(True),
                LoginSession.id == claims["sid"],
                LoginSession.revoked_at.is_(None),
                LoginSession.expires_at > utcnow(),
            )
        )
    ).scalar()
    if row is None:
        raise Unauthorized("The session has ended; sign in again", headers=CHALLENGE)
    return Subject.of(row, session_id=claims["sid"])


CurrentSubject = Annotated[Subject, Depends(current_subject)]
