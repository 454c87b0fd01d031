"""Daily clear, weekly close 日清周结: the grid leader's day built from their patrols and the matters they touched,
every item with a disposition, signed at day's end; and the week's summary built from the signed days.

An item's disposition is read from its matter's status when the status already says what became of it (handled,
brought back, escalated, emergency, approval). A matter still submitted or accepted in the grid says nothing yet:
the leader takes the matter's own action from the day's row (resolve, bring back, escalate: then its status says),
or carries it over with a note. "Handled" by hand is only for a patrol finding that never became a matter. An item
without a disposition blocks signing, and the refusal names it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import User
from wangge.accounts.scope import Subject
from wangge.errors import Conflict, Forbidden, Invalid, NotFound
from wangge.fieldwork import patrols
from wangge.fieldwork.models import DailyLog, Disposition, LogRemark, Patrol, PatrolFinding
from wangge.hierarchy.models import Grid
from wangge.matters.models import Category, Matter, MatterEvent
from wangge.models_common import utcnow

DERIVED = {
    "verifying": "handled",  # resolved, awaiting verification by someone else
    "resolved": "handled",
    "closed": "handled",
    "merged": "handled",
    "at_station": "brought_back",
    "escalated": "escalated",
    "handling": "escalated",
    "emergency": "emergency",
    "approval_review": "approval",
    "approval_decision": "approval",
    "public_notice": "approval",
}


def derived_disposition(status: str | None) -> str | None:
    """What the matter's status says became of it; None while it still sits in the grid (submitted, accepted)."""
    return DERIVED.get(status or "")


def check_day(day: date) -> None:
    if day > patrols.today():
        raise Invalid(
            f"{day} has not come yet", errors=[{"loc": ["path", "day"], "msg": "in the future", "type": "value_error"}]
        )


async def _grid(db: AsyncSession, subject: Subject) -> dict[str, Any] | None:
    if subject.grid_id is None:
        return None
    g = await db.get(Grid, subject.grid_id)
    return None if g is None else {"id": g.id, "name": g.name}


async def _day_patrols(db: AsyncSession, subject: Subject, day: date) -> list[Patrol]:
    rows, _ = await patrols.list_patrols(db, subject, day=day, user_id=subject.user_id, limit=patrols.MAX_LIST)
    return sorted(rows, key=lambda p: p.started_at)


async def _items(db: AsyncSession, subject: Subject, day: date) -> list[dict[str, Any]]:
    """The matters the caller created, accepted or acted on that day (from the audit trail, by actor), and the
    findings of their patrols that day. A finding that became a matter is that matter's item, not a second one."""
    start_at, end_at = patrols.day_bounds(day)
    acted = select(MatterEvent.matter_id).where(
        MatterEvent.actor_id == subject.user_id, MatterEvent.at >= start_at, MatterEvent.at < end_at
    )
    found = (
        await db.execute(
            select(PatrolFinding)
            .join(Patrol, Patrol.id == PatrolFinding.patrol_id)
            .where(Patrol.user_id == subject.user_id, PatrolFinding.at >= start_at, PatrolFinding.at < end_at)
            .order_by(PatrolFinding.at, PatrolFinding.id)
        )
    ).scalars()
    findings = list(found)
    matter_ids = set((await db.execute(acted.distinct())).scalars())
    matter_ids |= {f.matter_id for f in findings if f.matter_id is not None}
    matters = (
        await db.execute(
            select(Matter, Category)
            .join(Category, Category.id == Matter.category_id)
            .where(Matter.id.in_(sorted(matter_ids)))
            .order_by(Matter.created_at, Matter.id)
        )
    ).all()
    chosen = {
        (d.item_kind, d.item_id): d
        for d in (
            await db.execute(select(Disposition).where(Disposition.user_id == subject.user_id, Disposition.day == day))
        ).scalars()
    }
    items = []
    for m, cat in matters:
        items.append(_item("matter", m.id, _matter_title(m, cat), m.status, chosen))
    for f in findings:
        if f.matter_id is None:
            status = "handled_on_spot" if f.handled_on_spot else "recorded"
            items.append(_item("finding", f.id, (f.note or "巡查发现")[:60], status, chosen))
    return items


def _matter_title(m: Matter, cat: Any) -> str:
    """An item's title, "WG… 环境卫生：垃圾桶满溢"; a description that already names the category (a quick report with
    no words, "随手拍：环境卫生", or the category's name alone) is not prefixed with it again ("环境卫生：环境卫生")."""
    text = m.description[:40]
    if cat.name_zh in text:
        return f"{m.tracking_code} {text}"
    return f"{m.tracking_code} {cat.name_zh}：{text}"


