"""The 24-hour duty roster 值班表 of a station (community) or a street: who is on duty each Beijing day and the duty
phone of that day, set a month at a time by the station chief or the street officer; and today's duty officer as
the public pages show them — a name, and the day's duty phone, else the person's own phone only when they allowed
it (users.phone_public)."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.accounts.models import User
from wangge.accounts.scope import Subject
from wangge.errors import Conflict, Invalid, NotFound
from wangge.fieldwork.people import local_today
from wangge.hierarchy import phones
from wangge.hierarchy.whois import public_phone
from wangge.policy import readable
from wangge.preparedness import units
from wangge.preparedness.models import DutyDay


def month_days(month: str) -> tuple[date, date]:
    year, mon = (int(x) for x in month.split("-"))
    return date(year, mon, 1), date(year, mon, calendar.monthrange(year, mon)[1])


async def _readable_unit(db: AsyncSession, subject: Subject, unit_level: str, unit_id: int) -> units.Unit:
    unit = await units.visible_unit(db, subject, unit_level, unit_id)
    if not units.may_read(subject, unit):
        raise NotFound(f"No duty roster of {unit_level} {unit_id} in your scope")
    return unit


async def month_out(db: AsyncSession, *, subject: Subject, unit_level: str, unit_id: int, month: str) -> dict[str, Any]:
    """The unit's roster of the month (the days that have someone on duty), and whether the caller may change it."""
    unit = await _readable_unit(db, subject, unit_level, unit_id)
    first, last = month_days(month)
    rows = list(
        (
            await db.execute(
                select(DutyDay)
                .where(
                    readable(subject, DutyDay),
                    DutyDay.unit_level == unit.level,
                    DutyDay.unit_id == unit.id,
                    DutyDay.day >= first,
                    DutyDay.day <= last,
                    DutyDay.user_id.is_not(None),
                )
                .order_by(DutyDay.day)
            )
        ).scalars()
    )
    names = await units.names(db, {r.user_id for r in rows})
    return {
        "unit": unit.out(),
        "month": month,
        "editable": units.may_manage(subject, unit),
        "days": [
            {
                "day": r.day,
                "user": {"id": r.user_id, "name": names.get(r.user_id or 0, "")},
                "duty_phone": r.duty_phone,
                "note": r.note,
            }
            for r in rows
        ],
    }


async def put_days(db: AsyncSession, *, subject: Subject, data: Any) -> str:
    """Set the given days of the unit's roster (a day with no person clears it); the others stay. Answers the month
    of the first day, to show."""
    unit = await units.visible_unit(db, subject, data.unit_level, data.unit_id)
    units.require_manager(subject, unit, "set this unit's duty roster")
    seen: set[date] = set()
    people: dict[int, User] = {}
    for n, d in enumerate(data.days):
        if d.day in seen:
            raise Invalid(f"{d.day} is given twice", errors=units.field(f"days.{n}.day", "given twice"))
        seen.add(d.day)
        if d.user_id is not None and d.user_id not in people:
            user = await units.check_staff(db, unit, d.user_id, f"days.{n}.user_id")
            assert user is not None
            people[d.user_id] = user
    existing = {
        r.day: r
        for r in (
            await db.execute(
                select(DutyDay).where(
                    DutyDay.unit_level == unit.level, DutyDay.unit_id == unit.id, DutyDay.day.in_(sorted(seen))
                )
            )
        ).scalars()
    }
    for n, d in enumerate(data.days):
        phone = phones.clean(d.duty_phone, f"days.{n}.duty_phone") if d.user_id is not None else None
        person = people.get(d.user_id) if d.user_id is not None else None
        if phone and person is not None and person.phone and not person.phone_public and _same(phone, person.phone):
            msg = "The duty phone is the person's own phone, which they have not allowed on public pages"
            raise Invalid(msg, code="duty-phone-personal", errors=units.field(f"days.{n}.duty_phone", msg))
        row = existing.get(d.day)
        if row is None:
            if d.user_id is None:
                continue
            row = DutyDay(**unit.columns(), day=d.day)
            db.add(row)
        row.user_id = d.user_id
        row.duty_phone = phone
        row.note = (d.note or "") if d.user_id is not None else ""
    try:
        await db.flush()
    except IntegrityError:
        await db.rollback()
        raise Conflict("The roster was changed at the same moment; reload and retry") from None
    first = min(seen) if seen else local_today()
    return f"{first.year:04d}-{first.month:02d}"


def _same(a: str, b: str) -> bool:
    digits = lambda s: "".join(ch for ch in s if ch.isdigit())  # noqa: E731
    return digits(a)[-11:] == digits(b)[-11:]


# --- public ---------------------------------------------------------------------------------------------------------


async def on_duty_today(db: AsyncSession, unit_level: str, unit_id: int) -> dict[str, Any] | None:
    """Today's duty officer of the unit as the public sees them: name and phone (the day's duty phone, else the
    person's own when they allowed it, else null); null when the roster names nobody today."""
    row = (
        await db.execute(
            select(DutyDay.duty_phone, User)
            .join(User, User.id == DutyDay.user_id)
            .where(
                DutyDay.unit_level == unit_level,
                DutyDay.unit_id == unit_id,
                DutyDay.day == local_today(),
                User.is_active.is_(True),
            )
        )
    ).first()
    if row is None:
        return None
    duty_phone, person = row
    return {"name": person.display_name, "phone": public_phone(duty_phone, person)}
