"""Reading and changing the hierarchy within a subject's scope, checking grids' shapes, locating points (a
community's grids as a GeoJSON file: hierarchy.grid_files).

Every loader takes the subject and filters in SQL (accounts.scope.visible); a row outside the scope is a NotFound.
Writes check permission (403 inside the scope without it) and stay within the administrator's area.
"""

from __future__ import annotations

from typing import Any

import shapely
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import geo
from wangge.accounts.scope import Subject, departments_visible, mask_phone, visible, within_area
from wangge.errors import Conflict, Forbidden, Invalid, NotFound
from wangge.hierarchy import phones, schemas
from wangge.hierarchy.models import (
    Building,
    Community,
    Department,
    District,
    Grid,
    Place,
    Street,
)
from wangge.messages import Text, both
from wangge.models_common import is_sqlite

LEVEL_MODELS: dict[str, Any] = {"district": District, "street": Street, "community": Community, "grid": Grid}
PARENT = {"street": "district", "community": "street", "grid": "community"}
CHILD = {"district": "street", "street": "community", "community": "grid"}
MAX_LIMIT = 1000


def path_ids(obj: Any, level: str) -> dict[str, int | None]:
    """The ids of `obj` and its ancestors, keyed `<level>_id`."""
    path = {f"{lv}_id": getattr(obj, f"{lv}_id", None) for lv in ("district", "street", "community")}
    path[f"{level}_id"] = obj.id
    return path


def _field_error(field: str, msg: str | Text) -> dict[str, Any]:
    return {"loc": ["body", field], "msg": msg, "type": "value_error"}


def _geometry_error(field: str, exc: geo.GeometryError) -> Invalid:
    return Invalid(exc.text, errors=[_field_error(field, exc.text)])


def joined(problems: list[Text], *, limit: int | None = None) -> Text:
    """Problems in one line per language ('; ' between them, '…' past `limit`)."""
    shown = problems[:limit] if limit else problems
    more = limit is not None and len(problems) > limit
    return both(
        "；".join(p["zh-CN"] for p in shown) + ("；…" if more else ""),
        "; ".join(p["en"] for p in shown) + ("; …" if more else ""),
    )


def shape_problems(problems: list[Text]) -> Invalid:
    """The refusal of a drawn, split or merged grid: each problem is a field error of its geometry."""
    return Invalid(joined(problems), errors=[_field_error("geometry", p) for p in problems])


def grid_label(code: str) -> Text:
    return both(f"网格 {code}", f"grid {code}")


def require_permission(subject: Subject, permission: str) -> None:
    if not subject.can(permission):
        raise Forbidden(f"Your role ({subject.role}) may not do this")


async def get_visible(db: AsyncSession, subject: Subject, level: str, obj_id: int) -> Any:
    model = LEVEL_MODELS[level]
    obj = (await db.execute(select(model).where(model.id == obj_id, visible(subject, model, level)))).scalar()
    if obj is None:
        raise NotFound(f"No {level} with id {obj_id} in your scope")
    return obj


async def list_visible(
    db: AsyncSession,
    subject: Subject,
    level: str,
    *,
    parent_id: int | None = None,
    active: bool | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[Any], int]:
    model = LEVEL_MODELS[level]
    conditions = [visible(subject, model, level)]
    if parent_id is not None and level in PARENT:
        conditions.append(getattr(model, f"{PARENT[level]}_id") == parent_id)
    if active is not None:
        conditions.append(model.is_active.is_(active))
    total = (await db.execute(select(func.count()).select_from(model).where(*conditions))).scalar_one()
    rows = (
        (
            await db.execute(
                select(model).where(*conditions).order_by(model.code).limit(min(limit, MAX_LIMIT)).offset(offset)
            )
        )
        .scalars()
        .all()
    )
    return list(rows), total


async def _check_code_free(db: AsyncSession, model: Any, code: str) -> None:
    if (await db.execute(select(model.id).where(model.code == code))).first() is not None:
        raise Conflict(f"The code {code} is already in use", errors=[_field_error("code", "already in use")])


def _check_code_under(code: str, parent: Any, parent_level: str) -> None:
    if not code.startswith(parent.code):
        msg = f"The code {code} does not match its {parent_level} {parent.code}: it must start with {parent.code}"
        raise Invalid(msg, errors=[_field_error("code", msg)])


