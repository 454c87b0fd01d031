"""Users from an Excel file: the template, a preview that checks every row, applying all or nothing, and the same
file applied twice changing nothing the second time."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from conftest import assert_problem
from wangge.accounts.models import User

HEADER = ["用户名", "姓名", "电话", "角色", "所属编码", "初始密码"]


def _xlsx(*rows: list[str]) -> bytes:
    wb = Workbook()
    wb.active.append(HEADER)
    for r in rows:
        wb.active.append(r)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, headers, content: bytes, apply: bool = False):
    return client.post(
        "/api/v1/users/import",
        params={"apply": str(apply).lower()},
        files={"file": ("users.xlsx", content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
        headers=headers,
    )


def _count(live) -> int:
    with live.session() as s:
        return s.execute(select(func.count()).select_from(User)).scalar_one()


def test_the_template_has_the_chinese_headers_and_an_example(world, client):
    r = client.get("/api/v1/users/import/template.xlsx", headers=world.headers("administrator"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(r.content)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and rows[1][3] == "网格长"
    assert_problem(client.get("/api/v1/users/import/template.xlsx", headers=world.headers("station_chief")), 403)


def test_a_file_is_checked_row_by_row_and_applied_all_or_nothing_once(world, client, live):
    admin = world.headers("administrator")
    g1b = world.codes["G1b"]
    good = [["imp_leader1", "导入网格长一", "13700000001", "网格长", g1b, "first-pass-1"],
            ["imp_member1", "导入网格员一", "", "网格员", g1b, "first-pass-2"]]  # fmt: skip
    bad = [["x", "", "12ab", "队长", "999", "short"],  # everything wrong
           ["imp_far", "外区的人", "", "服务站站长", world.codes["C4"], "first-pass-3"],  # another district's community
           ["grid_leader", "别人", "", "网格长", g1b, "first-pass-4"],  # taken
           ["imp_leader1", "重复", "", "网格长", g1b, "first-pass-5"]]  # twice in the file  # fmt: skip
    before = _count(live)
    r = _upload(client, admin, _xlsx(*good, *bad))
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["new"], report["error"], report["applied"]) == (2, 4, False)
    codes = {row["row"]: {p["code"] for p in row["problems"]} for row in report["rows"]}
    assert codes[4] >= {"username-invalid", "name-required", "phone-invalid", "role-unknown", "password-short"}
    assert codes[5] == {"scope-outside"} and codes[6] == {"username-taken"} and codes[7] == {"username-repeated"}
    problem = assert_problem(_upload(client, admin, _xlsx(*good, *bad), apply=True), 422)
    assert problem["code"] == "import-rejected" and len(problem["report"]) == 6
    assert _count(live) == before  # nothing half-written

    applied = _upload(client, admin, _xlsx(*good), apply=True).json()
    assert (applied["created"], applied["new"], applied["applied"]) == (2, 2, True)
    assert _count(live) == before + 2
    with live.session() as s:
        leader = s.execute(select(User).where(User.username == "imp_leader1")).scalar_one()
        assert (leader.role, leader.grid_id, leader.must_change_password) == ("grid_leader", world.ids["G1b"], True)
    again = _upload(client, admin, _xlsx(*good), apply=True).json()
    assert (again["created"], again["same"], again["new"]) == (0, 2, 0)  # the second time changes nothing
    assert _count(live) == before + 2
    with live.session() as s:
        light = s.execute(select(User.password_hash).where(User.username == "imp_member1")).scalar_one()
    login = client.post("/api/v1/auth/token", data={"username": "imp_member1", "password": "first-pass-2"})
    assert login.status_code == 200
    with live.session() as s:
        full = s.execute(select(User.password_hash).where(User.username == "imp_member1")).scalar_one()
    assert light.startswith("$argon2id$") and full != light  # the temporary hash is replaced at the first sign-in


def test_a_file_that_is_not_a_workbook_or_lacks_columns_is_refused(world, client):
    admin = world.headers("administrator")
    assert assert_problem(_upload(client, admin, b"not a spreadsheet"), 422)["code"] == "not-xlsx"
    wb = Workbook()
    wb.active.append(["用户名", "姓名"])
    out = BytesIO()
    wb.save(out)
    assert assert_problem(_upload(client, admin, out.getvalue()), 422)["code"] == "import-headers"
