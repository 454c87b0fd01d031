"""HTTP routes of grid teams, leaders, A/B posts, leaves, on-duty answers, shifts and home visits: thin functions
that hand the work to fieldwork.people."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Response, UploadFile, status

from wangge.accounts.dependencies import CurrentSubject, ResidentKeeper, TeamManager, VisitReader
from wangge.deps import ReadSessionDep, SessionDep, SettingsDep
from wangge.fieldwork import imports, people, rosters, visits_table
from wangge.fieldwork import people_schemas as schemas
from wangge.fieldwork import visits as home_visits
from wangge.imports import TEMPLATE_RESPONSES, ImportReport, bulk, template_response, upload_bytes
from wangge.schemas_common import Day, Id, Instant

router = APIRouter()
ActiveFilter = Annotated[bool | None, Query(description="Only current (true), only past (false), or all (empty)")]
LeaveStatus = Literal["requested", "approved", "refused", "cancelled"]


# --- leaders and teams -------------------------------------------------------------------------------------------


@router.put("/grids/{grid_id}/leader", response_model=schemas.LeadershipOut, tags=["Grid teams"])
async def set_leader(db: SessionDep, subject: CurrentSubject, grid_id: Id, data: schemas.LeaderIn) -> Any:
    """Make `user_id` the grid's leader: the open leadership is closed, the history kept."""
    row = await people.set_leader(db, subject=subject, grid_id=grid_id, user_id=data.user_id)
    return (await people.leadership_out(db, [row]))[0]


@router.get("/grids/{grid_id}/leaders", response_model=list[schemas.LeadershipOut], tags=["Grid teams"])
async def leaders(db: SessionDep, subject: CurrentSubject, grid_id: Id) -> Any:
    """Who led the grid when, newest first; the open row (no `ended_at`) is the leader now."""
    return await people.leadership_out(db, await people.list_leaders(db, subject=subject, grid_id=grid_id))


@router.get(
    "/communities/{community_id}/leader-candidates",
    response_model=list[schemas.LeaderCandidate],
    tags=["Grid teams"],
)
async def leader_candidates(db: SessionDep, subject: CurrentSubject, community_id: Id) -> Any:
    """The community's active grid leaders, to name one leader of their grid (no phones); for the station chief of
    the community and administrators whose area holds it."""
    return await people.leader_candidates(db, subject=subject, community_id=community_id)


@router.get("/grids/{grid_id}/team", response_model=list[schemas.TeamMemberOut], tags=["Grid teams"])
async def team(db: SessionDep, subject: CurrentSubject, grid_id: Id, active: ActiveFilter = True) -> Any:
    """The grid's team; phones are masked unless you may read personal data."""
    today = people.local_today()
    rows = await people.list_team(db, subject=subject, grid_id=grid_id, active=active)
    return [people.member_out(m, subject, today) for m in rows]


@router.post("/grids/{grid_id}/team", status_code=201, response_model=schemas.TeamMemberOut, tags=["Grid teams"])
async def add_member(db: SessionDep, subject: CurrentSubject, grid_id: Id, data: schemas.TeamMemberIn) -> Any:
    m = await people.add_member(db, subject=subject, grid_id=grid_id, data=data)
    return people.member_out(m, subject, people.local_today())


@router.patch("/team-members/{member_id}", response_model=schemas.TeamMemberOut, tags=["Grid teams"])
async def update_member(db: SessionDep, subject: CurrentSubject, member_id: Id, data: schemas.TeamMemberUpdate) -> Any:
    m = await people.update_member(db, subject=subject, member_id=member_id, data=data)
    return people.member_out(m, subject, people.local_today())


@router.post("/team-members/{member_id}/end", response_model=schemas.TeamMemberOut, tags=["Grid teams"])
async def end_member(db: SessionDep, subject: CurrentSubject, member_id: Id, data: schemas.TeamMemberEnd) -> Any:
    """The member stops serving on `end_date` (the record is kept)."""
    m = await people.end_member(db, subject=subject, member_id=member_id, end_date=data.end_date)
    return people.member_out(m, subject, people.local_today())


# --- A/B posts ---------------------------------------------------------------------------------------------------


@router.post("/post-pairs", status_code=201, response_model=schemas.PairOut, tags=["A/B posts"])
async def create_pair(db: SessionDep, settings: SettingsDep, subject: CurrentSubject, data: schemas.PairIn) -> Any:
    """Pair two adjacent grids (touching, or within `pair_max_distance_m`); otherwise 422 with the distance."""
    pair = await people.create_pair(
        db, subject=subject, grid_a_id=data.grid_a_id, grid_b_id=data.grid_b_id, settings=settings
    )
    return (await people.pairs_out(db, [pair]))[0]


