"""HTTP routes of the desk's table of matters: a filtered, searched, sorted page, and the same rows as an XLSX file.
Included before the matters router, so that /matters/table is not read as a matter's id."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from wangge.accounts.dependencies import DeskStaff
from wangge.deps import ReadSessionDep, SettingsDep
from wangge.imports import XLSX_RESPONSES, xlsx_download
from wangge.matters import desk, schemas
from wangge.matters import handoffs_table as handoffs_table_mod
from wangge.matters.flow import Status
from wangge.schemas_common import Day, Id

router = APIRouter(tags=["Matters"])

Source = Literal["resident", "field", "front_desk", "hotline", "open311"]


def table_filters(
    box: Annotated[
        Literal["mine", "grid", "unit", "cooperating", "all"],
        Query(description="As the inbox: mine, my grid, my unit, co-operating (a department's 协办), all I see"),
    ] = "all",
    status: Annotated[list[Status] | None, Query(description="Any of these statuses (repeat the parameter)")] = None,
    category_id: Annotated[list[Id] | None, Query(description="Any of these categories")] = None,
    grid_id: Annotated[Id | None, Query(description="Only this grid's (within what you may see)")] = None,
    community_id: Annotated[Id | None, Query(description="Only this community's (within what you may see)")] = None,
    source: Annotated[list[Source] | None, Query(description="Any of these sources")] = None,
    overdue: Annotated[bool | None, Query(description="true: open and past a deadline; false: the others")] = None,
    created_from: Annotated[Day | None, Query(description="Reported on or after this day (Beijing time)")] = None,
    created_to: Annotated[Day | None, Query(description="Reported on or before this day (Beijing time)")] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="A tracking code (or its start), or words of the description or the address",
        ),
    ] = None,
) -> desk.Filters:
    return desk.Filters(
        box=box,
        status=[s.value for s in status or []],
        category_id=list(category_id or []),
        grid_id=grid_id,
        community_id=community_id,
        source=list(source or []),
        overdue=overdue,
        created_from=created_from,
        created_to=created_to,
        q=q.strip() or None if q else None,
    )


TableFilters = Annotated[desk.Filters, Depends(table_filters)]
SortQuery = Annotated[
    Literal["created", "-created", "due", "-due", "status", "-status"],
    Query(description="created, due (the current step's deadline; finished ones last) or status; `-` descending"),
]


@router.get("/matters/table", response_model=schemas.DeskPage)
async def matters_table(
    db: ReadSessionDep,
    settings: SettingsDep,
    subject: DeskStaff,
    filters: TableFilters,
    sort: SortQuery = "-created",
    limit: Annotated[int, Query(ge=1, le=200, description="Page size")] = 50,
    after: Annotated[
        str | None, Query(max_length=400, description="The `next_after` of the page before (same filters and sort)")
    ] = None,
) -> Any:
    """The matters you may see, as the desk's table: every filter narrows that scope, never widens it. Pages follow
    `next_after` and stay exact under every sort (none skipped or repeated when rows share the sorted value).
    `total` is counted up to 1,000."""
    return await desk.page(db, subject, filters, sort=sort, limit=limit, after=after, settings=settings)


@router.get(
    "/matters/export.xlsx",
    response_class=Response,
    responses={200: {**XLSX_RESPONSES[200], "description": "The filtered rows, at most 10,000"}},
)
async def matters_export(
    db: ReadSessionDep, settings: SettingsDep, subject: DeskStaff, filters: TableFilters, sort: SortQuery = "-created"
) -> Response:
    """The table's rows with the same filters and sort as an Excel file (Chinese headers; phones masked), at most
    10,000: past that the file's 说明 sheet says so and `X-Export-Capped` is true."""
    items, capped = await desk.export_rows(db, subject, filters, sort=sort, settings=settings)
    counted = {"X-Export-Rows": str(len(items)), "X-Export-Capped": "true" if capped else "false"}
    described = desk.describe(filters, sort)
    return await xlsx_download("matters.xlsx", desk.xlsx, items, capped=capped, described=described, headers=counted)


@router.get("/handoffs/table", response_model=schemas.HandoffPage)
async def handoffs_table(
    db: ReadSessionDep,
    subject: DeskStaff,
    direction: Annotated[Literal["in", "out"], Query(description="Received by your unit, or sent by it")] = "in",
    state: Annotated[
        Literal["pending", "signed", "returned"] | None, Query(description="Not yet signed for, …")
    ] = None,
    created_from: Annotated[Day | None, Query(description="Handed on or after this day (Beijing time)")] = None,
    created_to: Annotated[Day | None, Query(description="Handed on or before this day (Beijing time)")] = None,
    q: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9]{1,16}$", description="A tracking code, or its start")] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size")] = 50,
    after: Annotated[str | None, Query(max_length=200, description="The `next_after` of the page before")] = None,
) -> Any:
    """工作单: the handoffs your unit received or sent (a station's, a street's, a department's; an administrator's
    area), newest first in keyset pages; `total` counts up to 1,000."""
    return await handoffs_table_mod.page(
        db,
        subject,
        direction=direction,
        state=state,
        created_from=created_from,
        created_to=created_to,
        q=q,
        limit=limit,
        after=after,
    )