async def _commit(db: AsyncSession, what: str) -> None:
    try:
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        raise Conflict(f"{what} conflicts with an existing record") from exc


# --- districts, streets, communities -------------------------------------------------------------------------


async def community_figures(db: AsyncSession, subject: Subject, *, street_id: int | None) -> list[dict[str, Any]]:
    """Each visible community's figures as its active grids add them up (area, households, residents) and its
    registered institutions and businesses: two grouped queries, whatever the number of communities."""
    communities = select(Community.id).where(visible(subject, Community, "community"))
    if street_id is not None:
        communities = communities.where(Community.street_id == street_id)
    grids = (
        await db.execute(
            select(
                Grid.community_id,
                func.count(Grid.id),
                func.coalesce(func.sum(Grid.area_m2), 0.0),
                func.coalesce(func.sum(Grid.households), 0),
                func.coalesce(func.sum(Grid.registered_population), 0),
                func.coalesce(func.sum(Grid.floating_population), 0),
            )
            .where(Grid.community_id.in_(communities), Grid.is_active.is_(True))
            .group_by(Grid.community_id)
        )
    ).all()
    places = (
        await db.execute(
            select(Grid.community_id, Place.category, func.count(Place.id))
            .join(Grid, Grid.id == Place.grid_id)
            .where(Grid.community_id.in_(communities), Grid.is_active.is_(True), Place.is_active.is_(True))
            .group_by(Grid.community_id, Place.category)
        )
    ).all()
    out: dict[int, dict[str, Any]] = {}
    for cid, n, area, households, registered, floating in grids:
        out[cid] = {
            "community_id": cid,
            "grids": n,
            "area_m2": float(area),
            "households": int(households),
            "registered_population": int(registered),
            "floating_population": int(floating),
            "institutions": 0,
            "businesses": 0,
        }
    for cid, category, n in places:
        row = out.get(cid)
        if row is not None and category in ("institution", "business"):
            row["institutions" if category == "institution" else "businesses"] = n
    return sorted(out.values(), key=lambda r: r["community_id"])


def area_out(obj: Any, *, with_geometry: bool = True) -> dict[str, Any]:
    return {
        "id": obj.id,
        "code": obj.code,
        "name": obj.name,
        "is_active": obj.is_active,
        "district_id": getattr(obj, "district_id", None),
        "street_id": getattr(obj, "street_id", None),
        "duty_phone": getattr(obj, "duty_phone", None),
        "geometry": geo.to_geojson(geo.from_db(obj.geom)) if with_geometry else None,
        "created_at": obj.created_at,
        "updated_at": obj.updated_at,
    }


async def create_area(db: AsyncSession, subject: Subject, level: str, data: Any) -> Any:
    model = LEVEL_MODELS[level]
    values: dict[str, Any] = {"code": data.code, "name": data.name}
    if level == "district":
        require_permission(subject, "hierarchy:write")
        if subject.area_level is not None:
            raise Forbidden("Only a system administrator may create a district")
    else:
        parent_level = PARENT[level]
        parent = await get_visible(db, subject, parent_level, getattr(data, f"{parent_level}_id"))
        require_permission(subject, "hierarchy:write")
        parent_path = path_ids(parent, parent_level)
        if not within_area(subject, parent_level, parent_path):
            raise Forbidden(f"You may not add a {level} to {parent.name}: it is above your scope")
        if not parent.is_active:
            raise Conflict(f"{parent.name} is deactivated")
        _check_code_under(data.code, parent, parent_level)
        values.update({k: v for k, v in parent_path.items() if hasattr(model, k) and v is not None})
    if data.geometry is not None:
        try:
            values["geom"] = geo.to_db(geo.area_from_geojson(data.geometry))
        except geo.GeometryError as exc:
            raise _geometry_error("geometry", exc) from exc
    await _check_code_free(db, model, data.code)
    obj = model(**values)
    db.add(obj)
    await _commit(db, f"The {level} {data.code}")
    return obj


async def _load_for_write(db: AsyncSession, subject: Subject, level: str, obj_id: int) -> Any:
    obj = await get_visible(db, subject, level, obj_id)
    require_permission(subject, "hierarchy:write")
    if not within_area(subject, level, path_ids(obj, level)):
        raise Forbidden(f"{obj.name} is above your scope")
    return obj


