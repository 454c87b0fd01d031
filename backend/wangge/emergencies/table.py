"""The desk's table of incidents: filters, a search, newest known first in keyset pages (after the last one seen,
exact when incidents share a time), and a count that stops at COUNT_CAP. Every filter is ANDed to
`policy.readable`; a page is two statements (the incidents, their reports' clocks) however many rows it shows."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.scope import Subject
from wangge.emergencies import service
from wangge.emergencies.models import Incident
from wangge.errors import Invalid
from wangge.models_common import as_utc
from wangge.policy import readable
from wangge.workcalendar import SHANGHAI

COUNT_CAP = 1000


def _bad(field: str, msg: str) -> Invalid:
    return Invalid(f"{field}: {msg}", errors=[{"loc": ["query", field], "msg": msg, "type": "value_error"}])


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SHANGHAI).astimezone(UTC)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def encode_cursor(i: Incident) -> str:
    raw = json.dumps([as_utc(i.known_at).isoformat(), i.id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        known, ident = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if type(ident) is not int or not 1 <= ident <= 2**31 - 1:
            raise ValueError("not an id")
        return as_utc(datetime.fromisoformat(known)), ident
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, OverflowError):
        raise _bad("after", "not a cursor this list gave") from None


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
    if known_from and known_to and known_from > known_to:
        raise _bad("known_from", "after known_to")
    conds: list[ColumnElement[bool]] = [readable(subject, Incident)]
    if status:
        conds.append(Incident.status == status)
    if incident_type:
        conds.append(Incident.incident_type.in_(incident_type))
    if severity:
        conds.append(Incident.severity.in_(severity))
    if known_from:
        conds.append(Incident.known_at >= _start_of(known_from))
    if known_to:
        conds.append(Incident.known_at < _start_of(known_to + timedelta(days=1)))
    if q:
        pattern = _like(q)
        conds.append(
            or_(
                Incident.code.ilike(pattern, escape="\\"),
                Incident.title.ilike(pattern, escape="\\"),
                Incident.place.ilike(pattern, escape="\\"),
            )
        )
    capped = select(Incident.id).where(*conds).limit(COUNT_CAP + 1).subquery()
    counted = (await db.execute(select(func.count()).select_from(capped))).scalar_one()
    query = select(Incident).where(*conds)
    if after:
        query = query.where(tuple_(Incident.known_at, Incident.id) < tuple_(*decode_cursor(after)))
    rows = list(
        (await db.execute(query.order_by(Incident.known_at.desc(), Incident.id.desc()).limit(limit + 1))).scalars()
    )
    following = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return {
        "items": await service.incidents_out(db, rows[:limit]),
        "total": min(counted, COUNT_CAP),
        "total_exact": counted <= COUNT_CAP,
        "limit": limit,
        "next_after": following,
    }
