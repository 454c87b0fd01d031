"""API shapes of matters: intake (staff and public), actions, and what a record shows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

from wangge.schemas_common import Id, Input, KeysetPage, Output, Page  # noqa: F401 - routers use schemas.Page

Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9-]{5,20}$")]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
CategoryCode = Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,40}$")]


class LimitIn(Input):
    amount: int = Field(ge=1, le=2000)
    unit: Literal["minutes", "working_minutes", "working_hours", "working_days"]

    @model_validator(mode="after")
    def _a_year_at_most(self) -> LimitIn:
        from wangge.workcalendar import TimeLimit

        TimeLimit(self.amount, self.unit)  # its own bounds (a year of each unit)
        return self


class ApplicationLimit(Input):
    max_count: int = Field(ge=0, le=10, description="How many may be approved per matter (0: none)")
    max_days: int = Field(ge=1, le=365, description="How long one may be, in days")


class LoopRules(Input):
    """The steps around a category's routes: how soon the requester is contacted, how many and how long extensions
    and suspensions may be, whether a resolution is verified and whether that closes it, when the station calls
    back, whether it is mediated."""

    contact: LimitIn | None = None
    extension: ApplicationLimit = ApplicationLimit(max_count=2, max_days=10)
    suspension: ApplicationLimit = ApplicationLimit(max_count=1, max_days=30)
    verify: bool = False
    close_on: Literal["rating", "verification"] = "rating"
    callback_after_days: int = Field(3, ge=1, le=60)
    callback_tries: int = Field(3, ge=1, le=10)
    mediation: bool = False

    @model_validator(mode="after")
    def _verification_closes_only_when_verified(self) -> LoopRules:
        if self.close_on == "verification" and not self.verify:
            raise ValueError("a category that closes on verification must verify")
        return self


class CategoryOut(Output):
    id: int
    code: str
    name_zh: str
    name_en: str
    icon: str
    level: str
    department_id: int | None
    default_route: str
    is_emergency: bool
    time_limits: dict[str, Any]
    open311_code: str | None
    is_active: bool
    loop_rules: dict[str, Any] = Field(default_factory=dict, description="LoopRules, as saved")
    resident_facing: bool = Field(False, description="Offered to residents on the report page (居民可选)")
    public_name_zh: str | None = Field(None, description="The plain name residents see (Chinese)")
    public_name_en: str | None = Field(None, description="The plain name residents see (English)")


class CategoryUpdate(Input):
    """Only the fields sent change. `department_id` may be null (no owning department); the others may be left
    out but not set to null (their type has no null, and a default is not validated): a null is a 422 naming it."""

    name_zh: Annotated[str, StringConstraints(min_length=1, max_length=50)] = None  # type: ignore[assignment]
    name_en: Annotated[str, StringConstraints(min_length=1, max_length=80)] = None  # type: ignore[assignment]
    icon: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,40}$")] = None  # type: ignore[assignment]
    department_id: Id | None = None
    default_route: Literal["on_spot", "station", "escalated", "emergency", "approval"] = None  # type: ignore[assignment]
    time_limits: dict[str, Any] = None  # type: ignore[assignment]
    is_active: bool = None  # type: ignore[assignment]
    loop_rules: LoopRules = None  # type: ignore[assignment]
    resident_facing: bool = None  # type: ignore[assignment]
    public_name_zh: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    public_name_en: Annotated[str, StringConstraints(min_length=1, max_length=80)] | None = None


class _Place(Input):
    lat: Latitude | None = None
    lon: Longitude | None = None
    address: Annotated[str, StringConstraints(max_length=300)] | None = None

    @model_validator(mode="after")
    def _both_or_neither(self) -> _Place:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class MatterCreate(_Place):
    """A matter entered by staff: from the field (a grid leader's own finding) or at the front desk for a caller."""

    category: CategoryCode
    description: Text
    source: Literal["field", "front_desk"] = "field"
    reporter_name: Annotated[str, StringConstraints(max_length=50)] | None = None
    reporter_phone: Phone | None = None
    handled_on_spot: bool = False
    result: Text | None = None
    photo_ids: list[Id] = Field(default_factory=list, max_length=9)

    @model_validator(mode="after")
    def _result_when_done(self) -> MatterCreate:
        if self.handled_on_spot and not self.result:
            raise ValueError("a matter handled on the spot needs its result")
        return self


class PublicMatterCreate(Input):
    """A resident's request, with no account: the place, a phone number to follow it, optional photos."""

    category: CategoryCode
    description: Text
    lat: Latitude
    lon: Longitude
    address: Annotated[str, StringConstraints(max_length=300)] | None = None
    reporter_name: Annotated[str, StringConstraints(max_length=50)] | None = None
    reporter_phone: Annotated[str, StringConstraints(pattern=r"^1[0-9]{10}$")]
    photo_tokens: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{10,40}$")]] = Field(
        default_factory=list, max_length=9
    )


