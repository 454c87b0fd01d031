"""Special-group residents' identity numbers under PIPL, as the registries': never stored in clear (the table read
directly), found by exact search through the keyed hash, masked for whoever may not read personal data, every
unmasked read logged in the administrators' access log; migration 0023 encrypts the numbers already there and its
downgrade restores them."""

from __future__ import annotations

import pytest
from shapely.geometry import Polygon
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from conftest import assert_problem, new_database
from registries.helpers import id_number
from wangge import geo, migrate
from wangge.config import get_settings
from wangge.database import create_sync_db_engine
from wangge.hierarchy.models import Community, District, Grid, Street
from wangge.registries import personal

API = "/api/v1"
NUMBER = id_number("43011119520304567")
PHONE = "13612349876"


def _add(client, world, number: str = NUMBER, name: str = "刘奶奶", grid: str = "G1a") -> dict:
    groups = client.get(f"{API}/special-groups", headers=world.headers("station_chief")).json()
    body = {
        "grid_id": world.ids[grid], "group_id": next(g["id"] for g in groups if g["code"] == "elderly_alone"),
        "name": name, "phone": PHONE, "id_number": number, "address": "5栋301",
    }  # fmt: skip
    r = client.post(f"{API}/special-residents", json=body, headers=world.headers("station_chief"))
    assert r.status_code == 201, r.text
    return r.json()


def _search(client, world, who: str, number: str):
    return client.get(f"{API}/special-residents", params={"id_number": number}, headers=world.headers(who))


def _log(client, world) -> list[dict]:
    r = client.get(f"{API}/registry/access-log", headers=world.headers("administrator"))
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_the_number_is_never_stored_in_clear_and_is_found_by_search(world, client, live):
    her = _add(client, world, number=NUMBER.lower())  # a lower-case x is the same number
    other = _add(client, world, number=id_number("43011119600101002"), name="别人")
    with live.sync_engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("special_residents")}
        row = conn.execute(text("SELECT * FROM special_residents WHERE id = :id"), {"id": her["id"]}).mappings().one()
    dump = " ".join(str(v) for v in row.values())
    assert "id_number" not in columns and {"id_number_enc", "id_number_hash"} <= columns
    assert NUMBER not in dump and NUMBER[6:14] not in dump  # nor the birthday
    assert row["id_number_enc"].startswith("v1:")
    assert row["id_number_hash"] == personal.search_hash(live.settings, NUMBER)

    found = _search(client, world, "grid_member", NUMBER)
    assert found.status_code == 200, found.text
    assert [x["id"] for x in found.json()] == [her["id"]]
    assert found.json()[0]["id_number"] == "430***********" + NUMBER[-4:]
    assert [x["id"] for x in _search(client, world, "station_chief", NUMBER.lower()).json()] == [her["id"]]
    assert [x["id"] for x in _search(client, world, "grid_leader", other["id_number"]).json()] == [other["id"]]
    assert _search(client, world, "station_chief", id_number("43011119520304568")).json() == []  # no such number
    assert _search(client, world, "leader_g1b", NUMBER).json() == []  # another grid's leader: out of scope
    assert _search(client, world, "chief_c4", NUMBER).json() == []
    wrong = NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")
    assert assert_problem(_search(client, world, "station_chief", wrong), 422)["code"] == "id-number-invalid"
    # Stored upper-case: a changed number is encrypted and hashed anew, and the old one finds nobody.
    new = id_number("43011119520304570")
    r = client.patch(
        f"{API}/special-residents/{her['id']}", json={"id_number": new}, headers=world.headers("station_chief")
    )
    assert r.status_code == 200 and r.json()["id_number"] == new, r.text
    assert _search(client, world, "station_chief", NUMBER).json() == []
    assert [x["id"] for x in _search(client, world, "station_chief", new).json()] == [her["id"]]


def test_a_bad_check_digit_is_refused(world, client):
    wrong = NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")
    groups = client.get(f"{API}/special-groups", headers=world.headers("station_chief")).json()
    body = {"grid_id": world.ids["G1a"], "group_id": groups[0]["id"], "name": "错号", "id_number": wrong}
    r = client.post(f"{API}/special-residents", json=body, headers=world.headers("station_chief"))
    assert assert_problem(r, 422)["errors"][0]["loc"][-1] == "id_number"


