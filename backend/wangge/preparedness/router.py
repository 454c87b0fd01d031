"""HTTP routes of preparedness: supplies in reserve 应急物资储备 with stock in and out and their alerts, the XLSX of
the reserve, and the duty roster 值班表. Thin functions that hand the work to the services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from wangge.accounts.dependencies import R, requires
from wangge.accounts.scope import Subject
from wangge.deps import ReadSessionDep, SessionDep, SettingsDep
from wangge.imports import XLSX_RESPONSES, xlsx_download
from wangge.preparedness import exports, reserve, roster, schemas
from wangge.schemas_common import Id

router = APIRouter(tags=["Preparedness"])

ReserveReader = Annotated[
    Subject,
    requires(
        R.station_chief,
        R.street_officer,
        R.administrator,
        R.grid_leader,
        doing="read the reserve and the duty roster: station chiefs, street officers, administrators, grid leaders do",
    ),
]
ReserveKeeper = Annotated[
    Subject,
    requires(
        R.station_chief,
        R.street_officer,
        R.administrator,
        doing="keep the reserve and the duty roster: station chiefs, street officers and administrators do",
    ),
]


def _counts(items: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"low": 0, "expiring": 0, "expired": 0}
    for i in items:
        for a in i["alerts"]:
            counts[a] += 1
    return counts


@router.get("/reserve/items", response_model=schemas.ReserveItemList)
async def list_items(
    db: SessionDep,
    subject: ReserveReader,
    settings: SettingsDep,
    unit_level: schemas.UnitLevel | None = None,
    unit_id: Annotated[Id | None, Query()] = None,
    alert: Annotated[schemas.AlertKind | None, Query(description="Only items with this alert")] = None,
    include_inactive: bool = False,
) -> Any:
    """The items in reserve you may read (a station's by its chief and grid leaders, a street's by its officers),
    each with its alerts, and how many items have each alert."""
    rows = await reserve.list_items(
        db,
        subject=subject,
        settings=settings,
        unit_level=unit_level,
        unit_id=unit_id,
        alert=alert,
        include_inactive=include_inactive,
    )
    items = await reserve.items_out(db, rows, settings)
    return {"items": items, "expiry_days": settings.reserve_expiry_days, "alerts": _counts(items)}


@router.get("/reserve/items.xlsx", response_class=Response, responses=XLSX_RESPONSES)
async def items_xlsx(
    db: ReadSessionDep,
    subject: ReserveReader,
    settings: SettingsDep,
    unit_level: schemas.UnitLevel | None = None,
    unit_id: Annotated[Id | None, Query()] = None,
) -> Response:
    """The reserve ledger 应急物资台账 as a workbook, with who exported it and when."""
    rows = await reserve.list_items(
        db, subject=subject, settings=settings, unit_level=unit_level, unit_id=unit_id, alert=None,
        include_inactive=False,
    )  # fmt: skip
    items = await reserve.items_out(db, rows, settings)
    return await xlsx_download("reserve.xlsx", exports.reserve_xlsx, items, exporter=subject.username)


@router.post("/reserve/items", status_code=201, response_model=schemas.ReserveItemOut)
async def create_item(
    db: SessionDep, subject: ReserveKeeper, settings: SettingsDep, data: schemas.ReserveItemIn
) -> Any:
    item = await reserve.create_item(db, subject=subject, data=data)
    await db.commit()
    return (await reserve.items_out(db, [item], settings))[0]


@router.get("/reserve/items/{item_id}", response_model=schemas.ReserveItemOut)
async def get_item(db: SessionDep, subject: ReserveReader, settings: SettingsDep, item_id: Id) -> Any:
    item = await reserve.get_item(db, subject=subject, item_id=item_id)
    return (await reserve.items_out(db, [item], settings))[0]


@router.patch("/reserve/items/{item_id}", response_model=schemas.ReserveItemOut)
async def update_item(
    db: SessionDep, subject: ReserveKeeper, settings: SettingsDep, item_id: Id, data: schemas.ReserveItemUpdate
) -> Any:
    """Change an item (not its quantity: that moves with stock in and out), or deactivate it (is_active false)."""
    item = await reserve.update_item(db, subject=subject, item_id=item_id, data=data)
    await db.commit()
    return (await reserve.items_out(db, [item], settings))[0]


@router.post("/reserve/items/{item_id}/moves", status_code=201, response_model=schemas.StockMoveResult)
async def move_stock(
    db: SessionDep, subject: ReserveKeeper, settings: SettingsDep, item_id: Id, data: schemas.StockMoveIn
) -> Any:
    """Stock in 入库 or out 出库 with the reason; out beyond the stock is 409 `reserve-short`."""
    m = await reserve.move(db, subject=subject, item_id=item_id, data=data)
    await db.commit()
    item = await reserve.get_item(db, subject=subject, item_id=item_id)
    names = {subject.user_id: (await reserve.units.names(db, {subject.user_id})).get(subject.user_id, "")}
    return {"move": reserve.move_out(m, names), "item": (await reserve.items_out(db, [item], settings))[0]}


@router.get("/reserve/items/{item_id}/moves", response_model=list[schemas.StockMoveOut])
async def list_moves(
    db: SessionDep,
    subject: ReserveReader,
    item_id: Id,
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many, newest first")] = 100,
) -> Any:
    return await reserve.moves_out(db, subject=subject, item_id=item_id, limit=limit)


# --- the duty roster 值班表 -------------------------------------------------------------------------------------------


@router.get("/duty-roster", response_model=schemas.DutyRosterOut)
async def get_roster(
    db: SessionDep,
    subject: ReserveReader,
    unit_level: schemas.UnitLevel,
    unit_id: Id,
    month: Annotated[str, Query(pattern=schemas.MONTH_PATTERN, description="YYYY-MM")],
) -> Any:
    """Who is on duty each day of the month at the station or street, with the day's duty phone."""
    return await roster.month_out(db, subject=subject, unit_level=unit_level, unit_id=unit_id, month=month)


@router.put("/duty-roster", response_model=schemas.DutyRosterOut)
async def put_roster(db: SessionDep, subject: ReserveKeeper, data: schemas.DutyRosterIn) -> Any:
    """Set days of the roster (the station chief for the station, the street officer for the street); a day with
    no person is cleared; the days not given stay. Answers the month of the first day given."""
    month = await roster.put_days(db, subject=subject, data=data)
    await db.commit()
    return await roster.month_out(db, subject=subject, unit_level=data.unit_level, unit_id=data.unit_id, month=month)
