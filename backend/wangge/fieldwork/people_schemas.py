"""API shapes of grid leaders and teams, A/B posts, leaves, on-duty answers, shifts and door-to-door service."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints, field_validator

from wangge.fieldwork.models import STAFF_TYPES, TEAM_ROLES
from wangge.schemas_common import Id, Input, KeysetPage, Output

Name = Annotated[str, StringConstraints(min_length=1, max_length=50)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9-]{5,20}$")]
Note = Annotated[str, StringConstraints(max_length=2000)]
HHMM = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$")]
TeamRole = Literal[TEAM_ROLES]  # type: ignore[valid-type]
StaffType = Literal[STAFF_TYPES]  # type: ignore[valid-type]
IdNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{17}[0-9Xx]$")]


def _gb11643(value: str) -> str:
    from wangge.registries.personal import check_digit

    number = value.upper()
    if check_digit(number[:17]) != number[17]:
        raise ValueError("the check digit does not match (GB 11643)")
    return number


# A special-group resident's number: also its check digit, stored upper-case (the form its keyed hash is taken of).
CheckedIdNumber = Annotated[IdNumber, AfterValidator(_gb11643)]


class Ref(Output):
    id: int
    name: str


# --- leaders and teams -----------------------------------------------------------------------------------------


class LeaderIn(Input):
    user_id: Id


class LeaderCandidate(Output):
    """An active grid leader of the community: the one whose `grid_id` is a grid may be named its leader."""

    user_id: int
    name: str
    role: str
    grid_id: int


class LeadershipOut(Output):
    id: int
    grid_id: int
    user: Ref
    started_at: datetime
    ended_at: datetime | None
    assigned_by: Ref | None


def _unique(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        raise ValueError("each staff type once")
    return values


class TeamMemberIn(Input):
    name: Name
    phone: Phone | None = None
    user_id: Id | None = None
    team_role: TeamRole
    staff_types: list[StaffType] = Field(default_factory=list)
    start_date: date
    note: Note | None = None

    _check_types = field_validator("staff_types")(_unique)


class TeamMemberUpdate(Input):
    name: Name | None = None
    phone: Phone | None = None
    team_role: TeamRole | None = None
    staff_types: list[StaffType] | None = None
    start_date: date | None = None
    note: Note | None = None

    @field_validator("staff_types")
    @classmethod
    def _types(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else _unique(v)


class TeamMemberEnd(Input):
    end_date: date


class TeamMemberOut(Output):
    id: int
    grid_id: int
    user_id: int | None
    name: str
    phone: str | None
    team_role: str
    staff_types: list[str]
    start_date: date
    end_date: date | None
    note: str | None
    active: bool


# --- A/B posts -------------------------------------------------------------------------------------------------


class PairIn(Input):
    grid_a_id: Id
    grid_b_id: Id


class GridRef(Output):
    id: int
    code: str
    name: str
    leader: Ref | None = None


class PairOut(Output):
    id: int
    grid_a: GridRef
    grid_b: GridRef
    distance_m: float
    created_at: datetime
    ended_at: datetime | None
    active: bool


class PairSuggestion(Output):
    """Two adjacent grids of a community, neither in an active pair: POST them to /post-pairs to pair them."""

    grid_a: GridRef
    grid_b: GridRef
    distance_m: float


# --- leave -----------------------------------------------------------------------------------------------------


class LeaveIn(Input):
    start_at: AwareDatetime
    end_at: AwareDatetime
    reason: Annotated[str, StringConstraints(max_length=500)] = ""


class LeaveApprove(Input):
    note: Note | None = None
    accept_both_away: bool = False


class LeaveRefuse(Input):
    note: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class LeaveOut(Output):
    id: int
    user: Ref
    grid: GridRef
    start_at: datetime
    end_at: datetime
    reason: str
    status: str
    decided_by: Ref | None
    decided_at: datetime | None
    decision_note: str | None
    both_away: bool
    no_partner: bool
    partner: GridRef | None
    created_at: datetime


# --- on duty ---------------------------------------------------------------------------------------------------


class OnDutyOut(Output):
    grid_id: int
    at: datetime
    user: Ref | None
    leader: Ref | None
    covering: bool
    covered_grid_id: int | None
    partner_grid_id: int | None
    reason: str
    on_shift: bool | None = None


class OnDutyNow(OnDutyOut):
    grid: GridRef


class CoverOut(Output):
    at: datetime
    covering: list[OnDutyNow]
    covered_by: OnDutyOut | None


# --- shifts ----------------------------------------------------------------------------------------------------


class ShiftIn(Input):
    user_id: Id | None = None
    weekday: Annotated[int, Field(ge=0, le=6)]
    start_time: HHMM
    end_time: HHMM
    label: Annotated[str, StringConstraints(max_length=30)] | None = None


class ShiftOut(Output):
    id: int
    user: Ref
    weekday: int
    start_time: str
    end_time: str
    label: str | None


class RosterShift(Output):
    user: Ref
    grid: GridRef | None
    start_time: str
    end_time: str
    label: str | None
    away: bool


class RosterCover(Output):
    grid: GridRef
    leader: Ref
    leave_id: int
    start_at: datetime
    end_at: datetime
    covered_by: Ref | None
    reason: str


class RosterDay(Output):
    day: date
    weekday: int
    shifts: list[RosterShift]
    covers: list[RosterCover]


class RosterOut(Output):
    community_id: int
    week: date
    days: list[RosterDay]


# --- door-to-door service --------------------------------------------------------------------------------------


class SpecialGroupOut(Output):
    id: int
    code: str
    name_zh: str
    name_en: str
    visit_every_days: int
    is_active: bool


class SpecialGroupUpdate(Input):
    name_zh: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    name_en: Annotated[str, StringConstraints(min_length=1, max_length=80)] | None = None
    visit_every_days: Annotated[int, Field(ge=1, le=366)] | None = None
    is_active: bool | None = None


class ResidentIn(Input):
    grid_id: Id
    group_id: Id
    building_id: Id | None = None
    name: Name
    phone: Phone | None = None
    id_number: CheckedIdNumber | None = None
    address: Annotated[str, StringConstraints(max_length=200)] | None = None
    visit_every_days: Annotated[int, Field(ge=1, le=366)] | None = None
    note: Note | None = None


class ResidentUpdate(Input):
    group_id: Id | None = None
    building_id: Id | None = None
    name: Name | None = None
    phone: Phone | None = None
    id_number: CheckedIdNumber | None = None
    address: Annotated[str, StringConstraints(max_length=200)] | None = None
    visit_every_days: Annotated[int, Field(ge=1, le=366)] | None = None
    note: Note | None = None


class ResidentOut(Output):
    id: int
    grid_id: int
    group: SpecialGroupOut
    building_id: int | None
    name: str
    phone: str | None
    id_number: str | None
    address: str | None
    visit_every_days: int | None
    required_every_days: int
    note: str | None
    is_active: bool
    last_visited_at: datetime | None
    created_at: datetime


class VisitIn(Input):
    visited_at: AwareDatetime
    notes: Annotated[str, StringConstraints(max_length=4000)] = ""
    partner_id: Id | None = None


class VisitOut(Output):
    id: int
    resident_id: int
    visited_at: datetime
    visitors: list[Ref]
    notes: str
    created_by: Ref
    created_at: datetime


class OverdueOut(Output):
    resident: ResidentOut
    grid: GridRef
    never_visited: bool
    days_since_visit: int | None
    days_overdue: int | None


# --- the desk's table of home visits -------------------------------------------------------------------------------


class VisitResident(Output):
    id: int
    name: str
    phone: str | None = Field(description="Masked for everyone here")


class VisitGroup(Output):
    id: int
    code: str
    name_zh: str
    name_en: str


class VisitTableRow(Output):
    id: int
    visited_at: datetime
    resident: VisitResident
    group: VisitGroup
    grid: Ref
    visitors: list[Ref]
    notes: str
    created_by: Ref | None


class VisitTablePage(KeysetPage[VisitTableRow]):
    sort: str
