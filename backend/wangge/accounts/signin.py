"""Sign-in throttling: wrong passwords per account (a lockout record in the database, with growing waits) and per
client address (a `limits` window, see throttle.py). The account's record holds across web workers: each attempt
is counted before its password is checked, in one INSERT … ON CONFLICT DO UPDATE … RETURNING that also sets the
wait, so a burst of concurrent guesses gets no more checks than sequential ones."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, literal
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


def _wait_ladder(settings: Settings, failures: Any, now: datetime) -> Any:
    """`locked_until` for the `failures`-th wrong password, as SQL: NULL below the limit, then the doubling waits
    (precomputed here, so that no date arithmetic is done in SQL), capped."""
    cap = timedelta(minutes=settings.sign_in_lock_max_minutes)
    steps = []
    n = settings.sign_in_max_failures
    while lock_for(settings, n) < cap:
        steps.append((failures == n, literal(now + lock_for(settings, n), UTCDateTime())))
        n += 1
    return case(
        (failures < settings.sign_in_max_failures, literal(None, UTCDateTime())),
        *steps,
        else_=literal(now + cap, UTCDateTime()),
    )


async def check_address(throttle: Throttle, client: str) -> None:
    """Refuse (429) before the password is checked if the address has used up its wrong passwords."""
    await throttle.check("sign_in", client, ADDRESS_LIMIT)


async def reserve(db: AsyncSession, settings: Settings, username: str) -> None:
    """Count this attempt against the account before the password is checked, or refuse it (429) while the
    account waits. One upsert both counts and sets the wait, so of concurrent attempts at most the limit are
    checked before the wait starts; a refused attempt is not counted. A success takes the count back
    (`succeeded`)."""
    now = utcnow()
    now_sql = literal(now, UTCDateTime())
    waiting = SignInFailure.locked_until > now_sql
    forgotten = SignInFailure.last_failure_at < literal(
        now - timedelta(minutes=settings.sign_in_forget_minutes), UTCDateTime()
    )
    counted = case((forgotten, 1), else_=SignInFailure.failures + 1)
    first_wait = lock_for(settings, 1)  # only when the limit is a single wrong password
    first_lock = now + first_wait if first_wait else None
    stmt = (
        insert_for(db, SignInFailure)
        .values(username=username, failures=1, last_failure_at=now, locked_until=first_lock)
        .on_conflict_do_update(
            index_elements=[SignInFailure.username],
            set_={
                "failures": case((waiting, SignInFailure.failures), else_=counted),
                "last_failure_at": case((waiting, SignInFailure.last_failure_at), else_=now_sql),
                "locked_until": case((waiting, SignInFailure.locked_until), else_=_wait_ladder(settings, counted, now)),
            },
        )
        .returning(SignInFailure.last_failure_at, SignInFailure.locked_until)
    )
    last_failure_at, locked_until = (await db.execute(stmt)).one()
    await db.commit()
    if last_failure_at != now:  # not counted: the account was already waiting
        raise too_many(ACCOUNT_LOCKED, (locked_until - now).total_seconds())


async def failed_address(throttle: Throttle, client: str) -> None:
    """A wrong password: the account's count was taken already (`reserve`); count it against the address."""
    await throttle.hit("sign_in", client, ADDRESS_LIMIT)


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
