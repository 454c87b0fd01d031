"""API shapes of the station's day: triage meetings and decisions, supervision notes, the hazard cycle."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from wangge.matters.schemas import Latitude, Longitude, Target
from wangge.schemas_common import Id, Input, Output

Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=50)]
# A month the platform can have worked in: 2000-01 .. 2100-12. A year like 0000 would be stored and then break
# every date computed from it (the cycle's bulletin and list).
MONTH_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"
Month = Annotated[str, StringConstraints(pattern=MONTH_PATTERN)]
Decision = Literal["station", "escalate", "close", "merge"]
RiskLevel = Literal["major", "high", "medium", "low"]
HazardStatus = Literal["open", "assigned", "fixed", "closed"]


# --- triage ------------------------------------------------------------------------------------------------------


class MeetingOpen(Input):
    day: date | None = Field(None, description="The meeting's day (Beijing); today when left out")


class DecisionBody(Input):
    """What the chief decides on an item. `station`: handle in the station, to a line 条线 (`assignee`) and/or a
    person (`assignee_user_id`); `escalate`: to the street or a department (`target`, `reason`); `close`: with the
    explanation (`reason`); `merge`: as a duplicate of `into`."""

    decision: Decision
    assignee: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    assignee_user_id: Id | None = None
    note: Text | None = None
    reason: Text | None = None
    target: Target | None = None
    into: Id | None = Field(None, description="The matter id this one duplicates (merge)")

    @model_validator(mode="after")
    def _station_needs_someone(self) -> DecisionBody:
        if self.decision == "station" and not (self.assignee or self.assignee_user_id):
            raise ValueError("a station decision names the line or person: assignee and/or assignee_user_id")
        return self


class BatchDecision(DecisionBody):
    item_ids: list[Id] = Field(min_length=1, max_length=200)


class AttendeeIn(Input):
    user_id: Id | None = None
    name: Name
    role: Annotated[str, StringConstraints(max_length=50)] | None = None


class MinutesIn(Input):
    text: Annotated[str, StringConstraints(max_length=20000)]


# --- supervision -------------------------------------------------------------------------------------------------


class SupervisionNoteIn(Input):
    text: Text


# --- hazards -----------------------------------------------------------------------------------------------------


class CycleCreate(Input):
    community_id: Id
    month: Month
    template_codes: list[Annotated[str, StringConstraints(min_length=1, max_length=40)]] | None = None


class HazardFields(Input):
    place: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    hazard_type: Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,30}$")]
    risk_level: RiskLevel
    description: Text
    responsible_unit: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    deadline: date
    lat: Latitude | None = None
    lon: Longitude | None = None
    photo_ids: list[Id] = Field(default_factory=list, max_length=9)

    @model_validator(mode="after")
    def _both_or_neither(self) -> HazardFields:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class HazardCreate(HazardFields):
    grid_id: Id


ItemRemark = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class InspectionResults(Input):
    results: dict[str, Literal["ok", "hazard", "n/a"]]
    remarks: dict[str, ItemRemark] = Field(default_factory=dict, max_length=100, description="A note per item")
    hazards: list[HazardFields] = Field(default_factory=list, max_length=100)


class HazardUpdate(Input):
    status: HazardStatus
    note: Text | None = Field(None, description="How it was fixed (kept in the ledger entry)")
    photo_ids: list[Id] = Field(default_factory=list, max_length=9)


class HazardAssign(Input):
    category: Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,40}$")]
    target: Target | None = None
    reason: Text


class CycleMeeting(Input):
    held_at: datetime
    minutes: Annotated[str, StringConstraints(min_length=1, max_length=20000)]

    @model_validator(mode="after")
    def _aware(self) -> CycleMeeting:
        if self.held_at.tzinfo is None:
            raise ValueError("held_at needs a time zone")
        return self


class SpecialPeriodOut(Output):
    id: int
    street_id: int
    name: str
    start_date: date
    end_date: date


class SpecialPeriodList(Output):
    items: list[SpecialPeriodOut]


class SpecialPeriodCreate(Input):
    street_id: Id
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    start_date: date
    end_date: date

    @model_validator(mode="after")
    def _ordered(self) -> SpecialPeriodCreate:
        if self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


# --- checklist templates and the inspection tasks -----------------------------------------------------------------

ItemCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")]
HazardType = Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,30}$")]


class ChecklistItem(Input):
    code: ItemCode
    text_zh: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    text_en: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""


Items = Annotated[list[ChecklistItem], Field(min_length=1, max_length=100)]


def _unique_codes(items: list[ChecklistItem] | None) -> None:
    if items is None:
        return
    codes = [i.code for i in items]
    if len(set(codes)) != len(codes):
        raise ValueError("each item needs its own code")


class ChecklistCreate(Input):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
    street_id: Id | None = Field(None, description="The street whose own it is; none: for every street")
    name_zh: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
    name_en: Annotated[str, StringConstraints(strip_whitespace=True, max_length=80)] = ""
    hazard_type: HazardType
    items: Items

    @model_validator(mode="after")
    def _codes(self) -> ChecklistCreate:
        _unique_codes(self.items)
        return self


class ChecklistUpdate(Input):
    name_zh: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)] | None = None
    name_en: Annotated[str, StringConstraints(strip_whitespace=True, max_length=80)] | None = None
    hazard_type: HazardType | None = None
    items: Items | None = None
    is_active: bool | None = None

    @model_validator(mode="after")
    def _codes(self) -> ChecklistUpdate:
        _unique_codes(self.items)
        return self


class ChecklistItemOut(Output):
    code: str
    text_zh: str
    text_en: str = ""


class StreetRef(Output):
    id: int
    name: str


class ChecklistOut(Output):
    id: int
    code: str
    name_zh: str
    name_en: str
    hazard_type: str
    items: list[ChecklistItemOut]
    street: StreetRef | None
    is_active: bool
    can_edit: bool


class ChecklistList(Output):
    items: list[ChecklistOut]


class TaskChecklist(Output):
    code: str
    name_zh: str
    name_en: str = ""
    hazard_type: str = ""
    items: list[ChecklistItemOut]


class Ref(Output):
    id: int
    name: str


class InspectionTaskOut(Output):
    """An inspection task with the checklist as it was issued."""

    id: int
    cycle_id: int
    month: str
    community: Ref
    grid: Ref
    checklist: TaskChecklist
    assignee: Ref | None
    done: bool
    done_at: datetime | None
    results: dict[str, str]
    remarks: dict[str, str]
    may_submit: bool


class InspectionTaskList(Output):
    items: list[InspectionTaskOut]


# --- the hazard ledger 台账 --------------------------------------------------------------------------------------


class HazardGrid(Output):
    id: int
    name: str


class HazardOut(Output):
    id: int
    cycle_id: int | None
    task_id: int | None
    community_id: int
    grid: HazardGrid
    place: str
    lat: float | None
    lon: float | None
    hazard_type: str
    risk_level: str
    description: str
    responsible_unit: str
    deadline: date
    status: str
    overdue: bool = Field(description="Past its deadline (Beijing day) and not fixed")
    matter_id: int | None
    photo_ids: list[int]
    found_at: datetime
    found_by_id: int | None
    fixed_at: datetime | None


class HazardPage(Output):
    items: list[HazardOut]
    next_after: str | None = Field(description="Pass as `after` (with the same filters) for the next page")
    total: int = Field(description="Counted up to 1,000: `total_exact` is false when more matched")
    total_exact: bool
