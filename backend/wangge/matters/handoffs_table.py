"""The desk's list of a unit's work orders 工作单: the handoffs it received (incoming) or sent (outgoing), pending,
signed for or returned, newest first in keyset pages (after the last one seen, exact when handoffs share a time).
Every row's matter is one the caller may read (`policy.readable`), and the unit is the caller's own: a station's
community, a street, a department; an administrator's area; a system administrator all of them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, false, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from wangge import tables
from wangge.accounts.models import Role, ScopeLevel, User
from wangge.accounts.scope import Subject
from wangge.hierarchy.models import Department
from wangge.matters.models import Category, Matter
from wangge.matters.models import Handoff as HandoffModel
from wangge.policy import readable

SORT = "-created"  # the one order of this list, named in its cursors
# Aliased: policy.readable's rule for a department officer asks EXISTS over handoffs of the matter, which must not
# correlate to the handoff this list is reading.
Handoff = aliased(HandoffModel, name="work_order")


def _unit(subject: Subject, direction: str) -> ColumnElement[bool]:
    """The caller's unit on the given side of the handoff."""
    level, department = (Handoff.to_level, Handoff.to_department_id)
    if direction == "out":
        level, department = (Handoff.from_level, Handoff.from_department_id)
    if subject.scope_level == ScopeLevel.system:
        return true()
    if subject.role == Role.department_officer:
        return department == subject.department_id
    if subject.role == Role.station_chief:
        return and_(level == "station", Matter.community_id == subject.community_id)
    if subject.role == Role.street_officer:
        return and_(level == "street", Matter.street_id == subject.street_id)
    if subject.role == Role.administrator and subject.area_level is not None:
        area = subject.area_level
        return getattr(Matter, f"{area}_id") == getattr(subject, f"{area}_id")
    return false()


async def page(
    db: AsyncSession,
    subject: Subject,
    *,
    direction: str,
    state: str | None,
    created_from: date | None,
    created_to: date | None,
    q: str | None,
    limit: int,
    after: str | None,
) -> dict[str, Any]:
    tables.check_range(created_from, created_to, field="created_from", other="created_to")
    conds: list[ColumnElement[bool]] = [readable(subject, Matter), _unit(subject, direction)]
    if state == "pending":
        conds += [Handoff.signed_at.is_(None), Handoff.returned_at.is_(None)]
    elif state == "signed":
        conds.append(Handoff.signed_at.is_not(None))
    elif state == "returned":
        conds.append(Handoff.returned_at.is_not(None))
    if created_from:
        conds.append(Handoff.created_at >= tables.start_of(created_from))
    if created_to:
        conds.append(Handoff.created_at < tables.start_of(created_to + timedelta(days=1)))
    if q:
        conds.append(Matter.tracking_code.like(q.upper().replace("%", "").replace("_", "") + "%"))
    joined = select(Handoff.id).join(Matter, Matter.id == Handoff.matter_id).where(*conds)
    total, exact = await tables.capped_count(db, joined)
    sender = User.__table__.alias("sender")
    signer = User.__table__.alias("signer")
    to_department = Department.__table__.alias("to_department")
    query = (
        select(Handoff, Matter.id, Matter.tracking_code, Matter.status, Category.name_zh)
        .add_columns(sender.c.display_name, signer.c.display_name, to_department.c.name)
        .join(Matter, Matter.id == Handoff.matter_id)
        .join(Category, Category.id == Matter.category_id)
        .outerjoin(sender, sender.c.id == Handoff.from_user_id)
        .outerjoin(signer, signer.c.id == Handoff.to_user_id)
        .outerjoin(to_department, to_department.c.id == Handoff.to_department_id)
        .where(*conds)
    )
    if after:
        at, ident = tables.decode_cursor(SORT, after, [tables.an_instant, tables.an_id])
        query = query.where(tuple_(Handoff.created_at, Handoff.id) < tuple_(at, ident))
    rows = (await db.execute(query.order_by(Handoff.created_at.desc(), Handoff.id.desc()).limit(limit + 1))).all()
    last = rows[limit - 1][0] if len(rows) > limit else None
    following = tables.encode_cursor(SORT, [last.created_at, last.id]) if last is not None else None
    items = [
        {
            "id": h.id,
            "matter": {"id": mid, "tracking_code": code, "status": status, "category": category},
            "from_level": h.from_level,
            "from_user": from_user,
            "to_level": h.to_level,
            "to_department": to_department_name,
            "to_user": to_user,
            "reason": h.reason,
            "created_at": h.created_at,
            "sign_due_at": h.sign_due_at,
            "signed_at": h.signed_at,
            "returned_at": h.returned_at,
            "return_reason": h.return_reason,
        }
        for h, mid, code, status, category, from_user, to_user, to_department_name in rows[:limit]
    ]
    return {
        "items": items,
        "total": total,
        "total_exact": exact,
        "limit": limit,
        "next_after": following,
    }
