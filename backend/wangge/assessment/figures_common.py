"""The shapes every family of figures returns (docs/assessment.md): a rate with its numerator and denominator, a
duration in working hours, and the unit column a level's rows are grouped by."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from wangge.tables import start_of
from wangge.workcalendar import SHANGHAI, WorkCalendar


def rate(num: int | None, den: int | None) -> dict[str, Any]:
    """{"num", "den", "value"}: value rounded to 4 places, null when nothing was counted."""
    n, d = int(num or 0), int(den or 0)
    return {"num": n, "den": d, "value": round(n / d, 4) if d else None}


def duration(hours: Sequence[float]) -> dict[str, Any]:
    """{"n", "avg", "p90"} in working hours, 1 decimal; p90 by nearest rank (the smallest value that at least 90 %
    of the values do not exceed)."""
    if not hours:
        return {"n": 0, "avg": None, "p90": None}
    ordered = sorted(hours)
    p90 = ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]
    return {"n": len(ordered), "avg": round(sum(ordered) / len(ordered), 1), "p90": round(p90, 1)}


def is_rate(value: Any) -> bool:
    return isinstance(value, dict) and "num" in value and "den" in value


class WorkingClock:
    """Working minutes between many pairs of instants (WorkCalendar.working_minutes_between), each day's total
    worked out once: a month of a city's resolutions costs a few calendar look-ups per matter, not one per day
    between its arrival and its resolution."""

    def __init__(self, cal: WorkCalendar) -> None:
        self.cal = cal
        self._days: dict[date, int] = {}

    def _whole(self, day: date) -> int:
        if day not in self._days:
            self._days[day] = self.cal.working_minutes_between(start_of(day), start_of(day + timedelta(days=1)))
        return self._days[day]

    def between(self, a: datetime, b: datetime) -> int:
        if b <= a:
            return 0
        first, last = a.astimezone(SHANGHAI).date(), b.astimezone(SHANGHAI).date()
        if first == last:
            return self.cal.working_minutes_between(a, b)
        days = (last - first).days
        middle = sum(self._whole(first + timedelta(days=i)) for i in range(1, days))
        head = self.cal.working_minutes_between(a, start_of(first + timedelta(days=1)))
        return head + middle + self.cal.working_minutes_between(start_of(last), b)
