"""API shapes of emergencies: incidents and their reports, response tiers, activations and muster, plans, drills."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StringConstraints, field_validator, model_validator

from wangge.schemas_common import Id, Input, KeysetPage, Output

IncidentType = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{0,29}$")]
Text200 = Annotated[str, StringConstraints(min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=5000)]
UnitLevel = Literal["community", "street"]
ReportKind = Literal["first", "followup", "final"]


# --- incidents -------------------------------------------------------------------------------------------------


class IncidentIn(Input):
    incident_type: IncidentType
    severity: int = Field(ge=1, le=4, description="1 (I, most severe) .. 4 (IV)")
    title: Text200
    place: Text200
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    occurred_at: AwareDatetime | None = None
    nature: LongText | None = Field(None, description="What is known so far; travels in the notification")

    @model_validator(mode="after")
    def _point_whole(self) -> IncidentIn:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class Casualties(Input):
    dead: int = Field(0, ge=0)
    injured: int = Field(0, ge=0)
    missing: int = Field(0, ge=0)


class ReportIn(Input):
    kind: ReportKind
    nature: Annotated[str, StringConstraints(min_length=1, max_length=5000)]
    casualties: Casualties = Field(default_factory=Casualties)
    scene_status: Annotated[str, StringConstraints(min_length=1, max_length=5000)]
    measures: LongText | None = None


class ReportOut(Output):
    id: int
    sequence: int
    kind: ReportKind
    reported_at: datetime
    due_at: datetime
    late_seconds: int
    late: bool
    author_id: int
    nature: str
    casualties: dict[str, int]
    scene_status: str
    measures: str | None


class ReportClock(Output):
    next_kind: Literal["first", "followup"] | None = Field(
        description="The report due next (a final report may follow any time after the first); null once closed"
    )
    next_due_at: datetime | None
    overdue: bool


class IncidentOut(Output):
    id: int
    code: str
    incident_type: str
    severity: int
    severity_label: str
    title: str
    place: str
    lat: float | None
    lon: float | None
    district_id: int | None
    street_id: int | None
    community_id: int | None
    grid_id: int | None
    matter_id: int | None
    raised_by_id: int
    occurred_at: datetime
    known_at: datetime
    first_report_due_at: datetime
    followup_minutes: int
    status: Literal["open", "closed"]
    closed_at: datetime | None
    clock: ReportClock


class MemberMuster(Output):
    user_id: int
    name: str
    duty: str | None
    acknowledged_at: datetime | None
    arrived_at: datetime | None
    muster_seconds: int | None = Field(description="From the activation to this member's arrival")
    within_target: bool | None = Field(description="null while not arrived and the target has not yet passed")


class TierRef(Output):
    id: int
    unit_level: UnitLevel
    unit_id: int
    tier: int
    name: str


class ActivationOut(Output):
    id: int
    incident_id: int
    tier: TierRef
    activated_at: datetime
    activated_by_id: int
    target_minutes: int
    members: list[MemberMuster]
    all_arrived: bool
    mustered_at: datetime | None = Field(description="When the last member arrived; null while someone is missing")
    muster_seconds: int | None
    within_target: bool | None = Field(description="null while someone is missing and the target has not passed")


class PlanOut(Output):
    id: int
    unit_level: UnitLevel
    unit_id: int
    title: str
    incident_types: list[str]
    owner_id: int | None
    body: str
    reviewed_on: date | None
    review_due_on: date
    review_overdue: bool
    is_active: bool


class IncidentDetail(IncidentOut):
    reports: list[ReportOut]
    activations: list[ActivationOut]
    plans: list[PlanOut]


# --- response tiers --------------------------------------------------------------------------------------------


class TierMemberIn(Input):
    user_id: Id
    duty: Annotated[str, StringConstraints(max_length=100)] | None = None


class TierIn(Input):
    unit_level: UnitLevel
    unit_id: Id
    tier: int = Field(ge=1, le=3)
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    members: list[TierMemberIn] = Field(min_length=1, max_length=200)

    @field_validator("members")
    @classmethod
    def _each_once(cls, members: list[TierMemberIn]) -> list[TierMemberIn]:
        if len({m.user_id for m in members}) != len(members):
            raise ValueError("each member once")
        return members


class TierMemberOut(Output):
    user_id: int
    name: str
    duty: str | None


class TierOut(TierRef):
    members: list[TierMemberOut]


class TierCandidate(Output):
    user_id: int
    name: str
    role: str


class ActivationIn(Input):
    tier_id: Id


# --- plans and drills ------------------------------------------------------------------------------------------


class PlanIn(Input):
    unit_level: UnitLevel
    unit_id: Id
    title: Text200
    incident_types: list[IncidentType] = Field(min_length=1, max_length=30)
    owner_id: Id | None = None
    body: LongText = ""
    reviewed_on: date | None = None
    review_due_on: date


class PlanUpdate(Input):
    title: Text200 | None = None
    incident_types: list[IncidentType] | None = Field(None, min_length=1, max_length=30)
    owner_id: Id | None = None
    body: LongText | None = None
    reviewed_on: date | None = None
    review_due_on: date | None = None
    is_active: bool | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> PlanUpdate:
        for name in ("title", "incident_types", "body", "review_due_on", "is_active"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class Participant(Input):
    user_id: Id | None = None
    name: Annotated[str, StringConstraints(min_length=1, max_length=50)]


class DrillIn(Input):
    plan_id: Id | None = None
    unit_level: UnitLevel
    unit_id: Id
    held_on: date
    title: Text200
    participants: list[Participant] = Field(min_length=1, max_length=500)
    findings: LongText = ""


class DrillOut(Output):
    id: int
    plan_id: int | None
    unit_level: UnitLevel
    unit_id: int
    held_on: date
    title: str
    participants: list[dict[str, int | str | None]]
    findings: str
    created_by_id: int
    created_at: datetime


class IncidentPage(KeysetPage[IncidentOut]):
    pass


# --- a report in the district emergency office's form ----------------------------------------------------------


class DistrictReport(Output):
    """A report 首报/续报/终报 as the district emergency office's form holds it (突发事件信息报告), in Chinese with
    Beijing times (`*_local`) beside the instants; the same facts the webhook event `incident.report` carries."""

    number: str = Field(description="The report's number: the incident's code and the report's sequence")
    incident_id: int
    report_id: int
    code: str
    sequence: int
    kind: ReportKind
    kind_zh: str
    title: str
    incident_type: str
    incident_type_zh: str
    severity: int
    severity_zh: str
    occurred_at: datetime
    occurred_at_local: str
    place: str
    street: str
    community: str
    grid: str
    lat: float | None
    lon: float | None
    nature: str
    casualties: dict[str, int]
    scene_status: str
    measures: str
    reporter: str
    reporter_phone: str
    reporting_unit: str
    reported_at: datetime
    reported_at_local: str
    due_at: datetime
    late_seconds: int
