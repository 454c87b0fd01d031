"""HTTP routes of the station's day: the daily triage meeting, supervision notes, and the monthly hazard cycle."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from wangge.accounts.dependencies import CurrentSubject, Supervisor
from wangge.deps import ReadSessionDep, SessionDep, SettingsDep
from wangge.imports import XLSX_RESPONSES, xlsx_download
from wangge.schemas_common import Day, Id
from wangge.station import exports, hazard_ledger, hazards, schemas, triage

router = APIRouter()
MonthQuery = Annotated[str | None, Query(pattern=schemas.MONTH_PATTERN)]


# --- triage 每天一研判 ---------------------------------------------------------------------------------------------


@router.post("/triage/meetings", status_code=201, tags=["Triage"])
async def open_meeting(db: SessionDep, subject: CurrentSubject, data: schemas.MeetingOpen | None = None) -> Any:
    """Open the day's meeting of your community (station chief); its agenda is what was brought back to the station
    since the previous meeting opened (everything at the station, the first time). One per day: 409 otherwise."""
    meeting = await triage.open_meeting(db, subject=subject, day=data.day if data else None)
    return await triage.meeting_out(db, meeting)


@router.get("/triage/meetings", tags=["Triage"])
async def list_meetings(
    db: SessionDep, subject: CurrentSubject, community_id: Id | None = None, day: Day | None = None
) -> dict[str, Any]:
    return {"items": await triage.list_meetings(db, subject=subject, community_id=community_id, day=day)}


@router.get("/triage/meetings/{meeting_id}", tags=["Triage"])
async def get_meeting(db: SessionDep, subject: CurrentSubject, meeting_id: Id) -> Any:
    meeting = await triage.get_meeting(db, subject=subject, meeting_id=meeting_id)
    return await triage.meeting_out(db, meeting)


@router.post("/triage/meetings/{meeting_id}/items/{item_id}/decide", tags=["Triage"])
async def decide_item(
    db: SessionDep, subject: CurrentSubject, meeting_id: Id, item_id: Id, data: schemas.DecisionBody
) -> Any:
    """Decide one item; the matter's own rules apply (409 naming its state and allowed actions otherwise)."""
    meeting = await triage.get_meeting(db, subject=subject, meeting_id=meeting_id)
    await triage.decide(db, subject=subject, meeting=meeting, item_id=item_id, body=data)
    return await triage.meeting_out(db, meeting)


@router.post("/triage/meetings/{meeting_id}/decide", tags=["Triage"])
async def decide_batch(db: SessionDep, subject: CurrentSubject, meeting_id: Id, data: schemas.BatchDecision) -> Any:
    """One decision for a selection of items, each applied on its own: the answer lists what was applied and what
    was refused (with the reason); the refused ones do not hold up the others."""
    meeting = await triage.get_meeting(db, subject=subject, meeting_id=meeting_id)
    return await triage.decide_batch(db, subject=subject, meeting=meeting, body=data)


@router.put("/triage/meetings/{meeting_id}/attendees", tags=["Triage"])
async def set_attendees(db: SessionDep, subject: CurrentSubject, meeting_id: Id, data: list[schemas.AttendeeIn]) -> Any:
    meeting = await triage.get_meeting(db, subject=subject, meeting_id=meeting_id)
    await triage.set_attendees(db, subject=subject, meeting=meeting, attendees=data)
    return await triage.meeting_out(db, meeting)


@router.put("/triage/meetings/{meeting_id}/minutes", tags=["Triage"])
async def set_minutes(db: SessionDep, subject: CurrentSubject, meeting_id: Id, data: schemas.MinutesIn) -> Any:
    meeting = await triage.get_meeting(db, subject=subject, meeting_id=meeting_id)
    await triage.set_minutes(db, subject=subject, meeting=meeting, text=data.text)
    return await triage.meeting_out(db, meeting)


@router.post("/triage/meetings/{meeting_id}/close", tags=["Triage"])
async def close_meeting(db: SessionDep, subject: CurrentSubject, meeting_id: Id) -> Any:
    """Lock the meeting; items left undecided are listed (and named in the minutes)."""
    meeting = await triage.get_meeting(db, subject=subject, meeting_id=meeting_id)
    undecided = await triage.close_meeting(db, subject=subject, meeting=meeting)
    return {**await triage.meeting_out(db, meeting), "undecided": undecided}


