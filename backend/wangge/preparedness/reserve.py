"""Supplies and equipment in reserve 应急物资储备: the items of a station or a street, stock in and out with a
reason (who and when), and the alerts: stock below the item's minimum, expiry within `reserve_expiry_days`, and
expired. The alerts are listed with the items and told once, by the worker's rounds, to the keeper and the staff of
the keeping unit (the station chief, or the street's officers)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from wangge import messages
from wangge.accounts.scope import Subject
from wangge.config import Settings
from wangge.errors import Conflict, Invalid, NotFound
from wangge.fieldwork.people import local_today
from wangge.models_common import utcnow
from wangge.notify import recipients
from wangge.notify.outbox import emit
from wangge.policy import readable
from wangge.preparedness import units
from wangge.preparedness.models import ReserveItem, StockMove
from wangge.workcalendar import SHANGHAI

CATEGORIES = ("flood", "fire", "medical", "food", "rescue", "power", "other")
CATEGORY_ZH = {
    "flood": "防汛",
    "fire": "消防",
    "medical": "医疗防疫",
    "food": "生活保障",
    "rescue": "救援器材",
    "power": "照明电力",
    "other": "其他",
}
ALERT_ZH = {"low": "库存不足", "expiring": "即将过期", "expired": "已过期"}
ALERT_EN = {"low": "low stock", "expiring": "expiring soon", "expired": "expired"}


def alerts_of(item: ReserveItem, today: date, days: int) -> list[str]:
    """What is wrong with the item today: low (below its minimum), expiring (within `days`), expired."""
    out = []
    if item.quantity < item.min_quantity:
        out.append("low")
    if item.expires_on is not None:
        if item.expires_on < today:
            out.append("expired")
        elif item.expires_on <= today + timedelta(days=days):
            out.append("expiring")
    return out


def item_out(item: ReserveItem, unit: dict[str, Any], names: dict[int, str], today: date, days: int) -> dict[str, Any]:
    return {
        "id": item.id,
        "unit": unit,
        "name": item.name,
        "category": item.category,
        "measure": item.measure,
        "quantity": item.quantity,
        "min_quantity": item.min_quantity,
        "location": item.location,
        "expires_on": item.expires_on,
        "keeper": {"id": item.keeper_id, "name": names.get(item.keeper_id, "")} if item.keeper_id else None,
        "note": item.note,
        "is_active": item.is_active,
        "alerts": alerts_of(item, today, days) if item.is_active else [],
        "updated_at": item.updated_at,
    }


async def items_out(db: AsyncSession, items: list[ReserveItem], settings: Settings) -> list[dict[str, Any]]:
    from wangge.hierarchy.models import Community, Street

    community_ids = {i.community_id for i in items if i.unit_level == "community"}
    street_ids = {i.street_id for i in items if i.unit_level == "street"}
    unit_names: dict[tuple[str, int], str] = {}
    if community_ids:
        for cid, name in (
            await db.execute(select(Community.id, Community.name).where(Community.id.in_(community_ids)))
        ).all():
            unit_names[("community", cid)] = f"{name}服务站"
    if street_ids:
        for sid, name in (await db.execute(select(Street.id, Street.name).where(Street.id.in_(street_ids)))).all():
            unit_names[("street", sid)] = name
    names = await units.names(db, {i.keeper_id for i in items})
    today = local_today()
    return [
        item_out(
            i,
            {"level": i.unit_level, "id": i.unit_id, "name": unit_names.get((i.unit_level, i.unit_id), "")},
            names,
            today,
            settings.reserve_expiry_days,
        )
        for i in items
    ]


# --- reading ---------------------------------------------------------------------------------------------------


async def list_items(
    db: AsyncSession,
    *,
    subject: Subject,
    settings: Settings,
    unit_level: str | None,
    unit_id: int | None,
    alert: str | None,
    include_inactive: bool,
) -> list[ReserveItem]:
    """The items the caller may read (of one unit when named), by unit then name; at most 1,000. `alert` keeps those
    with that alert (or `any`)."""
    q = select(ReserveItem).where(readable(subject, ReserveItem))
    if unit_level is not None:
        q = q.where(ReserveItem.unit_level == unit_level)
    if unit_id is not None:
        q = q.where(ReserveItem.unit_id == unit_id)
    if not include_inactive or alert is not None:
        q = q.where(ReserveItem.is_active.is_(True))
    today = local_today()
    low = ReserveItem.quantity < ReserveItem.min_quantity
    expired = ReserveItem.expires_on < today
    expiring = and_(
        ReserveItem.expires_on >= today, ReserveItem.expires_on <= today + timedelta(days=settings.reserve_expiry_days)
    )
    conditions = {"low": low, "expired": expired, "expiring": expiring, "any": or_(low, expired, expiring)}
    if alert is not None:
        q = q.where(conditions[alert])
    q = q.order_by(ReserveItem.unit_level, ReserveItem.unit_id, ReserveItem.name, ReserveItem.id).limit(1000)
    return list((await db.execute(q)).scalars())


async def get_item(db: AsyncSession, *, subject: Subject, item_id: int) -> ReserveItem:
    item = (
        await db.execute(select(ReserveItem).where(ReserveItem.id == item_id, readable(subject, ReserveItem)))
    ).scalar()
    if item is None:
        raise NotFound(f"No reserve item with id {item_id} in your scope")
    return item


async def _unit_of(db: AsyncSession, subject: Subject, item: ReserveItem) -> units.Unit:
    return await units.visible_unit(db, subject, item.unit_level, item.unit_id)


# --- changing --------------------------------------------------------------------------------------------------


async def create_item(db: AsyncSession, *, subject: Subject, data: Any) -> ReserveItem:
    unit = await units.visible_unit(db, subject, data.unit_level, data.unit_id)
    units.require_manager(subject, unit, "keep this unit's reserve")
    await units.check_staff(db, unit, data.keeper_id, "keeper_id")
    item = ReserveItem(
        **unit.columns(),
        name=data.name,
        category=data.category,
        measure=data.measure,
        quantity=data.quantity,
        min_quantity=data.min_quantity,
        location=data.location,
        expires_on=data.expires_on,
        keeper_id=data.keeper_id,
        note=data.note or "",
        is_active=True,
    )
    db.add(item)
    await db.flush()
    if data.quantity:
        db.add(
            StockMove(
                item_id=item.id,
                direction="in",
                quantity=data.quantity,
                balance=data.quantity,
                reason="建档入库",
                at=utcnow(),
                by_id=subject.user_id,
            )
        )
    await db.flush()
    return item


async def update_item(db: AsyncSession, *, subject: Subject, item_id: int, data: Any) -> ReserveItem:
    """Change what the item is, where it is kept, its minimum, expiry, keeper or note, or (de)activate it. The
    quantity changes only by stock moves."""
    item = await get_item(db, subject=subject, item_id=item_id)
    unit = await _unit_of(db, subject, item)
    units.require_manager(subject, unit, "keep this unit's reserve")
    changes = data.model_dump(exclude_unset=True)
    if "keeper_id" in changes:
        await units.check_staff(db, unit, changes["keeper_id"], "keeper_id")
    for key, value in changes.items():
        if key in ("name", "category", "measure", "location") and value is None:
            raise Invalid(f"{key} may not be empty", errors=units.field(key, "required"))
        setattr(item, key, value if key != "note" else (value or ""))
    if "expires_on" in changes:
        item.expiring_alerted_at = item.expired_alerted_at = None  # a new date: told again when it comes near
    if item.quantity >= item.min_quantity:
        item.low_alerted_at = None
    await db.flush()
    return item


async def move(db: AsyncSession, *, subject: Subject, item_id: int, data: Any) -> StockMove:
    """Stock in or out; out never below zero (409 `reserve-short`). A conditional UPDATE, so two moves at the same
    moment both count."""
    item = await get_item(db, subject=subject, item_id=item_id)
    unit = await _unit_of(db, subject, item)
    units.require_manager(subject, unit, "move this unit's stock")
    if not item.is_active:
        raise Conflict("The item is deactivated", code="reserve-inactive")
    delta = data.quantity if data.direction == "in" else -data.quantity
    changed = await db.execute(
        update(ReserveItem)
        .where(ReserveItem.id == item.id, ReserveItem.quantity + delta >= 0)
        .values(quantity=ReserveItem.quantity + delta, updated_at=utcnow())
        .returning(ReserveItem.quantity, ReserveItem.min_quantity)
        .execution_options(synchronize_session=False)
    )
    row = changed.first()
    if row is None:
        raise Conflict(f"Only {item.quantity} {item.measure} in stock", code="reserve-short", available=item.quantity)
    balance, minimum = row
    if balance >= minimum:
        await db.execute(
            update(ReserveItem)
            .where(ReserveItem.id == item.id)
            .values(low_alerted_at=None)
            .execution_options(synchronize_session=False)
        )
    m = StockMove(
        item_id=item.id,
        direction=data.direction,
        quantity=data.quantity,
        balance=balance,
        reason=data.reason,
        at=utcnow(),
        by_id=subject.user_id,
    )
    db.add(m)
    await db.flush()
    await db.refresh(item)
    return m


async def moves_out(db: AsyncSession, *, subject: Subject, item_id: int, limit: int) -> list[dict[str, Any]]:
    item = await get_item(db, subject=subject, item_id=item_id)
    rows = list(
        (
            await db.execute(
                select(StockMove)
                .where(StockMove.item_id == item.id)
                .order_by(StockMove.at.desc(), StockMove.id.desc())
                .limit(limit)
            )
        ).scalars()
    )
    names = await units.names(db, {m.by_id for m in rows})
    return [move_out(m, names) for m in rows]


def move_out(m: StockMove, names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": m.id,
        "item_id": m.item_id,
        "direction": m.direction,
        "quantity": m.quantity,
        "balance": m.balance,
        "reason": m.reason,
        "at": m.at,
        "by": {"id": m.by_id, "name": names.get(m.by_id, "")},
    }


# --- the worker's round: each alert told once ---------------------------------------------------------------------


async def _claim(db: AsyncSession, item: ReserveItem, column: Any, now: datetime) -> bool:
    """Mark the alert told unless another worker did first (a plain UPDATE: the item's updated_at stays)."""
    claimed = await db.execute(
        update(ReserveItem)
        .where(ReserveItem.id == item.id, column.is_(None))
        .values({column.key: now})
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


async def periodic(db: AsyncSession, *, settings: Settings, now: datetime | None = None) -> dict[str, int]:
    """Tell the keeper and the keeping unit's staff, once per occurrence, of each active item that ran low, comes
    within `reserve_expiry_days` of its expiry, or has expired."""
    now = now or utcnow()
    today = now.astimezone(SHANGHAI).date()
    horizon = today + timedelta(days=settings.reserve_expiry_days)
    checks = (
        ("low", ReserveItem.low_alerted_at, ReserveItem.quantity < ReserveItem.min_quantity),
        ("expired", ReserveItem.expired_alerted_at, ReserveItem.expires_on < today),
        (
            "expiring",
            ReserveItem.expiring_alerted_at,
            and_(ReserveItem.expires_on >= today, ReserveItem.expires_on <= horizon),
        ),
    )
    told = 0
    for kind, column, condition in checks:
        rows = list(
            (
                await db.execute(
                    select(ReserveItem)
                    .where(ReserveItem.is_active.is_(True), column.is_(None), condition)
                    .order_by(ReserveItem.id)
                    .limit(200)
                )
            ).scalars()
        )
        for item in rows:
            if not await _claim(db, item, column, now):
                continue
            if kind == "expired":  # an expired item was expiring too: not told that afterwards
                await _claim(db, item, ReserveItem.expiring_alerted_at, now)
            told += 1
            _announce(db, item, kind)
    await db.commit()
    return {"reserve_alerts": told}


def _announce(db: AsyncSession, item: ReserveItem, kind: str) -> None:
    unit = (
        recipients.unit("station", community_id=item.community_id)
        if item.unit_level == "community"
        else recipients.unit("street", street_id=item.street_id)
    )
    what = {"zh-CN": ALERT_ZH[kind], "en": ALERT_EN[kind]}
    detail = (
        {
            "zh-CN": f"现有 {item.quantity}{item.measure}，最低 {item.min_quantity}{item.measure}；"
            f"存放：{item.location}",
            "en": f"{item.quantity} {item.measure} in stock, minimum {item.min_quantity}; kept at {item.location}",
        }
        if kind == "low"
        else {
            "zh-CN": f"有效期至 {item.expires_on}；存放：{item.location}",
            "en": f"Expires on {item.expires_on}; kept at {item.location}",
        }
    )
    emit(
        db,
        f"reserve.{kind}",
        {
            "reserve_item_id": item.id,
            "alert": kind,
            "unit_level": item.unit_level,
            "unit_id": item.unit_id,
            "name": item.name,
            "quantity": item.quantity,
            "min_quantity": item.min_quantity,
            "expires_on": item.expires_on.isoformat() if item.expires_on else None,
        },
        recipients=[item.keeper_id] if item.keeper_id else [],
        units=[unit],
        title=messages.notice("reserve-alert", what=what, name=item.name),
        body=detail,
    )
