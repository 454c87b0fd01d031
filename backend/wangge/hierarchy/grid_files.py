"""A community's grids as a GeoJSON file: importing one (all or nothing, every problem named in both languages)
and exporting the grids a subject may see (the import's format, and what the map draws)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import geo
from wangge.accounts.models import Role, User
from wangge.accounts.scope import Subject, visible, within_area
from wangge.errors import Forbidden, Invalid
from wangge.hierarchy import schemas
from wangge.hierarchy.models import Building, Community, Grid, Place, PlaceCategory
from wangge.hierarchy.service import (
    _commit,
    check_grid_shapes,
    get_visible,
    grid_out,
    joined,
    path_ids,
    require_permission,
)
from wangge.messages import Text, both

MAX_IMPORT_FEATURES = 1000


def _feature_label(index: int, feature: Any) -> Text:
    code = None
    if isinstance(feature, dict) and isinstance(feature.get("properties"), dict):
        code = feature["properties"].get("code")
    return both(
        f"第 {index} 个要素" + (f"（编码 {code}）" if code else ""),
        f"feature {index}" + (f" (code {code})" if code else ""),
    )


def _problem(label: Text, zh: str, en: str) -> Text:
    return both(f"{label['zh-CN']}：{zh}", f"{label['en']}: {en}")


def parse_feature_collection(community: Community, data: Any) -> tuple[list[dict[str, Any]], list[Text]]:
    """Read an import file into grid values, collecting every problem rather than stopping at the first."""
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        return [], [
            both(
                "导入的文件须为 GeoJSON 要素集合，含要素列表",
                "The import must be a GeoJSON FeatureCollection with a list of features",
            )
        ]
    if not data["features"]:
        return [], [both("要素集合里没有要素", "The FeatureCollection has no features")]
    if len(data["features"]) > MAX_IMPORT_FEATURES:
        return [], [
            both(
                f"要素集合有 {len(data['features']):,} 个要素；一个社区最多 {MAX_IMPORT_FEATURES:,} 个网格"
                "（网格编码在社区编码后加三位）",
                f"The FeatureCollection has {len(data['features']):,} features; a community holds at most "
                f"{MAX_IMPORT_FEATURES:,} grids (a grid's code adds three digits to the community's)",
            )
        ]
    grids: list[dict[str, Any]] = []
    problems: list[Text] = []
    seen: set[Any] = set()
    for i, feature in enumerate(data["features"]):
        label = _feature_label(i, feature)
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(_problem(label, "不是 GeoJSON 要素", "not a GeoJSON Feature"))
            continue
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        values: dict[str, Any] = {}
        try:
            values = schemas.GridFigures.model_validate(
                {k: props[k] for k in ("households", "registered_population", "floating_population") if k in props}
            ).model_dump()
        except ValueError as exc:
            why = exc.errors()[0]["msg"] if hasattr(exc, "errors") else str(exc)
            problems.append(_problem(label, "户数和人口须为不小于 0 的整数", f"figures are not valid ({why})"))
        code, name, kind = props.get("code"), props.get("name"), props.get("kind", "other")
        if not isinstance(code, str) or len(code) != 15 or not code.isdigit():
            problems.append(_problem(label, "网格编码须为 15 位数字", "properties.code must be a 15-digit grid code"))
        elif not code.startswith(community.code):
            problems.append(
                _problem(
                    label,
                    f"编码 {code} 与社区编码 {community.code} 不符",
                    f"the code {code} does not match the community {community.code}",
                )
            )
        elif code in seen:
            problems.append(
                _problem(label, f"编码 {code} 在文件里出现了两次", f"the code {code} appears twice in the file")
            )
        seen.add(code)
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            problems.append(
                _problem(label, "名称须为 1 到 100 个字", "properties.name must be a text of 1 to 100 characters")
            )
        if kind not in {k.value for k in schemas.GridKind}:
            kinds = ", ".join(k.value for k in schemas.GridKind)
            # The values are what the file must hold; "other" is also what an absent kind means.
            named = "、".join(k.value for k in schemas.GridKind if k.value != "other")
            problems.append(
                _problem(label, f"类型须为 {named} 之一，或不填（其他）", f"properties.kind must be one of {kinds}")
            )
        try:
            poly = geo.polygon_from_geojson(feature.get("geometry"), label)
        except geo.GeometryError as exc:
            problems.append(exc.text)
            poly = None
        grids.append(
            {
                "label": label,
                "code": code,
                "name": name.strip() if isinstance(name, str) else name,
                "kind": kind,
                "poly": poly,
                **values,
            }
        )
    return grids, problems


async def import_grids(db: AsyncSession, subject: Subject, community_id: int, data: Any) -> dict[str, Any]:
    """Create or update (by code) a community's grids from a FeatureCollection: all or nothing."""
    community = await get_visible(db, subject, "community", community_id)
    require_permission(subject, "hierarchy:write")
    if not within_area(subject, "community", path_ids(community, "community")):
        raise Forbidden(f"You may not change the grids of {community.name}")
    grids, problems = parse_feature_collection(community, data)
    if not problems:
        problems = await check_grid_shapes(db, community, [(g["label"], g["code"], g["poly"]) for g in grids])
    # One statement whatever the size of the file (a list of its codes would bind one parameter per feature):
    # every code of an acceptable file starts with the community's code.
    codes = {g["code"] for g in grids}
    with_prefix = select(Grid).where(Grid.code.startswith(community.code, autoescape=True))
    existing = {g.code: g for g in (await db.execute(with_prefix)).scalars() if g.code in codes}
    for g in grids:
        other = existing.get(g["code"])
        if other is not None and other.community_id != community.id:
            problems.append(
                _problem(
                    g["label"],
                    f"编码 {g['code']} 已属于另一个社区的网格",
                    f"the code {g['code']} belongs to a grid of another community",
                )
            )
    if problems:
        first = joined(problems, limit=5)
        raise Invalid(
            both(
                f"导入被拒绝，共 {len(problems)} 处问题，未做任何改动：" + first["zh-CN"],
                f"The import was rejected with {len(problems)} problem(s); nothing was changed: " + first["en"],
            ),
            errors=[{"loc": ["body"], "msg": p, "type": "value_error"} for p in problems],
        )
    created, updated = [], []
    for g in grids:
        values = {k: g[k] for k in ("name", "kind", "households", "registered_population", "floating_population")}
        values.update(geom=geo.to_db(g["poly"]), area_m2=geo.geodesic_area_m2(g["poly"]), is_active=True)
        grid = existing.get(g["code"])
        if grid is None:
            db.add(
                Grid(
                    code=g["code"],
                    community_id=community.id,
                    street_id=community.street_id,
                    district_id=community.district_id,
                    **values,
                )
            )
            created.append(g["code"])
        else:
            for key, value in values.items():
                setattr(grid, key, value)
            updated.append(g["code"])
    await _commit(db, "The import")
    return {"community_id": community.id, "created": created, "updated": updated}


