"""Delivery of the transactional outbox: claim due events, write their in-app notifications, post the signed
webhook, and retry failures with exponential back-off until they are given up.

Any number of workers may run at once (the web processes' embedded workers and `wangge worker` processes): an
event is claimed by one UPDATE that sets a lease, so two workers never deliver the same event at the same time.
A worker that dies mid-delivery leaves its lease to expire and another one retries the event; the receiver may
therefore see an event twice and must drop duplicates by its id (docs/webhooks.md).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import random
import signal
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import idempotency
from wangge.accounts.models import User
from wangge.config import Settings
from wangge.database import Database
from wangge.messages import DEFAULT_LANGUAGE, as_language
from wangge.models_common import utcnow
from wangge.notify import recipients
from wangge.notify.models import Notification, OutboxEvent
from wangge.registries import personal

log = logging.getLogger("wangge.worker")

FIRST_RETRY_SECONDS = 10
MAX_RETRY_SECONDS = 3600
JITTER = 0.1  # up to +10 %, so events that failed together do not all come back in the same second
# "Never again" without a NULL, so the pending index and the due conditions stay simple.
GIVEN_UP_AT = datetime(9999, 1, 1, tzinfo=UTC)
SIGNATURE_PREFIX = "sha256="


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 10 s, 20 s, 40 s … at most 1 h, plus jitter."""
    base = min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), MAX_RETRY_SECONDS)
    return timedelta(seconds=base * (1 + random.uniform(0, JITTER)))


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Wangge-Signature value: HMAC-SHA256 over "<timestamp>.<raw body>". The timestamp is signed too, so
    a receiver that rejects old timestamps cannot be fed a replayed request."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def unseal(settings: Settings, data: dict[str, Any]) -> dict[str, Any]:
    """The event's data as the gateway gets it: a recipient's `phone_enc` (a resident's phone from the registries,
    kept encrypted in the outbox) becomes its `phone`. Only the signed webhook body carries it; nothing logs it."""
    listed = data.get("recipients")
    if not isinstance(listed, list) or not any(isinstance(r, dict) and "phone_enc" in r for r in listed):
        return data
    opened = []
    for r in listed:
        if isinstance(r, dict) and "phone_enc" in r:
            r = {k: v for k, v in r.items() if k != "phone_enc"} | {
                "phone": personal.decrypt(settings, r["phone_enc"], field="phone")
            }
        opened.append(r)
    return data | {"recipients": opened}


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str | None = None
    notifications: int = 0


def lease_for(settings: Settings) -> timedelta:
    """How long a claim holds an event: one webhook that times out, and the grace to record the outcome (20 s)."""
    return timedelta(seconds=settings.webhook_timeout_seconds + settings.worker_lease_grace_seconds)


