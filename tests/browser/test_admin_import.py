"""Excel导入 in Chromium (1280×800): a street's administrator uploads a users' list with a wrong row — the preview
shows each row's check, nothing can be imported — then the corrected file: 确认导入 creates the two users, who are in
the table, and the same file again would create nobody."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from playwright.sync_api import expect

from browser.conftest import DESK, signed_in


def _xlsx(path, *rows):
    wb = Workbook()
    wb.active.append(["用户名", "姓名", "电话", "角色", "所属编码", "初始密码"])
    for r in rows:
        wb.active.append(r)
    out = BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())
    return str(path)


def test_an_administrator_imports_users_from_excel(world, browser, app_server, tmp_path):
    base = app_server.base_url
    g1b = world.codes["G1b"]
    good = [["xls_leader", "表格网格长", "13700000011", "网格长", g1b, "first-pass-1"],
            ["xls_member", "表格网格员", "", "网格员", g1b, "first-pass-2"]]  # fmt: skip
    bad = ["xls_bad", "", "", "队长", g1b, "first-pass-3"]
    page = signed_in(browser, base, "administrator", DESK, "/admin/users")
    page.get_by_test_id("user-import-open").click()
    panel = page.get_by_test_id("user-import")
    panel.get_by_test_id("import-file").set_input_files(_xlsx(tmp_path / "bad.xlsx", *good, bad))
    expect(panel.get_by_test_id("import-summary")).to_contain_text("新建 2 人，已存在 0 人，有误 1 行")
    wrong = panel.locator('[data-testid="import-row"][data-status="error"]')
    expect(wrong).to_contain_text("请填写姓名")
    expect(wrong).to_contain_text("角色不认识")
    expect(panel.get_by_test_id("import-apply")).to_be_disabled()

    panel.get_by_test_id("import-file").set_input_files(_xlsx(tmp_path / "good.xlsx", *good))
    expect(panel.get_by_test_id("import-summary")).to_contain_text("新建 2 人")
    panel.get_by_test_id("import-apply").click()
    expect(panel.get_by_test_id("import-done")).to_contain_text("已导入 2 人")
    expect(panel.get_by_test_id("import-apply")).to_be_disabled()
    panel.get_by_test_id("import-close").click()
    expect(panel).to_be_hidden()
    page.get_by_test_id("users-search").fill("xls_")
    expect(page.get_by_test_id("user-row")).to_have_count(2)
    expect(page.locator('[data-testid="user-row"][data-username="xls_leader"]')).to_contain_text("待改密码")
    page.get_by_test_id("user-import-open").click()
    panel.get_by_test_id("import-file").set_input_files(_xlsx(tmp_path / "again.xlsx", *good))
    expect(panel.get_by_test_id("import-summary")).to_contain_text("新建 0 人，已存在 2 人，有误 0 行")
    expect(panel.get_by_test_id("import-apply")).to_be_disabled()
    page.context.close()
