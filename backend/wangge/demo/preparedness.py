"""The demo's preparedness, so that 应急物资 and 值班表 are not empty after `make run`: supplies in reserve at each
community's service station and at the street office (what, how many, where, expiry, keeper, and the stock moves
that brought them there) with one item below its minimum and one about to expire at the main station, so the
alerts show; and the 24-hour duty roster of every station and of the street from a week ago to four weeks ahead,
with the unit's published duty phone; and a past rainstorm warning 预警 of the main station to its grids, acknowledged
by most of their leaders and lifted the next day (a lifted one: a new user is not met by a full-screen alert). Each
part is added only where nothing of its kind exists for the unit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wangge.accounts.models import Role, User
from wangge.earlywarning.models import EarlyWarning, WarningAck, WarningGrid
from wangge.hierarchy.models import Community, Grid, Street
from wangge.preparedness.models import DutyDay, ReserveItem, StockMove

# (name, category, measure, quantity, minimum, where, months to expiry or None)
STATION_ITEMS = (
    ("救生衣", "flood", "件", 40, 20, "服务站一楼应急物资室", None),
    ("防汛沙袋", "flood", "袋", 300, 200, "服务站后院仓库", None),
    ("干粉灭火器（4kg）", "fire", "具", 24, 10, "服务站一楼应急物资室", 20),
    ("应急照明灯", "power", "台", 12, 6, "服务站一楼应急物资室", None),
    ("医用外科口罩", "medical", "盒", 6, 20, "服务站二楼储藏间", 14),  # below its minimum: 库存不足
    ("急救药箱", "medical", "个", 5, 2, "服务站值班室", 9),
    ("瓶装饮用水（550ml×24）", "food", "箱", 30, 10, "服务站后院仓库", 0),  # expires within days: 即将过期
    ("方便面", "food", "箱", 20, 10, "服务站后院仓库", 5),
    ("手持扩音器", "rescue", "个", 8, 4, "服务站值班室", None),
)
STREET_ITEMS = (
    ("冲锋舟", "flood", "艘", 2, 1, "街道应急物资仓库（枫溪路）", None),
    ("移动发电机（5kW）", "power", "台", 3, 2, "街道应急物资仓库（枫溪路）", None),
    ("折叠床", "other", "张", 60, 40, "街道应急物资仓库（枫溪路）", None),
    ("棉被", "other", "床", 120, 80, "街道应急物资仓库（枫溪路）", 36),
    ("防汛抽水泵", "flood", "台", 4, 2, "街道应急物资仓库（枫溪路）", None),
    ("消防水带（20m）", "fire", "盘", 16, 8, "街道应急物资仓库（枫溪路）", 48),
)
ROSTER_BEFORE, ROSTER_AFTER = 7, 28  # days of duty before today and after it


def _expiry(today: date, months: int | None) -> date | None:
    if months is None:
        return None
    return today + timedelta(days=5) if months == 0 else today + timedelta(days=30 * months + 10)


def _items(
    session: Session, unit: dict[str, Any], rows: tuple[tuple[Any, ...], ...], keeper: int | None, today: date
) -> None:
    if keeper is None:
        return
    held = ReserveItem.unit_level == unit["unit_level"], ReserveItem.unit_id == unit["unit_id"]
    if session.execute(select(ReserveItem.id).where(*held).limit(1)).first() is not None:
        return
    stocked = datetime.now(UTC) - timedelta(days=45)
    for name, category, measure, quantity, minimum, where, months in rows:
        # The supplies below their minimum were used in a drill last week: stocked in full, then taken out.
        taken = 14 if quantity < minimum else 0
        item = ReserveItem(
            **unit, name=name, category=category, measure=measure, quantity=quantity, min_quantity=minimum,
            location=where, expires_on=_expiry(today, months), keeper_id=keeper, created_at=stocked,
            updated_at=stocked,
        )  # fmt: skip
        session.add(item)
        session.flush()
        session.add(StockMove(item_id=item.id, direction="in", quantity=quantity + taken, balance=quantity + taken,
                              reason="年度储备采购入库", at=stocked, by_id=keeper))  # fmt: skip
        if taken:
            drill = datetime.now(UTC) - timedelta(days=6)
            session.add(StockMove(item_id=item.id, direction="out", quantity=taken, balance=quantity,
                                  reason="应急演练领用", at=drill, by_id=keeper))  # fmt: skip


def _roster(session: Session, unit: dict[str, Any], people: list[int], phone: str | None, today: date) -> None:
    if not people:
        return
    held = DutyDay.unit_level == unit["unit_level"], DutyDay.unit_id == unit["unit_id"]
    if session.execute(select(DutyDay.id).where(*held).limit(1)).first() is not None:
        return
    for n in range(-ROSTER_BEFORE, ROSTER_AFTER):
        day = today + timedelta(days=n)
        who = people[day.toordinal() % len(people)]  # taken in turn
        session.add(DutyDay(**unit, day=day, user_id=who, duty_phone=phone, note="24小时值班"))


def load_preparedness(session: Session, h: dict[str, Any], today: date) -> None:
    street: Street = h["street"]
    street_unit = {
        "unit_level": "street", "unit_id": street.id, "district_id": street.district_id, "street_id": street.id,
        "community_id": None,
    }  # fmt: skip
    officers = list(
        session.execute(
            select(User.id).where(User.role == Role.street_officer.value, User.street_id == street.id).order_by(User.id)
        ).scalars()
    )
    _items(session, street_unit, STREET_ITEMS, officers[0] if officers else None, today)
    _roster(session, street_unit, officers, "0731-85550110", today)
    communities: list[Community] = h["communities"]
    for n, community in enumerate(communities):
        unit = {
            "unit_level": "community", "unit_id": community.id, "district_id": community.district_id,
            "street_id": community.street_id, "community_id": community.id,
        }  # fmt: skip
        staff = list(
            session.execute(
                select(User.id, User.role)
                .where(
                    User.community_id == community.id, User.role.in_([Role.station_chief.value, Role.grid_leader.value])
                )
                .order_by(User.role != Role.station_chief.value, User.id)
            ).all()
        )
        chief = next((uid for uid, role in staff if role == Role.station_chief.value), None)
        # The main station keeps the full list; the others a part of it, all in good order.
        rows = STATION_ITEMS if n == 0 else tuple(r for r in STATION_ITEMS if r[3] >= r[4] and r[6] != 0)[:5]
        _items(session, unit, rows, chief, today)
        _roster(session, unit, [uid for uid, _ in staff], community.duty_phone, today)
        if n == 0:
            _past_warning(session, community, chief)


def _past_warning(session: Session, community: Community, chief: int | None) -> None:
    if chief is None or session.execute(select(EarlyWarning.id).limit(1)).first() is not None:
        return
    issued = datetime.now(UTC).replace(hour=1, minute=30, second=0, microsecond=0) - timedelta(days=9)  # 09:30 Beijing
    warning = EarlyWarning(
        kind="rainstorm", level="yellow", valid_until=issued + timedelta(hours=36),
        text="气象台发布暴雨黄色预警，今夜至明天有大到暴雨。请各网格巡查低洼地带、地下车库和老旧房屋，提醒居民减少外出。",
        district_id=community.district_id, street_id=community.street_id, community_id=community.id,
        issued_by_id=chief, issued_at=issued, status="lifted", lifted_at=issued + timedelta(hours=26),
        lifted_by_id=chief, lift_note="降雨已结束，各网格未发现险情。",
    )  # fmt: skip
    session.add(warning)
    session.flush()
    grids = session.execute(select(Grid.id).where(Grid.community_id == community.id).order_by(Grid.code)).scalars()
    session.add_all([WarningGrid(warning_id=warning.id, grid_id=g) for g in grids])
    leaders = session.execute(
        select(User.id).where(User.community_id == community.id, User.role == Role.grid_leader.value).order_by(User.id)
    ).scalars()
    for n, leader in enumerate(list(leaders)[:-2]):  # the last two never acknowledged it
        session.add(
            WarningAck(warning_id=warning.id, user_id=leader, acknowledged_at=issued + timedelta(minutes=4 + 3 * n))
        )
