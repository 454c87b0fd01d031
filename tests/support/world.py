"""A small world for scope tests, built straight into the database through the ORM:

    D1 ─ S1 ─ C1 ─ G1a, G1b          D2 ─ S3 ─ C4 ─ G4
         │    └ C2 ─ G2
         └ S2 ─ C3 ─ G3

Each community is a 0.01° square; its grids are squares inside it, leaving free room in C1's north half for
new grids. Departments: DS1 (street S1), DD1 (district D1), DS2 (street S2), DD2 (district D2). One user per role
scoped inside D1/S1/C1/G1a, plus a system administrator. Tokens are minted through the real login-session code.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from shapely.geometry import Point, Polygon
from sqlalchemy import bindparam, case, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from wangge import geo
from wangge.accounts.models import LoginSession, User
from wangge.accounts.security import make_access_token, new_session_id, refresh_expiry, token_digest
from wangge.config import Settings
from wangge.fieldwork.models import GridLeadership
from wangge.hierarchy.models import Building, Community, Department, District, Grid, Place, Street
from wangge.matters import seed, service
from wangge.matters.models import Category
from wangge.models_common import utcnow

PASSWORD = "pass-1234"
TABLES = (
    "sweep_tasks",
    "sweep_grids",
    "sweeps",
    "personal_data_access",
    "reg_events",
    "reg_tenancies",
    "reg_residencies",
    "reg_people",
    "reg_houses",
    "reserve_moves",
    "reserve_items",
    "duty_days",
    "assessment_bulletins",
    "assessment_results",
    "assessment_schemes",
    "audit_entries",
    "early_warning_acks",
    "early_warning_grids",
    "early_warnings",
    "activation_members",
    "activations",
    "tier_members",
    "response_tiers",
    "incident_reports",
    "drills",
    "contingency_plans",
    "incidents",
    "hazards",
    "inspection_tasks",
    "hazard_cycles",
    "special_periods",
    "supervision_notes",
    "triage_items",
    "triage_attendees",
    "triage_meetings",
    "home_visits",
    "special_residents",
    "log_remarks",
    "log_dispositions",
    "daily_logs",
    "patrol_findings",
    "patrol_checkins",
    "patrol_batches",
    "patrol_points",
    "patrols",
    "shifts",
    "leaves",
    "post_pairs",
    "team_members",
    "grid_leaderships",
    "notifications",
    "outbox_events",
    "idempotency_keys",
    "photos",
    "matter_supporters",
    "tracking_attempts",
    "matter_events",
    "handoffs",
    "matter_applications",
    "matter_cooperators",
    "mediation_sessions",
    "mediations",
    "matters",
    "calendar_overrides",
    "calendar_years",
    "api_keys",
    "categories",
    "spent_refresh_tokens",
    "login_sessions",
    "sign_in_failures",
    "users",
    "places",
    "buildings",
    "departments",
    "grids",
    "communities",
    "streets",
    "districts",
)


def square(lon: float, lat: float, size: float) -> Polygon:
    return Polygon([(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat)])


def square_geojson(lon: float, lat: float, size: float) -> dict[str, Any]:
    return geo.to_geojson(square(lon, lat, size))


_resets = 0


def resets() -> int:
    """How many times the database was reset in this process: a world built before the last reset is gone."""
    return _resets


def reset(engine: Any) -> None:
    """Empty every table, then put back the categories the migration seeds.

    A request a browser page of the previous test still had in flight may hold a lock the TRUNCATE needs; PostgreSQL
    then ends one of the two as a deadlock. That is a race of the test harness, not of the app: try again."""
    for attempt in range(5):
        try:
            _reset_once(engine)
            break
        except OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))
    service.clear_cache()  # the server runs in this process and caches categories
    global _resets
    _resets += 1


# What a test may have changed in a PostgreSQL database, read in one query: the next transaction id of the cluster (any
# transaction that writes or locks a row, or changes a table, takes one; one that only reads takes none) and the
# value of every sequence (nextval() changes one without a transaction id). The same signature before a test as after
# the last build: nothing was written since, and the world built then is still the database's, row for row.
_SIGNATURE = text(
    "SELECT txid_snapshot_xmax(txid_current_snapshot())::text || ':' || coalesce((SELECT string_agg("
    "coalesce(pg_sequence_last_value(c.oid)::text, '-'), ',' ORDER BY c.oid) "
    "FROM pg_class c WHERE c.relkind = 'S'), '')"
)


def signature(engine: Any) -> str | None:
    """A signature of the database's contents that changes with any write (PostgreSQL only; None elsewhere)."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        return conn.execute(_SIGNATURE).scalar_one()


# The tables' own id sequences on PostgreSQL, restarted at each reset so ids begin at 1 as on SQLite (sent with the
# DELETEs, in the same round trip).
_RESTART_SEQUENCES_SQL = (  # noqa: S608 - fixed table names
    "SELECT setval(d.objid::regclass, 1, false) FROM pg_depend d "
    "JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
    "JOIN pg_class t ON t.oid = d.refobjid AND t.relname IN ({}) "
    "WHERE d.deptype IN ('a', 'i')"
).format(", ".join(f"'{table}'" for table in TABLES))


