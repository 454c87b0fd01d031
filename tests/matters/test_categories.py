"""The category list: the public one shows the active categories to anyone (a stale token sent along changes
nothing); `include_inactive=true` adds the deactivated ones for a system or district administrator, who reactivates
them from there, and is refused to anyone else."""

from __future__ import annotations

from conftest import assert_problem

API = "/api/v1/categories"


def _codes(response) -> set[str]:
    assert response.status_code == 200, response.text
    return {c["code"] for c in response.json()}


def test_a_deactivated_category_is_listed_only_to_who_may_reactivate_it(world, client):
    admin = world.headers("system_admin")
    sanitation = world.categories["sanitation"]
    r = client.patch(f"{API}/{sanitation}", headers=admin, json={"is_active": False})
    assert r.status_code == 200 and r.json()["is_active"] is False

    assert "sanitation" not in _codes(client.get(API))
    assert "sanitation" not in _codes(client.get(API, headers=admin))  # without the parameter: the public list
    assert "sanitation" not in _codes(client.get(API, headers={"Authorization": "Bearer stale"}))

    everything = client.get(API, params={"include_inactive": "true"}, headers=admin)
    assert _codes(everything) == set(world.categories)
    assert [c["is_active"] for c in everything.json() if c["code"] == "sanitation"] == [False]

    assert_problem(client.get(API, params={"include_inactive": "true"}), 401)
    for who in ("administrator", "station_chief", "grid_leader"):  # a street's administrator reads, does not manage
        assert_problem(client.get(API, params={"include_inactive": "true"}, headers=world.headers(who)), 403)

    r = client.patch(f"{API}/{sanitation}", headers=admin, json={"is_active": True})
    assert r.status_code == 200 and "sanitation" in _codes(client.get(API))


def test_a_street_administrator_may_not_change_a_category(world, client):
    r = client.patch(
        f"{API}/{world.categories['sanitation']}", headers=world.headers("administrator"), json={"name_zh": "保洁"}
    )
    assert_problem(r, 403)


def test_an_emergency_category_keeps_the_stations_limits(world, client):
    """An emergency starts the station's clock from the category's station limits: a patch without them would make
    the next emergency of that category fail, so it is refused naming the missing one."""
    url = f"{API}/{world.categories['fire_safety']}"
    admin = world.headers("system_admin")
    limits = {"station": {"sign": {"amount": 5, "unit": "minutes"}}, "notice": {}}
    problem = assert_problem(client.patch(url, headers=admin, json={"time_limits": limits}), 422)
    assert [e["loc"] for e in problem["errors"]] == [["body", "time_limits", "station", "complete"]]
    limits["station"]["complete"] = {"amount": 90, "unit": "minutes"}
    r = client.patch(url, headers=admin, json={"time_limits": limits})
    assert r.status_code == 200 and r.json()["time_limits"] == limits
    # An ordinary category may go without any limit.
    r = client.patch(f"{API}/{world.categories['sanitation']}", headers=admin, json={"time_limits": {}})
    assert r.status_code == 200 and r.json()["time_limits"] == {}


def test_the_public_list_of_categories_is_the_active_resident_facing_ones_under_their_public_names(world, client):
    r = client.get("/api/v1/public/categories")
    assert r.status_code == 200, r.text
    staff = {c["code"]: c for c in client.get("/api/v1/categories").json()}
    codes = [c["code"] for c in r.json()]
    assert codes and all(staff[code]["resident_facing"] and staff[code]["is_active"] for code in codes)
    assert {code for code, c in staff.items() if c["resident_facing"] and c["is_active"]} == set(codes)
    # The internal lines stay for staff: party building 党建, integrity 党廉, family planning 计生.
    internal = {code for code, c in staff.items() if any(w in c["name_zh"] for w in ("党建", "党廉", "计生"))}
    assert internal and not internal & set(codes)
    sanitation = next(c for c in r.json() if c["code"] == "sanitation")
    assert sanitation["public_name_zh"] == "垃圾与环境卫生" and sanitation["public_name_en"] == "Litter and cleanliness"
    assert "time_limits" not in sanitation and "loop_rules" not in sanitation  # the staff's rules stay with staff


def test_the_loop_rules_are_saved_whole_and_each_refusal_names_its_field(world, client):
    """The category form (CategoryLoopRules) sends the rules whole and says a 422 under the field its `loc` names;
    a client that sends a part changes only that part."""
    url = f"{API}/{world.categories['culture']}"
    admin = world.headers("system_admin")
    for rules, loc in (
        ({"extension": {"max_count": 11, "max_days": 10}}, ["body", "loop_rules", "extension", "max_count"]),
        ({"callback_after_days": 0}, ["body", "loop_rules", "callback_after_days"]),
        ({"contact": {"amount": 0, "unit": "working_hours"}}, ["body", "loop_rules", "contact", "amount"]),
        ({"contact": {"amount": 2, "unit": "hours"}}, ["body", "loop_rules", "contact", "unit"]),
        ({"verify": False, "close_on": "verification"}, ["body", "loop_rules"]),  # the model's own rule
        (None, ["body", "loop_rules"]),
    ):
        problem = assert_problem(client.patch(url, headers=admin, json={"loop_rules": rules}), 422)
        assert [e["loc"] for e in problem["errors"]] == [loc], rules
    before = client.get(API).json()
    rules = {
        "contact": {"amount": 1, "unit": "working_days"},
        "extension": {"max_count": 0, "max_days": 1},
        "suspension": {"max_count": 3, "max_days": 60},
        "verify": True,
        "close_on": "verification",
        "callback_after_days": 7,
        "callback_tries": 5,
        "mediation": True,
    }
    r = client.patch(url, headers=admin, json={"loop_rules": rules})
    assert r.status_code == 200 and r.json()["loop_rules"] == rules
    after = {c["code"]: c for c in client.get(API).json()}
    assert after["culture"]["loop_rules"] == rules
    assert {c["code"]: c["loop_rules"] for c in before if c["code"] != "culture"} == {
        code: c["loop_rules"] for code, c in after.items() if code != "culture"
    }
    # A part sent changes that part alone: the rules not named stay as saved.
    r = client.patch(url, headers=admin, json={"loop_rules": {"callback_after_days": 4, "contact": None}})
    assert r.status_code == 200 and r.json()["loop_rules"] == {**rules, "callback_after_days": 4, "contact": None}
    assert_problem(client.patch(url, headers=world.headers("administrator"), json={"loop_rules": rules}), 403)
    (was,) = [c["loop_rules"] for c in before if c["code"] == "culture"]
    assert client.patch(url, headers=admin, json={"loop_rules": was}).status_code == 200  # for the tests after this
