"""Hazard and emergency figures on a hand-made week (Mon 9 – Sun 15 November 2026, Beijing time): every figure is
worked out by hand in the comments, on both engines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from assessment.run_figures import bj, r, run_figures
from wangge.assessment import emergency_figures, hazard_figures
from wangge.emergencies.models import Activation, ActivationMember, Incident, IncidentReport, ResponseTier
from wangge.station.models import Hazard

START, END = bj("2026-11-09 00:00"), bj("2026-11-16 00:00")
NO_TYPES = {"fire": 0, "gas": 0, "electrical": 0, "building": 0, "road": 0, "production": 0}


@pytest.fixture
def ledger(live, world):
    w, u = world.ids, world.users
    community = {"G1a": "C1", "G1b": "C1", "G2": "C2"}
    with live.session() as s:

        def hazard(grid: str, kind: str, by: str, found: str, deadline: str, fixed: str | None = None) -> None:
            s.add(
                Hazard(
                    community_id=w[community[grid]],
                    grid_id=w[grid],
                    place="某小区",
                    hazard_type=kind,
                    risk_level="medium",
                    description="隐患",
                    responsible_unit="物业",
                    deadline=date.fromisoformat(deadline),
                    status="fixed" if fixed else "open",
                    found_at=bj(found),
                    found_by_id=u[by],
                    fixed_at=bj(fixed) if fixed else None,
                )
            )

        # H1: due the 12th, fixed 23:30 that day in Beijing: on time.
        hazard("G1a", "fire", "grid_leader", "2026-11-09 10:00", "2026-11-12", "2026-11-12 23:30")
        # H2: due the 11th, fixed 00:30 on the 12th in Beijing (still the 11th in UTC): late.
        hazard("G1a", "gas", "grid_leader", "2026-11-10 10:00", "2026-11-11", "2026-11-12 00:30")
        # H3: found before the week, due the 13th, never fixed: late, and overdue at the week's end.
        hazard("G1b", "fire", "leader_g1b", "2026-11-01 10:00", "2026-11-13")
        # H4: due after the week, open: not decided yet, not overdue.
        hazard("G1b", "electrical", "leader_g1b", "2026-11-11 10:00", "2026-11-20")
        # H5: due the 14th (a Saturday: deadlines are calendar days), fixed that morning: on time.
        hazard("G2", "road", "leader_g2", "2026-11-12 10:00", "2026-11-14", "2026-11-14 10:00")
        # H6: found and due before the week, fixed in it: neither found, due nor overdue in the week.
        hazard("G1a", "building", "grid_leader", "2026-10-20 10:00", "2026-10-30", "2026-11-10 10:00")
        # H7: found and due before the week, still open: overdue at the week's end.
        hazard("G1a", "fire", "grid_leader", "2026-10-20 10:00", "2026-11-01")
        s.commit()
    return world


def test_hazard_figures(live, ledger):
    w, u = ledger.ids, ledger.users

    def figures(level: str, ids: list[int]):
        return run_figures(live, hazard_figures.figures, level=level, unit_ids=ids, start=START, end=END)

    grids = figures("grid", [w["G1a"], w["G1b"], w["G2"], w["G4"]])
    # G1a: found H1, H2 = 2; due in the week H1 (on time), H2 (late) = 1/2; overdue H7 = 1 (H2 was fixed by then).
    assert grids[w["G1a"]] == {
        "hazards_found": 2,
        "hazards_fixed_on_time": r(1, 2),
        "hazards_overdue": 1,
        "hazards_by_type": {**NO_TYPES, "fire": 1, "gas": 1},
    }
    # G1b: found H4 = 1; due H3 (open) = 0/1; overdue H3 = 1.
    assert grids[w["G1b"]] == {
        "hazards_found": 1,
        "hazards_fixed_on_time": r(0, 1),
        "hazards_overdue": 1,
        "hazards_by_type": {**NO_TYPES, "electrical": 1},
    }
    # G2: H5 found, due and fixed on time.
    assert grids[w["G2"]]["hazards_fixed_on_time"] == r(1, 1)
    assert grids[w["G4"]] == {
        "hazards_found": 0,
        "hazards_fixed_on_time": r(0, 0),
        "hazards_overdue": 0,
        "hazards_by_type": NO_TYPES,
    }
    # C1 = G1a + G1b: found 3; on time 1 / 3; overdue 2.
    c1 = figures("community", [w["C1"]])[w["C1"]]
    assert (c1["hazards_found"], c1["hazards_fixed_on_time"], c1["hazards_overdue"]) == (3, r(1, 3), 2)
    # S1 = C1 + C2: found 4 (fire 1, gas 1, electrical 1, road 1); on time 2 / 4; overdue 2. S2 has none.
    streets = figures("street", [w["S1"], w["S2"]])
    assert streets[w["S1"]] == {
        "hazards_found": 4,
        "hazards_fixed_on_time": r(2, 4),
        "hazards_overdue": 2,
        "hazards_by_type": {**NO_TYPES, "fire": 1, "gas": 1, "electrical": 1, "road": 1},
    }
    assert streets[w["S2"]]["hazards_found"] == 0
    assert figures("district", [w["D1"]])[w["D1"]]["hazards_fixed_on_time"] == r(2, 4)
    # A leader's are those they found: grid_leader H1, H2 found (H6, H7 earlier), 1/2 on time, H7 overdue.
    leaders = figures("leader", [u["grid_leader"], u["leader_g1b"]])
    assert leaders[u["grid_leader"]]["hazards_found"] == 2
    assert leaders[u["grid_leader"]]["hazards_fixed_on_time"] == r(1, 2)
    assert leaders[u["grid_leader"]]["hazards_overdue"] == 1
    assert leaders[u["leader_g1b"]]["hazards_fixed_on_time"] == r(0, 1)
    assert figures("department", [w["DS1"]]) == {w["DS1"]: {}}


@pytest.fixture
def incidents(live, world):
    w, u = world.ids, world.users
    with live.session() as s:
        n = 0

        def incident(grid: str | None, by: str, known: str) -> Incident:
            nonlocal n
            n += 1
            path = {"district_id": w["D1"], "street_id": w["S1"]}
            if grid:
                path |= {"community_id": w["C1" if grid != "G2" else "C2"], "grid_id": w[grid]}
            i = Incident(
                code=f"EVT{n}",
                incident_type="fire",
                severity=4,
                title="起火",
                place="某楼",
                raised_by_id=u[by],
                occurred_at=bj(known),
                known_at=bj(known),
                first_report_due_at=bj(known) + timedelta(minutes=30),
                followup_minutes=60,
                **path,
            )
            s.add(i)
            s.flush()
            return i

        def report(i: Incident, seq: int, kind: str, by: str, due: str, at: str) -> None:
            late = max(0, int((bj(at) - bj(due)).total_seconds()))
            s.add(
                IncidentReport(
                    incident_id=i.id,
                    sequence=seq,
                    kind=kind,
                    reported_at=bj(at),
                    due_at=bj(due),
                    late_seconds=late,
                    author_id=u[by],
                    nature="火情",
                    scene_status="控制中",
                )
            )

        tiers = []
        for t in (1, 2):
            tier = ResponseTier(unit_level="community", unit_id=w["C1"], tier=t, name=f"第{t}梯队")
            s.add(tier)
            s.flush()
            tiers.append(tier.id)

        def activation(i: Incident, tier: int, at: str, arrivals: dict[str, str | None]) -> None:
            a = Activation(
                incident_id=i.id,
                tier_id=tier,
                activated_at=bj(at),
                activated_by_id=u["station_chief"],
                target_minutes=5,
            )
            s.add(a)
            s.flush()
            for who, arrived in arrivals.items():
                s.add(ActivationMember(activation_id=a.id, user_id=u[who], arrived_at=bj(arrived) if arrived else None))

        # I1 in G1a: first report 10:20 (due 10:30) on time; follow-up due 11:20 made 11:50 (late); final due
        # 12:50 made 12:40 (on time, by the chief). Its call at 10:05: one arrives 10:09, the other 10:12 (> 10:10).
        i1 = incident("G1a", "grid_leader", "2026-11-10 10:00")
        report(i1, 1, "first", "grid_leader", "2026-11-10 10:30", "2026-11-10 10:20")
        report(i1, 2, "followup", "grid_leader", "2026-11-10 11:20", "2026-11-10 11:50")
        report(i1, 3, "final", "station_chief", "2026-11-10 12:50", "2026-11-10 12:40")
        activation(
            i1, tiers[0], "2026-11-10 10:05", {"grid_leader": "2026-11-10 10:09", "leader_g1b": "2026-11-10 10:12"}
        )
        # I2 in G1b: no first report, long past due. Tier 1 at 09:02: arrives 09:06 (within); tier 2 at 09:10:
        # grid_leader never arrives (the target passed long ago).
        i2 = incident("G1b", "leader_g1b", "2026-11-12 09:00")
        activation(i2, tiers[0], "2026-11-12 09:02", {"leader_g1b": "2026-11-12 09:06"})
        activation(i2, tiers[1], "2026-11-12 09:10", {"grid_leader": None})
        # I3 in G2, known next week in Beijing (Sunday 17:00 UTC): not in the week.
        i3 = incident("G2", "leader_g2", "2026-11-16 01:00")
        report(i3, 1, "first", "leader_g2", "2026-11-16 01:30", "2026-11-16 01:10")
        # I4, the street's own (no grid): first report 14:25, due 14:30: on time.
        i4 = incident(None, "street_officer", "2026-11-13 14:00")
        report(i4, 1, "first", "street_officer", "2026-11-13 14:30", "2026-11-13 14:25")
        s.commit()
    return world


def test_emergency_figures(live, incidents):
    w, u = incidents.ids, incidents.users

    def figures(level: str, ids: list[int]):
        return run_figures(live, emergency_figures.figures, level=level, unit_ids=ids, start=START, end=END)

    grids = figures("grid", [w["G1a"], w["G1b"], w["G2"]])
    # G1a: first 1/1; follow-ups 1 of 2 on time; its one call mustered at 10:12 > 10:10: 0/1.
    assert grids[w["G1a"]] == {
        "first_report_on_time": r(1, 1),
        "follow_ups_on_time": r(1, 2),
        "muster_on_time": r(0, 1),
    }
    # G1b: first report missing and overdue 0/1; no follow-ups; tier 1 within, tier 2 never mustered: 1/2.
    assert grids[w["G1b"]] == {
        "first_report_on_time": r(0, 1),
        "follow_ups_on_time": r(0, 0),
        "muster_on_time": r(1, 2),
    }
    # G2: I3 is next week: nothing decided.
    assert grids[w["G2"]] == {"first_report_on_time": r(0, 0), "follow_ups_on_time": r(0, 0), "muster_on_time": r(0, 0)}
    # C1 = I1 + I2: first 1/2, follow-ups 1/2, musters 1/3.
    assert figures("community", [w["C1"]])[w["C1"]] == {
        "first_report_on_time": r(1, 2),
        "follow_ups_on_time": r(1, 2),
        "muster_on_time": r(1, 3),
    }
    # S1 adds I4 (the street's own): first 2/3.
    s1 = figures("street", [w["S1"]])[w["S1"]]
    assert s1["first_report_on_time"] == r(2, 3)
    assert s1["muster_on_time"] == r(1, 3)
    assert figures("district", [w["D1"]])[w["D1"]]["first_report_on_time"] == r(2, 3)
    # Leaders: grid_leader raised I1 (first 1/1), wrote I1's follow-up (late: 0/1), arrived 10:09 for I1 (within)
    # and never for I2's tier 2: 1/2. leader_g1b raised I2 (0/1), wrote nothing, 10:12 late and 09:06 within: 1/2.
    leaders = figures("leader", [u["grid_leader"], u["leader_g1b"]])
    assert leaders[u["grid_leader"]] == {
        "first_report_on_time": r(1, 1),
        "follow_ups_on_time": r(0, 1),
        "muster_on_time": r(1, 2),
    }
    assert leaders[u["leader_g1b"]] == {
        "first_report_on_time": r(0, 1),
        "follow_ups_on_time": r(0, 0),
        "muster_on_time": r(1, 2),
    }
    assert figures("department", [w["DS1"]]) == {w["DS1"]: {}}


def test_hazards_of_a_single_day(live, ledger):
    w = ledger.ids
    # Thursday the 12th: H1 was due that day and fixed at 23:30 (on time); nothing else fell due.
    day = run_figures(
        live,
        hazard_figures.figures,
        level="grid",
        unit_ids=[w["G1a"]],
        start=bj("2026-11-12 00:00"),
        end=bj("2026-11-13 00:00"),
    )[w["G1a"]]
    assert day["hazards_fixed_on_time"] == r(1, 1)
    # At the end of the 12th: H7 (due the 1st) is open; H2 (due the 11th) was fixed at 00:30 on the 12th.
    assert day["hazards_overdue"] == 1
