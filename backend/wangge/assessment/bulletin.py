"""The monthly bulletin 通报 of each street: written by the worker on the first working day of a month for the month
before, from that month's frozen results (so it says what the month's figures say for good), and announced to the
street's officers.

A bulletin holds the street's own figures, its communities ranked, the three best and the three worst grids of the
street (by score; grids without a score are not ranked), the matters of the month that went overdue — named by
tracking code and category — and the scheme version that scored the month.

Once a day is the first working day of its month (workcalendar, with the district's own overrides), every round of
the worker looks for streets without last month's bulletin: the month is frozen (idempotent) and each missing
bulletin written. A bulletin is inserted with ON CONFLICT DO NOTHING on (street, month), in the same transaction as
its notice, so with several workers or rounds each street gets one bulletin and its officers one notice. A worker
that was down on the first working day catches up on its next round that month; before the first working day
(a weekend or the holidays that open a month) nothing is written."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, false, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import messages
from wangge.accounts.scope import Subject
from wangge.assessment.matter_figures import conditions
from wangge.assessment.models import AssessmentBulletin, AssessmentResult, AssessmentScheme
from wangge.assessment.results import freeze_month
from wangge.errors import NotFound
from wangge.hierarchy.models import Community, Grid, Street
from wangge.matters.models import Category, Matter
from wangge.matters.service import work_calendar
from wangge.models_common import as_utc, insert_for, utcnow
from wangge.notify.outbox import emit
from wangge.notify.recipients import unit
from wangge.tables import start_of
from wangge.workcalendar import SHANGHAI, WorkCalendar

BEST_WORST = 3
OVERDUE_LISTED = 100  # named in the bulletin; the XLSX and the page say how many more there were
SUMMARY_KEYS = (
    "received",
    "resolved",
    "response_rate",
    "on_time_rate",
    "resolution_rate",
    "satisfaction_rate",
    "overdue",
)


# --- when --------------------------------------------------------------------------------------------------------


def first_working_day(cal: WorkCalendar, day: date) -> date:
    """The first working day of `day`'s month."""
    d = day.replace(day=1)
    while not cal.is_working_day(d):
        d += timedelta(days=1)
    return d


def previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


# --- what --------------------------------------------------------------------------------------------------------


def _summary(figures: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (figures or {}).items() if k in SUMMARY_KEYS}


def _row(r: AssessmentResult, name: str, level: str, community: str | None = None) -> dict[str, Any]:
    row = {
        "unit": {"level": level, "id": r.unit_id, "name": name},
        "rank": r.rank,
        "score": r.score,
        "grade": r.grade,
        "figures": _summary(r.figures),
    }
    if community is not None:
        row["community"] = community
    return row


def _response_value(row: dict[str, Any]) -> float:
    value = (row["figures"].get("response_rate") or {}).get("value")
    return value if value is not None else -1.0


async def _results(db: AsyncSession, level: str, month: date, ids_of: Any) -> list[AssessmentResult]:
    return list(
        (
            await db.execute(
                select(AssessmentResult).where(
                    AssessmentResult.level == level,
                    AssessmentResult.month == month,
                    AssessmentResult.unit_id.in_(ids_of),
                )
            )
        ).scalars()
    )


async def _ranking(db: AsyncSession, street_id: int, month: date) -> list[dict[str, Any]]:
    """The street's communities as frozen, by rank (unranked last, by name)."""
    names = dict((await db.execute(select(Community.id, Community.name).where(Community.street_id == street_id))).all())
    rows = [
        _row(r, names.get(r.unit_id, ""), "community")
        for r in await _results(db, "community", month, select(Community.id).where(Community.street_id == street_id))
    ]
    return sorted(rows, key=lambda r: (r["rank"] is None, r["rank"] or 0, r["unit"]["name"]))


