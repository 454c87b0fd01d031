"""The assessment's tables as Excel workbooks (openpyxl): the ranking table, a unit's dashboard and the monthly
bulletin 通报. Chinese headers; a rate is a number formatted as a percentage with its numerator and denominator in
the two columns after it (so 100 % of 2 is visibly not 100 % of 200); every workbook says which period it covers,
who exported it and when. Pure functions of the dicts the services build (the JSON routes' shapes)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from wangge.matters.desk import SOURCE_ZH
from wangge.models_common import as_utc
from wangge.workcalendar import SHANGHAI

PERCENT = "0.00%"
INDICATOR_ZH = {  # the UI's labels (frontend/src/i18n/assessment/zh-CN.ts)
    "received": "受理量",
    "resolved": "办结量",
    "response_rate": "响应率",
    "on_time_rate": "按时办结率",
    "resolution_rate": "解决率",
    "satisfaction_rate": "满意率",
    "rated_online": "网上评价",
    "rated_callback": "回访评价",
    "reopen_rate": "重办率",
    "overdue": "超期件",
    "resolve_hours": "办结用时(工作小时)",
    "level_share": "各级办结占比",
    "patrol_coverage": "巡查覆盖率",
    "log_days": "日志签到率",
    "visit_rate": "走访完成率",
    "quick_reports": "快报数",
    "hazards_found": "隐患发现数",
    "hazards_fixed_on_time": "隐患按期整改率",
    "hazards_overdue": "隐患超期数",
    "hazards_by_type": "隐患分类",
    "first_report_on_time": "首报及时率",
    "follow_ups_on_time": "续报及时率",
    "muster_on_time": "集结达标率",
}
ORDER = list(INDICATOR_ZH)
LEVEL_ZH = {
    "grid": "网格",
    "leader": "网格长",
    "community": "社区",
    "station": "服务站",
    "street": "街道",
    "department": "部门",
    "district": "全区",
}
GRADE_ZH = {"green": "绿", "yellow": "黄", "red": "红", None: ""}


def when(value: datetime | date | str | None) -> str:
    """A Beijing time (minutes) or a day, as a person reads it."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        return as_utc(value).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def kind_of(value: Any) -> str:
    """count, rate, duration or breakdown, from a figure's shape (assessment/schemas.py)."""
    if isinstance(value, dict):
        if {"num", "den"} <= value.keys():
            return "rate"
        if {"n", "avg"} <= value.keys():
            return "duration"
        return "breakdown"
    return "count"


def label(key: str) -> str:
    return INDICATOR_ZH.get(key, key)


def figure_keys(figure_sets: Iterable[dict[str, Any]]) -> list[str]:
    """Every key in any of the sets, in the indicators' order (unknown keys after, alphabetically)."""
    seen: set[str] = set()
    for figures in figure_sets:
        seen |= set(figures or {})
    return [k for k in ORDER if k in seen] + sorted(seen - set(ORDER))


def _subkeys(key: str, figure_sets: Iterable[dict[str, Any]]) -> list[str]:
    subs: set[str] = set()
    for figures in figure_sets:
        value = (figures or {}).get(key)
        if isinstance(value, dict):
            subs |= set(value)
    return sorted(subs)


Column = tuple[str, Any, str | None]  # header, getter of a figures dict, number format


def figure_columns(figure_sets: Sequence[dict[str, Any]]) -> list[Column]:
    """The columns of a set of figures: a count is one column, a rate three (rate as %, numerator, denominator), a
    duration three (count, average, p90), a breakdown one per key present."""
    columns: list[Column] = []
    for key in figure_keys(figure_sets):
        sample = next((f[key] for f in figure_sets if f and f.get(key) is not None), None)
        name = label(key)
        kind = kind_of(sample)

        def get(f: dict[str, Any], k: str = key, part: str | None = None) -> Any:
            v = (f or {}).get(k)
            if part is None:
                return v if not isinstance(v, dict) else None
            return v.get(part) if isinstance(v, dict) else None

        if kind == "rate":
            columns += [
                (name, lambda f, k=key: get(f, k, "value"), PERCENT),
                (f"{name}·分子", lambda f, k=key: get(f, k, "num"), None),
                (f"{name}·分母", lambda f, k=key: get(f, k, "den"), None),
            ]
        elif kind == "duration":
            columns += [
                (f"{name}·件数", lambda f, k=key: get(f, k, "n"), None),
                (f"{name}·平均", lambda f, k=key: get(f, k, "avg"), "0.0"),
                (f"{name}·P90", lambda f, k=key: get(f, k, "p90"), "0.0"),
            ]
        elif kind == "breakdown":
            for sub in _subkeys(key, figure_sets):
                columns.append((f"{name}·{LEVEL_ZH.get(sub, sub)}", lambda f, k=key, s=sub: get(f, k, s), None))
        else:
            columns.append((name, lambda f, k=key: get(f, k), None))
    return columns


