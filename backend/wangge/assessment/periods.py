"""The periods figures are computed over: a Beijing day, week (Monday to Sunday), month, quarter, year or a range of
at most 366 days; each with the one before it and the same one a year earlier, and its instants in UTC."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from wangge.errors import Invalid
from wangge.models_common import utcnow
from wangge.tables import start_of
from wangge.workcalendar import SHANGHAI

Kind = Literal["day", "week", "month", "quarter", "year", "range"]
KINDS: tuple[str, ...] = ("day", "week", "month", "quarter", "year", "range")
MAX_RANGE_DAYS = 366


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive
    label_zh: str
    label_en: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def bad(field: str, msg: str) -> Invalid:
    """A 422 naming the query parameter that is wrong (code assessment-period)."""
    return Invalid(
        f"{field}: {msg}",
        code="assessment-period",
        errors=[{"loc": ["query", field], "msg": msg, "type": "value_error"}],
    )


def today() -> date:
    """Today in Beijing."""
    return utcnow().astimezone(SHANGHAI).date()


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _labels(kind: str, start: date, end: date) -> tuple[str, str]:
    if kind == "day":
        return f"{start.year}年{start.month}月{start.day}日", start.isoformat()
    if kind == "week":
        iso = start.isocalendar()
        return f"{iso.year}年第{iso.week}周", f"{iso.year}-W{iso.week:02d}"
    if kind == "month":
        return f"{start.year}年{start.month}月", f"{start.year}-{start.month:02d}"
    if kind == "quarter":
        q = (start.month - 1) // 3 + 1
        return f"{start.year}年第{q}季度", f"{start.year}-Q{q}"
    if kind == "year":
        return f"{start.year}年", str(start.year)
    return (
        f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日",
        f"{start.isoformat()} – {end.isoformat()}",
    )


def make(kind: str, start: date, end: date) -> Period:
    zh, en = _labels(kind, start, end)
    return Period(kind, start, end, zh, en)


def _span(kind: str, at: date) -> tuple[date, date]:
    if kind == "day":
        return at, at
    if kind == "week":
        first = at - timedelta(days=at.weekday())
        return first, first + timedelta(days=6)
    if kind == "month":
        first = at.replace(day=1)
        return first, _month_end(first)
    if kind == "quarter":
        first = date(at.year, (at.month - 1) // 3 * 3 + 1, 1)
        return first, _month_end(date(first.year, first.month + 2, 1))
    return date(at.year, 1, 1), date(at.year, 12, 31)


def period_of(kind: str, at: date | None = None, start: date | None = None, end: date | None = None) -> Period:
    """The period of `kind` holding the day `at` (default today in Beijing); a range runs from `start` to `end`."""
    if kind not in KINDS:
        raise bad("period", f"one of {', '.join(KINDS)}")
    if kind == "range":
        if start is None or end is None:
            raise bad("start" if start is None else "end", "a range needs start and end")
        if start > end:
            raise bad("end", "before start")
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise bad("end", f"a range is at most {MAX_RANGE_DAYS} days")
        return make("range", start, end)
    first, last = _span(kind, at or today())
    return make(kind, first, last)


def _shift_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def previous(p: Period) -> Period:
    """The period just before: the day, week, month, quarter or year before; a range of the same length before."""
    if p.kind in ("day", "week", "range"):
        length = timedelta(days=p.days)
        return make(p.kind, p.start - length, p.end - length)
    if p.kind == "month":
        return period_of("month", _add_months(p.start, -1))
    if p.kind == "quarter":
        return period_of("quarter", _add_months(p.start, -3))
    return period_of("year", date(p.start.year - 1, 1, 1))


def same_last_year(p: Period) -> Period:
    """The same period a year earlier: the same dates (a week: the same ISO week number)."""
    if p.kind == "week":
        iso = p.start.isocalendar()
        try:
            monday = date.fromisocalendar(iso.year - 1, iso.week, 1)
        except ValueError:  # week 53 in a year that has 52
            monday = date.fromisocalendar(iso.year - 1, 52, 1)
        return period_of("week", monday)
    if p.kind == "range":
        return make("range", _shift_years(p.start, -1), _shift_years(p.end, -1))
    return period_of(p.kind, _shift_years(p.start, -1))


def utc_bounds(p: Period) -> tuple[datetime, datetime]:
    """[first instant, first instant after) of the period, from Beijing midnight."""
    return start_of(p.start), start_of(p.end + timedelta(days=1))


def months_up_to(p: Period, n: int) -> list[Period]:
    """The `n` periods of p's kind ending with p (oldest first): the dashboard's trend."""
    out = [p]
    while len(out) < n:
        out.append(previous(out[-1]))
    return out[::-1]


def is_closed_month(p: Period) -> bool:
    """A whole calendar month that is over in Beijing (the months that are frozen)."""
    return p.kind == "month" and p.end < today()