@router.get("/post-pairs", response_model=list[schemas.PairOut], tags=["A/B posts"])
async def list_pairs(db: SessionDep, subject: CurrentSubject, active: ActiveFilter = True) -> Any:
    return await people.pairs_out(db, await people.list_pairs(db, subject=subject, active=active))


@router.get("/post-pairs/suggestions", response_model=list[schemas.PairSuggestion], tags=["A/B posts"])
async def pair_suggestions(db: SessionDep, settings: SettingsDep, subject: CurrentSubject, community_id: Id) -> Any:
    """Adjacent active grids of the community of which neither is paired yet, to pair one by one."""
    return await people.pair_suggestions(db, subject=subject, community_id=community_id, settings=settings)


@router.post("/post-pairs/{pair_id}/end", response_model=schemas.PairOut, tags=["A/B posts"])
async def end_pair(db: SessionDep, subject: CurrentSubject, pair_id: Id) -> Any:
    return (await people.pairs_out(db, [await people.end_pair(db, subject=subject, pair_id=pair_id)]))[0]


# --- leave -------------------------------------------------------------------------------------------------------


@router.post("/leaves", status_code=201, response_model=schemas.LeaveOut, tags=["Leave"])
async def request_leave(db: SessionDep, subject: CurrentSubject, data: schemas.LeaveIn) -> Any:
    """A grid leader asks for leave from their grid; the station chief decides."""
    return await rosters.leave_out(db, await rosters.request_leave(db, subject=subject, data=data))


@router.get("/leaves", response_model=list[schemas.LeaveOut], tags=["Leave"])
async def list_leaves(db: SessionDep, subject: CurrentSubject, status: LeaveStatus | None = None) -> Any:
    """A leader's own leaves; for the station chief and above, those of the grids in scope (`both_away` and
    `no_partner` flag the periods without cover)."""
    return [await rosters.leave_out(db, x) for x in await rosters.list_leaves(db, subject=subject, status=status)]


@router.post("/leaves/{leave_id}/approve", response_model=schemas.LeaveOut, tags=["Leave"])
async def approve_leave(
    db: SessionDep, subject: CurrentSubject, leave_id: Id, data: schemas.LeaveApprove | None = None
) -> Any:
    """Approve (the station chief of the community). When the A/B partner is away for part of the period this is
    409 naming the partner and the dates, unless `accept_both_away` is true: then the leave is flagged."""
    data = data or schemas.LeaveApprove()
    leave = await rosters.approve_leave(
        db, subject=subject, leave_id=leave_id, note=data.note, accept_both_away=data.accept_both_away
    )
    return await rosters.leave_out(db, leave)


@router.post("/leaves/{leave_id}/refuse", response_model=schemas.LeaveOut, tags=["Leave"])
async def refuse_leave(db: SessionDep, subject: CurrentSubject, leave_id: Id, data: schemas.LeaveRefuse) -> Any:
    return await rosters.leave_out(
        db, await rosters.refuse_leave(db, subject=subject, leave_id=leave_id, note=data.note)
    )


@router.post("/leaves/{leave_id}/cancel", response_model=schemas.LeaveOut, tags=["Leave"])
async def cancel_leave(db: SessionDep, subject: CurrentSubject, leave_id: Id) -> Any:
    return await rosters.leave_out(db, await rosters.cancel_leave(db, subject=subject, leave_id=leave_id))


# --- on duty -----------------------------------------------------------------------------------------------------


@router.get("/grids/{grid_id}/on-duty", response_model=schemas.OnDutyOut, tags=["On duty"])
async def grid_on_duty(db: SessionDep, subject: CurrentSubject, grid_id: Id, at: Instant | None = None) -> Any:
    """Who is on duty for the grid at `at` (default now): its leader, or the A/B partner covering a leave."""
    return await people.grid_on_duty(db, subject, grid_id, at)


@router.get("/fieldwork/on-duty-now", response_model=list[schemas.OnDutyNow], tags=["On duty"])
async def on_duty_now(db: SessionDep, subject: CurrentSubject) -> Any:
    """Every grid in scope: who is on duty now, whether covering, whether on shift."""
    return await people.on_duty_now(db, subject)


@router.get("/fieldwork/cover", response_model=schemas.CoverOut, tags=["On duty"])
async def my_cover(db: SessionDep, subject: CurrentSubject) -> Any:
    """The grids you cover now, and who covers yours."""
    return await people.my_cover(db, subject)


# --- shifts ------------------------------------------------------------------------------------------------------


