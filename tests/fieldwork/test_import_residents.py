"""Special-group residents 特殊人群 from an Excel file: the template, a preview that checks every row as registering
one does, applying all or nothing, the same file twice adding nobody the second time, grids outside the caller's
scope refused row by row, and identity numbers stored and masked exactly as registering one does."""

from __future__ import annotations

import asyncio
import gc
from io import BytesIO

import pytest
from fastapi import UploadFile
from sqlalchemy import func, select

from conftest import assert_problem
from support.imports import template_rows, upload, xlsx
from wangge import imports
from wangge.audit.models import AuditEntry
from wangge.errors import Invalid
from wangge.fieldwork.models import SpecialResident
from wangge.registries import personal

API = "/api/v1/special-residents/import"
HEADER = ["网格编码", "类别", "姓名", "电话", "身份证号", "住址", "楼栋", "走访周期（天）", "备注"]


def _count(live) -> int:
    with live.session() as s:
        return s.execute(select(func.count()).select_from(SpecialResident)).scalar_one()


def test_the_template_has_the_chinese_headers_and_an_example(world, client):
    rows = template_rows(client, f"{API}/template.xlsx", world.headers("station_chief"))
    assert list(rows[0]) == HEADER and rows[1][1] == "独居老人" and len(rows[1][0]) == 15
    assert_problem(client.get(f"{API}/template.xlsx", headers=world.headers("street_officer")), 403)


def test_a_file_is_checked_row_by_row_and_applied_all_or_nothing_once(world, client, live):
    chief = world.headers("station_chief")  # C1: grids G1a and G1b
    g1a, g1b = world.codes["G1a"], world.codes["G1b"]
    good = [[g1a, "独居老人", "导入老人甲", "13700000011", "430111194501011238", "一号楼101", "G1a-1栋", 10, "需助餐"],
            [g1b, "残疾人", "导入乙", "", "", "二号楼", "", "", ""],
            [g1b, "low_income", "导入丙", "13700000013", "43011119500101105x", "", "", "", ""]]  # fmt: skip
    bad = [[g1a, "外星人", "", "12ab", "123", "", "没有这栋", 0, ""],  # everything wrong
           [world.codes["G2"], "独居老人", "别社区的人", "", "", "", "", "", ""],  # C2: not the chief's community
           ["430111001001999", "独居老人", "没有的网格", "", "", "", "", "", ""],
           [g1a, "独居老人", "导入老人甲", "", "430111194501011238", "", "", "", ""]]  # twice # fmt: skip
    before = _count(live)
    r = upload(client, API, chief, xlsx(HEADER, *good, *bad))
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["new"], report["same"], report["error"], report["applied"]) == (3, 0, 4, False)
    codes = {row["row"]: {p["code"] for p in row["problems"]} for row in report["rows"]}
    assert codes[5] >= {"group-unknown", "building-unknown", "name-required", "phone-invalid", "id_number-invalid"}
    assert "visit_every_days-invalid" in codes[5]
    assert codes[6] == {"grid-outside"} and codes[7] == {"grid-unknown"} and codes[8] == {"row-repeated"}
    shown = report["rows"][0]["cells"]
    assert shown["id_number"] == "430***********1238" and shown["phone"] == "137****0011"  # never echoed whole
    problem = assert_problem(upload(client, API, chief, xlsx(HEADER, *good, *bad), apply=True), 422)
    assert problem["code"] == "import-rejected" and len(problem["report"]) == 7
    assert _count(live) == before  # nothing half-written

    applied = upload(client, API, chief, xlsx(HEADER, *good), apply=True).json()
    assert (applied["created"], applied["new"], applied["applied"]) == (3, 3, True)
    assert _count(live) == before + 3
    again = upload(client, API, chief, xlsx(HEADER, *good), apply=True).json()
    assert (again["created"], again["same"], again["new"], again["error"]) == (0, 3, 0, 0)
    assert _count(live) == before + 3

    # Stored as registering one stores them; read back masked for whoever may not read personal data.
    with live.session() as s:
        elder = s.execute(select(SpecialResident).where(SpecialResident.name == "导入老人甲")).scalar_one()
        number = personal.decrypt(live.settings, elder.id_number_enc, field="id_number")
        assert (number, elder.phone, elder.visit_every_days) == ("430111194501011238", "13700000011", 10)
        assert elder.id_number_hash == personal.search_hash(live.settings, "430111194501011238")
        third = s.execute(select(SpecialResident).where(SpecialResident.name == "导入丙")).scalar_one()
        assert personal.decrypt(live.settings, third.id_number_enc, field="id_number") == "43011119500101105X"
        assert elder.building_id == world.ids["B_G1a"] and elder.grid_id == world.ids["G1a"]
        entry = s.execute(
            select(AuditEntry).where(AuditEntry.entity == "special_resident", AuditEntry.entity_id == str(elder.id))
        ).scalar_one()
        assert entry.changes["id_number_enc"] == [None, "（已修改）"] and entry.changes["phone"][1] == "137****0011"
        assert "194501011238" not in str(entry.changes)
        assert entry.community_id == world.ids["C1"]
    masked = client.get(
        "/api/v1/special-residents", params={"grid_id": world.ids["G1a"]}, headers=world.headers("street_officer")
    ).json()
    assert next(x for x in masked if x["name"] == "导入老人甲")["id_number"] == "430***********1238"


