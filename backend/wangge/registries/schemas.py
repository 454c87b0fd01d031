"""Request and response bodies of the registries. Identity numbers and phones leave the service masked, except in
the answer to an explicit reveal (logged)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from wangge.registries.models import EventKind, HouseUse, Relation, Residence
from wangge.schemas_common import Day, Id, Input, KeysetPage, Output

Name = Annotated[str, StringConstraints(min_length=1, max_length=50)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9-]{5,20}$")]
IdNumber = Annotated[str, StringConstraints(min_length=1, max_length=30)]  # checked by personal.normalise_id_number
Part = Annotated[str, StringConstraints(max_length=10)]
GroupCode = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class HouseIn(Input):
    building_id: Id
    unit: Part = ""
    floor: int = Field(ge=-5, le=200)
    room: Annotated[str, StringConstraints(min_length=1, max_length=10)]
    use: HouseUse = HouseUse.owner_occupied


class HousePatch(Input):
    use: HouseUse


class ResidentBrief(Output):
    id: int
    name: str
    relation: str
    residence: str


class HouseOut(Output):
    id: int
    grid_id: int
    building_id: int
    unit: str
    floor: int
    room: str
    label: str
    use: str
    residents: list[ResidentBrief]
    tenant_ids: list[int]
    last_recorded_at: datetime | None = Field(None, description="When the registry last recorded a change here")


class PersonIn(Input):
    name: Name
    residence: Residence
    relation: Relation = Relation.other
    special_groups: list[GroupCode] = Field(default_factory=list, max_length=10)
    phone: Phone | None = None
    id_number: IdNumber | None = None
    house_id: Id = Field(description="Where they live (a house of the same grid)")
    moved_in_on: Day | None = Field(None, description="The day they moved in (default: today)")
    registration_due: Day | None = Field(None, description="居住登记 renewal due (floating residents)")


class PersonPatch(Input):
    name: Name | None = None
    residence: Residence | None = None
    relation: Relation | None = None
    special_groups: list[GroupCode] | None = Field(None, max_length=10)
    phone: Phone | None = None
    id_number: IdNumber | None = None
    registration_due: Day | None = None


class PersonOut(Output):
    id: int
    grid_id: int
    house_id: int | None
    address: str | None
    name: str
    residence: str
    relation: str
    special_groups: list[str]
    phone: str | None = Field(description="Masked (138****5678)")
    id_number: str | None = Field(description="Masked (4301**********123X)")
    registration_due: date | None
    died_on: date | None
    living_here: bool


class PersonPage(KeysetPage[PersonOut]):
    pass


class MoveIn(Input):
    kind: Literal["moved_in", "moved_out", "died"]
    house_id: Id | None = Field(None, description="The house moved into (moved_in only)")
    on: Day


class TenancyIn(Input):
    house_id: Id
    person_id: Id
    start_on: Day


class TenancyEnd(Input):
    end_on: Day


class TenancyOut(Output):
    id: int
    house_id: int
    house_label: str = Field(description="The house's standard address")
    person_id: int
    person_name: str = Field(description="The tenant's name")
    start_on: date
    end_on: date | None


class TenancyPage(KeysetPage[TenancyOut]):
    pass


class RegistryEventOut(Output):
    id: int
    kind: EventKind
    person_id: int | None
    person_name: str | None
    house_id: int | None
    effective_on: date
    detail: dict[str, object]
    recorded_by: str
    recorded_at: datetime


class RevealIn(Input):
    person_ids: list[Id] = Field(min_length=1, max_length=200)


class Revealed(Output):
    id: int
    name: str
    id_number: str | None
    phone: str | None


class PersonalDataAccessOut(Output):
    id: int
    at: datetime
    user_id: int
    user_name: str
    action: Literal["reveal", "export", "special_read"]
    person_ids: list[int]
    grid_id: int | None


class AccessLogPage(KeysetPage[PersonalDataAccessOut]):
    pass


class UnitOut(Output):
    id: int
    grid_id: int
    category: str
    name: str
    address: str | None
    contact_person: str | None
    duty_phone: str | None


class UnitPatch(Input):
    contact_person: Name | None = None
    duty_phone: Phone | None = None
