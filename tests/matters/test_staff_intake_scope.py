"""Where grid staff may enter matters: their own grid and the grids they cover for an A/B partner on leave;
elsewhere a 422 that says whose grid it is. A transition the table refuses at intake is a 409, never a 500."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from conftest import assert_problem
from fieldwork.people_helpers import on_leave, pair
from support.world import grid_point
from wangge.matters.models import Matter
from wangge.models_common import utcnow

URL = "/api/v1/matters"


def _enter(client, world, who: str, grid: str, **extra):
    lon, lat = grid_point(grid)
    body = {"category": "sanitation", "description": "井盖松动", "lat": lat, "lon": lon, **extra}
    return client.post(URL, json=body, headers=world.headers(who))


def _count(live) -> int:
    with live.session() as s:
        return s.execute(select(func.count()).select_from(Matter)).scalar_one()


def test_grid_staff_outside_their_grids_get_422_naming_the_grid_and_its_community(world, client, live):
    # Handled on the spot in the neighbour's grid: was a 500 (the table's refusal escaped).
    problem = assert_problem(
        _enter(client, world, "grid_leader", "G1b", handled_on_spot=True, result="已当场处理"), 422
    )
    assert problem["type"].endswith("/outside-your-grids")
    assert "G1b网格" in problem["detail"] and "C1社区" in problem["detail"]
    assert problem["grid"]["id"] == world.ids["G1b"] and problem["community"]["name"] == "C1社区"
    assert problem["errors"][0]["loc"] == ["body", "lat"]
    # Another community's grid, another district's: the same answer.
    assert assert_problem(_enter(client, world, "grid_member", "G2"), 422)["grid"]["name"] == "G2网格"
    assert "C4社区" in assert_problem(_enter(client, world, "grid_leader", "G4"), 422)["detail"]
    assert _count(live) == 0


def test_grid_staff_enter_and_handle_on_the_spot_in_their_own_grid(world, client, live):
    r = _enter(client, world, "grid_member", "G1a", handled_on_spot=True, result="已当场处理")
    assert r.status_code == 201, r.text
    with live.session() as s:
        assert s.execute(select(Matter.status, Matter.grid_id)).one() == ("resolved", world.ids["G1a"])


def test_a_leader_covering_a_partner_on_leave_may_enter_in_the_covered_grid(world, client, live):
    pair(client, world, "G1a", "G1b")
    now = utcnow()
    on_leave(client, world, "leader_g1b", now - timedelta(hours=1), now + timedelta(days=1))
    r = _enter(client, world, "grid_leader", "G1b", handled_on_spot=True, result="代为处理")
    assert r.status_code == 201, r.text
    # The cover is the leader's, not the whole team's: G1a's grid member still may not.
    assert_problem(_enter(client, world, "grid_member", "G1b"), 422)
    with live.session() as s:
        assert s.execute(select(Matter.status, Matter.grid_id)).one() == ("resolved", world.ids["G1b"])


def test_a_refused_transition_at_intake_is_409_with_the_state_and_the_allowed_actions(world, client, live):
    # The front desk's matter starts at the station, where "handled on the spot" is not in the table.
    r = _enter(client, world, "station_chief", "G1a", handled_on_spot=True, result="窗口答复")
    problem = assert_problem(r, 409)
    assert problem["type"].endswith("/action-not-allowed")
    assert problem["current_status"] == "at_station" and "resolve" in problem["allowed_actions"]
    assert _count(live) == 0
