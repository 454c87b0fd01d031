"""API shapes of preparedness: items in reserve, stock moves, and the duty roster."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from wangge.hierarchy.phones import DutyPhoneIn
from wangge.schemas_common import Day, Id, Input, Output

UnitLevel = Literal["community", "street"]
Category = Literal["flood", "fire", "medical", "food", "rescue", "power", "other"]
AlertKind = Literal["low", "expiring", "expired"]
MONTH_PATTERN = r"^(19|20)\d\d-(0[1-9]|1[0-2])$"
Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Measure = Annotated[str, StringConstraints(min_length=1, max_length=10)]
Location = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Note = Annotated[str, StringConstraints(max_length=2000)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
Amount = Annotated[int, Field(ge=1, le=10_000_000)]


class PreparednessUnit(Output):
    level: UnitLevel
    id: int
    name: str


class PreparednessPerson(Output):
    id: int
    name: str


class ReserveItemIn(Input):
    unit_level: UnitLevel = Field(description="community: the station's reserve; street: the street office's")
    unit_id: Id
    name: Name
    category: Category = "other"
    measure: Measure = Field(description="The unit of measure: 件, 箱, 个, 台 …")
    quantity: Count = Field(0, description="In stock now (recorded as the first stock in)")
    min_quantity: Count = Field(0, description="Below this the item is low 库存不足")
    location: Location = Field(description="Where it is kept 存放地点")
    expires_on: Day | None = Field(None, description="Expiry date 有效期至, if it has one")
    keeper_id: Id | None = Field(None, description="Who keeps it: an active staff member of the unit")
    note: Note | None = None


class ReserveItemUpdate(Input):
    name: Name | None = None
    category: Category | None = None
    measure: Measure | None = None
    min_quantity: Count | None = None
    location: Location | None = None
    expires_on: Day | None = None
    keeper_id: Id | None = None
    note: Note | None = None
    is_active: bool | None = None


class ReserveItemOut(Output):
    id: int
    unit: PreparednessUnit
    name: str
    category: str
    measure: str
    quantity: int
    min_quantity: int
    location: str
    expires_on: date | None
    keeper: PreparednessPerson | None
    note: str
    is_active: bool
    alerts: list[AlertKind] = Field(description="low 库存不足, expiring 即将过期, expired 已过期")
    updated_at: datetime


class ReserveItemList(Output):
    items: list[ReserveItemOut]
    expiry_days: int = Field(description="An item expiring within this many days is `expiring`")
    alerts: dict[str, int] = Field(description="How many listed items have each alert")


class StockMoveIn(Input):
    direction: Literal["in", "out"] = Field(description="in 入库, out 出库")
    quantity: Amount
    reason: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(description="Why 事由")


class StockMoveOut(Output):
    id: int
    item_id: int
    direction: str
    quantity: int
    balance: int = Field(description="The item's quantity after this move")
    reason: str
    at: datetime
    by: PreparednessPerson


class StockMoveResult(Output):
    move: StockMoveOut
    item: ReserveItemOut


class DutyDayIn(Input):
    day: Day
    user_id: Id | None = Field(description="Who is on duty; null clears the day")
    duty_phone: DutyPhoneIn | None = Field(None, description="The duty phone of that day, published on public pages")
    note: Annotated[str, StringConstraints(max_length=200)] | None = None


class DutyRosterIn(Input):
    unit_level: UnitLevel
    unit_id: Id
    days: list[DutyDayIn] = Field(min_length=1, max_length=62)


class DutyDayOut(Output):
    day: date
    user: PreparednessPerson
    duty_phone: str | None
    note: str


class DutyRosterOut(Output):
    unit: PreparednessUnit
    month: str
    editable: bool = Field(description="The caller may change this roster")
    days: list[DutyDayOut]