def _reset_once(engine: Any) -> None:
    try:
        _empty(engine, truncate=False)
    except IntegrityError:
        # A table missing from TABLES still points at one of them: TRUNCATE … CASCADE empties it too.
        if engine.dialect.name != "postgresql":
            raise
        _empty(engine, truncate=True)


# The checklist templates the migration seeds; those the tests add (some bound to a street) go at each reset.
SEEDED_CHECKLISTS = ("fire", "gas", "electrical", "building", "road", "production")


_EXTRA_CHECKLISTS = text("DELETE FROM checklist_templates WHERE code NOT IN :codes").bindparams(
    bindparam("codes", expanding=True)
)


def _empty(engine: Any, *, truncate: bool) -> None:
    with engine.begin() as conn:
        if truncate:
            conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))  # noqa: S608 - fixed table names
        else:
            # DELETE, children first, on both engines: these tables hold a few rows, and PostgreSQL's TRUNCATE of ~50
            # tables (new files for each) took about a second per test, three times as long as DELETE.
            if conn.dialect.name == "postgresql":
                # One round trip for all of them (psycopg sends a statement list without parameters as one query).
                extra = ", ".join(f"'{code}'" for code in SEEDED_CHECKLISTS)
                statements = [f"DELETE FROM {table}" for table in TABLES]  # noqa: S608 - fixed table names
                at = TABLES.index("inspection_tasks") + 1
                statements.insert(at, f"DELETE FROM checklist_templates WHERE code NOT IN ({extra})")  # noqa: S608
                statements.append(_RESTART_SEQUENCES_SQL)
                conn.exec_driver_sql("; ".join(statements))
            else:
                for table in TABLES:
                    conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - fixed table names
                    if table == "inspection_tasks":
                        conn.execute(_EXTRA_CHECKLISTS, {"codes": list(SEEDED_CHECKLISTS)})
        now = utcnow()
        conn.execute(insert(Category), [{**c, "created_at": now, "updated_at": now} for c in seed.current_categories()])


# Community origins (lon, lat) and size; grids sit in the south half of each community.
C_SIZE = 0.01
ORIGINS = {"C1": (113.00, 28.10), "C2": (113.02, 28.10), "C3": (113.04, 28.10), "C4": (113.10, 28.20)}
GRIDS = {"G1a": ("C1", 0.000), "G1b": ("C1", 0.003), "G2": ("C2", 0.0), "G3": ("C3", 0.0), "G4": ("C4", 0.0)}
G_SIZE = 0.003
ROLES = (
    "administrator",
    "street_officer",
    "department_officer",
    "station_chief",
    "grid_leader",
    "grid_member",
    "resident",
)


def grid_point(name: str) -> tuple[float, float]:
    """(lon, lat) of a point well inside grid `name`."""
    community, dx = GRIDS[name]
    lon, lat = ORIGINS[community]
    return lon + dx + G_SIZE / 2, lat + G_SIZE / 2


def free_square_in_c1(offset: float = 0.0) -> dict[str, Any]:
    lon, lat = ORIGINS["C1"]
    return square_geojson(lon + 0.001 + offset, lat + 0.006, 0.002)


