"""The outbox worker against a real database (both engines) and a real webhook receiver over HTTP."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

import pytest
from pydantic import ValidationError
from sqlalchemy import event, func, select, update

from conftest import TEST_SECRET, Live, make_settings
from matters.helpers import matter_id, submit
from support.server import free_port
from support.world import World
from wangge.database import Database
from wangge.models_common import utcnow
from wangge.notify.models import Notification, OutboxEvent
from wangge.notify.outbox import emit
from wangge.notify.worker import OutboxWorker, retry_delay, start_embedded

from .conftest import SECRET
from .receiver import WebhookReceiver

T = TypeVar("T")


class Clock:
    """The worker's clock, moved by the test instead of waiting for back-off."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def add_events(
    live: Live, count: int = 1, *, recipients: list[int] | None = None, topic: str = "matter.created"
) -> list[str]:
    """Queue events the way the services do. `emit` only adds to the session it is given, so a synchronous one
    works for setting up."""
    with live.session() as session:
        events = [
            emit(
                session,
                topic,
                {"matter_id": None, "code": f"M{i:05d}", "title": "楼道堆物"},
                recipients=recipients,
                title=f"新事项 M{i:05d}",
                body="楼道堆物，请处理",
            )
            for i in range(count)
        ]
        session.commit()
        return [e.event_id for e in events]


def event_row(live: Live, event_id: str) -> OutboxEvent:
    with live.session() as session:
        return session.execute(select(OutboxEvent).where(OutboxEvent.event_id == event_id)).scalar_one()


def notifications_of(live: Live, event_id: str) -> list[Notification]:
    with live.session() as session:
        return list(session.execute(select(Notification).where(Notification.event_id == event_id)).scalars())


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: once the browser tests have run, Playwright keeps an event loop running
    in the main thread for the rest of the session, and asyncio.run refuses to start there."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def with_worker(
    live: Live,
    fn: Callable[[OutboxWorker], Awaitable[Any]],
    *,
    clock: Clock | None = None,
    batch_size: int = 20,
    **overrides: Any,
) -> Any:
    """Run `fn(worker)` with a worker on its own Database, as another process would have."""
    settings = make_settings(live.settings.database_url, webhook_secret=SECRET, **overrides)

    async def main() -> Any:
        db = Database(settings.database_url)
        try:
            async with OutboxWorker(db, settings, batch_size=batch_size, clock=clock or utcnow) as worker:
                return await fn(worker)
        finally:
            await db.dispose()

    return run_async(main())


def run_once(live: Live, **kwargs: Any) -> int:
    return with_worker(live, lambda w: w.run_once(), **kwargs)


def test_delivery_writes_notifications_and_posts_a_signed_webhook(
    live: Live, world: World, receiver: WebhookReceiver
) -> None:
    users = [world.users["station_chief"], world.users["grid_leader"]]
    (event_id,) = add_events(live, recipients=users)
    before = int(time.time())

    assert run_once(live, webhook_url=receiver.url) == 1

    (request,) = receiver.requests
    assert request.signature_ok
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-wangge-event"] == "matter.created"
    assert request.headers["x-wangge-event-id"] == event_id
    assert before - 1 <= int(request.headers["x-wangge-timestamp"]) <= time.time() + 1
    assert request.body == {
        "id": event_id,
        "topic": "matter.created",
        "occurred_at": request.body["occurred_at"],
        "data": {"matter_id": None, "code": "M00000", "title": "楼道堆物"},
    }
    assert datetime.fromisoformat(request.body["occurred_at"]).tzinfo is not None

    row = event_row(live, event_id)
    assert row.delivered_at is not None and row.attempts == 1 and row.last_error is None
    assert row.locked_until is None and row.lock_owner is None
    notes = notifications_of(live, event_id)
    assert sorted(n.user_id for n in notes) == sorted(users)
    assert {(n.title, n.body, n.topic, n.matter_id, n.read_at) for n in notes} == {
        ("新事项 M00000", "楼道堆物，请处理", "matter.created", None, None)
    }

    # Delivered events are not claimed again.
    assert run_once(live, webhook_url=receiver.url) == 0
    assert len(receiver.requests) == 1


