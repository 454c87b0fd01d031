"""The desk's table of matters (GET /matters/table) and its Excel export: each filter, the search, every sort paged
by keyset with no row skipped or repeated where rows share the sorted value, the count that stops at its cap, the
scope that no filter widens, the XLSX's headers, rows and masked phones, and 422 (never 500) for what is malformed."""

from __future__ import annotations

import io
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from conftest import assert_problem
from matters.test_lists import statements
from wangge.matters import desk
from wangge.matters.models import Cooperator, Matter
from wangge.models_common import utcnow

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
PLACES = {
    "G1a": ("C1", "S1", "D1"),
    "G1b": ("C1", "S1", "D1"),
    "G2": ("C2", "S1", "D1"),
    "G3": ("C3", "S2", "D1"),
}


_codes = itertools.count(1)


def _add(live, world, rows: list[dict[str, Any]]) -> list[int]:
    """Matters written straight into the database: each row names its grid, and may set any column."""
    ids = []
    with live.session() as s:
        for n, row in enumerate(rows):
            row = dict(row)
            grid = row.pop("grid", "G1a")
            community, street, district = PLACES[grid]
            category = row.pop("category", "sanitation")
            values = {
                "tracking_code": f"WGT{next(_codes):06d}",
                "description": f"问题描述 {n}",
                "source": "resident",
                "status": "submitted",
                "holder_level": "grid",
                "created_at": T0,
                "reporter_phone": "13812345678",
                "version": 1,
                "reopen_count": 0,
                **row,
            }
            m = Matter(
                category_id=world.categories[category],
                grid_id=world.ids[grid],
                community_id=world.ids[community],
                street_id=world.ids[street],
                district_id=world.ids[district],
                **values,
            )
            s.add(m)
            s.flush()
            ids.append(m.id)
        s.commit()
    return ids


def _table(client, world, who: str = "station_chief", expect: int = 200, **params: Any) -> dict[str, Any]:
    r = client.get("/api/v1/matters/table", params=params, headers=world.headers(who))
    assert r.status_code == expect, r.text
    return r.json()


def _ids(client, world, who: str = "station_chief", **params: Any) -> list[int]:
    return [i["id"] for i in _table(client, world, who, limit=200, **params)["items"]]


def _all_pages(client, world, who: str = "station_chief", **params: Any) -> list[int]:
    seen: list[int] = []
    after = None
    for _ in range(100):
        page = _table(client, world, who, **params, **({"after": after} if after else {}))
        seen += [i["id"] for i in page["items"]]
        after = page["next_after"]
        if after is None:
            return seen
    raise AssertionError("the pages never ended")


def test_each_filter_narrows_the_list_to_its_rows(world, client, live):
    now = utcnow()
    ids = _add(
        live,
        world,
        [
            {"grid": "G1a", "category": "sanitation", "source": "resident", "created_at": T0},
            {"grid": "G1b", "category": "fire_safety", "source": "hotline", "created_at": T0 + timedelta(days=1)},
            {
                "grid": "G1a",
                "category": "fire_safety",
                "source": "field",
                "status": "accepted",
                "due_at": now - timedelta(hours=2),
                "created_at": T0 + timedelta(days=2),
            },
            {
                "grid": "G1b",
                "status": "closed",
                "due_at": now - timedelta(hours=2),
                "closed_at": now,
                "created_at": T0 + timedelta(days=3),
                "address": "幸福路12号",
            },
            {"grid": "G1a", "description": "楼道堆放杂物", "created_at": T0 + timedelta(days=4)},
        ],
    )
    a, b, c, d, e = ids
    assert sorted(_ids(client, world)) == ids
    assert sorted(_ids(client, world, status="closed")) == [d]
    assert sorted(_ids(client, world, status=["submitted", "accepted"])) == [a, b, c, e]
    assert sorted(_ids(client, world, category_id=world.categories["fire_safety"])) == [b, c]
    assert sorted(_ids(client, world, grid_id=world.ids["G1b"])) == [b, d]
    assert sorted(_ids(client, world, community_id=world.ids["C1"])) == ids
    assert sorted(_ids(client, world, source=["hotline", "field"])) == [b, c]
    assert _ids(client, world, overdue="true") == [c]  # d is past its deadline too, but closed
    assert sorted(_ids(client, world, overdue="false")) == [a, b, d, e]
    # Days are Beijing days: T0 is 10:00 on 2 November there.
    assert sorted(_ids(client, world, created_from="2026-11-03", created_to="2026-11-04")) == [b, c]
    assert sorted(_ids(client, world, created_from="2026-11-05")) == [d, e]
    assert sorted(_ids(client, world, created_to="2026-11-02")) == [a]
    # Filters combine.
    assert _ids(client, world, category_id=world.categories["fire_safety"], grid_id=world.ids["G1a"]) == [c]
    page = _table(client, world, status="closed")
    assert page["total"] == 1 and page["total_exact"] is True and page["items"][0]["closed_at"]