class Target(Input):
    level: Literal["street", "department"]
    department_id: Id | None = None


class ContactIn(Input):
    """Contacting the requester first 先行联系: how, when, whether they answered (after how many tries), what was
    agreed."""

    method: Literal["phone", "sms", "visit", "other"]
    answered: bool = True
    tries: int = Field(1, ge=1, le=20)
    at: datetime | None = Field(None, description="When; now if left out")
    agreed: Annotated[str, StringConstraints(max_length=2000)] | None = None


class PartyIn(Input):
    """A party to a dispute (personal data: the phone is masked to those who may not read it)."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    phone: Phone | None = None
    role: Annotated[str, StringConstraints(max_length=30)] | None = None


class SessionIn(Input):
    """A mediation session 调解: when, who mediated, how it ended; an agreement's text and its follow-up date."""

    held_on: date
    mediators: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    outcome: Literal["agreed", "continued", "failed"]
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None
    agreement: Annotated[str, StringConstraints(max_length=4000)] | None = None
    follow_up_on: date | None = None
    parties: list[PartyIn] | None = Field(None, max_length=10, description="The parties, replacing those recorded")


class ActionIn(Input):
    """The body of an action: the fields its row in the table needs (the record's `actions[].needs`)."""

    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)] | None = None
    result: Text | None = None
    target: Target | None = None
    into: Id | None = Field(None, description="The matter this one is a duplicate of (merge)")
    contact: ContactIn | None = None
    until: date | None = Field(None, description="An extension's new deadline, or the day a suspension ends")
    note: Text | None = None
    photos: list[Id] | None = Field(
        None,
        max_length=9,
        description="Photos uploaded with POST /photos: a verification's on-site photos, a resolution's after photos",
    )
    answer: Literal["satisfied", "basically_satisfied", "not_satisfied", "unreachable"] | None = Field(
        None, description="The resident's answer to a callback 回访"
    )
    session: SessionIn | None = None
    departments: list[Id] | None = Field(None, max_length=10, description="Departments convened to co-operate")
    part: Text | None = Field(None, description="A co-operating department's part 协办情况")


class PlaceIn(Input):
    lat: Latitude
    lon: Longitude
    address: Annotated[str, StringConstraints(max_length=300)] | None = None


class OverrideIn(Input):
    is_workday: bool
    note: Annotated[str, StringConstraints(max_length=100)] | None = None


class OverrideOut(Output):
    day: date
    is_workday: bool
    note: str | None


class CalendarYearIn(Input):
    complete: bool


class CalendarYearOut(Output):
    year: int
    complete: bool


class CalendarStatus(Output):
    known_years: list[int]
    covers_this_year: bool
    covers_next_year: bool
    overrides: list[OverrideOut]
    complete_years: list[int] = Field(description="Years entered in full by hand (the library does not know them)")
    message: str | None


