"""Geometry: reading and checking GeoJSON (RFC 7946), geodesic areas, and the few spatial queries whose SQL
differs between SpatiaLite and PostGIS.

Areas and overlaps are computed with shapely on the client side of the database and measured on the WGS 84
ellipsoid with pyproj, so both engines give the same figures; only point location runs in the database,
through each engine's spatial index.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import shapely
from geoalchemy2.shape import from_shape, to_shape
from pyproj import Geod
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, mapping
from shapely.geometry.polygon import orient
from shapely.ops import split
from shapely.validation import explain_validity
from sqlalchemy import ColumnElement, func, literal_column, select, text

from wangge.messages import Text, both

_GEOD = Geod(ellps="WGS84")
# Below this an intersection is rounding noise along a shared edge, not an overlap.
AREA_TOLERANCE_M2 = 1.0
COORD_DECIMALS = 7


class GeometryError(ValueError):
    """A geometry that cannot be accepted; the message says why in terms a person drawing grids understands, in each
    language (`text`); `str()` is the English one."""

    def __init__(self, text: Text):
        super().__init__(text["en"])
        self.text = text


Where = Text | str


def _where(where: Where) -> Text:
    return where if isinstance(where, dict) else both(where, where)


def _part(where: Where, zh: str, en: str) -> Text:
    """`where` followed by a part of it: 'feature 2, ring 0' / '要素 2，第 0 个环'."""
    w = _where(where)
    return both(f"{w['zh-CN']}，{zh}", f"{w['en']}, {en}")


def _error(where: Where, zh: str, en: str) -> GeometryError:
    w = _where(where)
    return GeometryError(both(f"{w['zh-CN']}：{zh}", f"{w['en']}: {en}"))


# GeoJSON's geometry types by their Chinese names, for saying which one was sent.
KINDS_ZH = {
    "Point": "点",
    "MultiPoint": "多点",
    "LineString": "线",
    "MultiLineString": "多线",
    "Polygon": "多边形",
    "MultiPolygon": "多多边形",
    "GeometryCollection": "图形集合",
}


def _kind_zh(kind: Any) -> str:
    return KINDS_ZH.get(kind, "未知") if isinstance(kind, str) or kind is None else "未知"


GEOMETRY: Text = both("图形", "geometry")
LINE: Text = both("切分线", "line")
POINT: Text = both("位置", "point")


def geodesic_area_m2(geom: Any) -> float:
    if geom is None or geom.is_empty:
        return 0.0
    area, _ = _GEOD.geometry_area_perimeter(geom)
    return abs(area)


def _check_position(pos: Any, where: Where) -> tuple[float, float]:
    if not isinstance(pos, (list, tuple)) or len(pos) < 2:
        raise _error(where, "坐标须为 [经度, 纬度]", "a position must be [longitude, latitude]")
    lon, lat = pos[0], pos[1]
    for value in (lon, lat):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise _error(
                where, f"坐标须为有限的数字，收到的是 {pos!r}", f"coordinates must be finite numbers, got {pos!r}"
            )
    if not -180 <= lon <= 180:
        raise _error(where, f"经度 {lon} 超出 [-180, 180]", f"longitude {lon} is out of range [-180, 180]")
    if not -90 <= lat <= 90:
        raise _error(where, f"纬度 {lat} 超出 [-90, 90]", f"latitude {lat} is out of range [-90, 90]")
    return float(lon), float(lat)


def _check_rings(rings: Any, where: Where) -> list[list[tuple[float, float]]]:
    if not isinstance(rings, (list, tuple)) or not rings:
        raise _error(where, "多边形至少需要一个由坐标组成的环", "a polygon needs at least one ring of positions")
    out = []
    for r, ring in enumerate(rings):
        label = _part(where, f"第 {r} 个环", f"ring {r}")
        if not isinstance(ring, (list, tuple)):
            raise _error(label, "环须为坐标的列表", "a ring must be a list of positions")
        points = [_check_position(p, _part(label, f"第 {i} 个点", f"position {i}")) for i, p in enumerate(ring)]
        if len(points) < 4:
            raise _error(
                label,
                f"环至少需要 4 个点（3 个角点和回到起点的一个），只有 {len(points)} 个",
                f"a ring needs at least 4 positions (3 corners and the closing one), got {len(points)}",
            )
        if points[0] != points[-1]:
            raise _error(
                label,
                "环没有闭合（第一个点和最后一个点不同）",
                "the ring is not closed (the first and last positions differ)",
            )
        out.append(points)
    return out


def _check_valid(geom: Any, where: Where) -> None:
    if not geom.is_valid:
        reason = explain_validity(geom)  # GEOS's English words, then where: "Self-intersection[113.01 28.1]"
        near = reason[reason.index("[") :].strip("[]") if "[" in reason else ""
        at = f"，在 {near} 附近" if near else ""
        if reason.startswith("Self-intersection"):
            raise _error(where, f"边界自相交{at}", f"the boundary crosses itself ({reason})")
        raise _error(where, f"多边形无效{at}", f"the polygon is not valid ({reason})")
    if geodesic_area_m2(geom) <= 0:
        raise _error(where, "多边形面积为零", "the polygon has no area")


def polygon_from_geojson(data: Any, where: Where = GEOMETRY) -> Polygon:
    """A single polygon, as a grid must be."""
    if not isinstance(data, dict):
        raise _error(where, "需要一个 GeoJSON 图形对象", "a GeoJSON geometry object is required")
    if data.get("type") != "Polygon":
        kind = data.get("type")
        raise _error(
            where, f"网格须为一个多边形，收到的是{_kind_zh(kind)}", f"a grid must be one Polygon, got {kind!r}"
        )
    rings = _check_rings(data.get("coordinates"), where)
    geom = Polygon(rings[0], rings[1:])
    _check_valid(geom, where)
    return orient(geom, 1.0)  # counter-clockwise exterior, as RFC 7946 asks


def area_from_geojson(data: Any, where: Where = GEOMETRY) -> MultiPolygon:
    """A Polygon or MultiPolygon boundary of a community, street or district, stored as a MultiPolygon."""
    if not isinstance(data, dict):
        raise _error(where, "需要一个 GeoJSON 图形对象", "a GeoJSON geometry object is required")
    kind = data.get("type")
    if kind == "Polygon":
        return MultiPolygon([polygon_from_geojson(data, where)])
    if kind == "MultiPolygon":
        parts = data.get("coordinates")
        if not isinstance(parts, (list, tuple)) or not parts:
            raise _error(where, "多多边形至少需要一个多边形", "a MultiPolygon needs at least one polygon")
        polys = []
        for i, rings in enumerate(parts):
            checked = _check_rings(rings, _part(where, f"第 {i} 个多边形", f"polygon {i}"))
            polys.append(Polygon(checked[0], checked[1:]))
        geom = MultiPolygon(polys)
        _check_valid(geom, where)
        return geom
    raise _error(
        where,
        f"须为多边形或多多边形，收到的是{_kind_zh(kind)}",
        f"expected a Polygon or MultiPolygon, got {kind!r}",
    )


def line_from_geojson(data: Any, where: Where = LINE) -> LineString:
    """A LineString of at least two distinct positions (a cut drawn across a grid)."""
    if not isinstance(data, dict) or data.get("type") != "LineString":
        raise _error(where, "需要一条 GeoJSON 线", "a GeoJSON LineString is required")
    positions = data.get("coordinates")
    if not isinstance(positions, (list, tuple)) or len(positions) < 2:
        raise _error(where, "线至少需要 2 个点", "a line needs at least 2 positions")
    line = LineString(
        [_check_position(p, _part(where, f"第 {i} 个点", f"position {i}")) for i, p in enumerate(positions)]
    )
    if line.length == 0:
        raise _error(where, "线的长度为零", "the line has no length")
    return line


def point_from_lonlat(lon: float, lat: float, where: Where = POINT) -> Point:
    _check_position([lon, lat], where)
    return Point(lon, lat)


def to_geojson(geom: Any) -> dict[str, Any] | None:
    if geom is None:
        return None
    return mapping(geom)


def to_db(geom: Any) -> Any:
    return None if geom is None else from_shape(geom, srid=4326)


def from_db(value: Any) -> Any:
    return None if value is None else to_shape(value)


def empty_geojson() -> dict[str, Any]:
    return {"type": "MultiPolygon", "coordinates": []}


@dataclass(frozen=True)
class Overlap:
    other_code: str
    area_m2: float


def overlaps(geom: Any, others: dict[str, Any]) -> list[Overlap]:
    """Every other polygon that overlaps `geom` by more than the tolerance, with the overlap's area."""
    found = []
    for code, other in others.items():
        if other is None or not geom.intersects(other):
            continue
        area = geodesic_area_m2(geom.intersection(other))
        if area > AREA_TOLERANCE_M2:
            found.append(Overlap(code, area))
    return found


