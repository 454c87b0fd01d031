"""The desk map's layers: one read for the map page (hierarchy.map_layers does the work)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from wangge.accounts.dependencies import requires
from wangge.accounts.models import Role
from wangge.accounts.scope import Subject
from wangge.deps import ReadSessionDep
from wangge.hierarchy import map_layers
from wangge.hierarchy.map_layers_schemas import MapLayersOut

router = APIRouter()
R = Role
MapReader = Annotated[
    Subject,
    requires(
        R.grid_leader,
        R.grid_member,
        R.station_chief,
        R.street_officer,
        R.department_officer,
        R.administrator,
        doing="read the map's layers: staff do",
    ),
]


@router.get("/map/layers", response_model=MapLayersOut, tags=["Map"])
async def get_map_layers(
    db: ReadSessionDep,
    subject: MapReader,
    layers: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Comma-separated, of matters, overdue, incidents, tracks, hazards (all when left out)",
        ),
    ] = None,
    bbox: Annotated[str | None, Query(max_length=200, description="south,west,north,east in degrees (WGS 84)")] = None,
) -> Any:
    """The map's layers within your scope, as GeoJSON FeatureCollections: open matters, overdue matters, open
    incidents, today's (Beijing day) patrol tracks and open hazards; at most 2,000 features a layer
    (`truncated` says when more matched). Layers not asked for are null."""
    return await map_layers.map_layers(
        db, subject, layers=map_layers.parse_layers(layers), bbox=map_layers.parse_bbox(bbox)
    )
