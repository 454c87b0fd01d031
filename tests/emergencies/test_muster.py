"""The report clock and the muster figures as pure functions, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wangge.emergencies.models import Activation, ActivationMember, Incident, IncidentReport
from wangge.emergencies.service import clock, muster

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def _activation(*arrivals: float | None) -> tuple[Activation, list[ActivationMember]]:
    a = Activation(id=1, activated_at=T0, target_minutes=5)
    members = [
        ActivationMember(user_id=i, arrived_at=None if m is None else T0 + timedelta(minutes=m))
        for i, m in enumerate(arrivals)
    ]
    return a, members


def test_muster_is_undecided_while_someone_is_missing_and_the_target_has_not_passed():
    a, members = _activation(2, None)
    m = muster(a, members, T0 + timedelta(minutes=3))
    assert m["all_arrived"] is False and m["within_target"] is None and m["muster_seconds"] is None
    assert [w for _, _, w in m["rows"]] == [True, None]
    late = muster(a, members, T0 + timedelta(minutes=6))
    assert late["within_target"] is False and [w for _, _, w in late["rows"]] == [True, False]


def test_muster_time_is_the_last_arrival():
    a, members = _activation(2, 4.5)
    m = muster(a, members, T0 + timedelta(minutes=30))
    assert m["all_arrived"] and m["within_target"] and m["muster_seconds"] == 270
    assert m["mustered_at"] == T0 + timedelta(minutes=4.5)
    a, members = _activation(2, 5.5)
    assert muster(a, members, T0 + timedelta(minutes=30))["within_target"] is False


def test_clock_first_then_followups_then_nothing():
    i = Incident(status="open", first_report_due_at=T0 + timedelta(minutes=30), followup_minutes=60)
    assert clock(i, None, T0) == {"next_kind": "first", "next_due_at": T0 + timedelta(minutes=30), "overdue": False}
    assert clock(i, None, T0 + timedelta(minutes=31))["overdue"] is True
    first = IncidentReport(kind="first", reported_at=T0 + timedelta(minutes=10))
    assert clock(i, first, T0 + timedelta(minutes=20)) == {
        "next_kind": "followup",
        "next_due_at": T0 + timedelta(minutes=70),
        "overdue": False,
    }
    final = IncidentReport(kind="final", reported_at=T0 + timedelta(minutes=40))
    assert clock(i, final, T0 + timedelta(days=1)) == {"next_kind": None, "next_due_at": None, "overdue": False}
