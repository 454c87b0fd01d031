"""Working-time calendar: official 2026 schedule, deadlines, overrides, fallback years, TimeLimit parsing."""

from __future__ import annotations

import time as clock
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from wangge.workcalendar import SHANGHAI, TimeLimit, WorkCalendar

CAL = WorkCalendar()
DAY = 420  # default periods 09:00-12:00 + 13:30-17:30 = 3 h + 4 h of working time per day


def bj(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SHANGHAI)


def days(a: date, b: date) -> set[date]:
    return {a + timedelta(n) for n in range((b - a).days + 1)}


# 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04): days off and make-up working days (调休上班).
OFF_2026 = (
    days(date(2026, 1, 1), date(2026, 1, 3))  # 元旦
    | days(date(2026, 2, 15), date(2026, 2, 23))  # 春节, 9 days
    | days(date(2026, 4, 4), date(2026, 4, 6))  # 清明节
    | days(date(2026, 5, 1), date(2026, 5, 5))  # 劳动节
    | days(date(2026, 6, 19), date(2026, 6, 21))  # 端午节
    | days(date(2026, 9, 25), date(2026, 9, 27))  # 中秋节
    | days(date(2026, 10, 1), date(2026, 10, 7))  # 国庆节
)
MAKEUP_2026 = {
    date(2026, 1, 4),
    date(2026, 2, 14),
    date(2026, 2, 28),
    date(2026, 5, 9),
    date(2026, 9, 20),
    date(2026, 10, 10),
}


def test_library_matches_state_council_2026_schedule_every_day() -> None:
    assert CAL.covers(date(2026, 6, 1)) and 2026 in WorkCalendar.known_years()
    wrong = []
    for d in sorted(days(date(2026, 1, 1), date(2026, 12, 31))):
        expected = d in MAKEUP_2026 or (d.weekday() < 5 and d not in OFF_2026)
        if CAL.is_working_day(d) != expected:
            wrong.append(d)
    assert wrong == []
    assert all(d.weekday() >= 5 for d in MAKEUP_2026)  # they really are weekend days worked


def test_spring_festival_2026_deadline_ends_after_the_holiday() -> None:
    # Received Friday 13 Feb; day 1 = Sat 14 Feb (make-up), 15–23 Feb off, day 2 = Tue 24, day 3 = Wed 25.
    assert CAL.deadline(bj(2026, 2, 13, 10), TimeLimit(3, "working_days")) == bj(2026, 2, 25, 17, 30)
    # Working hours: 1h left on Saturday 14 Feb, the remaining hour on the first day back.
    assert CAL.deadline(bj(2026, 2, 14, 16, 30), TimeLimit(2, "working_hours")) == bj(2026, 2, 24, 10)
    assert CAL.working_minutes_between(bj(2026, 2, 14, 17, 30), bj(2026, 2, 24, 9)) == 0


def test_makeup_saturday_is_a_working_day() -> None:
    # Friday 17:00 + 60 working minutes: 30 on Friday, 30 on Saturday 14 Feb (调休上班) instead of Monday.
    assert CAL.add_working_minutes(bj(2026, 2, 13, 17), 60) == bj(2026, 2, 14, 9, 30)
    # Same with days: Thu 8 Oct + 2 working days = Fri 9, Sat 10 Oct (make-up).
    assert CAL.add_working_days(bj(2026, 10, 8, 10), 2) == bj(2026, 10, 10, 17, 30)


def test_weekend_is_skipped() -> None:
    assert CAL.deadline(bj(2026, 3, 6, 16, 30), TimeLimit.parse("2wh")) == bj(2026, 3, 9, 10)  # Fri -> Mon
    assert CAL.working_minutes_between(bj(2026, 3, 6, 17), bj(2026, 3, 9, 9, 30)) == 60
    assert not CAL.is_working_day(date(2026, 3, 7)) and not CAL.is_working_day(date(2026, 3, 8))


def test_add_working_days_definition() -> None:
    # Start day not counted; due at close of business (17:30) on the N-th working day after it.
    assert CAL.add_working_days(bj(2026, 3, 2, 10), 5) == bj(2026, 3, 9, 17, 30)  # Mon -> next Mon
    assert CAL.add_working_days(bj(2026, 3, 2, 20), 5) == bj(2026, 3, 9, 17, 30)  # time of day irrelevant
    assert CAL.add_working_days(bj(2026, 3, 1, 10), 5) == bj(2026, 3, 6, 17, 30)  # received on Sunday
    assert CAL.add_working_days(bj(2026, 3, 2, 10), 0) == bj(2026, 3, 2, 17, 30)  # 0: today's close...
    assert CAL.add_working_days(bj(2026, 3, 2, 20), 0) == bj(2026, 3, 3, 17, 30)  # ...or the next one
    assert CAL.add_working_days(bj(2026, 3, 7, 10), 0) == bj(2026, 3, 9, 17, 30)  # Saturday -> Monday