def test_a_grid_leader_imports_into_their_own_grid_only(world, client, live):
    leader = world.headers("grid_leader")  # G1a
    rows = [[world.codes["G1a"], "空巢老人", "导入丁", "", "", "", "", "", ""],
            [world.codes["G1b"], "空巢老人", "导入戊", "", "", "", "", "", ""]]  # fmt: skip
    report = upload(client, API, leader, xlsx(HEADER, *rows)).json()
    assert [row["status"] for row in report["rows"]] == ["new", "error"]
    assert report["rows"][1]["problems"] == [{"field": "grid_code", "code": "grid-outside"}]
    assert_problem(upload(client, API, world.headers("street_officer"), xlsx(HEADER, *rows)), 403)


def test_a_file_that_is_not_a_workbook_lacks_columns_or_is_too_large_is_refused(world, client):
    chief = world.headers("station_chief")
    assert assert_problem(upload(client, API, chief, b"not a spreadsheet"), 422)["code"] == "not-xlsx"
    assert assert_problem(upload(client, API, chief, b"PK\x03\x04garbage"), 422)["code"] == "not-xlsx"
    assert assert_problem(upload(client, API, chief, xlsx(["网格编码", "姓名"])), 422)["code"] == "import-headers"
    big = xlsx(HEADER, *([world.codes["G1a"], "独居老人", f"人{i}", "", "", "", "", "", ""] for i in range(5001)))
    assert assert_problem(upload(client, API, chief, big), 422)["code"] == "import-too-large"
    # Past the server's body limit (256 KB in tests, 10 MB in production): refused before the route, as a problem.
    huge = b"PK" + b"\0" * (300 * 1024)
    assert assert_problem(upload(client, API, chief, huge), 413)["code"] == "payload-too-large"


def test_an_upload_past_5_mb_is_refused_before_it_is_read():
    content = BytesIO(b"PK" + b"\0" * (5 * 1024 * 1024))
    with pytest.raises(Invalid) as refused:
        asyncio.run(imports.upload_bytes(UploadFile(content, filename="big.xlsx")))
    assert refused.value.code == "import-too-large"


def test_collection_is_paused_while_a_file_is_worked_on_and_resumes_even_after_a_refusal():
    assert gc.isenabled()
    with pytest.raises(Invalid), imports.bulk():
        assert not gc.isenabled()
        raise Invalid("a wrong file", code="import-rejected")
    assert gc.isenabled()