async def update_area(db: AsyncSession, subject: Subject, level: str, obj_id: int, data: schemas.AreaUpdate) -> Any:
    """Rename or redraw an area; a community's station duty phone too (CommunityUpdate)."""
    obj = await _load_for_write(db, subject, level, obj_id)
    if data.name is not None:
        obj.name = data.name
    if "duty_phone" in data.model_fields_set:  # communities only (schemas.CommunityUpdate)
        obj.duty_phone = phones.clean(data.duty_phone, "duty_phone")
    if data.geometry is not None:
        try:
            obj.geom = geo.to_db(geo.area_from_geojson(data.geometry))
        except geo.GeometryError as exc:
            raise _geometry_error("geometry", exc) from exc
    await _commit(db, obj.code)
    await db.refresh(obj)
    return obj


async def deactivate(db: AsyncSession, subject: Subject, level: str, obj_id: int) -> Any:
    obj = await _load_for_write(db, subject, level, obj_id)
    if subject.area_level == level and getattr(subject, f"{level}_id") == obj.id:
        raise Forbidden("You may not deactivate your own scope")
    if level in CHILD:
        child = LEVEL_MODELS[CHILD[level]]
        n = (
            await db.execute(
                select(func.count())
                .select_from(child)
                .where(getattr(child, f"{level}_id") == obj.id, child.is_active.is_(True))
            )
        ).scalar_one()
        if n:
            raise Conflict(f"{obj.name} still has {n} active {CHILD[level]}(s); deactivate them first")
    obj.is_active = False
    await _commit(db, obj.code)
    await db.refresh(obj)
    return obj


# --- grids ---------------------------------------------------------------------------------------------------


def grid_out(grid: Grid, *, with_geometry: bool = True) -> dict[str, Any]:
    return {
        "id": grid.id,
        "code": grid.code,
        "name": grid.name,
        "kind": grid.kind,
        "district_id": grid.district_id,
        "street_id": grid.street_id,
        "community_id": grid.community_id,
        "households": grid.households,
        "registered_population": grid.registered_population,
        "floating_population": grid.floating_population,
        "duty_phone": grid.duty_phone,
        "area_m2": round(grid.area_m2, 1),
        "is_active": grid.is_active,
        "geometry": geo.to_geojson(geo.from_db(grid.geom)) if with_geometry else None,
        "created_at": grid.created_at,
        "updated_at": grid.updated_at,
    }


async def _community_grid_shapes(db: AsyncSession, community_id: int, *, exclude: set[str]) -> dict[str, Any]:
    rows = (
        await db.execute(
            select(Grid.code, Grid.geom)
            .where(Grid.community_id == community_id, Grid.is_active.is_(True))
            .order_by(Grid.code)  # the problems name the grids in one order, whatever order the rows are stored in
        )
    ).all()
    return {code: geo.from_db(g) for code, g in rows if code not in exclude}


async def check_grid_shapes(
    db: AsyncSession, community: Community, candidates: list[tuple[Text, str, Any]]
) -> list[Text]:
    """Problems with placing `candidates` ((label, code, polygon)) in `community`: outside its boundary, or
    overlapping one another or the community's other active grids. Each message names the feature."""
    if community.geom is None:
        return [
            both(
                f"社区 {community.name} 还没有边界，请先画出社区边界再添加网格",
                f"The community {community.name} has no boundary yet; set it before adding grids",
            )
        ]
    boundary = geo.from_db(community.geom)
    existing = await _community_grid_shapes(db, community.id, exclude={code for _, code, _ in candidates})
    # One spatial index over the candidates and the grids already there, so an import of many grids compares each
    # only with its neighbours, not with every other one.
    shapes = [(code, poly) for _, code, poly in candidates] + list(existing.items())
    tree = shapely.STRtree([poly for _, poly in shapes])
    n = len(candidates)
    problems: list[Text] = []
    for i, (label, _code, poly) in enumerate(candidates):
        outside = geo.area_outside(poly, boundary)
        if outside > geo.AREA_TOLERANCE_M2:
            problems.append(
                both(
                    f"{label['zh-CN']}：有 {outside:,.1f} 平方米在社区 {community.name} 的边界之外",
                    f"{label['en']}: lies {outside:,.1f} m² outside the boundary of the community {community.name}",
                )
            )
        near = sorted(int(j) for j in tree.query(poly, predicate="intersects"))
        # The existing grids first, then the candidates after this one (each pair of candidates is reported once).
        others = dict(shapes[j] for j in near if j >= n)
        others.update(shapes[j] for j in near if i < j < n)
        for overlap in geo.overlaps(poly, others):
            problems.append(
                both(
                    f"{label['zh-CN']}：与网格 {overlap.other_code} 重叠 {overlap.area_m2:,.1f} 平方米",
                    f"{label['en']}: overlaps grid {overlap.other_code} by {overlap.area_m2:,.1f} m²",
                )
            )
    return problems


