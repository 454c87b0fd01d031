"""Grid teams 网格团队 from an Excel file: the template, a preview that checks every row as adding one member does,
applying all or nothing, the same file twice adding nobody the second time, and grids outside the caller's scope
refused row by row."""

from __future__ import annotations

from sqlalchemy import func, select

from conftest import assert_problem
from support.imports import template_rows, upload, xlsx
from wangge.fieldwork.models import TeamMember

API = "/api/v1/team-members/import"
HEADER = ["网格编码", "姓名", "电话", "用户名", "团队角色", "新八大员", "起始日期", "备注"]


def _count(live) -> int:
    with live.session() as s:
        return s.execute(select(func.count()).select_from(TeamMember)).scalar_one()


def test_the_template_has_the_chinese_headers_and_an_example(world, client):
    rows = template_rows(client, f"{API}/template.xlsx", world.headers("station_chief"))
    assert list(rows[0]) == HEADER and rows[1][4] == "楼长" and len(rows[1][0]) == 15
    assert_problem(client.get(f"{API}/template.xlsx", headers=world.headers("grid_leader")), 403)


def test_a_file_is_checked_row_by_row_and_applied_all_or_nothing_once(world, client, live):
    chief = world.headers("station_chief")  # C1: grids G1a and G1b
    g1a, g1b = world.codes["G1a"], world.codes["G1b"]
    good = [[g1a, "导入楼长", "13700000021", "", "楼长", "巡防队员、义务消防员", "2026-01-01", ""],
            [g1b, "grid_member的名字", "", "grid_member", "网格员", "", "2026-02-01", "有账号"],
            [g1b, "导入志愿者", "", "", "volunteer", "", "2026-03-01", ""]]  # fmt: skip
    bad = [[g1a, "", "12ab", "chief_c4", "队长", "飞行员", "明天", ""],  # everything wrong (an account elsewhere)
           [world.codes["C4"] + "001", "外区的人", "", "", "楼长", "", "2026-01-01", ""],  # not a grid of C1
           [world.codes["G2"], "别社区的人", "", "", "楼长", "", "2026-01-01", ""],  # C2: not the chief's
           [g1a, "导入楼长", "13700000021", "", "楼长", "", "2026-01-01", ""]]  # the same person twice # fmt: skip
    before = _count(live)
    report = upload(client, API, chief, xlsx(HEADER, *good, *bad)).json()
    assert (report["new"], report["same"], report["error"], report["applied"]) == (3, 0, 4, False), report
    codes = {row["row"]: {p["code"] for p in row["problems"]} for row in report["rows"]}
    assert codes[5] >= {"account-unknown", "name-required", "phone-invalid", "team_role-invalid"}
    assert codes[5] >= {"staff_types-invalid", "start_date-invalid"}
    assert codes[6] == {"grid-unknown"} and codes[7] == {"grid-outside"} and codes[8] == {"row-repeated"}
    assert report["rows"][0]["cells"]["phone"] == "137****0021"
    problem = assert_problem(upload(client, API, chief, xlsx(HEADER, *good, *bad), apply=True), 422)
    assert problem["code"] == "import-rejected"
    assert _count(live) == before

    applied = upload(client, API, chief, xlsx(HEADER, *good), apply=True).json()
    assert (applied["created"], applied["new"]) == (3, 3)
    with live.session() as s:
        member = s.execute(select(TeamMember).where(TeamMember.name == "导入楼长")).scalar_one()
        assert (member.team_role, member.staff_types, member.grid_id) == (
            "building_head",
            ["patrol_member", "volunteer_firefighter"],
            world.ids["G1a"],
        )
        linked = s.execute(select(TeamMember).where(TeamMember.note == "有账号")).scalar_one()
        assert linked.user_id == world.users["grid_member"]
    again = upload(client, API, chief, xlsx(HEADER, *good), apply=True).json()
    assert (again["created"], again["same"], again["error"]) == (0, 3, 0)
    assert _count(live) == before + 3
    changed = [[g1a, "导入楼长", "13700000021", "", "志愿者", "", "2026-01-01", ""]]
    row = upload(client, API, chief, xlsx(HEADER, *changed)).json()["rows"][0]
    assert row["problems"] == [{"field": "name", "code": "exists-different"}]  # an import adds, it does not change


def test_an_administrator_imports_within_their_area_only(world, client):
    admin = world.headers("administrator")  # street S1
    rows = [[world.codes["G2"], "导入甲", "", "", "楼长", "", "2026-01-01", ""],
            [world.codes["G4"], "导入乙", "", "", "楼长", "", "2026-01-01", ""]]  # fmt: skip
    report = upload(client, API, admin, xlsx(HEADER, *rows)).json()
    assert [r["status"] for r in report["rows"]] == ["new", "error"]
    assert report["rows"][1]["problems"] == [{"field": "grid_code", "code": "grid-outside"}]
    assert assert_problem(upload(client, API, admin, b"garbage"), 422)["code"] == "not-xlsx"
