"""Working-time calendar for matter time limits (限时办结).

Time limits count working time on the official Chinese calendar: weekends and public holidays are off, make-up
working days (调休上班, e.g. a Saturday worked to bridge a holiday) are on. Emergencies count wall-clock minutes.

The official schedule comes from the `holidays` package (vacanza/holidays), China calendar. Chosen over
`chinesecalendar` because it is released every few weeks and will pick up each year's State Council notice
(published around November), while `chinesecalendar` raises for years it lacks; both agree on every day of 2026.
`holidays.China().is_working_day()` knows make-up working days through its `weekend_workdays` set, and the years
with an official notice are exactly the keys of its `special_public_holidays` table (every year since 2001 has
substituted days).

For years without an official schedule the library only *estimates* holidays (lunar dates plus guessed observed
days, no make-up days), so we deliberately ignore it there and fall back to plain weekends-off; callers check
`covers()` / `known_years()` and ask an administrator to enter the schedule as overrides. Overrides (from a database
table, supplied as plain data) always win over the library, for days it does not know yet or gets wrong.

Pure module: no FastAPI, no SQLAlchemy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from wangge.database import Base


class CalendarOverride(Base):
    """A day the holiday library does not know yet or gets wrong: True = a working day."""

    __tablename__ = "calendar_overrides"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(100), nullable=True)


class CalendarYear(Base):
    """A year whose holidays and make-up working days an administrator has entered in full as overrides (the
    library does not know it yet): the calendar stops warning about it."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    complete: Mapped[bool] = mapped_column(Boolean)


SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_PERIODS: tuple[tuple[time, time], ...] = ((time(9, 0), time(12, 0)), (time(13, 30), time(17, 30)))

# Years for which the library holds the State Council notice; built once at import with expand=False so that
# lookups never mutate the shared instance (it is read from many request threads).
_LIBRARY_YEARS: frozenset[int] = frozenset(holidays.China(expand=False).special_public_holidays)
_LIBRARY = holidays.China(years=sorted(_LIBRARY_YEARS), expand=False)

Unit = Literal["minutes", "working_minutes", "working_hours", "working_days"]
_UNITS: tuple[str, ...] = get_args(Unit)
_SUFFIXES = {"m": "minutes", "wm": "working_minutes", "wh": "working_hours", "wd": "working_days"}
_SHORT_RE = re.compile(r"^\s*(\d+)\s*([a-z]+)\s*$")
# A year of each unit: longer limits mean nothing for a matter, and deadlines are counted day by day.
_MAX_AMOUNT = {"minutes": 366 * 24 * 60, "working_minutes": 250 * 8 * 60, "working_hours": 250 * 8, "working_days": 250}