def test_start_outside_working_hours_and_during_lunch() -> None:
    assert CAL.add_working_minutes(bj(2026, 3, 2, 12, 15), 30) == bj(2026, 3, 2, 14)  # lunch -> 13:30 + 30
    assert CAL.add_working_minutes(bj(2026, 3, 2, 11, 30), 30) == bj(2026, 3, 2, 12)  # ends at period end
    assert CAL.add_working_minutes(bj(2026, 3, 2, 11, 30), 31) == bj(2026, 3, 2, 13, 31)
    assert CAL.add_working_minutes(bj(2026, 3, 2, 7), 0) == bj(2026, 3, 2, 9)  # 0 min: next working moment
    assert CAL.add_working_minutes(bj(2026, 3, 2, 12), 0) == bj(2026, 3, 2, 13, 30)
    assert CAL.add_working_minutes(bj(2026, 3, 2, 10, 7), 0) == bj(2026, 3, 2, 10, 7)  # inside: unchanged
    assert CAL.add_working_minutes(bj(2026, 3, 6, 20), 0) == bj(2026, 3, 9, 9)  # Friday night -> Monday
    assert CAL.add_working_minutes(bj(2026, 3, 2, 7), DAY) == bj(2026, 3, 2, 17, 30)  # one full day
    assert CAL.add_working_minutes(bj(2026, 3, 2, 7), DAY + 1) == bj(2026, 3, 3, 9, 1)


def test_emergency_minutes_are_wall_clock() -> None:
    # At night during the Spring Festival holiday: plain elapsed time.
    assert CAL.deadline(bj(2026, 2, 17, 23, 50), TimeLimit.parse("30m")) == bj(2026, 2, 18, 0, 20)
    assert CAL.deadline(bj(2026, 2, 17, 23, 50), TimeLimit(30, "working_minutes")) == bj(2026, 2, 24, 9, 30)


def test_result_keeps_the_input_timezone() -> None:
    start = bj(2026, 3, 2, 16, 30).astimezone(UTC)  # 08:30 UTC
    end = CAL.deadline(start, TimeLimit(2, "working_hours"))
    assert end.tzinfo is UTC and end == bj(2026, 3, 3, 10)
    assert CAL.add_working_days(start, 1).tzinfo is UTC
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.add_working_minutes(datetime(2026, 3, 2, 10), 5)  # naive on purpose


def test_overrides_win_both_ways() -> None:
    cal = WorkCalendar(
        overrides={date(2026, 3, 4): False, date(2026, 3, 7): True, date(2026, 2, 17): True, date(2026, 2, 14): False}
    )
    assert not cal.is_working_day(date(2026, 3, 4)) and CAL.is_working_day(date(2026, 3, 4))
    assert cal.is_working_day(date(2026, 3, 7)) and not CAL.is_working_day(date(2026, 3, 7))
    assert cal.is_working_day(date(2026, 2, 17)) and not cal.is_working_day(date(2026, 2, 14))  # beat the library
    assert cal.add_working_days(bj(2026, 3, 3, 10), 1) == bj(2026, 3, 5, 17, 30)  # skips Wed 4
    assert cal.add_working_minutes(bj(2026, 3, 6, 17), 60) == bj(2026, 3, 7, 9, 30)  # works Sat 7
    with pytest.raises(ValueError, match="dates"):
        WorkCalendar(overrides={datetime(2026, 3, 4, tzinfo=SHANGHAI): False})