async def export_grids(db: AsyncSession, subject: Subject, *, community_id: int | None = None) -> dict[str, Any]:
    """The subject's grids as a GeoJSON FeatureCollection with their figures (the import format, and what the
    map draws)."""
    conditions = [visible(subject, Grid, "grid"), Grid.is_active.is_(True)]
    if community_id is not None:
        await get_visible(db, subject, "community", community_id)
        conditions.append(Grid.community_id == community_id)
    building_count = (
        select(Building.grid_id, func.count().label("n"))
        .where(Building.is_active.is_(True))
        .group_by(Building.grid_id)
        .subquery()
    )
    place_count = (
        select(Place.grid_id, Place.category, func.count().label("n"))
        .where(Place.is_active.is_(True))
        .group_by(Place.grid_id, Place.category)
        .subquery()
    )
    rows = (
        await db.execute(
            select(Grid, Community.code, Community.name, func.coalesce(building_count.c.n, 0))
            .join(Community, Community.id == Grid.community_id)
            .outerjoin(building_count, building_count.c.grid_id == Grid.id)
            .where(*conditions)
            .order_by(Grid.code)
        )
    ).all()
    grid_ids = [row[0].id for row in rows]
    places: dict[tuple[int, str], int] = {}
    leaders: dict[int, str] = {}
    if grid_ids:
        for gid, category, n in await db.execute(select(place_count).where(place_count.c.grid_id.in_(grid_ids))):
            places[(gid, category)] = n
        for gid, name in await db.execute(
            select(User.grid_id, User.display_name)
            .where(User.grid_id.in_(grid_ids), User.role == Role.grid_leader, User.is_active.is_(True))
            .order_by(User.id.desc())
        ):
            leaders[gid] = name
    features = []
    for grid, community_code, community_name, n_buildings in rows:
        props = grid_out(grid, with_geometry=False)
        props.pop("geometry")
        props.pop("created_at")
        props.pop("updated_at")
        props.update(
            community_code=community_code,
            community_name=community_name,
            building_count=n_buildings,
            institution_count=places.get((grid.id, PlaceCategory.institution.value), 0),
            business_count=places.get((grid.id, PlaceCategory.business.value), 0),
            leader_name=leaders.get(grid.id),
        )
        features.append(
            {
                "type": "Feature",
                "id": grid.code,
                "geometry": geo.to_geojson(geo.from_db(grid.geom)),
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}