class Verify(Input):
    """Proof of owning the request: the token of the tracking link, or the phone's last four digits."""

    token: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    phone_last4: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")] | None = None

    @model_validator(mode="after")
    def _one_proof(self) -> Verify:
        if self.token is None and self.phone_last4 is None:
            raise ValueError("send the token of the tracking link or the phone's last four digits")
        return self


class RatingIn(Verify):
    rating: Literal["satisfied", "basically_satisfied", "not_satisfied"]
    comment: Annotated[str, StringConstraints(max_length=1000)] | None = None


class ObjectionIn(Verify):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class Ref(Output):
    id: int
    name: str
    code: str | None = None


class CategoryRef(Ref):
    default_route: str | None = Field(None, description="The route matters of this category usually take")


class Deadlines(Output):
    sign_due_at: datetime | None
    due_at: datetime | None
    notice_ends_at: datetime | None
    overdue: bool
    due_soon: bool
    contact_due_at: datetime | None = Field(
        None, description="When the requester must be contacted by (先行联系), until they are"
    )
    contact_overdue: bool = Field(False, description="Nobody has contacted the requester and the limit has passed")


class FiveHaves(Output):
    """有人巡查、有人报告、有人负责、有人解决、有人督查."""

    found_by: str | None
    reported_by: str | None
    responsible: str | None
    resolved_by: str | None
    supervised_by: str | None


class PhotoOut(Output):
    id: int
    url: str
    thumb_url: str
    width: int
    height: int
    taken_at: datetime | None
    lat: float | None
    lon: float | None
    stage: Literal["before", "after"] = Field(
        "before", description="before: reported or found with it; after: the result, taken when resolving it"
    )


class PublicPhotoOut(Output):
    url: str
    thumb_url: str


class AllowedAction(Output):
    """An action the caller may take on the record now (the flow table), what its body needs and what else it may
    carry (`accepts`: the after photos of a resolution)."""

    action: str
    accepts: list[Literal["photos"]] = Field(default_factory=list)
    needs: list[
        Literal[
            "reason",
            "result",
            "target",
            "into",
            "contact",
            "until",
            "note",
            "photos",
            "answer",
            "session",
            "departments",
            "part",
        ]
    ]


class MatterOut(Output):
    id: int
    tracking_code: str
    category: CategoryRef
    description: str
    address: str | None
    lat: float | None
    lon: float | None
    grid: Ref | None
    community: Ref | None
    source: str
    status: str
    route: str | None
    holder: dict[str, Any]
    owner: Ref | None
    reporter_name: str | None
    reporter_phone: str | None
    result: str | None
    outcome: str | None
    rating: str | None
    rating_comment: str | None
    reopen_count: int
    merged_into_id: int | None
    deadlines: Deadlines
    five_haves: FiveHaves
    actions: list[AllowedAction] = Field(
        description="The actions the caller may take now, each with the fields its body must carry"
    )
    allowed_actions: list[str] = Field(description="The names of `actions` (kept for older clients)")
    photos: list[PhotoOut]
    version: int
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    covered_by: Ref | None = Field(None, description="Who covers the grid while its leader is on leave (A/B post)")
    possible_duplicates: list[dict[str, Any]] | None = None
    rating_source: str | None = Field(None, description="resident, or callback (the station's 回访)")
    order_no: str | None = Field(None, description="The 12345 hotline's order number, for a hotline order")
    contact_due_at: datetime | None = None
    first_contact_at: datetime | None = None
    pending_application: str | None = Field(None, description="extension or suspension, awaiting a decision")
    suspended_until: datetime | None = None
    verified_at: datetime | None = None
    supporters: int = Field(0, description='How many residents\' devices said "me too" 我也遇到 on the public page')


