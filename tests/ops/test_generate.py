"""`wangge generate` on both engines at a small scale: the hierarchy tiles without gaps or overlaps and each level
lies inside the one above, the accounts can sign in and see their own, the matters have the mix of a real city
and lie in their grids, and the same seed gives the same data (bench/generate.py measures the city-sized run)."""

# ruff: noqa: S608 - the SQL names our own tables and functions

from __future__ import annotations

from datetime import datetime

import httpx
import pytest
from sqlalchemy import text

from conftest import make_settings, migrated_database
from support.server import LiveServer
from wangge import generate
from wangge.accounts.security import Passwords
from wangge.config import Settings
from wangge.database import create_sync_db_engine

NOW = datetime.fromisoformat("2026-12-01T08:00:00+00:00")
PASSWORD = "generated-2026"
HASH = Passwords(Settings(argon2_time_cost=1, argon2_memory_kib=1024)).hash(PASSWORD)


def _generated(live, request, tmp_path, name: str, seed: int = 7, grids: int = 120, matters: int = 3000):
    url = migrated_database(live.engine_name, name, tmp_path, request)
    engine = create_sync_db_engine(url)
    plan = generate.Plan(grids=grids, matters=matters, patrols=150, seed=seed, password_hash=HASH, now=NOW)
    generate.generate(engine, plan, say=lambda _line: None)
    return url, engine, plan


