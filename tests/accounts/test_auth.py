"""Login, refresh rotation, logout, deactivation, argon2id storage, and personal data masking."""

from __future__ import annotations

from sqlalchemy import select

from conftest import assert_problem
from support.world import PASSWORD
from wangge.accounts.models import User


def login(client, username, password=PASSWORD):
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


def test_login_returns_tokens_that_work(world, client):
    r = login(client, "grid_leader")
    assert r.status_code == 200, r.text
    tokens = r.json()
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 900
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "grid_leader" and body["role"] == "grid_leader"
    assert body["scope"] == {"level": "grid", "id": world.ids["G1a"], "name": "G1a网格", "code": world.codes["G1a"]}


def test_wrong_password_and_unknown_user_are_the_same_401(world, client):
    a = assert_problem(login(client, "grid_leader", "wrong-password"), 401)
    b = assert_problem(login(client, "nobody", "wrong-password"), 401)
    assert a["detail"] == b["detail"] == "Wrong username or password"
    problem = assert_problem(client.post("/api/v1/auth/token", data={"username": "x"}), 422)
    assert problem["errors"][0]["loc"] == ["body", "password"]


def test_refresh_rotates_and_the_old_refresh_token_stops_working(world, client):
    first = login(client, "station_chief").json()
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200, second.text
    assert second.json()["refresh_token"] != first["refresh_token"]
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {second.json()['access_token']}"})
    assert me.status_code == 200
    # Presenting the spent token again means it leaked: the whole session ends (OAuth 2.0 Security BCP).
    reused = assert_problem(client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}), 401)
    assert reused["type"].endswith("/refresh-token-reused")
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {second.json()['access_token']}"})
    assert_problem(me, 401)
    ended = client.post("/api/v1/auth/refresh", json={"refresh_token": second.json()["refresh_token"]})
    assert assert_problem(ended, 401)["type"].endswith("/session-ended")
    other = login(client, "station_chief").json()  # a new sign-in is a new session, untouched
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": other["refresh_token"]}).status_code == 200


def test_logout_ends_the_access_and_the_refresh_token(world, client):
    tokens = login(client, "street_officer").json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert_problem(client.get("/api/v1/auth/me", headers=headers), 401)
    assert_problem(client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}), 401)


def test_a_forged_or_garbage_token_is_401(world, client):
    assert_problem(client.get("/api/v1/auth/me", headers={"Authorization": "Bearer not-a-jwt"}), 401)
    import jwt

    forged = jwt.encode(
        {"sub": str(world.users["system_admin"]), "sid": "x", "exp": 9999999999, "typ": "access"},
        "some-other-secret-that-is-long-enough",
        algorithm="HS256",
    )
    assert_problem(client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {forged}"}), 401)


def test_deactivating_a_user_ends_their_sessions_and_login(world, client):
    victim = login(client, "leader_g1b").json()
    r = client.post(f"/api/v1/users/{world.users['leader_g1b']}/deactivate", headers=world.headers("administrator"))
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert_problem(client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {victim['access_token']}"}), 401)
    problem = assert_problem(login(client, "leader_g1b"), 401)
    assert "deactivated" in problem["detail"]


def test_passwords_are_stored_as_argon2id(world, client, live):
    r = client.post(
        "/api/v1/users",
        headers=world.headers("administrator"),
        json={
            "username": "newleader",
            "display_name": "新网格长",
            "password": "a-good-password",
            "role": "grid_leader",
            "scope_level": "grid",
            "scope_id": world.ids["G1b"],
            "phone": "13700001234",
        },
    )
    assert r.status_code == 201, r.text
    with live.session() as session:
        stored = session.execute(select(User.password_hash).where(User.username == "newleader")).scalar_one()
    assert stored.startswith("$argon2id$") and "a-good-password" not in stored
    assert login(client, "newleader", "a-good-password").status_code == 200


def test_user_creation_rules(world, client):
    headers = world.headers("administrator")
    base = {"username": "user1", "display_name": "n", "password": "long-enough-1"}
    # A grid leader is bound to a grid, not a community.
    problem = assert_problem(
        client.post(
            "/api/v1/users",
            headers=headers,
            json={**base, "role": "grid_leader", "scope_level": "community", "scope_id": world.ids["C1"]},
        ),
        422,
    )
    assert "grid" in problem["detail"]
    # A street administrator cannot make a system administrator.
    assert_problem(
        client.post("/api/v1/users", headers=headers, json={**base, "role": "administrator", "scope_level": "system"}),
        403,
    )
    # Username taken.
    assert_problem(
        client.post(
            "/api/v1/users",
            headers=headers,
            json={
                **base,
                "username": "grid_leader",
                "role": "grid_member",
                "scope_level": "grid",
                "scope_id": world.ids["G1a"],
            },
        ),
        409,
    )
    # Short password, unknown field.
    problem = assert_problem(
        client.post(
            "/api/v1/users",
            headers=headers,
            json={
                **base,
                "password": "short",
                "role": "grid_member",
                "scope_level": "grid",
                "scope_id": world.ids["G1a"],
                "is_superuser": True,
            },
        ),
        422,
    )
    fields = {tuple(e["loc"]) for e in problem["errors"]}
    assert ("body", "password") in fields and ("body", "is_superuser") in fields


def test_phones_are_masked_for_roles_without_permission(world, client):
    me = client.get("/api/v1/auth/me", headers=world.headers("resident")).json()
    assert me["phone"] == "13900001111"  # one's own number is shown
    other = client.get(f"/api/v1/users/{world.users['grid_leader']}", headers=world.headers("administrator")).json()
    assert other["phone"] == "13900001111"
