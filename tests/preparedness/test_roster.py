"""The 24-hour duty roster 值班表 on both engines: the station chief sets the station's month and the street officer
the street's; who reads which; today's duty officer on the public pages (/who and the report page's locate) with
the day's duty phone — never a personal phone its owner did not allow."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from conftest import assert_problem
from support.world import grid_point
from wangge.accounts.models import User
from wangge.fieldwork.people import local_today

API = "/api/v1/duty-roster"
PERSONAL = "13900001111"  # every user's own phone in the test world


def put(client, world, who, days, level="community", unit="C1", expect=200):
    body = {"unit_level": level, "unit_id": world.ids[unit], "days": days}
    r = client.put(API, json=body, headers=world.headers(who))
    assert r.status_code == expect, r.text
    return r.json()


def month_of(day) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def test_the_chief_sets_the_stations_month_and_who_reads_it(client, world):
    today = local_today()
    first = today.replace(day=1)
    days = [
        {"day": (first + timedelta(days=n)).isoformat(), "user_id": world.users[u], "duty_phone": "0731-5555 1234"}
        for n, u in enumerate(["station_chief", "grid_leader", "leader_g1b"])
    ]
    out = put(client, world, "station_chief", days)
    assert out["editable"] is True and out["unit"] == {
        "level": "community",
        "id": world.ids["C1"],
        "name": "C1社区服务站",
    }
    assert [(d["day"], d["user"]["name"]) for d in out["days"]] == [
        (days[0]["day"], "station_chief的名字"),
        (days[1]["day"], "grid_leader的名字"),
        (days[2]["day"], "leader_g1b的名字"),
    ]
    # Clearing a day keeps the others.
    out = put(client, world, "station_chief", [{"day": days[1]["day"], "user_id": None}])
    assert [d["day"] for d in out["days"]] == [days[0]["day"], days[2]["day"]]

    params = {"unit_level": "community", "unit_id": world.ids["C1"], "month": month_of(first)}
    for who, editable in (("grid_leader", False), ("street_officer", True), ("administrator", True)):
        r = client.get(API, params=params, headers=world.headers(who))
        assert r.status_code == 200 and r.json()["editable"] is editable and len(r.json()["days"]) == 2
    assert_problem(client.get(API, params=params, headers=world.headers("chief_c3")), 404)
    assert_problem(client.get(API, params=params, headers=world.headers("leader_g2")), 404)
    for who in ("grid_member", "resident", "department_officer"):
        assert_problem(client.get(API, params=params, headers=world.headers(who)), 403)
    put(client, world, "grid_leader", days, expect=403)
    put(client, world, "chief_c3", days, expect=404)
    # A station chief keeps (and reads) the station's roster, not the street's.
    put(client, world, "station_chief", days, level="street", unit="S1", expect=403)
    street = put(
        client,
        world,
        "street_officer",
        [{"day": days[0]["day"], "user_id": world.users["street_officer"]}],
        level="street",
        unit="S1",
    )
    assert street["days"][0]["user"]["name"] == "street_officer的名字"
    sp = {"unit_level": "street", "unit_id": world.ids["S1"], "month": month_of(first)}
    assert_problem(client.get(API, params=sp, headers=world.headers("station_chief")), 404)

    # The person must be staff of the unit; a day given twice, a bad month or phone is a 422.
    bad = put(client, world, "station_chief", [{"day": days[0]["day"], "user_id": world.users["chief_c3"]}], expect=422)
    assert bad["errors"][0]["loc"] == ["body", "days.0.user_id"]
    put(client, world, "station_chief", [days[0], days[0]], expect=422)
    assert_problem(client.get(API, params={**params, "month": "2026-13"}, headers=world.headers("station_chief")), 422)
    phone = put(client, world, "station_chief", [{**days[0], "duty_phone": "call me"}], expect=422)
    assert phone["code"] == "phone-invalid"


def test_todays_duty_officer_is_on_the_public_pages_without_a_personal_phone(client, world, live):
    today = local_today().isoformat()
    who = client.get("/api/v1/public/who", params={"community_id": world.ids["C1"]}).json()
    assert who["station"]["on_duty"] is None and who["street"] == {"name": "一街道", "on_duty": None}

    # Someone on duty without a duty phone: the name only (their own phone is not allowed on public pages).
    put(client, world, "station_chief", [{"day": today, "user_id": world.users["grid_leader"]}])
    who = client.get("/api/v1/public/who", params={"community_id": world.ids["C1"]})
    assert who.json()["station"]["on_duty"] == {"name": "grid_leader的名字", "phone": None}
    assert PERSONAL not in who.text
    # Their own phone may not be typed in as the day's duty phone either…
    refused = put(
        client,
        world,
        "station_chief",
        [{"day": today, "user_id": world.users["grid_leader"], "duty_phone": "139 0000 1111"}],
        expect=422,
    )
    assert refused["code"] == "duty-phone-personal"
    # …until they allow it; then it shows, as does the day's duty phone when there is one.
    with live.session() as s:
        s.execute(update(User).where(User.id == world.users["grid_leader"]).values(phone_public=True))
        s.commit()
    who = client.get("/api/v1/public/who", params={"community_id": world.ids["C1"]}).json()
    assert who["station"]["on_duty"] == {"name": "grid_leader的名字", "phone": PERSONAL}
    put(
        client,
        world,
        "station_chief",
        [{"day": today, "user_id": world.users["grid_leader"], "duty_phone": "0731-8888 0000"}],
    )
    put(
        client,
        world,
        "street_officer",
        [{"day": today, "user_id": world.users["street_officer"], "duty_phone": "12345"}],
        level="street",
        unit="S1",
    )
    lon, lat = grid_point("G1a")
    who = client.get("/api/v1/public/who", params={"lat": lat, "lon": lon}).json()
    assert who["station"]["on_duty"] == {"name": "grid_leader的名字", "phone": "0731-8888 0000"}
    assert who["street"] == {"name": "一街道", "on_duty": {"name": "street_officer的名字", "phone": "12345"}}
    # The report page's place lookup says the same for the station.
    located = client.get("/api/v1/public/locate", params={"lat": lat, "lon": lon})
    assert located.status_code == 200, located.text
    assert located.json()["community"]["on_duty"] == {"name": "grid_leader的名字", "phone": "0731-8888 0000"}
    # Another community's page names nobody of C1.
    other = client.get("/api/v1/public/who", params={"community_id": world.ids["C3"]}).json()
    assert other["station"]["on_duty"] is None and other["street"]["on_duty"] is None
