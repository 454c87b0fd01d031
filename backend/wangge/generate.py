"""A city-sized data set for benchmarks and capacity planning: `wangge generate` fills an empty (migrated) database
with districts, streets, communities and grids (valid square polygons tiling the city without gaps or overlaps),
the accounts that work them, two years of matters in a realistic mix of categories, sources, routes, states,
ratings and handoffs, with their timelines, and patrols with tracks. The same seed gives the same data on both
engines.

Everything large is one INSERT … SELECT over a series of numbers (PostgreSQL's generate_series, a recursive
common table expression on SQLite), with the pseudo-random choices computed in SQL from the row's number and the
seed: no row crosses from Python. The layout:

- a community is 10 × 5 grids of 0.002° × 0.0018° (about 200 m × 200 m), 50 grids;
- a street is a row of 20 communities, a district 10 streets; so 100,000 grids are 10 districts, 100 streets,
  2,000 communities, in a rectangle of about 40 km × 90 km south-west of Changsha;
- every grid has a grid leader (`leader<k>`), every community a station chief (`chief<c>`), every street an officer
  (`street<s>`) and every district three departments with an officer each (`dept<d>_<n>`); all share one password.
"""

# The SQL below is assembled from this module's constants and integers of the plan, never from input text.
# ruff: noqa: S608

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from shapely.geometry import box
from sqlalchemy import Engine, func, select, text

from wangge import geo
from wangge.hierarchy.models import Grid

GRID_COLS, GRID_ROWS = 10, 5  # grids in a community
GRIDS_PER_COMMUNITY = GRID_COLS * GRID_ROWS
COMMUNITIES_PER_STREET = 20  # one row of communities
STREETS_PER_DISTRICT = 10
DEPARTMENTS_PER_DISTRICT = 3
DX, DY = 0.002, 0.0018  # a grid's size in degrees
LON0, LAT0 = 112.45, 27.35
DAYS = 730  # two years of matters
OPEN_DAYS = 40  # open matters are among the most recent ones
BATCH = 1_000_000  # rows per INSERT … SELECT, so that one statement's work stays bounded


