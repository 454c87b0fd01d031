"""Routes of who-is-my-grid 亮证: the public lookup (no account, limited per address like the tracking pages) and
the printable poster of a grid (staff, within their scope)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from wangge import throttle
from wangge.accounts.dependencies import requires
from wangge.accounts.models import Role
from wangge.accounts.scope import Subject
from wangge.deps import ReadSessionDep, SessionDep
from wangge.hierarchy import poster, whois
from wangge.schemas_common import Id

public = APIRouter(prefix="/public", tags=["Public"])
router = APIRouter(tags=["Grids"])
WHO_LIMIT = "Too many requests from your address; wait a moment"
R = Role
PosterPrinter = Annotated[
    Subject,
    requires(
        R.grid_leader,
        R.grid_member,
        R.station_chief,
        R.street_officer,
        R.administrator,
        doing="print grid posters: grid staff, station chiefs, street officers and administrators do",
    ),
]
MEDIA = {"png": "image/png", "pdf": "application/pdf"}


@public.get(
    "/who",
    response_model=whois.WhoOut,
    dependencies=[throttle.per_address("tracking", WHO_LIMIT)],
)
async def public_who(
    db: ReadSessionDep,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    building_id: Annotated[Id | None, Query()] = None,
    community_id: Annotated[Id | None, Query()] = None,
) -> Any:
    """Who is my grid 亮证 (no account): for a point (lat and lon, WGS 84), a building or a community — exactly one,
    else 422 `who-query` — the grid, its leader's name and public phone (the grid's duty number, else the leader's
    own phone only if they allowed it), the A/B partner covering during the leader's leave, and the station's duty
    phone. Outside every grid, `grid` is null and `community` the one the point lies in or the nearest (`nearest`).
    A deactivated building or grid is a 404. Limited per address like the tracking pages."""
    return await whois.who(db, lat=lat, lon=lon, building_id=building_id, community_id=community_id)


def _base_url(request: Request, configured: str) -> str:
    return (configured or str(request.base_url)).rstrip("/")


async def _poster(request: Request, db: Any, subject: Subject, grid_id: int, kind: Literal["png", "pdf"]) -> Response:
    settings = request.app.state.settings
    font = poster.find_font(settings.poster_font)  # 503 poster-font-missing before any work
    base_url = (settings.public_base_url or str(request.base_url)).rstrip("/")
    facts = await poster.facts(db, subject=subject, grid_id=grid_id, base_url=base_url)
    draw = poster.png if kind == "png" else poster.pdf
    content = await asyncio.to_thread(draw, facts, font)  # most of a second of CPU: off the event loop
    return Response(
        content,
        media_type=MEDIA[kind],
        headers={"Content-Disposition": f'attachment; filename="grid-{facts.grid_code}.{kind}"'},
    )


@router.get(
    "/grids/{grid_id}/poster.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, 503: {"description": "No CJK font (poster-font-missing)"}},
)
async def grid_poster_png(request: Request, db: SessionDep, subject: PosterPrinter, grid_id: Id) -> Response:
    """The grid's poster 网格员亮证 as a PNG (A4 portrait, 150 dpi): grid, leader and public phone, station and its
    duty phone, and a QR code to the report page placed in the grid. 404 outside your scope or for a deactivated
    grid; 503 `poster-font-missing` when the server has no Chinese font."""
    return await _poster(request, db, subject, grid_id, "png")


@router.get(
    "/grids/{grid_id}/poster.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, 503: {"description": "No CJK font (poster-font-missing)"}},
)
async def grid_poster_pdf(request: Request, db: SessionDep, subject: PosterPrinter, grid_id: Id) -> Response:
    """The same poster as one A4 page of PDF."""
    return await _poster(request, db, subject, grid_id, "pdf")
