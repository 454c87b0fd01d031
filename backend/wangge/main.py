"""The application factory: API under /api/v1, health checks, and the built front end on the same origin."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from sqlalchemy import text

from wangge import __version__, apidocs, errors, logs, metrics
from wangge.accounts.router import router as accounts_router
from wangge.accounts.security import Passwords
from wangge.assessment.bulletin_router import router as bulletin_router
from wangge.assessment.public_board import router as board_router
from wangge.assessment.router import router as assessment_router
from wangge.audit import recorder
from wangge.audit.router import router as audit_router
from wangge.basemap.presets import Basemap, TileFile
from wangge.basemap.router import router as basemap_router
from wangge.config import Settings, get_settings
from wangge.database import Database
from wangge.earlywarning.router import router as earlywarning_router
from wangge.emergencies.router import router as emergencies_router
from wangge.fieldwork.logreview_router import router as logreview_router
from wangge.fieldwork.patrols_router import router as patrols_router
from wangge.fieldwork.people_router import router as people_router
from wangge.headers import SecurityHeaders
from wangge.hierarchy.map_layers_router import router as map_layers_router
from wangge.hierarchy.router import router as hierarchy_router
from wangge.hierarchy.who_router import public as who_public_router
from wangge.hierarchy.who_router import router as poster_router
from wangge.matters.desk_router import router as desk_router
from wangge.matters.loop_router import router as loop_router
from wangge.matters.public_router import router as public_map_router
from wangge.matters.router import public as public_router
from wangge.matters.router import router as matters_router
from wangge.middleware import Admission, BodySizeLimit, RequestContext
from wangge.migrate import current_revision, head_revision
from wangge.notify.router import router as notify_router
from wangge.notify.worker import start_embedded
from wangge.open311.keys import router as open311_keys_router
from wangge.open311.router import router as open311_router
from wangge.preparedness.router import router as preparedness_router
from wangge.process import settle_garbage_collector
from wangge.registries.router import router as registries_router
from wangge.request_guard import refuse_control_characters
from wangge.station.checklists_router import router as checklists_router
from wangge.station.router import router as station_router
from wangge.sweeps.router import router as sweeps_router
from wangge.throttle import Throttle

log = logging.getLogger("wangge")
API_PREFIX = "/api/v1"
NOT_SPA = ("api/", "docs", "redoc", "openapi.json", "healthz", "readyz", "metrics", "open311/")


def pool_options(settings: Settings) -> dict[str, Any]:
    options: dict[str, Any] = {"pool_timeout": settings.database_pool_timeout}
    if settings.database_pool_size is not None:
        options["pool_size"] = settings.database_pool_size
    if settings.database_max_overflow is not None:
        options["max_overflow"] = settings.database_max_overflow
    return options


class Ready(BaseModel):
    """The service may take traffic: its database answers at the newest migration."""

    status: Literal["ready"]
    database: str
    revision: str | None


class Meta(BaseModel):
    """What the app needs before sign-in. `tile_url`/`tile_attribution` are the older single XYZ layer (kept for
    older clients); `basemap` is what the app draws."""

    app_name: str
    version: str
    tile_url: str
    tile_attribution: str
    default_center: tuple[float, float]
    default_zoom: int
    basemap: Basemap


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    logs.configure(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        app.state.db = Database(
            settings.database_url,
            spatialite_library=settings.spatialite_library,
            replica_url=settings.database_replica_url,
            **pool_options(settings),
        )
        log.info(
            "started",
            extra={"database": app.state.db.engine.url.get_backend_name(), "environment": settings.environment},
        )
        # `make run` delivers notifications from the web process; production runs `wangge worker` instead.
        stop_worker = start_embedded(app.state) if settings.embedded_worker else None
        if settings.tune_gc:
            settle_garbage_collector()
        yield
        if stop_worker is not None:
            await stop_worker()
        await app.state.db.dispose()
        if app.state.tile_file is not None:
            app.state.tile_file.close()

    app = FastAPI(
        title="Wangge 网格 API",
        version=__version__,
        description="Grid management (网格化管理) for street offices and communities. Errors are RFC 9457 "
        "problem details.",
        lifespan=lifespan,
        docs_url=None,  # served from the app's own files instead of a CDN: apidocs.py
        redoc_url=None,
        # Before any route's own dependencies (sign-in included) and handler: see request_guard.
        dependencies=[Depends(refuse_control_characters)],
    )
    app.state.settings = settings
    app.state.passwords = Passwords(settings)
    app.state.throttle = Throttle(settings)
    # The pmtiles basemap's file, open for the life of the app (the settings checked it could be read).
    app.state.tile_file = (
        TileFile(settings.pmtiles_path) if settings.basemap_preset == "pmtiles" and settings.pmtiles_path else None
    )
    basemap = settings.basemap_descriptor(app.state.tile_file)
    errors.install(app)
    errors.document(app)
    apidocs.install(app)
    metrics.install(app)
    recorder.install()

    # Each router is included into the app itself, under the API's prefix: FastAPI (0.165) matches a request again at
    # every level of included routers, testing every route of every router before the one that answers, so a level
    # less is a pass over the routes less (measured in-process: see docs/benchmarks.md, "Headroom"). Order matters
    # where paths overlap (the first match answers).
    for router in (
        accounts_router,
        hierarchy_router,
        desk_router,  # before matters_router: /matters/table is not a matter's id
        loop_router,  # likewise /matters/callbacks, /matters/verifications, /matters/applications
        matters_router,
        public_router,
        notify_router,
        people_router,
        patrols_router,
        station_router,
        emergencies_router,
        audit_router,
        open311_keys_router,
        logreview_router,
        checklists_router,
        assessment_router,
        board_router,
        bulletin_router,
        basemap_router,
        map_layers_router,
        public_map_router,
        who_public_router,
        poster_router,
        registries_router,
        preparedness_router,
        earlywarning_router,
        sweeps_router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    api = APIRouter(prefix=API_PREFIX)

    @api.get("/meta", tags=["Meta"], response_model=Meta)
    async def meta() -> dict[str, Any]:
        """What the app needs before sign-in: name, version and map settings (the basemap, in `basemap`)."""
        return {
            "app_name": "网格",
            "version": __version__,
            "tile_url": settings.tile_url,
            "tile_attribution": settings.tile_attribution,
            "default_center": list(settings.map_center),
            "default_zoom": settings.map_zoom,
            "basemap": basemap,
        }

    app.include_router(api)
    app.include_router(open311_router)  # GeoReport v2 at /open311/v2, beside the API

    @app.get("/healthz", tags=["Operations"])
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["Operations"], response_model=Ready)
    async def readyz(request: Request) -> Any:
        """The database answers and its schema is at the newest migration."""
        db: Database = request.app.state.db
        try:
            async with db.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
                current = await conn.run_sync(current_revision)
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            log.warning("not ready", extra={"error": str(exc)})
            language = errors.request_language(request)
            return errors.problem(503, "The database is not reachable", code="not-ready", language=language)
        head = head_revision()
        if current != head:
            return errors.problem(
                503,
                f"The database schema is at {current}, not at {head}: run the migrations",
                code="not-ready",
                language=errors.request_language(request),
                current=current,
                head=head,
            )
        return {"status": "ready", "database": db.engine.url.get_backend_name(), "revision": current}

    _mount_frontend(app, settings.frontend_dist)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.admission_limit is not None:
        app.add_middleware(Admission, limit=settings.admission_limit, wait=settings.admission_wait_seconds)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=False,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID", "ETag"],
        )
    app.add_middleware(RequestContext)
    # Outermost: on every response, 500s included; images from the basemap's tile hosts.
    app.add_middleware(SecurityHeaders, tile_urls=[layer.url for layer in basemap.layers])
    return app


class ImmutableAssets(StaticFiles):
    """The build's assets: their names carry a hash of their content, so a phone keeps them for a year without asking
    again (as deploy/nginx-wangge.conf.template says for production); a new build has new names."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def _mount_frontend(app: FastAPI, dist: Path) -> None:
    """Serve the built single-page app; any other path that is not the API falls back to index.html."""
    index = dist / "index.html"
    if (dist / "assets").is_dir():
        app.mount("/assets", ImmutableAssets(directory=dist / "assets"), name="assets")

    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str, request: Request) -> Any:  # sync: FastAPI runs it in a thread, so the file checks do not block
        if path.startswith(NOT_SPA):
            return errors.problem(404, f"Nothing at /{path}", language=errors.request_language(request))
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and dist.resolve() in candidate.parents:
            headers = {"Cache-Control": "no-cache"} if path in ("sw.js", "registerSW.js") else None
            return FileResponse(candidate, headers=headers)
        if index.is_file():
            return FileResponse(index, headers={"Cache-Control": "no-cache"})
        return errors.problem(
            404, "The front end has not been built: run `make build`", language=errors.request_language(request)
        )