async def create_grid(db: AsyncSession, subject: Subject, data: schemas.GridCreate) -> Grid:
    community = await get_visible(db, subject, "community", data.community_id)
    require_permission(subject, "hierarchy:write")
    path = path_ids(community, "community")
    if not within_area(subject, "community", path):
        raise Forbidden(f"You may not add grids to {community.name}")
    if not community.is_active:
        raise Conflict(f"{community.name} is deactivated")
    _check_code_under(data.code, community, "community")
    try:
        poly = geo.polygon_from_geojson(data.geometry)
    except geo.GeometryError as exc:
        raise _geometry_error("geometry", exc) from exc
    await _check_code_free(db, Grid, data.code)
    problems = await check_grid_shapes(db, community, [(grid_label(data.code), data.code, poly)])
    if problems:
        raise shape_problems(problems)
    grid = Grid(
        district_id=community.district_id,
        street_id=community.street_id,
        community_id=community.id,
        code=data.code,
        name=data.name,
        kind=data.kind.value,
        households=data.households,
        registered_population=data.registered_population,
        floating_population=data.floating_population,
        area_m2=geo.geodesic_area_m2(poly),
        geom=geo.to_db(poly),
    )
    db.add(grid)
    await _commit(db, f"The grid {data.code}")
    return grid


async def update_grid(db: AsyncSession, subject: Subject, grid_id: int, data: schemas.GridUpdate) -> Grid:
    grid = await _load_for_write(db, subject, "grid", grid_id)
    changes = data.model_dump(exclude_unset=True, exclude={"geometry", "duty_phone"})
    if "duty_phone" in data.model_fields_set:  # may be cleared (null or empty)
        grid.duty_phone = phones.clean(data.duty_phone, "duty_phone")
    for field, value in changes.items():
        if value is None:
            raise Invalid(f"{field} may not be null", errors=[_field_error(field, "may not be null")])
        setattr(grid, field, value.value if hasattr(value, "value") else value)
    if data.geometry is not None:
        try:
            poly = geo.polygon_from_geojson(data.geometry)
        except geo.GeometryError as exc:
            raise _geometry_error("geometry", exc) from exc
        community = await db.get(Community, grid.community_id)
        problems = await check_grid_shapes(db, community, [(grid_label(grid.code), grid.code, poly)])
        if problems:
            raise shape_problems(problems)
        grid.geom = geo.to_db(poly)
        grid.area_m2 = geo.geodesic_area_m2(poly)
    await _commit(db, grid.code)
    await db.refresh(grid)
    return grid


async def locate(db: AsyncSession, subject: Subject, *, lat: float, lon: float) -> dict[str, Any]:
    condition = geo.point_in_polygon_condition(Grid.__table__.c.geom, "grids", lon, lat, sqlite=is_sqlite(db))
    row = (
        await db.execute(
            select(
                Grid.id,
                Grid.code,
                Grid.name,
                Community.id,
                Community.code,
                Community.name,
                Street.id,
                Street.code,
                Street.name,
                District.id,
                District.code,
                District.name,
            )
            .join(Community, Community.id == Grid.community_id)
            .join(Street, Street.id == Grid.street_id)
            .join(District, District.id == Grid.district_id)
            .where(condition, Grid.is_active.is_(True), visible(subject, Grid, "grid"))
            .order_by(Grid.id)
            .limit(1)
        )
    ).first()
    if row is None:
        raise NotFound(f"No grid in your scope contains the point ({lat}, {lon})")
    keys = ("grid", "community", "street", "district")
    return {k: {"id": row[3 * i], "code": row[3 * i + 1], "name": row[3 * i + 2]} for i, k in enumerate(keys)}