@dataclass(frozen=True)
class Plan:
    grids: int
    matters: int
    patrols: int
    seed: int
    password_hash: str
    now: datetime

    @property
    def communities(self) -> int:
        return -(-self.grids // GRIDS_PER_COMMUNITY)

    @property
    def streets(self) -> int:
        return -(-self.communities // COMMUNITIES_PER_STREET)

    @property
    def districts(self) -> int:
        return -(-self.streets // STREETS_PER_DISTRICT)


class Sql:
    """The SQL that differs between PostgreSQL + PostGIS and SQLite + SpatiaLite, in one place."""

    def __init__(self, sqlite: bool) -> None:
        self.sqlite = sqlite

    def series(self, body: str) -> str:
        """`body` selects FROM `s` (one row per i in [:lo, :hi)); this wraps it in the engine's number series."""
        if self.sqlite:
            return (
                "WITH RECURSIVE s(i) AS (SELECT :lo UNION ALL SELECT i + 1 FROM s WHERE i + 1 < :hi) "
                + body.replace("{series}", "s")
            )
        return body.replace("{series}", "generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint) - 1) AS s(i)")

    def envelope(self, x0: str, y0: str, x1: str, y1: str) -> str:
        if self.sqlite:
            return f"BuildMbr({x0}, {y0}, {x1}, {y1}, 4326)"
        return f"ST_MakeEnvelope({x0}, {y0}, {x1}, {y1}, 4326)"

    def multi(self, polygon: str) -> str:
        return f"CastToMultiPolygon({polygon})" if self.sqlite else f"ST_Multi({polygon})"

    def point(self, x: str, y: str) -> str:
        return f"MakePoint({x}, {y}, 4326)" if self.sqlite else f"ST_SetSRID(ST_MakePoint({x}, {y}), 4326)"

    def pad(self, expr: str, width: int) -> str:
        return f"printf('%0{width}d', {expr})" if self.sqlite else f"lpad(CAST({expr} AS text), {width}, '0')"

    def at(self, seconds: str) -> str:
        """:t0 plus a number of seconds, as a timestamp stored the way SQLAlchemy stores one."""
        if self.sqlite:
            return f"strftime('%Y-%m-%d %H:%M:%S', :t0, '+' || ({seconds}) || ' seconds')"
        return f"(CAST(:t0 AS timestamptz) + ({seconds}) * interval '1 second')"

    def least(self, a: str, b: str) -> str:
        return f"min({a}, {b})" if self.sqlite else f"least({a}, {b})"

    def json_empty(self) -> str:
        return "'{}'" if self.sqlite else "CAST('{}' AS json)"


def h(i: str, salt: int) -> str:
    """A pseudo-random integer in [0, 2147483647) from a row's number, in SQL (a Lehmer step; 64-bit safe)."""
    return f"((CAST({i} AS bigint) + {salt}) * 48271 % 2147483647 * 16807 % 2147483647)"


# --- the run -----------------------------------------------------------------------------------------------------


def generate(engine: Engine, plan: Plan, say: Callable[[str], None] = print) -> dict[str, float]:
    with engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(Grid)).scalar():
            raise ValueError("the database already has grids: generate fills an empty (migrated) database")
    sql = Sql(engine.dialect.name == "sqlite")
    timings: dict[str, float] = {}
    with engine.connect() as conn:  # one connection: the lookup tables are temporary tables on it
        for name, step in (
            ("hierarchy", _hierarchy),
            ("accounts", _accounts),
            ("lookups", _lookups),
            ("matters", _matters),
            ("statistics of matters", _statistics),
            ("handoffs and timelines", _history),
            ("patrols", _patrols),
        ):
            started = time.monotonic()
            with conn.begin():
                step(conn, sql, plan)
            timings[name] = time.monotonic() - started
            say(f"{name}: {timings[name]:.1f} s")
        started = time.monotonic()
        conn.execute(text("ANALYZE"))  # the planner's statistics for tables that grew from nothing
        conn.commit()
        timings["statistics"] = time.monotonic() - started
    return timings


def _in_batches(conn: Any, statement: str, total: int, **params: Any) -> None:
    for lo in range(0, total, BATCH):
        conn.execute(text(statement), {"lo": lo, "hi": min(lo + BATCH, total), **params})


# --- districts, streets, communities, grids, departments -----------------------------------------------------------


def _hierarchy(conn: Any, sql: Sql, plan: Plan) -> None:
    cells = {"dx": DX, "dy": DY, "x0": LON0, "y0": LAT0}
    t0 = plan.now - timedelta(days=DAYS + 30)
    community_w, community_h = GRID_COLS * DX, GRID_ROWS * DY
    street_w = COMMUNITIES_PER_STREET * community_w
    area = geo.geodesic_area_m2(box(LON0, LAT0, LON0 + DX, LAT0 + DY))
    stamp = {"t0": _param(t0, sql)}
    conn.execute(
        text(
            sql.series(
                "INSERT INTO districts (code, name, geom, is_active, created_at, updated_at) "
                f"SELECT '4301' || {sql.pad('i + 1', 2)}, '生成区' || (i + 1), "
                f"{sql.multi(sql.envelope(':x0', ':y0 + i * :h', ':x0 + :w', ':y0 + (i + 1) * :h'))}, "
                "true, :t0, :t0 FROM {series}"
            )
        ),
        {
            "lo": 0,
            "hi": plan.districts,
            "x0": LON0,
            "y0": LAT0,
            "w": street_w,
            "h": STREETS_PER_DISTRICT * community_h,
            **stamp,
        },
    )
    conn.execute(
        text(
            sql.series(
                "INSERT INTO streets (district_id, code, name, geom, is_active, created_at, updated_at) "
                f"SELECT d.id, d.code || {sql.pad(f'i % {STREETS_PER_DISTRICT} + 1', 3)}, '生成街道' || (i + 1), "
                f"{sql.multi(sql.envelope(':x0', ':y0 + i * :h', ':x0 + :w', ':y0 + (i + 1) * :h'))}, "
                "true, :t0, :t0 FROM {series} "
                f"JOIN districts d ON d.code = '4301' || {sql.pad(f'i / {STREETS_PER_DISTRICT} + 1', 2)}"
            )
        ),
        {"lo": 0, "hi": plan.streets, "x0": LON0, "y0": LAT0, "w": street_w, "h": community_h, **stamp},
    )
    q = f"(i % {COMMUNITIES_PER_STREET})"
    r = f"(i / {COMMUNITIES_PER_STREET})"
    conn.execute(
        text(
            sql.series(
                "INSERT INTO communities (district_id, street_id, code, name, geom, is_active, created_at, "
                "updated_at) "
                f"SELECT st.district_id, st.id, st.code || {sql.pad(f'{q} + 1', 3)}, '生成社区' || (i + 1), "
                + sql.multi(
                    sql.envelope(f":x0 + {q} * :w", f":y0 + {r} * :h", f":x0 + ({q} + 1) * :w", f":y0 + ({r} + 1) * :h")
                )
                + ", true, :t0, :t0 FROM {series} "
                f"JOIN streets st ON st.code = '4301' || {sql.pad(f'{r} / {STREETS_PER_DISTRICT} + 1', 2)} "
                f"|| {sql.pad(f'{r} % {STREETS_PER_DISTRICT} + 1', 3)}"
            )
        ),
        {"lo": 0, "hi": plan.communities, "x0": LON0, "y0": LAT0, "w": community_w, "h": community_h, **stamp},
    )
    # A grid k: community c = k / 50, place p = k % 50; its column and row in the whole city.
    c, p = f"(i / {GRIDS_PER_COMMUNITY})", f"(i % {GRIDS_PER_COMMUNITY})"
    gx = f"(({c} % {COMMUNITIES_PER_STREET}) * {GRID_COLS} + {p} % {GRID_COLS})"
    gy = f"(({c} / {COMMUNITIES_PER_STREET}) * {GRID_ROWS} + {p} / {GRID_COLS})"
    community_code = (
        f"'4301' || {sql.pad(f'{c} / {COMMUNITIES_PER_STREET} / {STREETS_PER_DISTRICT} + 1', 2)} "
        f"|| {sql.pad(f'({c} / {COMMUNITIES_PER_STREET}) % {STREETS_PER_DISTRICT} + 1', 3)} "
        f"|| {sql.pad(f'{c} % {COMMUNITIES_PER_STREET} + 1', 3)}"
    )
    _in_batches(
        conn,
        sql.series(
            "INSERT INTO grids (district_id, street_id, community_id, code, name, kind, households, "
            "registered_population, floating_population, area_m2, geom, is_active, created_at, updated_at) "
            f"SELECT cm.district_id, cm.street_id, cm.id, cm.code || {sql.pad(f'{p} + 1', 3)}, "
            f"cm.name || '第' || ({p} + 1) || '网格', "
            f"CASE {h('i', plan.seed + 1)} % 4 WHEN 0 THEN 'property_managed' WHEN 1 THEN 'open_old' "
            "WHEN 2 THEN 'village' ELSE 'other' END, "
            f"300 + {h('i', plan.seed + 2)} % 300, 900 + {h('i', plan.seed + 3)} % 900, "
            f"{h('i', plan.seed + 4)} % 400, :area, "
            + sql.envelope(
                f":x0 + {gx} * :dx", f":y0 + {gy} * :dy", f":x0 + ({gx} + 1) * :dx", f":y0 + ({gy} + 1) * :dy"
            )
            + ", true, :t0, :t0 FROM {series} "
            f"JOIN communities cm ON cm.code = {community_code}"
        ),
        plan.grids,
        area=area,
        **cells,
        **stamp,
    )
    conn.execute(
        text(
            sql.series(
                "INSERT INTO departments (district_id, street_id, code, name, level, categories, is_active, "
                "created_at, updated_at) "
                f"SELECT d.id, NULL, d.code || '-dept-' || (i % {DEPARTMENTS_PER_DISTRICT} + 1), "
                f"d.name || CASE i % {DEPARTMENTS_PER_DISTRICT} WHEN 0 THEN '城管执法局' WHEN 1 THEN '住建局' "
                "ELSE '市场监管局' END, 'district', "
                + ("'[]'" if sql.sqlite else "CAST('[]' AS json)")
                + ", true, :t0, :t0 FROM {series} "
                f"JOIN districts d ON d.code = '4301' || {sql.pad(f'i / {DEPARTMENTS_PER_DISTRICT} + 1', 2)}"
            )
        ),
        {"lo": 0, "hi": plan.districts * DEPARTMENTS_PER_DISTRICT, **stamp},
    )


# --- accounts -------------------------------------------------------------------------------------------------------


def _accounts(conn: Any, sql: Sql, plan: Plan) -> None:
    stamp = {"t0": _param(plan.now - timedelta(days=DAYS + 30), sql), "pw": plan.password_hash}
    columns = (
        "INSERT INTO users (username, display_name, phone, password_hash, role, scope_level, district_id, "
        "street_id, community_id, grid_id, department_id, is_active, created_at, updated_at) "
    )
    conn.execute(
        text(
            columns + "VALUES ('gen-admin', '生成管理员', NULL, :pw, 'administrator', 'system', NULL, NULL, "
            "NULL, NULL, NULL, true, :t0, :t0)"
        ),
        stamp,
    )
    conn.execute(
        text(
            columns + "SELECT 'street' || s.id, s.name || '干部', NULL, :pw, 'street_officer', 'street', "
            "s.district_id, s.id, NULL, NULL, NULL, true, :t0, :t0 FROM streets s"
        ),
        stamp,
    )
    conn.execute(
        text(
            columns + "SELECT 'chief' || c.id, c.name || '站长', NULL, :pw, 'station_chief', 'community', "
            "c.district_id, c.street_id, c.id, NULL, NULL, true, :t0, :t0 FROM communities c"
        ),
        stamp,
    )
    conn.execute(
        text(
            columns + "SELECT 'dept' || d.id, d.name || '干部', NULL, :pw, 'department_officer', 'department', "
            "d.district_id, NULL, NULL, NULL, d.id, true, :t0, :t0 FROM departments d"
        ),
        stamp,
    )
    phone = "'139' || " + sql.pad(f"{h('g.id', plan.seed + 5)} % 100000000", 8)
    conn.execute(
        text(
            columns + f"SELECT 'leader' || g.id, g.name || '网格长', {phone}, :pw, 'grid_leader', 'grid', "
            "g.district_id, g.street_id, g.community_id, g.id, NULL, true, :t0, :t0 FROM grids g"
        ),
        stamp,
    )
    conn.execute(
        text(
            "INSERT INTO grid_leaderships (grid_id, user_id, started_at, ended_at, assigned_by_id) "
            "SELECT u.grid_id, u.id, :t0, NULL, NULL FROM users u WHERE u.role = 'grid_leader'"
        ),
        stamp,
    )


# --- matters --------------------------------------------------------------------------------------------------------

# (source, share in thousandths)
SOURCES = (("resident", 400), ("field", 350), ("hotline", 150), ("front_desk", 70), ("open311", 30))
# Open matters by state (share in thousandths), with the level that holds them.
OPEN_STATES = (
    ("submitted", 120, "grid"),
    ("accepted", 250, "grid"),
    ("at_station", 200, "station"),
    ("escalated", 120, "street"),
    ("handling", 180, "department"),
    ("approval_review", 30, "street"),
    ("public_notice", 20, "street"),
    ("resolved", 80, "grid"),
)
RATINGS = (("satisfied", 850), ("basically_satisfied", 100), ("not_satisfied", 50))


def _pick(expr: str, choices: tuple[tuple[Any, ...], ...], column: int = 0) -> str:
    """CASE over cumulative shares (thousandths) of `choices`, giving element `column` of the chosen one."""
    parts, upto = [], 0
    for choice in choices:
        upto += choice[1]
        value = choice[column]
        parts.append(f"WHEN {expr} < {upto} THEN '{value}'")
    return "CASE " + " ".join(parts[:-1]) + f" ELSE '{choices[-1][column]}' END"


def _lookups(conn: Any, sql: Sql, plan: Plan) -> None:
    """Grids and categories by number, so that each generated row picks one with an integer join."""
    conn.execute(
        text(
            "CREATE TEMPORARY TABLE gen_grid (k integer PRIMARY KEY, grid_id integer, community_id "
            "integer, street_id integer, district_id integer, leader_id integer, department_id integer)"
        )
    )
    first_grid = conn.execute(text("SELECT min(id) FROM grids")).scalar()
    conn.execute(
        text(
            "INSERT INTO gen_grid SELECT g.id - :g0, g.id, g.community_id, g.street_id, g.district_id, u.id, "
            "(SELECT min(dp.id) FROM departments dp WHERE dp.district_id = g.district_id) "
            "FROM grids g JOIN users u ON u.grid_id = g.id AND u.role = 'grid_leader'"
        ),
        {"g0": first_grid},
    )
    conn.execute(text("CREATE TEMPORARY TABLE gen_category (k integer PRIMARY KEY, category_id integer, name text)"))
    categories = conn.execute(text("SELECT id, name_zh FROM categories ORDER BY sort_order, id")).all()
    conn.execute(
        text("INSERT INTO gen_category VALUES (:k, :id, :name)"),
        [{"k": k, "id": cid, "name": name} for k, (cid, name) in enumerate(categories)],
    )
    conn.execute(text("CREATE INDEX gen_grid_by_grid ON gen_grid (grid_id)"))
    for table in ("gen_grid", "gen_category"):
        conn.execute(text(f"ANALYZE {table}"))


def _matters(conn: Any, sql: Sql, plan: Plan) -> None:
    categories = conn.execute(text("SELECT count(*) FROM gen_category")).scalar()
    grid_count = conn.execute(text("SELECT count(*) FROM gen_grid")).scalar()
    span = DAYS * 86400
    recent = (DAYS - OPEN_DAYS) * 86400
    created = f"(i * {span} / :n + {h('i', plan.seed + 10)} % 3600)"
    is_recent = f"({created} >= {recent})"
    u = f"({h('i', plan.seed + 11)} % 1000)"
    is_open = f"({is_recent} AND {u} < 350)"
    merged = f"(NOT {is_open} AND {u} % 100 = 7)"
    state_pick = f"({h('i', plan.seed + 12)} % 1000)"
    status = f"CASE WHEN {is_open} THEN {_pick(state_pick, OPEN_STATES)} WHEN {merged} THEN 'merged' ELSE 'closed' END"
    level = (
        f"CASE WHEN {is_open} THEN {_pick(state_pick, OPEN_STATES, 2)} ELSE "
        + _pick(
            f"({h('i', plan.seed + 13)} % 1000)",
            (("grid", 550), ("station", 250), ("street", 120), ("department", 80)),
        )
        + " END"
    )
    # Closed within five days, and never after now: the last days' matters close sooner.
    closed_after = sql.least(f"(3600 + {h('i', plan.seed + 14)} % (5 * 86400))", f"(({span} - {created}) * 9 / 10)")
    rating_pick = _pick(f"({h('i', plan.seed + 15)} % 1000)", RATINGS)
    grid = f"({h('i', plan.seed + 16)} % {grid_count})"
    source = _pick(f"({h('i', plan.seed + 19)} % 1000)", SOURCES)
    signed_after = f"({h('i', plan.seed + 22)} % 10800)"
    jitter_x = f"(0.15 + ({h('i', plan.seed + 17)} % 1000) * 0.0007)"
    jitter_y = f"(0.15 + ({h('i', plan.seed + 18)} % 1000) * 0.0007)"
    # The grid's south-west corner from its number, as in _hierarchy.
    c, p = f"(gg.k / {GRIDS_PER_COMMUNITY})", f"(gg.k % {GRIDS_PER_COMMUNITY})"
    lon = f"({LON0} + ((({c} % {COMMUNITIES_PER_STREET}) * {GRID_COLS} + {p} % {GRID_COLS}) + {jitter_x}) * {DX})"
    lat = f"({LAT0} + ((({c} / {COMMUNITIES_PER_STREET}) * {GRID_ROWS} + {p} / {GRID_COLS}) + {jitter_y}) * {DY})"
    statement = sql.series(
        "INSERT INTO matters (tracking_code, category_id, description, address, lat, lon, geom, district_id, "
        "street_id, community_id, grid_id, source, external_id, reporter_name, reporter_phone, reported_by_id, "
        "owner_id, status, route, holder_level, holder_department_id, handler_status, result, outcome, "
        "resolved_by_id, rating, rating_comment, rated_at, reopen_count, merged_into_id, notice_ends_at, "
        "sign_due_at, due_at, overdue_notified_at, tracking_token_hash, version, created_at, updated_at, "
        "resolved_at, closed_at, responded_at, respond_due_at, resolved_due_at, rating_source) "
        f"SELECT 'GN' || {sql.pad('i', 11)}, gc.category_id, gc.name || '：生成事项第' || i || '号', NULL, "
        f"{lat}, {lon}, {sql.point(lon, lat)}, gg.district_id, gg.street_id, gg.community_id, gg.grid_id, "
        f"{source}, NULL, NULL, "
        "'138' || " + sql.pad(f"{h('i', plan.seed + 20)} % 100000000", 8) + ", NULL, "
        f"gg.leader_id, {status}, "
        f"CASE WHEN ({level}) = 'grid' THEN 'grid' ELSE 'station' END, {level}, "
        f"CASE WHEN ({level}) = 'department' THEN gg.department_id END, NULL, "
        f"CASE WHEN {is_open} THEN NULL ELSE '已处理完毕' END, "
        f"CASE WHEN {is_open} THEN NULL WHEN {merged} THEN 'merged' ELSE 'done' END, "
        f"CASE WHEN {is_open} THEN NULL ELSE gg.leader_id END, "
        f"CASE WHEN {is_open} OR {merged} THEN NULL ELSE {rating_pick} END, NULL, "
        f"CASE WHEN {is_open} OR {merged} THEN NULL ELSE {sql.at(f'{created} + {closed_after}')} END, "
        "0, NULL, NULL, "
        f"CASE WHEN {is_open} THEN {sql.at(f'{created} + 86400')} END, "
        f"CASE WHEN {is_open} THEN {sql.at(f'{created} + 3 * 86400')} END, NULL, NULL, 1, "
        f"{sql.at(created)}, {sql.at(f'CASE WHEN {is_open} THEN {created} ELSE {created} + {closed_after} END')}, "
        f"CASE WHEN {is_open} THEN NULL ELSE {sql.at(f'{created} + {closed_after} - 600')} END, "
        f"CASE WHEN {is_open} THEN NULL ELSE {sql.at(f'{created} + {closed_after}')} END, "
        # The assessment's facts: signed for within three hours (due within two), due three days after arrival.
        f"{sql.at(f'{created} + {signed_after}')}, {sql.at(f'{created} + 7200')}, "
        f"CASE WHEN {is_open} OR {merged} THEN NULL ELSE {sql.at(f'{created} + 3 * 86400')} END, "
        f"CASE WHEN {is_open} OR {merged} THEN NULL ELSE 'resident' END "
        "FROM {series} "
        f"JOIN gen_grid gg ON gg.k = {grid} "
        f"JOIN gen_category gc ON gc.k = {h('i', plan.seed + 21)} % {categories}"
    )
    stamp = {"t0": _param(plan.now - timedelta(days=DAYS), sql), "n": plan.matters}
    _in_batches(conn, statement, plan.matters, **stamp)


def _statistics(conn: Any, sql: Sql, plan: Plan) -> None:
    """The planner's view of tables that grew from nothing: the steps after this one join them."""
    for table in ("grids", "users", "matters"):
        conn.execute(text(f"ANALYZE {table}"))


def _history(conn: Any, sql: Sql, plan: Plan) -> None:
    """A handoff for every matter held above the station, and each matter's timeline: its creation and, for the
    ones that ended, its close."""
    conn.execute(
        text(
            "INSERT INTO handoffs (matter_id, from_level, from_department_id, from_user_id, from_status, "
            "to_level, to_department_id, to_user_id, reason, created_at, sign_due_at, due_at, signed_at, "
            "returned_at, return_reason) "
            "SELECT m.id, 'station', NULL, NULL, 'at_station', m.holder_level, m.holder_department_id, NULL, "
            "'超出社区处置能力，上报', m.created_at, m.sign_due_at, m.due_at, "
            "CASE WHEN m.status = 'escalated' THEN NULL ELSE m.created_at END, NULL, NULL "
            "FROM matters m WHERE m.holder_level IN ('street', 'department')"
        )
    )
    conn.execute(
        text(
            "INSERT INTO matter_events (matter_id, at, actor_id, actor_label, action, from_status, to_status, "
            f"data) SELECT m.id, m.created_at, NULL, 'resident', 'create', NULL, 'submitted', {sql.json_empty()} "
            "FROM matters m"
        )
    )
    conn.execute(
        text(
            "INSERT INTO matter_events (matter_id, at, actor_id, actor_label, action, from_status, to_status, "
            f"data) SELECT m.id, m.closed_at, m.resolved_by_id, 'grid_leader', "
            "CASE WHEN m.status = 'merged' THEN 'merge' ELSE 'confirm' END, 'resolved', m.status, "
            f"{sql.json_empty()} FROM matters m WHERE m.closed_at IS NOT NULL"
        )
    )


# --- patrols --------------------------------------------------------------------------------------------------------

PATROL_POINTS = 24  # a walk around the grid, a point every five minutes


def _patrols(conn: Any, sql: Sql, plan: Plan) -> None:
    """Patrols of the last days, one per grid and day from the most recent back, each a walk of PATROL_POINTS
    points around its grid with its track and distance."""
    if plan.patrols == 0:
        return
    grid_count = conn.execute(text("SELECT count(*) FROM grids")).scalar()
    # Patrol j walks grid j % G on day j / G before today.
    day = f"(i / {grid_count})"
    start = f"(({DAYS} - 1 - {day}) * 86400 + 8 * 3600 + {h('i', plan.seed + 30)} % 7200)"
    stamp = {"t0": _param(plan.now - timedelta(days=DAYS), sql)}
    conn.execute(
        text(
            sql.series(
                "INSERT INTO patrols (client_id, user_id, grid_id, started_at, ended_at, distance_m, point_count, "
                "flagged_count, track) "
                f"SELECT 'gen-' || i, gg.leader_id, gg.grid_id, {sql.at(start)}, "
                f"{sql.at(f'{start} + {PATROL_POINTS - 1} * 300')}, 0, {PATROL_POINTS}, 0, NULL "
                f"FROM {{series}} JOIN gen_grid gg ON gg.k = i % {grid_count}"
            )
        ),
        {"lo": 0, "hi": plan.patrols, **stamp},
    )
    conn.execute(text("ANALYZE patrols"))
    # The points: around the grid's inner square, PATROL_POINTS / 4 on each side.
    side = PATROL_POINTS // 4
    fx = f"(CASE n / {side} WHEN 0 THEN (n % {side}) * 1.0 / {side} WHEN 1 THEN 1.0 WHEN 2 THEN 1.0 - (n % {side}) * 1.0 / {side} ELSE 0.0 END)"  # noqa: E501
    fy = f"(CASE n / {side} WHEN 0 THEN 0.0 WHEN 1 THEN (n % {side}) * 1.0 / {side} WHEN 2 THEN 1.0 ELSE 1.0 - (n % {side}) * 1.0 / {side} END)"  # noqa: E501
    c, p = f"(gg.k / {GRIDS_PER_COMMUNITY})", f"(gg.k % {GRIDS_PER_COMMUNITY})"
    lon = f"({LON0} + ((({c} % {COMMUNITIES_PER_STREET}) * {GRID_COLS} + {p} % {GRID_COLS}) + 0.2 + 0.6 * {fx}) * {DX})"  # noqa: E501
    lat = f"({LAT0} + ((({c} / {COMMUNITIES_PER_STREET}) * {GRID_ROWS} + {p} / {GRID_COLS}) + 0.2 + 0.6 * {fy}) * {DY})"  # noqa: E501
    numbers = (
        f"WITH RECURSIVE pn(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM pn WHERE n + 1 < {PATROL_POINTS}) "
        if sql.sqlite
        else ""
    )
    pn = "pn" if sql.sqlite else f"generate_series(0, {PATROL_POINTS - 1}) AS pn(n)"
    conn.execute(
        text(
            numbers + "INSERT INTO patrol_points (patrol_id, client_id, recorded_at, lat, lon, accuracy_m, flagged, "
            "flag_reason) "
            "SELECT pa.id, pa.client_id || '-' || n, "
            + (
                "strftime('%Y-%m-%d %H:%M:%S', pa.started_at, '+' || (n * 300) || ' seconds')"
                if sql.sqlite
                else "pa.started_at + n * interval '300 seconds'"
            )
            + f", {lat}, {lon}, 10.0, false, NULL FROM patrols pa "
            "JOIN gen_grid gg ON gg.grid_id = pa.grid_id "
            f"CROSS JOIN {pn} WHERE pa.client_id LIKE 'gen-%'"
        )
    )
    # Each track from its points, in order; its length from the line.
    if sql.sqlite:
        conn.execute(
            text(
                "UPDATE patrols SET track = (SELECT MakeLine(pt) FROM (SELECT MakePoint(lon, lat, 4326) AS pt "
                "FROM patrol_points pp WHERE pp.patrol_id = patrols.id ORDER BY recorded_at, client_id)) "
                "WHERE client_id LIKE 'gen-%'"
            )
        )
        conn.execute(text("UPDATE patrols SET distance_m = GeodesicLength(track) WHERE client_id LIKE 'gen-%'"))
    else:
        # A correlated subquery: one probe of (patrol_id, recorded_at, client_id) per patrol, whatever the planner
        # thinks of tables that grew from nothing a moment ago.
        conn.execute(
            text(
                "UPDATE patrols SET track = (SELECT ST_MakeLine(ST_SetSRID(ST_MakePoint(pp.lon, pp.lat), 4326) "
                "ORDER BY pp.recorded_at, pp.client_id) FROM patrol_points pp WHERE pp.patrol_id = patrols.id) "
                "WHERE client_id LIKE 'gen-%'"
            )
        )
        conn.execute(text("UPDATE patrols SET distance_m = ST_Length(track::geography) WHERE client_id LIKE 'gen-%'"))


def _param(at: datetime, sql: Sql) -> Any:
    """A timestamp parameter as the engine's SQL above expects it."""
    at = at.astimezone(UTC).replace(microsecond=0)
    return at.strftime("%Y-%m-%d %H:%M:%S") if sql.sqlite else at


def fingerprint(engine: Engine) -> str:
    """A digest of what was generated (for reproducibility checks): counts and the matters' chosen values."""
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in (
            "districts",
            "streets",
            "communities",
            "grids",
            "users",
            "matters",
            "handoffs",
            "matter_events",
            "patrols",
            "patrol_points",
        ):
            digest.update(f"{table}:{conn.execute(text(f'SELECT count(*) FROM {table}')).scalar()};".encode())
        rows = conn.execute(
            text(
                "SELECT tracking_code, category_id, grid_id, source, status, holder_level, rating, "
                "round(CAST(lat AS numeric), 6), round(CAST(lon AS numeric), 6) FROM matters ORDER BY tracking_code"
            )
            if engine.dialect.name != "sqlite"
            else text(
                "SELECT tracking_code, category_id, grid_id, source, status, holder_level, rating, "
                "round(lat, 6), round(lon, 6) FROM matters ORDER BY tracking_code"
            )
        )
        for row in rows:
            digest.update(repr(tuple(str(v) for v in row)).encode())
    return digest.hexdigest()