@router.get(
    "/triage/meetings/{meeting_id}/minutes.xlsx", tags=["Triage"], response_class=Response, responses=XLSX_RESPONSES
)
async def minutes_xlsx(db: ReadSessionDep, subject: CurrentSubject, meeting_id: Id) -> Response:
    meeting = await triage.get_meeting(db, subject=subject, meeting_id=meeting_id)
    out = await triage.meeting_out(db, meeting)
    return await xlsx_download(f"triage-{out['day'].isoformat()}-{meeting.id}.xlsx", exports.minutes_xlsx, out)


@router.get("/triage/meetings/{meeting_id}/minutes.html", tags=["Triage"], response_class=HTMLResponse)
async def minutes_html(db: ReadSessionDep, subject: CurrentSubject, meeting_id: Id) -> HTMLResponse:
    meeting = await triage.get_meeting(db, subject=subject, meeting_id=meeting_id)
    return HTMLResponse(exports.minutes_html(await triage.meeting_out(db, meeting)))


# --- supervision 督办 ----------------------------------------------------------------------------------------------


@router.post("/matters/{matter_id}/supervision-notes", status_code=201, tags=["Matters"])
async def add_supervision_note(
    db: SessionDep, subject: Supervisor, matter_id: Id, data: schemas.SupervisionNoteIn
) -> Any:
    """A supervision note (station chief, street officer, administrator); the matter's owner and holder are told."""
    note = await triage.add_supervision_note(db, subject=subject, matter_id=matter_id, text=data.text)
    return triage.note_out(note, "")


@router.get("/matters/{matter_id}/supervision-notes", tags=["Matters"])
async def supervision_notes(db: SessionDep, subject: CurrentSubject, matter_id: Id) -> Any:
    return {"items": await triage.supervision_notes(db, subject=subject, matter_id=matter_id)}


# --- the hazard cycle 隐患排查 --------------------------------------------------------------------------------------


@router.post("/hazards/cycles", status_code=201, tags=["Hazards"])
async def create_cycle(db: SessionDep, subject: CurrentSubject, data: schemas.CycleCreate) -> Any:
    """Open a community's month: one inspection task per active grid and checklist, for the grid's leader."""
    cycle = await hazards.create_cycle(db, subject=subject, data=data)
    return await hazards.cycle_out(db, cycle)


@router.get("/hazards/cycles", tags=["Hazards"])
async def list_cycles(db: SessionDep, subject: CurrentSubject, community_id: Id | None = None) -> Any:
    return {"items": await hazards.list_cycles(db, subject=subject, community_id=community_id)}


@router.get("/hazards/cycles/{cycle_id}", tags=["Hazards"])
async def get_cycle(db: SessionDep, subject: CurrentSubject, cycle_id: Id) -> Any:
    return await hazards.cycle_out(db, await hazards.get_cycle(db, subject=subject, cycle_id=cycle_id))


@router.put("/hazards/cycles/{cycle_id}/meeting", tags=["Hazards"])
async def set_cycle_meeting(db: SessionDep, subject: CurrentSubject, cycle_id: Id, data: schemas.CycleMeeting) -> Any:
    cycle = await hazards.get_cycle(db, subject=subject, cycle_id=cycle_id)
    await hazards.set_cycle_meeting(db, subject=subject, cycle=cycle, data=data)
    return await hazards.cycle_out(db, cycle)


@router.get("/hazards/cycles/{cycle_id}/bulletin", tags=["Hazards"])
async def bulletin(db: ReadSessionDep, subject: CurrentSubject, cycle_id: Id) -> Any:
    """通报: hazards found, fixed and overdue, by grid and by type."""
    return await hazards.bulletin(db, await hazards.get_cycle(db, subject=subject, cycle_id=cycle_id))


@router.get(
    "/hazards/cycles/{cycle_id}/bulletin.xlsx", tags=["Hazards"], response_class=Response, responses=XLSX_RESPONSES
)
async def bulletin_xlsx(db: ReadSessionDep, subject: CurrentSubject, cycle_id: Id) -> Response:
    b = await hazards.bulletin(db, await hazards.get_cycle(db, subject=subject, cycle_id=cycle_id))
    return await xlsx_download(f"hazards-{b['month']}-{cycle_id}.xlsx", exports.bulletin_xlsx, b)


@router.get("/hazards/cycles/{cycle_id}/bulletin.html", tags=["Hazards"], response_class=HTMLResponse)
async def bulletin_html(db: ReadSessionDep, subject: CurrentSubject, cycle_id: Id) -> HTMLResponse:
    b = await hazards.bulletin(db, await hazards.get_cycle(db, subject=subject, cycle_id=cycle_id))
    return HTMLResponse(exports.bulletin_html(b))


