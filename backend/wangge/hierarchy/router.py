"""HTTP routes of the hierarchy: thin functions that hand the work to hierarchy.service."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Query, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse

from wangge.accounts.dependencies import CurrentSubject, HierarchyWriter
from wangge.deps import Limit, Offset, ReadSessionDep, SessionDep
from wangge.hierarchy import edits, grid_files, imports, schemas, service
from wangge.hierarchy.models import Building, Place, PlaceCategory
from wangge.imports import TEMPLATE_RESPONSES, ImportReport, bulk, template_response, upload_bytes
from wangge.schemas_common import Id

router = APIRouter()
ActiveFilter = Annotated[bool | None, Query(description="Only active (true) or deactivated (false) rows")]
WithGeometry = Annotated[bool, Query(description="Include each row's geometry")]


def _page(items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def _area_routes(
    level: str, plural: str, create_schema: type, parent: str | None, update_schema: type = schemas.AreaUpdate
) -> None:
    tag = plural.capitalize()

    @router.get(f"/{plural}", response_model=schemas.Page[schemas.AreaOut], tags=[tag], name=f"list_{plural}")
    async def list_areas(
        db: SessionDep,
        subject: CurrentSubject,
        limit: Limit = 100,
        offset: Offset = 0,
        active: ActiveFilter = None,
        parent_id: Annotated[
            Id | None, Query(alias=f"{parent}_id" if parent else "parent_id", include_in_schema=parent is not None)
        ] = None,
        with_geometry: WithGeometry = False,
    ) -> dict[str, Any]:
        rows, total = await service.list_visible(
            db, subject, level, parent_id=parent_id, active=active, limit=limit, offset=offset
        )
        return _page([service.area_out(r, with_geometry=with_geometry) for r in rows], total, limit, offset)

    @router.post(
        f"/{plural}",
        response_model=schemas.AreaOut,
        status_code=status.HTTP_201_CREATED,
        tags=[tag],
        name=f"create_{level}",
    )
    async def create_area(
        db: SessionDep, subject: CurrentSubject, data: Annotated[create_schema, Body()]
    ) -> dict[str, Any]:  # type: ignore[valid-type]
        return service.area_out(await service.create_area(db, subject, level, data))

    @router.get(f"/{plural}/{{obj_id}}", response_model=schemas.AreaOut, tags=[tag], name=f"get_{level}")
    async def get_area(db: SessionDep, subject: CurrentSubject, obj_id: Id) -> dict[str, Any]:
        return service.area_out(await service.get_visible(db, subject, level, obj_id))

    @router.patch(f"/{plural}/{{obj_id}}", response_model=schemas.AreaOut, tags=[tag], name=f"update_{level}")
    async def update_area(
        db: SessionDep, subject: CurrentSubject, obj_id: Id, data: Annotated[update_schema, Body()]
    ) -> dict[str, Any]:  # type: ignore[valid-type]
        return service.area_out(await service.update_area(db, subject, level, obj_id, data))

    @router.post(
        f"/{plural}/{{obj_id}}/deactivate", response_model=schemas.AreaOut, tags=[tag], name=f"deactivate_{level}"
    )
    async def deactivate_area(db: SessionDep, subject: CurrentSubject, obj_id: Id) -> dict[str, Any]:
        return service.area_out(await service.deactivate(db, subject, level, obj_id))


@router.get("/communities/figures", response_model=list[schemas.CommunityFigures], tags=["Communities"])
async def community_figures(
    db: ReadSessionDep, subject: CurrentSubject, street_id: Annotated[Id | None, Query()] = None
) -> Any:
    """Each community's figures (area, households, residents, institutions, businesses) computed from its active
    grids and places; communities without an active grid are left out."""
    return await service.community_figures(db, subject, street_id=street_id)


# Declared before the areas' own routes: /communities/{obj_id} would take "figures" for an id.
_area_routes("district", "districts", schemas.DistrictCreate, None)
_area_routes("street", "streets", schemas.StreetCreate, "district")
_area_routes("community", "communities", schemas.CommunityCreate, "street", schemas.CommunityUpdate)


@router.get("/communities/{community_id}/coverage", response_model=schemas.CoverageOut, tags=["Communities"])
async def community_coverage(db: ReadSessionDep, subject: CurrentSubject, community_id: Id) -> dict[str, Any]:
    """The parts of the community that no active grid covers (a finding for the administrator)."""
    return await service.coverage(db, subject, community_id)


@router.post("/communities/{community_id}/grids/import", response_model=schemas.ImportResult, tags=["Grids"])
async def import_grids(
    db: SessionDep,
    subject: CurrentSubject,
    community_id: Id,
    data: Annotated[dict[str, Any], Body(description="GeoJSON FeatureCollection (RFC 7946)")],
) -> dict[str, Any]:
    """Create or update the community's grids by code from a GeoJSON FeatureCollection; all or nothing."""
    return await grid_files.import_grids(db, subject, community_id, data)