def _scalar(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def _rows(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def test_a_generated_city_is_a_valid_hierarchy_of_the_size_asked_for(live, request, tmp_path):
    _, engine, plan = _generated(live, request, tmp_path, "generated_a")
    sqlite = live.engine_name == "sqlite"
    valid = "ST_IsValid" if not sqlite else "IsValid"
    within = "ST_CoveredBy" if not sqlite else "CoveredBy"
    overlaps = "ST_Overlaps" if not sqlite else "Overlaps"
    assert (plan.districts, plan.streets, plan.communities) == (1, 1, 3)  # 120 grids: 50 + 50 + 20
    counts = {t: _scalar(engine, f"SELECT count(*) FROM {t}") for t in ("districts", "streets", "communities", "grids")}
    assert counts == {"districts": 1, "streets": 1, "communities": 3, "grids": 120}
    assert _scalar(engine, f"SELECT count(*) FROM grids WHERE {valid}(geom) AND area_m2 > 30000") == 120
    # Grids tile their community: none overlaps another, each inside its community, the community in its street.
    assert (
        _scalar(engine, f"SELECT count(*) FROM grids a JOIN grids b ON a.id < b.id AND {overlaps}(a.geom, b.geom)") == 0
    )
    assert (
        _scalar(
            engine,
            f"SELECT count(*) FROM grids g JOIN communities c ON c.id = g.community_id WHERE {within}(g.geom, c.geom)",
        )
        == 120
    )
    assert (
        _scalar(
            engine,
            f"SELECT count(*) FROM communities c JOIN streets s ON s.id = c.street_id WHERE {within}(c.geom, s.geom)",
        )
        == 3
    )
    assert (
        _scalar(
            engine,
            "SELECT count(*) FROM grids g JOIN communities c ON c.id = g.community_id "
            "WHERE substr(g.code, 1, 12) = c.code",
        )
        == 120
    )
    # Every grid has its leader (and a leadership row); every community its chief.
    assert _scalar(engine, "SELECT count(*) FROM users WHERE role = 'grid_leader'") == 120
    assert _scalar(engine, "SELECT count(DISTINCT grid_id) FROM grid_leaderships WHERE ended_at IS NULL") == 120
    assert _scalar(engine, "SELECT count(*) FROM users WHERE role = 'station_chief'") == 3


def test_generated_matters_have_a_citys_mix_and_lie_in_their_grids(live, request, tmp_path):
    _, engine, plan = _generated(live, request, tmp_path, "generated_b")
    within = "ST_Within" if live.engine_name != "sqlite" else "Within"
    assert _scalar(engine, "SELECT count(*) FROM matters") == plan.matters
    assert (
        _scalar(
            engine,
            f"SELECT count(*) FROM matters m JOIN grids g ON g.id = m.grid_id "
            f"WHERE {within}(m.geom, g.geom) AND m.community_id = g.community_id",
        )
        == plan.matters
    )
    statuses = dict(_rows(engine, "SELECT status, count(*) FROM matters GROUP BY status"))
    assert statuses["closed"] > 0.9 * plan.matters and statuses.get("merged", 0) > 0
    open_states = set(statuses) - {"closed", "merged"}
    assert len(open_states) >= 6 and 0.005 * plan.matters < sum(statuses[s] for s in open_states) < 0.05 * plan.matters
    assert len({r[0] for r in _rows(engine, "SELECT DISTINCT source FROM matters")}) == 5
    assert len({r[0] for r in _rows(engine, "SELECT DISTINCT category_id FROM matters")}) >= 15
    ratings = dict(_rows(engine, "SELECT rating, count(*) FROM matters WHERE rating IS NOT NULL GROUP BY rating"))
    assert set(ratings) == {"satisfied", "basically_satisfied", "not_satisfied"}
    # Two years, oldest first; nothing closes in the future or before it was made.
    first, last = _rows(engine, "SELECT min(created_at), max(created_at) FROM matters")[0]
    span_days = (datetime.fromisoformat(str(last)) - datetime.fromisoformat(str(first))).days
    assert 720 <= span_days <= 730
    assert (
        _scalar(
            engine,
            "SELECT count(*) FROM matters WHERE closed_at < created_at OR closed_at > :now",
            now=NOW if live.engine_name != "sqlite" else NOW.strftime("%Y-%m-%d %H:%M:%S"),
        )
        == 0
    )
    # Above the station: a handoff each; a timeline for every matter.
    assert (
        _scalar(engine, "SELECT count(*) FROM handoffs")
        == _scalar(engine, "SELECT count(*) FROM matters WHERE holder_level IN ('street', 'department')")
        > 0
    )
    assert _scalar(engine, "SELECT count(DISTINCT matter_id) FROM matter_events") == plan.matters
    # Patrols: a walked line inside the grid, a few hundred metres long.
    assert _scalar(engine, "SELECT count(*) FROM patrols WHERE track IS NOT NULL AND distance_m > 300") == 150
    assert _scalar(engine, "SELECT count(*) FROM patrol_points") == 150 * generate.PATROL_POINTS


def test_the_same_seed_gives_the_same_city_and_another_seed_another(live, request, tmp_path):
    _, a, _ = _generated(live, request, tmp_path, "generated_c", seed=3, grids=60, matters=800)
    _, b, _ = _generated(live, request, tmp_path, "generated_d", seed=3, grids=60, matters=800)
    _, c, _ = _generated(live, request, tmp_path, "generated_e", seed=4, grids=60, matters=800)
    assert generate.fingerprint(a) == generate.fingerprint(b) != generate.fingerprint(c)
    with pytest.raises(ValueError, match="already has grids"):
        generate.generate(a, generate.Plan(60, 10, 0, 3, HASH, NOW), say=lambda _line: None)


def test_the_generated_accounts_work_the_generated_city_through_the_api(live, request, tmp_path):
    url, engine, _ = _generated(live, request, tmp_path, "generated_f")
    leader, grid_id = _rows(engine, "SELECT username, grid_id FROM users WHERE role = 'grid_leader' ORDER BY id")[0]
    server = LiveServer(make_settings(url)).start()
    try:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            r = client.post("/api/v1/auth/token", data={"username": leader, "password": PASSWORD})
            assert r.status_code == 200, r.text
            headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
            inbox = client.get("/api/v1/matters", params={"box": "grid", "status": "any"}, headers=headers)
            assert inbox.status_code == 200, inbox.text
            items = inbox.json()["items"]
            ids = [m["id"] for m in items]
            in_grid = [r[0] for r in _rows(engine, "SELECT id FROM matters WHERE grid_id = :g", g=grid_id)]
            assert ids and set(ids) <= set(in_grid)
            record = client.get(f"/api/v1/matters/{ids[0]}", headers=headers)
            assert record.status_code == 200 and record.json()["tracking_code"].startswith("GN")
            assert record.json()["grid"]["id"] == grid_id
            # Someone else's grid is outside the leader's scope.
            other = _scalar(engine, "SELECT min(id) FROM matters WHERE grid_id <> :g", g=grid_id)
            assert client.get(f"/api/v1/matters/{other}", headers=headers).status_code == 404
    finally:
        server.stop()
