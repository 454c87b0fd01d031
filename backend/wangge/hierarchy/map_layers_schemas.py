"""What the desk map's layers answer: one GeoJSON FeatureCollection (RFC 7946, WGS 84) per layer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from wangge.schemas_common import Output


class LayerRef(Output):
    id: int
    name: str
    code: str | None = None


class PointGeometry(Output):
    type: Literal["Point"]
    coordinates: list[float] = Field(description="[longitude, latitude]")


class LineGeometry(Output):
    type: Literal["LineString"]
    coordinates: list[list[float]] = Field(description="[[longitude, latitude], …], simplified")


class MatterPoint(Output):
    id: int
    tracking_code: str
    category: LayerRef
    status: str
    deadline: datetime | None = Field(description="When the current step is due (sign-for or completion)")
    overdue: bool
    address: str | None
    created_at: datetime


class IncidentPoint(Output):
    id: int
    code: str
    title: str
    incident_type: str
    severity: int = Field(description="1 (I, most severe) .. 4 (IV)")
    place: str
    occurred_at: datetime
    status: str
    approximate: bool = Field(description="Recorded without a point of its own: shown at a point inside its grid")


class TrackLine(Output):
    id: int = Field(description="The patrol's id")
    user_id: int
    leader: str = Field(description="The name of the leader who patrolled")
    grid: LayerRef
    started_at: datetime
    ended_at: datetime | None
    distance_m: float


class HazardPoint(Output):
    id: int
    place: str
    hazard_type: str
    risk_level: str
    deadline: date
    overdue: bool
    status: str
    grid: LayerRef
    approximate: bool = Field(description="Recorded without a point of its own: shown at a point inside its grid")


class MatterFeature(Output):
    type: Literal["Feature"]
    id: int
    geometry: PointGeometry
    properties: MatterPoint


class IncidentFeature(Output):
    type: Literal["Feature"]
    id: int
    geometry: PointGeometry
    properties: IncidentPoint


class TrackFeature(Output):
    type: Literal["Feature"]
    id: int
    geometry: LineGeometry | PointGeometry = Field(
        description="The patrol's line, or its one point while it has a single good point (a line needs two)"
    )
    properties: TrackLine


class HazardFeature(Output):
    type: Literal["Feature"]
    id: int
    geometry: PointGeometry
    properties: HazardPoint


class Layer(Output):
    type: Literal["FeatureCollection"]
    count: int = Field(description="The features given")
    truncated: bool = Field(description="More matched than the limit: zoom in (pass a smaller bbox)")


class MatterLayer(Layer):
    features: list[MatterFeature]


class IncidentLayer(Layer):
    features: list[IncidentFeature]


class TrackLayer(Layer):
    features: list[TrackFeature]


class HazardLayer(Layer):
    features: list[HazardFeature]


class MapLayersOut(Output):
    matters: MatterLayer | None = Field(description="Open matters not yet past their step's deadline")
    overdue: MatterLayer | None = Field(description="Open matters past their step's deadline")
    incidents: IncidentLayer | None = Field(description="Incidents not yet closed")
    tracks: TrackLayer | None = Field(
        description="Today's patrols (Beijing day), one line each (a point for a patrol with one point so far)"
    )
    hazards: HazardLayer | None = Field(description="Hazards of the ledger not yet fixed")
    day: date = Field(description="Today in Beijing: the day of the tracks")
    generated_at: datetime
    limit: int = Field(description="The most features a layer gives")
