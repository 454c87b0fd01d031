"""HTTP routes of the steps around the routes (matters.loop): a record's contacts, applications, verification,
callbacks, mediation and co-operators; the desk's queues of applications to decide, resolutions to verify and
residents to call back; the results going back to the 12345 hotline. The steps themselves are actions
(POST /matters/{id}/actions/{action}). Included before the matters router, so that /matters/callbacks is not read
as a matter's id."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from wangge.accounts.dependencies import CurrentSubject, HotlineImporter, Supervisor
from wangge.deps import ReadSessionDep, SettingsDep
from wangge.errors import Invalid
from wangge.matters import loop_schemas, loop_views, service
from wangge.schemas_common import Day, Id
from wangge.tables import start_of

router = APIRouter(tags=["Matters"])


@router.get("/matters/applications", response_model=list[loop_schemas.QueueItem])
async def applications(db: ReadSessionDep, settings: SettingsDep, subject: Supervisor) -> Any:
    """Applications for an extension 延期 or a suspension 缓办 that the caller decides (the level above the
    holder: the station for a grid's, the street for a station's, the district for the street's and departments'),
    oldest first (at most 100)."""
    return await loop_views.applications_queue(db, subject, settings)


@router.get("/matters/verifications", response_model=list[loop_schemas.QueueItem])
async def verifications(db: ReadSessionDep, settings: SettingsDep, subject: Supervisor) -> Any:
    """Resolutions awaiting verification 核查 by the caller (the station for grid matters, the street for
    departments'; a station's or a street's own by another of its officers or the level above), oldest first (at
    most 100); `own` marks those the caller resolved."""
    return await loop_views.verifications_queue(db, subject, settings)


@router.get("/matters/callbacks", response_model=list[loop_schemas.QueueItem])
async def callbacks(db: ReadSessionDep, settings: SettingsDep, subject: Supervisor) -> Any:
    """Resolved matters not rated by the resident within their category's days: to call back 回访, oldest first
    (at most 100). The answer is recorded with the action `callback`."""
    return await loop_views.callbacks_queue(db, subject, settings)


def _range(since: Any, until: Any) -> tuple[datetime, datetime]:
    if until < since:
        raise Invalid(
            "The range ends before it starts",
            errors=[{"loc": ["query", "until"], "msg": "before since", "type": "value_error"}],
        )
    if (until - since).days > 366:
        raise Invalid(
            "At most a year at a time",
            errors=[{"loc": ["query", "until"], "msg": "range longer than a year", "type": "value_error"}],
        )
    return start_of(since), start_of(until + timedelta(days=1))


CSV_COLUMNS = (
    "order_no",
    "tracking_code",
    "status",
    "outcome",
    "result",
    "received_at",
    "first_contact_at",
    "resolved_at",
    "closed_at",
    "due_at",
    "rating",
    "rating_source",
)


@router.get(
    "/matters/hotline/results",
    response_model=loop_schemas.HotlineResults,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def hotline_results(
    db: ReadSessionDep,
    subject: HotlineImporter,
    since: Annotated[Day, Query(description="Finished on or after this day (Beijing time)")],
    until: Annotated[Day, Query(description="Finished on or before this day (Beijing time)")],
    format: Annotated[Literal["json", "csv"], Query(description="JSON {orders: [...]} or CSV, as imported")] = "json",
) -> Any:
    """The 12345 orders finished in a range of days, with their order number, result and times, for the hotline
    platform: JSON `{"orders": [...]}` or a UTF-8 CSV with a header line, the import's two formats."""
    start, end = _range(since, until)
    rows = await loop_views.hotline_results(db, subject, start, end)
    truncated = len(rows) > loop_views.EXPORT_LIMIT
    rows = rows[: loop_views.EXPORT_LIMIT]
    if format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        name = f"hotline-results-{since.isoformat()}-{until.isoformat()}.csv"
        return Response(
            content="\ufeff" + out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return {"orders": rows, "truncated": truncated}


@router.get("/matters/{matter_id}/loop", response_model=loop_schemas.LoopOut)
async def matter_loop(db: ReadSessionDep, subject: CurrentSubject, matter_id: Id) -> Any:
    """The steps around the routes on one record: contacts, applications, verification, callbacks, mediation (its
    parties' phones masked to those who may not read personal data) and co-operating departments."""
    m = await service.get_visible(db, subject, matter_id)
    return await loop_views.record_loop(db, m, subject)