def period_text(period: dict[str, Any] | None) -> str:
    if not period:
        return ""
    span = f"{when(period.get('start'))} 至 {when(period.get('end'))}"
    text = period.get("label") or period.get("label_zh") or ""
    return f"{text}（{span}）" if text else span


def scheme_text(scheme: dict[str, Any] | None) -> str:
    if not scheme or not scheme.get("version"):  # none stored: the built-in default (version 0)
        return "默认方案（三率 30/35/35）"
    where = "全区默认" if scheme.get("street_id") is None else "街道方案"
    return f"{where} 第 {scheme.get('version')} 版"


def bold_row(ws: Worksheet) -> None:
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)


def info_block(ws: Worksheet, title: str, pairs: list[tuple[str, Any]]) -> None:
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    for k, v in pairs:
        ws.append([k, v])
    ws.append([])


def write_rows(ws: Worksheet, head: list[str], rows: list[dict[str, Any]], lead: list[Column]) -> None:
    """A header row and one row per item: the `lead` columns (of the item) then its figures' columns."""
    columns = figure_columns([r.get("figures") or {} for r in rows])
    ws.append(head + [c[0] for c in columns])
    bold_row(ws)
    for r in rows:
        values = [get(r) for _, get, _ in lead] + [get(r.get("figures") or {}) for _, get, _ in columns]
        ws.append(values)
        cells = ws[ws.max_row]
        for cell, fmt in zip(cells, [c[2] for c in lead] + [c[2] for c in columns], strict=False):
            if fmt and cell.value is not None:
                cell.number_format = fmt


RANK_LEAD: list[Column] = [
    ("排名", lambda r: r.get("rank"), None),
    ("单位", lambda r: (r.get("unit") or {}).get("name"), None),
    ("层级", lambda r: LEVEL_ZH.get((r.get("unit") or {}).get("level"), ""), None),
    ("得分", lambda r: r.get("score"), "0.0"),
    ("等级", lambda r: GRADE_ZH.get(r.get("grade"), r.get("grade")), None),
]


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _widths(ws: Worksheet, first: int = 16, rest: int = 12) -> None:
    from openpyxl.utils import get_column_letter

    for i in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(i)].width = first if i <= 2 else rest


def exported(exporter: str, at: datetime) -> list[tuple[str, Any]]:
    return [("导出人", exporter), ("导出时间", when(at))]


def table_xlsx(table: dict[str, Any], *, parent: str, exporter: str, at: datetime) -> bytes:
    """The ranking table (`GET /assessment/table`) on one sheet 考核排名."""
    wb = Workbook()
    ws = wb.active
    ws.title = "考核排名"
    info_block(
        ws,
        f"{parent} 考核排名",
        [
            ("统计期间", period_text(table.get("period"))),
            ("考核方案", scheme_text(table.get("scheme"))),
            *exported(exporter, at),
        ],
    )
    lead = [c for c in RANK_LEAD if c[0] != "层级"]
    write_rows(ws, [c[0] for c in lead], table.get("rows") or [], lead)
    _widths(ws)
    return _save(wb)


def _overview(ws: Worksheet, uf: dict[str, Any]) -> None:
    figures = uf.get("figures") or {}
    prev = (uf.get("previous") or {}).get("figures") or {}
    last = (uf.get("last_year") or {}).get("figures") or {}
    ws.append(["指标", *(f"{p}{s}" for p in ("本期", "上期", "去年同期") for s in ("", "·分子", "·分母"))])
    bold_row(ws)
    for key in figure_keys([figures]):
        kind = kind_of(figures.get(key))
        if kind == "rate":
            row: list[Any] = [label(key)]
            for f in (figures, prev, last):
                v = f.get(key) or {}
                row += [v.get("value"), v.get("num"), v.get("den")]
            ws.append(row)
            for i in (1, 4, 7):
                if ws[ws.max_row][i].value is not None:
                    ws[ws.max_row][i].number_format = PERCENT
        elif kind == "duration":
            for part, name in (("avg", "平均"), ("p90", "P90")):
                v = [(f.get(key) or {}).get(part) for f in (figures, prev, last)]
                ws.append([f"{label(key)}·{name}", v[0], None, None, v[1], None, None, v[2]])
        elif kind == "breakdown":
            for sub, n in sorted((figures.get(key) or {}).items()):
                ws.append([f"{label(key)}·{LEVEL_ZH.get(sub, sub)}", n])
        else:
            ws.append([label(key), figures.get(key), None, None, prev.get(key), None, None, last.get(key)])