async def _best_worst(
    db: AsyncSession, street_id: int, month: date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The street's three best and three worst grids by score (then response rate, then name), the worst lowest
    first. A grid is in one list only: a street of fewer than six scored grids has the better half (rounded up) as
    its best and the rest as its worst (five: three and two; three: two and one)."""
    meta = {
        gid: (gname, cname)
        for gid, gname, cname in (
            await db.execute(
                select(Grid.id, Grid.name, Community.name)
                .join(Community, Community.id == Grid.community_id)
                .where(Grid.street_id == street_id)
            )
        ).all()
    }
    scored = [
        _row(r, meta.get(r.unit_id, ("", ""))[0], "grid", meta.get(r.unit_id, ("", ""))[1])
        for r in await _results(db, "grid", month, select(Grid.id).where(Grid.street_id == street_id))
        if r.score is not None
    ]
    scored.sort(key=lambda r: (-r["score"], -_response_value(r), r["unit"]["name"]))
    best = scored[: min(BEST_WORST, (len(scored) + 1) // 2)]
    worst = list(reversed(scored[len(best) :]))[:BEST_WORST]
    return best, worst


async def _overdue(db: AsyncSession, street_id: int, month: date, now: datetime) -> tuple[list[dict[str, Any]], int]:
    """The street's matters of the month that went overdue (the `overdue` figure's own condition), in the order
    they came in; how far past the deadline in working hours (to the resolution, or to now for an open one), like the
    dashboard's most overdue."""
    cond = and_(
        Matter.street_id == street_id,
        Matter.created_at >= start_of(month),
        Matter.created_at < start_of(next_month(month)),
        conditions(now)["overdue"],  # one definition of "overdue" for the figures and the bulletin
    )
    rows = (
        await db.execute(
            select(Matter, Category.name_zh, Community.name, Grid.name)
            .join(Category, Category.id == Matter.category_id)
            .outerjoin(Community, Community.id == Matter.community_id)
            .outerjoin(Grid, Grid.id == Matter.grid_id)
            .where(cond)
            .order_by(Matter.created_at, Matter.id)
            .limit(OVERDUE_LISTED + 1)
        )
    ).all()
    total = len(rows)
    if total > OVERDUE_LISTED:
        total = (await db.execute(select(func.count()).select_from(Matter).where(cond))).scalar_one()
    cal = await work_calendar(db)
    items = []
    for m, category, community, grid in rows[:OVERDUE_LISTED]:
        due = m.resolved_due_at if m.resolved_at is not None else m.due_at  # late resolved, or late and open
        late_until = as_utc(m.resolved_at) if m.resolved_at is not None else now
        items.append(
            {
                "id": m.id,
                "tracking_code": m.tracking_code,
                "category": category,
                "community": community or "",
                "grid": grid or "",
                "holder_level": m.holder_level,
                "status": m.status,
                "due_at": as_utc(due).isoformat() if due else None,
                "overdue_hours": round(max(cal.working_minutes_between(due, late_until), 0) / 60, 1) if due else None,
            }
        )
    return items, total


async def build(
    db: AsyncSession, *, street: Street, month: date, now: datetime | None = None
) -> tuple[dict[str, Any], int | None]:
    """A street's bulletin of `month` (its first day) from the frozen results, and the id of the scheme that scored
    it."""
    now = now or utcnow()
    own = (await _results(db, "street", month, [street.id])) or [None]
    scheme_id = own[0].scheme_id if own[0] is not None else None
    scheme = await db.get(AssessmentScheme, scheme_id) if scheme_id else None
    ranking = await _ranking(db, street.id, month)
    best, worst = await _best_worst(db, street.id, month)
    overdue, overdue_total = await _overdue(db, street.id, month, now)
    end = next_month(month) - timedelta(days=1)
    data = {
        "street": {"id": street.id, "name": street.name},
        "month": month.strftime("%Y-%m"),
        "period": {"kind": "month", "start": month.isoformat(), "end": end.isoformat(), "label": month_label(month)},
        "scheme": {"id": scheme.id, "version": scheme.version, "street_id": scheme.street_id} if scheme else None,
        "street_figures": _summary(own[0].figures) if own[0] is not None else {},
        "street_score": own[0].score if own[0] is not None else None,
        "street_grade": own[0].grade if own[0] is not None else None,
        "ranking": ranking,
        "best": best,
        "worst": worst,
        "best_worst_level": "grid",
        "overdue": overdue,
        "overdue_total": overdue_total,
    }
    return data, scheme_id


