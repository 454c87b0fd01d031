"""Personal data under PIPL: identity numbers checked (GB 11643), never stored in clear, found by the keyed hash,
shown masked; unmasked reads and exports are logged (who, when, which records) and the log is the administrators'."""

from __future__ import annotations

import io

import httpx
from openpyxl import load_workbook
from sqlalchemy import text

from conftest import assert_problem, make_settings
from registries.helpers import API, house, id_number, person
from support.server import LiveServer

NUMBER = id_number("43011119850615123")
PHONE = "13912345678"


def test_an_identity_number_is_never_stored_in_clear_and_is_found_by_search(world, client, live):
    h = house(client, world)
    p = person(client, world, h["id"], id_number=NUMBER.lower(), phone=PHONE)  # a lower-case x is the same number
    assert p["id_number"] == NUMBER[:4] + "*" * 10 + NUMBER[-4:] and p["phone"] == "139****5678"
    with live.sync_engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM reg_people WHERE id = :id"), {"id": p["id"]}).mappings().one()
        dump = " ".join(str(v) for v in row.values())
    assert NUMBER not in dump and NUMBER[6:14] not in dump and PHONE not in dump  # nor the birthday
    assert row["id_number_enc"].startswith("v1:") and len(row["id_number_hash"]) == 64
    person(client, world, h["id"], name="别人", id_number=id_number("43011119900101001"))
    found = client.get(f"{API}/people", params={"id_number": NUMBER}, headers=world.headers("grid_member"))
    assert found.status_code == 200 and [x["id"] for x in found.json()] == [p["id"]]
    assert found.json()[0]["id_number"].count("*") == 10  # masked in the search result too
    twice = client.post(
        f"{API}/grids/{world.ids['G1a']}/people",
        json={"name": "重复", "residence": "registered", "house_id": h["id"], "id_number": NUMBER},
        headers=world.headers("station_chief"),
    )
    assert assert_problem(twice, 409)["code"] == "id-number-exists"


def test_a_bad_check_digit_is_refused(world, client):
    h = house(client, world)
    wrong = NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")
    for bad in (wrong, NUMBER[:17], "43011119850615123A"):
        r = client.post(
            f"{API}/grids/{world.ids['G1a']}/people",
            json={"name": "错号", "residence": "registered", "house_id": h["id"], "id_number": bad},
            headers=world.headers("station_chief"),
        )
        assert assert_problem(r, 422)["code"] == "id-number-invalid", bad
    search = client.get(f"{API}/people", params={"id_number": wrong}, headers=world.headers("station_chief"))
    assert assert_problem(search, 422)["code"] == "id-number-invalid"


def _log(client, world, who: str = "administrator"):
    r = client.get(f"{API}/access-log", headers=world.headers(who))
    assert r.status_code == 200, r.text
    return r.json()


def test_unmasked_reads_are_logged_and_readable_by_administrators(world, client):
    h = house(client, world)
    p = person(client, world, h["id"], id_number=NUMBER, phone=PHONE)
    q = person(client, world, h["id"], name="李四")
    assert _log(client, world)["total"] == 0
    r = client.post(
        f"{API}/people/reveal", json={"person_ids": [p["id"], q["id"]]}, headers=world.headers("grid_leader")
    )
    assert r.status_code == 200, r.text
    assert {x["id"]: (x["id_number"], x["phone"]) for x in r.json()} == {
        p["id"]: (NUMBER, PHONE),
        q["id"]: (None, None),
    }
    log = _log(client, world)
    assert log["total"] == 1
    entry = log["items"][0]
    assert entry["action"] == "reveal" and entry["user_id"] == world.users["grid_leader"]
    assert entry["user_name"] == "grid_leader的名字" and entry["person_ids"] == sorted([p["id"], q["id"]])
    assert entry["grid_id"] == world.ids["G1a"] and entry["at"]
    # A grid member may not unmask; someone outside the grid gets a 404 and nothing is logged.
    member = client.post(f"{API}/people/reveal", json={"person_ids": [p["id"]]}, headers=world.headers("grid_member"))
    assert member.status_code == 403
    outside = client.post(f"{API}/people/reveal", json={"person_ids": [p["id"]]}, headers=world.headers("leader_g2"))
    assert assert_problem(outside, 404)
    assert _log(client, world)["total"] == 1
    # The log is the administrators' (of the area: C4's chief's district is elsewhere; others are not admins).
    assert client.get(f"{API}/access-log", headers=world.headers("station_chief")).status_code == 403
    assert _log(client, world, "system_admin")["total"] == 1