def dashboard_xlsx(dash: dict[str, Any], *, exporter: str, at: datetime) -> bytes:
    """A unit's dashboard (`GET /assessment/dashboard`): its figures with the previous period and the same period last
    year, the trend, by category, by source, the most overdue and the units under it — one sheet each."""
    uf = dash.get("figures") or {}
    unit = uf.get("unit") or {}
    wb = Workbook()
    ws = wb.active
    ws.title = "概览"
    info_block(
        ws,
        f"{unit.get('name', '')} 考核数据",
        [
            ("单位层级", LEVEL_ZH.get(unit.get("level"), unit.get("level"))),
            ("统计期间", period_text(uf.get("period"))),
            ("考核方案", scheme_text(uf.get("scheme"))),
            ("得分", uf.get("score")),
            ("等级", GRADE_ZH.get(uf.get("grade"), uf.get("grade"))),
            ("已封存", "是" if uf.get("frozen") else "否"),
            *exported(exporter, at),
        ],
    )
    _overview(ws, uf)
    _widths(ws, first=22)

    trend = wb.create_sheet("趋势")
    trend_lead: list[Column] = [("期间", lambda r: period_text(r.get("period")), None)]
    write_rows(trend, ["期间"], dash.get("trend") or [], trend_lead)
    _widths(trend, first=30)

    cats = wb.create_sheet("按类别")
    cats.append(["类别", "受理量", "办结量", "超期件数"])
    bold_row(cats)
    for c in dash.get("by_category") or []:
        cats.append([c.get("name") or c.get("code"), c.get("received"), c.get("resolved"), c.get("overdue")])

    sources = wb.create_sheet("按来源")
    sources.append(["来源", "受理量"])
    bold_row(sources)
    for s in dash.get("by_source") or []:
        sources.append([SOURCE_ZH.get(s.get("source"), s.get("source")), s.get("received")])

    worst = wb.create_sheet("超期最久")
    worst.append(["查询码", "类别", "承办层级", "办理期限", "超期（小时）"])
    bold_row(worst)
    for m in dash.get("most_overdue") or []:
        worst.append(
            [
                m.get("tracking_code"),
                m.get("category") if isinstance(m.get("category"), str) else (m.get("category") or {}).get("name"),
                LEVEL_ZH.get(m.get("holder_level"), m.get("holder_level")),
                when(m.get("due_at")),
                m.get("overdue_hours"),
            ]
        )

    children = wb.create_sheet("下级单位")
    write_rows(children, [c[0] for c in RANK_LEAD], dash.get("children") or [], RANK_LEAD)
    _widths(children)
    return _save(wb)


def bulletin_xlsx(b: dict[str, Any], *, exporter: str, at: datetime) -> bytes:
    """A street's monthly bulletin 通报 (`GET /assessment/bulletins/{id}`): the street's figures and the communities
    ranked on a sheet 通报, the best and worst grids on 先进与后进, the overdue matters named on 超期事项."""
    d = b["data"]
    wb = Workbook()
    ws = wb.active
    ws.title = "通报"
    info_block(
        ws,
        f"{d['street']['name']} {d['period'].get('label', d['month'])} 考核通报",
        [
            ("统计期间", period_text(d.get("period"))),
            ("考核方案", scheme_text(d.get("scheme"))),
            ("街道得分", d.get("street_score")),
            ("街道等级", GRADE_ZH.get(d.get("street_grade"), d.get("street_grade"))),
            ("生成时间", when(b.get("generated_at"))),
            *exported(exporter, at),
        ],
    )
    write_rows(
        ws, ["街道"], [{"figures": d.get("street_figures") or {}}], [("街道", lambda r: d["street"]["name"], None)]
    )
    ws.append([])
    ws.append(["社区排名"])
    bold_row(ws)
    lead = [c for c in RANK_LEAD if c[0] != "层级"]
    write_rows(ws, [c[0] for c in lead], d.get("ranking") or [], lead)
    _widths(ws)

    bw = wb.create_sheet("先进与后进")
    grid_lead: list[Column] = [
        ("名次", lambda r: r.get("place"), None),
        ("网格", lambda r: (r.get("unit") or {}).get("name"), None),
        ("社区", lambda r: r.get("community"), None),
        ("得分", lambda r: r.get("score"), "0.0"),
        ("等级", lambda r: GRADE_ZH.get(r.get("grade"), r.get("grade")), None),
    ]
    for title, rows in (("前三名", d.get("best") or []), ("后三名", d.get("worst") or [])):
        bw.append([title])
        bold_row(bw)
        write_rows(bw, [c[0] for c in grid_lead], [{**r, "place": i} for i, r in enumerate(rows, 1)], grid_lead)
        bw.append([])
    _widths(bw)

    od = wb.create_sheet("超期事项")
    od.append(["查询码", "类别", "社区", "网格", "承办层级", "办理期限", "超期（小时）"])
    bold_row(od)
    for m in d.get("overdue") or []:
        od.append(
            [
                m.get("tracking_code"),
                m.get("category"),
                m.get("community"),
                m.get("grid"),
                LEVEL_ZH.get(m.get("holder_level"), m.get("holder_level")),
                when(m.get("due_at")),
                m.get("overdue_hours"),
            ]
        )
    shown, total = len(d.get("overdue") or []), d.get("overdue_total", 0)
    if total > shown:
        od.append([f"共 {total} 件超期，此处列出 {shown} 件"])
    _widths(od)
    return _save(wb)
