"""What the field-work, hazard and emergency figures share: the unit column of each level, the rate shape, and the
Beijing days of a period as a small table the database joins against (the same SQL on SQLite and PostgreSQL, no
date arithmetic in SQL)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, Integer, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from wangge.hierarchy.models import Community, Grid
from wangge.matters.service import work_calendar
from wangge.models_common import UTCDateTime, as_utc, utcnow
from wangge.tables import start_of
from wangge.workcalendar import SHANGHAI

# Levels whose units are areas, with the column naming the unit in a table that has grid/community/street/district.
AREA_LEVELS = ("grid", "community", "street", "district")


def grid_column(level: str) -> Any:
    """The column of `grids` naming the unit of an area level (grid → grids.id)."""
    return Grid.id if level == "grid" else getattr(Grid, f"{level}_id")


def community_column(level: str) -> Any:
    """The column of `communities` naming the unit of a community-or-above level."""
    return Community.id if level == "community" else getattr(Community, f"{level}_id")


def bj_day(at: datetime) -> date:
    return as_utc(at).astimezone(SHANGHAI).date()


@dataclass(frozen=True)
class Days:
    """The Beijing days of a period [start, end) that are over by `cutoff` (= min(end, now)): a day counts once it
    has ended, so today's patrol or log is not missing yet. `working` are those of them that are working days."""

    all: list[date]
    working: list[date]
    cutoff: datetime

    @staticmethod
    def span(days: Sequence[date]) -> tuple[datetime, datetime]:
        """The UTC instants from the first day's start to the last day's end: a plain range the indexes serve,
        beside the join on the days table."""
        return start_of(days[0]), start_of(days[-1] + timedelta(days=1))


async def period_days(db: AsyncSession, start: datetime, end: datetime, now: datetime | None = None) -> Days:
    cutoff = min(as_utc(end), now or utcnow())
    calendar = await work_calendar(db)
    out: list[date] = []
    day = bj_day(start)
    while start_of(day) < as_utc(start):  # a start inside a day: that day is not whole
        day += timedelta(days=1)
    while start_of(day + timedelta(days=1)) <= cutoff:
        out.append(day)
        day += timedelta(days=1)
    return Days(out, [d for d in out if calendar.is_working_day(d)], cutoff)


def days_table(days: Sequence[date], name: str = "days") -> Any:
    """A CTE with one row per day: (idx, day, s, e), s/e the UTC bounds of the Beijing day. A UNION ALL of literal
    rows (at most 366, under SQLite's 500 compound terms) rather than VALUES, whose aliasing SQLite lacks."""
    rows = [
        select(
            literal(i, Integer).label("idx"),
            literal(d, Date).label("day"),
            literal(start_of(d), UTCDateTime()).label("s"),
            literal(start_of(d + timedelta(days=1)), UTCDateTime()).label("e"),
        )
        for i, d in enumerate(days)
    ]
    return (union_all(*rows) if len(rows) > 1 else rows[0]).cte(name)