@router.get("/grids/locate", response_model=schemas.LocateOut, tags=["Grids"])
async def locate_grid(
    request: Request,
    db: SessionDep,
    subject: CurrentSubject,
    lat: Annotated[float, Query(ge=-90, le=90)],
    lon: Annotated[float, Query(ge=-180, le=180)],
) -> dict[str, Any]:
    """The grid that contains a point, with its community, street and district."""
    return await service.locate(db, subject, lat=lat, lon=lon)


@router.get("/grids/export", tags=["Grids"], responses={200: {"content": {"application/geo+json": {}}}})
async def export_grids(
    db: SessionDep, subject: CurrentSubject, community_id: Annotated[Id | None, Query()] = None
) -> Any:
    """The grids in your scope as a GeoJSON FeatureCollection (the import format, with figures)."""
    return JSONResponse(
        await grid_files.export_grids(db, subject, community_id=community_id), media_type="application/geo+json"
    )


@router.get("/grids", response_model=schemas.Page[schemas.GridOut], tags=["Grids"])
async def list_grids(
    db: SessionDep,
    subject: CurrentSubject,
    limit: Limit = 100,
    offset: Offset = 0,
    active: ActiveFilter = None,
    community_id: Annotated[Id | None, Query()] = None,
    with_geometry: WithGeometry = False,
) -> dict[str, Any]:
    rows, total = await service.list_visible(
        db, subject, "grid", parent_id=community_id, active=active, limit=limit, offset=offset
    )
    return _page([service.grid_out(r, with_geometry=with_geometry) for r in rows], total, limit, offset)


@router.post("/grids", response_model=schemas.GridOut, status_code=status.HTTP_201_CREATED, tags=["Grids"])
async def create_grid(db: SessionDep, subject: CurrentSubject, data: schemas.GridCreate) -> dict[str, Any]:
    return service.grid_out(await service.create_grid(db, subject, data))


@router.get("/grids/{grid_id}", response_model=schemas.GridOut, tags=["Grids"])
async def get_grid(db: SessionDep, subject: CurrentSubject, grid_id: Id) -> dict[str, Any]:
    return service.grid_out(await service.get_visible(db, subject, "grid", grid_id))


@router.patch("/grids/{grid_id}", response_model=schemas.GridOut, tags=["Grids"])
async def update_grid(db: SessionDep, subject: CurrentSubject, grid_id: Id, data: schemas.GridUpdate) -> dict[str, Any]:
    return service.grid_out(await service.update_grid(db, subject, grid_id, data))


@router.post("/grids/{grid_id}/deactivate", response_model=schemas.GridOut, tags=["Grids"])
async def deactivate_grid(db: SessionDep, subject: CurrentSubject, grid_id: Id) -> dict[str, Any]:
    return service.grid_out(await service.deactivate(db, subject, "grid", grid_id))


@router.post("/grids/{grid_id}/split", response_model=schemas.GridSplitOut, tags=["Grids"])
async def split_grid(db: SessionDep, subject: HierarchyWriter, grid_id: Id, data: schemas.GridSplit) -> dict[str, Any]:
    """Cut the grid in two along a line drawn across it: the grid keeps the larger part, a new grid (the code and
    name given) the smaller one with the buildings and places in it. Refused (split-not-two-parts) when the line
    does not cut the grid into exactly two parts."""
    grid, new = await edits.split_grid(db, subject, grid_id, data)
    return {"grid": service.grid_out(grid), "new_grid": service.grid_out(new)}


