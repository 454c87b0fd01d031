"""The desk's table of home visits 入户走访: which special-group resident was visited when and by whom, newest (or
oldest) first in keyset pages exact when visits share a time, and a count that stops at tables.COUNT_CAP.
Every filter is ANDed to `policy.readable(subject, SpecialResident)`: the residents of the grids in the caller's
scope (a grid leader also those of the grids they cover now).

The resident's name is shown as the resident reads show it; the phone is masked for everyone (a table is read over
shoulders) and the identity number is not shown. A page is one statement for the rows (resident, group and grid
joined) and one for the visitors' names, plus the bounded count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, cast, exists, func, literal, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import tables
from wangge.accounts.scope import Subject, mask_phone
from wangge.fieldwork.models import HomeVisit, SpecialGroup, SpecialResident
from wangge.fieldwork.people import _names, _ref, _require_reader
from wangge.hierarchy.models import Grid
from wangge.models_common import is_sqlite
from wangge.policy import readable

SORTS = ("visited", "-visited")


@dataclass(frozen=True, kw_only=True)
class Filters:
    grid_id: int | None = None
    group_id: int | None = None
    visitor_id: int | None = None
    visited_from: date | None = None
    visited_to: date | None = None
    q: str | None = None


def _visited_by(db: AsyncSession, user_id: int) -> ColumnElement[bool]:
    """The visits whose visitors (a JSON list of user ids) hold `user_id`."""
    if is_sqlite(db):
        each = func.json_each(HomeVisit.visitor_ids).table_valued("value")
        return exists(select(literal(1)).select_from(each).where(each.c.value == user_id))
    return cast(HomeVisit.visitor_ids, JSONB).contains([user_id])


def conditions(db: AsyncSession, subject: Subject, f: Filters) -> list[ColumnElement[bool]]:
    tables.check_range(f.visited_from, f.visited_to, field="visited_from", other="visited_to")
    conds: list[ColumnElement[bool]] = [readable(subject, SpecialResident)]
    if f.grid_id is not None:
        conds.append(SpecialResident.grid_id == f.grid_id)
    if f.group_id is not None:
        conds.append(SpecialResident.group_id == f.group_id)
    if f.visitor_id is not None:
        conds.append(_visited_by(db, f.visitor_id))
    if f.visited_from:
        conds.append(HomeVisit.visited_at >= tables.start_of(f.visited_from))
    if f.visited_to:
        conds.append(HomeVisit.visited_at < tables.start_of(f.visited_to + timedelta(days=1)))
    if f.q:
        conds.append(SpecialResident.name.ilike(tables.like(f.q), escape="\\"))
    return conds


async def page(
    db: AsyncSession, subject: Subject, f: Filters, *, sort: str, limit: int, after: str | None
) -> dict[str, Any]:
    _require_reader(subject)
    conds = conditions(db, subject, f)
    descending = sort.startswith("-")
    keys = [HomeVisit.visited_at, HomeVisit.id]
    joined = select(HomeVisit.id).join(SpecialResident, SpecialResident.id == HomeVisit.resident_id).where(*conds)
    total, exact = await tables.capped_count(db, joined)
    query = (
        select(HomeVisit, SpecialResident.name, SpecialResident.phone, SpecialResident.grid_id, Grid.name)
        .add_columns(SpecialGroup.id, SpecialGroup.code, SpecialGroup.name_zh, SpecialGroup.name_en)
        .join(SpecialResident, SpecialResident.id == HomeVisit.resident_id)
        .join(SpecialGroup, SpecialGroup.id == SpecialResident.group_id)
        .join(Grid, Grid.id == SpecialResident.grid_id)
        .where(*conds)
    )
    if after:
        values = tables.decode_cursor(sort, after, [tables.an_instant, tables.an_id])
        query = query.where(tables.after(keys, values, descending=descending))
    rows = (await db.execute(query.order_by(*tables.order(keys, descending=descending)).limit(limit + 1))).all()
    following = None
    if len(rows) > limit:
        rows = rows[:limit]
        following = tables.encode_cursor(sort, [rows[-1][0].visited_at, rows[-1][0].id])
    people: set[int | None] = set()
    for v, *_ in rows:
        people |= {v.created_by_id, *(v.visitor_ids or [])}
    names = await _names(db, people)
    items = [
        {
            "id": v.id,
            "visited_at": v.visited_at,
            "resident": {"id": v.resident_id, "name": name, "phone": mask_phone(phone)},
            "group": {"id": group_id, "code": code, "name_zh": name_zh, "name_en": name_en},
            "grid": {"id": grid_id, "name": grid_name},
            "visitors": [_ref(names, i) for i in v.visitor_ids or []],
            "notes": v.notes,
            "created_by": _ref(names, v.created_by_id),
        }
        for v, name, phone, grid_id, grid_name, group_id, code, name_zh, name_en in rows
    ]
    return {
        "items": items,
        "total": total,
        "total_exact": exact,
        "limit": limit,
        "sort": sort,
        "next_after": following,
    }
