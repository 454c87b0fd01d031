"""HTTP routes of emergencies: incidents and their timed reports, response tiers, activations with acknowledgement
and arrival, contingency plans and drills. Thin functions that hand the work to emergencies.service."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import Field

from wangge.accounts.dependencies import CurrentSubject, IncidentRaiser
from wangge.deps import ReadSessionDep, SessionDep, SettingsDep
from wangge.emergencies import district, schemas, service, table
from wangge.emergencies.models import Activation, Incident
from wangge.imports import XLSX_RESPONSES, xlsx_download
from wangge.schemas_common import Day, Id

router = APIRouter(tags=["Emergencies"])


async def _incident(db: SessionDep, subject: CurrentSubject, incident_id: Id) -> Incident:
    service.require_staff(subject)
    return await service.get_visible(db, subject=subject, incident_id=incident_id)


CurrentIncident = Annotated[Incident, Depends(_incident)]


async def _activation_out(db: SessionDep, a: Activation) -> dict[str, Any]:
    return (await service.activations_out(db, [a]))[0]


# --- incidents and reports -------------------------------------------------------------------------------------


@router.post("/incidents", status_code=201, response_model=schemas.IncidentDetail)
async def raise_incident(
    request: Request, db: SessionDep, subject: IncidentRaiser, settings: SettingsDep, data: schemas.IncidentIn
) -> Any:
    """Raise an incident: located to its grid by the point (or the caller's own grid); station and street are told
    at once, and the first report's clock starts."""
    i = await service.raise_incident(db, subject=subject, data=data, settings=settings)
    await db.commit()
    return await service.incident_detail(db, incident=i)


@router.get("/incidents", response_model=list[schemas.IncidentOut])
async def list_incidents(
    db: SessionDep, subject: CurrentSubject, status: Literal["open", "closed"] | None = None
) -> Any:
    """Incidents in your area, newest first, each with its report clock."""
    return await service.incidents_out(db, await service.list_incidents(db, subject=subject, status=status))


@router.get("/incidents/table", response_model=schemas.IncidentPage)
async def incidents_table(
    db: ReadSessionDep,
    subject: CurrentSubject,
    status: Literal["open", "closed"] | None = None,
    incident_type: Annotated[list[schemas.IncidentType] | None, Query(description="Any of these types")] = None,
    severity: Annotated[
        list[Annotated[int, Field(ge=1, le=4)]] | None, Query(description="Any of these levels")
    ] = None,
    known_from: Annotated[Day | None, Query(description="Known on or after this day (Beijing time)")] = None,
    known_to: Annotated[Day | None, Query(description="Known on or before this day (Beijing time)")] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100, description="Code, title or place")] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size")] = 50,
    after: Annotated[str | None, Query(max_length=200, description="The `next_after` of the page before")] = None,
) -> Any:
    """The desk's table of incidents in your area, newest known first, in keyset pages; `total` counts up to
    1,000. Staff only."""
    return await table.page(
        db,
        subject,
        status=status,
        incident_type=list(incident_type or []),
        severity=list(severity or []),
        known_from=known_from,
        known_to=known_to,
        q=q.strip() or None if q else None,
        limit=limit,
        after=after,
    )


@router.get("/incidents/{incident_id}", response_model=schemas.IncidentDetail)
async def get_incident(db: SessionDep, incident: CurrentIncident) -> Any:
    """The incident with its reports (each with its lateness), the report clock, the activations with their muster
    and the contingency plans for its type."""
    return await service.incident_detail(db, incident=incident)


@router.post("/incidents/{incident_id}/reports", status_code=201, response_model=schemas.ReportOut)
async def add_report(db: SessionDep, subject: CurrentSubject, incident: CurrentIncident, data: schemas.ReportIn) -> Any:
    """首报 first (once, before anything else), 续报 follow-ups, 终报 final (closes the incident)."""
    r = await service.add_report(db, subject=subject, incident=incident, data=data)
    await db.commit()
    return service.report_out(r)


@router.get("/incidents/{incident_id}/reports/{sequence}/district", response_model=schemas.DistrictReport)
async def district_report(db: SessionDep, incident: CurrentIncident, sequence: Id) -> Any:
    """Report number `sequence` in the district emergency office's form (the print page shows it)."""
    r = await district.find(db, incident=incident, sequence=sequence)
    return await district.sheet(db, incident=incident, report=r)


@router.get("/incidents/{incident_id}/reports/{sequence}.xlsx", response_class=Response, responses=XLSX_RESPONSES)
async def district_report_xlsx(db: SessionDep, incident: CurrentIncident, sequence: Id) -> Response:
    """Report number `sequence` in the district's form as an A4 Excel workbook."""
    r = await district.find(db, incident=incident, sequence=sequence)
    sheet = await district.sheet(db, incident=incident, report=r)
    return await xlsx_download(f"incident-{incident.code}-{sequence}.xlsx", district.xlsx, sheet)


