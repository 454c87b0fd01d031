"""Schemes: versioned per street, a month scored with the version in force on its first day, weights summing to 100,
written by administrators within their area and audited. Rankings within a parent share ranks on ties."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from assessment.helpers import add_matter, bj, figures, freeze
from conftest import assert_problem
from support.world import G_SIZE, ORIGINS, square
from wangge import geo
from wangge.assessment.models import AssessmentScheme
from wangge.assessment.service import rank
from wangge.audit.models import AuditEntry
from wangge.hierarchy.models import Grid

URL = "/api/v1/assessment/schemes"


def rules(*weights: tuple[str, float], deductions=(), **extra):
    return {
        "indicators": [{"key": k, "weight": w} for k, w in weights],
        "deductions": list(deductions),
        **extra,
    }


def post(client, world, who: str, **body):
    return client.post(URL, json=body, headers=world.headers(who))


def month_of_c1(live, world, year: int, month: int) -> None:
    """Six matters of C1 in that month: 3 resolved (2 on time) out of 6, all responded in time, 2 rated satisfied."""
    with live.session() as s:
        for i in range(6):
            done = i < 3
            add_matter(
                s,
                world,
                created_at=bj(year, month, 2 + i, 9),
                responded_at=bj(year, month, 2 + i, 9, 30),
                respond_due_at=bj(year, month, 2 + i, 11),
                status="resolved" if done else "at_station",
                holder_level="station",
                outcome="done" if done else None,
                resolved_at=bj(year, month, 2 + i, 11) if done else None,
                resolved_due_at=bj(year, month, 2 + i, 17) if i < 2 else bj(year, month, 2 + i, 10),
                rating="satisfied" if i < 2 else None,
                rating_source="resident" if i < 2 else None,
            )
        s.commit()


def test_a_month_is_scored_with_the_scheme_in_force_on_its_first_day(live, world, client):
    month_of_c1(live, world, 2026, 3)
    month_of_c1(live, world, 2026, 4)
    # Before any scheme: the built-in 三率 30/35/35, −1 per overdue (1 late resolution here, nothing open has a
    # deadline): 30 × 6/6 + 35 × 3/6 + 35 × 2/2 − 1 = 30 + 17.5 + 35 − 1 = 81.5 → yellow.
    march = figures(client, world, "station_chief", "community", "C1", period="month", at="2026-03-10")
    assert (march["score"], march["grade"], march["scheme"]["version"]) == (81.5, "yellow", 0)

    v1 = post(
        client,
        world,
        "administrator",
        street_id=world.ids["S1"],
        effective_from="2026-03-01",
        rules=rules(("resolution_rate", 100), green=50, yellow=40, min_count=1),
    )
    assert v1.status_code == 201, v1.text
    v2 = post(
        client,
        world,
        "administrator",
        street_id=world.ids["S1"],
        effective_from="2026-04-01",
        rules=rules(
            ("on_time_rate", 60), ("satisfaction_rate", 40), deductions=[{"key": "overdue", "points": 5, "max": 3}]
        ),
    )
    assert v2.status_code == 201 and (v1.json()["version"], v2.json()["version"]) == (1, 2), v2.text
    # March with version 1: 100 × 3/6 = 50 → green (≥ 50).
    march = figures(client, world, "station_chief", "community", "C1", period="month", at="2026-03-10")
    assert march["scheme"] == {"id": v1.json()["id"], "version": 1, "street_id": world.ids["S1"]}
    assert (march["score"], march["grade"]) == (50.0, "green")
    # April with version 2: 60 × 2/3 + 40 × 2/2 − min(5 × 1, 3) = 40 + 40 − 3 = 77 → yellow (default bands).
    april = figures(client, world, "station_chief", "community", "C1", period="month", at="2026-04-10")
    assert april["scheme"]["version"] == 2 and (april["score"], april["grade"]) == (77.0, "yellow")
    # Street S2 has none of its own: still the built-in default.
    current = client.get(
        URL + "/current",
        params={"street_id": world.ids["S2"], "month": "2026-04-03"},
        headers=world.headers("system_admin"),
    ).json()
    assert current["version"] == 0 and current["id"] is None
    listed = client.get(URL, params={"street_id": world.ids["S1"]}, headers=world.headers("street_officer")).json()
    assert [s["version"] for s in listed] == [2, 1] and listed[1]["created_by"] == world.users["administrator"]
    # Audited: who set which version.
    with live.session() as s:
        entries = s.execute(select(AuditEntry).where(AuditEntry.entity == "assessment_scheme")).scalars().all()
    assert sorted(e.entity_id for e in entries) == sorted([str(v1.json()["id"]), str(v2.json()["id"])])
    assert {e.actor_id for e in entries} == {world.users["administrator"]}


def test_schemes_are_checked_and_written_by_administrators_within_their_area(world, client):
    s1 = world.ids["S1"]
    ok = rules(("response_rate", 30), ("resolution_rate", 35), ("satisfaction_rate", 35))
    body = assert_problem(
        post(
            client,
            world,
            "administrator",
            street_id=s1,
            effective_from="2026-05-01",
            rules=rules(("response_rate", 90)),
        ),
        422,
    )
    assert body["code"] == "scheme-weights"
    for bad_rules, code in (
        (rules(("response_rate", 50), ("nonsense", 50)), "scheme-indicator"),
        (rules(("response_rate", 50), ("response_rate", 50)), "scheme-indicator"),
        ({**ok, "deductions": [{"key": "received", "points": 1, "max": 2}]}, "scheme-indicator"),
        ({**ok, "green": 60, "yellow": 80}, "scheme-bands"),
    ):
        r = post(client, world, "administrator", street_id=s1, effective_from="2026-05-01", rules=bad_rules)
        assert assert_problem(r, 422)["code"] == code, bad_rules
    r = post(client, world, "administrator", street_id=s1, effective_from="2026-05-15", rules=ok)
    assert assert_problem(r, 422)["code"] == "scheme-effective-from"
    r = post(client, world, "administrator", street_id=s1, effective_from="2026-05-01", rules={"indicators": "x"})
    assert_problem(r, 422)
    # Only administrators; a street's administrator sets their own street's, not another's nor the default.
    for who in ("station_chief", "street_officer", "department_officer", "grid_leader"):
        assert_problem(post(client, world, who, street_id=s1, effective_from="2026-05-01", rules=ok), 403)
    r = post(client, world, "administrator", street_id=world.ids["S2"], effective_from="2026-05-01", rules=ok)
    assert assert_problem(r, 404)["code"] == "assessment-unit-not-found"
    r = post(client, world, "administrator", street_id=None, effective_from="2026-05-01", rules=ok)
    assert assert_problem(r, 403)["code"] == "scheme-default"
    r = post(client, world, "system_admin", street_id=None, effective_from="2026-05-01", rules=ok)
    assert r.status_code == 201 and r.json()["street_id"] is None and r.json()["version"] == 1, r.text
    # Reading another street's schemes: 404 for a chief of C1 (S2 is not theirs), fine for their own street.
    r = client.get(URL, params={"street_id": world.ids["S2"]}, headers=world.headers("station_chief"))
    assert_problem(r, 404)
    assert client.get(URL, params={"street_id": s1}, headers=world.headers("station_chief")).status_code == 200


def _row(name: str, score, response=None):
    return {
        "unit": {"id": hash(name) % 1000, "name": name},
        "figures": {"response_rate": {"num": 0, "den": 0, "value": response}},
        "score": score,
    }


def test_ties_share_a_rank_and_the_unscored_come_last():
    rows = rank([_row("丁", None), _row("乙", 80.0, 0.5), _row("甲", 90.0), _row("丙", 80.0, 0.9), _row("戊", 70.0)])
    assert [(r["unit"]["name"], r["rank"]) for r in rows] == [("甲", 1), ("丙", 2), ("乙", 2), ("戊", 4), ("丁", None)]
    rows = rank([_row("b", 75.0), _row("a", 75.0), _row("c", 60.0)])
    assert [(r["unit"]["name"], r["rank"]) for r in rows] == [("a", 1), ("b", 1), ("c", 3)]


def test_a_communitys_grids_ranked_with_a_tie_through_the_api(live, world, client):
    # A third grid in C1, beside G1a and G1b.
    with live.session() as s:
        lon, lat = ORIGINS["C1"]
        poly = square(lon + 0.006, lat, G_SIZE)
        g = Grid(
            code="430111001001099",
            name="G1c网格",
            kind="property_managed",
            households=1,
            registered_population=1,
            floating_population=0,
            district_id=world.ids["D1"],
            street_id=world.ids["S1"],
            community_id=world.ids["C1"],
            area_m2=geo.geodesic_area_m2(poly),
            geom=geo.to_db(poly),
        )
        s.add(g)
        s.flush()
        # G1a and G1b: 5 matters each, all resolved on time and responded in time, none rated → 30 + 35 = 65 of the
        # 65 weighed (satisfaction has nothing to count) → scaled to 100. G1c: 5 matters, 1 resolved → lower.
        for grid_name, grid_id, resolved in (("G1a", None, 5), ("G1b", None, 5), ("G1a", g.id, 1)):
            for i in range(5):
                done = i < resolved
                add_matter(
                    s,
                    world,
                    grid=grid_name,
                    **({"grid_id": grid_id} if grid_id else {}),
                    created_at=bj(2026, 3, 2 + i, 9),
                    responded_at=bj(2026, 3, 2 + i, 9, 30),
                    status="resolved" if done else "at_station",
                    outcome="done" if done else None,
                    resolved_at=bj(2026, 3, 2 + i, 10) if done else None,
                )
        s.commit()
    r = client.get(
        "/api/v1/assessment/table",
        params={
            "period": "month",
            "at": "2026-03-03",
            "level": "grid",
            "parent_level": "community",
            "parent_id": world.ids["C1"],
        },
        headers=world.headers("station_chief"),
    )
    assert r.status_code == 200, r.text
    # G1c: 30 × 5/5 + 35 × 1/5 = 37 of 65 → 56.92.
    assert [(row["unit"]["name"], row["score"], row["rank"], row["grade"]) for row in r.json()["rows"]] == [
        ("G1a网格", 100.0, 1, "green"),
        ("G1b网格", 100.0, 1, "green"),
        ("G1c网格", 56.92, 3, "red"),
    ]


def test_a_scheme_may_not_start_in_a_month_already_frozen(live, world, client):
    month_of_c1(live, world, 2026, 3)
    assert freeze(live, date(2026, 3, 1)) > 0
    ok = rules(("response_rate", 40), ("resolution_rate", 30), ("satisfaction_rate", 30))
    for month in ("2026-03-01", "2026-02-01"):  # March is frozen: neither March nor a month before it
        r = post(client, world, "administrator", street_id=world.ids["S1"], effective_from=month, rules=ok)
        assert assert_problem(r, 422)["code"] == "scheme-month-frozen", month
    with live.session() as s:
        assert s.execute(select(AssessmentScheme)).first() is None  # nothing half-written
    # April is not frozen yet: a version from April is taken, and March keeps the scheme that scored it.
    r = post(client, world, "administrator", street_id=world.ids["S1"], effective_from="2026-04-01", rules=ok)
    assert r.status_code == 201, r.text
    march = figures(client, world, "station_chief", "community", "C1", period="month", at="2026-03-10")
    assert march["frozen"] is True and march["scheme"]["version"] == 0
