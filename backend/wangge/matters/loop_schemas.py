"""API shapes of the steps around the routes (matters.loop): a record's contacts, applications, verification,
callbacks, mediation and co-operators, and the desk's queues."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from wangge.matters.schemas import CategoryRef, Deadlines, PhotoOut
from wangge.schemas_common import Output


class ContactRecord(Output):
    method: str | None = None
    answered: bool | None = None
    tries: int | None = None
    at: datetime | None = None
    agreed: str | None = None
    on_time: bool | None = None
    by: str | None = None


class ContactOut(Output):
    due_at: datetime | None
    first_at: datetime | None
    on_time: bool | None = Field(description="Whether the first contact came within the limit (null: not yet)")
    records: list[ContactRecord]


class ApplicationOut(Output):
    id: int
    kind: str
    reason: str
    until: datetime
    due_at_before: datetime | None
    approver_level: str
    applied_by: str | None
    applied_at: datetime
    decision: str | None = Field(description="approved, refused, withdrawn; null while it awaits a decision")
    decision_note: str | None
    decided_by: str | None
    decided_at: datetime | None


class SentBack(Output):
    at: datetime
    by: str | None
    reason: str | None


class VerificationOut(Output):
    needed: bool
    close_on: str
    verified_at: datetime | None
    verified_by: str | None
    note: str | None
    photos: list[PhotoOut]
    sent_back: list[SentBack]


class CallbackOut(Output):
    at: datetime
    by: str | None
    answer: str | None
    note: str | None
    tries: int | None


class PartyOut(Output):
    name: str
    phone: str | None = None
    role: str | None = None


class SessionOut(Output):
    id: int
    held_on: date
    mediators: str
    outcome: str
    note: str | None
    recorded_by: str | None


class MediationOut(Output):
    parties: list[PartyOut]
    agreement: str | None
    follow_up_on: date | None
    outcome: str | None
    sessions: list[SessionOut]


class CooperatorOut(Output):
    department_id: int
    department: str
    added_at: datetime
    part: str | None
    part_by: str | None
    part_at: datetime | None


class LoopOut(Output):
    rules: dict[str, Any] = Field(description="The category's LoopRules")
    order_no: str | None
    contact: ContactOut
    applications: list[ApplicationOut]
    verification: VerificationOut
    callbacks: list[CallbackOut]
    mediation: MediationOut | None = Field(description="Only for a category that is mediated")
    cooperators: list[CooperatorOut]


class PendingApplication(Output):
    id: int
    kind: str
    reason: str
    until: datetime
    due_at_before: datetime | None
    applied_by: str | None
    applied_at: datetime


class QueueItem(Output):
    id: int
    tracking_code: str
    category: CategoryRef
    description: str
    status: str
    holder_level: str
    grid: str | None
    created_at: datetime
    resolved_at: datetime | None
    deadlines: Deadlines
    application: PendingApplication | None = None
    result: str | None = None
    own: bool | None = Field(None, description="Verifications: the caller resolved it (another must verify)")
    reporter_name: str | None = None
    reporter_phone: str | None = None
    callback_tries: int | None = None


class HotlineResult(Output):
    order_no: str
    tracking_code: str
    status: str
    outcome: str | None
    result: str | None
    received_at: str | None
    first_contact_at: str | None
    resolved_at: str | None
    closed_at: str | None
    due_at: str | None
    rating: str | None
    rating_source: str | None


class HotlineResults(Output):
    orders: list[HotlineResult]
    truncated: bool = Field(description="More than the export's limit finished in the range: narrow it")