def test_a_signature_made_with_another_secret_does_not_verify(live: Live, receiver: WebhookReceiver) -> None:
    add_events(live)
    receiver.secret = "not-the-secret-the-worker-uses"
    run_once(live, webhook_url=receiver.url)
    assert [r.signature_ok for r in receiver.requests] == [False]


def test_a_failing_receiver_gets_retries_with_back_off_until_it_recovers(
    live: Live, world: World, receiver: WebhookReceiver
) -> None:
    receiver.fail_first = 2
    (event_id,) = add_events(live, recipients=[world.users["station_chief"]])
    clock = Clock()
    t0 = clock.now

    assert run_once(live, webhook_url=receiver.url, clock=clock) == 0
    first = event_row(live, event_id)
    assert first.attempts == 1 and first.delivered_at is None and first.last_error.startswith("HTTP 500")
    assert first.locked_until is None and first.lock_owner is None
    assert t0 + timedelta(seconds=10) <= first.available_at <= t0 + timedelta(seconds=11)

    # Not due yet: nothing is claimed and nothing is sent.
    clock.advance(5)
    assert run_once(live, webhook_url=receiver.url, clock=clock) == 0
    assert len(receiver.requests) == 1

    clock.advance(6)
    t1 = clock.now
    assert run_once(live, webhook_url=receiver.url, clock=clock) == 0
    second = event_row(live, event_id)
    assert second.attempts == 2
    assert t1 + timedelta(seconds=20) <= second.available_at <= t1 + timedelta(seconds=22)
    assert second.available_at > first.available_at

    clock.advance(22)
    assert run_once(live, webhook_url=receiver.url, clock=clock) == 1
    done = event_row(live, event_id)
    assert done.delivered_at is not None and done.attempts == 3 and done.last_error is None
    assert [r.answered for r in receiver.requests] == [500, 500, 204]
    assert len({r.event_id for r in receiver.requests}) == 1
    # The notification was written on the first attempt and never again.
    assert len(notifications_of(live, event_id)) == 1


def test_a_retry_never_duplicates_in_app_notifications(live: Live, world: World, receiver: WebhookReceiver) -> None:
    users = [world.users["station_chief"], world.users["grid_leader"], world.users["grid_member"]]
    (event_id,) = add_events(live, recipients=users)
    # As if an earlier worker wrote one notification and died before it recorded anything.
    with live.session() as session:
        session.add(Notification(event_id=event_id, user_id=users[0], topic="matter.created", title="早先的", body=""))
        session.commit()
    receiver.fail_first = 1
    clock = Clock()

    run_once(live, webhook_url=receiver.url, clock=clock)
    assert len(notifications_of(live, event_id)) == 3
    clock.advance(3600)
    assert run_once(live, webhook_url=receiver.url, clock=clock) == 1

    notes = notifications_of(live, event_id)
    assert Counter(n.user_id for n in notes) == Counter(users)
    assert [n.title for n in notes if n.user_id == users[0]] == ["早先的"]


def test_recipients_that_are_not_users_do_not_block_the_event(
    live: Live, world: World, receiver: WebhookReceiver
) -> None:
    (event_id,) = add_events(live, recipients=[world.users["station_chief"], 987654])
    assert run_once(live, webhook_url=receiver.url) == 1
    assert [n.user_id for n in notifications_of(live, event_id)] == [world.users["station_chief"]]


def test_the_worker_gives_up_after_the_maximum_attempts(live: Live, world: World, receiver: WebhookReceiver) -> None:
    receiver.fail_first = 1000
    (event_id,) = add_events(live, recipients=[world.users["station_chief"]])
    clock = Clock()
    for _ in range(3):
        assert run_once(live, webhook_url=receiver.url, webhook_max_attempts=3, clock=clock) == 0
        clock.advance(2 * 3600)

    row = event_row(live, event_id)
    assert row.attempts == 3 and row.delivered_at is None
    assert row.last_error.startswith("gave up after 3 attempts: HTTP 500")
    assert row.available_at.year == 9999 and row.locked_until is None

    clock.advance(365 * 24 * 3600)
    assert run_once(live, webhook_url=receiver.url, webhook_max_attempts=3, clock=clock) == 0
    assert len(receiver.requests) == 3
    assert len(notifications_of(live, event_id)) == 1


