"""People and posts through the API on both engines: leaders and their history, teams with masked contacts, A/B
pairs refused with the distance, leave approval with the both-away refusal, who is on duty when, and scope."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from conftest import assert_problem
from fieldwork.people_helpers import approve, ask_leave, on_duty, on_leave, pair
from wangge.accounts.models import User
from wangge.fieldwork.models import GridLeadership
from wangge.models_common import utcnow

API = "/api/v1"


# --- A/B pairs ---------------------------------------------------------------------------------------------------


def test_adjacent_grids_pair_and_distant_ones_are_refused_with_the_distance(world, client):
    p = pair(client, world, "G1a", "G1b")
    assert p["distance_m"] == 0 and p["active"]
    assert p["grid_a"]["leader"]["id"] == world.users["grid_leader"]
    assert p["grid_b"]["leader"]["id"] == world.users["leader_g1b"]

    # G2 lies in another community, 0.017° east of G1a's east edge: about 1.67 km.
    r = client.post(
        f"{API}/post-pairs",
        json={"grid_a_id": world.ids["G1a"], "grid_b_id": world.ids["G2"]},
        headers=world.headers("administrator"),
    )
    body = assert_problem(r, 422)
    assert 1600 < body["distance_m"] < 2000, body
    assert f"{body['distance_m']:.0f} m apart" in body["detail"] and "at most 200 m" in body["detail"]

    same = client.post(
        f"{API}/post-pairs",
        json={"grid_a_id": world.ids["G1a"], "grid_b_id": world.ids["G1a"]},
        headers=world.headers("station_chief"),
    )
    assert_problem(same, 422)
    again = client.post(
        f"{API}/post-pairs",
        json={"grid_a_id": world.ids["G1b"], "grid_b_id": world.ids["G1a"]},
        headers=world.headers("administrator"),
    )
    assert "already in an active A/B pair" in assert_problem(again, 409)["detail"]
    by_leader = client.post(
        f"{API}/post-pairs",
        json={"grid_a_id": world.ids["G1a"], "grid_b_id": world.ids["G1b"]},
        headers=world.headers("street_officer"),
    )
    assert_problem(by_leader, 403)  # sees both grids, may not pair them

    listed = client.get(f"{API}/post-pairs", headers=world.headers("grid_leader")).json()
    assert [x["id"] for x in listed] == [p["id"]]
    assert client.get(f"{API}/post-pairs", headers=world.headers("chief_c4")).json() == []
    assert_problem(client.post(f"{API}/post-pairs/{p['id']}/end", headers=world.headers("chief_c4")), 404)
    ended = client.post(f"{API}/post-pairs/{p['id']}/end", headers=world.headers("station_chief"))
    assert ended.status_code == 200 and not ended.json()["active"]
    assert client.get(f"{API}/post-pairs", headers=world.headers("station_chief")).json() == []
    past = client.get(f"{API}/post-pairs?active=false", headers=world.headers("station_chief")).json()
    assert [x["id"] for x in past] == [p["id"]]
    pair(client, world, "G1b", "G1a")  # free again once the old pair ended


def test_pairing_within_the_configured_distance_of_a_gap(world, client, live):
    from support.world import free_square_in_c1

    # A new grid in C1's free north half, 0.003° (about 330 m) north of G1a: beyond 200 m, so refused.
    r = client.post(
        f"{API}/grids",
        json={
            "community_id": world.ids["C1"],
            "code": world.codes["C1"] + "009",
            "name": "北网格",
            "kind": "other",
            "geometry": free_square_in_c1(),
        },
        headers=world.headers("administrator"),
    )
    assert r.status_code == 201, r.text
    north = r.json()["id"]
    refused = client.post(
        f"{API}/post-pairs",
        json={"grid_a_id": world.ids["G1a"], "grid_b_id": north},
        headers=world.headers("station_chief"),
    )
    assert 300 < assert_problem(refused, 422)["distance_m"] < 360


# --- leaders and teams -------------------------------------------------------------------------------------------


def test_a_change_of_leader_keeps_the_history(world, client, live):
    g1a = world.ids["G1a"]
    history = client.get(f"{API}/grids/{g1a}/leaders", headers=world.headers("grid_member")).json()
    assert [(h["user"]["id"], h["ended_at"]) for h in history] == [(world.users["grid_leader"], None)]

    wrong_grid = client.put(
        f"{API}/grids/{g1a}/leader", json={"user_id": world.users["leader_g1b"]}, headers=world.headers("station_chief")
    )
    assert_problem(wrong_grid, 422)
    not_a_leader = client.put(
        f"{API}/grids/{g1a}/leader",
        json={"user_id": world.users["grid_member"]},
        headers=world.headers("station_chief"),
    )
    assert_problem(not_a_leader, 422)
    with live.session() as s:
        template = s.get(User, world.users["grid_leader"])
        newcomer = User(
            username="new_leader",
            display_name="新网格长",
            role="grid_leader",
            scope_level="grid",
            password_hash=template.password_hash,
            district_id=template.district_id,
            street_id=template.street_id,
            community_id=template.community_id,
            grid_id=g1a,
        )
        s.add(newcomer)
        s.commit()
        new_id = newcomer.id
    assert_problem(
        client.put(f"{API}/grids/{g1a}/leader", json={"user_id": new_id}, headers=world.headers("grid_leader")), 403
    )
    assert_problem(
        client.put(f"{API}/grids/{g1a}/leader", json={"user_id": new_id}, headers=world.headers("chief_c4")), 404
    )
    r = client.put(f"{API}/grids/{g1a}/leader", json={"user_id": new_id}, headers=world.headers("station_chief"))
    assert r.status_code == 200, r.text
    assert r.json()["user"]["name"] == "新网格长" and r.json()["assigned_by"]["id"] == world.users["station_chief"]
    history = client.get(f"{API}/grids/{g1a}/leaders", headers=world.headers("administrator")).json()
    assert [h["user"]["id"] for h in history] == [new_id, world.users["grid_leader"]]
    assert history[0]["ended_at"] is None and history[1]["ended_at"] is not None
    with live.session() as s:
        open_rows = s.execute(
            select(GridLeadership).where(GridLeadership.grid_id == g1a, GridLeadership.ended_at.is_(None))
        ).all()
    assert len(open_rows) == 1  # one leader at a time
    assert on_duty(client, world, "G1a")["user"]["id"] == new_id
    # Asked about a time before the change, the answer is the old leader.
    assert on_duty(client, world, "G1a", utcnow() - timedelta(days=1))["user"]["id"] == world.users["grid_leader"]


def test_team_members_are_validated_masked_and_ended_not_deleted(world, client):
    g1a = world.ids["G1a"]
    body = {
        "name": "王楼长",
        "phone": "13712345678",
        "team_role": "building_head",
        "staff_types": ["community_informant", "volunteer_safety_officer"],
        "start_date": "2026-01-05",
    }
    r = client.post(f"{API}/grids/{g1a}/team", json=body, headers=world.headers("station_chief"))
    assert r.status_code == 201, r.text
    member = r.json()
    assert member["phone"] == "13712345678" and member["active"]
    bad_role = client.post(
        f"{API}/grids/{g1a}/team", json={**body, "team_role": "boss"}, headers=world.headers("station_chief")
    )
    assert_problem(bad_role, 422)
    bad_type = client.post(
        f"{API}/grids/{g1a}/team", json={**body, "staff_types": ["astronaut"]}, headers=world.headers("station_chief")
    )
    assert_problem(bad_type, 422)
    assert_problem(client.post(f"{API}/grids/{g1a}/team", json=body, headers=world.headers("grid_leader")), 403)
    assert_problem(client.post(f"{API}/grids/{g1a}/team", json=body, headers=world.headers("chief_c4")), 404)

    def phones(who: str) -> list[str]:
        r = client.get(f"{API}/grids/{g1a}/team", headers=world.headers(who))
        assert r.status_code == 200, r.text
        return [m["phone"] for m in r.json()]

    assert phones("grid_leader") == ["13712345678"]  # grid leaders may read personal data
    assert phones("grid_member") == ["137****5678"]
    assert phones("street_officer") == ["137****5678"]
    assert_problem(client.get(f"{API}/grids/{g1a}/team", headers=world.headers("chief_c4")), 404)
    assert_problem(client.get(f"{API}/grids/{g1a}/team", headers=world.headers("resident")), 403)

    patched = client.patch(
        f"{API}/team-members/{member['id']}", json={"team_role": "volunteer"}, headers=world.headers("administrator")
    )
    assert patched.status_code == 200 and patched.json()["team_role"] == "volunteer"
    assert_problem(
        client.patch(f"{API}/team-members/{member['id']}", json={"note": "x"}, headers=world.headers("chief_c4")), 404
    )
    before_start = client.post(
        f"{API}/team-members/{member['id']}/end",
        json={"end_date": "2025-12-31"},
        headers=world.headers("station_chief"),
    )
    assert_problem(before_start, 422)
    yesterday = (date.today() - timedelta(days=2)).isoformat()
    ended = client.post(
        f"{API}/team-members/{member['id']}/end", json={"end_date": yesterday}, headers=world.headers("station_chief")
    )
    assert ended.status_code == 200 and not ended.json()["active"]
    assert client.get(f"{API}/grids/{g1a}/team", headers=world.headers("station_chief")).json() == []
    past = client.get(f"{API}/grids/{g1a}/team?active=false", headers=world.headers("station_chief")).json()
    assert [m["id"] for m in past] == [member["id"]]


# --- leave -------------------------------------------------------------------------------------------------------


def test_leave_approval_refuses_both_away_unless_accepted_and_flags_it(world, client):
    now = utcnow()
    # Without a pair the leave is approved and flagged as having no partner to cover.
    alone = on_leave(client, world, "grid_leader", now + timedelta(days=20), now + timedelta(days=21))
    assert alone["status"] == "approved" and alone["no_partner"] and not alone["both_away"]

    pair(client, world, "G1a", "G1b")
    first = on_leave(client, world, "leader_g1b", now + timedelta(days=1), now + timedelta(days=3))
    assert first["status"] == "approved" and not first["no_partner"] and not first["both_away"]
    assert first["partner"]["id"] == world.ids["G1a"]

    second = ask_leave(client, world, "grid_leader", now + timedelta(days=2), now + timedelta(days=4))
    refused = approve(client, world, second["id"], expect=409)
    assert refused["type"].endswith("/both-away")
    assert "leader_g1b的名字" in refused["detail"] and "G1b网格" in refused["detail"]
    start_local = (now + timedelta(days=1, hours=8)).strftime("%Y-%m-%d")  # Beijing is UTC+8
    assert start_local in refused["detail"]
    assert refused["overlapping"][0]["leave_id"] == first["id"]

    accepted = approve(client, world, second["id"], accept_both_away=True, note="人手紧张，同意")
    assert accepted["status"] == "approved" and accepted["both_away"]
    listed = client.get(f"{API}/leaves?status=approved", headers=world.headers("station_chief")).json()
    assert {x["id"]: x["both_away"] for x in listed} == {alone["id"]: False, first["id"]: False, second["id"]: True}
    mine = client.get(f"{API}/leaves", headers=world.headers("leader_g1b")).json()
    assert [x["id"] for x in mine] == [first["id"]]


def test_leave_rules_and_scope(world, client):
    now = utcnow()
    r = client.post(
        f"{API}/leaves",
        json={"start_at": (now + timedelta(days=2)).isoformat(), "end_at": (now + timedelta(days=1)).isoformat()},
        headers=world.headers("grid_leader"),
    )
    assert_problem(r, 422)
    naive = client.post(
        f"{API}/leaves",
        json={"start_at": "2026-05-01T09:00:00", "end_at": "2026-05-02T09:00:00"},
        headers=world.headers("grid_leader"),
    )
    assert_problem(naive, 422)  # times must say their zone
    member = client.post(
        f"{API}/leaves",
        json={"start_at": now.isoformat(), "end_at": (now + timedelta(days=1)).isoformat()},
        headers=world.headers("grid_member"),
    )
    assert_problem(member, 403)
    leave = ask_leave(client, world, "grid_leader", now + timedelta(days=5), now + timedelta(days=6))
    overlap = client.post(
        f"{API}/leaves",
        json={
            "start_at": (now + timedelta(days=5, hours=2)).isoformat(),
            "end_at": (now + timedelta(days=7)).isoformat(),
        },
        headers=world.headers("grid_leader"),
    )
    assert_problem(overlap, 409)
    lid = leave["id"]
    assert_problem(client.post(f"{API}/leaves/{lid}/approve", headers=world.headers("chief_c4")), 404)
    assert_problem(client.post(f"{API}/leaves/{lid}/approve", headers=world.headers("administrator")), 403)
    assert_problem(client.post(f"{API}/leaves/{lid}/approve", headers=world.headers("grid_leader")), 403)
    assert_problem(client.post(f"{API}/leaves/{lid}/approve", headers=world.headers("leader_g1b")), 404)
    assert_problem(client.post(f"{API}/leaves/{lid}/refuse", json={}, headers=world.headers("station_chief")), 422)
    assert client.get(f"{API}/leaves", headers=world.headers("chief_c4")).json() == []
    assert_problem(client.post(f"{API}/leaves/{lid}/cancel", headers=world.headers("station_chief")), 403)
    cancelled = client.post(f"{API}/leaves/{lid}/cancel", headers=world.headers("grid_leader"))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert_problem(client.post(f"{API}/leaves/{lid}/approve", headers=world.headers("station_chief")), 409)

    other = ask_leave(client, world, "grid_leader", now + timedelta(days=8), now + timedelta(days=9))
    r = client.post(
        f"{API}/leaves/{other['id']}/refuse", json={"note": "汛期值守"}, headers=world.headers("station_chief")
    )
    assert r.status_code == 200 and r.json()["status"] == "refused" and r.json()["decision_note"] == "汛期值守"
    assert_problem(client.post(f"{API}/leaves/{other['id']}/cancel", headers=world.headers("grid_leader")), 409)


# --- who is on duty ----------------------------------------------------------------------------------------------


def test_on_duty_before_during_and_after_leave_with_no_leader_and_both_away(world, client, live):
    now = utcnow()
    pair(client, world, "G1a", "G1b")
    on_leave(client, world, "grid_leader", now + timedelta(days=1), now + timedelta(days=3))
    later = ask_leave(client, world, "leader_g1b", now + timedelta(days=2, hours=12), now + timedelta(days=5))
    approve(client, world, later["id"], accept_both_away=True)
    leader, partner = world.users["grid_leader"], world.users["leader_g1b"]

    before = on_duty(client, world, "G1a", now + timedelta(hours=12))
    assert (before["user"]["id"], before["covering"], before["reason"]) == (leader, False, "leader")
    assert before["partner_grid_id"] == world.ids["G1b"]
    during = on_duty(client, world, "G1a", now + timedelta(days=2))
    assert (during["user"]["id"], during["leader"]["id"], during["covering"]) == (partner, leader, True)
    assert during["covered_grid_id"] == world.ids["G1a"] and during["reason"] == "covering"
    both = on_duty(client, world, "G1a", now + timedelta(days=2, hours=18))
    assert (both["user"], both["leader"]["id"], both["covering"], both["reason"]) == (None, leader, False, "both away")
    # G1b in its leader's leave, once G1a's leader is back: covered the other way round.
    back = on_duty(client, world, "G1b", now + timedelta(days=4))
    assert (back["user"]["id"], back["covering"]) == (leader, True)
    after = on_duty(client, world, "G1a", now + timedelta(days=6))
    assert (after["user"]["id"], after["covering"], after["reason"]) == (leader, False, "leader")

    # G3 has never had a leader.
    nobody = on_duty(client, world, "G3", who="system_admin")
    assert (nobody["user"], nobody["leader"], nobody["reason"]) == (None, None, "no leader")
    assert_problem(client.get(f"{API}/grids/{world.ids['G1a']}/on-duty", headers=world.headers("chief_c4")), 404)

    now_all = client.get(f"{API}/fieldwork/on-duty-now", headers=world.headers("station_chief")).json()
    assert {x["grid"]["code"]: x["user"]["id"] for x in now_all} == {
        world.codes["G1a"]: leader,
        world.codes["G1b"]: partner,
    }