# --- response tiers and activations ----------------------------------------------------------------------------


@router.get("/response-tiers", response_model=list[schemas.TierOut])
async def list_tiers(
    db: SessionDep,
    subject: CurrentSubject,
    unit_level: Literal["community", "street"] | None = None,
    unit_id: Annotated[Id | None, Query()] = None,
) -> Any:
    return await service.tiers_out(
        db, await service.list_tiers(db, subject=subject, unit_level=unit_level, unit_id=unit_id)
    )


@router.get("/response-tiers/candidates", response_model=list[schemas.TierCandidate])
async def tier_candidates(
    db: SessionDep, subject: CurrentSubject, unit_level: Literal["community", "street"], unit_id: Id
) -> Any:
    """The people a tier of this unit may name: its active staff (the unit's managers only)."""
    return await service.tier_candidates(db, subject=subject, unit_level=unit_level, unit_id=unit_id)


@router.put("/response-tiers", response_model=schemas.TierOut)
async def put_tier(db: SessionDep, subject: CurrentSubject, data: schemas.TierIn) -> Any:
    """Create or replace a tier (1–3) of a community or street with its named members."""
    tier = await service.put_tier(db, subject=subject, data=data)
    await db.commit()
    return (await service.tiers_out(db, [tier]))[0]


@router.post("/incidents/{incident_id}/activations", status_code=201, response_model=schemas.ActivationOut)
async def activate(
    db: SessionDep,
    subject: CurrentSubject,
    settings: SettingsDep,
    incident: CurrentIncident,
    data: schemas.ActivationIn,
) -> Any:
    """Call out a tier (any tier, in any order; each once per incident): its members are notified at once."""
    a = await service.activate(db, subject=subject, incident=incident, tier_id=data.tier_id, settings=settings)
    await db.commit()
    return await _activation_out(db, a)


@router.post("/activations/{activation_id}/ack", response_model=schemas.ActivationOut)
async def acknowledge(db: SessionDep, subject: CurrentSubject, activation_id: Id) -> Any:
    """The member answers the call (a repeat keeps the first time)."""
    a = await service.acknowledge(db, subject=subject, activation_id=activation_id)
    await db.commit()
    return await _activation_out(db, a)


@router.post("/activations/{activation_id}/arrive", response_model=schemas.ActivationOut)
async def arrive(db: SessionDep, subject: CurrentSubject, activation_id: Id) -> Any:
    """The member is on the scene (a repeat keeps the first time)."""
    a = await service.arrive(db, subject=subject, activation_id=activation_id)
    await db.commit()
    return await _activation_out(db, a)


# --- contingency plans and drills ------------------------------------------------------------------------------


@router.get("/contingency-plans", response_model=list[schemas.PlanOut])
async def list_plans(db: SessionDep, subject: CurrentSubject, incident_type: str | None = None) -> Any:
    today = service.local_today()
    return [
        service.plan_out(p, today) for p in await service.list_plans(db, subject=subject, incident_type=incident_type)
    ]


@router.get("/contingency-plans/overdue-reviews", response_model=list[schemas.PlanOut])
async def overdue_reviews(db: SessionDep, subject: CurrentSubject) -> Any:
    """Active plans in your area whose review date has passed."""
    today = service.local_today()
    return [service.plan_out(p, today) for p in await service.list_plans(db, subject=subject, overdue_only=True)]


@router.post("/contingency-plans", status_code=201, response_model=schemas.PlanOut)
async def create_plan(db: SessionDep, subject: CurrentSubject, data: schemas.PlanIn) -> Any:
    p = await service.create_plan(db, subject=subject, data=data)
    await db.commit()
    return service.plan_out(p)


@router.patch("/contingency-plans/{plan_id}", response_model=schemas.PlanOut)
async def update_plan(db: SessionDep, subject: CurrentSubject, plan_id: Id, data: schemas.PlanUpdate) -> Any:
    p = await service.update_plan(db, subject=subject, plan_id=plan_id, data=data)
    await db.commit()
    return service.plan_out(p)


@router.get("/drills", response_model=list[schemas.DrillOut])
async def list_drills(db: SessionDep, subject: CurrentSubject, plan_id: Id | None = None) -> Any:
    return await service.list_drills(db, subject=subject, plan_id=plan_id)


@router.post("/drills", status_code=201, response_model=schemas.DrillOut)
async def record_drill(db: SessionDep, subject: CurrentSubject, data: schemas.DrillIn) -> Any:
    d = await service.record_drill(db, subject=subject, data=data)
    await db.commit()
    return d
