"""Buildings 楼栋 and places 驻区单位/个体工商户 from Excel files: the templates, previews that check every row as
creating one does (the point within the grid), applying all or nothing, the same file twice creating nothing the
second time, and grids outside the administrator's area refused row by row."""

from __future__ import annotations

from sqlalchemy import func, select

from conftest import assert_problem
from support.imports import template_rows, upload, xlsx
from support.world import grid_point
from wangge.hierarchy.models import Building, Place

BUILDINGS = "/api/v1/buildings/import"
PLACES = "/api/v1/places/import"
B_HEADER = ["网格编码", "楼栋名称", "层数", "户数", "楼栋长", "楼栋长电话", "经度", "纬度"]
P_HEADER = ["网格编码", "类别", "名称", "地址", "经度", "纬度"]


def _count(live, model) -> int:
    with live.session() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_the_templates_have_the_chinese_headers_and_an_example(world, client):
    admin = world.headers("administrator")
    buildings = template_rows(client, f"{BUILDINGS}/template.xlsx", admin)
    places = template_rows(client, f"{PLACES}/template.xlsx", admin)
    assert list(buildings[0]) == B_HEADER and buildings[1][1] == "1栋"
    assert list(places[0]) == P_HEADER and places[1][1] == "驻区单位"
    assert_problem(client.get(f"{BUILDINGS}/template.xlsx", headers=world.headers("station_chief")), 403)


def test_buildings_are_checked_row_by_row_and_applied_all_or_nothing_once(world, client, live):
    admin = world.headers("administrator")  # street S1
    g1a, g2 = world.codes["G1a"], world.codes["G2"]
    lon, lat = grid_point("G1a")
    good = [[g1a, "导入1栋", 6, 48, "王楼长", "13700000031", lon, lat],
            [g2, "导入2栋", "", "", "", "", "", ""],
            [g1a, "G1a-1栋", "", 40, "楼长", "13812345678", "", ""]]  # already there, as the file says # fmt: skip
    far_lon, far_lat = grid_point("G2")
    bad = [[g1a, "", 0, -1, "", "12ab", lon, ""],  # everything wrong
           [g1a, "导入3栋", "", "", "", "", far_lon, far_lat],  # a point in another grid
           [world.codes["G4"], "外区楼", "", "", "", "", "", ""],  # another district
           [g1a, "导入1栋", "", "", "", "", "", ""],  # twice in the file
           [g1a, "G1a-1栋", 9, 40, "楼长", "13812345678", "", ""]]  # there, but different # fmt: skip
    before = _count(live, Building)
    report = upload(client, BUILDINGS, admin, xlsx(B_HEADER, *good, *bad)).json()
    assert (report["new"], report["same"], report["error"]) == (2, 1, 5), report
    codes = {row["row"]: {p["code"] for p in row["problems"]} for row in report["rows"]}
    assert codes[5] >= {"name-required", "floors-invalid", "households-invalid", "head_phone-invalid"}
    assert codes[6] == {"point-outside"} and codes[7] == {"grid-outside"} and codes[8] == {"row-repeated"}
    assert codes[9] == {"exists-different", "row-repeated"}  # and it repeats row 4
    assert report["rows"][0]["cells"]["head_phone"] == "137****0031"
    assert assert_problem(upload(client, BUILDINGS, admin, xlsx(B_HEADER, *good, *bad), apply=True), 422)["code"] == (
        "import-rejected"
    )
    assert _count(live, Building) == before

    applied = upload(client, BUILDINGS, admin, xlsx(B_HEADER, *good), apply=True).json()
    assert (applied["created"], applied["same"]) == (2, 1)
    with live.session() as s:
        b = s.execute(select(Building).where(Building.name == "导入1栋")).scalar_one()
        assert (b.grid_id, b.floors, b.households, b.head_phone) == (world.ids["G1a"], 6, 48, "13700000031")
        assert b.geom is not None
    again = upload(client, BUILDINGS, admin, xlsx(B_HEADER, *good), apply=True).json()
    assert (again["created"], again["same"]) == (0, 3)
    assert _count(live, Building) == before + 2
    listed = client.get(f"/api/v1/grids/{world.ids['G1a']}/buildings", headers=admin).json()["items"]
    assert round(next(x for x in listed if x["name"] == "导入1栋")["lon"], 6) == round(lon, 6)


def test_places_are_checked_and_applied_once(world, client, live):
    admin = world.headers("administrator")
    g1b = world.codes["G1b"]
    lon, lat = grid_point("G1b")
    good = [[g1b, "驻区单位", "导入小学", "人民路1号", lon, lat], [g1b, "个体工商户", "导入小吃店", "", "", ""]]
    bad = [[g1b, "工厂", "", "", lon, ""], [world.codes["G4"], "驻区单位", "外区单位", "", "", ""]]
    before = _count(live, Place)
    report = upload(client, PLACES, admin, xlsx(P_HEADER, *good, *bad)).json()
    codes = {row["row"]: {p["code"] for p in row["problems"]} for row in report["rows"]}
    assert (report["new"], report["error"]) == (2, 2)
    assert codes[4] >= {"category-invalid", "name-required"} and codes[5] == {"grid-outside"}
    assert _count(live, Place) == before
    assert upload(client, PLACES, admin, xlsx(P_HEADER, *good), apply=True).json()["created"] == 2
    assert upload(client, PLACES, admin, xlsx(P_HEADER, *good), apply=True).json()["same"] == 2
    with live.session() as s:
        school = s.execute(select(Place).where(Place.name == "导入小学")).scalar_one()
        assert (school.category, school.address, school.grid_id) == ("institution", "人民路1号", world.ids["G1b"])
    assert _count(live, Place) == before + 2
    assert assert_problem(upload(client, PLACES, admin, b"\x00\x01"), 422)["code"] == "not-xlsx"
    assert_problem(upload(client, PLACES, world.headers("station_chief"), xlsx(P_HEADER, *good)), 403)


def test_rows_keep_their_spreadsheet_numbers_and_odd_cells_are_wrong_rows(world, client):
    admin = world.headers("administrator")
    g1a = world.codes["G1a"]
    rows = [[g1a, "奇怪1", "", "", "", "", "nan", "inf"],
            [None] * 8,  # an empty line in the middle of the list
            [g1a, "奇怪2", "1e400", "x", "", "", "181", "28.1"],
            [g1a, "奇怪3", 3.5, 10, "", "", "", "", "多出的列", "也不读"]]  # fmt: skip
    r = upload(client, BUILDINGS, admin, xlsx(B_HEADER, *rows))
    assert r.status_code == 200, r.text
    codes = {row["row"]: {p["code"] for p in row["problems"]} for row in r.json()["rows"]}
    assert set(codes) == {2, 4, 5}  # the spreadsheet's own numbers, the empty line skipped
    assert codes[2] >= {"lon-invalid", "lat-invalid"} and codes[4] >= {"floors-invalid", "households-invalid"}
    assert "lon-invalid" in codes[4] and codes[5] == {"floors-invalid"}