def test_search_by_tracking_code_its_start_the_description_and_the_address(world, client, live):
    ids = _add(
        live,
        world,
        [
            {"description": "路灯不亮", "address": "幸福路12号"},
            {"description": "井盖缺失 100%_", "address": None},
            {"description": "其他"},
        ],
    )
    with live.session() as s:
        codes = dict(s.execute(select(Matter.id, Matter.tracking_code).where(Matter.id.in_(ids))).all())
    assert _ids(client, world, q=codes[ids[2]]) == [ids[2]]
    assert _ids(client, world, q=codes[ids[2]].lower()) == [ids[2]]  # codes are read case-insensitively
    assert sorted(_ids(client, world, q="WGT")) == ids  # the start of a code
    assert _ids(client, world, q="路灯") == [ids[0]]
    assert _ids(client, world, q="幸福路") == [ids[0]]
    assert _ids(client, world, q="100%_") == [ids[1]]  # LIKE's wildcards are searched for, not obeyed
    assert _ids(client, world, q="%") == [ids[1]]
    assert _ids(client, world, q="没有这样的") == []


def _expected(rows: list[dict[str, Any]], sort: str) -> list[int]:
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    if name == "created":
        return [r["id"] for r in sorted(rows, key=lambda r: (r["created_at"], r["id"]), reverse=descending)]
    if name == "status":
        return [
            r["id"] for r in sorted(rows, key=lambda r: (desk.STATUS_ORDER[r["status"]], r["id"]), reverse=descending)
        ]
    finished = [r for r in rows if r["status"] in ("resolved", "closed", "merged")]
    open_ = [r for r in rows if r not in finished]
    far = datetime(9999, 12, 31, tzinfo=UTC)

    def due(r: dict[str, Any]) -> datetime:
        return r["deadlines"]["due_at"] and datetime.fromisoformat(r["deadlines"]["due_at"]) or far

    # Ties newest first when ascending (as the open-deadline indexes hold them), oldest first when descending.
    by_due = sorted(sorted(open_, key=lambda r: r["id"], reverse=not descending), key=due, reverse=descending)
    return [r["id"] for r in by_due] + [
        r["id"] for r in sorted(finished, key=lambda r: r["id"], reverse=not descending)
    ]