async def coverage(db: AsyncSession, subject: Subject, community_id: int) -> dict[str, Any]:
    community = await get_visible(db, subject, "community", community_id)
    if community.geom is None:
        raise Conflict(f"The community {community.name} has no boundary, so its coverage cannot be computed")
    boundary = geo.from_db(community.geom)
    shapes = list((await _community_grid_shapes(db, community.id, exclude=set())).values())
    gap = geo.uncovered(boundary, shapes)
    total = geo.geodesic_area_m2(boundary)
    missing = geo.geodesic_area_m2(gap)
    return {
        "community_id": community.id,
        "community_area_m2": round(total, 1),
        "covered_area_m2": round(total - missing, 1),
        "uncovered_area_m2": round(missing, 1),
        "grid_count": len(shapes),
        "uncovered": geo.to_geojson(gap),
    }


# --- departments ---------------------------------------------------------------------------------------------


async def get_department(db: AsyncSession, subject: Subject, dept_id: int) -> Department:
    dept = (
        await db.execute(select(Department).where(Department.id == dept_id, departments_visible(subject, Department)))
    ).scalar()
    if dept is None:
        raise NotFound(f"No department with id {dept_id} in your scope")
    return dept


async def list_departments(
    db: AsyncSession, subject: Subject, *, limit: int, offset: int
) -> tuple[list[Department], int]:
    cond = departments_visible(subject, Department)
    total = (await db.execute(select(func.count()).select_from(Department).where(cond))).scalar_one()
    rows = (
        (
            await db.execute(
                select(Department).where(cond).order_by(Department.code).limit(min(limit, MAX_LIMIT)).offset(offset)
            )
        )
        .scalars()
        .all()
    )
    return list(rows), total


def _department_level(dept_level: str) -> str:
    return "street" if dept_level == "street" else "district"


async def create_department(db: AsyncSession, subject: Subject, data: schemas.DepartmentCreate) -> Department:
    if data.level == schemas.DepartmentLevel.street:
        if data.street_id is None:
            raise Invalid(
                "A street-level department needs street_id",
                errors=[_field_error("street_id", "required for a street-level department")],
            )
        parent = await get_visible(db, subject, "street", data.street_id)
        if parent.district_id != data.district_id:
            raise Invalid(
                "The street is not in that district", errors=[_field_error("district_id", "does not match the street")]
            )
        parent_level = "street"
    else:
        if data.street_id is not None:
            raise Invalid(
                "A district-level department has no street_id",
                errors=[_field_error("street_id", "must be empty for a district-level department")],
            )
        parent = await get_visible(db, subject, "district", data.district_id)
        parent_level = "district"
    require_permission(subject, "hierarchy:write")
    if not within_area(subject, parent_level, path_ids(parent, parent_level)):
        raise Forbidden(f"You may not add departments to {parent.name}")
    await _check_code_free(db, Department, data.code)
    dept = Department(
        code=data.code,
        name=data.name,
        level=data.level.value,
        district_id=data.district_id,
        street_id=data.street_id,
        categories=list(data.categories),
    )
    db.add(dept)
    await _commit(db, f"The department {data.code}")
    return dept


async def _department_for_write(db: AsyncSession, subject: Subject, dept_id: int) -> Department:
    dept = await get_department(db, subject, dept_id)
    require_permission(subject, "hierarchy:write")
    level = _department_level(dept.level)
    path = {"district_id": dept.district_id, "street_id": dept.street_id}
    if not within_area(subject, level, path):
        raise Forbidden(f"{dept.name} is above your scope")
    return dept


async def update_department(
    db: AsyncSession, subject: Subject, dept_id: int, data: schemas.DepartmentUpdate
) -> Department:
    dept = await _department_for_write(db, subject, dept_id)
    if data.name is not None:
        dept.name = data.name
    if data.categories is not None:
        dept.categories = list(data.categories)
    await _commit(db, dept.code)
    await db.refresh(dept)
    return dept


async def deactivate_department(db: AsyncSession, subject: Subject, dept_id: int) -> Department:
    dept = await _department_for_write(db, subject, dept_id)
    dept.is_active = False
    await _commit(db, dept.code)
    await db.refresh(dept)
    return dept


# --- buildings and places ------------------------------------------------------------------------------------


def _point_fields(obj: Any) -> dict[str, float | None]:
    point = geo.from_db(obj.geom)
    return {"lon": point.x if point is not None else None, "lat": point.y if point is not None else None}