def test_a_timeout_and_a_refused_connection_are_failures(live: Live, receiver: WebhookReceiver) -> None:
    receiver.delay = 1.0
    (slow,) = add_events(live)
    assert run_once(live, webhook_url=receiver.url, webhook_timeout_seconds=0.2) == 0
    row = event_row(live, slow)
    assert row.attempts == 1 and row.last_error == "timed out after 0.2 s"

    (refused,) = add_events(live)
    assert run_once(live, webhook_url=f"http://127.0.0.1:{free_port()}/hook") == 0
    row = event_row(live, refused)
    assert row.attempts == 1 and row.last_error.startswith("ConnectError")


def test_without_a_webhook_events_become_in_app_notifications_only(live: Live, world: World) -> None:
    (event_id,) = add_events(live, recipients=[world.users["grid_leader"]])
    assert run_once(live, webhook_url="") == 1
    assert event_row(live, event_id).delivered_at is not None
    assert len(notifications_of(live, event_id)) == 1


def test_without_a_webhook_an_event_is_one_transaction_and_a_lost_lease_keeps_nothing(live: Live, world: World) -> None:
    """Its notifications and its outcome are committed together (a claim, then one commit per event: it was two
    per event). When another worker took the event over meanwhile, this one's notifications are rolled back with
    its outcome: the event is the other's to deliver."""
    events = add_events(live, 3, recipients=[world.users["grid_leader"]])

    async def counting_commits(worker: OutboxWorker) -> tuple[int, int]:
        commits: list[Any] = []
        event.listen(worker.db.engine.sync_engine, "commit", commits.append)
        return await worker.run_once(), len(commits)

    delivered, commits = with_worker(live, counting_commits, webhook_url="")
    assert delivered == 3 and commits == 1 + 3
    assert all(len(notifications_of(live, e)) == 1 for e in events)

    (lost,) = add_events(live, 1, recipients=[world.users["grid_leader"]])

    async def lose_the_lease(worker: OutboxWorker) -> bool:
        (claimed,) = await worker.claim()
        async with worker.db.sessionmaker() as session:
            await session.execute(
                update(OutboxEvent).where(OutboxEvent.id == claimed.id).values(lock_owner="another worker")
            )
            await session.commit()
        return await worker.deliver(claimed)

    assert with_worker(live, lose_the_lease, webhook_url="") is False
    assert notifications_of(live, lost) == [] and event_row(live, lost).delivered_at is None


def test_one_bad_event_does_not_stop_the_others(live: Live, world: World, receiver: WebhookReceiver) -> None:
    good = add_events(live, 2, recipients=[world.users["grid_leader"]])
    (bad,) = add_events(live)
    with live.session() as session:
        row = session.execute(select(OutboxEvent).where(OutboxEvent.event_id == bad)).scalar_one()
        row.payload = {**row.payload, "notify": {"user_ids": ["not-a-user-id"], "title": "x", "body": ""}}
        session.commit()

    assert run_once(live, webhook_url=receiver.url) == 2
    assert all(event_row(live, e).delivered_at is not None for e in good)
    broken = event_row(live, bad)
    assert broken.delivered_at is None and broken.attempts == 1 and broken.last_error.startswith("ValueError")


def test_a_claim_takes_at_most_one_batch(live: Live) -> None:
    add_events(live, 20)

    async def claim_three_times(worker: OutboxWorker) -> list[int]:
        return [len(await worker.claim()) for _ in range(3)]

    assert with_worker(live, claim_three_times, batch_size=7) == [7, 7, 6]