def _item(kind: str, item_id: int, title: str, status: str, chosen: dict[tuple[str, int], Any]) -> dict[str, Any]:
    derived = "handled" if status == "handled_on_spot" else derived_disposition(status)
    given = chosen.get((kind, item_id))
    if derived is not None:
        disposition, note = derived, None
    elif given is not None:
        disposition, note = given.disposition, given.note
    else:
        disposition, note = None, None
    return {
        "kind": kind,
        "id": item_id,
        "title": title,
        "status": status,
        "disposition": disposition,
        "note": note,
        "derived": derived is not None,
        "needs_disposition": disposition is None,
    }


async def _log(db: AsyncSession, subject: Subject, day: date) -> DailyLog | None:
    stmt = select(DailyLog).where(DailyLog.user_id == subject.user_id, DailyLog.day == day)
    return (await db.execute(stmt)).scalar()


def _ref(item: dict[str, Any]) -> dict[str, Any]:
    return {"kind": item["kind"], "id": item["id"], "title": item["title"]}


async def remarks_on(db: AsyncSession, user_id: int, kind: str, day: date) -> list[dict[str, Any]]:
    """The remarks 督查意见 left on the leader's day (or on the week starting that Monday), oldest first."""
    rows = await db.execute(
        select(LogRemark, User.display_name)
        .join(User, User.id == LogRemark.author_id)
        .where(LogRemark.user_id == user_id, LogRemark.kind == kind, LogRemark.day == day)
        .order_by(LogRemark.created_at, LogRemark.id)
    )
    return [remark_out(r, name) for r, name in rows.all()]


UNREAD_ELSEWHERE = 20


async def unread_elsewhere(db: AsyncSession, user_id: int, day: date) -> list[dict[str, Any]]:
    """The remarks the leader has not read yet that were left on another day or on a week, newest first (at most
    UNREAD_ELSEWHERE): a chief's remark on yesterday is seen on today's page, not only by going back to yesterday."""
    rows = await db.execute(
        select(LogRemark, User.display_name)
        .join(User, User.id == LogRemark.author_id)
        .where(
            LogRemark.user_id == user_id,
            LogRemark.read_at.is_(None),
            or_(LogRemark.kind != "day", LogRemark.day != day),
        )
        .order_by(LogRemark.created_at.desc(), LogRemark.id.desc())
        .limit(UNREAD_ELSEWHERE)
    )
    return [remark_out(r, name) for r, name in rows.all()]


def remark_out(r: LogRemark, author_name: str) -> dict[str, Any]:
    return {
        "id": r.id,
        "kind": r.kind,
        "day": r.day,
        "text": r.text,
        "author": {"id": r.author_id, "name": author_name},
        "created_at": r.created_at,
        "read_at": r.read_at,
    }


async def my_day(db: AsyncSession, subject: Subject, day: date) -> dict[str, Any]:
    """The day as it stands; once signed, the day as it was signed. Reads only: opening a day writes nothing."""
    log = await _log(db, subject, day)
    remarks = await remarks_on(db, subject.user_id, "day", day)
    elsewhere = await unread_elsewhere(db, subject.user_id, day)
    if log is not None and log.signed_at is not None:
        snap = log.snapshot
        return {
            "day": day,
            "grid": snap.get("grid"),
            "patrols": snap.get("patrols", []),
            "items": snap.get("items", []),
            "signed_at": log.signed_at,
            "can_sign": False,
            "blocking": [],
            "remarks": remarks,
            "unread_elsewhere": elsewhere,
        }
    items = await _items(db, subject, day)
    blocking = [_ref(i) for i in items if i["needs_disposition"]]
    return {
        "day": day,
        "grid": await _grid(db, subject),
        "patrols": [patrols.patrol_out(p) for p in await _day_patrols(db, subject, day)],
        "items": items,
        "signed_at": None,
        "can_sign": not blocking and day <= patrols.today(),
        "blocking": blocking,
        "remarks": remarks,
        "unread_elsewhere": elsewhere,
    }


