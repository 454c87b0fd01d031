"""Who is my grid 亮证 (no account): a point, a building or a community gives the grid, its leader's name and public
phone, the A/B partner covering during leave, and the station's duty phone — a personal phone only when its owner
allowed it, and nothing else about anyone."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from conftest import assert_problem
from fieldwork.people_helpers import on_leave, pair
from support.world import C_SIZE, ORIGINS, grid_point
from wangge.accounts.models import User
from wangge.hierarchy.models import Building, Community, Grid
from wangge.models_common import utcnow

WHO = "/api/v1/public/who"
PERSONAL = "13900001111"  # every user's own phone in the test world
TOP_KEYS = {"grid", "leader", "covering", "community", "station", "nearest", "street"}


def _set(live, model, row_id: int, **values) -> None:
    with live.session() as s:
        s.execute(update(model).where(model.id == row_id).values(**values))
        s.commit()


def _who(client, **params) -> dict:
    r = client.get(WHO, params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == TOP_KEYS, body
    return body


def _at(name: str) -> dict:
    lon, lat = grid_point(name)
    return {"lat": lat, "lon": lon}


def test_a_point_in_a_grid_gives_the_grid_its_leader_and_the_station_without_personal_data(world, client, live):
    body = _who(client, **_at("G1a"))
    assert body["grid"] == {"id": world.ids["G1a"], "code": world.codes["G1a"], "name": "G1a网格", "duty_phone": None}
    assert body["leader"] == {"name": "grid_leader的名字", "phone": None}  # no duty number; own phone not allowed
    assert body["covering"] is None and body["nearest"] is False
    assert body["community"] == {"id": world.ids["C1"], "name": "C1社区"}
    assert body["station"] == {
        "name": "C1社区服务站",
        "duty_phone": None,
        "on_duty": None,
    }  # the chief's own phone is not public
    raw = client.get(WHO, params=_at("G1a")).text
    assert PERSONAL not in raw and "grid_leader" not in raw.replace("grid_leader的名字", "")  # no username
    for key in ("username", "id_number", "role", "scope", "user_id", "email", "address"):
        assert f'"{key}"' not in raw

    # The grid's duty number is the leader's public phone; the station's duty phone the station's.
    _set(live, Grid, world.ids["G1a"], duty_phone="0731-8888 6666")
    _set(live, Community, world.ids["C1"], duty_phone="0731-5555 1234")
    body = _who(client, **_at("G1a"))
    assert body["leader"] == {"name": "grid_leader的名字", "phone": "0731-8888 6666"}
    assert body["grid"]["duty_phone"] == "0731-8888 6666"
    assert body["station"]["duty_phone"] == "0731-5555 1234"
    assert PERSONAL not in client.get(WHO, params=_at("G1a")).text


def test_a_leaders_own_phone_shows_only_when_they_allowed_it(world, client, live):
    assert _who(client, **_at("G1b"))["leader"] == {"name": "leader_g1b的名字", "phone": None}
    _set(live, User, world.users["leader_g1b"], phone_public=True)
    assert _who(client, **_at("G1b"))["leader"] == {"name": "leader_g1b的名字", "phone": PERSONAL}
    # The grid's duty number still comes first.
    _set(live, Grid, world.ids["G1b"], duty_phone="12345")
    assert _who(client, **_at("G1b"))["leader"]["phone"] == "12345"
    # A station chief who allowed their phone answers for a station without a duty phone.
    assert _who(client, community_id=world.ids["C1"])["station"]["duty_phone"] is None
    _set(live, User, world.users["station_chief"], phone_public=True)
    assert _who(client, community_id=world.ids["C1"])["station"]["duty_phone"] == PERSONAL


def test_a_grid_without_a_leader_has_no_leader(world, client):
    body = _who(client, **_at("G3"))
    assert body["grid"]["id"] == world.ids["G3"] and body["leader"] is None and body["covering"] is None
    assert body["community"]["id"] == world.ids["C3"]


def test_a_building_gives_its_grid_and_a_deactivated_building_or_grid_is_not_found(world, client, live):
    body = _who(client, building_id=world.ids["B_G2"])
    assert body["grid"]["id"] == world.ids["G2"] and body["leader"]["name"] == "leader_g2的名字"
    assert body["community"] == {"id": world.ids["C2"], "name": "C2社区"}
    assert_problem(client.get(WHO, params={"building_id": 999999}), 404)

    _set(live, Building, world.ids["B_G2"], is_active=False)
    assert_problem(client.get(WHO, params={"building_id": world.ids["B_G2"]}), 404)
    _set(live, Building, world.ids["B_G2"], is_active=True)
    _set(live, Grid, world.ids["G2"], is_active=False)
    assert_problem(client.get(WHO, params={"building_id": world.ids["B_G2"]}), 404)
    # A point in the deactivated grid is in no grid any more: its community's station answers.
    body = _who(client, **_at("G2"))
    assert body["grid"] is None and body["leader"] is None
    assert body["community"]["id"] == world.ids["C2"] and body["station"]["name"] == "C2社区服务站"


def test_a_community_gives_its_station_and_no_grid(world, client, live):
    body = _who(client, community_id=world.ids["C4"])
    assert body == {
        "grid": None,
        "leader": None,
        "covering": None,
        "community": {"id": world.ids["C4"], "name": "C4社区"},
        "station": {"name": "C4社区服务站", "duty_phone": None, "on_duty": None},
        "nearest": False,
        "street": {"name": "三街道", "on_duty": None},  # today's duty officers: the roster names nobody
    }
    assert_problem(client.get(WHO, params={"community_id": 999999}), 404)
    _set(live, Community, world.ids["C4"], is_active=False)
    assert_problem(client.get(WHO, params={"community_id": world.ids["C4"]}), 404)


def test_outside_every_grid_the_community_or_the_nearest_one_answers(world, client):
    lon, lat = ORIGINS["C1"]
    # In C1's north half, where no grid is drawn.
    body = _who(client, lat=lat + 0.008, lon=lon + 0.002)
    assert body["grid"] is None and body["leader"] is None
    assert body["community"]["id"] == world.ids["C1"] and body["nearest"] is False
    # About 200 m west of C1, in no community: the nearest one (C1), said so.
    body = _who(client, lat=lat + C_SIZE / 2, lon=lon - 0.002)
    assert body["grid"] is None and body["community"]["id"] == world.ids["C1"] and body["nearest"] is True
    assert body["station"]["name"] == "C1社区服务站"
    # Far from every community: nothing is known.
    body = _who(client, lat=40.0, lon=116.4)
    assert body["grid"] is None and body["community"] is None and body["station"] is None


def test_during_leave_the_covering_partner_shows_with_their_public_number(world, client, live):
    pair(client, world, "G1a", "G1b")
    now = utcnow()
    on_leave(client, world, "grid_leader", now - timedelta(hours=1), now + timedelta(days=1))
    body = _who(client, **_at("G1a"))
    assert body["leader"] == {"name": "grid_leader的名字", "phone": None}
    assert body["covering"] == {"name": "leader_g1b的名字", "phone": None, "grid_name": "G1b网格"}
    _set(live, Grid, world.ids["G1b"], duty_phone="0731-2222 3333")
    assert _who(client, **_at("G1a"))["covering"]["phone"] == "0731-2222 3333"
    # The partner's own grid shows its leader as usual, nobody covering.
    assert _who(client, **_at("G1b"))["covering"] is None
    assert PERSONAL not in client.get(WHO, params=_at("G1a")).text


def test_exactly_one_kind_of_lookup_is_asked(world, client):
    lon, lat = grid_point("G1a")
    for params in (
        {},
        {"lat": lat},
        {"lon": lon},
        {"lat": lat, "lon": lon, "building_id": world.ids["B_G1a"]},
        {"building_id": world.ids["B_G1a"], "community_id": world.ids["C1"]},
        {"lat": lat, "community_id": world.ids["C1"]},
    ):
        body = assert_problem(client.get(WHO, params=params), 422)
        assert body["code"] == "who-query", params
    for params in ({"lat": "north", "lon": lon}, {"lat": 91, "lon": lon}, {"building_id": 0}, {"community_id": -3}):
        assert assert_problem(client.get(WHO, params=params), 422)["code"] == "validation-error", params