def test_a_claim_holds_each_event_for_one_delivery_and_renews_as_the_batch_goes(live: Live) -> None:
    """The lease is one delivery long (so a killed worker's events are taken over within about half a minute, not
    after a whole batch's timeouts) and renewed before each event: a batch that takes longer than one lease is
    never taken over by another worker while this one is still delivering it."""
    add_events(live, 3)
    clock = Clock()
    lease = timedelta(seconds=10 + 20)  # webhook_timeout_seconds defaults to 10
    claimed_by_other: list[int] = []

    async def deliver_slowly(worker: OutboxWorker) -> tuple[int, list[datetime]]:
        other = OutboxWorker(worker.db, worker.settings, clock=clock)
        deliver = worker.deliver
        held_until: list[datetime] = []

        async def slow(event: OutboxEvent) -> bool:
            clock.advance(lease.total_seconds() - 5)  # each delivery takes most of a lease
            claimed_by_other.append(len(await other.claim()))
            async with worker.db.sessionmaker() as session:
                rows = await session.execute(select(OutboxEvent.locked_until).where(OutboxEvent.id == event.id))
                held_until.append(rows.scalar_one())
            return await deliver(event)

        worker.deliver = slow  # type: ignore[method-assign]
        return await worker.run_once(), held_until

    start = clock.now
    delivered, held_until = with_worker(live, deliver_slowly, clock=clock, webhook_url="")
    assert worker_lease(live) == lease < timedelta(minutes=1)
    assert delivered == 3 and claimed_by_other == [0, 0, 0]
    # The first event is held from the claim; each later one from the renewal just before it was delivered.
    five = timedelta(seconds=5)
    assert [h.replace(tzinfo=None) for h in held_until] == [
        t.replace(tzinfo=None) for t in (start + lease, start + 2 * lease - five, start + 3 * lease - 2 * five)
    ]


def test_quick_deliveries_keep_the_lease_they_were_claimed_with(live: Live) -> None:
    """Renewing costs an UPDATE per event: within the first half of the grace (deliveries of milliseconds, as
    without a webhook) the claim's own lease still holds a whole delivery, so there is nothing to renew; past it
    (a slow delivery), the next event renews first."""
    add_events(live, 4)
    clock = Clock()

    async def deliver_quickly_then_slowly(worker: OutboxWorker) -> tuple[int, list[int]]:
        renew, deliver = worker.renew, worker.deliver
        renewed: list[int] = []

        async def counting_renew(owner: str) -> int:
            renewed.append(position[0])
            return await renew(owner)

        position = [0]

        async def deliver_and_count(event: OutboxEvent) -> bool:
            position[0] += 1
            if position[0] == 2:
                clock.advance(worker.settings.worker_lease_grace_seconds / 2 + 1)  # the second one is slow
            return await deliver(event)

        worker.renew = counting_renew  # type: ignore[method-assign]
        worker.deliver = deliver_and_count  # type: ignore[method-assign]
        return await worker.run_once(), renewed

    delivered, renewed_before = with_worker(live, deliver_quickly_then_slowly, clock=clock, webhook_url="")
    assert delivered == 4
    assert renewed_before == [2]  # once, before the third event: after the slow second one


def test_a_dead_workers_claim_is_taken_over_once_its_lease_runs_out(live: Live) -> None:
    add_events(live, 2)
    clock = Clock()

    async def die_then_take_over(worker: OutboxWorker) -> list[int]:
        first = await worker.claim()  # and the worker dies here, holding both
        other = OutboxWorker(worker.db, worker.settings, clock=clock)
        counts = [len(first)]
        clock.advance(worker.lease.total_seconds() - 1)
        counts.append(len(await other.claim()))
        clock.advance(2)
        counts.append(len(await other.claim()))
        return counts

    assert with_worker(live, die_then_take_over, clock=clock, webhook_url="") == [2, 0, 2]


def worker_lease(live: Live) -> timedelta:
    return with_worker(live, lambda w: _value(w.lease), webhook_url="")


async def _value(value: T) -> T:
    return value


