"""The hazard ledger 台账 as a list and as the desk's table: filters of community, grid, status, risk level, type,
month and overdue, ANDed to `policy.readable(subject, Hazard)`; by deadline in keyset pages (after the last deadline
and id seen, so a ledger of any length is read to its end), and a count that stops at tables.COUNT_CAP."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import tables
from wangge.accounts.scope import Subject
from wangge.policy import readable
from wangge.station.hazards import DONE, hazard_out, in_month, require_staff, visible_hazards
from wangge.station.models import Hazard
from wangge.station.triage import beijing_today


@dataclass(frozen=True, kw_only=True)
class Filters:
    community_id: int | None = None
    grid_id: int | None = None
    status: list[str] = field(default_factory=list)
    risk_level: list[str] = field(default_factory=list)
    hazard_type: str | None = None
    month: str | None = None
    overdue: bool | None = None


def conditions(f: Filters, today: date) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.community_id is not None:
        conds.append(Hazard.community_id == f.community_id)
    if f.grid_id is not None:
        conds.append(Hazard.grid_id == f.grid_id)
    if f.status:
        conds.append(Hazard.status.in_(f.status))
    if f.risk_level:
        conds.append(Hazard.risk_level.in_(f.risk_level))
    if f.hazard_type is not None:
        conds.append(Hazard.hazard_type == f.hazard_type)
    if f.month is not None:
        conds.append(in_month(f.month))
    if f.overdue is True:
        conds += [Hazard.deadline < today, Hazard.status.not_in(DONE)]
    elif f.overdue is False:
        conds.append(or_(Hazard.deadline >= today, Hazard.status.in_(DONE)))
    return conds


async def page(
    db: AsyncSession, *, subject: Subject, filters: Filters, limit: int = 1000, after: str | None = None
) -> dict[str, Any]:
    """A page of the ledger by deadline, the `after` of the next one ("deadline.id" of the last row shown) and the
    count of all that match, up to tables.COUNT_CAP."""
    require_staff(subject)
    today = beijing_today()
    conds = conditions(filters, today)
    q = visible_hazards(subject).where(*conds)
    total, exact = await tables.capped_count(db, select(Hazard.id).where(readable(subject, Hazard), *conds))
    if after is not None:
        q = q.where(tuple_(Hazard.deadline, Hazard.id) > tuple_(*_cursor(after)))
    rows = (await db.execute(q.order_by(Hazard.deadline, Hazard.id).limit(limit + 1))).all()
    following = f"{rows[limit - 1][0].deadline.isoformat()}.{rows[limit - 1][0].id}" if len(rows) > limit else None
    return {
        "items": [hazard_out(h, grid_name, today) for h, grid_name in rows[:limit]],
        "next_after": following,
        "total": total,
        "total_exact": exact,
    }


def _cursor(after: str) -> tuple[date, int]:
    day, _, ident = after.partition(".")
    try:
        parsed, number = date.fromisoformat(day), int(ident)
    except ValueError:
        parsed, number = None, 0
    if parsed is None or not 1 <= number <= 2**31 - 1:
        raise tables.bad("after", "not a cursor this list gave")
    return parsed, number