@router.post("/grids/{grid_id}/merge", response_model=schemas.GridMergeOut, tags=["Grids"])
async def merge_grids(db: SessionDep, subject: HierarchyWriter, grid_id: Id, data: schemas.GridMerge) -> dict[str, Any]:
    """Absorb an adjacent grid of the same community: this grid takes the union, the figures, buildings, places and
    team; the other is deactivated and its A/B pairs ended. Refused while the other grid has a leader or staff
    accounts (grid-has-staff), and for grids that share no edge (grids-not-adjacent)."""
    grid, absorbed = await edits.merge_grids(db, subject, grid_id, data)
    return {"grid": service.grid_out(grid), "absorbed": service.grid_out(absorbed)}


# --- buildings and places -------------------------------------------------------------------------------------


@router.get("/grids/{grid_id}/buildings", response_model=schemas.Page[schemas.BuildingOut], tags=["Buildings"])
async def list_buildings(
    db: SessionDep, subject: CurrentSubject, grid_id: Id, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    rows, total = await service.list_in_grid(db, subject, Building, grid_id, limit=limit, offset=offset)
    return _page([service.building_out(r, subject) for r in rows], total, limit, offset)


@router.post("/grids/{grid_id}/buildings", response_model=schemas.BuildingOut, status_code=201, tags=["Buildings"])
async def create_building(
    db: SessionDep, subject: CurrentSubject, grid_id: Id, data: schemas.BuildingCreate
) -> dict[str, Any]:
    return service.building_out(await service.create_in_grid(db, subject, Building, grid_id, data), subject)


@router.get("/buildings/{building_id}", response_model=schemas.BuildingOut, tags=["Buildings"])
async def get_building(db: SessionDep, subject: CurrentSubject, building_id: Id) -> dict[str, Any]:
    return service.building_out(await service.get_in_grid(db, subject, Building, building_id, "building"), subject)


@router.patch("/buildings/{building_id}", response_model=schemas.BuildingOut, tags=["Buildings"])
async def update_building(
    db: SessionDep, subject: CurrentSubject, building_id: Id, data: schemas.BuildingUpdate
) -> dict[str, Any]:
    obj = await service.update_in_grid(db, subject, Building, building_id, data, "building")
    return service.building_out(obj, subject)


@router.post("/buildings/{building_id}/deactivate", response_model=schemas.BuildingOut, tags=["Buildings"])
async def deactivate_building(db: SessionDep, subject: CurrentSubject, building_id: Id) -> dict[str, Any]:
    obj = await service.deactivate_in_grid(db, subject, Building, building_id, "building")
    return service.building_out(obj, subject)


@router.get("/grids/{grid_id}/places", response_model=schemas.Page[schemas.PlaceOut], tags=["Places"])
async def list_places(
    db: SessionDep,
    subject: CurrentSubject,
    grid_id: Id,
    limit: Limit = 100,
    offset: Offset = 0,
    category: Annotated[PlaceCategory | None, Query()] = None,
) -> dict[str, Any]:
    rows, total = await service.list_in_grid(
        db, subject, Place, grid_id, limit=limit, offset=offset, category=category.value if category else None
    )
    return _page([service.place_out(r) for r in rows], total, limit, offset)


@router.post("/grids/{grid_id}/places", response_model=schemas.PlaceOut, status_code=201, tags=["Places"])
async def create_place(
    db: SessionDep, subject: CurrentSubject, grid_id: Id, data: schemas.PlaceCreate
) -> dict[str, Any]:
    return service.place_out(await service.create_in_grid(db, subject, Place, grid_id, data))


@router.get("/places/{place_id}", response_model=schemas.PlaceOut, tags=["Places"])
async def get_place(db: SessionDep, subject: CurrentSubject, place_id: Id) -> dict[str, Any]:
    return service.place_out(await service.get_in_grid(db, subject, Place, place_id, "place"))


@router.patch("/places/{place_id}", response_model=schemas.PlaceOut, tags=["Places"])
async def update_place(
    db: SessionDep, subject: CurrentSubject, place_id: Id, data: schemas.PlaceUpdate
) -> dict[str, Any]:
    return service.place_out(await service.update_in_grid(db, subject, Place, place_id, data, "place"))


@router.post("/places/{place_id}/deactivate", response_model=schemas.PlaceOut, tags=["Places"])
async def deactivate_place(db: SessionDep, subject: CurrentSubject, place_id: Id) -> dict[str, Any]:
    return service.place_out(await service.deactivate_in_grid(db, subject, Place, place_id, "place"))


XlsxFile = Annotated[UploadFile, File(description="The filled template (.xlsx)")]
ApplyFlag = Annotated[bool, Query(description="false: check and preview; true: create the new rows, all or nothing")]


@router.get(
    "/buildings/import/template.xlsx", response_class=Response, responses=TEMPLATE_RESPONSES, tags=["Buildings"]
)
async def buildings_template(subject: HierarchyWriter) -> Response:
    """The Excel template of a buildings' list: Chinese headers, an example row and a sheet of notes."""
    return template_response(imports.BUILDINGS.template(), "楼栋导入.xlsx")


@router.post("/buildings/import", response_model=ImportReport, tags=["Buildings"])
async def import_buildings(db: SessionDep, subject: HierarchyWriter, file: XlsxFile, apply: ApplyFlag = False) -> Any:
    """Buildings (with their heads) from an Excel file, each row naming its grid by code: every row checked as
    creating one is (new, same as already there, or wrong and why); with apply=true the new ones are created, all
    or nothing (422 `import-rejected` with the report while any row is wrong). The same file again creates nothing."""
    content = await upload_bytes(file)
    with bulk():
        rows = await imports.check_buildings(db, subject, content)
        return await imports.apply(db, rows, Building, apply=apply)


@router.get("/places/import/template.xlsx", response_class=Response, responses=TEMPLATE_RESPONSES, tags=["Places"])
async def places_template(subject: HierarchyWriter) -> Response:
    """The Excel template of a list of institutions and businesses."""
    return template_response(imports.PLACES.template(), "单位与商户导入.xlsx")


@router.post("/places/import", response_model=ImportReport, tags=["Places"])
async def import_places(db: SessionDep, subject: HierarchyWriter, file: XlsxFile, apply: ApplyFlag = False) -> Any:
    """Institutions 驻区单位 and businesses 个体工商户 from an Excel file, as `/buildings/import` does buildings."""
    content = await upload_bytes(file)
    with bulk():
        rows = await imports.check_places(db, subject, content)
        return await imports.apply(db, rows, Place, apply=apply)


# --- departments ----------------------------------------------------------------------------------------------


@router.get("/departments", response_model=schemas.Page[schemas.DepartmentOut], tags=["Departments"])
async def list_departments(
    db: SessionDep, subject: CurrentSubject, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    rows, total = await service.list_departments(db, subject, limit=limit, offset=offset)
    return _page(rows, total, limit, offset)


@router.post("/departments", response_model=schemas.DepartmentOut, status_code=201, tags=["Departments"])
async def create_department(db: SessionDep, subject: CurrentSubject, data: schemas.DepartmentCreate) -> Any:
    return await service.create_department(db, subject, data)


@router.get("/departments/{dept_id}", response_model=schemas.DepartmentOut, tags=["Departments"])
async def get_department(db: SessionDep, subject: CurrentSubject, dept_id: Id) -> Any:
    return await service.get_department(db, subject, dept_id)


@router.patch("/departments/{dept_id}", response_model=schemas.DepartmentOut, tags=["Departments"])
async def update_department(
    db: SessionDep, subject: CurrentSubject, dept_id: Id, data: schemas.DepartmentUpdate
) -> Any:
    return await service.update_department(db, subject, dept_id, data)


@router.post("/departments/{dept_id}/deactivate", response_model=schemas.DepartmentOut, tags=["Departments"])
async def deactivate_department(db: SessionDep, subject: CurrentSubject, dept_id: Id) -> Any:
    return await service.deactivate_department(db, subject, dept_id)