@pytest.mark.parametrize("workers", [3])
def test_concurrent_workers_deliver_every_event_exactly_once(
    live: Live, world: World, receiver: WebhookReceiver, workers: int
) -> None:
    """Three workers, each in its own thread with its own Database (as separate processes would be), drain 200
    events in small batches while the receiver is slow enough for their claims to overlap."""
    total = 200
    users = [world.users["station_chief"], world.users["grid_leader"]]
    event_ids = add_events(live, total, recipients=users)
    receiver.delay = 0.002
    settings = make_settings(live.settings.database_url, webhook_url=receiver.url, webhook_secret=SECRET)
    start = threading.Barrier(workers)
    delivered: list[int] = [0] * workers
    errors: list[BaseException] = []

    def drain(index: int) -> None:
        async def main() -> None:
            db = Database(settings.database_url)
            try:
                async with OutboxWorker(db, settings, batch_size=7) as worker:
                    async with db.engine.connect():  # connect first, so that all start claiming together
                        pass
                    start.wait()
                    # Keep competing until every event is delivered, not merely until one claim comes back empty
                    # (it does while the other workers hold the rest).
                    while await _pending(db):
                        delivered[index] += await worker.run_once()
                        if worker.last_claimed == 0:
                            await asyncio.sleep(0.01)
            finally:
                await db.dispose()

        try:
            asyncio.run(main())
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=drain, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert not errors
    per_event = receiver.accepted_per_event()
    twice = sorted(e for e, n in per_event.items() if n > 1)
    assert twice == [], f"delivered more than once: {twice}"
    assert set(per_event) == set(event_ids)
    assert len(receiver.requests) == total and all(r.signature_ok for r in receiver.requests)
    assert sum(delivered) == total
    assert sum(1 for n in delivered if n) >= 2, f"the workers did not compete: {delivered}"
    with live.session() as session:
        pending = session.execute(select(func.count()).where(OutboxEvent.delivered_at.is_(None))).scalar_one()
        notes = session.execute(select(func.count()).select_from(Notification)).scalar_one()
    assert pending == 0
    assert notes == total * len(users)
    print(f"{live.engine_name}: {total} events, {workers} workers, delivered per worker {delivered}, duplicates 0")


async def _pending(db: Database) -> int:
    async with db.sessionmaker() as session:
        query = select(func.count()).where(OutboxEvent.delivered_at.is_(None))
        return (await session.execute(query)).scalar_one()


def test_run_forever_and_the_embedded_worker_deliver_and_stop(
    live: Live, world: World, receiver: WebhookReceiver
) -> None:
    settings = make_settings(
        live.settings.database_url, webhook_url=receiver.url, webhook_secret=SECRET, worker_poll_seconds=0.05
    )

    async def main() -> None:
        db = Database(settings.database_url)
        try:
            # run_forever directly, with its stop event.
            stop = asyncio.Event()
            task = asyncio.create_task(OutboxWorker(db, settings).run_forever(stop))
            add_events(live, 3, recipients=[world.users["grid_leader"]])
            await _until(lambda: len(receiver.accepted) == 3)
            stop.set()
            await asyncio.wait_for(task, timeout=5)

            # The web process's embedded worker.
            stop_embedded = start_embedded(SimpleNamespace(db=db, settings=settings))
            add_events(live, 2)
            await _until(lambda: len(receiver.accepted) == 5)
            await asyncio.wait_for(stop_embedded(), timeout=5)
        finally:
            await db.dispose()

    run_async(main())
    assert len(receiver.accepted_per_event()) == 5


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(10):
        while not condition():  # noqa: ASYNC110 - the receiver runs in another thread
            await asyncio.sleep(0.02)


def test_the_worker_command_delivers_until_sigterm(live: Live, receiver: WebhookReceiver, tmp_path: Any) -> None:
    add_events(live, 2)
    env = {
        **os.environ,
        "WANGGE_ENVIRONMENT": "test",
        "WANGGE_DATABASE_URL": live.settings.database_url,
        "WANGGE_SECRET_KEY": TEST_SECRET,
        "WANGGE_WEBHOOK_URL": receiver.url,
        "WANGGE_WEBHOOK_SECRET": SECRET,
        "WANGGE_WORKER_POLL_SECONDS": "0.1",
        "WANGGE_MONTHLY_BULLETINS": "false",  # as in every test's settings: the bulletins' own tests run them
    }
    proc = subprocess.Popen(  # cwd elsewhere, so a developer's .env does not leak in
        [sys.executable, "-m", "wangge.cli", "worker"], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while len(receiver.accepted) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(receiver.accepted) == 2
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=15)
    assert proc.returncode == 0, stderr
    assert '"logger": "wangge.worker"' in stderr and '"message": "delivered"' in stderr
    assert '"message": "worker stopped"' in stderr


