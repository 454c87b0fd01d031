"""Districts, streets, communities, grids, departments, and the buildings and places inside grids.

Each row below the district carries the ids of all its ancestors, so that "the rows this user may see" is
one equality in SQL whatever the user's scope level (see accounts/scope.py). Nothing is hard-deleted:
rows are deactivated.
"""

from __future__ import annotations

import enum

from geoalchemy2 import Geometry
from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wangge.database import Base
from wangge.models_common import Timestamped


class GridKind(enum.StrEnum):
    self_managed = "self_managed"  # 自管小区
    property_managed = "property_managed"  # 物管小区
    work_unit = "work_unit"  # 单位小区
    other = "other"


class PlaceCategory(enum.StrEnum):
    institution = "institution"  # 驻区单位
    business = "business"  # 个体私营户


class DepartmentLevel(enum.StrEnum):
    street = "street"
    district = "district"


def area_geometry() -> Geometry:
    return Geometry("MULTIPOLYGON", srid=4326, spatial_index=False)


class District(Timestamped, Base):
    __tablename__ = "districts"
    level = "district"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    geom = mapped_column(area_geometry(), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class Street(Timestamped, Base):
    __tablename__ = "streets"
    level = "street"

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    code: Mapped[str] = mapped_column(String(9), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    geom = mapped_column(area_geometry(), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    district: Mapped[District] = relationship(lazy="raise")


class Community(Timestamped, Base):
    __tablename__ = "communities"
    level = "community"

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"), index=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # The station's duty phone 值班电话, published on the public pages (who is my grid, the board).
    duty_phone: Mapped[str | None] = mapped_column(String(30), nullable=True)
    geom = mapped_column(area_geometry(), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    street: Mapped[Street] = relationship(lazy="raise")


class Grid(Timestamped, Base):
    __tablename__ = "grids"
    level = "grid"

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    code: Mapped[str] = mapped_column(String(15), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default=GridKind.other.value)
    households: Mapped[int] = mapped_column(Integer, default=0)
    registered_population: Mapped[int] = mapped_column(Integer, default=0)
    floating_population: Mapped[int] = mapped_column(Integer, default=0)
    # The grid's published duty number 网格值班电话 (亮证): what the public calls, never a personal phone.
    duty_phone: Mapped[str | None] = mapped_column(String(30), nullable=True)
    # Geodesic area on the WGS 84 ellipsoid, computed from geom whenever it changes; never typed in.
    area_m2: Mapped[float] = mapped_column(Float, default=0.0)
    geom = mapped_column(Geometry("POLYGON", srid=4326, spatial_index=True), nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    community: Mapped[Community] = relationship(lazy="raise")


class Department(Timestamped, Base):
    """A functional department 职能部门 at street or district level, owning categories of matters."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), index=True, nullable=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class Building(Timestamped, Base):
    __tablename__ = "buildings"

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    floors: Mapped[int | None] = mapped_column(Integer, nullable=True)
    households: Mapped[int] = mapped_column(Integer, default=0)
    head_name: Mapped[str | None] = mapped_column(String(50), nullable=True)  # 楼长
    head_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    geom = mapped_column(Geometry("POINT", srid=4326, spatial_index=False), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class Place(Timestamped, Base):
    """An institution 驻区单位 or a business 个体私营户 located in a grid."""

    __tablename__ = "places"

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    kind: Mapped[str] = mapped_column(String(30), default="other")
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text, nullable=True)
    geom = mapped_column(Geometry("POINT", srid=4326, spatial_index=False), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The unit's contact person and duty phone 值班电话 (the registry of units 实有单位, migration 0019).
    contact_person: Mapped[str | None] = mapped_column(String(50), nullable=True)
    duty_phone: Mapped[str | None] = mapped_column(String(30), nullable=True)