def area_outside(geom: Any, container: Any) -> float:
    return geodesic_area_m2(geom.difference(container))


def uncovered(container: Any, parts: list[Any]) -> Any:
    """The part of `container` that none of `parts` covers, without slivers below the tolerance."""
    rest = container.difference(shapely.union_all(parts)) if parts else container
    polys = [
        p for p in getattr(rest, "geoms", [rest]) if isinstance(p, Polygon) and geodesic_area_m2(p) > AREA_TOLERANCE_M2
    ]
    return MultiPolygon(polys)


# Two grids whose edges lie closer than this (about 0.1 m) are taken to share them: a rounding gap, not a street.
SNAP_DEGREES = 1e-6


def _extended(line: LineString, by: float) -> LineString:
    """`line` with its first and last segments made `by` degrees longer: a cut drawn to end on the grid's edge (snapped
    there) may stop a rounding error short of it."""
    points = list(line.coords)

    def beyond(tip: tuple[float, ...], before: tuple[float, ...]) -> tuple[float, float]:
        dx, dy = tip[0] - before[0], tip[1] - before[1]
        length = math.hypot(dx, dy)
        return (tip[0] + dx / length * by, tip[1] + dy / length * by) if length else (tip[0], tip[1])

    points[0], points[-1] = beyond(points[0], points[1]), beyond(points[-1], points[-2])
    return LineString(points)


