"""Buildings 楼栋 (with their heads 楼栋长) and places 驻区单位/个体工商户 from Excel (the shared machinery is
wangge.imports). Each row names its grid by the grid's 15-digit code; the checks are those of creating one
(`BuildingCreate` / `PlaceCreate`, the point within the grid as `service.point_in_grid` decides, the grid within the
administrator's area). Natural keys: a building is its grid and name, a place its grid, category and name, among the
active ones; a row whose building or place is already there as the file says is "same", one that differs is an
error (an import creates, it does not change what is registered)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import imports
from wangge.accounts.scope import Subject, mask_phone, within_area
from wangge.errors import Invalid
from wangge.hierarchy import schemas, service
from wangge.hierarchy.models import Building, Grid, Place, PlaceCategory
from wangge.imports import Row, Sheet

BUILDINGS = Sheet(
    title="楼栋",
    columns={"网格编码": "grid_code", "楼栋名称": "name", "层数": "floors", "户数": "households", "楼栋长": "head_name",
             "楼栋长电话": "head_phone", "经度": "lon", "纬度": "lat"},
    example=("430111001001001", "1栋", 6, 48, "王五", "13800000001", 112.9901, 28.1902),
    notes=(("列", "填写"), ("网格编码", "楼栋所在网格的15位编码（须在您的管辖范围内）"),
           ("楼栋名称", "必填，同一网格内不重复"), ("层数、户数", "可不填；层数1–200"),
           ("楼栋长、楼栋长电话", "可不填"), ("经度、纬度", "可不填；填写时须同时填写，且位于该网格内（WGS 84）"),
           (), ("同一网格已有同名楼栋且内容相同的行不会重复导入。",)),
)  # fmt: skip
CATEGORY_NAMES = {"驻区单位": PlaceCategory.institution, "个体工商户": PlaceCategory.business,
                  "个体私营户": PlaceCategory.business}  # fmt: skip
PLACES = Sheet(
    title="单位与商户",
    columns={"网格编码": "grid_code", "类别": "category", "名称": "name", "地址": "address", "经度": "lon",
             "纬度": "lat"},
    example=("430111001001001", "驻区单位", "区第一小学", "人民路1号", 112.9901, 28.1902),
    notes=(("列", "填写"), ("网格编码", "所在网格的15位编码（须在您的管辖范围内）"),
           ("类别", "驻区单位 或 个体工商户"), ("名称", "必填，同一网格、同一类别内不重复"), ("地址", "可不填"),
           ("经度、纬度", "可不填；填写时须同时填写，且位于该网格内（WGS 84）"),
           (), ("同一网格已有同类同名且内容相同的行不会重复导入。",)),
)  # fmt: skip


def may_write(subject: Subject, grid: Grid) -> bool:
    """What creating one asks (service._load_for_write): the permission, and the grid within the caller's area."""
    return subject.can("hierarchy:write") and within_area(subject, "grid", service.path_ids(grid, "grid"))


def _point(row: Row, grid: Grid, data: Any) -> Any:
    try:
        return service.point_in_grid(grid, data.lon, data.lat)
    except Invalid:
        row.problem("lon", "point-incomplete" if data.lon is None or data.lat is None else "point-outside")
        return None


async def _check(
    db: AsyncSession, subject: Subject, content: bytes, sheet: Sheet, schema: type, model: type, key: Any
) -> list[Row]:
    raw = imports.read(content, sheet)
    grids = await imports.grids_by_code(db, (r["grid_code"] for r in raw))
    named = [(g.id, r["name"]) for r in raw if (g := grids.get(r["grid_code"])) is not None and r["name"]]
    existing: dict[Any, Any] = {}
    if named:
        found = await db.execute(
            select(model).where(
                model.grid_id.in_({g for g, _ in named}),
                model.name.in_({name for _, name in named}),
                model.is_active.is_(True),
            )
        )
        existing = {
            key(o.grid_id, {"name": o.name, "category": getattr(o, "category", "")}): o for o in found.scalars()
        }
    allowed = imports.once_per_grid(lambda g: may_write(subject, g))
    rows = []
    for n, r in imports.numbered(raw):
        cells = {k: v for k, v in r.items()}
        if cells.get("head_phone"):
            cells["head_phone"] = mask_phone(cells["head_phone"]) or ""
        row = Row(n, cells)
        grid = imports.grid_of(row, grids, allowed)
        values = {k: imports.whole(v) if k in ("floors", "households") else v for k, v in r.items()}
        values.update(lon=imports.decimal(r["lon"]), lat=imports.decimal(r["lat"]))
        if model is Place:
            category = CATEGORY_NAMES.get(r["category"])
            values["category"] = category.value if category else r["category"]
            if category:
                row.cells["category"] = category.value
        data = imports.validate(row, schema, {k: v for k, v in values.items() if k != "grid_code"})
        if grid is not None and data is not None:
            geom = _point(row, grid, data)
            row.value = (grid, data, geom)
            there = existing.get(key(grid.id, r))
            if there is not None:
                row.same = _same(there, data)
                if not row.same:
                    row.problem("name", "exists-different")
        rows.append(row)
    imports.repeated(rows, lambda r: key(r.value[0].id, r.cells) if r.value else None, "name")
    return rows


def _same(obj: Any, data: Any) -> bool:
    fields = data.model_dump(exclude={"lon", "lat"})
    return all(getattr(obj, k) == (v.value if hasattr(v, "value") else v) for k, v in fields.items())


def _building_key(grid_id: int, r: dict[str, str]) -> tuple[int, str]:
    return grid_id, r["name"].strip()


def _place_key(grid_id: int, r: dict[str, str]) -> tuple[int, str, str]:
    category = CATEGORY_NAMES.get(r["category"])
    return grid_id, category.value if category else r["category"], r["name"].strip()


async def check_buildings(db: AsyncSession, subject: Subject, content: bytes) -> list[Row]:
    return await _check(db, subject, content, BUILDINGS, schemas.BuildingCreate, Building, _building_key)


async def check_places(db: AsyncSession, subject: Subject, content: bytes) -> list[Row]:
    return await _check(db, subject, content, PLACES, schemas.PlaceCreate, Place, _place_key)


async def apply(db: AsyncSession, rows: list[Row], model: type, *, apply: bool) -> dict[str, Any]:
    """The report; with `apply`, the new rows' buildings or places created in one transaction."""

    def write(new: list[Row]) -> None:
        objects = []
        for r in new:
            grid, data, geom = r.value
            values = {k: (v.value if hasattr(v, "value") else v) for k, v in data.model_dump().items()}
            objects.append(
                model(grid_id=grid.id, geom=geom, **{k: v for k, v in values.items() if k not in ("lon", "lat")})
            )
        db.add_all(objects)

    return await imports.run(db, rows, apply=apply, write=write, what="A building or place of the file")
