"""The demo data through the real command, on both engines: loaded once, unchanged by a second run, and usable."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select

from conftest import make_settings, new_database
from support.server import LiveServer
from wangge import migrate
from wangge.accounts.models import User
from wangge.database import create_sync_db_engine
from wangge.demo.load import DEMO_PASSWORD
from wangge.emergencies.models import ResponseTier, TierMember
from wangge.fieldwork.models import Shift
from wangge.hierarchy.models import Building, Community, Grid, Place
from wangge.matters.models import Matter


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Community, Grid, Building, Place, User, Matter, Shift, ResponseTier, TierMember)
        }


@pytest.mark.parametrize("engine_name", ["sqlite", "postgres"])
def test_seed_demo_is_idempotent_and_matches_the_source(engine_name, request, tmp_path):
    url = new_database(engine_name, "wangge_demo", tmp_path, request)
    migrate.upgrade(url)
    env = {"WANGGE_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    first = subprocess.run(
        [sys.executable, "-m", "wangge.cli", "seed-demo"], env=env, capture_output=True, text=True, check=True
    )
    assert f"password for all: {DEMO_PASSWORD}" in first.stdout
    for username in ("admin", "street", "dept", "chief", "leader1", "member1", "resident"):
        assert f"  {username} " in first.stdout
    engine = create_sync_db_engine(url)
    try:
        counts = _counts(engine)
        second = subprocess.run(
            [sys.executable, "-m", "wangge.cli", "seed-demo"], env=env, capture_output=True, text=True, check=True
        )
        assert second.stdout == first.stdout
        assert _counts(engine) == counts
        assert counts["communities"] == 3 and counts["users"] >= 7
        # The roster and the first response tier are there to look at (管理 → 排班, 应急梯队).
        leaders = counts["users"] - 7
        assert counts["shifts"] == 6 * leaders and counts["response_tiers"] == 1 and counts["tier_members"] == 3
        # Sample matters, made once through the services: two brought back to the station for the triage board.
        with engine.connect() as conn:
            statuses = sorted(conn.execute(select(Matter.status)).scalars())
        assert statuses == ["at_station", "at_station", "resolved", "submitted", "submitted"]
        with engine.connect() as conn:
            main_id = conn.execute(select(Community.id).order_by(Community.code)).scalars().first()
            households = conn.execute(select(func.sum(Grid.households)).where(Grid.community_id == main_id)).scalar()
            people = conn.execute(
                select(func.sum(Grid.registered_population + Grid.floating_population)).where(
                    Grid.community_id == main_id
                )
            ).scalar()
            kinds = dict(
                conn.execute(
                    select(Place.category, func.count())
                    .join(Grid, Grid.id == Place.grid_id)
                    .where(Grid.community_id == main_id)
                    .group_by(Place.category)
                ).all()
            )
        assert households == 3654 and 11_800 <= people <= 12_200
        assert kinds == {"institution": 15, "business": 98}
    finally:
        engine.dispose()

    server = LiveServer(make_settings(url)).start()
    try:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:  # the demo's full-cost argon2 hash
            token = client.post("/api/v1/auth/token", data={"username": "chief", "password": DEMO_PASSWORD})
            assert token.status_code == 200, token.text
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            coverage = client.get(f"/api/v1/communities/{main_id}/coverage", headers=headers).json()
            assert coverage["uncovered_area_m2"] < 1 and 0.435e6 < coverage["community_area_m2"] < 0.465e6
            export = client.get("/api/v1/grids/export", headers=headers).json()
            assert len(export["features"]) == coverage["grid_count"] >= 8
            assert all(f["properties"]["leader_name"] for f in export["features"])
            today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
            monday = today - timedelta(days=today.weekday())
            roster = client.get("/api/v1/fieldwork/roster", params={"week": str(monday)}, headers=headers)
            assert roster.status_code == 200, roster.text
            weekdays = [len(d["shifts"]) for d in roster.json()["days"]]
            assert all(n >= 8 for n in weekdays[:5]), weekdays  # the community's eight leaders, Monday to Friday
            tiers = client.get(
                "/api/v1/response-tiers", params={"unit_level": "community", "unit_id": main_id}, headers=headers
            ).json()
            assert [(t["tier"], len(t["members"])) for t in tiers] == [(1, 3)]
    finally:
        server.stop()