async def set_disposition(
    db: AsyncSession, subject: Subject, day: date, kind: str, item_id: int, data: Any
) -> dict[str, Any]:
    check_day(day)
    log = await _log(db, subject, day)
    if log is not None and log.signed_at is not None:
        raise Conflict(f"The log of {day} is already signed", code="already-signed")
    item = next((i for i in await _items(db, subject, day) if i["kind"] == kind and i["id"] == item_id), None)
    if item is None:
        raise NotFound(f"No {kind} {item_id} among your items of {day}")
    if item["derived"]:
        raise Conflict(
            f"The {kind}'s status ({item['status']}) already gives its disposition: {item['disposition']}",
            code="disposition-derived",
        )
    if kind == "matter" and data.disposition == "handled":
        raise Conflict(
            "A matter is handled by taking its own action (resolve, bring back, escalate); its status then gives "
            "the disposition",
            code="disposition-derived",
        )
    note = (data.note or "").strip() or None
    if data.disposition == "carried_over" and note is None:
        raise Invalid(
            "Say why it is carried over",
            code="note-required",
            errors=[{"loc": ["body", "note"], "msg": "required when carried over", "type": "missing"}],
        )
    row = (
        await db.execute(
            select(Disposition).where(
                Disposition.user_id == subject.user_id,
                Disposition.day == day,
                Disposition.item_kind == kind,
                Disposition.item_id == item_id,
            )
        )
    ).scalar()
    if row is None:
        db.add(
            Disposition(
                user_id=subject.user_id,
                day=day,
                item_kind=kind,
                item_id=item_id,
                disposition=data.disposition,
                note=note,
            )
        )
    else:
        row.disposition, row.note = data.disposition, note
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise Conflict("The disposition was set at the same moment by another request; reload and retry") from None
    return await my_day(db, subject, day)


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


async def sign(db: AsyncSession, subject: Subject, day: date) -> dict[str, Any]:
    """Sign the day: refused while any item lacks a disposition (naming each), and refused a second time."""
    check_day(day)
    view = await my_day(db, subject, day)
    if view["signed_at"] is not None:
        raise Conflict(f"The log of {day} is already signed", code="already-signed")
    if view["blocking"]:
        names = "; ".join(f"{b['kind']} {b['id']} ({b['title']})" for b in view["blocking"])
        raise Conflict(
            f"{len(view['blocking'])} item(s) have no disposition yet: {names}",
            code="items-without-disposition",
            params={"count": len(view["blocking"])},
            blocking=_json(view["blocking"]),
        )
    if subject.grid_id is None:
        raise Forbidden("You have no grid to keep a log for")
    snapshot = _json(
        {
            "grid": view["grid"],
            "patrols": view["patrols"],
            "items": view["items"],
            "totals": {
                "patrols": len(view["patrols"]),
                "distance_m": sum(p["distance_m"] for p in view["patrols"]),
                "by_disposition": dict(Counter(i["disposition"] for i in view["items"])),
            },
        }
    )
    now = utcnow()
    log = await _log(db, subject, day)
    if log is None:
        db.add(DailyLog(user_id=subject.user_id, grid_id=subject.grid_id, day=day, signed_at=now, snapshot=snapshot))
    else:
        log.signed_at, log.snapshot = now, snapshot
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise Conflict(f"The log of {day} is already signed", code="already-signed") from None
    return await my_day(db, subject, day)


def check_monday(start: date, loc: tuple[str, str] = ("query", "start")) -> None:
    if start.weekday() != 0:
        raise Invalid(
            f"A week starts on a Monday; {start} is not one",
            errors=[{"loc": list(loc), "msg": "not a Monday", "type": "value_error"}],
        )


async def week(db: AsyncSession, subject: Subject, start: date) -> dict[str, Any]:
    """The week's summary from its signed daily logs: days signed, patrols, distance, items by disposition."""
    check_monday(start)
    end = start + timedelta(days=6)
    logs = {
        log.day: log
        for log in (
            await db.execute(
                select(DailyLog).where(DailyLog.user_id == subject.user_id, DailyLog.day >= start, DailyLog.day <= end)
            )
        ).scalars()
        if log.signed_at is not None
    }
    days, by_disposition = [], Counter()
    for offset in range(7):
        d = start + timedelta(days=offset)
        log = logs.get(d)
        totals = (log.snapshot.get("totals") if log else None) or {}
        items = log.snapshot.get("items", []) if log else []
        by_disposition.update(i.get("disposition") or "none" for i in items)
        days.append(
            {
                "day": d,
                "signed_at": log.signed_at if log else None,
                "patrols": int(totals.get("patrols", 0)),
                "distance_m": float(totals.get("distance_m", 0.0)),
                "items": len(items),
            }
        )
    return {
        "start": start,
        "end": end,
        "days_signed": len(logs),
        "patrols": sum(d["patrols"] for d in days),
        "distance_m": sum(d["distance_m"] for d in days),
        "items_by_disposition": dict(by_disposition),
        "days": days,
        "remarks": await remarks_on(db, subject.user_id, "week", start),
    }
