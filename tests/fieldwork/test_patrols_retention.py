"""Tracks are removed after the retention period by the worker's rounds; the patrol stays as a stub and its
findings (matters) stay."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from wangge.database import Database
from wangge.fieldwork import patrols
from wangge.fieldwork.models import CheckIn, Patrol, PatrolBatch, PatrolFinding, PatrolPoint
from wangge.idempotency import IdempotencyKey
from wangge.matters.models import Matter
from wangge.notify.worker import OutboxWorker

from .test_patrols import T0, detail, sent, started, walk


def _count(live, model, patrol_id: int) -> int:
    with live.session() as s:
        return s.execute(select(func.count()).select_from(model).where(model.patrol_id == patrol_id)).scalar_one()


def _patrol_with_everything(client, world, client_id: str, at) -> dict:
    p = started(client, world, client_id=client_id, started_at=at)
    sent(client, world, p["id"], "b-1", walk(5, base=at))
    h = world.headers("grid_leader")
    r = client.post(
        f"/api/v1/patrols/{p['id']}/checkins",
        json={"client_id": "c1", "building_id": world.ids["B_G1a"], "at": at.isoformat()},
        headers=h,
    )
    assert r.status_code == 201, r.text
    r = client.post(
        f"/api/v1/patrols/{p['id']}/findings",
        json={
            "client_id": "f1",
            "at": at.isoformat(),
            "category": "sanitation",
            "description": "井盖松动",
            "handled_on_spot": True,
            "result": "已处理",
        },
        headers=h,
    )
    assert r.status_code == 201, r.text
    return detail(client, world, p["id"])


def test_the_rounds_remove_old_tracks_and_keep_a_stub(world, client, live):
    old = _patrol_with_everything(client, world, "old", T0)
    recent = _patrol_with_everything(client, world, "recent", T0 + timedelta(days=100))
    now = T0 + timedelta(days=live.settings.track_retention_days + 1)

    async def rounds() -> dict[str, int]:
        db = Database(live.settings.database_url)
        try:
            return await OutboxWorker(db, live.settings, clock=lambda: now).rounds()
        finally:
            await db.dispose()

    assert asyncio.run(rounds())["tracks_removed"] == 1
    for model in (PatrolPoint, PatrolBatch, CheckIn):
        assert _count(live, model, old["id"]) == 0
        assert _count(live, model, recent["id"]) > 0
    with live.session() as s:
        stub = s.get(Patrol, old["id"])
        assert stub.track is None
        assert (stub.distance_m, stub.point_count, stub.flagged_count) == (old["distance_m"], 5, 0)
        assert s.get(Patrol, recent["id"]).track is not None
        # The finding and its matter stay: they have a life of their own.
        finding = s.execute(select(PatrolFinding).where(PatrolFinding.patrol_id == old["id"])).scalar_one()
        assert s.get(Matter, finding.matter_id).status == "resolved"
        assert (
            s.execute(
                select(func.count())
                .select_from(IdempotencyKey)
                .where(IdempotencyKey.principal == f"patrol:{old['id']}")
            ).scalar_one()
            == 0
        )
    stub_view = detail(client, world, old["id"])
    assert stub_view["points"] == [] and stub_view["track"] is None and stub_view["distance_m"] == old["distance_m"]
    assert len(stub_view["findings"]) == 1
    # Coverage history still counts the patrol and its distance; the covered share is gone with the track.
    c = client.get(
        f"/api/v1/grids/{world.ids['G1a']}/coverage",
        params={"day": "2026-03-02"},
        headers=world.headers("station_chief"),
    ).json()
    assert (c["patrol_count"], c["covered_share"]) == (1, 0) and c["distance_m"] == old["distance_m"]

    # A second round finds nothing more to remove.
    assert asyncio.run(rounds())["tracks_removed"] == 0


def test_periodic_uses_the_configured_retention(world, client, live):
    p = started(client, world)
    sent(client, world, p["id"], "b-1", walk(3))

    async def run(days: int) -> dict[str, int]:
        db = Database(live.settings.database_url)
        try:
            async with db.sessionmaker() as session:
                settings = live.settings.model_copy(update={"track_retention_days": days})
                return await patrols.periodic(session, settings=settings, now=T0 + timedelta(days=10))
        finally:
            await db.dispose()

    assert asyncio.run(run(30)) == {"tracks_removed": 0}
    assert asyncio.run(run(5)) == {"tracks_removed": 1}
    assert _count(live, PatrolPoint, p["id"]) == 0