def test_masked_without_the_permission_and_each_unmasked_read_logged(world, client):
    her = _add(client, world)
    before = len(_log(client, world))  # the chief's own answer to adding her was an unmasked read
    masked = ("136****9876", "430***********" + NUMBER[-4:])
    for who in ("grid_member", "street_officer"):  # the grid's member and the street: no personal_data:read
        one = client.get(f"{API}/special-residents/{her['id']}", headers=world.headers(who)).json()
        listed = client.get(
            f"{API}/special-residents", params={"grid_id": world.ids["G1a"]}, headers=world.headers(who)
        ).json()
        assert (one["phone"], one["id_number"]) == masked, who
        assert [(x["phone"], x["id_number"]) for x in listed if x["id"] == her["id"]] == [masked], who
    overdue = client.get(f"{API}/fieldwork/visits/overdue", headers=world.headers("grid_leader")).json()
    assert [x["resident"]["id_number"] for x in overdue if x["resident"]["id"] == her["id"]] == [masked[1]]
    assert len(_log(client, world)) == before  # masked reads are not logged

    one = client.get(f"{API}/special-residents/{her['id']}", headers=world.headers("grid_leader")).json()
    assert (one["phone"], one["id_number"]) == (PHONE, NUMBER)
    log = _log(client, world)
    assert len(log) == before + 1
    entry = log[0]
    assert (entry["action"], entry["user_id"], entry["person_ids"], entry["grid_id"]) == (
        "special_read", world.users["grid_leader"], [her["id"]], world.ids["G1a"],
    )  # fmt: skip
    listed = client.get(f"{API}/special-residents", headers=world.headers("station_chief")).json()
    assert NUMBER in [x["id_number"] for x in listed]
    assert _log(client, world)[0]["user_id"] == world.users["station_chief"]
    assert len(_log(client, world)) == before + 2


@pytest.mark.parametrize("engine_name", ["sqlite", "postgres"])
def test_migration_0023_encrypts_the_numbers_there_and_its_downgrade_restores_them(
    engine_name, request, tmp_path, monkeypatch
):
    # The migration takes the key from the application's settings (the environment): this test's own.
    key = "migration-test-personal-data-key-0123456789"
    monkeypatch.setenv("WANGGE_PERSONAL_DATA_KEY", key)
    get_settings.cache_clear()
    request.addfinalizer(get_settings.cache_clear)
    settings = get_settings()
    url = new_database(engine_name, "wangge_migration_0023", tmp_path, request)
    before = "0023_special_resident_ids-1"
    migrate.upgrade(url, before)
    engine = create_sync_db_engine(url)
    try:
        with Session(engine) as s:
            d = District(code="430199", name="区")
            s.add(d)
            s.flush()
            st = Street(code="430199001", name="街道", district_id=d.id)
            s.add(st)
            s.flush()
            c = Community(code="430199001001", name="社区", district_id=d.id, street_id=st.id)
            s.add(c)
            s.flush()
            square = Polygon([(113, 28), (113.001, 28), (113.001, 28.001), (113, 28.001)])
            g = Grid(code="430199001001001", name="网格", district_id=d.id, street_id=st.id, community_id=c.id,
                     area_m2=1.0, geom=geo.to_db(square))  # fmt: skip
            s.add(g)
            s.commit()
            grid_id = g.id
        with engine.begin() as conn:
            group = conn.execute(text("SELECT id FROM special_groups ORDER BY id")).scalars().first()
            for name, number in (("甲", NUMBER.lower()), ("乙", None)):
                conn.execute(
                    text(
                        "INSERT INTO special_residents (grid_id, group_id, name, id_number, is_active, created_at) "
                        "VALUES (:g, :group, :name, :number, true, CURRENT_TIMESTAMP)"
                    ),
                    {"g": grid_id, "group": group, "name": name, "number": number},
                )
        migrate.upgrade(url)
        with engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("special_residents")}
            rows = conn.execute(text("SELECT * FROM special_residents ORDER BY id")).mappings().all()
        assert "id_number" not in columns
        assert NUMBER not in str([dict(r) for r in rows]) and NUMBER.lower() not in str([dict(r) for r in rows])
        first, second = rows
        assert personal.decrypt(settings, first["id_number_enc"], field="id_number") == NUMBER
        assert first["id_number_hash"] == personal.search_hash(settings, NUMBER)
        assert second["id_number_enc"] is None and second["id_number_hash"] is None
        migrate.downgrade(url, before)
        with engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("special_residents")}
            back = conn.execute(text("SELECT name, id_number FROM special_residents ORDER BY id")).all()
        assert "id_number_enc" not in columns and "id_number_hash" not in columns
        assert [tuple(r) for r in back] == [("甲", NUMBER), ("乙", None)]
    finally:
        engine.dispose()