@router.get("/shifts", response_model=list[schemas.ShiftOut], tags=["Shifts"])
async def list_shifts(db: SessionDep, subject: CurrentSubject, user_id: Id | None = None) -> Any:
    return await rosters.shift_out(db, await rosters.list_shifts(db, subject=subject, user_id=user_id))


@router.post("/shifts", status_code=201, response_model=schemas.ShiftOut, tags=["Shifts"])
async def add_shift(db: SessionDep, subject: CurrentSubject, data: schemas.ShiftIn) -> Any:
    """A weekly shift (Beijing local time) of a leader: your own, or one of your community's as station chief."""
    return (await rosters.shift_out(db, [await rosters.add_shift(db, subject=subject, data=data)]))[0]


@router.delete("/shifts/{shift_id}", status_code=204, tags=["Shifts"])
async def delete_shift(db: SessionDep, subject: CurrentSubject, shift_id: Id) -> Response:
    await rosters.delete_shift(db, subject=subject, shift_id=shift_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/fieldwork/roster", response_model=schemas.RosterOut, tags=["Shifts"])
async def roster(
    db: SessionDep,
    subject: CurrentSubject,
    week: Annotated[Day, Query(description="The Monday the week starts")],
    community_id: Id | None = None,
) -> Any:
    """The week's roster, day by day: who works when, and who covers whom from approved leaves."""
    return await rosters.roster(db, subject=subject, week=week, community_id=community_id)


# --- door-to-door service ----------------------------------------------------------------------------------------


@router.get("/special-groups", response_model=list[schemas.SpecialGroupOut], tags=["Door-to-door service"])
async def special_groups(db: SessionDep, subject: CurrentSubject) -> Any:
    return await home_visits.list_groups(db)


@router.patch("/special-groups/{group_id}", response_model=schemas.SpecialGroupOut, tags=["Door-to-door service"])
async def update_group(db: SessionDep, subject: CurrentSubject, group_id: Id, data: schemas.SpecialGroupUpdate) -> Any:
    """Change a group's name or required visit frequency (system or district administrators)."""
    return await home_visits.update_group(db, subject=subject, group_id=group_id, data=data)


@router.get("/special-residents", response_model=list[schemas.ResidentOut], tags=["Door-to-door service"])
async def residents(
    db: SessionDep,
    subject: CurrentSubject,
    settings: SettingsDep,
    grid_id: Id | None = None,
    active: bool | None = True,
    id_number: Annotated[
        str | None, Query(min_length=1, max_length=30, description="The whole identity number (exact match)")
    ] = None,
) -> Any:
    """Residents in special groups in your scope; phone and ID number masked unless you may read personal data
    (`personal_data:read`; such a read is logged). With `id_number`, those with that number; 422
    `id-number-invalid`."""
    return await home_visits.list_residents(
        db, subject=subject, settings=settings, grid_id=grid_id, active=active, id_number=id_number
    )


@router.post("/special-residents", status_code=201, response_model=schemas.ResidentOut, tags=["Door-to-door service"])
async def add_resident(db: SessionDep, subject: CurrentSubject, settings: SettingsDep, data: schemas.ResidentIn) -> Any:
    return await home_visits.add_resident(db, subject=subject, settings=settings, data=data)


@router.get("/special-residents/{resident_id}", response_model=schemas.ResidentOut, tags=["Door-to-door service"])
async def get_resident(db: SessionDep, subject: CurrentSubject, settings: SettingsDep, resident_id: Id) -> Any:
    return await home_visits.get_resident(db, subject=subject, settings=settings, resident_id=resident_id)


@router.patch("/special-residents/{resident_id}", response_model=schemas.ResidentOut, tags=["Door-to-door service"])
async def update_resident(
    db: SessionDep, subject: CurrentSubject, settings: SettingsDep, resident_id: Id, data: schemas.ResidentUpdate
) -> Any:
    return await home_visits.update_resident(db, subject=subject, settings=settings, resident_id=resident_id, data=data)


@router.post(
    "/special-residents/{resident_id}/deactivate",
    response_model=schemas.ResidentOut,
    tags=["Door-to-door service"],
)
async def deactivate_resident(db: SessionDep, subject: CurrentSubject, settings: SettingsDep, resident_id: Id) -> Any:
    return await home_visits.deactivate_resident(db, subject=subject, settings=settings, resident_id=resident_id)


@router.post(
    "/special-residents/{resident_id}/visits",
    status_code=201,
    response_model=schemas.VisitOut,
    tags=["Door-to-door service"],
)
async def record_visit(db: SessionDep, subject: CurrentSubject, resident_id: Id, data: schemas.VisitIn) -> Any:
    """Record a home visit 入户走访: the visitors are you and your A/B partner (the paired grid's leader)."""
    visit = await home_visits.record_visit(db, subject=subject, resident_id=resident_id, data=data)
    return (await home_visits.visit_out(db, [visit]))[0]


@router.get(
    "/special-residents/{resident_id}/visits",
    response_model=list[schemas.VisitOut],
    tags=["Door-to-door service"],
)
async def visits(db: SessionDep, subject: CurrentSubject, resident_id: Id) -> Any:
    return await home_visits.visit_out(db, await home_visits.list_visits(db, subject=subject, resident_id=resident_id))


@router.get("/visits/table", response_model=schemas.VisitTablePage, tags=["Door-to-door service"])
async def visits_desk_table(
    db: ReadSessionDep,
    subject: VisitReader,
    grid_id: Annotated[Id | None, Query(description="Only this grid's residents (within what you may see)")] = None,
    group_id: Annotated[Id | None, Query(description="Only this special group's residents")] = None,
    visitor_id: Annotated[Id | None, Query(description="Only visits this person made")] = None,
    visited_from: Annotated[Day | None, Query(description="Visited on or after this day (Beijing time)")] = None,
    visited_to: Annotated[Day | None, Query(description="Visited on or before this day (Beijing time)")] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=50, description="Words of the resident's name")] = None,
    sort: Annotated[Literal["visited", "-visited"], Query(description="By visit time; `-` newest first")] = "-visited",
    limit: Annotated[int, Query(ge=1, le=200, description="Page size")] = 50,
    after: Annotated[
        str | None, Query(max_length=200, description="The `next_after` of the page before (same filters and sort)")
    ] = None,
) -> Any:
    """入户走访 as the desk's table: the visits to the special-group residents you may see (phones masked), in keyset
    pages exact when visits share a time; `total` is counted up to 1,000."""
    filters = visits_table.Filters(
        grid_id=grid_id,
        group_id=group_id,
        visitor_id=visitor_id,
        visited_from=visited_from,
        visited_to=visited_to,
        q=q.strip() or None if q else None,
    )
    return await visits_table.page(db, subject, filters, sort=sort, limit=limit, after=after)