class OutboxWorker:
    """Delivers outbox events. `clock` is there so tests can move time forward instead of waiting."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        batch_size: int = 20,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.settings = settings
        self.batch_size = batch_size
        self.clock = clock
        # A lease covers one delivery (a webhook that times out, plus recording the outcome) and is renewed for
        # the rest of the batch before each event is delivered, so the events of a worker that died are taken over
        # within one lease (about half a minute), not after a whole batch's worth of timeouts.
        self.lease = lease_for(settings)
        self._http: httpx.AsyncClient | None = None
        self.last_claimed = 0

    async def __aenter__(self) -> OutboxWorker:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    # -- claiming ---------------------------------------------------------------------------------------------

    @staticmethod
    def _due(now: datetime) -> ColumnElement[bool]:
        return and_(
            OutboxEvent.delivered_at.is_(None),
            OutboxEvent.available_at <= now,
            or_(OutboxEvent.locked_until.is_(None), OutboxEvent.locked_until < now),
        )

    async def claim(self) -> list[OutboxEvent]:
        """Lease up to `batch_size` due events to this worker and return them, oldest first.

        On PostgreSQL the CTE locks the rows it picks and skips rows another worker is claiming at this moment;
        the due conditions are repeated in the UPDATE because PostgreSQL re-evaluates them on the newest row
        version when a concurrent claim committed first, and then drops the row. The CTE is MATERIALIZED, so it
        runs exactly once: written as `id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` PostgreSQL may plan a
        nested-loop semi-join that re-runs the subquery for every outer row, each run skipping the rows the
        previous runs locked, and the UPDATE then claims every due event instead of n (seen in the tests: 186
        of 200 with n = 7). SQLite runs one writer at a time and knows neither SKIP LOCKED nor the problem, so
        the same statement without those two is safe there."""
        now = self.clock()
        owner = str(uuid.uuid4())
        picked = select(OutboxEvent.id).where(self._due(now)).order_by(OutboxEvent.id).limit(self.batch_size)
        if self.db.is_sqlite:
            claimable = picked.cte("claimable")
        else:
            claimable = picked.with_for_update(skip_locked=True).cte("claimable").prefix_with("MATERIALIZED")
        stmt = (
            update(OutboxEvent)
            .where(OutboxEvent.id.in_(select(claimable.c.id)), self._due(now))
            .values(locked_until=now + self.lease, lock_owner=owner)
        )
        async with self.db.sessionmaker() as session:
            await session.execute(stmt, execution_options={"synchronize_session": False})
            await session.commit()
            rows = await session.execute(
                select(OutboxEvent).where(OutboxEvent.lock_owner == owner).order_by(OutboxEvent.id)
            )
            return list(rows.scalars())

    # -- one round ----------------------------------------------------------------------------------------------

    async def renew(self, owner: str) -> int:
        """Extend this claim's lease on the events of the batch not delivered yet; how many it still holds."""
        async with self.db.sessionmaker() as session:
            result = await session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.lock_owner == owner)
                .values(locked_until=self.clock() + self.lease),
                execution_options={"synchronize_session": False},
            )
            await session.commit()
        return result.rowcount

    async def run_once(self) -> int:
        """Claim a batch, deliver each event, and return how many were delivered."""
        leased_at = self.clock()
        events = await self.claim()
        self.last_claimed = len(events)
        delivered = 0
        # The lease is renewed before an event only once half its grace has passed since it was taken or last
        # renewed: until then it still holds a whole delivery (the webhook's timeout) and half the grace, and no
        # other worker can have taken it over. Deliveries that take milliseconds (no webhook, a quick receiver)
        # cost one UPDATE less each; slow ones renew before every event, as before.
        renew_after = timedelta(seconds=self.settings.worker_lease_grace_seconds / 2)
        for position, event in enumerate(events):
            if position and self.clock() - leased_at > renew_after:
                try:
                    leased_at = self.clock()
                    if not await self.renew(event.lock_owner or ""):
                        break  # every lease of this claim ran out and was taken over
                except Exception:  # noqa: BLE001 - the leases expire and the events are retried
                    log.exception("could not renew the lease", extra={"event_id": event.event_id})
                    break
            try:
                delivered += await self.deliver(event)
            except Exception:  # noqa: BLE001 - one bad event must not stop the batch
                # Recording the outcome failed (the database went away): the lease expires and the event is retried.
                log.exception("could not record the delivery", extra={"event_id": event.event_id})
        return delivered

    async def deliver(self, event: OutboxEvent) -> bool:
        """Deliver one claimed event and record the outcome; True when it is now delivered."""
        try:
            if not self.settings.webhook_url:
                return await self._deliver_in_app(event)
            outcome = await self._attempt(event)
        except Exception as exc:  # noqa: BLE001 - whatever went wrong, it is a failed attempt to retry
            log.exception("delivery raised", extra={"event_id": event.event_id, "topic": event.topic})
            outcome = Outcome(ok=False, error=f"{type(exc).__name__}: {exc}")
        return await self._record(event, outcome)

    async def _deliver_in_app(self, event: OutboxEvent) -> bool:
        """Without a webhook an event's notifications and its outcome are one transaction (each transaction costs
        the worker a round of SQLAlchemy and the database a commit): both are stored or neither, and if the lease
        was lost meanwhile the notifications are rolled back for the worker that took the event over."""
        async with self.db.sessionmaker() as session:
            written = await self._write_notifications(session, event)
            return await self._store(session, event, Outcome(ok=True, notifications=written))

    async def _attempt(self, event: OutboxEvent) -> Outcome:
        # In-app notifications first and committed on their own: staff learn about the matter even while the
        # webhook receiver is down. They are idempotent, so the retries that the webhook needs write nothing new.
        async with self.db.sessionmaker() as session:
            written = await self._write_notifications(session, event)
            await session.commit()
        if not self.settings.webhook_url:
            return Outcome(ok=True, notifications=written)
        error = await self._post_webhook(event)
        return Outcome(ok=error is None, error=error, notifications=written)

    async def _write_notifications(self, session: AsyncSession, event: OutboxEvent) -> int:
        notify = event.payload.get("notify") or {}
        wanted = {int(u) for u in notify.get("user_ids") or []}
        wanted |= await recipients.users_of(session, notify.get("units") or [])
        wanted.discard(notify.get("exclude"))
        if not wanted:
            return 0
        # Users who already have this notification (an earlier attempt), and ids that no longer name a user (an
        # event must not be stuck forever on a foreign key), are skipped.
        existing = set(
            (
                await session.execute(
                    select(Notification.user_id).where(
                        Notification.event_id == event.event_id, Notification.user_id.in_(sorted(wanted))
                    )
                )
            ).scalars()
        )
        known = dict(
            (await session.execute(select(User.id, User.language).where(User.id.in_(sorted(wanted - existing))))).all()
        )
        data = event.payload.get("data") or {}
        texts = notify.get("texts") or {}
        now = self.clock()
        for user_id, language in sorted(known.items()):
            # In the recipient's language (an event written before texts existed has the Chinese title only).
            text = texts.get(as_language(language) or DEFAULT_LANGUAGE) or {}
            session.add(
                Notification(
                    event_id=event.event_id,
                    user_id=user_id,
                    matter_id=data.get("matter_id"),
                    topic=event.topic,
                    title=(text.get("title") or notify.get("title") or event.topic)[:200],
                    body=text.get("body") or notify.get("body") or "",
                    created_at=now,
                )
            )
        return len(known)

    def webhook_request(self, event: OutboxEvent) -> tuple[bytes, dict[str, str]]:
        """The body and headers of the webhook POST for `event`; recipients' sealed phones opened (`unseal`)."""
        body = json.dumps(
            {
                "id": event.event_id,
                "topic": event.topic,
                "occurred_at": event.payload.get("occurred_at"),
                "data": unseal(self.settings, event.payload.get("data") or {}),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        timestamp = str(int(self.clock().timestamp()))
        headers = {
            "Content-Type": "application/json",
            "X-Wangge-Event": event.topic,
            "X-Wangge-Event-Id": event.event_id,
            "X-Wangge-Timestamp": timestamp,
            "X-Wangge-Signature": sign(self.settings.webhook_secret, timestamp, body),
        }
        return body, headers

    async def _post_webhook(self, event: OutboxEvent) -> str | None:
        """POST the event; None on a 2xx answer, otherwise what went wrong."""
        if self._http is None:
            # Redirects are not followed: a 3xx is a misconfigured URL, and following it would resend the body.
            self._http = httpx.AsyncClient(timeout=self.settings.webhook_timeout_seconds, follow_redirects=False)
        body, headers = self.webhook_request(event)
        try:
            response = await self._http.post(self.settings.webhook_url, content=body, headers=headers)
        except httpx.TimeoutException:
            return f"timed out after {self.settings.webhook_timeout_seconds:g} s"
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}: {response.text[:200]}"

    async def _record(self, event: OutboxEvent, outcome: Outcome) -> bool:
        """Store the outcome in a transaction of its own."""
        async with self.db.sessionmaker() as session:
            return await self._store(session, event, outcome)

    async def _store(self, session: AsyncSession, event: OutboxEvent, outcome: Outcome) -> bool:
        """Store the outcome and commit `session` (with whatever else it holds). The UPDATE names this claim's
        lock_owner: if the lease ran out and another worker took the event over, that worker's outcome is the one
        that counts and this one changes nothing (and commits nothing)."""
        now = self.clock()
        attempts = event.attempts + 1
        extra = {"event_id": event.event_id, "topic": event.topic, "attempts": attempts}
        values: dict[str, Any] = {"attempts": attempts, "locked_until": None, "lock_owner": None}
        if outcome.ok:
            values |= {"delivered_at": now, "last_error": None}
            log.info("delivered", extra={**extra, "notifications": outcome.notifications})
        elif attempts >= self.settings.webhook_max_attempts:
            values |= {"available_at": GIVEN_UP_AT, "last_error": f"gave up after {attempts} attempts: {outcome.error}"}
            log.error("gave up", extra={**extra, "error": outcome.error})
        else:
            retry_at = now + retry_delay(attempts)
            values |= {"available_at": retry_at, "last_error": outcome.error}
            log.warning("delivery failed", extra={**extra, "error": outcome.error, "retry_at": retry_at.isoformat()})
        stmt = (
            update(OutboxEvent)
            .where(OutboxEvent.id == event.id, OutboxEvent.lock_owner == event.lock_owner)
            .values(**values)
        )
        result = await session.execute(stmt, execution_options={"synchronize_session": False})
        if result.rowcount == 0:
            await session.rollback()
            log.warning("lease lost before the outcome was stored", extra=extra)
            return False
        await session.commit()
        return outcome.ok

    # -- running ------------------------------------------------------------------------------------------------

    async def rounds(self) -> dict[str, int]:
        """The periodic work of the domains: overdue notices, notice periods that ended, tracks past retention, the
        monthly assessment bulletins, and personal data past its retention (delivered events, idempotency
        records)."""
        from wangge.fieldwork import patrols  # imported late: these import the outbox
        from wangge.matters import periodic as matters

        done: dict[str, int] = {}
        try:
            async with self.db.sessionmaker() as session:
                done |= await matters.periodic(session)
        except Exception:  # noqa: BLE001 - a failed round is retried at the next one
            log.exception("the periodic round failed")
            return {}
        try:
            async with self.db.sessionmaker() as session:
                done |= await patrols.periodic(session, settings=self.settings, now=self.clock())
        except Exception:  # noqa: BLE001 - one domain's failure must not hold up the others; retried next round
            log.exception("the patrols' periodic round failed")
        try:
            from wangge.assessment import bulletin  # imported late, like the domains above

            if self.settings.monthly_bulletins:
                async with self.db.sessionmaker() as session:
                    done |= await bulletin.periodic(session, now=self.clock())
        except Exception:  # noqa: BLE001 - the month's bulletins are written at a later round
            log.exception("the monthly bulletins failed")
        try:
            async with self.db.sessionmaker() as session:
                done |= await _abuse_housekeeping(session, self.settings, self.clock())
        except Exception:  # noqa: BLE001 - retried at the next round
            log.exception("removing unused uploads and ended throttling records failed")
        try:
            from wangge.accounts.service import purge_spent_refresh_tokens

            async with self.db.sessionmaker() as session:
                done["refresh_tokens_purged"] = await purge_spent_refresh_tokens(session, self.clock())
        except Exception:  # noqa: BLE001 - retried at the next round
            log.exception("purging spent refresh tokens failed")
        try:
            from wangge.preparedness import reserve  # imported late, like the domains above

            async with self.db.sessionmaker() as session:
                done |= await reserve.periodic(session, settings=self.settings, now=self.clock())
        except Exception:  # noqa: BLE001 - the alerts are told at a later round
            log.exception("the reserve's alerts failed")
        try:
            done["outbox_purged"] = await self.purge_delivered()
        except Exception:  # noqa: BLE001 - retried at the next round
            log.exception("purging delivered events failed")
        try:
            done["idempotency_purged"] = await self.purge_idempotency_keys()
        except Exception:  # noqa: BLE001 - retried at the next round
            log.exception("purging idempotency keys failed")
        if any(done.values()):
            log.info("periodic round", extra=done)
        return done

    async def purge_delivered(self) -> int:
        """Delivered events carry personal data (a resolved matter's event has the reporter's phone for the SMS
        gateway), so they are not kept longer than `outbox_retention_days`; undelivered ones are never removed."""
        cutoff = self.clock() - timedelta(days=self.settings.outbox_retention_days)
        async with self.db.sessionmaker() as session:
            result = await session.execute(
                delete(OutboxEvent).where(OutboxEvent.delivered_at.is_not(None), OutboxEvent.delivered_at < cutoff)
            )
            await session.commit()
            return result.rowcount or 0

    async def purge_idempotency_keys(self) -> int:
        """Idempotency-Key records older than `idempotency_retention_hours` (they keep whole responses)."""
        cutoff = self.clock() - timedelta(hours=self.settings.idempotency_retention_hours)
        async with self.db.sessionmaker() as session:
            return await idempotency.purge(session, before=cutoff)

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set: a full batch is followed at once by the next, otherwise wait a poll."""
        log.info("worker started", extra={"poll_seconds": self.settings.worker_poll_seconds})
        next_rounds = 0.0
        try:
            while not stop.is_set():
                try:
                    await self.run_once()
                except Exception:  # noqa: BLE001 - e.g. the database restarts: keep polling
                    log.exception("polling the outbox failed")
                    self.last_claimed = 0
                if asyncio.get_running_loop().time() >= next_rounds:
                    next_rounds = asyncio.get_running_loop().time() + self.settings.worker_rounds_seconds
                    await self.rounds()
                if self.last_claimed >= self.batch_size:
                    continue
                try:
                    await asyncio.wait_for(stop.wait(), timeout=self.settings.worker_poll_seconds)
                except TimeoutError:
                    pass
        finally:
            await self.aclose()
            log.info("worker stopped")


async def _abuse_housekeeping(session: AsyncSession, settings: Settings, now: datetime) -> dict[str, int]:
    """Uploads never attached to anything, and throttling records whose window is over (they name addresses)."""
    from wangge.accounts import signin
    from wangge.matters import tracking
    from wangge.media import cleanup

    return {
        "uploads_removed": await cleanup.purge_unattached(session, settings, now=now),
        "tracking_attempts_purged": await tracking.purge_attempts(session, settings),
        "sign_in_failures_purged": await signin.purge(session, settings),
    }


def start_embedded(app_state: Any) -> Callable[[], Awaitable[None]]:
    """Run a worker inside the web process (app_state carries `db` and `settings`); returns the function that
    stops it. Call it from the app's lifespan after the database is made and await the result before disposing
    of the database."""
    stop = asyncio.Event()
    worker = OutboxWorker(app_state.db, app_state.settings)
    task = asyncio.create_task(worker.run_forever(stop), name="wangge-outbox-worker")

    async def shutdown() -> None:
        stop.set()
        # A delivery in flight may wait for one webhook timeout; after that the task is cancelled and its
        # lease expires, so the event is retried later.
        try:
            await asyncio.wait_for(task, timeout=app_state.settings.webhook_timeout_seconds + 5)
        except TimeoutError:
            log.warning("the embedded worker did not stop in time and was cancelled")

    return shutdown


async def serve(settings: Settings) -> None:
    """`wangge worker`: deliver until SIGINT or SIGTERM."""
    db = Database(settings.database_url, spatialite_library=settings.spatialite_library)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await OutboxWorker(db, settings).run_forever(stop)
    finally:
        await db.dispose()
