"""API shapes of household sweeps 逐户排查."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StringConstraints

from wangge.schemas_common import Day, Id, Input, Output
from wangge.sweeps.models import Purpose, Result

TaskState = Literal["all", "missed", "done", "abnormal"]


class SweepIn(Input):
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    purpose: Purpose = Field(description="疫情排查 epidemic, 出租房屋普查 rental_census, 人口信息核查 population, …")
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None
    grid_ids: list[Id] = Field(min_length=1, max_length=500, description="The grids swept, in your area")
    start_on: Day
    due_on: Day


class TickIn(Input):
    result: Result = Field(
        description="正常 normal, 异常 abnormal (with a note), 无人在家 absent (revisit), 空置 vacant"
    )
    note: Annotated[str, StringConstraints(max_length=1000)] | None = None
    ticked_at: AwareDatetime | None = Field(
        None, description="When the household was ticked on the phone (an offline tick arrives later); default now"
    )


class Progress(Output):
    total: int = Field(description="Households of the campaign (in your scope)")
    done: int = Field(description="Ticked with a final result: normal, abnormal or vacant")
    abnormal: int
    revisit: int = Field(description="Ticked 无人在家: to be visited again (counted as missed)")
    not_yet: int = Field(description="Not ticked at all")
    missed: int = Field(description="not_yet + revisit: the households still to check")


class GridProgress(Progress):
    grid_id: int
    grid_name: str


class BuildingProgress(Progress):
    grid_id: int
    building_id: int
    building_name: str


class SweepOut(Output):
    id: int
    title: str
    purpose: Purpose
    note: str | None
    start_on: date
    due_on: date
    street_id: int
    community_id: int | None
    created_by_id: int
    created_by_name: str
    created_at: datetime
    status: Literal["open", "closed"]
    closed_at: datetime | None
    overdue: bool = Field(description="Open past its due date")
    grid_ids: list[int]
    grid_names: list[str]
    progress: Progress
    may_close: bool
    may_tick: bool = Field(description="The caller may tick households of it now (open, started, grid staff or chief)")


class SweepDetail(SweepOut):
    grids: list[GridProgress] = Field(description="Progress per grid in your scope")
    buildings: list[BuildingProgress] = Field(description="Progress per building in your scope")


class TaskOut(Output):
    id: int
    sweep_id: int
    house_id: int
    label: str
    grid_id: int
    building_id: int
    building_name: str
    unit: str
    floor: int
    room: str
    use: str = Field(description="The house's use in the registry: owner_occupied, rented, vacant, business")
    result: Result | None
    note: str | None
    ticked_at: datetime | None
    ticked_by_name: str | None
    ticks: int = Field(description="How many ticks arrived (each one is a registry event)")


class SweepableGrid(Output):
    id: int
    code: str
    name: str
    community_id: int
    houses: int = Field(description="Active houses in the registry: the tasks a campaign makes here")