@router.post("/hazards/tasks/{task_id}/results", tags=["Hazards"])
async def submit_results(db: SessionDep, subject: CurrentSubject, task_id: Id, data: schemas.InspectionResults) -> Any:
    """The inspection's checklist and the hazards found (the assignee or the chief); the task is done."""
    task = await hazards.submit_results(db, subject=subject, task_id=task_id, data=data)
    return await hazards.cycle_out(db, await hazards.get_cycle(db, subject=subject, cycle_id=task.cycle_id))


@router.post("/hazards/special-periods", status_code=201, response_model=schemas.SpecialPeriodOut, tags=["Hazards"])
async def create_special_period(db: SessionDep, subject: CurrentSubject, data: schemas.SpecialPeriodCreate) -> Any:
    """特护期: reporting switches to daily while it lasts (street officer or administrator)."""
    return hazards.special_period_out(await hazards.create_special_period(db, subject=subject, data=data))


@router.get("/hazards/special-periods", response_model=schemas.SpecialPeriodList, tags=["Hazards"])
async def list_special_periods(db: SessionDep, subject: CurrentSubject) -> Any:
    return {"items": await hazards.list_special_periods(db, subject=subject)}


@router.get("/hazards/reporting", tags=["Hazards"])
async def reporting(db: ReadSessionDep, subject: CurrentSubject, community_id: Id, on: Day | None = None) -> Any:
    """The month's figures, or the day's during a special period."""
    return await hazards.reporting(db, subject=subject, community_id=community_id, on=on or triage.beijing_today())


@router.get("/hazards", response_model=schemas.HazardPage, tags=["Hazards"])
async def list_hazards(
    db: SessionDep,
    subject: CurrentSubject,
    community_id: Id | None = None,
    status: Annotated[list[schemas.HazardStatus] | None, Query(description="Any of these statuses")] = None,
    grid_id: Id | None = None,
    month: MonthQuery = None,
    risk_level: Annotated[list[schemas.RiskLevel] | None, Query(description="Any of these risk levels")] = None,
    hazard_type: Annotated[str | None, Query(pattern=r"^[a-z_]{2,30}$", description="Only this type")] = None,
    overdue: Annotated[bool | None, Query(description="true: past the deadline, not fixed; false: the others")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size")] = 1000,
    after: Annotated[
        str | None,
        Query(pattern=r"^\d{4}-\d{2}-\d{2}\.\d{1,10}$", description="The `next_after` of the page before"),
    ] = None,
) -> Any:
    """The hazard ledger 台账 within your scope, by deadline, in keyset pages (`next_after`); `total` counts what
    matches up to 1,000."""
    filters = hazard_ledger.Filters(
        community_id=community_id,
        grid_id=grid_id,
        status=list(status or []),
        risk_level=list(risk_level or []),
        hazard_type=hazard_type,
        month=month,
        overdue=overdue,
    )
    return await hazard_ledger.page(db, subject=subject, filters=filters, limit=limit, after=after)


@router.post("/hazards", status_code=201, tags=["Hazards"])
async def create_hazard(db: SessionDep, subject: CurrentSubject, data: schemas.HazardCreate) -> Any:
    """A hazard found outside an inspection."""
    h = await hazards.create_hazard(db, subject=subject, data=data)
    h, grid_name = await hazards.get_hazard(db, subject=subject, hazard_id=h.id)
    return hazards.hazard_out(h, grid_name, triage.beijing_today())


@router.patch("/hazards/{hazard_id}", tags=["Hazards"])
async def update_hazard(db: SessionDep, subject: CurrentSubject, hazard_id: Id, data: schemas.HazardUpdate) -> Any:
    """Move it one step: open → assigned → fixed → closed (409 otherwise; fixed waits for an assigned matter)."""
    h, grid_name = await hazards.get_hazard(db, subject=subject, hazard_id=hazard_id)
    await hazards.update_hazard(db, subject=subject, hazard=h, data=data)
    return hazards.hazard_out(h, grid_name, triage.beijing_today())


@router.post("/hazards/{hazard_id}/assign", tags=["Hazards"])
async def assign_hazard(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    subject: CurrentSubject,
    hazard_id: Id,
    data: schemas.HazardAssign,
) -> Any:
    """交办: the hazard becomes a matter at the station (escalated at once when a target is given)."""
    h, grid_name = await hazards.get_hazard(db, subject=subject, hazard_id=hazard_id)
    m = await hazards.assign_hazard(db, subject=subject, hazard=h, data=data, settings=settings)
    out = hazards.hazard_out(h, grid_name, triage.beijing_today())
    return {**out, "matter": {"id": m.id, "tracking_code": m.tracking_code, "status": m.status}}