def test_unknown_year_falls_back_to_weekends_and_overrides() -> None:
    d = date(2099, 10, 1)  # National Day, but no official schedule: treated as a plain weekday/weekend
    assert not CAL.covers(d) and 2099 not in WorkCalendar.known_years()
    assert CAL.is_working_day(d) == (d.weekday() < 5)
    assert CAL.is_working_day(date(2099, 1, 5)) and not CAL.is_working_day(date(2099, 1, 3))  # Mon / Sat
    cal = WorkCalendar(overrides={date(2099, 1, 5): False}, complete_years=[2099])
    assert cal.covers(d) and not cal.is_working_day(date(2099, 1, 5))
    assert cal.add_working_days(datetime(2099, 1, 2, 10, tzinfo=SHANGHAI), 1) == datetime(
        2099, 1, 6, 17, 30, tzinfo=SHANGHAI
    )
    # Spanning from a known year into unknown ones does not crash.
    assert CAL.working_minutes_between(bj(2026, 12, 31, 9), bj(2099, 1, 1)) > 0


def test_custom_periods_and_validation() -> None:
    cal = WorkCalendar(periods=[(time(8), time(17))])
    assert cal.add_working_minutes(bj(2026, 3, 2, 16), 120) == bj(2026, 3, 3, 9)
    assert cal.add_working_days(bj(2026, 3, 2, 10), 1) == bj(2026, 3, 3, 17)
    for bad in ([], [(time(12), time(9))], [(time(9), time(12)), (time(11), time(13))]):
        with pytest.raises(ValueError):
            WorkCalendar(periods=bad)
    with pytest.raises(ValueError):
        CAL.add_working_minutes(bj(2026, 3, 2, 10), -1)


def test_twenty_working_days_is_fast() -> None:
    t0 = clock.perf_counter()
    for i in range(300):
        start = bj(2026, 1, 1) + timedelta(hours=i * 7)
        CAL.add_working_days(start, 20)
        CAL.add_working_minutes(start, 20 * DAY)
    assert clock.perf_counter() - t0 < 3  # minute-by-minute would be ~2.7 million steps per call
    assert CAL.working_minutes_between(bj(2026, 1, 1), bj(2027, 1, 1)) == DAY * (
        sum(1 for d in days(date(2026, 1, 1), date(2026, 12, 31)) if CAL.is_working_day(d))
    )


@given(
    day=st.integers(0, 364),
    period=st.sampled_from(CAL._periods),
    offset=st.integers(0, 239),
    seconds=st.integers(0, 59),
    minutes=st.integers(0, 20000),
)
def test_round_trip_add_and_between(day: int, period: tuple[time, time], offset: int, seconds: int, minutes: int):
    d = date(2026, 1, 1) + timedelta(day)
    assume(CAL.is_working_day(d))
    s = datetime.combine(d, period[0], tzinfo=SHANGHAI) + timedelta(minutes=offset, seconds=seconds)
    assume(s < datetime.combine(d, period[1], tzinfo=SHANGHAI))
    end = CAL.add_working_minutes(s, minutes)
    assert CAL.working_minutes_between(s, end) == minutes
    assert CAL.working_minutes_between(end, s) == -minutes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", TimeLimit(30, "minutes")),
        ("90wm", TimeLimit(90, "working_minutes")),
        (" 2WH ", TimeLimit(2, "working_hours")),
        ("5wd", TimeLimit(5, "working_days")),
    ],
)
def test_time_limit_parse(text: str, expected: TimeLimit) -> None:
    assert TimeLimit.parse(text) == expected
    assert TimeLimit.parse(str(expected)) == expected


def test_time_limit_dict_round_trip_and_validation() -> None:
    limit = TimeLimit.from_dict({"amount": 2, "unit": "working_hours"})
    assert limit == TimeLimit(2, "working_hours") and limit.to_dict() == {"amount": 2, "unit": "working_hours"}
    assert TimeLimit.from_dict(limit.to_dict()) == limit
    assert TimeLimit.from_dict({"amount": 0, "unit": "minutes"}).amount == 0
    for bad, message in [
        ({"amount": -1, "unit": "working_days"}, ">= 0"),
        ({"amount": 3, "unit": "fortnights"}, "unknown time limit unit 'fortnights'"),
        ({"amount": "3", "unit": "working_days"}, "integer"),
        ({"amount": True, "unit": "working_days"}, "integer"),
        ({"amount": 3}, "exactly the keys"),
        ({"amount": 3, "unit": "minutes", "extra": 1}, "exactly the keys"),
        ([3, "minutes"], "mapping"),
    ]:
        with pytest.raises(ValueError, match=message):
            TimeLimit.from_dict(bad)  # type: ignore[arg-type]
    for text in ("", "2", "wh", "-2wh", "2 hours", "2.5wh"):
        with pytest.raises(ValueError, match="cannot parse"):
            TimeLimit.parse(text)
