"""Excel导入 of special-group residents in Chromium: at 1280×800 the station chief uploads a list with a wrong row —
the preview names the problem and nothing can be imported — then the corrected list: 确认导入 registers the two
residents, listed on the page with their phones masked in the preview. At 360×740 the same panel is usable: the
template button, the file chooser and the preview's rows fit the screen, and buttons of the other lists open
theirs (网格团队, 楼栋与单位)."""

from __future__ import annotations

from playwright.sync_api import expect

from browser.conftest import DESK, PHONE, signed_in
from support.imports import xlsx

HEADER = ["网格编码", "类别", "姓名", "电话", "身份证号", "住址", "楼栋", "走访周期（天）", "备注"]


def _file(tmp_path, name, *rows):
    path = tmp_path / name
    path.write_bytes(xlsx(HEADER, *rows))
    return str(path)


def test_a_chief_imports_residents_from_excel(world, browser, app_server, tmp_path):
    g1a = world.codes["G1a"]
    good = [[g1a, "独居老人", "表格王奶奶", "13700000051", "430111194501015677", "5栋101", "", "", ""],
            [g1a, "残疾人", "表格张叔", "", "", "5栋102", "", 14, ""]]  # fmt: skip
    bad = [g1a, "外星人", "表格错行", "", "", "", "", "", ""]
    page = signed_in(browser, app_server.base_url, "station_chief", DESK, "/admin/residents")
    page.get_by_test_id("residents-grid").select_option(str(world.ids["G1a"]))
    page.get_by_test_id("residents-import-open").click()
    panel = page.get_by_test_id("residents-import")
    panel.get_by_test_id("import-file").set_input_files(_file(tmp_path, "bad.xlsx", *good, bad))
    expect(panel.get_by_test_id("import-summary")).to_contain_text("新建 2 人，已存在 0 人，有误 1 行")
    wrong = panel.locator('[data-testid="import-row"][data-status="error"]')
    expect(wrong).to_contain_text("类别不认识")
    expect(wrong).to_contain_text("表格错行")
    expect(panel.get_by_test_id("import-apply")).to_be_disabled()
    new = panel.locator('[data-testid="import-row"][data-row="2"]')
    expect(new).to_contain_text("430***********5677")  # the preview masks identity numbers
    expect(new).not_to_contain_text("430111194501015677")

    panel.get_by_test_id("import-file").set_input_files(_file(tmp_path, "good.xlsx", *good))
    expect(panel.get_by_test_id("import-summary")).to_contain_text("新建 2 人，已存在 0 人，有误 0 行")
    panel.get_by_test_id("import-apply").click()
    expect(panel.get_by_test_id("import-done")).to_contain_text("已导入 2 人")
    expect(panel.get_by_test_id("import-apply")).to_be_disabled()
    panel.get_by_test_id("import-close").click()
    expect(panel).to_be_hidden()
    expect(page.locator('[data-testid="resident-row"][data-name="表格王奶奶"]')).to_contain_text("5栋101")
    expect(page.locator('[data-testid="resident-row"][data-name="表格张叔"]')).to_contain_text("每 14 天")

    page.get_by_test_id("residents-import-open").click()  # the same file again: nobody twice
    panel.get_by_test_id("import-file").set_input_files(_file(tmp_path, "again.xlsx", *good))
    expect(panel.get_by_test_id("import-summary")).to_contain_text("新建 0 人，已存在 2 人，有误 0 行")
    expect(panel.get_by_test_id("import-apply")).to_be_disabled()
    page.context.close()


def test_the_import_panels_are_usable_on_a_phone(world, browser, app_server, tmp_path):
    page = signed_in(browser, app_server.base_url, "station_chief", PHONE, "/admin/residents")
    page.get_by_test_id("residents-import-open").click()
    panel = page.get_by_test_id("residents-import")
    for testid in ("import-template", "import-file", "import-close"):  # whole on the screen once the panel is in
        expect(panel.get_by_test_id(testid)).to_be_in_viewport(ratio=1)
    rows = [[world.codes["G1b"], "空巢老人", "手机导入", "", "", "", "", "", ""],
            [world.codes["G1b"], "", "", "", "", "", "", "", ""]]  # fmt: skip
    panel.get_by_test_id("import-file").set_input_files(_file(tmp_path, "phone.xlsx", *rows))
    wrong = panel.locator('[data-testid="import-row"][data-status="error"]')
    expect(wrong).to_contain_text("请填写姓名")
    box = wrong.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"] + 1  # the table folds into cards
    page.get_by_test_id("import-close").click()

    page.goto(app_server.base_url + "/admin/people")
    page.get_by_test_id("team-import-open").click()
    expect(page.get_by_test_id("team-import")).to_contain_text("从 Excel 导入网格团队成员")
    page.get_by_test_id("import-close").click()
    page.context.close()

    admin = signed_in(browser, app_server.base_url, "administrator", PHONE, "/admin/registers")
    admin.get_by_test_id("buildings-import-open").click()
    expect(admin.get_by_test_id("buildings-import")).to_contain_text("从 Excel 导入楼栋")
    admin.context.close()
