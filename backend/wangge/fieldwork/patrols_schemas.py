"""API shapes of patrols, check-ins, findings, coverage and the daily log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, StringConstraints, model_validator

from wangge.fieldwork.people_schemas import Ref
from wangge.schemas_common import Id, Input, KeysetPage, Output

ClientId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[\x21-\x7e]+$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
MAX_POINTS = 2000


class PatrolStart(Input):
    client_id: ClientId
    started_at: AwareDatetime
    grid_id: Id | None = None


class PatrolStop(Input):
    ended_at: AwareDatetime


class PointIn(Input):
    client_id: ClientId
    recorded_at: AwareDatetime
    lat: Latitude
    lon: Longitude
    accuracy_m: Annotated[float, Field(ge=0, le=100_000)] | None = None


class PointBatch(Input):
    batch_id: ClientId
    points: list[PointIn] = Field(min_length=1, max_length=MAX_POINTS)


class CheckInIn(Input):
    client_id: ClientId
    building_id: Id
    at: AwareDatetime
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class FindingIn(Input):
    client_id: ClientId
    at: AwareDatetime
    category: Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,40}$")]
    description: Text
    lat: Latitude | None = None
    lon: Longitude | None = None
    photo_ids: list[Id] = Field(default_factory=list, max_length=9)
    handled_on_spot: bool = False
    result: Text | None = None

    @model_validator(mode="after")
    def _check(self) -> FindingIn:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        if self.handled_on_spot and not self.result:
            raise ValueError("a finding handled on the spot needs its result")
        return self


class PatrolOut(Output):
    id: int
    client_id: str
    grid_id: int
    user_id: int
    started_at: datetime
    ended_at: datetime | None
    distance_m: float
    point_count: int
    flagged_count: int


class PointOut(Output):
    client_id: str
    recorded_at: datetime
    lat: float
    lon: float
    flagged: bool
    flag_reason: str | None


class CheckInOut(Output):
    id: int
    client_id: str
    building_id: int
    at: datetime
    note: str | None


class MatterRef(Output):
    id: int
    tracking_code: str
    status: str


class FindingOut(Output):
    id: int
    client_id: str
    at: datetime | None = None
    handled_on_spot: bool | None = None
    note: str | None = None
    matter: MatterRef | None


class PatrolDetail(PatrolOut):
    track: dict[str, Any] | None
    points: list[PointOut]
    checkins: list[CheckInOut]
    findings: list[FindingOut]


class SummaryCheckIn(Output):
    building_id: int
    building_name: str
    at: datetime
    note: str | None


class SummaryFinding(Output):
    id: int
    at: datetime
    handled_on_spot: bool
    note: str | None
    matter_id: int | None
    tracking_code: str | None
    status: str | None
    category_code: str | None
    category_name: str | None


class PatrolSummary(Output):
    """What a patrol came to: its time, distance, the share of its grid within the coverage buffer of its own track
    (0 to 1, computed by the database), its findings and check-ins."""

    id: int
    grid_id: int
    grid_name: str | None
    started_at: datetime
    ended_at: datetime | None
    duration_s: int
    distance_m: float
    point_count: int
    covered_share: float
    checkins: list[SummaryCheckIn]
    findings: list[SummaryFinding]


class BatchResult(Output):
    batch_id: str
    received: int
    new_points: int
    duplicates: int
    flagged: list[str]
    patrol: PatrolOut


class PatrolPage(Output):
    items: list[PatrolOut]
    total: int


class GridCoverageOut(Output):
    grid_id: int
    from_: date = Field(serialization_alias="from")
    to: date
    patrolled: bool
    patrol_count: int
    distance_m: float
    covered_share: float
    buildings_visited: int
    buildings_total: int


class UnpatrolledGrid(Output):
    id: int
    code: str
    name: str


class Unpatrolled(Output):
    day: date
    grids: list[UnpatrolledGrid]


# --- the daily log -----------------------------------------------------------------------------------------------

Disposition = Literal["handled", "brought_back", "escalated", "emergency", "approval", "carried_over"]


class DispositionIn(Input):
    """A disposition given by hand: carried over 结转 (with a note saying why, as the form asks), or handled for a
    patrol finding that did not become a matter (a note optional). A matter's item is handled only through the
    matter's own action (resolve, hand over), and then its status gives the disposition."""

    disposition: Literal["carried_over", "handled"]
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class ItemRef(Output):
    kind: str
    id: int
    title: str


class DayItem(ItemRef):
    status: str | None
    disposition: str | None
    note: str | None = None
    derived: bool
    needs_disposition: bool


class Person(Output):
    id: int
    name: str


class Remark(Output):
    """A remark 督查意见 on a leader's day or week; read_at: when the leader marked it read."""

    id: int
    kind: Literal["day", "week"]
    day: date
    text: str
    author: Person
    created_at: datetime
    read_at: datetime | None


class MyDay(Output):
    day: date
    grid: dict[str, Any] | None
    patrols: list[PatrolOut]
    items: list[DayItem]
    signed_at: datetime | None
    can_sign: bool
    blocking: list[ItemRef]
    remarks: list[Remark] = []
    # Remarks not read yet on other days or on weeks, newest first (at most 20).
    unread_elsewhere: list[Remark] = []


class WeekDay(Output):
    day: date
    signed_at: datetime | None
    patrols: int
    distance_m: float
    items: int


class Week(Output):
    start: date
    end: date
    days_signed: int
    patrols: int
    distance_m: float
    items_by_disposition: dict[str, int]
    days: list[WeekDay]
    remarks: list[Remark] = []


# --- the leaders' logs, read by the station chief and the street above 有人督查 ----------------------------------

RemarkText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class RemarkIn(Input):
    text: RemarkText


class LeaderRef(Output):
    id: int
    name: str
    grid: dict[str, Any]


class LogCell(Output):
    """One leader's day in the list: signed or not (and when), its items, the remarks left on it."""

    day: date
    signed_at: datetime | None
    items: int
    remarks: int


class LeaderLogs(Output):
    leader: LeaderRef
    days: list[LogCell]


class LogPage(Output):
    start: date
    end: date
    items: list[LeaderLogs]
    next_after: int | None


class LeaderDay(MyDay):
    leader: LeaderRef


class LeaderWeek(Week):
    leader: LeaderRef


# --- the desk's table of patrols -----------------------------------------------------------------------------------


class PatrolTableRow(Output):
    """A patrol summed up: no coordinate of its track."""

    id: int
    leader: Ref
    grid: Ref
    started_at: datetime
    ended_at: datetime | None
    duration_s: int | None = Field(description="Seconds from start to end; none while it goes on")
    distance_m: float
    point_count: int
    flagged_count: int = Field(description="Points flagged as implausible (an impossible speed)")
    checkin_count: int
    finding_count: int


class PatrolTablePage(KeysetPage[PatrolTableRow]):
    sort: str
