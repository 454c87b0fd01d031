"""The problems' `detail` in the request's language (wangge.messages): Chinese by default, English when asked for,
the signed-in user's language when the request names none; every code the service can send has both."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import update

from conftest import TLS, assert_problem
from ops.test_error_codes import backend_codes
from wangge import messages
from wangge.accounts.models import User

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def bare(live):
    """A client that names no language, as a browser without the app's header or a script would."""
    with httpx.Client(base_url=live.base_url, timeout=30, verify=TLS) as c:
        yield c


@pytest.mark.parametrize("language", messages.LANGUAGES)
def test_every_code_the_service_can_send_has_a_message_in_both_languages(language):
    missing = sorted(code for code in backend_codes() if not messages.PROBLEMS.get(code, {}).get(language))
    assert not missing, f"wangge/messages.py PROBLEMS lacks the {language} message of: {', '.join(missing)}"
    if language == "zh-CN":
        english = [code for code, texts in messages.PROBLEMS.items() if not CHINESE.search(texts["zh-CN"])]
        assert not english, english


def test_the_templates_of_a_code_name_the_same_fields_and_say_it_without_them():
    fields = re.compile(r"\{(\w+)\}")
    for code, texts in messages.PROBLEMS.items():
        named = set(fields.findall(texts["zh-CN"]))
        assert named == set(fields.findall(texts["en"])), code
        if named:
            assert all(messages.WITHOUT_FIELDS.get(code, {}).get(language) for language in messages.LANGUAGES), code


def test_the_language_is_negotiated_from_accept_language():
    assert messages.negotiate(None) is None and messages.negotiate("fr, de;q=0.5") is None
    assert messages.negotiate("en-US,en;q=0.9") == "en"
    assert messages.negotiate("zh-TW") == "zh-CN" and messages.negotiate("zh-Hans-CN") == "zh-CN"
    assert messages.negotiate("en;q=0.5, zh;q=0.9") == "zh-CN"
    assert messages.negotiate("fr, en;q=0.3") == "en"
    assert messages.negotiate("en;q=0, zh") == "zh-CN"
    assert messages.request_language("fr") == "zh-CN"


def test_a_detail_with_specifics_is_formatted_in_both_languages():
    weights = {"total": 90}
    assert messages.detail("scheme-weights", "zh-CN", fields=weights) == "各指标权重之和为 90，必须等于 100"
    assert messages.detail("scheme-weights", "en", fields=weights) == "The weights sum to 90, not 100"
    # The raiser's English detail is kept in English; a template without its fields says the rest.
    assert messages.detail("scheme-weights", "en", given="The weights sum to 90.5, not 100") == (
        "The weights sum to 90.5, not 100"
    )
    assert messages.detail("import-too-large", "zh-CN") == "文件过大"
    assert messages.detail("no-such-code", "zh-CN") == messages.FALLBACK["zh-CN"]


def test_the_detail_follows_accept_language(world, bare):
    wrong = {"username": "grid_leader", "password": "wrong-password"}
    chinese = assert_problem(bare.post("/api/v1/auth/token", data=wrong), 401)
    assert chinese["code"] == "invalid-credentials" and chinese["detail"] == "用户名或密码错误"
    english = assert_problem(bare.post("/api/v1/auth/token", data=wrong, headers={"Accept-Language": "en"}), 401)
    assert english["code"] == "invalid-credentials" and english["detail"] == "Wrong username or password"
    unknown = assert_problem(bare.post("/api/v1/auth/token", data=wrong, headers={"Accept-Language": "fr"}), 401)
    assert unknown["detail"] == "用户名或密码错误"
    # The framework's own problems too.
    missing = assert_problem(bare.get("/api/v1/nothing-here", headers=world.headers("administrator")), 404)
    assert CHINESE.search(missing["detail"]), missing


def test_a_request_that_is_not_valid_says_in_chinese_which_field(world, bare):
    problem = assert_problem(bare.post("/api/v1/auth/token", data={"username": "x"}), 422)
    assert problem["code"] == "validation-error"
    assert problem["detail"] == "提交的内容有误，请检查：password"
    assert problem["errors"] == [{"loc": ["body", "password"], "msg": "必填", "type": "missing"}]
    english = assert_problem(
        bare.post("/api/v1/auth/token", data={"username": "x"}, headers={"Accept-Language": "en"}), 422
    )
    assert english["detail"] == "The request is not valid: password" and english["errors"][0]["msg"] == "Field required"
    too_long = assert_problem(bare.post("/api/v1/auth/refresh", json={"refresh_token": "x" * 5000}), 422)
    assert too_long["errors"][0]["loc"] == ["body", "refresh_token"]
    assert CHINESE.search(too_long["errors"][0]["msg"]), too_long


def test_a_domain_field_error_is_in_the_language_too(world, bare):
    body = {"current_password": "not-the-password", "new_password": "another-pass-5678"}
    wrong = assert_problem(bare.post("/api/v1/auth/password", json=body, headers=world.headers("grid_leader")), 422)
    assert wrong["code"] == "wrong-password" and wrong["detail"] == "当前密码不正确"
    assert wrong["errors"][0]["loc"] == ["body", "current_password"] and wrong["errors"][0]["msg"] == "当前密码不正确"


def test_without_accept_language_a_signed_in_user_gets_their_own_language(world, bare, live):
    with live.session() as s:
        s.execute(update(User).where(User.id == world.users["station_chief"]).values(language="en"))
        s.commit()
    path = "/api/v1/users/999999"
    theirs = assert_problem(bare.get(path, headers=world.headers("station_chief")), 404)
    assert not CHINESE.search(theirs["detail"]), theirs
    others = assert_problem(bare.get(path, headers=world.headers("administrator")), 404)
    assert CHINESE.search(others["detail"]), others
    # Accept-Language still wins over the account's setting.
    asked = assert_problem(bare.get(path, headers={**world.headers("station_chief"), "Accept-Language": "zh-CN"}), 404)
    assert CHINESE.search(asked["detail"]), asked


def test_a_user_sets_their_own_language_and_it_is_audited(world, client, live):
    from wangge.audit.models import AuditEntry

    me = client.patch("/api/v1/auth/me", json={"language": "en"}, headers=world.headers("grid_leader"))
    assert me.status_code == 200, me.text
    assert me.json()["language"] == "en" and me.json()["username"] == "grid_leader"
    assert client.get("/api/v1/auth/me", headers=world.headers("grid_leader")).json()["language"] == "en"
    with live.session() as s:
        entries = s.query(AuditEntry).filter(AuditEntry.entity == "user").all()
        assert any(e.entity_id == str(world.users["grid_leader"]) and "language" in str(e.changes) for e in entries)
    refused = assert_problem(
        client.patch("/api/v1/auth/me", json={"language": "fr"}, headers=world.headers("grid_leader")), 422
    )
    assert refused["errors"][0]["loc"] == ["body", "language"]
    assert_problem(client.patch("/api/v1/auth/me", json={"language": "en"}), 401)
