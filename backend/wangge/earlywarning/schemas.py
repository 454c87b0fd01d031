"""API shapes of early warnings 预警."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StringConstraints

from wangge.schemas_common import Id, Input, Output

WarningKind = Literal["rainstorm", "typhoon", "flood", "heat", "cold", "geological", "fire", "epidemic", "other"]
WarningLevel = Literal["blue", "yellow", "orange", "red"]


class WarningIn(Input):
    kind: WarningKind
    level: WarningLevel = Field(description="蓝 blue, 黄 yellow, 橙 orange, 红 red (most severe)")
    text: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    valid_until: AwareDatetime
    grid_ids: list[Id] = Field(min_length=1, max_length=500, description="The grids it goes to, in your area")


class LiftIn(Input):
    note: Annotated[str, StringConstraints(max_length=500)] | None = None


class Recipient(Output):
    user_id: int
    name: str
    role: str
    grid_id: int | None
    grid_name: str | None = None
    acknowledged_at: datetime | None = None


class WarningOut(Output):
    id: int
    kind: str
    level: WarningLevel
    text: str
    valid_until: datetime
    street_id: int
    community_id: int | None
    issued_by_id: int
    issued_by_name: str
    issued_at: datetime
    status: Literal["active", "lifted"]
    expired: bool
    lifted_at: datetime | None
    lift_note: str | None
    grid_ids: list[int]
    grid_names: list[str]
    acknowledged_at: datetime | None = Field(description="When the caller acknowledged it (None: not yet)")
    may_acknowledge: bool
    may_lift: bool
    recipients_total: int
    acknowledged_total: int
    residents_total: int = Field(
        description="Residents living in the grids today with a phone, handed to the SMS/WeChat gateway (a count only)"
    )


class WarningDetail(WarningOut):
    recipients: list[Recipient] = Field(description="The staff it reached, each with their acknowledgement")


class WarnableGrid(Output):
    id: int
    code: str
    name: str
    community_id: int