def split_in_two(poly: Polygon, line: LineString) -> tuple[Polygon, Polygon] | None:
    """The two polygons that `line` cuts `poly` into, the larger first; None when it does not cut it into exactly
    two parts of more than the tolerance (it misses the polygon, stops inside it, or crosses it more than once)."""
    parts = list(split(poly, _extended(line, SNAP_DEGREES * 10)).geoms)
    if len(parts) != 2 or not all(isinstance(p, Polygon) for p in parts):
        return None
    if min(geodesic_area_m2(p) for p in parts) <= AREA_TOLERANCE_M2:
        return None
    a, b = sorted(parts, key=geodesic_area_m2, reverse=True)
    return orient(a, 1.0), orient(b, 1.0)


def union_if_adjacent(a: Polygon, b: Polygon) -> Polygon | None:
    """`a` and `b` as one polygon when they share a stretch of edge (a corner is not enough); a rounding gap along
    the shared edge is closed. None when they are not adjacent."""
    for other in (b, shapely.snap(b, a, SNAP_DEGREES)):
        union = shapely.union_all([a, other])
        if isinstance(union, Polygon) and union.is_valid:
            holes = [r for r in union.interiors if geodesic_area_m2(Polygon(r)) > AREA_TOLERANCE_M2]
            return orient(Polygon(union.exterior, holes).simplify(0), 1.0)  # without the points left mid-edge
    return None


def point_in_polygon_condition(
    geom_column: Any, table: str, lon: float, lat: float, *, sqlite: bool
) -> ColumnElement[bool]:
    """A WHERE condition: `geom_column` covers the point. Uses the spatial index on both engines: PostGIS uses its
    GiST index for ST_Intersects by itself; SpatiaLite only through its SpatialIndex virtual table."""
    if sqlite:
        point = func.MakePoint(lon, lat, 4326)
        candidates = (
            select(literal_column("ROWID"))
            .select_from(text("SpatialIndex"))
            .where(
                literal_column("f_table_name") == table,
                literal_column("f_geometry_column") == geom_column.key,
                literal_column("search_frame") == point,
            )
        )
        return geom_column.table.c.id.in_(candidates) & (func.ST_Intersects(geom_column, point) == 1)
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    return func.ST_Intersects(geom_column, point)


def within_metres_condition(a: Any, b: Any, metres: float, *, sqlite: bool) -> ColumnElement[bool]:
    """A WHERE condition: geometries `a` and `b` (WGS 84) are at most `metres` apart on the ellipsoid (0 when they
    touch). SpatiaLite measures on the ellipsoid when asked (third argument); PostGIS through `geography`."""
    if sqlite:
        return func.ST_Distance(a, b, 1) <= metres
    return func.ST_DWithin(func.geography(a), func.geography(b), metres)