@dataclass(frozen=True)
class TimeLimit:
    """A matter's time limit. `minutes` is wall-clock (emergencies); the others count working time."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise ValueError(f"time limit amount must be an integer, got {self.amount!r}")
        if self.amount < 0:
            raise ValueError(f"time limit amount must be >= 0, got {self.amount}")
        if self.unit not in _UNITS:
            raise ValueError(f"unknown time limit unit {self.unit!r}; expected one of {', '.join(_UNITS)}")
        if self.amount > _MAX_AMOUNT[self.unit]:
            raise ValueError(f"time limit amount must be at most {_MAX_AMOUNT[self.unit]} {self.unit} (a year)")

    @classmethod
    def parse(cls, text: str) -> TimeLimit:
        """Parse the short form: "30m" (wall-clock), "90wm", "2wh", "5wd"."""
        m = _SHORT_RE.match(text.lower()) if isinstance(text, str) else None
        if not m or m.group(2) not in _SUFFIXES:
            raise ValueError(f"cannot parse time limit {text!r}; expected e.g. 30m, 90wm, 2wh or 5wd")
        return cls(int(m.group(1)), _SUFFIXES[m.group(2)])  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TimeLimit:
        if not isinstance(data, Mapping) or set(data) != {"amount", "unit"}:
            raise ValueError(f"time limit must be a mapping with exactly the keys 'amount' and 'unit', got {data!r}")
        return cls(data["amount"], data["unit"])

    def to_dict(self) -> dict[str, Any]:
        return {"amount": self.amount, "unit": self.unit}

    def __str__(self) -> str:
        return f"{self.amount}{next(k for k, v in _SUFFIXES.items() if v == self.unit)}"


class WorkCalendar:
    """Working days and hours in one time zone (Beijing time by default).

    `overrides` maps a date to True (working day) or False (day off) and beats the library. `complete_years` lets a
    caller declare years whose whole schedule it has entered as overrides, so `covers()` stops warning about them.
    """

    def __init__(
        self,
        *,
        overrides: Mapping[date, bool] | None = None,
        periods: Sequence[tuple[time, time]] = DEFAULT_PERIODS,
        tz: ZoneInfo = SHANGHAI,
        complete_years: Iterable[int] = (),
    ) -> None:
        self._overrides: dict[date, bool] = {}
        for d, working in (overrides or {}).items():
            # datetime is a date subclass but would never match a date key: refuse it instead of silently ignoring.
            if not isinstance(d, date) or isinstance(d, datetime):
                raise ValueError(f"override keys must be dates, got {d!r}")
            self._overrides[d] = bool(working)
        self._periods = tuple(periods)
        if not self._periods:
            raise ValueError("at least one working period is required")
        prev_end = time.min
        for i, (start, end) in enumerate(self._periods):
            if not start < end or (i and start < prev_end):
                raise ValueError("working periods must be ordered, non-overlapping (start, end) pairs within a day")
            prev_end = end
        self.tz = tz
        self._complete_years = frozenset(complete_years)

    # --- days -------------------------------------------------------------------------------------------------

    @staticmethod
    def known_years() -> frozenset[int]:
        """Years for which the library holds the official schedule."""
        return _LIBRARY_YEARS

    def covers(self, d: date) -> bool:
        """True if d's year has a known schedule; otherwise answers are weekends-off plus overrides only."""
        return d.year in _LIBRARY_YEARS or d.year in self._complete_years

    def is_working_day(self, d: date) -> bool:
        if d in self._overrides:
            return self._overrides[d]
        if d.year in _LIBRARY_YEARS:
            return _LIBRARY.is_working_day(d)
        return d.weekday() < 5

    def _intervals(self, day: date, after: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working intervals from `after` (local, aware) onwards, day by day, clipped at `after`. Endless."""
        while True:
            if self.is_working_day(day):
                for start, end in self._periods:
                    s = datetime.combine(day, start, tzinfo=self.tz)
                    e = datetime.combine(day, end, tzinfo=self.tz)
                    if e > after:  # an interval ending exactly at `after` is used up
                        yield max(s, after), e
            day += timedelta(days=1)

    def _local(self, dt: datetime) -> datetime:
        if dt.tzinfo is None or dt.utcoffset() is None:
            raise ValueError(f"datetime must be timezone-aware, got {dt!r}")
        return dt.astimezone(self.tz)

    # --- arithmetic -------------------------------------------------------------------------------------------

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """The moment `minutes` of working time have elapsed after `start`.

        A start outside working hours (night, lunch, a day off) begins at the next working period. An amount that
        exactly uses up a period ends at that period's end (12:00), not at the next one's start. For 0 minutes the
        result is the next working moment at or after `start` (start itself when inside working hours; for a start
        exactly at a period's end, the next period's start), i.e. "when the clock starts running".
        """
        if minutes < 0:
            raise ValueError(f"minutes must be >= 0, got {minutes}")
        local = self._local(start)
        remaining = timedelta(minutes=minutes)
        for s, e in self._intervals(local.date(), local):
            if remaining <= e - s:
                return (s + remaining).astimezone(start.tzinfo)
            remaining -= e - s
        raise AssertionError("unreachable")  # _intervals is endless

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Close of business on the `days`-th working day after start's calendar day.

        As in Civil Code arts. 201/203, the start day itself is not counted and the period ends when business stops
        (the end of the last working period) on its last day: a matter received Monday 10:00 (or Sunday, or Monday
        20:00) with 5 working days is due next Monday 17:30 in a week without holidays. `days=0` means the next close
        of business at or after `start` (same day if it is a working day and not yet closed).
        """
        if days < 0:
            raise ValueError(f"days must be >= 0, got {days}")
        local = self._local(start)
        day = local.date()
        close = self._periods[-1][1]
        if days == 0 and not (self.is_working_day(day) and local <= datetime.combine(day, close, tzinfo=self.tz)):
            days = 1
        while days:
            day += timedelta(days=1)
            days -= self.is_working_day(day)
        return datetime.combine(day, close, tzinfo=self.tz).astimezone(start.tzinfo)

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Working minutes from a to b (whole minutes, truncated toward zero); negative if b < a."""
        la, lb = self._local(a), self._local(b)
        if lb < la:
            return -self.working_minutes_between(b, a)
        total = timedelta()
        for s, e in self._intervals(la.date(), la):
            if s >= lb:
                break
            total += min(e, lb) - s
        return int(total.total_seconds() // 60)

    def deadline(self, start: datetime, limit: TimeLimit) -> datetime:
        self._local(start)  # rejects naive datetimes for every unit
        if limit.unit == "minutes":
            # Elapsed wall-clock time, computed in UTC so that DST in a caller's zone cannot shift it.
            return (start.astimezone(UTC) + timedelta(minutes=limit.amount)).astimezone(start.tzinfo)
        if limit.unit == "working_days":
            return self.add_working_days(start, limit.amount)
        per = 60 if limit.unit == "working_hours" else 1
        return self.add_working_minutes(start, limit.amount * per)
