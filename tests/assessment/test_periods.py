"""Period maths: weeks from Monday, quarters, years, ranges; the period before and the same one last year; their
bounds from Beijing midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from wangge.assessment.periods import months_up_to, period_of, previous, same_last_year, utc_bounds
from wangge.errors import Invalid


def span(p):
    return p.kind, p.start.isoformat(), p.end.isoformat()


def test_each_kind_holds_its_day():
    assert span(period_of("day", date(2026, 3, 4))) == ("day", "2026-03-04", "2026-03-04")
    assert span(period_of("week", date(2026, 3, 4))) == ("week", "2026-03-02", "2026-03-08")  # a Wednesday
    assert span(period_of("week", date(2026, 3, 8))) == ("week", "2026-03-02", "2026-03-08")  # its Sunday
    assert span(period_of("month", date(2024, 2, 10))) == ("month", "2024-02-01", "2024-02-29")
    assert span(period_of("quarter", date(2026, 5, 10))) == ("quarter", "2026-04-01", "2026-06-30")
    assert span(period_of("quarter", date(2026, 12, 31))) == ("quarter", "2026-10-01", "2026-12-31")
    assert span(period_of("year", date(2026, 7, 1))) == ("year", "2026-01-01", "2026-12-31")
    r = period_of("range", start=date(2026, 3, 5), end=date(2026, 4, 4))
    assert span(r) == ("range", "2026-03-05", "2026-04-04") and r.days == 31
    assert period_of("week", date(2026, 3, 4)).label_zh == "2026年第10周"
    assert period_of("quarter", date(2026, 5, 10)).label_en == "2026-Q2"


def test_previous_and_same_period_last_year():
    assert span(previous(period_of("month", date(2026, 1, 15)))) == ("month", "2025-12-01", "2025-12-31")
    assert span(previous(period_of("month", date(2026, 3, 31)))) == ("month", "2026-02-01", "2026-02-28")
    assert span(previous(period_of("quarter", date(2026, 2, 1)))) == ("quarter", "2025-10-01", "2025-12-31")
    assert span(previous(period_of("week", date(2026, 1, 1)))) == ("week", "2025-12-22", "2025-12-28")
    assert span(previous(period_of("day", date(2026, 3, 1)))) == ("day", "2026-02-28", "2026-02-28")
    assert span(previous(period_of("year", date(2026, 3, 1)))) == ("year", "2025-01-01", "2025-12-31")
    # A range: the same number of days just before it.
    r = period_of("range", start=date(2026, 3, 5), end=date(2026, 3, 14))
    assert span(previous(r)) == ("range", "2026-02-23", "2026-03-04")
    assert span(same_last_year(period_of("month", date(2026, 3, 9)))) == ("month", "2025-03-01", "2025-03-31")
    assert span(same_last_year(period_of("day", date(2024, 2, 29)))) == ("day", "2023-02-28", "2023-02-28")
    assert span(same_last_year(period_of("quarter", date(2026, 8, 1)))) == ("quarter", "2025-07-01", "2025-09-30")
    # A week: the same ISO week number; 2026 has a week 53, 2025 does not (its week 52 then).
    assert span(same_last_year(period_of("week", date(2026, 3, 4)))) == ("week", "2025-03-03", "2025-03-09")
    assert span(same_last_year(period_of("week", date(2026, 12, 31)))) == ("week", "2025-12-22", "2025-12-28")
    assert span(same_last_year(r)) == ("range", "2025-03-05", "2025-03-14")
    trend = months_up_to(period_of("month", date(2026, 3, 9)), 12)
    assert [p.start.isoformat() for p in (trend[0], trend[-1])] == ["2025-04-01", "2026-03-01"] and len(trend) == 12


def test_bounds_run_from_beijing_midnight():
    start, end = utc_bounds(period_of("month", date(2026, 3, 9)))
    assert start == datetime(2026, 2, 28, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    start, end = utc_bounds(period_of("day", date(2026, 1, 1)))
    assert (start, end) == (datetime(2025, 12, 31, 16, tzinfo=UTC), datetime(2026, 1, 1, 16, tzinfo=UTC))


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        ("range", None, None),
        ("range", date(2026, 3, 1), None),
        ("range", date(2026, 3, 2), date(2026, 3, 1)),
        ("range", date(2025, 1, 1), date(2026, 1, 2)),  # 367 days
        ("fortnight", None, None),
    ],
)
def test_bad_periods(kind, start, end):
    with pytest.raises(Invalid) as e:
        period_of(kind, start=start, end=end)
    assert e.value.code == "assessment-period" and e.value.status == 422


def test_a_range_of_366_days_is_allowed():
    assert period_of("range", start=date(2024, 1, 1), end=date(2024, 12, 31)).days == 366