# --- the worker's round ----------------------------------------------------------------------------------------------


async def _write(db: AsyncSession, street: Street, month: date, now: datetime) -> bool:
    data, scheme_id = await build(db, street=street, month=month, now=now)
    stmt = (
        insert_for(db, AssessmentBulletin)
        .values(street_id=street.id, month=month, scheme_id=scheme_id, data=data, generated_at=now)
        .on_conflict_do_nothing(index_elements=[AssessmentBulletin.street_id, AssessmentBulletin.month])
        .returning(AssessmentBulletin.id)
    )
    bulletin_id = (await db.execute(stmt)).scalar()
    if bulletin_id is None:  # another worker wrote it first (and told the officers)
        await db.rollback()
        return False
    emit(
        db,
        "assessment.bulletin",
        {"bulletin_id": bulletin_id, "street_id": street.id, "month": data["month"]},
        units=[unit("street", street_id=street.id, district_id=street.district_id)],
        title=messages.notice("bulletin", street=street.name, month=messages.both(month_label(month), str(month)[:7])),
        body=messages.notice("bulletin-body", overdue=data["overdue_total"]),
    )
    await db.commit()
    return True


async def periodic(db: AsyncSession, *, now: datetime | None = None) -> dict[str, int]:
    """The assessment's share of the worker's rounds: last month's bulletins, from the first working day on."""
    now = now or utcnow()
    today = as_utc(now).astimezone(SHANGHAI).date()
    if today < first_working_day(await work_calendar(db), today):
        return {"bulletins": 0}
    month = previous_month(today)
    have = select(AssessmentBulletin.street_id).where(AssessmentBulletin.month == month)
    streets = list(
        (
            await db.execute(
                select(Street).where(Street.is_active.is_(True), Street.id.not_in(have)).order_by(Street.id)
            )
        ).scalars()
    )
    if not streets:
        return {"bulletins": 0}
    await freeze_month(db, month=month)
    await db.commit()
    written = 0
    for street in streets:
        written += await _write(db, street, month, now)
    return {"bulletins": written}


# --- reading ---------------------------------------------------------------------------------------------------------


def readable(subject: Subject) -> Any:
    """The bulletins `subject` may read: those of the streets at or under their area (a street officer's street, a
    district's streets, every street for the system scope)."""
    area = subject.area_level
    if area is None:
        return true() if subject.scope_level == "system" else false()
    if area == "district":
        return AssessmentBulletin.street_id.in_(select(Street.id).where(Street.district_id == subject.district_id))
    if area == "street":
        return AssessmentBulletin.street_id == subject.street_id
    return false()


def summary(b: AssessmentBulletin) -> dict[str, Any]:
    return {
        "id": b.id,
        "street": b.data.get("street") or {"id": b.street_id, "name": ""},
        "month": b.month.strftime("%Y-%m"),
        "label": month_label(b.month),
        "generated_at": b.generated_at,
        "scheme": b.data.get("scheme"),
        "overdue_total": b.data.get("overdue_total", 0),
    }


async def listing(db: AsyncSession, subject: Subject, *, street_id: int | None) -> list[dict[str, Any]]:
    stmt = select(AssessmentBulletin).where(readable(subject))
    if street_id is not None:
        stmt = stmt.where(AssessmentBulletin.street_id == street_id)
    rows = (await db.execute(stmt.order_by(AssessmentBulletin.month.desc(), AssessmentBulletin.street_id))).scalars()
    return [summary(b) for b in rows]


async def get(db: AsyncSession, subject: Subject, bulletin_id: int) -> dict[str, Any]:
    b = (
        await db.execute(select(AssessmentBulletin).where(AssessmentBulletin.id == bulletin_id, readable(subject)))
    ).scalar()
    if b is None:
        raise NotFound("No such bulletin")
    return {**summary(b), "data": b.data}
