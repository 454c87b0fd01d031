"""Sign-in throttling: wrong passwords per account (a lockout record in the database, with growing delays) and per
client address (a `limits` window, see throttle.py). The account's record holds across web workers; it is raised
with one INSERT … ON CONFLICT DO UPDATE … RETURNING, so concurrent failures are all counted."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import SignInFailure
from wangge.config import Settings
from wangge.models_common import UTCDateTime, insert_for, utcnow
from wangge.throttle import Throttle, too_many

ACCOUNT_LOCKED = "Too many wrong passwords for this account; try again later"
ADDRESS_LIMIT = "Too many wrong passwords from your address; try again later"


def lock_for(settings: Settings, failures: int) -> timedelta:
    """The wait after the `failures`-th wrong password in a row: none before the limit, then doubling, capped."""
    if failures < settings.sign_in_max_failures:
        return timedelta(0)
    doublings = min(failures - settings.sign_in_max_failures, 20)
    seconds = min(settings.sign_in_lock_seconds * 2**doublings, settings.sign_in_lock_max_minutes * 60)
    return timedelta(seconds=seconds)


async def check(db: AsyncSession, throttle: Throttle, username: str, client: str) -> None:
    """Refuse (429) before the password is checked if the account or the address must wait."""
    await throttle.check("sign_in", client, ADDRESS_LIMIT)
    now = utcnow()
    locked_until = (
        await db.execute(select(SignInFailure.locked_until).where(SignInFailure.username == username))
    ).scalar()
    if locked_until is not None and locked_until > now:
        raise too_many(ACCOUNT_LOCKED, (locked_until - now).total_seconds())


async def failed(db: AsyncSession, settings: Settings, throttle: Throttle, username: str, client: str) -> None:
    """Count a wrong password against the account and the address; lock the account once it is over the limit."""
    await throttle.hit("sign_in", client, ADDRESS_LIMIT)
    now = utcnow()
    forgotten = SignInFailure.last_failure_at < literal(
        now - timedelta(minutes=settings.sign_in_forget_minutes), UTCDateTime()
    )
    stmt = (
        insert_for(db, SignInFailure)
        .values(username=username, failures=1, last_failure_at=now)
        .on_conflict_do_update(
            index_elements=[SignInFailure.username],
            set_={
                "failures": case((forgotten, 1), else_=SignInFailure.failures + 1),
                "last_failure_at": literal(now, UTCDateTime()),
            },
        )
        .returning(SignInFailure.failures)
    )
    failures = (await db.execute(stmt)).scalar_one()
    wait = lock_for(settings, failures)
    if wait:
        until = now + wait
        # Only ever later: a concurrent failure with a higher count may have set a longer wait already.
        await db.execute(
            update(SignInFailure)
            .where(
                SignInFailure.username == username,
                (SignInFailure.locked_until.is_(None)) | (SignInFailure.locked_until < until),
            )
            .values(locked_until=until)
        )
    await db.commit()


async def succeeded(db: AsyncSession, username: str) -> None:
    await db.execute(delete(SignInFailure).where(SignInFailure.username == username))
    await db.commit()


async def purge(db: AsyncSession, settings: Settings) -> int:
    """Forget records whose last failure is older than the forget period and whose wait is over."""
    now = utcnow()
    cutoff = now - timedelta(minutes=max(settings.sign_in_forget_minutes, settings.sign_in_lock_max_minutes))
    result = await db.execute(delete(SignInFailure).where(SignInFailure.last_failure_at < cutoff))
    await db.commit()
    return result.rowcount or 0
