"""Every problem `code` the backend can send has the app's own message in both languages (errors.codes.<code> in
frontend/src/i18n/codes/zh-CN.ts and en.ts, fetched with the first problem, or in the section of the pages that call
the API sending it), and every problem body carries its `code`.

The codes are found in the backend's source and classes, without a database: each DomainError subclass's `code`,
each literal `code="..."` given to `problem(...)` or to a DomainError (sub)class, and the codes that `problem()`
derives from a status where no code is named (the framework's 401/403/404/405/500, `problem(404, ...)`,
`HTTPException(413, ...)`)."""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import re
from pathlib import Path

import pytest

import wangge
from wangge import errors

ROOT = Path(__file__).resolve().parents[2]
BACKEND = ROOT / "backend" / "wangge"
I18N = ROOT / "frontend" / "src" / "i18n"
# Statuses that FastAPI and Starlette answer by themselves (no route, wrong method, missing bearer token, a crash).
FRAMEWORK_STATUSES = (401, 403, 404, 405, 500)


def _domain_error_classes() -> list[type[errors.DomainError]]:
    for module in pkgutil.walk_packages(wangge.__path__, "wangge."):
        importlib.import_module(module.name)
    found, todo = [], [errors.DomainError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def _callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _status_code(status: int) -> str:
    return json.loads(errors.problem(status).body)["code"]


def backend_codes() -> dict[str, str]:
    """code → where it comes from."""
    classes = _domain_error_classes()
    raisers = {cls.__name__ for cls in classes} | {"problem"}
    codes = {cls.code: f"{cls.__module__}.{cls.__name__}" for cls in classes}
    for status in FRAMEWORK_STATUSES:
        codes.setdefault(_status_code(status), f"the framework's {status}")
    for path in sorted(BACKEND.rglob("*.py")):
        where = path.relative_to(ROOT)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = _callee(node)
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            if name in raisers and "code" in keywords:
                value = keywords["code"]
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    codes.setdefault(value.value, f"{where}:{node.lineno}")
            elif name in ("problem", "HTTPException") and node.args:
                status = node.args[0]
                if isinstance(status, ast.Constant) and isinstance(status.value, int):
                    codes.setdefault(_status_code(status.value), f"{where}:{node.lineno}")
    return codes


def _skip_string(text: str, i: int) -> int:
    quote = text[i]
    i += 1
    while text[i] != quote:
        i += 2 if text[i] == "\\" else 1
    return i + 1


def _block(text: str, start: int) -> str:
    """The text of the `{ ... }` that opens at `start`, quotes respected (messages may hold `{n}`)."""
    depth, i = 0, start
    while True:
        ch = text[i]
        if ch in "'\"`":
            i = _skip_string(text, i)
            continue
        if ch == "/" and text[i + 1] == "/":
            i = text.index("\n", i)
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
        i += 1


def _codes_in(path: Path, *, required: bool) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    errors_at = re.search(r"^  errors: \{", text, re.M)
    assert errors_at or not required, f"{path.name} has no top-level `errors` messages"
    if not errors_at:
        return {}
    in_errors = _block(text, errors_at.end() - 1)
    codes_at = re.search(r"^    codes: \{", in_errors, re.M)
    assert codes_at or not required, f"{path.name} has no errors.codes map"
    if not codes_at:
        return {}
    body = _block(in_errors, codes_at.end() - 1)
    entries = re.findall(r"^\s*(?:'([^']+)'|\"([^\"]+)\"|([A-Za-z_]\w*))\s*:\s*(['\"])(.*?)\4,?\s*$", body, re.M)
    return {(a or b or c): message for a, b, c, _, message in entries}


def translated_codes(language: str) -> dict[str, str]:
    """errors.codes of the language's file, and of its sections (i18n/<section>/<language>.ts): a section's codes
    are merged into errors.codes with the pages that fetch it, the only pages whose requests can answer them."""
    codes = _codes_in(I18N / "codes" / f"{language}.ts", required=True)
    for section in sorted(I18N.glob(f"*/{language}.ts")):
        codes.update(_codes_in(section, required=False))
    return codes


def test_the_scan_finds_the_codes_it_should():
    codes = backend_codes()
    # One of each kind of source: a subclass's attribute, a literal code given to a raise and to problem(), and a
    # code derived from a status (the body limit's HTTPException(413) and the framework's 405).
    for code in ("not-found", "precondition-failed", "outside-grid", "not-ready", "validation-error"):
        assert code in codes, code
    assert "payload-too-large" in codes and "method-not-allowed" in codes and "internal-server-error" in codes
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code) for code in codes), sorted(codes)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_backend_code_has_the_apps_own_message(language):
    translated = translated_codes(language)
    assert len(translated) >= 10, "the errors.codes map could not be read"
    missing = {code: where for code, where in backend_codes().items() if not translated.get(code, "").strip()}
    assert not missing, (
        f"These problem codes have no message under errors.codes in frontend/src/i18n/{language}.ts: "
        + ", ".join(f"{code} ({where})" for code, where in sorted(missing.items()))
    )


def test_both_languages_translate_the_same_codes():
    assert sorted(translated_codes("zh-CN")) == sorted(translated_codes("en"))


def test_every_problem_names_its_code_beside_its_type():
    named = json.loads(errors.problem(409, "taken", code="meeting-closed").body)
    assert named["code"] == "meeting-closed" and named["type"] == errors.PROBLEM_BASE + "meeting-closed"
    derived = json.loads(errors.problem(405).body)
    assert derived["code"] == "method-not-allowed" and derived["type"].endswith("/method-not-allowed")
    # The same code for a body over the limit whichever Python phrases 413.
    assert json.loads(errors.problem(413).body)["code"] == "payload-too-large"


def test_problems_over_http_carry_the_code(world, client):
    from conftest import assert_problem

    missing = assert_problem(client.get("/api/v1/nothing-here", headers=world.headers("administrator")), 404)
    assert missing["code"] == "not-found"
    invalid = assert_problem(client.post("/api/v1/auth/refresh", json={}), 422)
    assert invalid["code"] == "validation-error"
    wrong = assert_problem(client.post("/api/v1/auth/token", data={"username": "nobody", "password": "x" * 8}), 401)
    assert wrong["code"] == "invalid-credentials"