@dataclass
class World:
    ids: dict[str, int] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def build(session: Session, settings: Settings, password_hash: str) -> World:
    """The world, level by level: each level's rows go in one flush (a flush per row took most of a test's set-up),
    in the same order as ever, so the ids are the same."""
    w = World()

    def add(level: dict[str, Any]) -> dict[str, Any]:
        session.add_all(level.values())
        session.flush()
        for name, obj in level.items():
            w.ids[name] = obj.id
            if hasattr(obj, "code"):
                w.codes[name] = obj.code
        return level

    d1, d2 = add({"D1": District(code="430111", name="一区"), "D2": District(code="430112", name="二区")}).values()
    s1, s2, s3 = add(
        {
            "S1": Street(code="430111001", name="一街道", district_id=d1.id),
            "S2": Street(code="430111002", name="二街道", district_id=d1.id),
            "S3": Street(code="430112001", name="三街道", district_id=d2.id),
        }
    ).values()
    communities = {
        "C1": (s1, "430111001001"),
        "C2": (s1, "430111001002"),
        "C3": (s2, "430111002001"),
        "C4": (s3, "430112001001"),
    }
    add(
        {
            name: Community(
                code=code,
                name=f"{name}社区",
                district_id=street.district_id,
                street_id=street.id,
                geom=geo.to_db(geo.area_from_geojson(square_geojson(*ORIGINS[name], C_SIZE))),
            )
            for name, (street, code) in communities.items()
        }
    )
    grids: dict[str, Any] = {}
    for i, (name, (community, dx)) in enumerate(GRIDS.items(), start=1):
        lon, lat = ORIGINS[community]
        poly = square(lon + dx, lat, G_SIZE)
        street = communities[community][0]
        grids[name] = Grid(
            code=communities[community][1] + f"{i:03d}",
            name=f"{name}网格",
            kind="property_managed",
            households=100 + i,
            registered_population=300 + i,
            floating_population=20 + i,
            district_id=street.district_id,
            street_id=street.id,
            community_id=w.ids[community],
            area_m2=geo.geodesic_area_m2(poly),
            geom=geo.to_db(poly),
        )
    add(grids)
    registers: dict[str, Any] = {}
    for name in GRIDS:
        plon, plat = grid_point(name)
        registers[f"B_{name}"] = Building(
            grid_id=w.ids[name],
            name=f"{name}-1栋",
            households=40,
            head_name="楼长",
            head_phone="13812345678",
            geom=geo.to_db(Point(plon, plat)),
        )
        registers[f"P_{name}"] = Place(
            grid_id=w.ids[name],
            category="business",
            kind="retail",
            name=f"{name}小卖部",
            geom=geo.to_db(Point(plon, plat)),
        )
    add(registers)
    add(
        {
            "DS1": Department(
                code="DS1",
                name="一街道城管",
                level="street",
                district_id=d1.id,
                street_id=s1.id,
                categories=["sanitation"],
            ),
            "DD1": Department(
                code="DD1",
                name="一区应急局",
                level="district",
                district_id=d1.id,
                street_id=None,
                categories=["fire_safety"],
            ),
            "DS2": Department(
                code="DS2",
                name="二街道城管",
                level="street",
                district_id=d1.id,
                street_id=s2.id,
                categories=["sanitation"],
            ),
            "DD2": Department(
                code="DD2",
                name="二区应急局",
                level="district",
                district_id=d2.id,
                street_id=None,
                categories=["fire_safety"],
            ),
        }
    )

    # Category owners: the street's city-management team and the district's emergency bureau.
    owners = {
        "sanitation": "DS1",
        "illegal_construction": "DS1",
        "fire_safety": "DD1",
        "livelihood": "DD1",
        "urban_construction": "DD1",
    }
    # One statement for the five (a round trip each took a tenth of the build on a loaded machine).
    session.execute(
        update(Category)
        .where(Category.code.in_(owners))
        .values(department_id=case({code: w.ids[dept] for code, dept in owners.items()}, value=Category.code))
    )
    w.categories = {c.code: c.id for c in session.execute(select(Category)).scalars()}

    path_s1 = {"district_id": d1.id, "street_id": s1.id}
    path_c1 = {**path_s1, "community_id": w.ids["C1"]}
    path_g1a = {**path_c1, "grid_id": w.ids["G1a"]}
    scopes = {
        "system_admin": ("administrator", "system", {}),
        "administrator": ("administrator", "street", path_s1),
        "street_officer": ("street_officer", "street", path_s1),
        "department_officer": ("department_officer", "department", {**path_s1, "department_id": w.ids["DS1"]}),
        "station_chief": ("station_chief", "community", path_c1),
        "grid_leader": ("grid_leader", "grid", path_g1a),
        "grid_member": ("grid_member", "grid", path_g1a),
        "resident": ("resident", "community", path_c1),
        # Users elsewhere, as targets of the users endpoints.
        "leader_g1b": ("grid_leader", "grid", {**path_c1, "grid_id": w.ids["G1b"]}),
        "leader_g2": ("grid_leader", "grid", {**path_s1, "community_id": w.ids["C2"], "grid_id": w.ids["G2"]}),
        "chief_c3": (
            "station_chief",
            "community",
            {"district_id": d1.id, "street_id": s2.id, "community_id": w.ids["C3"]},
        ),
        "chief_c4": (
            "station_chief",
            "community",
            {"district_id": d2.id, "street_id": s3.id, "community_id": w.ids["C4"]},
        ),
        "dept_dd1": ("department_officer", "department", {"district_id": d1.id, "department_id": w.ids["DD1"]}),
    }
    now = utcnow()
    users = {
        username: User(
            username=username,
            display_name=f"{username}的名字",
            role=role,
            scope_level=level,
            password_hash=password_hash,
            phone="13900001111",
            **path,
        )
        for username, (role, level, path) in scopes.items()
    }
    session.add_all(users.values())
    session.flush()
    for username, user in users.items():
        w.users[username] = user.id
        sid = new_session_id()
        session.add(
            LoginSession(
                id=sid,
                user_id=user.id,
                refresh_hash=token_digest(sid),
                created_at=now,
                expires_at=refresh_expiry(settings),
            )
        )
        w.tokens[username], _ = make_access_token(settings, user_id=user.id, session_id=sid)
    # The grid leaders lead their grids (the leadership history is what "who is on duty" starts from).
    for username, grid in (("grid_leader", "G1a"), ("leader_g1b", "G1b"), ("leader_g2", "G2")):
        session.add(GridLeadership(grid_id=w.ids[grid], user_id=w.users[username], started_at=now - timedelta(days=30)))
    session.commit()
    return w
