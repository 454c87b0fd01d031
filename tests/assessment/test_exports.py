"""The ranking table and the dashboard as XLSX: opened with openpyxl, every cell checked against the JSON route with
the same parameters (Chinese headers, a rate as a % number followed by its numerator and denominator, the period,
the exporter and the time in the file); the same scope as the JSON routes."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from assessment.helpers import add_matter, bj
from conftest import assert_problem
from wangge.assessment.exports import INDICATOR_ZH, LEVEL_ZH

Q = {"period": "month", "at": "2026-03-15"}
GRADE = {"green": "绿", "yellow": "黄", "red": "红", None: None}


def _march(live, world) -> None:
    """Six matters in C1 (enough to be scored), two in C2, one in another street."""
    with live.session() as s:
        for i in range(4):
            add_matter(
                s,
                world,
                grid="G1a" if i % 2 else "G1b",
                created_at=bj(2026, 3, 2 + i),
                status="closed",
                outcome="done",
                resolved_at=bj(2026, 3, 3 + i),
                rating="satisfied" if i < 3 else "not_satisfied",
                rated_at=bj(2026, 3, 4 + i),
            )
        add_matter(s, world, grid="G1a", created_at=bj(2026, 3, 10), status="accepted", due_at=bj(2026, 3, 12))
        add_matter(s, world, grid="G1b", category="fire_safety", created_at=bj(2026, 3, 11), status="submitted")
        add_matter(
            s,
            world,
            grid="G2",
            created_at=bj(2026, 3, 12),
            status="resolved",
            outcome="done",
            resolved_at=bj(2026, 3, 13),
        )
        add_matter(s, world, grid="G2", created_at=bj(2026, 3, 20), source="hotline")
        add_matter(s, world, grid="G3", created_at=bj(2026, 3, 20))
        s.commit()


def _xlsx(client, path: str, params: dict[str, Any], headers: dict[str, str]):
    r = client.get(f"/api/v1/assessment/{path}.xlsx", params=params, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert r.headers["content-disposition"].startswith("attachment; filename=")
    return load_workbook(io.BytesIO(r.content))


def _header_at(rows: list[tuple], first: str) -> int:
    return next(i for i, r in enumerate(rows) if r and r[0] == first)


def _check_figures(row: dict[str, Any], figures: dict[str, Any]) -> int:
    """Every figure of the JSON in the row's cells; the number of cells checked."""
    checked = 0
    for key, value in figures.items():
        name = INDICATOR_ZH[key]
        if isinstance(value, dict) and {"num", "den"} <= value.keys():
            assert row[name] == value["value"], key
            assert (row[f"{name}·分子"], row[f"{name}·分母"]) == (value["num"], value["den"]), key
            checked += 3
        elif isinstance(value, dict) and "avg" in value:
            assert (row[f"{name}·件数"], row[f"{name}·平均"], row[f"{name}·P90"]) == (
                value["n"],
                value["avg"],
                value["p90"],
            )
            checked += 3
        elif isinstance(value, dict):
            for sub, n in value.items():
                assert row[f"{name}·{LEVEL_ZH.get(sub, sub)}"] == n, (key, sub)
                checked += 1
        else:
            assert row[name] == value, key
            checked += 1
    return checked