class HandoffOut(Output):
    id: int
    from_level: str
    from_department_id: int | None
    from_user: str | None
    to_level: str
    to_department_id: int | None
    to_user: str | None
    reason: str
    created_at: datetime
    sign_due_at: datetime | None
    due_at: datetime | None
    signed_at: datetime | None
    returned_at: datetime | None
    return_reason: str | None


class EventOut(Output):
    id: int
    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    data: dict[str, Any]


class PublicMatterOut(Output):
    tracking_code: str
    category: Ref
    description: str
    address: str | None
    status: str
    created_at: datetime
    resolved_at: datetime | None
    result: str | None
    rating: str | None
    rating_source: str | None = Field(None, description="resident, or callback (given by phone to the station)")
    can_rate: bool
    can_object: bool
    notice_ends_at: datetime | None
    photos: list[PhotoOut] = Field(description="The photos it was reported with (before)")
    after_photos: list[PublicPhotoOut] = Field(
        default_factory=list, description="The photos of the result 处理后照片, taken when it was resolved"
    )
    steps: list[dict[str, Any]] = Field(
        description="{at, action, status}; an approved application (approve_application) also {kind, until}"
    )
    community_id: int | None = Field(None, description="The community whose public board 公示栏 shows it")
    next_due_at: datetime | None = Field(
        None, description="When the current step is due (signing for it, else finishing it); null once resolved"
    )


class PublicCreated(Output):
    tracking_code: str
    # The secret of the resident's tracking link (/track/CODE#t=TOKEN): shown once, stored only as a hash.
    tracking_token: str
    status: str
    grid: str
    community: str
    message: str


# --- the desk's table (matters.desk) ---------------------------------------------------------------------------


class HolderRef(Output):
    level: str
    name: str


class SupervisionItem(Deadlines):
    """A row of 督办: an open matter whose step is overdue or due soon."""

    id: int
    tracking_code: str
    category: Ref
    status: str
    holder: HolderRef
    owner: str | None = Field(description="The first-ask owner 首问责任人")
    since: datetime | None = Field(description="When anything last happened to it")


class SupervisionPage(Output):
    items: list[SupervisionItem]
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page; null on the last")


class DeskRow(Output):
    id: int
    tracking_code: str
    category: Ref
    description: str = Field(description="The first 200 characters")
    address: str | None
    status: str
    source: str
    holder: HolderRef
    grid: Ref | None
    community: Ref | None
    owner: str | None = Field(description="The first-ask owner 首问责任人")
    reporter_phone: str | None = Field(description="Always masked here (138****5678)")
    created_at: datetime
    closed_at: datetime | None
    deadlines: Deadlines


class DeskPage(KeysetPage[DeskRow]):
    sort: str


class HandoffMatter(Output):
    id: int
    tracking_code: str
    status: str
    category: str


class HandoffRow(Output):
    id: int
    matter: HandoffMatter
    from_level: str
    from_user: str | None
    to_level: str
    to_department: str | None
    to_user: str | None
    reason: str
    created_at: datetime
    sign_due_at: datetime | None
    signed_at: datetime | None
    returned_at: datetime | None
    return_reason: str | None


class HandoffPage(KeysetPage[HandoffRow]):
    pass


class HotlineImportRow(Output):
    row: int = Field(description="The row's number in the file (1: the first after the header)")
    order_no: str | None
    accepted: bool
    tracking_code: str | None = Field(None, description="The matter made of an accepted row")
    placed: bool | None = Field(None, description="Accepted: whether it landed in a grid (else at the station)")
    code: str | None = Field(
        None,
        description="Rejected: why, as a word the app translates (order-no, order-imported, order-twice, "
        "unknown-category, description, caller-phone, lat-lon, outside-grids, unknown-grid, unknown-community, "
        "no-place, outside-scope, not-an-object, invalid-row)",
    )
    reason: str | None = Field(None, description="Rejected: why, in English")


class HotlineImport(Output):
    accepted: int
    rejected: int
    rows: list[HotlineImportRow]