@router.get("/fieldwork/visits/overdue", response_model=list[schemas.OverdueOut], tags=["Door-to-door service"])
async def overdue_visits(db: SessionDep, subject: CurrentSubject, settings: SettingsDep) -> Any:
    """Residents due a visit: never visited first, then the longest overdue (numbers and phones masked)."""
    return await home_visits.overdue_visits(db, subject=subject, settings=settings)


# --- from Excel ----------------------------------------------------------------------------------------------------

XlsxFile = Annotated[UploadFile, File(description="The filled template (.xlsx)")]
ApplyFlag = Annotated[bool, Query(description="false: check and preview; true: create the new rows, all or nothing")]


@router.get(
    "/team-members/import/template.xlsx", response_class=Response, responses=TEMPLATE_RESPONSES, tags=["Grid teams"]
)
async def team_template(subject: TeamManager) -> Response:
    """The Excel template of grid teams: Chinese headers, an example row and a sheet of notes."""
    return template_response(imports.TEAM.template(), "网格团队导入.xlsx")


@router.post("/team-members/import", response_model=ImportReport, tags=["Grid teams"])
async def import_team(db: SessionDep, subject: TeamManager, file: XlsxFile, apply: ApplyFlag = False) -> Any:
    """Team members of grids from an Excel file, each row naming its grid by code: every row checked as adding one
    member is (new, same as already there, or wrong and why); with apply=true the new ones are added, all or
    nothing (422 `import-rejected` with the report while any row is wrong). The same file again adds nobody."""
    content = await upload_bytes(file)
    with bulk():
        rows = await imports.check_team(db, subject, content)
        return await imports.apply_team(db, rows, apply=apply)


@router.get(
    "/special-residents/import/template.xlsx",
    response_class=Response,
    responses=TEMPLATE_RESPONSES,
    tags=["Door-to-door service"],
)
async def residents_template(subject: ResidentKeeper) -> Response:
    """The Excel template of special-group residents."""
    return template_response(imports.RESIDENTS.template(), "特殊人群导入.xlsx")


@router.post("/special-residents/import", response_model=ImportReport, tags=["Door-to-door service"])
async def import_residents(
    db: SessionDep, subject: ResidentKeeper, settings: SettingsDep, file: XlsxFile, apply: ApplyFlag = False
) -> Any:
    """Special-group residents from an Excel file, as `/team-members/import` does members; phones and identity
    numbers are stored as registering one stores them and shown masked in the report."""
    content = await upload_bytes(file)
    with bulk():
        rows = await imports.check_residents(db, subject, settings, content)
        return await imports.apply_residents(db, settings, rows, apply=apply)
