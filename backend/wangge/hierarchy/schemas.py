"""API shapes of the hierarchy. Codes follow DB11/T 2157-2023: 6-digit division + 3 street + 3 community + 3 grid."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from wangge.hierarchy.models import DepartmentLevel, GridKind, PlaceCategory
from wangge.hierarchy.phones import DutyPhoneIn
from wangge.schemas_common import Id, Input, Output, Page  # noqa: F401 - routers use schemas.Page

Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
GeoJSONGeometry = dict[str, Any]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Latitude = Annotated[float, Field(ge=-90, le=90)]

CODE_LENGTH = {"district": 6, "street": 9, "community": 12, "grid": 15}


def code_field(level: str) -> Any:
    n = CODE_LENGTH[level]
    return Annotated[
        str,
        StringConstraints(pattern=rf"^\d{{{n}}}$"),
        Field(description=f"{n}-digit code (DB11/T 2157-2023)", examples=["4301110050010010"[:n]]),
    ]


class Ref(Output):
    id: int
    code: str
    name: str


class DistrictCreate(Input):
    code: code_field("district")  # type: ignore[valid-type]
    name: Name
    geometry: GeoJSONGeometry | None = None


class AreaUpdate(Input):
    name: Name | None = None
    geometry: GeoJSONGeometry | None = None


class CommunityUpdate(AreaUpdate):
    duty_phone: DutyPhoneIn | None = Field(
        None, description="The station's duty phone 值班电话, published on the public pages; empty clears it"
    )


class StreetCreate(DistrictCreate):
    district_id: Id
    code: code_field("street")  # type: ignore[valid-type]


class CommunityCreate(DistrictCreate):
    street_id: Id
    code: code_field("community")  # type: ignore[valid-type]


class AreaOut(Output):
    id: int
    code: str
    name: str
    is_active: bool
    district_id: int | None = None
    street_id: int | None = None
    duty_phone: str | None = Field(None, description="Communities: the station's duty phone 值班电话")
    geometry: GeoJSONGeometry | None = None
    created_at: datetime
    updated_at: datetime


class GridFigures(Input):
    households: Count = 0
    registered_population: Count = 0
    floating_population: Count = 0


class GridCreate(GridFigures):
    community_id: Id
    code: code_field("grid")  # type: ignore[valid-type]
    name: Name
    kind: GridKind = GridKind.other
    geometry: GeoJSONGeometry


class GridUpdate(Input):
    name: Name | None = None
    kind: GridKind | None = None
    households: Count | None = None
    registered_population: Count | None = None
    floating_population: Count | None = None
    duty_phone: DutyPhoneIn | None = Field(
        None, description="The grid's published duty number 网格值班电话 (亮证); empty clears it"
    )
    geometry: GeoJSONGeometry | None = None


class GridOut(Output):
    id: int
    code: str
    name: str
    kind: GridKind
    district_id: int
    street_id: int
    community_id: int
    households: int
    registered_population: int
    floating_population: int
    duty_phone: str | None = Field(None, description="The grid's published duty number 网格值班电话")
    area_m2: float
    is_active: bool
    geometry: GeoJSONGeometry | None = None
    created_at: datetime
    updated_at: datetime


class GridSplit(Input):
    """A line drawn across a grid, and the new grid that takes the smaller of the two parts."""

    line: GeoJSONGeometry = Field(description="GeoJSON LineString that crosses the grid once, from edge to edge")
    code: code_field("grid")  # type: ignore[valid-type]
    name: Name
    kind: GridKind = GridKind.other


class GridSplitOut(Output):
    grid: GridOut
    new_grid: GridOut


class GridMerge(Input):
    other_id: Id = Field(description="The adjacent grid of the same community to absorb; it is deactivated")


class GridMergeOut(Output):
    grid: GridOut
    absorbed: GridOut


class LocateOut(Output):
    grid: Ref
    community: Ref
    street: Ref
    district: Ref


class ImportResult(Output):
    community_id: int
    created: list[str]
    updated: list[str]


class CommunityFigures(Output):
    """A community's figures as its active grids add them up, and its active places."""

    community_id: int
    grids: int
    area_m2: float
    households: int
    registered_population: int
    floating_population: int
    institutions: int
    businesses: int


class CoverageOut(Output):
    community_id: int
    community_area_m2: float
    covered_area_m2: float
    uncovered_area_m2: float
    grid_count: int
    uncovered: GeoJSONGeometry


class DepartmentCreate(Input):
    code: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_-]{2,32}$")]
    name: Name
    level: DepartmentLevel
    district_id: Id
    street_id: Id | None = None
    categories: list[Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,40}$")]] = Field(default_factory=list)


class DepartmentUpdate(Input):
    name: Name | None = None
    categories: list[Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,40}$")]] | None = None


class DepartmentOut(Output):
    id: int
    code: str
    name: str
    level: DepartmentLevel
    district_id: int
    street_id: int | None
    categories: list[str]
    is_active: bool


class BuildingCreate(Input):
    name: Name
    floors: Annotated[int, Field(ge=1, le=200)] | None = None
    households: Count = 0
    head_name: Annotated[str, StringConstraints(max_length=50)] | None = None
    head_phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9-]{5,20}$")] | None = None
    lon: Longitude | None = None
    lat: Latitude | None = None


class BuildingUpdate(Input):
    name: Name | None = None
    floors: Annotated[int, Field(ge=1, le=200)] | None = None
    households: Count | None = None
    head_name: Annotated[str, StringConstraints(max_length=50)] | None = None
    head_phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9-]{5,20}$")] | None = None
    lon: Longitude | None = None
    lat: Latitude | None = None


class BuildingOut(Output):
    id: int
    grid_id: int
    name: str
    floors: int | None
    households: int
    head_name: str | None
    head_phone: str | None
    lon: float | None
    lat: float | None
    is_active: bool


class PlaceCreate(Input):
    category: PlaceCategory
    kind: Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,30}$")] = "other"
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    address: Annotated[str, StringConstraints(max_length=500)] | None = None
    lon: Longitude | None = None
    lat: Latitude | None = None


class PlaceUpdate(Input):
    kind: Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,30}$")] | None = None
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    address: Annotated[str, StringConstraints(max_length=500)] | None = None
    lon: Longitude | None = None
    lat: Latitude | None = None


class PlaceOut(Output):
    id: int
    grid_id: int
    category: PlaceCategory
    kind: str
    name: str
    address: str | None
    lon: float | None
    lat: float | None
    is_active: bool
