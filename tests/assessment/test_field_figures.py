"""Field-work figures on a hand-made week (Mon 9 – Sun 15 November 2026, five working days, Beijing time): every
figure is worked out by hand in the comments, on both engines."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select, update

from assessment.run_figures import bj, r, run_figures
from wangge.assessment import field_figures
from wangge.fieldwork.models import DailyLog, GridLeadership, HomeVisit, Patrol, SpecialGroup, SpecialResident
from wangge.matters.models import Matter

START, END = bj("2026-11-09 00:00"), bj("2026-11-16 00:00")


def _group(s, code: str, every: int) -> int:
    group = s.execute(select(SpecialGroup).where(SpecialGroup.code == code)).scalar()
    if group is None:  # special groups are reference data, kept across the tests' resets
        group = SpecialGroup(code=code, name_zh=code, name_en=code, visit_every_days=every)
        s.add(group)
        s.flush()
    return group.id


@pytest.fixture
def week(live, world):
    w, u = world.ids, world.users
    lead, b_lead = u["grid_leader"], u["leader_g1b"]
    with live.session() as s:
        s.execute(update(GridLeadership).values(started_at=datetime(2026, 1, 1, tzinfo=START.tzinfo)))
        n = 0

        def patrol(user: int, grid: str, at: str) -> None:
            nonlocal n
            n += 1
            s.add(Patrol(client_id=f"p{n}", user_id=user, grid_id=w[grid], started_at=bj(at)))

        patrol(lead, "G1a", "2026-11-09 09:00")  # Mon
        patrol(lead, "G1a", "2026-11-09 15:00")  # Mon again: one day
        patrol(lead, "G1a", "2026-11-10 23:30")  # Tue in Beijing (15:30 UTC)
        patrol(lead, "G1a", "2026-11-14 10:00")  # Sat: not a working day
        patrol(lead, "G1a", "2026-11-16 09:00")  # next week
        patrol(lead, "G1b", "2026-11-11 10:00")  # Wed, covering the partner grid
        patrol(b_lead, "G1b", "2026-11-09 07:00")  # Mon in Beijing (Sunday 23:00 UTC)
        patrol(b_lead, "G1b", "2026-11-13 17:00")  # Fri

        def log(user: int, grid: str, day: str, signed: bool = True) -> None:
            at = bj(f"{day} 18:00") if signed else None
            s.add(DailyLog(user_id=user, grid_id=w[grid], day=datetime.fromisoformat(day).date(), signed_at=at))

        log(lead, "G1a", "2026-11-09")
        log(lead, "G1a", "2026-11-10")
        log(lead, "G1a", "2026-11-11", signed=False)  # built, never signed
        log(lead, "G1a", "2026-11-14")  # Saturday
        log(b_lead, "G1b", "2026-11-09")
        log(b_lead, "G1a", "2026-11-10")  # the partner signs a day of G1a too: still one G1a day

        weekly, every3 = _group(s, "t_weekly", 7), _group(s, "t_every3", 3)
        old = bj("2026-10-01 09:00")

        def resident(name: str, grid: str, group: int, *, created=old, every=None, active=True) -> int:
            res = SpecialResident(
                grid_id=w[grid],
                group_id=group,
                name=name,
                visit_every_days=every,
                created_at=created,
                is_active=active,
            )
            s.add(res)
            s.flush()
            return res.id

        def visit(resident_id: int, at: str) -> None:
            s.add(HomeVisit(resident_id=resident_id, visited_at=bj(at), visitor_ids=[lead], created_by_id=lead))

        r1 = resident("R1", "G1a", weekly)  # due 7 // 7 = 1
        visit(r1, "2026-11-10 10:00")
        visit(r1, "2026-11-12 10:00")  # done min(2, 1) = 1
        r2 = resident("R2", "G1a", every3)  # due 7 // 3 = 2
        visit(r2, "2026-11-11 10:00")  # done 1
        resident("R3", "G1a", weekly, every=30)  # due 7 // 30 = 0
        r4 = resident("R4", "G1b", weekly, created=bj("2026-11-12 00:00"))  # 4 days registered: due 0
        visit(r4, "2026-11-13 10:00")  # done min(1, 0) = 0
        r5 = resident("R5", "G1b", weekly, active=False)  # no longer followed
        visit(r5, "2026-11-10 10:00")
        resident("R6", "G2", weekly)  # due 1, done 0
        r7 = resident("R7", "G1b", weekly)  # due 1
        visit(r7, "2026-11-08 10:00")  # the week before: done 0

        def matter(code: str, grid: str, source: str, by: int | None, at: str) -> None:
            grid_row = {"G1a": "C1", "G1b": "C1", "G2": "C2"}[grid]
            s.add(
                Matter(
                    tracking_code=code,
                    category_id=world.categories["sanitation"],
                    description="楼道堆物",
                    source=source,
                    status="accepted",
                    holder_level="grid",
                    district_id=w["D1"],
                    street_id=w["S1"],
                    community_id=w[grid_row],
                    grid_id=w[grid],
                    reported_by_id=by,
                    created_at=bj(at),
                )
            )

        matter("QR1", "G1a", "field", lead, "2026-11-10 10:00")
        matter("QR2", "G1b", "field", lead, "2026-11-11 10:00")  # covering G1b
        matter("QR3", "G1a", "resident", None, "2026-11-10 11:00")  # a resident's, not a quick report
        matter("QR4", "G1a", "field", lead, "2026-11-16 01:00")  # next week in Beijing
        s.commit()
    return world


def figures(live, level: str, ids: list[int]):
    return run_figures(live, field_figures.figures, level=level, unit_ids=ids, start=START, end=END)


def test_field_figures_of_grids_and_areas(live, week):
    w = week.ids
    grids = figures(live, "grid", [w["G1a"], w["G1b"], w["G2"], w["G4"]])
    # Patrol coverage: working days with a patrol of the grid / 5 working days.
    # G1a: Mon, Tue (Sat is off, the 16th is next week) = 2; G1b: Mon (07:00 Beijing), Wed, Fri = 3; G2: none.
    assert grids[w["G1a"]]["patrol_coverage"] == r(2, 5)
    assert grids[w["G1b"]]["patrol_coverage"] == r(3, 5)
    assert grids[w["G2"]]["patrol_coverage"] == r(0, 5)
    # Signed logs: G1a Mon, Tue (twice: one day; Wed unsigned, Sat off) = 2; G1b Mon = 1.
    assert grids[w["G1a"]]["log_days"] == r(2, 5)
    assert grids[w["G1b"]]["log_days"] == r(1, 5)
    # Visits: G1a R1 1/1 + R2 1/2 + R3 0/0 = 2/3; G1b R4 0/0 + R7 0/1 (R5 inactive) = 0/1; G2 R6 0/1.
    assert grids[w["G1a"]]["visit_rate"] == r(2, 3)
    assert grids[w["G1b"]]["visit_rate"] == r(0, 1)
    assert grids[w["G2"]]["visit_rate"] == r(0, 1)
    # Quick reports: field matters created in the week: G1a QR1 = 1, G1b QR2 = 1.
    assert grids[w["G1a"]]["quick_reports"] == 1
    assert grids[w["G1b"]]["quick_reports"] == 1
    # A grid where nothing happened still has its entry.
    assert grids[w["G4"]] == {
        "patrol_coverage": r(0, 5),
        "log_days": r(0, 5),
        "visit_rate": r(0, 0),
        "quick_reports": 0,
    }

    areas = figures(live, "community", [w["C1"], w["C2"]])
    # C1 has two grids: patrols (2 + 3) / (2 × 5); logs (2 + 1) / 10; visits (2 + 0) / (3 + 1); quick 1 + 1.
    assert areas[w["C1"]] == {
        "patrol_coverage": r(5, 10),
        "log_days": r(3, 10),
        "visit_rate": r(2, 4),
        "quick_reports": 2,
    }
    assert areas[w["C2"]]["visit_rate"] == r(0, 1)
    street = figures(live, "street", [w["S1"], w["S2"]])
    # S1 = C1 + C2 (G2): patrols 5 / 15, logs 3 / 15, visits 2 / 5, quick 2; S2 (G3): nothing, 5 days due.
    assert street[w["S1"]] == {
        "patrol_coverage": r(5, 15),
        "log_days": r(3, 15),
        "visit_rate": r(2, 5),
        "quick_reports": 2,
    }
    assert street[w["S2"]]["patrol_coverage"] == r(0, 5)
    # D1 holds G1a, G1b, G2, G3: patrols 5 / 20.
    assert figures(live, "district", [w["D1"]])[w["D1"]]["patrol_coverage"] == r(5, 20)
    # Departments patrol no grid: the family does not apply.
    assert figures(live, "department", [w["DS1"]]) == {w["DS1"]: {}}


def test_field_figures_of_leaders(live, week):
    u = week.users
    leaders = figures(live, "leader", [u["grid_leader"], u["leader_g1b"], u["leader_g2"]])
    lead, b_lead, g2_lead = leaders[u["grid_leader"]], leaders[u["leader_g1b"]], leaders[u["leader_g2"]]
    # The leader's own patrols, in any grid: Mon, Tue, Wed (G1b) = 3 of 5; leader_g1b Mon, Fri = 2.
    assert lead["patrol_coverage"] == r(3, 5)
    assert b_lead["patrol_coverage"] == r(2, 5)
    assert g2_lead["patrol_coverage"] == r(0, 5)
    # Their own signed logs: Mon, Tue = 2; leader_g1b Mon (G1b), Tue (G1a) = 2.
    assert lead["log_days"] == r(2, 5)
    assert b_lead["log_days"] == r(2, 5)
    # Visits due in the grids they led: G1a 2/3; G1b 0/1; G2 0/1.
    assert lead["visit_rate"] == r(2, 3)
    assert b_lead["visit_rate"] == r(0, 1)
    assert g2_lead["visit_rate"] == r(0, 1)
    # Quick reports they entered in the week: QR1 and QR2 = 2 (QR4 is next week); leader_g1b none.
    assert lead["quick_reports"] == 2
    assert b_lead["quick_reports"] == 0


def test_the_api_gives_the_field_figures_with_the_matters(live, week, client):
    w = week.ids
    q = {"period": "week", "at": "2026-11-11"}
    resp = client.get(
        "/api/v1/assessment/figures",
        params={**q, "level": "grid", "id": w["G1a"]},
        headers=week.headers("station_chief"),
    )
    assert resp.status_code == 200, resp.text
    got = resp.json()["figures"]
    # The same hand-worked figures as above, beside the matters' own and the other families' (zero here).
    assert got["patrol_coverage"] == r(2, 5) and got["visit_rate"] == r(2, 3) and got["quick_reports"] == 1
    assert got["hazards_found"] == 0 and got["muster_on_time"] == r(0, 0)
    assert "received" in got
    me = client.get("/api/v1/assessment/me", params=q, headers=week.headers("grid_leader"))
    assert me.status_code == 200, me.text
    # The leader's own: patrols Mon, Tue, Wed = 3 of 5; quick reports 2.
    assert me.json()["leader"]["patrol_coverage"] == r(3, 5)
    assert me.json()["leader"]["quick_reports"] == 2


def test_a_year_is_one_query_on_both_engines(live, week):
    """A year's days table has some 365 rows (SQLite allows 500 terms in a compound SELECT)."""
    w = week.ids
    year = run_figures(
        live,
        field_figures.figures,
        level="grid",
        unit_ids=[w["G1a"]],
        start=bj("2026-01-01 00:00"),
        end=bj("2027-01-01 00:00"),
    )[w["G1a"]]
    # Mon 9, Tue 10 and Mon 16 November; the den is every working day of 2026 over by now (more than 200).
    assert year["patrol_coverage"]["num"] == 3
    assert year["patrol_coverage"]["den"] > 200
    assert year["quick_reports"] == 2  # QR1 and QR4


def test_a_single_day(live, week):
    """One day: the days table is a single SELECT, not a UNION."""
    u = week.users
    day = run_figures(
        live,
        field_figures.figures,
        level="leader",
        unit_ids=[u["grid_leader"], u["leader_g1b"]],
        start=bj("2026-11-10 00:00"),
        end=bj("2026-11-11 00:00"),
    )
    # Tuesday: grid_leader patrolled (23:30) and signed; leader_g1b signed G1a's day but did not patrol.
    assert day[u["grid_leader"]]["patrol_coverage"] == r(1, 1)
    assert day[u["grid_leader"]]["log_days"] == r(1, 1)
    assert day[u["leader_g1b"]]["patrol_coverage"] == r(0, 1)
    assert day[u["leader_g1b"]]["log_days"] == r(1, 1)
    # A weekly resident owes nothing in one day.
    assert day[u["grid_leader"]]["visit_rate"] == r(0, 0)