def test_a_webhook_url_needs_a_real_secret_outside_development(live: Live) -> None:
    url = live.settings.database_url
    with pytest.raises(ValidationError, match="WANGGE_WEBHOOK_SECRET"):
        make_settings(url, webhook_url="https://gateway.example/hook", webhook_secret="short")
    make_settings(url, webhook_url="https://gateway.example/hook", webhook_secret="x" * 16)
    make_settings(url, webhook_url="https://gateway.example/hook", webhook_secret="", environment="development")
    make_settings(url, webhook_url="", webhook_secret="")


def test_the_back_off_doubles_from_ten_seconds_up_to_an_hour_with_a_little_jitter(live: Live) -> None:
    expected = [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]
    for attempts, base in enumerate(expected, start=1):
        delay = retry_delay(attempts).total_seconds()
        assert base <= delay <= base * 1.1


def test_the_verification_example_in_the_docs_accepts_a_real_request(live: Live) -> None:
    """docs/webhooks.md tells gateway authors how to check the signature; its example must keep working."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "webhooks.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", doc, re.S).group(1)
    namespace: dict[str, Any] = {}
    exec(example.replace("the value of WANGGE_WEBHOOK_SECRET", SECRET), namespace)  # noqa: S102 - our own docs
    is_genuine = namespace["is_genuine"]

    (event_id,) = add_events(live)
    settings = make_settings(live.settings.database_url, webhook_url="http://unused", webhook_secret=SECRET)
    worker = OutboxWorker(None, settings)  # type: ignore[arg-type] - building a request needs no database
    body, headers = worker.webhook_request(event_row(live, event_id))

    assert is_genuine(headers, body)
    assert not is_genuine(headers, body.replace(b"matter.created", b"matter.resolved"))
    assert not is_genuine({**headers, "X-Wangge-Timestamp": str(int(time.time()) - 3600)}, body)


def test_a_reported_matter_reaches_its_grid_staff_and_the_webhook(
    live: Live, world: World, client: Any, receiver: WebhookReceiver
) -> None:
    """End to end with the matters service: a resident's report queues matter.created, the worker delivers it."""
    code = submit(client)["tracking_code"]
    matter = matter_id(live, code)

    assert run_once(live, webhook_url=receiver.url) == 1

    (request,) = receiver.requests
    assert request.topic == "matter.created" and request.signature_ok
    assert request.body["data"]["matter_id"] == matter and request.body["data"]["tracking_code"] == code
    notes = notifications_of(live, request.event_id)
    assert notes and all(n.matter_id == matter and code in n.title for n in notes)
    assert world.users["grid_leader"] in {n.user_id for n in notes}


def test_delivered_events_are_purged_after_the_retention_period_and_pending_ones_never(live, world):
    """Delivered events carry personal data; the worker's rounds remove them after the retention period."""
    import asyncio
    import threading
    import uuid
    from datetime import timedelta

    from sqlalchemy import select

    from wangge.database import Database
    from wangge.models_common import utcnow
    from wangge.notify.models import OutboxEvent
    from wangge.notify.worker import OutboxWorker

    now = utcnow()
    old = now - timedelta(days=live.settings.outbox_retention_days + 1)
    with live.session() as s:
        for delivered in (old, now, None):
            s.add(
                OutboxEvent(
                    event_id=str(uuid.uuid4()),
                    topic="matter.resolved",
                    payload={"data": {}},
                    created_at=old,
                    available_at=now + timedelta(days=1),
                    attempts=1,
                    delivered_at=delivered,
                )
            )
        s.commit()

    purged: list[int] = []

    async def run() -> None:
        db = Database(live.settings.database_url)
        try:
            async with OutboxWorker(db, live.settings) as worker:
                purged.append(await worker.purge_delivered())
        finally:
            await db.dispose()

    t = threading.Thread(target=lambda: asyncio.run(run()))
    t.start()
    t.join()
    assert purged == [1]
    with live.session() as s:
        left = sorted((e.delivered_at is None) for e in s.execute(select(OutboxEvent)).scalars())
    assert left == [False, True]  # the recent delivered one and the pending one stay