@pytest.mark.parametrize("sort", desk.SORTS)
def test_every_sort_pages_through_every_row_once_when_rows_share_the_sorted_value(world, client, live, sort):
    now = utcnow().replace(microsecond=0)
    rows = []
    for n in range(14):
        row: dict[str, Any] = {"created_at": T0 + timedelta(hours=n // 4)}  # groups of four share a time
        if n % 5 == 0:
            row |= {"status": "closed", "closed_at": now}
        elif n % 5 == 1:
            row |= {"status": "accepted"}  # open, no deadline
        else:
            row |= {"status": "handling", "holder_level": "street", "due_at": now + timedelta(hours=n % 3)}
        row["grid"] = "G1a" if n % 2 else "G1b"
        rows.append(row)
    ids = _add(live, world, rows)
    listed = _table(client, world, sort=sort, limit=200)["items"]
    assert sorted(i["id"] for i in listed) == ids
    assert [i["id"] for i in listed] == _expected(listed, sort)
    for size in (1, 3, 4):
        assert _all_pages(client, world, sort=sort, limit=size) == [i["id"] for i in listed], size
    # A filter holds across pages too; with open statuses only, a sort by deadline drops its finished-last key.
    in_g1a = [i["id"] for i in listed if i["grid"]["id"] == world.ids["G1a"]]
    assert _all_pages(client, world, sort=sort, limit=2, grid_id=world.ids["G1a"]) == in_g1a
    open_ = [i["id"] for i in listed if i["status"] != "closed"]
    assert _all_pages(client, world, sort=sort, limit=3, status=["accepted", "handling"]) == open_


def test_a_chief_sees_nothing_of_another_community_through_any_filter_or_the_export(world, client, live):
    mine, theirs, far = _add(live, world, [{"grid": "G1a"}, {"grid": "G2"}, {"grid": "G3"}])
    with live.session() as s:
        code = s.execute(select(Matter.tracking_code).where(Matter.id == theirs)).scalar_one()
    assert _ids(client, world) == [mine]
    assert _ids(client, world, community_id=world.ids["C2"]) == []
    assert _ids(client, world, grid_id=world.ids["G2"]) == []
    assert _ids(client, world, q=code) == []
    assert _ids(client, world, status=["submitted"], source=["resident"]) == [mine]
    r = client.get(
        "/api/v1/matters/export.xlsx", params={"community_id": world.ids["C2"]}, headers=world.headers("station_chief")
    )
    assert r.status_code == 200 and r.headers["x-export-rows"] == "0"
    assert len(list(load_workbook(io.BytesIO(r.content))["事项"].iter_rows())) == 1  # the headers only
    # The street officer sees both of the street's communities, not the other street's; a system administrator all.
    assert sorted(_ids(client, world, "street_officer")) == [mine, theirs]
    assert sorted(_ids(client, world, "system_admin")) == [mine, theirs, far]
    # A grid leader the grid's; the box narrows further, never wider.
    assert _ids(client, world, "grid_leader") == [mine]
    assert _ids(client, world, "grid_leader", box="mine") == []
    assert _table(client, world, "resident", expect=403)
    # What a chief owns in another community is theirs to read (policy.readable): listed, and only that one.
    owned = _add(live, world, [{"grid": "G3", "owner_id": world.users["station_chief"]}])[0]
    assert sorted(_ids(client, world)) == [mine, owned]
    assert _ids(client, world, q="问题描述") == [owned, mine]
    assert _ids(client, world, community_id=world.ids["C3"]) == [owned]


def test_a_department_sees_what_it_co_operates_on_in_its_cooperating_box(world, client, live):
    """协办: the matters a department was convened to, as the inbox's box says; nobody else has any."""
    convened, other = _add(
        live,
        world,
        [{"status": "at_station", "holder_level": "station"}, {"status": "at_station", "holder_level": "station"}],
    )
    with live.session() as s:
        s.add(Cooperator(matter_id=convened, department_id=world.ids["DS1"], added_at=T0))
        s.commit()
    assert _ids(client, world, "department_officer", box="cooperating") == [convened]
    assert _ids(client, world, "dept_dd1", box="cooperating") == []
    assert _ids(client, world, "station_chief", box="cooperating") == []
    assert other in _ids(client, world, "station_chief")


def test_the_count_stops_at_its_cap(world, client, live, monkeypatch):
    _add(live, world, [{} for _ in range(5)])
    monkeypatch.setattr(desk, "COUNT_CAP", 3)
    page = _table(client, world, limit=2)
    assert (page["total"], page["total_exact"], len(page["items"])) == (3, False, 2)
    monkeypatch.setattr(desk, "COUNT_CAP", 5)
    assert (_table(client, world)["total"], _table(client, world)["total_exact"]) == (5, True)


def test_a_page_asks_the_same_questions_for_two_rows_as_for_twelve(world, client, live):
    _add(live, world, [{"status": "handling", "holder_level": "street"}, {"grid": "G1b"}])

    def asked() -> tuple[int, int]:
        with statements(live) as seen:
            page = _table(client, world)
        return len(page["items"]), len(seen)

    few, asked_for_few = asked()
    _add(live, world, [{"grid": "G1b", "owner_id": world.users["grid_leader"]} for _ in range(10)])
    many, asked_for_many = asked()
    assert (few, many) == (2, 12)
    assert asked_for_many == asked_for_few


def test_the_export_holds_the_filtered_rows_with_chinese_headers_and_masked_phones(world, client, live, monkeypatch):
    ids = _add(
        live,
        world,
        [{"category": "fire_safety", "created_at": T0 + timedelta(hours=n), "address": "幸福路"} for n in range(3)]
        + [{"category": "sanitation"}],
    )
    params = {"category_id": world.categories["fire_safety"], "sort": "created"}
    listed = _table(client, world, limit=200, **params)["items"]
    assert [i["id"] for i in listed] == ids[:3]
    assert all(i["reporter_phone"] == "138****5678" for i in listed)
    r = client.get("/api/v1/matters/export.xlsx", params=params, headers=world.headers("station_chief"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert r.headers["x-export-capped"] == "false" and r.headers["x-export-rows"] == "3"
    book = load_workbook(io.BytesIO(r.content), read_only=True)
    rows = [list(row) for row in book["事项"].iter_rows(values_only=True)]
    assert rows[0] == desk.EXPORT_COLUMNS
    assert [row[0] for row in rows[1:]] == [i["tracking_code"] for i in listed]
    assert {row[1] for row in rows[1:]} == {listed[0]["category"]["name"]}
    assert {row[2] for row in rows[1:]} == {"待受理"} and {row[5] for row in rows[1:]} == {"幸福路"}
    assert {row[10] for row in rows[1:]} == {"138****5678"}
    cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row]
    assert not any("13812345678" in v for v in cells)  # not anywhere in the file
    about = dict(row for row in book["说明"].iter_rows(values_only=True))
    assert about["导出条数"] == "3" and "提示" not in about
    # Past the cap the file says so, in its headers and on its 说明 sheet.
    monkeypatch.setattr(desk, "EXPORT_CAP", 2)
    r = client.get("/api/v1/matters/export.xlsx", params=params, headers=world.headers("station_chief"))
    assert r.headers["x-export-capped"] == "true" and r.headers["x-export-rows"] == "2"
    book = load_workbook(io.BytesIO(r.content), read_only=True)
    assert len(list(book["事项"].iter_rows())) == 3
    assert "仅导出前 2 条" in dict(row for row in book["说明"].iter_rows(values_only=True))["提示"]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "open"},
        {"status": "bogus"},
        {"category_id": "0"},
        {"category_id": "abc"},
        {"grid_id": str(2**40)},
        {"source": "patrol_robot"},
        {"overdue": "maybe"},
        {"created_from": "2026-13-01"},
        {"created_from": "0001-01-01"},
        {"created_from": "2026-11-05", "created_to": "2026-11-01"},
        {"sort": "name"},
        {"limit": "0"},
        {"limit": "201"},
        {"q": ""},
        {"q": "x" * 101},
        {"after": "not-a-cursor!"},
        {"after": "W10"},  # "[]" in base64
        {"after": desk.encode_cursor("-created", ["yesterday", 3])},
        {"after": desk.encode_cursor("-created", ["2026-11-01T00:00:00+00:00", 2**40])},
        {"after": desk.encode_cursor("due", [0, "2026-11-01T00:00:00+00:00", 3]), "sort": "-created"},
        {"after": desk.encode_cursor("status", ["1", 3]), "sort": "status"},
    ],
)
def test_malformed_filters_are_a_422_problem(world, client, params):
    for path in ("/api/v1/matters/table", "/api/v1/matters/export.xlsx"):
        if ("after" in params or "limit" in params) and path.endswith("xlsx"):
            continue  # the file has no pages
        r = client.get(path, params=params, headers=world.headers("station_chief"))
        assert_problem(r, 422)


def test_the_export_says_what_the_table_says():
    """The Excel file's statuses and sources are the app's own Chinese words (matters.statuses, matters.sources)."""
    import re
    from pathlib import Path

    from wangge.matters.desk import SOURCE_ZH, STATUS_ZH

    text = (Path(__file__).resolve().parents[2] / "frontend" / "src" / "i18n" / "zh-CN.ts").read_text()

    def words(block: str) -> dict[str, str]:
        body = re.search(rf"^\s+{block}: \{{(.*?)\}}", text, re.M | re.S)
        assert body, block
        return dict(re.findall(r"(\w+): '([^']*)'", body.group(1)))

    assert words("statuses") == STATUS_ZH
    assert words("sources") == SOURCE_ZH