def building_out(building: Building, subject: Subject) -> dict[str, Any]:
    phone = building.head_phone if subject.can("personal_data:read") else mask_phone(building.head_phone)
    return {
        "id": building.id,
        "grid_id": building.grid_id,
        "name": building.name,
        "floors": building.floors,
        "households": building.households,
        "head_name": building.head_name,
        "head_phone": phone,
        "is_active": building.is_active,
        **_point_fields(building),
    }


def place_out(place: Place) -> dict[str, Any]:
    return {
        "id": place.id,
        "grid_id": place.grid_id,
        "category": place.category,
        "kind": place.kind,
        "name": place.name,
        "address": place.address,
        "is_active": place.is_active,
        **_point_fields(place),
    }


def _visible_grid_ids(subject: Subject) -> Any:
    return select(Grid.id).where(visible(subject, Grid, "grid"))


def point_in_grid(grid: Grid, lon: float | None, lat: float | None) -> Any:
    """The point to store for a building or place of `grid`: none, or both lon and lat within the grid."""
    if lon is None and lat is None:
        return None
    if lon is None or lat is None:
        raise Invalid("Give both lon and lat, or neither", errors=[_field_error("lon", "lon and lat go together")])
    point = geo.point_from_lonlat(lon, lat)
    if not geo.from_db(grid.geom).covers(point):
        msg = f"The point ({lat}, {lon}) is outside the grid {grid.code}"
        raise Invalid(msg, code="point-outside-grid", errors=[_field_error("lon", msg)])
    return geo.to_db(point)


async def list_in_grid(
    db: AsyncSession,
    subject: Subject,
    model: Any,
    grid_id: int,
    *,
    category: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[Any], int]:
    await get_visible(db, subject, "grid", grid_id)
    conditions = [model.grid_id == grid_id]
    if category is not None:
        conditions.append(model.category == category)
    total = (await db.execute(select(func.count()).select_from(model).where(*conditions))).scalar_one()
    rows = (
        (
            await db.execute(
                select(model).where(*conditions).order_by(model.name).limit(min(limit, MAX_LIMIT)).offset(offset)
            )
        )
        .scalars()
        .all()
    )
    return list(rows), total


async def get_in_grid(db: AsyncSession, subject: Subject, model: Any, obj_id: int, label: str) -> Any:
    obj = (
        await db.execute(select(model).where(model.id == obj_id, model.grid_id.in_(_visible_grid_ids(subject))))
    ).scalar()
    if obj is None:
        raise NotFound(f"No {label} with id {obj_id} in your scope")
    return obj


async def create_in_grid(db: AsyncSession, subject: Subject, model: Any, grid_id: int, data: Any) -> Any:
    grid = await _load_for_write(db, subject, "grid", grid_id)
    values = data.model_dump(exclude={"lon", "lat"})
    values = {k: (v.value if hasattr(v, "value") else v) for k, v in values.items()}
    obj = model(grid_id=grid.id, geom=point_in_grid(grid, data.lon, data.lat), **values)
    db.add(obj)
    await _commit(db, data.name)
    return obj


async def update_in_grid(db: AsyncSession, subject: Subject, model: Any, obj_id: int, data: Any, label: str) -> Any:
    obj = await get_in_grid(db, subject, model, obj_id, label)
    grid = await _load_for_write(db, subject, "grid", obj.grid_id)
    changes = data.model_dump(exclude_unset=True, exclude={"lon", "lat"})
    for field, value in changes.items():
        if value is None and field in ("name", "households", "kind"):
            raise Invalid(f"{field} may not be null", errors=[_field_error(field, "may not be null")])
        setattr(obj, field, value)
    if "lon" in data.model_fields_set or "lat" in data.model_fields_set:
        obj.geom = point_in_grid(grid, data.lon, data.lat)
    await _commit(db, obj.name)
    await db.refresh(obj)
    return obj


async def deactivate_in_grid(db: AsyncSession, subject: Subject, model: Any, obj_id: int, label: str) -> Any:
    obj = await get_in_grid(db, subject, model, obj_id, label)
    await _load_for_write(db, subject, "grid", obj.grid_id)
    obj.is_active = False
    await _commit(db, obj.name)
    await db.refresh(obj)
    return obj
