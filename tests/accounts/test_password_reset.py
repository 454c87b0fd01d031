"""An administrator resets a password: a temporary one is answered once, the user's sessions end, and at the next
sign-in the user can do nothing but read themselves, sign out or choose their own password."""

from __future__ import annotations

from sqlalchemy import select

from conftest import assert_problem
from support.world import PASSWORD
from wangge.accounts.models import User


def _login(client, username, password=PASSWORD):
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


def _bearer(tokens):
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def test_a_reset_password_must_be_changed_before_anything_else(world, client, live):
    before = _login(client, "leader_g1b").json()
    r = client.post(f"/api/v1/users/{world.users['leader_g1b']}/reset-password", headers=world.headers("administrator"))
    assert r.status_code == 200, r.text
    temporary = r.json()["temporary_password"]
    assert len(temporary) == 10 and r.json()["user"]["must_change_password"] is True
    with live.session() as session:
        stored = session.execute(select(User.password_hash).where(User.username == "leader_g1b")).scalar_one()
    assert temporary not in stored  # hashed
    assert_problem(client.get("/api/v1/auth/me", headers=_bearer(before)), 401)  # their sessions ended
    assert_problem(_login(client, "leader_g1b"), 401)  # the old password no longer works

    tokens = _login(client, "leader_g1b", temporary).json()
    me = client.get("/api/v1/auth/me", headers=_bearer(tokens))
    assert me.status_code == 200 and me.json()["must_change_password"] is True
    problem = assert_problem(client.get("/api/v1/matters", headers=_bearer(tokens)), 403)
    assert problem["code"] == "password-change-required"

    wrong = assert_problem(
        client.post(
            "/api/v1/auth/password",
            headers=_bearer(tokens),
            json={"current_password": "not-it-at-all", "new_password": "my-own-password"},
        ),
        422,
    )
    assert wrong["code"] == "wrong-password"
    same = assert_problem(
        client.post(
            "/api/v1/auth/password",
            headers=_bearer(tokens),
            json={"current_password": temporary, "new_password": temporary},
        ),
        422,
    )
    assert same["code"] == "same-password"
    changed = client.post(
        "/api/v1/auth/password",
        headers=_bearer(tokens),
        json={"current_password": temporary, "new_password": "my-own-password"},
    )
    assert changed.status_code == 200 and changed.json()["must_change_password"] is False
    assert client.get("/api/v1/matters", headers=_bearer(tokens)).status_code == 200  # this session goes on
    assert _login(client, "leader_g1b", "my-own-password").status_code == 200
    assert _login(client, "leader_g1b", temporary).status_code == 401


def test_changing_ones_password_ends_the_other_sessions(world, client):
    first, second = _login(client, "grid_member").json(), _login(client, "grid_member").json()
    r = client.post(
        "/api/v1/auth/password",
        headers=_bearer(first),
        json={"current_password": PASSWORD, "new_password": "another-password"},
    )
    assert r.status_code == 200, r.text
    assert client.get("/api/v1/auth/me", headers=_bearer(first)).status_code == 200
    assert_problem(client.get("/api/v1/auth/me", headers=_bearer(second)), 401)


def test_who_may_reset_whose_password(world, client):
    # Not one's own (that is a change, with the current password), not outside one's area, not without the role.
    own = assert_problem(
        client.post(
            f"/api/v1/users/{world.users['administrator']}/reset-password", headers=world.headers("administrator")
        ),
        403,
    )
    assert own["code"] == "own-password"
    assert_problem(
        client.post(f"/api/v1/users/{world.users['chief_c4']}/reset-password", headers=world.headers("administrator")),
        404,
    )
    assert_problem(
        client.post(
            f"/api/v1/users/{world.users['grid_leader']}/reset-password", headers=world.headers("station_chief")
        ),
        403,
    )
    assert_problem(client.post("/api/v1/users/987654/reset-password", headers=world.headers("system_admin")), 404)


def test_a_password_an_administrator_sets_must_be_changed_too(world, client):
    r = client.patch(
        f"/api/v1/users/{world.users['leader_g2']}",
        headers=world.headers("administrator"),
        json={"password": "chosen-by-admin"},
    )
    assert r.status_code == 200 and r.json()["must_change_password"] is True


def test_reactivating_a_user_lets_them_sign_in_again(world, client):
    admin = world.headers("administrator")
    victim = world.users["leader_g1b"]
    assert client.post(f"/api/v1/users/{victim}/deactivate", headers=admin).json()["is_active"] is False
    assert_problem(_login(client, "leader_g1b"), 401)
    assert client.post(f"/api/v1/users/{victim}/reactivate", headers=admin).json()["is_active"] is True
    assert _login(client, "leader_g1b").status_code == 200
    assert_problem(client.post(f"/api/v1/users/{victim}/reactivate", headers=world.headers("grid_leader")), 403)


def test_users_are_found_by_part_of_their_name_and_by_state(world, client):
    admin = world.headers("administrator")
    found = client.get("/api/v1/users", params={"q": "leader_g"}, headers=admin).json()
    assert {u["username"] for u in found["items"]} == {"leader_g1b", "leader_g2"}
    assert client.get("/api/v1/users", params={"q": "%"}, headers=admin).json()["total"] == 0  # not a wildcard
    client.post(f"/api/v1/users/{world.users['leader_g2']}/deactivate", headers=admin)
    inactive = client.get("/api/v1/users", params={"active": "false"}, headers=admin).json()
    assert [u["username"] for u in inactive["items"]] == ["leader_g2"]
