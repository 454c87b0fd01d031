"""THE HAND-MADE MONTH: March 2026 in community C1, matters written straight into the tables with exactly the facts
each figure reads, every figure worked out by hand below (the arithmetic in the comments) and compared with what the
API answers — on both engines. Then the month is frozen and a matter changes: the month does not move.

All times are Beijing wall-clock (bj); the working day is 09:00–12:00 and 13:30–17:30 (7 hours), and March 2026
has no public holiday (its weekends: 1, 7–8, 14–15, 21–22, 28–29)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from assessment.helpers import add_application, add_handoff, add_matter, bj, figures, freeze, rate
from wangge.assessment import service
from wangge.matters.models import Matter

MARCH = {"period": "month", "at": "2026-03-20"}


def build_march(live, world) -> dict[str, int]:
    """The matters of the month; returns their ids by name."""
    ids: dict[str, int] = {}
    with live.session() as s:

        def add(name: str, **fields) -> None:
            ids[name] = add_matter(s, world, **fields)

        # M1 on time, rated online (satisfied): responded 09:30 (due 11:00), requester contacted 10:00 (due 17:00),
        # resolved by the grid at 11:00 (due next day 09:00). Working hours 09:00→11:00 = 2.
        add(
            "M1",
            created_at=bj(2026, 3, 2, 9),
            responded_at=bj(2026, 3, 2, 9, 30),
            respond_due_at=bj(2026, 3, 2, 11),
            contact_due_at=bj(2026, 3, 2, 17),
            first_contact_at=bj(2026, 3, 2, 10),
            status="closed",
            outcome="done",
            holder_level="grid",
            resolved_at=bj(2026, 3, 2, 11),
            resolved_due_at=bj(2026, 3, 3, 9),
            closed_at=bj(2026, 3, 2, 15),
            rating="satisfied",
            rating_source="resident",
            rated_at=bj(2026, 3, 2, 15),
        )
        # M2 late twice: signed for at 12:30 (due 11:00), resolved by the station the next morning 09:00 (due the
        # day before 17:30); rated by callback 回访 "basically satisfied". Working hours Mar 3 09:00→Mar 4 09:00 = 7.
        add(
            "M2",
            created_at=bj(2026, 3, 3, 9),
            responded_at=bj(2026, 3, 3, 12, 30),
            respond_due_at=bj(2026, 3, 3, 11),
            status="closed",
            outcome="done",
            holder_level="station",
            resolved_at=bj(2026, 3, 4, 9),
            resolved_due_at=bj(2026, 3, 3, 17, 30),
            rating="basically_satisfied",
            rating_source="callback",
            rated_at=bj(2026, 3, 6, 10),
        )
        # M3 returned: the station escalated it to the street, which returned it within the hour; the station then
        # resolved it on time (Mar 5 10:00, due Mar 6 17:30); not rated yet. Working hours Mar 4 09:00→Mar 5 10:00
        # = 7 + 1 = 8.
        add(
            "M3",
            created_at=bj(2026, 3, 4, 9),
            responded_at=bj(2026, 3, 4, 9, 10),
            respond_due_at=bj(2026, 3, 4, 11),
            status="resolved",
            outcome="done",
            holder_level="station",
            resolved_at=bj(2026, 3, 5, 10),
            resolved_due_at=bj(2026, 3, 6, 17, 30),
        )
        add_handoff(
            s,
            ids["M3"],
            created_at=bj(2026, 3, 4, 10),
            sign_due_at=bj(2026, 3, 4, 15),
            returned_at=bj(2026, 3, 4, 11),
            return_reason="属社区职责",
        )
        # M4 reopened: signed for in time, but the requester was first contacted at 13:00 (due 12:00) — a missed
        # response; resolved, rated "not satisfied" online, reopened, resolved again Mar 10 15:30 (due Mar 11).
        # Working hours Mar 9 09:00→Mar 10 15:30 = 7 + 3 + 2 = 12.
        add(
            "M4",
            created_at=bj(2026, 3, 9, 9),
            responded_at=bj(2026, 3, 9, 9, 5),
            respond_due_at=bj(2026, 3, 9, 11),
            contact_due_at=bj(2026, 3, 9, 12),
            first_contact_at=bj(2026, 3, 9, 13),
            status="resolved",
            outcome="done",
            holder_level="grid",
            reopen_count=1,
            resolved_at=bj(2026, 3, 10, 15, 30),
            resolved_due_at=bj(2026, 3, 11, 17, 30),
            rating="not_satisfied",
            rating_source="resident",
            rated_at=bj(2026, 3, 9, 16),
        )
        # M5 a duplicate merged into M4 (never signed for, its deadline long past): received, counted nowhere else.
        add(
            "M5",
            created_at=bj(2026, 3, 10, 9),
            respond_due_at=bj(2026, 3, 10, 11),
            status="merged",
            outcome="merged",
            merged_into_id=ids["M4"],
            closed_at=bj(2026, 3, 10, 9, 30),
        )
        # M6 withdrawn: closed by the station chief with an explanation, never handled; even its rating is ignored.
        add(
            "M6",
            created_at=bj(2026, 3, 11, 9),
            respond_due_at=bj(2026, 3, 11, 11),
            status="closed",
            outcome="closed",
            closed_at=bj(2026, 3, 11, 10),
            rating="satisfied",
            rating_source="resident",
        )
        # M7 still open at the station, unrated, its deadline (Mar 13 17:30) long past: overdue.
        add(
            "M7",
            created_at=bj(2026, 3, 12, 9),
            responded_at=bj(2026, 3, 12, 9, 30),
            respond_due_at=bj(2026, 3, 12, 11),
            status="at_station",
            holder_level="station",
            due_at=bj(2026, 3, 13, 17, 30),
        )
        # M8 extension approved: due Mar 17 17:30, extended to Mar 20 17:30, resolved by the department Mar 19
        # 10:00 — on time (the approved extension moved the date). Rated online, satisfied. The department signed
        # the work order at 11:00 (due 15:00). Working hours Mar 16 09:00→Mar 19 10:00 = 7 × 3 + 1 = 22.
        add(
            "M8",
            grid="G1b",
            created_at=bj(2026, 3, 16, 9),
            responded_at=bj(2026, 3, 16, 10),
            respond_due_at=bj(2026, 3, 16, 11),
            status="closed",
            outcome="done",
            holder_level="department",
            holder_department_id=world.ids["DS1"],
            resolved_at=bj(2026, 3, 19, 10),
            resolved_due_at=bj(2026, 3, 20, 17, 30),
            rating="satisfied",
            rating_source="resident",
            rated_at=bj(2026, 3, 19, 15),
        )
        add_handoff(
            s,
            ids["M8"],
            to_level="department",
            to_department_id=world.ids["DS1"],
            created_at=bj(2026, 3, 16, 10, 30),
            sign_due_at=bj(2026, 3, 16, 15),
            signed_at=bj(2026, 3, 16, 11),
        )
        add_application(
            s,
            ids["M8"],
            holder_level="department",
            approver_level="street",
            until=bj(2026, 3, 20, 17, 30),
            due_at_before=bj(2026, 3, 17, 17, 30),
            applied_at=bj(2026, 3, 17, 9),
            decision="approved",
            decided_at=bj(2026, 3, 17, 10),
        )
        # M9 extension refused: due Mar 18 17:30 stays; resolved by the street Mar 19 09:00 — late. Unrated.
        # Working hours Mar 17 09:00→Mar 19 09:00 = 7 × 2 = 14.
        add(
            "M9",
            grid="G1b",
            created_at=bj(2026, 3, 17, 9),
            responded_at=bj(2026, 3, 17, 9, 20),
            respond_due_at=bj(2026, 3, 17, 11),
            status="resolved",
            outcome="done",
            holder_level="street",
            resolved_at=bj(2026, 3, 19, 9),
            resolved_due_at=bj(2026, 3, 18, 17, 30),
        )
        add_application(
            s,
            ids["M9"],
            holder_level="street",
            approver_level="street",
            until=bj(2026, 3, 25, 17, 30),
            due_at_before=bj(2026, 3, 18, 17, 30),
            applied_at=bj(2026, 3, 18, 9),
            decision="refused",
            decided_at=bj(2026, 3, 18, 10),
        )
        # M10 open, suspended until 2027 (its deadline not yet come), no sign-for limit and not yet responded: its
        # response and its punctuality are not decided yet, so it is in neither of their denominators.
        add(
            "M10",
            created_at=bj(2026, 3, 23, 9),
            status="handling",
            holder_level="street",
            due_at=bj(2027, 6, 30, 17, 30),
        )
        # M11 arrived at 23:30 on the last evening of the month (Beijing; 15:30 UTC): March's. Never signed for
        # (due Apr 1 11:00) and never done (due Apr 2 17:30): a missed response and overdue.
        add(
            "M11",
            created_at=bj(2026, 3, 31, 23, 30),
            respond_due_at=bj(2026, 4, 1, 11),
            status="submitted",
            due_at=bj(2026, 4, 2, 17, 30),
        )
        # Outside the month by minutes: Apr 1 00:10 (Mar 31 16:10 UTC) and Feb 28 23:50 Beijing.
        add("April", created_at=bj(2026, 4, 1, 0, 10), status="submitted")
        add("February", created_at=bj(2026, 2, 28, 23, 50), status="submitted")
        # A matter of C2 in the same month: C1's figures do not see it.
        add("C2", grid="G2", created_at=bj(2026, 3, 10, 9), status="submitted")
        s.commit()
    return ids


# What C1's March must show, by hand:
# received   = M1…M11 = 11 (the duplicate M5 and the withdrawn M6 were received too)
# counted    = 11 − M5 − M6 = 9 (M1 M2 M3 M4 M7 M8 M9 M10 M11): every denominator below is drawn from these
# resolved   = M1 M2 M3 M4 M8 M9 = 6                                   resolution_rate = 6 / 9
# on time    = M1 M3 M4 M8 = 4; late resolved M2 M9 + open past due M7 M11 = 4 overdue; on_time_rate = 4 / (4 + 4)
# response   = in time: M1 M3 M7 M8 M9 = 5; missed: M2 (signed late) M4 (contacted late) M11 (never signed) = 3;
#              M10 undecided                                              response_rate = 5 / 8
# rated      = M1 M2 M4 M8 = 4 (M6's rating is not counted); satisfied or basically: M1 M2 M8 = 3  → 3 / 4
# online     = M1 M4 M8 = 3; callback = M2 = 1
# reopen     = M4 of the 6 resolved at least once                          reopen_rate = 1 / 6
# hours      = 2, 7, 8, 12, 22, 14 → n 6, avg 65 / 6 = 10.83 → 10.8, p90 = the 6th of 6 (⌈0.9 × 6⌉) = 22.0
# level share of the resolved: grid M1 M4 = 2, station M2 M3 = 2, street M9 = 1, department M8 = 1
# score (三率 30/35/35, −1 per overdue up to 10): 30 × 5/8 + 35 × 6/9 + 35 × 3/4 − 4
#             = 18.75 + 23.3333 + 26.25 − 4 = 64.33 → red (below 75)
C1_MARCH = {
    "received": 11,
    "resolved": 6,
    "response_rate": rate(5, 8),
    "on_time_rate": rate(4, 8),
    "resolution_rate": rate(6, 9),
    "satisfaction_rate": rate(3, 4),
    "rated_online": 3,
    "rated_callback": 1,
    "reopen_rate": rate(1, 6),
    "overdue": 4,
    "resolve_hours": {"n": 6, "avg": 10.8, "p90": 22.0},
    "level_share": {"grid": 2, "station": 2, "street": 1, "department": 1},
}


def test_every_figure_of_the_hand_made_month(live, world, client):
    build_march(live, world)
    body = figures(client, world, "station_chief", "community", "C1", **MARCH)
    got = {k: body["figures"][k] for k in C1_MARCH}
    assert got == C1_MARCH
    assert body["score"] == 64.33 and body["grade"] == "red"
    assert body["scheme"] == {"id": None, "version": 0, "street_id": None}
    assert body["period"] == {
        "kind": "month",
        "start": "2026-03-01",
        "end": "2026-03-31",
        "label": "2026年3月",
        "label_en": "2026-03",
    }
    # Beside it: February holds only the matter of 23:50 on its last evening; March 2025 nothing at all.
    assert body["previous"]["period"]["start"] == "2026-02-01" and body["previous"]["figures"]["received"] == 1
    assert body["previous"]["score"] is None  # 1 received, fewer than min_count 5: no score
    assert body["last_year"]["period"]["start"] == "2025-03-01" and body["last_year"]["figures"]["received"] == 0
    assert body["last_year"]["figures"]["resolution_rate"] == rate(0, 0)
    assert body["frozen"] is False  # never frozen: computed from the records

    # The grids split it: G1b has M8 and M9 (both resolved; M8 on time, M9 late), G1a the other nine.
    g1b = figures(client, world, "station_chief", "grid", "G1b", **MARCH)["figures"]
    assert (g1b["received"], g1b["resolved"], g1b["on_time_rate"], g1b["overdue"]) == (2, 2, rate(1, 2), 1)
    # The department DS1 holds M8: its response is to the work order, signed 11:00 (due 15:00) → 1 / 1.
    ds1 = figures(client, world, "street_officer", "department", "DS1", **MARCH)["figures"]
    assert (ds1["received"], ds1["response_rate"], ds1["satisfaction_rate"]) == (1, rate(1, 1), rate(1, 1))
    # A grid leader's matters are those they took first 首问: none here.
    assert figures(client, world, "station_chief", "leader", "grid_leader", **MARCH)["figures"]["received"] == 0
    # The street adds C2's one matter; the district the same.
    s1 = figures(client, world, "street_officer", "street", "S1", **MARCH)["figures"]
    assert s1["received"] == 12 and s1["resolution_rate"] == rate(6, 10)


def test_a_frozen_month_does_not_move(live, world, client, monkeypatch):
    ids = build_march(live, world)
    before = figures(client, world, "station_chief", "community", "C1", **MARCH)
    # Frozen one unit at a time (as a city's 100,000 grids are, 5,000 at a time): the same figures.
    monkeypatch.setattr(service, "CHUNK", 1)
    written = freeze(live, date(2026, 3, 1))
    assert written > 0
    assert freeze(live, date(2026, 3, 1)) == 0  # idempotent: nothing is frozen twice
    # Later, M7 is resolved on time and M3 rated satisfied by callback: March's records change…
    with live.session() as s:
        s.execute(
            update(Matter)
            .where(Matter.id == ids["M7"])
            .values(status="resolved", outcome="done", resolved_at=bj(2026, 3, 13, 9), resolved_due_at=None)
        )
        s.execute(update(Matter).where(Matter.id == ids["M3"]).values(rating="satisfied", rating_source="callback"))
        s.commit()
    # …but the frozen month shows what it showed, with the scheme that scored it.
    after = figures(client, world, "station_chief", "community", "C1", **MARCH)
    assert after["frozen"] is True
    assert after["figures"] == before["figures"] and after["score"] == before["score"] == 64.33
    # The dashboard's trend shows the frozen March too.
    d = client.get(
        "/api/v1/assessment/dashboard",
        params={**MARCH, "level": "community", "id": world.ids["C1"]},
        headers=world.headers("station_chief"),
    ).json()
    assert d["trend"][-1]["figures"]["resolved"] == 6 and d["trend"][-1]["figures"]["resolution_rate"] == rate(6, 9)
    # The same days asked as a range are computed now: 7 resolved, 5 rated.
    live_now = figures(
        client, world, "station_chief", "community", "C1", period="range", start="2026-03-01", end="2026-03-31"
    )
    assert live_now["frozen"] is False
    assert live_now["figures"]["resolved"] == 7 and live_now["figures"]["satisfaction_rate"] == rate(4, 5)
    # The street's table of March ranks the frozen rows too (C1 scored, C2 with one matter unscored).
    r = client.get(
        "/api/v1/assessment/table",
        params={**MARCH, "level": "community", "parent_level": "street", "parent_id": world.ids["S1"]},
        headers=world.headers("street_officer"),
    )
    assert [(row["unit"]["name"], row["score"], row["rank"]) for row in r.json()["rows"]] == [
        ("C1社区", 64.33, 1),
        ("C2社区", None, None),
    ]
