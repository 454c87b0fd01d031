"""The resident's proof of owning a matter on the public pages: the secret token of the tracking link they were
given (only its hash is stored), or — as a fallback — the last four digits of the phone number given with it.

Wrong digits are counted per matter and client address in `tracking_attempts`, not on the matter: a guess never
changes the matter's version, and a guesser locks out their own address, not the resident. The count is raised
before the digits are compared, in one INSERT … ON CONFLICT DO UPDATE … RETURNING, so concurrent guesses each get
their own number and at most `verify_max_failures` of them are ever compared within a window."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import bindparam, case, delete, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.config import Settings
from wangge.errors import NotFound
from wangge.matters.models import Category, Matter, TrackingAttempt
from wangge.models_common import UTCDateTime, insert_for, utcnow
from wangge.throttle import too_many


def new_token() -> tuple[str, str]:
    """A tracking token for the resident's link, and the hash that is stored."""
    token = secrets.token_urlsafe(24)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _count_attempt(db: AsyncSession, settings: Settings, matter_id: int, client: str) -> tuple[int, float]:
    """Count one attempt of this address at this matter's digits; the number it is within the window, and the
    seconds until the window ends. Committed at once, so that concurrent attempts see it."""
    now = utcnow()
    lock = timedelta(minutes=settings.verify_lock_minutes)
    cutoff = literal(now - lock, UTCDateTime())
    expired = TrackingAttempt.window_started_at < cutoff
    stmt = (
        insert_for(db, TrackingAttempt)
        .values(matter_id=matter_id, client=client, failures=1, window_started_at=now)
        .on_conflict_do_update(
            index_elements=[TrackingAttempt.matter_id, TrackingAttempt.client],
            set_={
                "failures": case((expired, 1), else_=TrackingAttempt.failures + 1),
                "window_started_at": case(
                    (expired, literal(now, UTCDateTime())), else_=TrackingAttempt.window_started_at
                ),
            },
        )
        .returning(TrackingAttempt.failures, TrackingAttempt.window_started_at)
    )
    failures, started = (await db.execute(stmt)).one()
    await db.commit()
    return failures, (started + lock - now).total_seconds()


# Built once (every tracking read runs it; putting a statement together costs about as much as running it).
_BY_CODE = (
    select(Matter, Category)
    .join(Category, Category.id == Matter.category_id)
    .where(Matter.tracking_code == bindparam("code"))
)


async def verified(
    db: AsyncSession, settings: Settings, code: str, client: str, *, token: str | None, last4: str | None
) -> tuple[Matter, Category]:
    """The matter with this code, if the caller holds its token or knows the phone's last four digits, and its
    category (the resident's pages show it; read in the same statement)."""
    row = (await db.execute(_BY_CODE, {"code": code.upper()})).first()
    if row is None:
        raise NotFound("No request with this tracking code")
    m, category = row
    if token:
        if m.tracking_token_hash and hmac.compare_digest(m.tracking_token_hash, token_hash(token)):
            return m, category
        if last4 is None:
            raise NotFound("No request with this tracking code and link")
    if last4 is None:
        raise NotFound("No request with this tracking code and phone number")
    failures, retry_after = await _count_attempt(db, settings, m.id, client)
    if failures > settings.verify_max_failures:
        raise too_many("Too many wrong attempts for this request from your address; try again later", retry_after)
    if not m.reporter_phone or not hmac.compare_digest(m.reporter_phone[-4:], last4):
        raise NotFound("No request with this tracking code and phone number")
    # The digits were right: this address starts again from zero.
    await db.execute(delete(TrackingAttempt).where(TrackingAttempt.matter_id == m.id, TrackingAttempt.client == client))
    await db.commit()
    return m, category


async def purge_attempts(db: AsyncSession, settings: Settings) -> int:
    """Forget windows that have ended (they name client addresses)."""
    cutoff = utcnow() - timedelta(minutes=settings.verify_lock_minutes)
    result = await db.execute(delete(TrackingAttempt).where(TrackingAttempt.window_started_at < cutoff))
    await db.commit()
    return result.rowcount or 0