def test_an_export_names_its_exporter_and_time_and_is_logged(world, client):
    h = house(client, world)
    p = person(client, world, h["id"], id_number=NUMBER, phone=PHONE, special_groups=["elderly_alone"])
    r = client.get(f"{API}/grids/{world.ids['G1a']}/people.xlsx", headers=world.headers("station_chief"))
    assert r.status_code == 200, r.text
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    assert rows[1][0] == "导出人：station_chief的名字" and rows[1][1].startswith("导出时间：20")
    assert rows[4][0] == "张三" and NUMBER in rows[4] and PHONE in rows[4]
    entry = _log(client, world)["items"][0]
    assert entry["action"] == "export" and entry["person_ids"] == [p["id"]]
    assert entry["user_id"] == world.users["station_chief"]
    denied = client.get(f"{API}/grids/{world.ids['G1a']}/people.xlsx", headers=world.headers("grid_member"))
    assert denied.status_code == 403
    assert _log(client, world)["total"] == 1


def test_a_changed_key_is_a_clear_503_not_a_500_nor_a_wrong_number(world, client, live):
    """The key (in development derived from the secret key) changed after the data was stored: the registry says so
    with its own code; nothing is shown decrypted under the wrong key."""
    h = house(client, world)
    p = person(client, world, h["id"], id_number=NUMBER, phone=PHONE)
    other = LiveServer(make_settings(live.settings.database_url, personal_data_key="another-key-" + "x" * 32)).start()
    try:
        for path in (f"/people/{p['id']}", f"/grids/{world.ids['G1a']}/people"):
            r = httpx.get(other.base_url + API + path, headers=world.headers("station_chief"), timeout=30)
            assert assert_problem(r, 503)["code"] == "personal-data-key-mismatch", path
            assert NUMBER not in r.text and PHONE not in r.text
    finally:
        other.stop()
    assert client.get(f"{API}/people/{p['id']}", headers=world.headers("station_chief")).status_code == 200


def test_the_access_log_is_walked_in_keyset_pages_newest_first(world, client):
    h = house(client, world)
    people = [person(client, world, h["id"], name=f"查{i}") for i in range(5)]
    for p in people:  # five reads, each logged
        r = client.post(f"{API}/people/reveal", json={"person_ids": [p["id"]]}, headers=world.headers("grid_leader"))
        assert r.status_code == 200, r.text
    for who in ("administrator", "system_admin"):
        seen, pages, after = [], [], None
        while True:
            params = {"limit": 2, **({"after": after} if after else {})}
            page = client.get(f"{API}/access-log", params=params, headers=world.headers(who))
            assert page.status_code == 200, page.text
            pages.append(page.json())
            seen += page.json()["items"]
            after = page.json()["next_after"]
            if after is None:
                break
        assert [len(p["items"]) for p in pages] == [2, 2, 1], who
        assert all((p["total"], p["total_exact"], p["limit"]) == (5, True, 2) for p in pages)
        # Newest first, each read once: the last person revealed comes first.
        assert [e["person_ids"] for e in seen] == [[p["id"]] for p in reversed(people)], who
    # A read made during the walk does not shift the pages already given (an offset would repeat an entry).
    first = client.get(f"{API}/access-log", params={"limit": 2}, headers=world.headers("administrator")).json()
    client.post(f"{API}/people/reveal", json={"person_ids": [people[0]["id"]]}, headers=world.headers("grid_leader"))
    second = client.get(f"{API}/access-log", params={"limit": 2, "after": first["next_after"]},
                        headers=world.headers("administrator")).json()  # fmt: skip
    assert [e["person_ids"] for e in second["items"]] == [[people[2]["id"]], [people[1]["id"]]]
    for bad in ("nonsense", "WyJhY2Nlc3MiLCJ4IiwxXQ"):  # junk; ["access","x",1]
        r = client.get(f"{API}/access-log", params={"after": bad}, headers=world.headers("administrator"))
        assert assert_problem(r, 422)["code"], bad
