"""The desk's table of incidents: filters, a search, newest known first in keyset pages (after the last one seen,
exact when incidents share a time), and a count that stops at tables.COUNT_CAP. Every filter is ANDed to
`policy.readable`; a page is two statements (the incidents, their reports' clocks) however many rows it shows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import tables
from wangge.accounts.scope import Subject
from wangge.emergencies import service
from wangge.emergencies.models import Incident
from wangge.policy import readable

SORT = "-known"  # the one order of this table, named in its cursors


async def page(
    db: AsyncSession,
    subject: Subject,
    *,
    status: str | None,
    incident_type: list[str],
    severity: list[int],
    known_from: date | None,
    known_to: date | None,
    q: str | None,
    limit: int,
    after: str | None,
) -> dict[str, Any]:
    service.require_staff(subject)
    tables.check_range(known_from, known_to, field="known_from", other="known_to")
    conds: list[ColumnElement[bool]] = [readable(subject, Incident)]
    if status:
        conds.append(Incident.status == status)
    if incident_type:
        conds.append(Incident.incident_type.in_(incident_type))
    if severity:
        conds.append(Incident.severity.in_(severity))
    if known_from:
        conds.append(Incident.known_at >= tables.start_of(known_from))
    if known_to:
        conds.append(Incident.known_at < tables.start_of(known_to + timedelta(days=1)))
    if q:
        pattern = tables.like(q)
        conds.append(
            or_(
                Incident.code.ilike(pattern, escape="\\"),
                Incident.title.ilike(pattern, escape="\\"),
                Incident.place.ilike(pattern, escape="\\"),
            )
        )
    total, exact = await tables.capped_count(db, select(Incident.id).where(*conds))
    query = select(Incident).where(*conds)
    if after:
        known, ident = tables.decode_cursor(SORT, after, [tables.an_instant, tables.an_id])
        query = query.where(tuple_(Incident.known_at, Incident.id) < tuple_(known, ident))
    rows = list(
        (await db.execute(query.order_by(Incident.known_at.desc(), Incident.id.desc()).limit(limit + 1))).scalars()
    )
    last = rows[limit - 1] if len(rows) > limit else None
    following = tables.encode_cursor(SORT, [last.known_at, last.id]) if last is not None else None
    return {
        "items": await service.incidents_out(db, rows[:limit]),
        "total": total,
        "total_exact": exact,
        "limit": limit,
        "next_after": following,
    }
