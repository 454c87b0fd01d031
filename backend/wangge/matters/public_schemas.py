"""API shapes of the resident's report map (matters.public_map, matters.public_router) and of the categories a
resident chooses from: nothing in them names or reaches a person."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from wangge.schemas_common import Input, Output


class PublicGridOut(Output):
    id: int
    code: str
    name: str
    community_id: int
    community_name: str
    geometry: dict[str, Any] = Field(description="GeoJSON Polygon, WGS 84")


class PublicGridDetail(PublicGridOut):
    centroid: list[float] = Field(description="[lat, lon] of a point inside the grid, to centre a map on")


class PublicGridRef(Output):
    id: int
    code: str
    name: str


class PublicOnDuty(Output):
    name: str = Field(description="Today's duty officer's display name")
    phone: str | None = Field(description="The day's duty phone, else their own phone only if they allowed it")


class PublicCommunityRef(Output):
    id: int
    name: str
    duty_phone: str | None = Field(description="The station's duty phone 服务站值班电话")
    on_duty: PublicOnDuty | None = Field(None, description="Today's duty officer 今日值班 of the station's roster")


class PublicLocation(Output):
    grid: PublicGridRef | None = Field(description="The grid covering the point; null outside every grid")
    community: PublicCommunityRef | None = Field(
        description="The grid's community; outside every grid the nearest one (whose station to call instead)"
    )


class PublicPlaceOut(Output):
    kind: Literal["building", "place"]
    id: int
    name: str
    grid_id: int
    grid_name: str
    point: list[float] = Field(description="[lat, lon]")


class NearbyMatterOut(Output):
    """An open public-space report near a point: nothing that names or reaches a person."""

    id: int
    category_code: str
    category_name: str
    category_name_en: str
    created_at: datetime
    status: str
    supporters: int
    distance_m: float


class SupportIn(Input):
    client: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{16,64}$")] = Field(
        description="This device's own random token (kept by the app); only a keyed hash of it is stored"
    )


class SupportOut(Output):
    supporters: int


class PublicCategoryOut(Output):
    id: int
    code: str
    name_zh: str
    name_en: str
    icon: str
    is_emergency: bool
    public_name_zh: str | None
    public_name_en: str | None
