"""Engines and sessions. The two engines (SQLite + SpatiaLite, PostgreSQL + PostGIS) differ only here and in geo.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

# pyproj and shapely must be loaded before SpatiaLite: mod_spatialite brings the system's PROJ and GEOS, the wheels
# bring their own copies, and loading the wheels' PROJ after SpatiaLite's makes the process abort at exit
# ("double free or corruption"). Importing geo here puts them first in every process that opens a database.
from wangge import geo as _geo  # noqa: E402, F401, I001

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def is_sqlite_url(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sync_url(url: str) -> str:
    """The same database through a synchronous driver (used by Alembic's offline tools, the CLI and tests)."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return u.set(drivername="sqlite").render_as_string(hide_password=False)
    return u.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def async_url(url: str) -> str:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return u.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    if u.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        return u.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    return u.render_as_string(hide_password=False)


def _prepare_sqlite_file(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        from pathlib import Path

        Path(database).parent.mkdir(parents=True, exist_ok=True)


# Every engine is made with `hide_parameters=True`: a statement that fails is logged with its SQL but without its
# parameters, which carry personal data (a reporter's phone number and name, a resident's address).

_SQLITE_PRAGMAS = ("PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 10000", "PRAGMA journal_mode = WAL")


def _init_spatial_metadata(execute: Any) -> None:
    # WGS84 mode keeps SRID 4326 and costs a third of a second instead of ~10 s for every EPSG code.
    if execute("SELECT CheckSpatialMetaData()")[0] < 1:
        execute("SELECT InitSpatialMetaData(1, 'WGS84')")


def create_async_db_engine(url: str, *, spatialite_library: str = "mod_spatialite", **kwargs: Any) -> AsyncEngine:
    url = async_url(url)
    kwargs.setdefault("hide_parameters", True)
    if not is_sqlite_url(url):
        # No pre-ping (it costs a round trip per request); connections are recycled hourly, and a connection the
        # server dropped is discarded by the pool on its first error. The pool keeps its connections and adds none
        # at a peak: a connection added past pool_size is closed when it is returned, and a new one costs a TLS
        # offer, authentication, asyncpg's type introspection and preparing every statement again. With 10 kept
        # and 20 added, the mixed load made a new connection every 5 requests and sustained a quarter less
        # (docs/benchmarks.md); past 30 requests in a process, the next ones wait for a connection, in order. A
        # request holds one connection (deps.get_read_session shares it when there is no replica).
        kwargs.setdefault("pool_recycle", 3600)
        kwargs.setdefault("pool_size", 30)
        kwargs.setdefault("max_overflow", 0)
        # A request's query starts no parallel workers: starting them costs ~5 ms, which the planner counts as less
        # than a nested loop over a few hundred rows of a large table (a grid's residents: 5.9 ms with two workers,
        # 0.95 ms without; bench/registry_lists.py), and on a web server's few cores they take the CPU of the other
        # requests. The server's own setting still holds for psql, the CLI's reports and maintenance.
        settings = kwargs.setdefault("connect_args", {}).setdefault("server_settings", {})
        settings.setdefault("max_parallel_workers_per_gather", "0")
        return create_async_engine(url, **kwargs)

    _prepare_sqlite_file(url)
    engine = create_async_engine(url, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        async def load(conn: Any) -> None:
            await conn.enable_load_extension(True)
            await conn.load_extension(spatialite_library)
            await conn.enable_load_extension(False)

        dbapi_connection.run_async(load)
        cursor = dbapi_connection.cursor()
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)

        def execute(sql: str) -> Any:
            cursor.execute(sql)
            return cursor.fetchone()

        _init_spatial_metadata(execute)
        cursor.close()

    return engine


def create_sync_db_engine(url: str, *, spatialite_library: str = "mod_spatialite", **kwargs: Any) -> Engine:
    url = sync_url(url)
    kwargs.setdefault("hide_parameters", True)
    if not is_sqlite_url(url):
        return create_engine(url, **kwargs)

    _prepare_sqlite_file(url)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.enable_load_extension(True)
        dbapi_connection.load_extension(spatialite_library)
        dbapi_connection.enable_load_extension(False)
        for pragma in _SQLITE_PRAGMAS:
            dbapi_connection.execute(pragma)
        _init_spatial_metadata(lambda sql: dbapi_connection.execute(sql).fetchone())

    return engine


class Database:
    """The application's engines and session factories, made once per app: the primary, and the replica when one
    is configured (replica_url)."""

    def __init__(
        self,
        url: str,
        *,
        spatialite_library: str = "mod_spatialite",
        replica_url: str | None = None,
        **engine_options: Any,
    ) -> None:
        self.url = url
        self.is_sqlite = is_sqlite_url(url)
        self.engine = create_async_db_engine(url, spatialite_library=spatialite_library, **engine_options)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)
        # For requests that only read (GET, HEAD) on PostgreSQL: no BEGIN before the first statement nor ROLLBACK
        # after the last, two of a read's four or five round trips. Each statement sees what is committed when it
        # runs; the few rows a read writes (its audit line) are committed as they are written. On SQLite the
        # transaction costs no round trip and decides when the file is locked: unchanged.
        self.reading_sessionmaker = (
            self.sessionmaker
            if self.is_sqlite
            else async_sessionmaker(
                self.engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False, autoflush=False
            )
        )
        self.replica_engine: AsyncEngine | None = None
        self.read_sessionmaker = self.sessionmaker
        if replica_url:
            if is_sqlite_url(replica_url) or self.is_sqlite:
                raise ValueError("A read replica is a PostgreSQL standby of a PostgreSQL primary")
            self.replica_engine = create_async_db_engine(replica_url, **engine_options)
            self.read_sessionmaker = async_sessionmaker(self.replica_engine, expire_on_commit=False, autoflush=False)

    async def session(self, *, reading: bool = False) -> AsyncIterator[AsyncSession]:
        """A session per request. Writes commit explicitly before the response is built, so that a failed
        commit is the client's error response and never a success that was not stored; anything left
        uncommitted is rolled back when the session closes. `reading`: a request that only reads (see
        reading_sessionmaker)."""
        async with (self.reading_sessionmaker if reading else self.sessionmaker)() as session:
            yield session

    async def read_session(self) -> AsyncIterator[AsyncSession]:
        """A session for a read that may lag a moment behind the primary: on the replica when there is one (a
        standby refuses writes, so nothing can be written through it by mistake), else the primary's."""
        async with self.read_sessionmaker() as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.replica_engine is not None:
            await self.replica_engine.dispose()


class DriverRead:
    """A read statement that nearly every request runs (signing the caller in), run on PostgreSQL by asyncpg
    directly. Measured on this stack: SQLAlchemy's execute costs 0.3–0.6 ms of CPU per statement on top of
    asyncpg's 0.06–0.08, and this one runs on every signed-in request. The statement stays written in SQLAlchemy
    (compiled once, for the session's dialect); SQLite runs it through the session like any other, and so does
    PostgreSQL when the driver fails (SQLAlchemy then raises its own error and invalidates a broken connection).
    Only for statements whose columns and parameters need no conversion by their types (strings, numbers,
    booleans, timestamps with a time zone). A row's columns are read as attributes."""

    def __init__(self, statement: Any) -> None:
        self.statement = statement
        self._compiled: tuple[str, tuple[str, ...]] | None = None

    async def first(self, session: AsyncSession, **params: Any) -> Any:
        dialect = session.get_bind().dialect
        if dialect.name != "postgresql":
            return (await session.execute(self.statement, params)).first()
        if self._compiled is None:
            compiled = self.statement.compile(dialect=dialect)
            self._compiled = (str(compiled), tuple(compiled.positiontup or ()))
        sql, order = self._compiled
        connection = await session.connection()
        driver = (await connection.get_raw_connection()).driver_connection
        try:
            record = await driver.fetchrow(sql, *(params[name] for name in order))
        except Exception:  # noqa: BLE001 - SQLAlchemy runs it again and says what the error is
            return (await session.execute(self.statement, params)).first()
        return None if record is None else _Record(record)


class _Record:
    __slots__ = ("_record",)

    def __init__(self, record: Any) -> None:
        self._record = record

    def __getattr__(self, name: str) -> Any:
        try:
            return self._record[name]
        except KeyError:
            raise AttributeError(name) from None