def test_the_table_xlsx_says_what_the_table_says(world, client, live):
    _march(live, world)
    h = world.headers("street_officer")
    params = {**Q, "level": "community", "parent_level": "street", "parent_id": world.ids["S1"]}
    table = client.get("/api/v1/assessment/table", params=params, headers=h).json()
    wb = _xlsx(client, "table", params, h)
    assert wb.sheetnames == ["考核排名"]
    ws = wb["考核排名"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "一街道 考核排名"
    info = {r[0]: r[1] for r in rows[1:6] if r and r[0]}
    assert info["统计期间"] == "2026年3月（2026-03-01 至 2026-03-31）"
    assert info["考核方案"] == "默认方案（三率 30/35/35）"
    assert info["导出人"] == "street_officer的名字"
    assert info["导出时间"][:4] == "2026"
    at = _header_at(rows, "排名")
    header = rows[at]
    body = [dict(zip(header, r, strict=True)) for r in rows[at + 1 :]]
    assert len(body) == len(table["rows"]) == 2
    checked = 0
    for cells, row in zip(body, table["rows"], strict=True):
        assert (cells["排名"], cells["单位"], cells["得分"], cells["等级"]) == (
            row["rank"],
            row["unit"]["name"],
            row["score"],
            GRADE[row["grade"]],
        )
        checked += _check_figures(cells, row["figures"])
    assert checked > 40
    c1 = next(r for r in table["rows"] if r["unit"]["name"] == "C1社区")
    assert c1["figures"]["received"] == 6 and c1["score"] is not None  # scored: the % columns hold real numbers
    # Rates are numbers shown as percentages.
    col = list(header).index("满意率") + 1
    line = at + 2 + [r["unit"]["name"] for r in table["rows"]].index("C1社区")
    cell = ws.cell(row=line, column=col)
    assert cell.number_format == "0.00%" and cell.value == c1["figures"]["satisfaction_rate"]["value"] == 0.75


def test_the_dashboard_xlsx_says_what_the_dashboard_says(world, client, live):
    _march(live, world)
    h = world.headers("station_chief")
    params = {**Q, "level": "community", "id": world.ids["C1"]}
    dash = client.get("/api/v1/assessment/dashboard", params=params, headers=h).json()
    wb = _xlsx(client, "dashboard", params, h)
    assert wb.sheetnames == ["概览", "趋势", "按类别", "按来源", "超期最久", "下级单位"]

    rows = list(wb["概览"].iter_rows(values_only=True))
    assert rows[0][0] == "C1社区 考核数据"
    info = {r[0]: r[1] for r in rows[1:12] if r and r[0]}
    assert info["单位层级"] == "社区" and info["导出人"] == "station_chief的名字"
    assert info["统计期间"].startswith("2026年3月") and info["得分"] == dash["figures"]["score"]
    at = _header_at(rows, "指标")
    overview = {r[0]: r for r in rows[at + 1 :]}
    figures, previous = dash["figures"]["figures"], dash["figures"]["previous"]["figures"]
    assert overview["受理量"][1] == figures["received"] == 6
    assert overview["受理量"][4] == previous["received"] == 0
    rr = figures["response_rate"]
    assert overview["响应率"][1:4] == (rr["value"], rr["num"], rr["den"])

    trend = list(wb["趋势"].iter_rows(values_only=True))
    header = trend[0]
    assert header[0] == "期间" and len(trend) - 1 == len(dash["trend"]) == 12
    last = dict(zip(header, trend[-1], strict=True))
    assert last["期间"].startswith(dash["trend"][-1]["period"]["label"])
    _check_figures(last, dash["trend"][-1]["figures"])

    cats = list(wb["按类别"].iter_rows(values_only=True))
    assert cats[0] == ("类别", "受理量", "办结量", "超期件数")
    assert [tuple(r) for r in cats[1:]] == [
        (c["name"], c["received"], c["resolved"], c["overdue"]) for c in dash["by_category"]
    ]
    sources = list(wb["按来源"].iter_rows(values_only=True))
    assert sum(r[1] for r in sources[1:]) == sum(s["received"] for s in dash["by_source"]) == 6
    worst = list(wb["超期最久"].iter_rows(values_only=True))
    assert [r[0] for r in worst[1:]] == [m["tracking_code"] for m in dash["most_overdue"]]
    assert len(dash["most_overdue"]) == 1 and worst[1][4] == dash["most_overdue"][0]["overdue_hours"]
    children = list(wb["下级单位"].iter_rows(values_only=True))
    assert (
        sorted(r[1] for r in children[1:])
        == sorted(r["unit"]["name"] for r in dash["children"])
        == [
            "G1a网格",
            "G1b网格",
        ]
    )
    assert all(r[2] == "网格" for r in children[1:])


def test_the_exports_keep_the_json_routes_scope(world, client, live):
    street = {**Q, "level": "community", "parent_level": "street", "parent_id": world.ids["S1"]}
    # A station chief sees their community, not their street's table; another street is not there for an officer.
    assert_problem(
        client.get("/api/v1/assessment/table.xlsx", params=street, headers=world.headers("station_chief")), 404
    )
    other = {**street, "parent_id": world.ids["S2"]}
    assert_problem(
        client.get("/api/v1/assessment/table.xlsx", params=other, headers=world.headers("street_officer")), 404
    )
    c3 = {**Q, "level": "community", "id": world.ids["C3"]}
    assert_problem(
        client.get("/api/v1/assessment/dashboard.xlsx", params=c3, headers=world.headers("street_officer")), 404
    )
    assert_problem(
        client.get("/api/v1/assessment/dashboard.xlsx", params=c3, headers=world.headers("grid_leader")), 403
    )
    assert_problem(client.get("/api/v1/assessment/table.xlsx", params=street), 401)
    bad = {**street, "level": "planet"}
    assert_problem(
        client.get("/api/v1/assessment/table.xlsx", params=bad, headers=world.headers("street_officer")), 422
    )
    long_range = {
        "period": "range",
        "start": "2025-01-01",
        "end": "2026-03-01",
        "level": "street",
        "id": world.ids["S1"],
    }
    r = client.get("/api/v1/assessment/dashboard.xlsx", params=long_range, headers=world.headers("street_officer"))
    assert_problem(r, 422)
    ok = client.get("/api/v1/assessment/table.xlsx", params=street, headers=world.headers("administrator"))
    assert ok.status_code == 200
